"""Deadlines per unit, reopening, confirmations, contradictions and answers back to units
(drafter.organizing.deadlines, drafter.responses, drafter.answering, drafter.feedback) on a
real SQLite store, without Flask."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import docx
import pytest

from drafter import answering, consulting, exports, feedback, organizing, responses, summary
from drafter.errors import Conflict, Forbidden, InvalidInput, NotFound
from drafter.export_md import provision_text
from drafter.organizing import deadlines
from drafter.storage import open_store

from .docx_text import paragraphs

ZONE = "Asia/Ho_Chi_Minh"
ARTICLE = "chuong-1/dieu-3"


@pytest.fixture
def store(world):
    store = open_store(world.db_path)
    yield store
    store.close()


def who(store, world, name):
    return store.get_user(world.users[name])


def local(delta: timedelta) -> str:
    """Return a wall-clock time in ZONE, as the deadline form sends it."""
    return (datetime.now(UTC) + delta).astimezone(ZoneInfo(ZONE)).strftime("%Y-%m-%dT%H:%M")


def move_deadline_to_past(store, world):
    """Let the consultation's deadline pass (as time would)."""
    past = (datetime.now(UTC) - timedelta(hours=1)).replace(microsecond=0).isoformat()
    with store.transaction():
        store.set_deadline(world.consultation_id, past)


def comment(store, world, name="tn-lead", key=ARTICLE, kind="comment", text="Ý kiến"):
    return consulting.add_comment(
        store, who(store, world, name), store.get_consultation(world.consultation_id),
        key=key, kind=kind, text=text, proposed_text="Mới." if kind == "new_wording" else None,
        now=consulting.utc_now(),
    )  # fmt: skip


def submit(store, world, name="tn-lead"):
    consultation = store.get_consultation(world.consultation_id)
    return consulting.submit(
        store, who(store, world, name), consultation, no_comments=False, now=consulting.utc_now()
    )


# -- deadlines -----------------------------------------------------------------------------


def test_extending_for_one_unit_reopens_it_alone(store, world):
    organizer = who(store, world, "organizer")
    move_deadline_to_past(store, world)
    with pytest.raises(Conflict, match="deadline has passed"):
        comment(store, world, "tn-lead")
    now = consulting.utc_now()
    new = deadlines.extend_deadline(
        store, organizer, world.consultation_id, deadline=local(timedelta(days=3)),
        unit_id=world.units["thai-nguyen"], zone=ZONE, now=now,
    )  # fmt: skip
    consultation = store.get_consultation(world.consultation_id)
    assert consulting.unit_deadline(store, consultation, world.units["thai-nguyen"]) == new
    assert consulting.unit_phase(store, consultation, world.units["thai-nguyen"], now) == "open"
    assert consulting.unit_phase(store, consultation, world.units["quang-nam"], now) == (
        "past_deadline"
    )
    comment(store, world, "tn-lead")  # Thái Nguyên writes again
    with pytest.raises(Conflict, match="deadline has passed"):
        comment(store, world, "qn-lead")  # Quảng Nam does not
    (change,) = store.list_deadline_changes(world.consultation_id)
    assert (change.unit_name, change.new_deadline, change.reopened) == (
        "Tỉnh ủy Thái Nguyên",
        new,
        False,
    )
    (extended,) = [
        e
        for e in store.list_audit(consultation_id=world.consultation_id)
        if e.action == "consultation.extend"
    ]
    assert "Tỉnh ủy Thái Nguyên" in extended.details


def test_extending_for_every_unit_never_shortens_a_units_own(store, world):
    organizer = who(store, world, "organizer")
    tn = world.units["thai-nguyen"]
    own = deadlines.extend_deadline(
        store, organizer, world.consultation_id, deadline=local(timedelta(days=60)), unit_id=tn,
        zone=ZONE, now=consulting.utc_now(),
    )  # fmt: skip
    everyone = deadlines.extend_deadline(
        store, organizer, world.consultation_id, deadline=local(timedelta(days=45)),
        unit_id=None, zone=ZONE, now=consulting.utc_now(),
    )  # fmt: skip
    consultation = store.get_consultation(world.consultation_id)
    assert consultation.deadline == everyone
    assert consulting.unit_deadline(store, consultation, tn) == own
    assert consulting.unit_deadline(store, consultation, world.units["quang-nam"]) == everyone
    shown = deadlines.deadlines(store, organizer, world.consultation_id, consulting.utc_now())
    assert {u.name: d for u, d, _s in shown.units} == {
        "Tỉnh ủy Quảng Nam": everyone,
        "Tỉnh ủy Thái Nguyên": own,
    }
    assert len(shown.changes) == 2


