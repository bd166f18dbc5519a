"""What each unit's standing submission holds, stored (held_comment, held_count, the live
comments of consultation_unit and the items of submission; migration 0022) instead of derived
per request: the article page's counts, ids and offsets, the dashboard's figures, the
submitted comments and the units' progress must be exactly what the old derivations computed
from every comment (kept here, and only here, as the oracle), on both backends, after
submissions, resubmissions, withdrawals of comments and of whole submissions, and responses
entered by the organizer on a unit's behalf."""

from __future__ import annotations

import re
from dataclasses import astuple
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from drafter import accounts, consulting, responses
from drafter.importing import import_file
from drafter.organizing import on_behalf
from drafter.storage import open_store
from drafter.storage.sqlite.connection import MIGRATIONS

PASSWORD = "correct horse battery"
A2, A3 = "chuong-1/dieu-2", "chuong-1/dieu-3"
K1, K2, K3 = (f"{A3}/khoan-{n}" for n in (1, 2, 3))


def _sorted(rows):
    """Rows in a fixed order, NULLs (None) and all."""
    return sorted(rows, key=repr)


# -- the oracle: the derivations the store ran before migration 0022 ---------------------------
_ACTIVE = (
    "(SELECT MAX(s.id) FROM submission s WHERE s.consultation_id = c.consultation_id "
    "AND s.unit_id = c.unit_id)"
)
_HELD = (
    "(SELECT x.id FROM comment_revision x WHERE x.comment_id = c.id AND EXISTS ("
    "SELECT 1 FROM submission_item si WHERE si.revision_id = x.id "
    f"AND si.submission_id = {_ACTIVE}))"
)
_SHOWN = f"(SELECT withdrawn_at FROM submission WHERE id = {_ACTIVE}) IS NULL"
_ARTICLE = (
    "(SELECT n.id FROM node n JOIN consultation k ON k.version_id = n.version_id "
    "WHERE k.id = ? AND n.key = ?)"
)
_WHERE = f"c.consultation_id = ? AND c.article_id = {_ARTICLE} AND {_SHOWN} AND {_HELD} IS NOT NULL"


def old_provision_counts(store, cid, article):
    rows = store.conn.execute(
        "SELECT n.key, c.unit_id, r.kind, c.withdrawn_at IS NOT NULL AS withdrawn, COUNT(*) "
        f"FROM comment c JOIN node n ON n.id = c.node_id JOIN comment_revision r ON r.id = {_HELD} "
        f"WHERE {_WHERE} GROUP BY n.position, n.key, c.unit_id, r.kind, withdrawn",
        (cid, cid, article),
    ).fetchall()
    return _sorted((r[0], r[1], r[2], bool(r[3]), int(r[4])) for r in rows)


def old_page_ids(store, cid, article, node_key, limit, offset):
    provision = " AND n.key = ?" if node_key else ""
    rows = store.conn.execute(
        f"SELECT c.id FROM comment c JOIN node n ON n.id = c.node_id WHERE {_WHERE}{provision} "
        "ORDER BY n.position, c.id LIMIT ? OFFSET ?",
        [cid, cid, article, *([node_key] if node_key else []), limit, offset],
    ).fetchall()
    return [r[0] for r in rows]


def old_offset(store, cid, article, comment_id, node_key):
    everything = old_page_ids(store, cid, article, node_key, 10_000, 0)
    return everything.index(comment_id) if comment_id in everything else None


def old_kind_counts(store, cid):
    rows = store.conn.execute(
        "SELECT c.unit_id, a.key, r.kind, c.withdrawn_at IS NOT NULL AS withdrawn, "
        "COUNT(*) FROM submission s JOIN submission_item si ON si.submission_id = s.id "
        "JOIN comment_revision r ON r.id = si.revision_id JOIN comment c ON c.id = r.comment_id "
        "LEFT JOIN node a ON a.id = c.article_id WHERE s.id IN (SELECT MAX(id) FROM submission "
        "WHERE consultation_id = ? GROUP BY unit_id) AND s.withdrawn_at IS NULL "
        "GROUP BY c.unit_id, a.key, r.kind, withdrawn",
        (cid,),
    ).fetchall()
    return _sorted((r[0], r[1], r[2], bool(r[3]), int(r[4])) for r in rows)


