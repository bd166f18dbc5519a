"""Similar comments grouped when units submit, stored, kept through an organizer's split and
move when new comments arrive, marked as copied wording, and answered at once."""

from __future__ import annotations

import pytest

from drafter import consulting, grouping
from drafter.errors import Forbidden, InvalidInput
from drafter.storage import open_store

NOW = "2030-01-01T00:00:00+00:00"
SAME = [
    "Đề nghị bổ sung trách nhiệm của ủy viên đảng đoàn trong việc thực hiện nghị quyết.",
    "Dự thảo chưa quy định rõ trách nhiệm của từng ủy viên đảng đoàn; đề nghị bổ sung.",
]
OTHER = "Đề nghị quy định việc quản lý, lưu trữ hồ sơ, tài liệu của đảng đoàn."


@pytest.fixture
def env(backend_world):
    world = backend_world
    store = open_store(world.db_path)
    consultation = store.get_consultation(world.consultation_id)
    with store.transaction():
        store.invite_unit(world.consultation_id, world.units["lao-cai"], now=NOW)
    article = next(iter(store.iter_articles(consultation.version_id)))
    yield store, world, consultation, article
    store.close()


def _comment(store, world, consultation, username, key, text, kind="comment"):
    user = store.get_user(world.users[username])
    return consulting.add_comment(
        store, user, consultation, key=key, kind=kind, text=text, proposed_text=None,
        now=consulting.utc_now(),
    )  # fmt: skip


def _submit(store, world, consultation, username):
    user = store.get_user(world.users[username])
    consulting.submit(store, user, consultation, no_comments=False, now=consulting.utc_now())


def _groups(store, world, article):
    organizer = store.get_user(world.users["organizer"])
    shown = grouping.article_groups(store, organizer, world.consultation_id, article.key)
    return [sorted(c.id for c in g.comments) for g in shown.groups], shown


def test_submitting_groups_similar_comments_and_keeps_manual_moves(env):
    store, world, consultation, article = env
    organizer = store.get_user(world.users["organizer"])
    a = _comment(store, world, consultation, "tn-lead", article.key, SAME[0])
    b = _comment(store, world, consultation, "tn-lead", article.key, OTHER)
    assert store.comment_groups(world.consultation_id) == []  # drafts are not grouped
    _submit(store, world, consultation, "tn-lead")
    c = _comment(store, world, consultation, "qn-lead", article.key, SAME[1])
    _submit(store, world, consultation, "qn-lead")
    groups, shown = _groups(store, world, article)
    assert groups == [[a, c], [b]]
    assert shown.groups[0].units == ["Tỉnh ủy Thái Nguyên", "Tỉnh ủy Quảng Nam"]
    assert shown.ungrouped == []

    # The organizer moves c out on its own, then a new similar comment arrives.
    moved = grouping.move_comment(store, organizer, world.consultation_id, c, None, now=NOW)
    d = _comment(store, world, consultation, "lc-lead", article.key, SAME[0] + " Cần làm rõ.")
    _submit(store, world, consultation, "lc-lead")
    groups, shown = _groups(store, world, article)
    assert [a, d] in groups
    assert [c] in groups
    assert [b] in groups
    assert next(g for g in shown.groups if g.id == moved).pinned == {c}
    actions = [e.action for e in store.list_audit(limit=50)]
    assert "group.move" in actions


def test_split_pins_and_copied_wording_is_marked(env):
    store, world, consultation, article = env
    organizer = store.get_user(world.users["organizer"])
    a = _comment(store, world, consultation, "tn-lead", article.key, SAME[0])
    _submit(store, world, consultation, "tn-lead")
    b = _comment(store, world, consultation, "qn-lead", article.key, SAME[0].upper())
    c = _comment(store, world, consultation, "qn-lead", article.key, SAME[1])
    _submit(store, world, consultation, "qn-lead")
    groups, shown = _groups(store, world, article)
    assert groups == [[a, b, c]]
    assert shown.groups[0].copied == {a, b}
    with pytest.raises(InvalidInput):
        grouping.split_group(
            store, organizer, world.consultation_id, shown.groups[0].id, [a, b, c], now=NOW
        )
    new = grouping.split_group(
        store, organizer, world.consultation_id, shown.groups[0].id, [c], now=NOW
    )
    groups, shown = _groups(store, world, article)
    assert groups == [[a, b], [c]]
    assert next(g for g in shown.groups if g.id == new).pinned == {c}
    # Taking back and resubmitting the unit's response re-places b, never the pinned c.
    user = store.get_user(world.users["qn-lead"])
    consulting.withdraw_submission(store, user, consultation, consulting.utc_now())
    _submit(store, world, consultation, "qn-lead")
    assert _groups(store, world, article)[0] == [[a, b], [c]]