@pytest.mark.parametrize(
    ("delta", "unit", "message"),
    [
        (timedelta(days=-1), None, "in the future"),
        (timedelta(days=2), None, "after the current one"),  # the deadline is in 30 days
        (timedelta(days=40), "lao-cai", "no unit"),  # not invited
    ],
)
def test_a_deadline_only_moves_later_for_invited_units(store, world, delta, unit, message):
    before = store.get_consultation(world.consultation_id)
    with pytest.raises((InvalidInput, NotFound), match=message):
        deadlines.extend_deadline(
            store, who(store, world, "organizer"), world.consultation_id,
            deadline=local(delta), unit_id=world.units[unit] if unit else None, zone=ZONE,
            now=consulting.utc_now(),
        )  # fmt: skip
    assert store.get_consultation(world.consultation_id) == before
    assert store.list_deadline_changes(world.consultation_id) == []


def test_only_organizers_extend(store, world):
    with pytest.raises(Forbidden):
        deadlines.extend_deadline(
            store, who(store, world, "tn-lead"), world.consultation_id,
            deadline=local(timedelta(days=40)), unit_id=None, zone=ZONE,
            now=consulting.utc_now(),
        )  # fmt: skip


def test_reopening_a_closed_consultation(store, world):
    organizer = who(store, world, "organizer")
    comment(store, world, "qn-lead", key="chuong-1/dieu-2")
    submit(store, world, "qn-lead")
    organizing.close_consultation(store, organizer, world.consultation_id, consulting.utc_now())
    with pytest.raises(Conflict, match="closed"):
        comment(store, world, "tn-lead")
    with pytest.raises(Conflict, match="reopen"):
        deadlines.extend_deadline(
            store, organizer, world.consultation_id, deadline=local(timedelta(days=40)),
            unit_id=None, zone=ZONE, now=consulting.utc_now(),
        )  # fmt: skip
    with pytest.raises(InvalidInput, match="future"):
        deadlines.reopen_consultation(
            store, organizer, world.consultation_id, deadline=local(timedelta(hours=-2)),
            zone=ZONE, now=consulting.utc_now(),
        )  # fmt: skip
    new = deadlines.reopen_consultation(
        store, organizer, world.consultation_id, deadline=local(timedelta(days=5)), zone=ZONE,
        now=consulting.utc_now(),
    )  # fmt: skip
    consultation = store.get_consultation(world.consultation_id)
    assert (consultation.closed_at, consultation.deadline) == (None, new)
    comment(store, world, "tn-lead")  # open again
    progress = {p.unit.name: p.latest for p in store.unit_progress(world.consultation_id)}
    assert progress["Tỉnh ủy Quảng Nam"].withdrawn_at is None  # still submitted
    assert store.list_deadline_changes(world.consultation_id)[-1].reopened
    actions = [e.action for e in store.list_audit(consultation_id=world.consultation_id)]
    assert actions.index("consultation.reopen") < actions.index("consultation.close")
    with pytest.raises(Conflict, match="not closed"):
        deadlines.reopen_consultation(
            store, organizer, world.consultation_id, deadline=local(timedelta(days=6)),
            zone=ZONE, now=consulting.utc_now(),
        )  # fmt: skip


# -- submitting: what the confirmation shows is what is sent --------------------------------


def test_the_submit_preview_lists_what_will_be_sent(store, world):
    lead = who(store, world, "tn-lead")
    first = comment(store, world, "tn-member", text="Một")
    second = comment(store, world, "tn-lead", key="chuong-1/dieu-2", kind="question", text="Hai")
    preview = responses.submit_preview(
        store, lead, world.consultation_id, no_comments=False, now=consulting.utc_now()
    )
    assert [c.id for c in preview.comments] == [second, first]  # document order
    assert preview.counts == {"comment": 1, "question": 1}
    assert preview.contradictory == []
    with pytest.raises(Forbidden):  # only the lead submits
        responses.submit_preview(
            store, who(store, world, "tn-member"), world.consultation_id, no_comments=False,
            now=consulting.utc_now(),
        )  # fmt: skip
    with pytest.raises(InvalidInput, match="has comments"):
        responses.submit_preview(
            store, lead, world.consultation_id, no_comments=True, now=consulting.utc_now()
        )
    # A comment written after the page was opened: the confirmation is refused, not widened.
    comment(store, world, "tn-member", text="Ba")
    consultation = store.get_consultation(world.consultation_id)
    with pytest.raises(Conflict, match="changed"):
        consulting.submit(
            store, lead, consultation, no_comments=False, now=consulting.utc_now(),
            expected=preview.fingerprint,
        )  # fmt: skip
    assert store.list_submissions(world.consultation_id, world.units["thai-nguyen"]) == []
    again = responses.submit_preview(
        store, lead, world.consultation_id, no_comments=False, now=consulting.utc_now()
    )
    consulting.submit(
        store, lead, consultation, no_comments=False, now=consulting.utc_now(),
        expected=again.fingerprint,
    )  # fmt: skip
    (submission,) = store.list_submissions(world.consultation_id, world.units["thai-nguyen"])
    assert submission.items == 3