def old_submitted(store, cid, unit_id=None, general=False, article=None):
    """(comment id, revision held), in document order, as list_comments(submitted_only=True)
    derived them."""
    where, args = [f"c.consultation_id = ? AND {_SHOWN} AND {_HELD} IS NOT NULL"], [cid]
    if unit_id is not None:
        where.append("c.unit_id = ?")
        args.append(unit_id)
    if article is not None:
        where.append(f"c.article_id = {_ARTICLE}")
        args += [cid, article]
    if general:
        where.append("c.node_id IS NULL")
    rows = store.conn.execute(
        f"SELECT c.id, {_HELD} FROM comment c LEFT JOIN node n ON n.id = c.node_id "
        f"WHERE {' AND '.join(where)} ORDER BY n.position IS NOT NULL, n.position, c.id",
        args,
    ).fetchall()
    return [(r[0], r[1]) for r in rows]


def old_unpublished(store, cid):
    rows = store.conn.execute(
        "SELECT c.unit_id, COUNT(*) FROM answer a JOIN comment c ON c.id = a.comment_id "
        "WHERE a.published_at IS NULL AND a.id IN (SELECT MAX(a.id) FROM answer a JOIN comment "
        "c ON c.id = a.comment_id WHERE c.consultation_id = ? GROUP BY a.comment_id) "
        "GROUP BY c.unit_id",
        (cid,),
    ).fetchall()
    return {r[0]: int(r[1]) for r in rows}


def old_progress(store, cid):
    """unit id -> (live comments, items of its latest submission or None)."""
    live = dict(
        store.conn.execute(
            "SELECT unit_id, COUNT(*) FROM comment WHERE consultation_id = ? "
            "AND withdrawn_at IS NULL GROUP BY unit_id",
            (cid,),
        ).fetchall()
    )
    items = dict(
        store.conn.execute(
            "SELECT s.unit_id, (SELECT COUNT(*) FROM submission_item WHERE submission_id = s.id) "
            "FROM submission s WHERE s.id IN (SELECT MAX(id) FROM submission "
            "WHERE consultation_id = ? GROUP BY unit_id)",
            (cid,),
        ).fetchall()
    )
    units = [r[0] for r in store.conn.execute(
        "SELECT unit_id FROM consultation_unit WHERE consultation_id = ?", (cid,)
    ).fetchall()]  # fmt: skip
    return {u: (int(live.get(u, 0)), None if u not in items else int(items[u])) for u in units}


# -- the world ----------------------------------------------------------------------------------
class World:
    def __init__(self, store, sample_v1: Path) -> None:
        self.store = store
        version = import_file(store, sample_v1).version
        self.organizer = store.get_user(
            accounts.create_organizer(store, "org", "Ban Tổ chức", PASSWORD)
        )
        self.leads, unit_ids = [], []
        for i in range(7):
            unit_id = accounts.create_unit(store, f"u{i}", f"Đơn vị {i}", "province")
            user_id, _ = accounts.create_delegate(
                store, unit_id, f"u{i}-1", f"Lead {i}", is_lead=True, password=PASSWORD
            )
            self.leads.append(store.get_user(user_id))
            unit_ids.append(unit_id)
        now = datetime.now(UTC).replace(microsecond=0)
        with store.transaction():
            cid = store.create_consultation(
                version.id, "Lấy ý kiến", opens_at=(now - timedelta(days=1)).isoformat(),
                deadline=(now + timedelta(days=30)).isoformat(), unit_ids=unit_ids,
                now=now.isoformat(),
            )  # fmt: skip
        self.consultation = store.get_consultation(cid)
        self.units = unit_ids

    def add(self, lead: int, key: str | None, kind: str = "comment", n: int = 1) -> list[int]:
        return [
            consulting.add_comment(
                self.store,
                self.leads[lead],
                self.consultation,
                key=key,
                kind=kind,
                text=f"Ý kiến {i} về {key}",
                proposed_text="Lời mới." if kind == "new_wording" else None,
                now=consulting.utc_now(),
            )  # fmt: skip
            for i in range(n)
        ]

    def submit(self, lead: int) -> None:
        consulting.submit(
            self.store, self.leads[lead], self.consultation, no_comments=False,
            now=consulting.utc_now(),
        )  # fmt: skip

    def withdraw(self, lead: int) -> None:
        consulting.withdraw_submission(
            self.store, self.leads[lead], self.consultation, consulting.utc_now()
        )


