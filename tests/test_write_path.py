"""The comment write path costs the same however many comments are stored (issue 13, item 3):
the quota reads a counter kept with each new comment, and "has the unit submitted" is one index
probe.  Cost is measured deterministically, as the number of SQLite virtual-machine steps one
`consulting.add_comment` runs (sqlite3's progress handler), not as time."""

from __future__ import annotations

from pathlib import Path

import pytest

from drafter import consulting
from drafter.errors import Conflict
from drafter.storage import open_store

CLAUSE = "chuong-1/dieu-1/khoan-2"
MIGRATION = Path(__file__).resolve().parent.parent / "drafter/storage/migrations"


def _add(store, world, consultation, name="tn-lead", quota=None, n=0):
    return consulting.add_comment(
        store, store.get_user(world.users[name]), consultation, key=CLAUSE, kind="comment",
        text=f"Ý kiến số {n}", proposed_text=None, now=consulting.utc_now(), quota=quota,
    )  # fmt: skip


def test_the_quota_counter_follows_every_new_comment(backend_world):
    store = open_store(backend_world.db_path)
    try:
        consultation = store.get_consultation(backend_world.consultation_id)
        tn, qn = backend_world.units["thai-nguyen"], backend_world.units["quang-nam"]
        before = store.count_unit_comments(consultation.id, tn)
        first = _add(store, backend_world, consultation)
        _add(store, backend_world, consultation, n=1)
        _add(store, backend_world, consultation, name="qn-lead", n=2)
        consulting.withdraw_comment(
            store, store.get_user(backend_world.users["tn-lead"]), first, consulting.utc_now()
        )
        assert store.count_unit_comments(consultation.id, tn) == before + 2  # withdrawn counts
        assert store.count_unit_comments(consultation.id, qn) >= 1
        with pytest.raises(Conflict):
            _add(store, backend_world, consultation, quota=before + 2, n=3)
        assert store.count_unit_comments(consultation.id, tn) == before + 2  # refused: no trace
    finally:
        store.close()


def test_the_migration_fills_the_counter_from_the_stored_comments(world):
    store = open_store(world.db_path)
    consultation = store.get_consultation(world.consultation_id)
    for n in range(3):
        _add(store, world, consultation, n=n)
    expected = {
        unit: store.count_unit_comments(consultation.id, unit) for unit in world.units.values()
    }
    store.close()
    import sqlite3

    conn = sqlite3.connect(world.db_path)
    conn.execute("UPDATE consultation_unit SET comments_created = 0")
    fill = (MIGRATION / "0024_counter_and_list_order.sql").read_text().split(";")[1]
    conn.execute(fill)
    conn.commit()
    counted = dict(
        conn.execute(
            "SELECT unit_id, COUNT(*) FROM comment WHERE consultation_id = ? GROUP BY unit_id",
            (world.consultation_id,),
        ).fetchall()
    )
    conn.close()
    store = open_store(world.db_path)
    got = {unit: store.count_unit_comments(consultation.id, unit) for unit in world.units.values()}
    store.close()
    assert got == expected
    assert got == {unit: counted.get(unit, 0) for unit in world.units.values()}
    assert got[world.units["thai-nguyen"]] >= 3


def test_standing_submission_follows_submit_and_withdraw(world):
    store = open_store(world.db_path)
    consultation = store.get_consultation(world.consultation_id)
    lead = store.get_user(world.users["tn-lead"])
    tn = world.units["thai-nguyen"]
    assert not store.has_standing_submission(consultation.id, tn)
    _add(store, world, consultation)
    consulting.submit(store, lead, consultation, no_comments=False, now=consulting.utc_now())
    assert store.has_standing_submission(consultation.id, tn)
    with pytest.raises(Conflict):
        _add(store, world, consultation, n=1)
    consulting.withdraw_submission(store, lead, consultation, consulting.utc_now())
    assert not store.has_standing_submission(consultation.id, tn)
    _add(store, world, consultation, n=2)  # writable again
    store.close()


