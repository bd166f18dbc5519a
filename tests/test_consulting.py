"""The consultation use cases (drafter/consulting.py) on a real SQLite store, without Flask:
who may write, when, how much, and what each unit may read."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from drafter import consulting
from drafter.errors import Conflict, Forbidden, InvalidInput, NotFound
from drafter.storage import open_store

ARTICLE = "chuong-1/dieu-1"
CLAUSE = "chuong-1/dieu-1/khoan-2"
POINT = "chuong-1/dieu-1/khoan-2/diem-a"


@pytest.fixture
def store(world):
    store = open_store(world.db_path)
    yield store
    store.close()


@pytest.fixture
def consultation(store, world):
    return store.get_consultation(world.consultation_id)


@pytest.fixture
def now():
    return consulting.utc_now()


def user(store, world, name):
    return store.get_user(world.users[name])


def add(store, world, consultation, now, name="tn-lead", **fields):
    values = {"key": CLAUSE, "kind": "comment", "text": "Ý kiến", "proposed_text": None}
    return consulting.add_comment(
        store, user(store, world, name), consultation, now=now, **(values | fields)
    )


def shifted(text, **delta):
    return (datetime.fromisoformat(text) + timedelta(**delta)).isoformat()


def test_add_comment_targets_the_node_and_its_article(store, world, consultation, now):
    comment_id = add(store, world, consultation, now, key=POINT, text="  Sửa\x07 câu  ")
    comment = store.get_comment(comment_id)
    assert (comment.node_key, comment.article_key) == (POINT, ARTICLE)
    assert comment.text == "Sửa câu"  # control characters dropped, stripped
    assert comment.unit_id == world.units["thai-nguyen"]
    audit = store.list_audit(consultation_id=consultation.id)
    assert any(entry.action == "comment.create" for entry in audit)


def test_a_general_comment_has_no_target(store, world, consultation, now):
    comment = store.get_comment(add(store, world, consultation, now, key=None))
    assert comment.node_key is None
    with pytest.raises(InvalidInput):
        add(store, world, consultation, now, key=None, kind="delete", text="")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"kind": "rant"}, "Choose the kind of comment."),
        ({"text": "   "}, "The %(field)s is empty."),
        ({"kind": "new_wording", "text": "", "proposed_text": ""}, "The %(field)s is empty."),
        ({"text": "x" * (consulting.MAX_TEXT + 1)}, "The %(field)s is %(n)s characters long"),
        ({"key": "chuong-1"}, "Comments target an article, a clause or a point."),
    ],
)
def test_bad_comments_are_refused_and_leave_no_trace(
    store, world, consultation, now, fields, message
):
    with pytest.raises(InvalidInput) as caught:
        add(store, world, consultation, now, **fields)
    assert caught.value.template.startswith(message)
    assert store.count_unit_comments(consultation.id, world.units["thai-nguyen"]) == 0


def test_unknown_target_is_not_found(store, world, consultation, now):
    with pytest.raises(NotFound):
        add(store, world, consultation, now, key="chuong-1/dieu-99")


@pytest.mark.parametrize(
    ("name", "error"),
    [("organizer", Forbidden), ("lc-lead", Forbidden)],  # not a delegate; unit not invited
)
def test_only_invited_delegates_write(store, world, consultation, now, name, error):
    with pytest.raises(error):
        add(store, world, consultation, now, name=name)


@pytest.mark.parametrize(
    ("when", "message"),
    [
        (lambda c: shifted(c.opens_at, minutes=-1), "The consultation has not opened yet."),
        (lambda c: c.deadline, "The deadline has passed: comments are read-only."),
    ],
)
def test_writing_only_while_open(store, world, consultation, when, message):
    with pytest.raises(Conflict) as caught:
        add(store, world, consultation, when(consultation))
    assert caught.value.template == message
    assert consulting.phase(consultation, when(consultation)) in ("upcoming", "past_deadline")


def test_a_closed_consultation_is_read_only(store, world, consultation, now):
    comment_id = add(store, world, consultation, now)
    with store.transaction():
        store.close_consultation(consultation.id, now=now)
    closed = store.get_consultation(consultation.id)
    assert consulting.phase(closed, now) == "closed"
    with pytest.raises(Conflict):
        add(store, world, closed, now)
    with pytest.raises(Conflict):
        consulting.withdraw_comment(store, user(store, world, "tn-lead"), comment_id, now)


def test_the_quota_counts_withdrawn_comments(store, world, consultation, now):
    member = user(store, world, "tn-member")
    first = add(store, world, consultation, now, name="tn-member", quota=2)
    add(store, world, consultation, now, name="tn-member", quota=2)
    consulting.withdraw_comment(store, member, first, now)
    with pytest.raises(Conflict) as caught:
        add(store, world, consultation, now, name="tn-member", quota=2)
    assert caught.value.params == {"n": 2}
    add(store, world, consultation, now, name="qn-lead", quota=2)  # another unit's own quota


def test_edit_keeps_revisions_and_only_the_unit_edits(store, world, consultation, now):
    comment_id = add(store, world, consultation, now, name="tn-member")
    consulting.edit_comment(
        store, user(store, world, "tn-lead"), comment_id, kind="new_wording",
        text="Lý do", proposed_text="Câu mới", now=now,
    )  # fmt: skip
    comment = store.get_comment(comment_id)
    assert (comment.kind, comment.proposed_text, comment.revisions) == ("new_wording", "Câu mới", 2)
    assert len(store.comment_history(comment_id)) == 2
    for name in ("qn-lead", "organizer"):
        with pytest.raises(Forbidden):
            consulting.edit_comment(
                store, user(store, world, name), comment_id, kind="comment",
                text="x", proposed_text=None, now=now,
            )  # fmt: skip
    assert store.get_comment(comment_id).revisions == 2


def test_a_withdrawn_comment_cannot_be_edited_or_withdrawn_again(store, world, consultation, now):
    lead = user(store, world, "tn-lead")
    comment_id = add(store, world, consultation, now)
    withdrawn = consulting.withdraw_comment(store, lead, comment_id, now)
    assert withdrawn.id == comment_id
    assert store.get_comment(comment_id).withdrawn_at == now
    with pytest.raises(Conflict):
        consulting.withdraw_comment(store, lead, comment_id, now)
    with pytest.raises(Conflict):
        consulting.edit_comment(
            store, lead, comment_id, kind="comment", text="x", proposed_text=None, now=now
        )


def test_agree_once_per_article(store, world, consultation, now):
    lead = user(store, world, "tn-lead")
    first = consulting.agree(store, lead, consultation, ARTICLE, now)
    assert consulting.agree(store, lead, consultation, ARTICLE, now) == first
    assert store.get_comment(first).kind == "agree"
    with pytest.raises(InvalidInput):
        consulting.agree(store, lead, consultation, CLAUSE, now)


def test_submit_and_withdraw_by_the_lead_only(store, world, consultation, now):
    lead, member = user(store, world, "tn-lead"), user(store, world, "tn-member")
    with pytest.raises(InvalidInput):  # nothing to submit yet
        consulting.submit(store, lead, consultation, no_comments=False, now=now)
    add(store, world, consultation, now, name="tn-member")
    with pytest.raises(Forbidden):
        consulting.submit(store, member, consultation, no_comments=False, now=now)
    with pytest.raises(InvalidInput):  # "no comments" while comments exist
        consulting.submit(store, lead, consultation, no_comments=True, now=now)
    consulting.submit(store, lead, consultation, no_comments=False, now=now)
    unit = world.units["thai-nguyen"]
    assert consulting.unit_state(store, consultation, unit).name == "submitted"
    with pytest.raises(Conflict):  # submitted: read-only until withdrawn
        add(store, world, consultation, now, name="tn-member")
    with pytest.raises(Forbidden):
        consulting.withdraw_submission(store, member, consultation, now)
    consulting.withdraw_submission(store, lead, consultation, now)
    assert consulting.unit_state(store, consultation, unit).name == "drafting"
    with pytest.raises(Conflict):  # nothing left to withdraw
        consulting.withdraw_submission(store, lead, consultation, now)
    add(store, world, consultation, now, name="tn-member")


def test_no_comments_and_withdrawal_after_the_deadline(store, world, consultation, now):
    lead = user(store, world, "qn-lead")
    consulting.submit(store, lead, consultation, no_comments=True, now=now)
    unit = world.units["quang-nam"]
    assert consulting.unit_state(store, consultation, unit).name == "no_comments"
    with pytest.raises(Conflict):
        consulting.withdraw_submission(store, lead, consultation, consultation.deadline)
    with pytest.raises(Forbidden):
        consulting.submit(
            store, user(store, world, "lc-lead"), consultation, no_comments=True, now=now
        )


def test_answer_submitted_comments_only(store, world, consultation, now):
    organizer = user(store, world, "organizer")
    comment_id = add(store, world, consultation, now)
    with pytest.raises(NotFound):  # not submitted yet
        consulting.answer(store, organizer, comment_id, status="accepted", explanation="", now=now)
    consulting.submit(
        store, user(store, world, "tn-lead"), consultation, no_comments=False, now=now
    )
    with pytest.raises(Forbidden):
        consulting.answer(
            store, user(store, world, "tn-lead"), comment_id, status="accepted",
            explanation="", now=now,
        )  # fmt: skip
    with pytest.raises(InvalidInput):
        consulting.answer(store, organizer, comment_id, status="maybe", explanation="", now=now)
    with pytest.raises(InvalidInput):  # a rejection needs its explanation
        consulting.answer(store, organizer, comment_id, status="rejected", explanation="", now=now)
    consulting.answer(
        store, organizer, comment_id, status="partly", explanation="Một phần", now=now
    )
    [answered] = store.list_comments(consultation.id, submitted_only=True)
    assert (answered.answer.status, answered.answer.explanation) == ("partly", "Một phần")


def test_visible_comments_follow_the_sharing_rules(store, world, consultation, now):
    drafted = add(store, world, consultation, now, name="qn-lead")
    own = add(store, world, consultation, now, name="tn-member")
    submitted = add(store, world, consultation, now, name="qn-lead", text="Đã gửi")
    consulting.withdraw_comment(store, user(store, world, "qn-lead"), drafted, now)
    consulting.submit(
        store, user(store, world, "qn-lead"), consultation, no_comments=False, now=now
    )
    lead = user(store, world, "tn-lead")

    mine, others = consulting.visible_comments(store, lead, consultation)
    assert ([c.id for c in mine], others) == ([own], [])

    with store.transaction():
        store.set_share_submitted(consultation.id, True)
    shared = store.get_consultation(consultation.id)
    mine, others = consulting.visible_comments(store, lead, shared)
    assert [c.id for c in mine] == [own]
    assert [c.id for c in others] == [submitted]

    none, seen = consulting.visible_comments(store, user(store, world, "organizer"), consultation)
    assert none == []
    assert [c.id for c in seen] == [submitted]  # organizers read submitted comments only
    _mine, general = consulting.visible_comments(store, lead, shared, general=True)
    assert general == []


def test_readers_are_organizers_and_invited_units(store, world, consultation):
    assert consulting.get_readable(store, user(store, world, "qn-lead"), consultation.id)
    assert consulting.get_readable(store, user(store, world, "organizer"), consultation.id)
    with pytest.raises(Forbidden):
        consulting.get_readable(store, user(store, world, "lc-lead"), consultation.id)