def build(store, sample_v1) -> World:
    """u0 sends comments on every provision of Article 3 and on the draft; u1 sends, withdraws,
    edits one comment, withdraws another, adds one and sends again; u2 sends then withdraws;
    u3 never sends; u4's response is entered and sent by the organizer; u5 sends "no
    comments"; u6 sends, then a held comment of it is withdrawn at the store (the use cases
    refuse it, the store's queries must still count it as withdrawn)."""
    w = World(store, sample_v1)
    w.add(0, K2, n=12)
    w.add(0, A3, "agree")
    w.add(0, K1, "new_wording", n=3)
    w.add(0, K3, "question", n=4)
    w.add(0, None, "question", n=2)
    w.add(0, A2, "delete")
    w.submit(0)
    u1 = w.add(1, K1, n=5) + w.add(1, A3, "comment", n=3) + w.add(1, None, "comment")
    w.submit(1)
    w.withdraw(1)
    consulting.edit_comment(
        store, w.leads[1], u1[0], kind="question", text="Hỏi lại.", proposed_text=None,
        now=consulting.utc_now(),
    )  # fmt: skip
    consulting.withdraw_comment(store, w.leads[1], u1[1], consulting.utc_now())
    w.add(1, K2, "delete")
    w.submit(1)
    w.add(2, K1, n=4)
    w.add(2, None)
    w.submit(2)
    w.withdraw(2)
    w.add(3, K2, n=3)
    for key, kind in ((K1, "comment"), (K2, "new_wording"), (A3, "agree"), (None, "question")):
        on_behalf.add_comment_for_unit(
            store, w.organizer, w.consultation.id, w.units[4], key=key, kind=kind,
            text="Công văn.", proposed_text="Lời mới." if kind == "new_wording" else None,
            now=consulting.utc_now(),
        )  # fmt: skip
    on_behalf.submit_for_unit(
        store, w.organizer, w.consultation.id, w.units[4], no_comments=False, letter=None,
        now=consulting.utc_now(),
    )  # fmt: skip
    consulting.submit(store, w.leads[5], w.consultation, no_comments=True, now=consulting.utc_now())
    u6 = w.add(6, K3, n=3) + w.add(6, A3, "agree")
    w.submit(6)
    with store.transaction():
        store.withdraw_comment(u6[0], now=consulting.utc_now())
        store.withdraw_comment(u6[3], now=consulting.utc_now())
    answer(w, u1[2:6] + u6[1:3])
    return w


def answer(w: World, comment_ids: list[int], publish: int | None = None) -> None:
    """Answer the comments (twice the first: still one unpublished), then publish the
    answers to the unit of lead `publish`, when given."""
    with w.store.transaction():
        for comment_id in comment_ids + comment_ids[:1]:
            w.store.add_answer(
                comment_id, w.organizer.id, status="noted", explanation="Đã ghi nhận.",
                now=consulting.utc_now(),
            )  # fmt: skip
        if publish is not None:
            w.store.publish_answers(
                w.consultation.id, w.organizer.id, unit_id=w.units[publish],
                now=consulting.utc_now(),
            )  # fmt: skip


def _in_document_order(store, cid: int, article: str, keys: list[str]) -> list[str]:
    walked = [n.key for n in store.get_node(store.get_consultation(cid).version_id, article).walk()]
    return sorted(keys, key=walked.index)


