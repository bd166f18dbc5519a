"""The dashboard's figures counted by the database: they must be those counted from the
comments themselves, in a number of statements that does not grow with the units."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from drafter import accounts, consulting, organizing, responses
from drafter.storage import open_store

PASSWORD = "correct horse battery"
A2, A3 = "chuong-1/dieu-2", "chuong-1/dieu-3"


def _world(store, sample_v1, units: int):
    """A consultation with `units` units, each with one lead; return (consultation, organizer,
    leads by unit code)."""
    from drafter.importing import import_file

    version = import_file(store, sample_v1).version
    organizer = store.get_user(accounts.create_organizer(store, "org", "Ban Tổ chức", PASSWORD))
    leads, unit_ids = {}, []
    for i in range(units):
        unit_id = accounts.create_unit(store, f"u{i:02}", f"Đơn vị {i:02}", "province")
        user_id, _ = accounts.create_delegate(
            store, unit_id, f"u{i:02}-1", f"Lead {i}", is_lead=True, password=PASSWORD
        )
        leads[f"u{i:02}"] = store.get_user(user_id)
        unit_ids.append(unit_id)
    now = datetime.now(UTC).replace(microsecond=0)
    with store.transaction():
        consultation_id = store.create_consultation(
            version.id,
            "Lấy ý kiến",
            opens_at=(now - timedelta(days=1)).isoformat(),
            deadline=(now + timedelta(days=30)).isoformat(),
            unit_ids=unit_ids,
            now=now.isoformat(),
        )
    return store.get_consultation(consultation_id), organizer, leads


def _add(store, user, consultation, key, kind, text="", proposed=None):
    return consulting.add_comment(
        store, user, consultation, key=key, kind=kind, text=text, proposed_text=proposed,
        now=consulting.utc_now(),
    )  # fmt: skip


def _submit(store, user, consultation):
    consulting.submit(store, user, consultation, no_comments=False, now=consulting.utc_now())


@pytest.fixture
def world(tmp_path, sample_v1):
    """Five units: u00 agrees with Article 2 and comments on it (a contradiction), then
    withdraws its response, changes a comment and sends again; u01 sends then withdraws; u02
    never sends; u03 sends "no comments"; u04 sends a proposal and a general question."""
    store = open_store(tmp_path / "figures.sqlite")
    consultation, organizer, leads = _world(store, sample_v1, 5)
    u0, u1, u2, u3, u4 = leads.values()
    _add(store, u0, consultation, A2, "agree")
    changed = _add(store, u0, consultation, A2, "comment", "Chưa rõ.")
    _add(store, u0, consultation, f"{A3}/khoan-2", "new_wording", "Sửa.", "2. Mới.")
    _add(store, u0, consultation, None, "question", "Khi nào?")
    _submit(store, u0, consultation)
    consulting.withdraw_submission(store, u0, consultation, consulting.utc_now())
    consulting.edit_comment(
        store, u0, changed, kind="question", text="Hỏi thôi.", proposed_text=None,
        now=consulting.utc_now(),
    )  # fmt: skip
    _add(store, u0, consultation, A3, "agree")
    _add(store, u0, consultation, A3, "delete", "Bỏ.")
    _submit(store, u0, consultation)
    _add(store, u1, consultation, A2, "comment", "Gửi rồi rút.")
    _submit(store, u1, consultation)
    consulting.withdraw_submission(store, u1, consultation, consulting.utc_now())
    _add(store, u2, consultation, A2, "agree")
    _add(store, u2, consultation, A2, "new_wording", "Chưa gửi.", "Điều 2. Mới.")
    consulting.submit(store, u3, consultation, no_comments=True, now=consulting.utc_now())
    _add(store, u4, consultation, A2, "agree")
    _add(store, u4, consultation, f"{A3}/khoan-1", "add_after", "Thêm.", "1a. Khoản mới.")
    _add(store, u4, consultation, None, "comment", "Chung.")
    _submit(store, u4, consultation)
    yield store, consultation, organizer, leads
    store.close()


def _recount(comments) -> dict[str, dict[str, int]]:
    counts: dict[str, Counter] = {}
    for comment in comments:
        counts.setdefault(comment.article_key or "", Counter())[comment.kind] += 1
    return {key: dict(kinds) for key, kinds in counts.items()}


def test_counts_are_those_of_the_comments(world):
    store, consultation, _organizer, leads = world
    cid = consultation.id
    submitted = store.list_comments(cid, submitted_only=True)
    figures = store.kind_counts(cid)
    assert sum(f.count for f in figures) == len(submitted) == 9  # u00's 6, u04's 3
    assert {f.unit_id for f in figures} == {leads["u00"].unit_id, leads["u04"].unit_id}
    assert store.article_counts(cid, submitted_only=True) == _recount(submitted)
    assert store.article_counts(cid, submitted_only=True)[A3] == {
        "new_wording": 1, "agree": 1, "delete": 1, "add_after": 1
    }  # fmt: skip
    assert store.article_counts(cid, submitted_only=True)[A2] == {"agree": 2, "question": 1}
    assert store.article_counts(cid) == _recount(store.list_comments(cid))
    for lead in leads.values():
        mine = store.list_comments(cid, unit_id=lead.unit_id)
        assert store.article_counts(cid, unit_id=lead.unit_id) == _recount(mine)
        assert store.article_counts(cid, unit_id=lead.unit_id, submitted_only=True) == _recount(
            store.list_comments(cid, unit_id=lead.unit_id, submitted_only=True)
        )
    # u00's first response contradicted itself on Article 2; the one it sent again, on
    # Article 3 (agree and delete): the figures see the active submission only.
    assert responses.counted_contradictions(figures) == responses.contradictions(submitted)
    assert responses.counted_contradictions(figures) == {(leads["u00"].unit_id, A3)}


def test_unit_progress_in_two_statements(world):
    store, consultation, _organizer, leads = world
    statements: list[str] = []
    store.conn.set_trace_callback(statements.append)
    progress = store.unit_progress(consultation.id)
    store.conn.set_trace_callback(None)
    assert len(statements) == 2  # live comments and items are counted as they are written
    by_code = {p.unit.code: p for p in progress}
    assert [p.unit.name for p in progress] == sorted(p.unit.name for p in progress)
    assert by_code["u00"].live_comments == 6
    assert by_code["u00"].latest.items == 6
    assert by_code["u00"].latest.withdrawn_at is None
    assert by_code["u01"].latest.withdrawn_at is not None
    assert by_code["u02"].latest is None
    assert by_code["u02"].live_comments == 2
    assert by_code["u03"].latest.no_comments
    assert by_code["u03"].live_comments == 0
    assert by_code["u04"].latest.submitted_by == "Lead 4"
    (one,) = store.unit_progress(consultation.id, unit_id=leads["u02"].unit_id)
    assert one == by_code["u02"]


def test_the_dashboard_statements_do_not_grow_with_the_units(tmp_path, sample_v1):
    """The same statements for 3 units as for 12: no per-unit query in a loop."""
    counted = []
    for units in (3, 12):
        store = open_store(tmp_path / f"{units}.sqlite")
        consultation, organizer, leads = _world(store, sample_v1, units)
        for lead in leads.values():
            _add(store, lead, consultation, A2, "agree")
            _add(store, lead, consultation, A2, "comment", "Mâu thuẫn.")
            _submit(store, lead, consultation)
        statements: list[str] = []
        store.conn.set_trace_callback(statements.append)
        shown = organizing.dashboard(
            store, organizer, consultation.id, most_first=True, now=consulting.utc_now()
        )
        store.conn.set_trace_callback(None)
        assert len(shown.progress) == units
        (article2,) = [a for a in shown.articles if a.article.key == A2]
        assert article2.remarks == units
        assert article2.contradictions == units
        counted.append(len(statements))
        store.close()
    assert counted[0] == counted[1]