# -- contradictions --------------------------------------------------------------------------


def test_agreeing_and_commenting_on_one_article_is_a_contradiction(store, world):
    lead = who(store, world, "tn-lead")
    consultation = store.get_consultation(world.consultation_id)
    consulting.agree(store, lead, consultation, ARTICLE, consulting.utc_now())
    comment(store, world, "tn-lead", key=ARTICLE + "/khoan-1", kind="new_wording", text="Sửa")
    consulting.agree(store, lead, consultation, "chuong-1/dieu-2", consulting.utc_now())
    comment(store, world, "tn-lead", key="chuong-1/dieu-2", kind="question", text="Vì sao?")
    qn = who(store, world, "qn-lead")
    consulting.agree(store, qn, consultation, ARTICLE, consulting.utc_now())
    preview = responses.submit_preview(
        store, lead, world.consultation_id, no_comments=False, now=consulting.utc_now()
    )
    assert preview.contradictory == [ARTICLE]  # a question does not contradict
    submit(store, world, "tn-lead")
    submit(store, world, "qn-lead")
    organizer = who(store, world, "organizer")
    figures = {
        a.article.key: a
        for a in organizing.dashboard(
            store, organizer, world.consultation_id, most_first=False, now=consulting.utc_now()
        ).articles
    }
    assert (figures[ARTICLE].agreements, figures[ARTICLE].contradictions) == (1, 1)
    assert (figures["chuong-1/dieu-2"].agreements, figures["chuong-1/dieu-2"].contradictions) == (
        1,
        0,
    )
    view = organizing.article_view(store, organizer, world.consultation_id, ARTICLE)
    assert view.contradictory == ("Tỉnh ủy Thái Nguyên",)
    table = summary.build(store, world.consultation_id)
    group = next(g for g in table.groups if g.heading.startswith("Điều 3."))
    assert group.agreed == ["Tỉnh ủy Quảng Nam"]
    assert group.contradictory == ["Tỉnh ủy Thái Nguyên"]
    assert table.totals["agreements"] == 2
    assert table.totals["contradictions"] == 1
    text = summary.to_csv(table).decode("utf-8-sig")
    assert "Vừa nhất trí vừa góp ý (mâu thuẫn, không tính là nhất trí): 1 đơn vị" in text
    assert "Mâu thuẫn: đơn vị đồng thời nhất trí" in text
    body = "\n".join(paragraphs(summary.to_docx(table), accept=True))
    assert "Vừa nhất trí vừa góp ý (mâu thuẫn, không tính là nhất trí): 1 đơn vị" in body
    assert "lượt vừa nhất trí vừa góp ý (mâu thuẫn): 1" in summary.to_markdown(table)


# -- answers ---------------------------------------------------------------------------------


def _two_submitted(store, world):
    ids = [
        comment(store, world, "tn-lead", text="Một"),
        comment(store, world, "tn-lead", text="Hai"),
    ]
    qn = comment(store, world, "qn-lead", key="chuong-1/dieu-2", text="Quảng Nam")
    submit(store, world, "tn-lead")
    submit(store, world, "qn-lead")
    return ids, qn