def assert_as_derived(store, cid: int) -> None:
    """Every query that reads the stored rows gives what the old derivation gives."""
    unit_of = {c.id: c.unit_id for c in store.list_comments(cid, submitted_only=True)}
    assert _sorted(
        (f.unit_id, f.article_key, f.kind, f.withdrawn, f.count) for f in store.kind_counts(cid)
    ) == old_kind_counts(store, cid)
    for article in (A2, A3, "chuong-1/dieu-1", "no-such-article"):
        granular = old_provision_counts(store, cid, article)
        for leave_out in (None, *sorted({row[1] for row in granular})):
            tallies: dict[str, int] = {}
            for key, unit_id, _kind, _withdrawn, count in granular:
                if unit_id != leave_out:
                    tallies[key] = tallies.get(key, 0) + count
            found = store.provision_tallies(cid, article, leave_out=leave_out)
            assert sorted(found) == sorted(tallies.items())
            assert not tallies or [key for key, _n in found] == _in_document_order(
                store, cid, article, [*tallies]
            )
        assert sorted(map(astuple, store.article_kind_counts(cid, article))) == sorted(
            astuple(k) for k in store.kind_counts(cid) if k.article_key == article
        )
        for node_key in (None, article, K1, K2, K3, "no-such-provision"):
            everything = old_page_ids(store, cid, article, node_key, 10_000, 0)
            for limit, offset in ((50, 0), (7, 0), (7, 7), (7, 14), (5, 23), (50, 1000)):
                page = store.article_comment_page(
                    cid, article, node_key=node_key, limit=limit, offset=offset
                )
                assert [c.id for c in page] == everything[offset : offset + limit]
                assert [c.id for c in page] == old_page_ids(
                    store, cid, article, node_key, limit, offset
                )
            for unit_id in sorted({unit_of[i] for i in everything}):
                # a delegate's shared listing: the same order without its own unit's
                others = [i for i in everything if unit_of[i] != unit_id]
                for limit, offset in ((50, 0), (7, 0), (7, 7), (5, 23)):
                    page = store.article_comment_page(
                        cid, article, node_key=node_key, limit=limit, offset=offset,
                        leave_out=unit_id,
                    )  # fmt: skip
                    assert [c.id for c in page] == others[offset : offset + limit]
            for comment_id in everything[::3] + [10_000]:
                assert store.article_comment_offset(
                    cid, article, comment_id, node_key=node_key
                ) == old_offset(store, cid, article, comment_id, node_key)
    flagged: dict[str, int] = {}
    for _unit, key in responses.counted_contradictions(store.kind_counts(cid)):
        flagged[key] = flagged.get(key, 0) + 1
    assert responses.contradicting_units(store, cid) == flagged
    by_article: dict[str, dict[str, int]] = {}
    for f in store.kind_counts(cid):
        bucket = by_article.setdefault(f.article_key or "", {})
        bucket[f.kind] = bucket.get(f.kind, 0) + f.count
    assert store.article_counts(cid, submitted_only=True) == by_article
    submitted = old_submitted(store, cid)
    assert [(c.id, c.revision_id) for c in store.list_comments(cid, submitted_only=True)] == (
        submitted
    )
    assert [
        (c.id, c.revision_id) for c in store.list_comments(cid, submitted_only=True, general=True)
    ] == old_submitted(store, cid, general=True)
    general = old_submitted(store, cid, general=True)
    for limit, offset in ((50, 0), (2, 0), (2, 2), (3, 3), (50, 100)):
        page = store.general_comment_page(cid, limit=limit, offset=offset)
        assert [(c.id, c.revision_id) for c in page] == general[offset : offset + limit]
    assert [
        (c.id, c.revision_id) for c in store.list_comments(cid, submitted_only=True, article_key=A3)
    ] == old_submitted(store, cid, article=A3)
    old = old_progress(store, cid)
    for unit_id in old:
        assert [
            (c.id, c.revision_id)
            for c in store.list_comments(cid, submitted_only=True, unit_id=unit_id)
        ] == old_submitted(store, cid, unit_id=unit_id)
    assert {
        p.unit.id: (p.live_comments, None if p.latest is None else p.latest.items)
        for p in store.unit_progress(cid)
    } == old
    assert store.unpublished_answers(cid) == old_unpublished(store, cid)
    # the groups of similar comments: their kept sizes, and the group of each comment
    version_id = store.get_consultation(cid).version_id
    for article in (A2, A3):
        node_ids = [n.id for n in store.get_node(version_id, article).walk()]
        groups = store.comment_groups(cid, node_ids=node_ids)
        assert store.group_sizes(cid, node_ids) == [
            (g.id, len(g.members)) for g in groups if len(g.members) >= 2
        ]
        assert store.group_sizes(cid, node_ids, least=1) == [
            (g.id, len(g.members)) for g in groups if g.members
        ]
    everyone = [c.id for c in store.list_comments(cid, include_withdrawn=True)]
    assert store.groups_of(everyone) == {
        m.comment_id: g.id for g in store.comment_groups(cid) for m in g.members
    }