def test_agree_comments_group_together(env):
    store, world, consultation, article = env
    a = _comment(store, world, consultation, "tn-lead", article.key, "Nhất trí như dự thảo.")
    _submit(store, world, consultation, "tn-lead")
    b = _comment(store, world, consultation, "qn-lead", article.key, "", kind="agree")
    c = _comment(store, world, consultation, "qn-lead", article.key, OTHER)
    _submit(store, world, consultation, "qn-lead")
    assert _groups(store, world, article)[0] == [[a, b], [c]]


def test_answering_a_group_answers_each_comment(env):
    store, world, consultation, article = env
    organizer = store.get_user(world.users["organizer"])
    a = _comment(store, world, consultation, "tn-lead", article.key, SAME[0])
    _submit(store, world, consultation, "tn-lead")
    b = _comment(store, world, consultation, "qn-lead", article.key, SAME[1])
    _submit(store, world, consultation, "qn-lead")
    group = _groups(store, world, article)[1].groups[0]
    delegate = store.get_user(world.users["tn-lead"])
    with pytest.raises(Forbidden):
        grouping.answer_group(
            store,
            delegate,
            world.consultation_id,
            group.id,
            status="accepted",
            explanation="",
            now=NOW,
        )
    with pytest.raises(InvalidInput):  # "not accepted" needs an explanation: nothing answered
        grouping.answer_group(
            store,
            organizer,
            world.consultation_id,
            group.id,
            status="rejected",
            explanation=" ",
            now=NOW,
        )
    assert store.get_comment(a).answer is None
    grouping.answer_group(
        store,
        organizer,
        world.consultation_id,
        group.id,
        status="accepted",
        explanation="Tiếp thu.",
        now=NOW,
    )
    for comment_id in (a, b):
        answer = store.get_comment(comment_id).answer
        assert answer is not None
        assert answer.status == "accepted"
        assert answer.explanation == "Tiếp thu."


def test_summary_table_has_one_row_per_group_of_units(env):
    from drafter import summary
    from drafter.docx.reader import read_docx

    store, world, consultation, article = env
    organizer = store.get_user(world.users["organizer"])
    a = _comment(store, world, consultation, "tn-lead", article.key, SAME[0])
    _submit(store, world, consultation, "tn-lead")
    b = _comment(store, world, consultation, "qn-lead", article.key, SAME[1])
    _comment(store, world, consultation, "qn-lead", article.key, OTHER)
    _submit(store, world, consultation, "qn-lead")
    grouping.answer_group(
        store, organizer, world.consultation_id, _groups(store, world, article)[1].groups[0].id,
        status="accepted", explanation="Tiếp thu.", now=NOW,
    )  # fmt: skip
    table = summary.build(store, world.consultation_id)
    rows = [row for group in table.groups for row in group.rows]
    assert len(rows) == 2
    grouped = next(r for r in rows if "2 đơn vị" in r[2])
    assert grouped[2] == "2 đơn vị: Tỉnh ủy Thái Nguyên, Tỉnh ủy Quảng Nam"
    assert SAME[0] in grouped[3]
    assert grouped[5] == "Tiếp thu: Tiếp thu."
    assert table.totals["comments"] == 3
    csv_text = summary.to_csv(table).decode("utf-8-sig")
    assert "2 đơn vị: Tỉnh ủy Thái Nguyên, Tỉnh ủy Quảng Nam" in csv_text
    assert SAME[1] not in csv_text  # the group's row shows its representative text
    blocks = " ".join(str(b) for b in read_docx(summary.to_docx(table)))
    assert "2 đơn vị: Tỉnh ủy Thái Nguyên, Tỉnh ủy Quảng Nam" in blocks
    assert a < b


def test_comments_submitted_before_grouping_are_placed_on_demand(env):
    store, world, consultation, article = env
    organizer = store.get_user(world.users["organizer"])
    a = _comment(store, world, consultation, "tn-lead", article.key, SAME[0])
    general = _comment(store, world, consultation, "tn-lead", None, OTHER)
    _submit(store, world, consultation, "tn-lead")
    b = _comment(store, world, consultation, "qn-lead", article.key, SAME[1])
    _submit(store, world, consultation, "qn-lead")
    with store.transaction():  # as in a database migrated with comments already submitted
        store.conn.execute("DELETE FROM comment_group")
    groups, shown = _groups(store, world, article)
    assert groups == []
    assert [c.id for c in shown.ungrouped] == [a, b]
    delegate = store.get_user(world.users["tn-lead"])
    with pytest.raises(Forbidden):
        grouping.place_ungrouped(store, delegate, world.consultation_id, now=NOW)
    assert grouping.place_ungrouped(store, organizer, world.consultation_id, now=NOW) == 3
    assert _groups(store, world, article)[0] == [[a, b]]
    placed = store.comment_groups(world.consultation_id)  # the general part's too
    assert sorted(m.comment_id for g in placed for m in g.members) == sorted([a, b, general])
    assert [g.node_id for g in placed if g.members[0].comment_id == general] == [None]
    assert store.list_audit(limit=1)[0].action == "group.place"
    assert store.list_audit(limit=1)[0].details == "3 comments"
    assert grouping.place_ungrouped(store, organizer, world.consultation_id, now=NOW) == 0