def test_answer_many_answers_all_or_none(store, world):
    organizer = who(store, world, "organizer")
    ids, qn = _two_submitted(store, world)
    with pytest.raises(NotFound):
        answering.answer_many(
            store, world.consultation_id, [*ids, 999_999], "accepted", "", organizer,
            now=consulting.utc_now(),
        )  # fmt: skip
    assert all(store.get_comment(i).answer is None for i in ids)
    with pytest.raises(InvalidInput):  # "not accepted" needs a reason
        answering.answer_many(
            store, world.consultation_id, ids, "rejected", " ", organizer, now=consulting.utc_now()
        )
    with pytest.raises(Forbidden):
        answering.answer_many(
            store, world.consultation_id, ids, "accepted", "", who(store, world, "tn-lead"),
            now=consulting.utc_now(),
        )  # fmt: skip
    done = answering.answer_many(
        store, world.consultation_id, [*ids, qn, ids[0]], "partly", "Tiếp thu *một phần*.",
        organizer, now=consulting.utc_now(),
    )  # fmt: skip
    assert [c.id for c in done] == [*ids, qn]
    for comment_id in (*ids, qn):
        answer = store.get_comment(comment_id).answer
        assert (answer.status, answer.explanation, answer.published_at) == (
            "partly",
            "Tiếp thu *một phần*.",
            None,
        )
    answers = [e for e in store.list_audit() if e.action == "comment.answer"]
    assert len(answers) == 3


def test_answers_reach_units_only_once_published(store, world):
    organizer = who(store, world, "organizer")
    lead = who(store, world, "tn-lead")
    ids, qn = _two_submitted(store, world)
    answering.answer_many(
        store, world.consultation_id, [*ids, qn], "accepted", "Bản một", organizer,
        now=consulting.utc_now(),
    )  # fmt: skip
    consultation = store.get_consultation(world.consultation_id)
    own, _others = consulting.visible_comments(store, lead, consultation)
    assert [c.answer for c in own] == [None, None]
    assert store.unpublished_answers(world.consultation_id) == {
        world.units["thai-nguyen"]: 2,
        world.units["quang-nam"]: 1,
    }
    # One unit at a time: Thái Nguyên's answers only.
    count = answering.publish_answers(
        store, organizer, world.consultation_id, unit_id=world.units["thai-nguyen"],
        now=consulting.utc_now(),
    )  # fmt: skip
    assert count == 2
    own, _others = consulting.visible_comments(store, lead, consultation)
    assert [c.answer.explanation for c in own] == ["Bản một", "Bản một"]
    qn_own, _ = consulting.visible_comments(store, who(store, world, "qn-lead"), consultation)
    assert qn_own[0].answer is None
    # Edited after publication: internal again; the unit keeps the published wording.
    consulting.answer(
        store, organizer, ids[0], status="rejected", explanation="Bản hai", now=consulting.utc_now()
    )
    own, _others = consulting.visible_comments(store, lead, consultation)
    assert own[0].answer.explanation == "Bản một"
    assert store.get_comment(ids[0]).answer.explanation == "Bản hai"  # organizers see it
    assert (
        answering.publish_answers(
            store, organizer, world.consultation_id, unit_id=None, now=consulting.utc_now()
        )
        == 2
    )  # the edit and Quảng Nam's
    own, _others = consulting.visible_comments(store, lead, consultation)
    assert (own[0].answer.status, own[0].answer.explanation) == ("rejected", "Bản hai")
    assert (
        answering.publish_answers(
            store, organizer, world.consultation_id, unit_id=None, now=consulting.utc_now()
        )
        == 0
    )
    with pytest.raises(NotFound):
        answering.publish_answers(
            store, organizer, world.consultation_id, unit_id=world.units["lao-cai"],
            now=consulting.utc_now(),
        )  # fmt: skip
    actions = [e.action for e in store.list_audit(consultation_id=world.consultation_id)]
    assert actions.count("answers.publish") == 3


def test_answer_templates(store, world):
    organizer = who(store, world, "organizer")
    template_id = answering.add_template(
        store, organizer, title="Tiếp thu", text="Xin tiếp thu.", status="accepted",
        now=consulting.utc_now(),
    )  # fmt: skip
    assert [(t.title, t.text, t.status) for t in answering.templates(store, organizer)] == [
        ("Tiếp thu", "Xin tiếp thu.", "accepted")
    ]
    for bad in ({"title": "", "text": "x"}, {"title": "x", "text": " "}):
        with pytest.raises(InvalidInput):
            answering.add_template(store, organizer, status=None, now=consulting.utc_now(), **bad)
    with pytest.raises(InvalidInput):
        answering.add_template(
            store, organizer, title="x", text="y", status="maybe", now=consulting.utc_now()
        )
    with pytest.raises(Forbidden):
        answering.templates(store, who(store, world, "tn-lead"))
    answering.delete_template(store, organizer, template_id, consulting.utc_now())
    assert answering.templates(store, organizer) == []
    with pytest.raises(NotFound):
        answering.delete_template(store, organizer, template_id, consulting.utc_now())