def test_the_stored_figures_are_the_derived_ones(backend_store, sample_v1):
    store = backend_store
    w = build(store, sample_v1)
    cid = w.consultation.id
    assert_as_derived(store, cid)
    assert any(size >= 3 for _g, size in store.group_sizes(cid, [None, *_node_ids(store, cid)]))
    # the world is the one described: every case is there
    counts = old_kind_counts(store, cid)
    assert {u for u, *_ in counts} == {w.units[i] for i in (0, 1, 4, 6)}
    assert any(withdrawn for *_, withdrawn, _n in counts)
    assert any(key is None for _u, key, *_ in counts)
    assert sum(n for *_, n in counts) == 23 + 9 + 4 + 4
    assert old_unpublished(store, cid) == {w.units[1]: 4, w.units[6]: 2}
    answer(w, [c.id for c in store.list_comments(cid, unit_id=w.units[6])], publish=6)
    answer(w, [c.id for c in store.list_comments(cid, unit_id=w.units[0])][:3])
    assert old_unpublished(store, cid) == {w.units[1]: 4, w.units[0]: 3}
    assert_as_derived(store, cid)
    answer(w, [c.id for c in store.list_comments(cid, unit_id=w.units[6])][:1])
    with store.transaction():
        store.publish_answers(cid, w.organizer.id, now=consulting.utc_now())
    answer(w, [c.id for c in store.list_comments(cid, unit_id=w.units[1])][:2])
    assert old_unpublished(store, cid) == {w.units[1]: 2}
    assert_as_derived(store, cid)
    # and it keeps so as units send again, withdraw, and send once more
    w.withdraw(0)
    assert_as_derived(store, cid)
    w.add(0, K3, "delete", n=2)
    w.submit(0)
    w.withdraw(6)
    w.add(2, K2, n=2)
    w.submit(2)
    assert_as_derived(store, cid)
    assert {u for u, *_ in old_kind_counts(store, cid)} == {w.units[i] for i in (0, 1, 2, 4)}
    # an organizer moves a comment from a group of three or more into another group
    groups = [g for g in store.comment_groups(cid) if len(g.members) >= 3]
    with store.transaction():
        store.put_in_group(
            groups[0].members[0].comment_id, groups[-1].id if len(groups) > 1 else
            store.add_comment_group(cid, groups[0].node_id, now=consulting.utc_now()),
            pinned=True, copied=False, now=consulting.utc_now(),
        )  # fmt: skip
        store.drop_empty_groups(cid)
    assert_as_derived(store, cid)


def _node_ids(store, cid):
    version_id = store.get_consultation(cid).version_id
    return [n.id for n in store.get_node(version_id, A3).walk()] + [
        n.id for n in store.get_node(version_id, A2).walk()
    ]


def _fill_statements() -> list[str]:
    """The statements of migration 0022 that fill the tables from what is stored."""
    text = (MIGRATIONS / "0022_held_comments.sql").read_text(encoding="utf-8")
    fill = text[text.index("-- Filled from what is stored") :]
    fill = re.sub(r"--[^\n]*", "", fill)
    return [s.strip() for s in fill.split(";") if s.strip()]