def _steps(store, action) -> int:
    """Return how many SQLite virtual-machine steps `action` runs on the store's connection."""
    counted = [0]

    def tick() -> int:
        counted[0] += 1
        return 0

    store.conn.set_progress_handler(tick, 1)
    try:
        action()
    finally:
        store.conn.set_progress_handler(None, 1)
    return counted[0]


def test_one_new_comment_costs_the_same_with_ten_or_a_thousand_of_the_unit_stored(world):
    store = open_store(world.db_path)
    consultation = store.get_consultation(world.consultation_id)
    quota = 10**6
    for n in range(10):
        _add(store, world, consultation, quota=quota, n=n)
    few = _steps(store, lambda: _add(store, world, consultation, quota=quota, n=10))
    with store.transaction():  # a thousand more of the unit's comments, quickly
        user = store.get_user(world.users["tn-lead"])
        node, article = consulting.target(store, consultation, CLAUSE)
        for n in range(1000):
            store.add_comment(
                consultation.id, user.unit_id, user.id, node_id=node.id,
                article_id=article.id, kind="comment", text=f"Ý kiến {n}", proposed_text=None,
                now=consulting.utc_now(),
            )  # fmt: skip
    many = _steps(store, lambda: _add(store, world, consultation, quota=quota, n=2000))
    store.close()
    # Before the counter, the quota and the unit's progress counted the unit's comments: about
    # 20 more steps per stored comment (measured: ~20,000 more with a thousand).  Now only the
    # indexes' depth grows.
    assert many < few * 1.25, (few, many)


def test_answering_one_comment_costs_the_same_with_ten_or_a_thousand_submitted(world):
    store = open_store(world.db_path)
    consultation = store.get_consultation(world.consultation_id)
    organizer = store.get_user(world.users["organizer"])
    lead = store.get_user(world.users["tn-lead"])
    first = [_add(store, world, consultation, n=n) for n in range(10)]
    consulting.submit(store, lead, consultation, no_comments=False, now=consulting.utc_now())

    def answer(comment_id):
        return lambda: consulting.answer(
            store, organizer, comment_id, status="noted", explanation="", now=consulting.utc_now()
        )

    few = _steps(store, answer(first[0]))
    consulting.withdraw_submission(store, lead, consultation, consulting.utc_now())
    with store.transaction():
        node, article = consulting.target(store, consultation, CLAUSE)
        for n in range(1000):
            store.add_comment(
                consultation.id, lead.unit_id, lead.id, node_id=node.id, article_id=article.id,
                kind="comment", text=f"Ý kiến {n}", proposed_text=None, now=consulting.utc_now(),
            )  # fmt: skip
    consulting.submit(store, lead, consultation, no_comments=False, now=consulting.utc_now())
    many = _steps(store, answer(first[1]))
    store.close()
    assert many < few * 1.25, (few, many)


def test_the_benches_bulk_insert_keeps_the_counters_add_comment_keeps(world):
    """bench/_common.bulk_comments inserts comments "the way Store.add_comment does": the
    live comments and the quota's count of created comments follow it too."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "bench_common", MIGRATION.parents[2] / "bench/_common.py"
    )
    assert spec is not None
    assert spec.loader is not None
    common = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(common)
    store = open_store(world.db_path)
    try:
        consultation = store.get_consultation(world.consultation_id)
        unit = world.units["thai-nguyen"]
        before = store.count_unit_comments(consultation.id, unit)
        node = store.get_node(consultation.version_id, CLAUSE)
        article = store.get_node(consultation.version_id, "chuong-1/dieu-1")
        now = consulting.utc_now()
        row = (consultation.id, unit, world.users["tn-lead"], node.id, article.id, "comment",
               "Ý kiến", None, now)  # fmt: skip
        common.bulk_comments(store, [row] * 3)
        assert store.count_unit_comments(consultation.id, unit) == before + 3
        counted = store.conn.execute(
            "SELECT COUNT(*) FROM comment WHERE consultation_id = ? AND unit_id = ?",
            (consultation.id, unit),
        ).fetchone()[0]
        assert store.count_unit_comments(consultation.id, unit) == counted
    finally:
        store.close()