def test_the_comment_list_filters(store, world):
    organizer = who(store, world, "organizer")
    ids, qn = _two_submitted(store, world)
    answering.answer_many(
        store, world.consultation_id, [ids[0]], "noted", "", organizer, now=consulting.utc_now()
    )

    def listed(**wanted):
        shown = answering.comment_list(
            store, organizer, world.consultation_id, answering.CommentFilter(**wanted)
        )
        return [c.id for c in shown.comments]

    assert listed() == [qn, *ids]
    assert listed(answered="no") == [qn, ids[1]]
    assert listed(answered="yes") == [ids[0]]
    assert listed(unit_id=world.units["quang-nam"]) == [qn]
    assert listed(kind="question") == []
    with pytest.raises(InvalidInput):
        listed(kind="bogus")


def test_a_units_page_of_answers_shows_published_answers_and_the_new_wording(store, world):
    organizer = who(store, world, "organizer")
    lead = who(store, world, "tn-lead")
    (first, _second), _qn = _two_submitted(store, world)
    answering.answer_many(
        store, world.consultation_id, [first], "accepted", "Đã sửa ở dự thảo mới.", organizer,
        now=consulting.utc_now(),
    )  # fmt: skip
    shown = feedback.unit_feedback(store, lead, world.consultation_id)
    assert shown.unit.name == "Tỉnh ủy Thái Nguyên"
    assert [i.comment.answer for i in shown.items] == [None, None]
    assert shown.next_version == 2  # the world holds version 2 of the draft
    v2 = store.get_version(world.draft_id, 2)
    item = shown.items[0]
    assert item.match.old_key == ARTICLE
    assert item.new_wording == (
        item.match.new_key,
        provision_text(store.get_node(v2.id, item.match.new_key)),
    )
    assert item.new_wording[1].startswith("Điều ")
    data, name = feedback.feedback_docx(store, lead, world.consultation_id)
    assert name.endswith("-thai-nguyen-tiep-thu-giai-trinh.docx")
    assert "Đã sửa ở dự thảo mới." not in "\n".join(paragraphs(data, accept=True))
    answering.publish_answers(
        store, organizer, world.consultation_id, unit_id=None, now=consulting.utc_now()
    )
    shown = feedback.unit_feedback(store, lead, world.consultation_id)
    assert shown.answered == 1
    body = "\n".join(
        paragraphs(feedback.feedback_docx(store, lead, world.consultation_id)[0], accept=True)
    )
    assert "Tiếp thu. Đã sửa ở dự thảo mới." in body
    assert "Quy định tại dự thảo lần 2" in body
    # Organizers see a unit's page as the unit does; another unit's delegate cannot.
    assert (
        feedback.unit_feedback(
            store, organizer, world.consultation_id, world.units["thai-nguyen"]
        ).answered
        == 1
    )
    with pytest.raises(Forbidden):
        feedback.unit_feedback(store, organizer, world.consultation_id)
    with pytest.raises(Forbidden):
        feedback.unit_feedback(store, who(store, world, "lc-lead"), world.consultation_id)


def test_a_units_redline_carries_only_published_answers(store, world):
    organizer = who(store, world, "organizer")
    (first, _second), _qn = _two_submitted(store, world)
    answering.answer_many(
        store, world.consultation_id, [first], "noted", "Ghi nhận nội bộ 4b2e", organizer,
        now=consulting.utc_now(),
    )  # fmt: skip

    def redline_text():
        files = exports.by_unit(store, world.consultation_id, only=world.units["thai-nguyen"])
        document = docx.Document(io.BytesIO(files["thai-nguyen"]))
        return "\n".join(p.text for c in document.comments for p in c.paragraphs)

    assert "Ghi nhận nội bộ 4b2e" not in redline_text()
    answering.publish_answers(
        store, organizer, world.consultation_id, unit_id=None, now=consulting.utc_now()
    )
    assert "Ghi nhận nội bộ 4b2e" in redline_text()


def test_the_new_wording_of_a_clause_is_the_clause_in_the_next_version(store, world):
    clause = comment(store, world, "tn-lead", key=ARTICLE + "/khoan-1", text="Khoản 1")
    submit(store, world, "tn-lead")
    shown = feedback.unit_feedback(store, who(store, world, "tn-lead"), world.consultation_id)
    (item,) = shown.items
    assert item.comment.id == clause
    key, text = item.new_wording
    assert key == item.match.new_key + "/khoan-1"
    v2 = store.get_version(world.draft_id, 2)
    assert text == provision_text(store.get_node(v2.id, key))