def test_general_comments_group_and_groups_are_read_by_provision(env):
    store, world, consultation, article = env
    a = _comment(store, world, consultation, "tn-lead", None, SAME[0])
    b = _comment(store, world, consultation, "tn-lead", article.key, SAME[0])
    _submit(store, world, consultation, "tn-lead")
    c = _comment(store, world, consultation, "qn-lead", None, SAME[1])
    _submit(store, world, consultation, "qn-lead")
    general = store.comment_groups(world.consultation_id, node_ids=[None])
    assert [[m.comment_id for m in g.members] for g in general] == [[a, c]]
    node = store.get_comment(b).node_id
    on_article = store.comment_groups(world.consultation_id, node_ids=[node])
    assert [[m.comment_id for m in g.members] for g in on_article] == [[b]]
    assert len(store.comment_groups(world.consultation_id, node_ids=[node, None])) == 2
    assert store.comment_groups(world.consultation_id, node_ids=[]) == []
    assert store.get_comment_group(general[0].id) == general[0]


def test_a_comment_moved_to_another_provisions_group_stays_there(env):
    store, world, consultation, article = env
    organizer = store.get_user(world.users["organizer"])
    clause = next(n for n in article.walk() if n.kind == "clause")
    a = _comment(store, world, consultation, "tn-lead", article.key, SAME[0])
    _submit(store, world, consultation, "tn-lead")
    b = _comment(store, world, consultation, "qn-lead", clause.key, OTHER)
    _submit(store, world, consultation, "qn-lead")
    target = next(g.id for g in store.comment_groups(world.consultation_id)
                  if g.members[0].comment_id == a)  # fmt: skip
    grouping.move_comment(store, organizer, world.consultation_id, b, target, now=NOW)
    # Quảng Nam takes its response back and submits it again: b stays where it was put.
    user = store.get_user(world.users["qn-lead"])
    consulting.withdraw_submission(store, user, consultation, consulting.utc_now())
    _submit(store, world, consultation, "qn-lead")
    assert _groups(store, world, article)[0] == [[a, b]]


def test_submitted_wordings_are_the_submitted_comments_as_grouping_reads_them(env):
    """The grouping's light read gives, for each article and the general part, the submitted
    comments list_comments gives (at their held revisions), and no draft."""
    store, world, consultation, article = env
    clause = next(n for n in article.walk() if n.kind == "clause")
    a = _comment(store, world, consultation, "tn-lead", article.key, SAME[0])
    user = store.get_user(world.users["tn-lead"])
    proposal = consulting.add_comment(
        store, user, consultation, key=clause.key, kind="new_wording", text="",
        proposed_text="Đảng đoàn họp thường kỳ mỗi quý một lần.", now=consulting.utc_now(),
    )  # fmt: skip
    general = _comment(store, world, consultation, "tn-lead", None, OTHER)
    _submit(store, world, consultation, "tn-lead")
    draft = _comment(store, world, consultation, "qn-lead", article.key, SAME[1])
    cid = world.consultation_id

    def seen(key):
        return sorted(
            (c.id, c.unit_id, c.node_id, c.article_key, c.kind, c.text, c.proposed_text)
            for c in store.list_comments(
                cid, article_key=key, general=key is None, submitted_only=True
            )
        )

    def read(keys):
        return [
            (w.id, w.unit_id, w.node_id, w.article_key, w.kind, w.text, w.proposed_text)
            for w in store.submitted_wordings(cid, keys)
        ]

    assert [w[0] for w in read([article.key])] == sorted([a, proposal])
    assert read([article.key]) == seen(article.key)
    assert (
        read([None])
        == seen(None)
        == [(general, world.units["thai-nguyen"], None, None, "comment", OTHER, None)]
    )
    assert read([article.key, None]) == sorted(seen(article.key) + seen(None))
    assert draft not in {w[0] for w in read([article.key, None])}
    assert read([]) == []
    assert read(["no-such-article"]) == []


def test_a_comment_is_never_moved_to_another_articles_group(env):
    """A submission reads only the groups of its articles (a pinned comment's group among
    them): that holds because a comment moves only within its article."""
    store, world, consultation, article = env
    organizer = store.get_user(world.users["organizer"])
    second = list(store.iter_articles(consultation.version_id))[1]
    a = _comment(store, world, consultation, "tn-lead", article.key, SAME[0])
    b = _comment(store, world, consultation, "tn-lead", second.key, OTHER)
    _submit(store, world, consultation, "tn-lead")
    before = store.comment_groups(world.consultation_id)
    target = next(g.id for g in before if g.members[0].comment_id == b)
    with pytest.raises(InvalidInput):
        grouping.move_comment(store, organizer, world.consultation_id, a, target, now=NOW)
    assert store.comment_groups(world.consultation_id) == before