def _stored(store):
    return (
        _sorted(tuple(r) for r in store.conn.execute("SELECT * FROM held_comment").fetchall()),
        _sorted(tuple(r) for r in store.conn.execute("SELECT * FROM held_count").fetchall()),
        _sorted(tuple(r) for r in store.conn.execute("SELECT * FROM held_article_count")),
        _sorted(
            tuple(r)
            for r in store.conn.execute(
                "SELECT consultation_id, unit_id, live_comments, unpublished_answers "
                "FROM consultation_unit"
            ).fetchall()
        ),
        _sorted(tuple(r) for r in store.conn.execute("SELECT id, items FROM submission")),
        _sorted(tuple(r) for r in store.conn.execute("SELECT id, members FROM comment_group")),
    )


def test_the_migration_fills_what_the_writes_keep(backend_store, sample_v1):
    """Emptied, then filled again by migration 0022's statements from the comments and
    submissions: the same rows as the writes kept, one by one."""
    store = backend_store
    build(store, sample_v1)
    kept = _stored(store)
    assert kept[0]
    assert kept[1]
    with store.transaction():
        store.conn.execute("DELETE FROM held_article_count")
        store.conn.execute("DELETE FROM held_count")
        store.conn.execute("DELETE FROM held_comment")
        store.conn.execute(
            "UPDATE consultation_unit SET live_comments = 0, unpublished_answers = 0"
        )
        store.conn.execute("UPDATE submission SET items = 0")
        store.conn.execute("UPDATE comment_group SET members = 0")
        for statement in _fill_statements():
            store.conn.execute(statement)
    assert _stored(store) == kept


@pytest.mark.parametrize("count", [4, 40])
def test_the_first_page_reads_an_index_range(store, sample_v1, count):
    """The first page's ids come from the page index in document order (no sort, no
    correlated subquery per comment): the plan is one index search."""
    w = World(store, sample_v1)
    w.add(0, K2, n=count)
    w.submit(0)
    sql = []
    store.conn.set_trace_callback(sql.append)
    store.article_comment_page(w.consultation.id, A3, limit=50)
    store.conn.set_trace_callback(None)
    ids = next(s for s in sql if s.startswith("SELECT h.comment_id"))
    plan = " | ".join(r[3] for r in store.conn.execute(f"EXPLAIN QUERY PLAN {ids}"))
    assert "USING COVERING INDEX held_comment_page" in plan
    assert "TEMP B-TREE" not in plan
    assert "SUBQUERY" not in plan


def test_the_dashboard_lists_the_general_comments_a_page_at_a_time(world, app):
    """55 submitted comments on the draft as a whole: the dashboard shows the first 50 and a
    link to the other 5, not all of them."""
    from .consultation_fixture import login

    store = open_store(world.db_path)
    consultation = store.get_consultation(world.consultation_id)
    lead = store.get_user(world.users["tn-lead"])
    before = len(store.list_comments(consultation.id, general=True, unit_id=lead.unit_id))
    ids = [
        consulting.add_comment(
            store,
            lead,
            consultation,
            key=None,
            kind="comment",
            text=f"Chung {i}",
            proposed_text=None,
            now=consulting.utc_now(),
        )  # fmt: skip
        for i in range(55 - before)
    ]
    consulting.submit(store, lead, consultation, no_comments=False, now=consulting.utc_now())
    shown = [c.id for c in store.list_comments(consultation.id, general=True, submitted_only=True)]
    assert len(shown) >= 55
    assert set(ids) <= set(shown)
    store.close()
    organizer = login(app, "organizer")
    base = f"/admin/c/{world.consultation_id}"

    def cards(url: str) -> list[int]:
        page = organizer.get(url).get_data(as_text=True)
        section = page[page.index('id="general-heading"') :]
        return [int(n) for n in re.findall(r'id="comment-(\d+)"', section)]

    first = organizer.get(base).get_data(as_text=True)
    assert cards(base) == shown[:50]
    assert "Trang 1/2" in first
    assert f'href="{base}?general=2#general-heading"' in first
    assert cards(f"{base}?general=2") == shown[50:]
    assert cards(f"{base}?general=9") == shown[50:]  # past the last page: the last
    assert cards(f"{base}?general=x") == shown[:50]
