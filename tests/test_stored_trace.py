"""The answers traced into the next version, stored (drafter/traces.py): after each kind of
change (a unit's submission, an answer, a bulk answer, a group's answer, a withdrawal, a
submission entered for a unit, a new version) the stored trace equals the one computed live,
on SQLite and on PostgreSQL; a database from before the stored traces is filled once by the
first page; the dashboard's SQL does not grow with the comments; the comment list reads the
stored rows."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import UTC, datetime

from drafter import accounts, answering, consulting, grouping, organizing, scale, traces, tracing
from drafter.importing import import_file
from drafter.model_trace import TRACE_STATES, Traced
from drafter.storage import open_store

from .consultation_fixture import PASSWORD, ROOT, login, make_app
from .test_web_trace import REJECTED_BUT_APPLIED

NOW = datetime.now(UTC).replace(microsecond=0).isoformat()
V2 = ROOT / "drafts" / "quy-dinh-dang-doan-v2.md"
#: (provision, proposed wording): version 2 takes the first; the others it does not.
PROPOSALS = (
    ("chuong-3/dieu-11/khoan-4", REJECTED_BUT_APPLIED),
    ("chuong-1/dieu-3/khoan-1", "Một câu chữ mà dự thảo 2 không có 91c2."),
    ("chuong-1/dieu-2/khoan-1", "Một câu chữ khác mà dự thảo 2 không có 77d."),
)


def assert_stored_is_live(store, consultation_id: int) -> tracing.Trace:
    """The stored trace of a consultation is the live one: same version, same rows, no
    other row, the same counts."""
    live = tracing.trace(store, consultation_id)
    assert live.version is not None
    assert store.traced_version(consultation_id) == live.version
    assert store.traces_of([c.id for c in live.comments]) == live.items
    assert store.trace_counts(consultation_id) == {s: n for s, n in live.counts.items() if n}
    return live


def _comment(store, user, consultation, key, proposed, kind="new_wording"):
    return consulting.add_comment(
        store, user, consultation, key=key, kind=kind, text="Đề nghị sửa.",
        proposed_text=proposed, now=NOW,
    )  # fmt: skip


def test_every_change_keeps_the_stored_trace_live(backend_world):
    world = backend_world
    store = open_store(world.db_path)
    try:
        cid = world.consultation_id
        consultation = store.get_consultation(cid)
        organizer = store.get_user(world.users["organizer"])
        tn, qn = store.get_user(world.users["tn-lead"]), store.get_user(world.users["qn-lead"])
        # The world's consultation was stored before any stored trace: nothing yet, and a
        # submission leaves it so (the first page computes it whole).
        assert store.traced_version(cid) is None
        ids = [_comment(store, tn, consultation, key, text) for key, text in PROPOSALS]
        ids.append(_comment(store, tn, consultation, "chuong-1/dieu-2", None, kind="comment"))
        consulting.submit(store, tn, consultation, no_comments=False, now=NOW)
        assert store.trace_counts(cid) == {}
        # The dashboard fills it, once.
        shown = organizing.dashboard(store, organizer, cid, most_first=False, now=NOW)
        assert shown.trace is not None
        assert shown.trace.version == 2
        assert shown.trace.counts["unanswered"] == 3
        assert shown.trace.counts["no_wording"] == 1
        live = assert_stored_is_live(store, cid)
        assert traces.fill(store, cid) is False  # already into version 2

        # One answer.
        consulting.answer(
            store, organizer, ids[0], status="rejected", explanation="Không.", now=NOW
        )
        live = assert_stored_is_live(store, cid)
        assert (live.items[ids[0]].state, live.items[ids[0]].where) == (
            "applied_rejected", "chuong-3/dieu-12/khoan-4",
        )  # fmt: skip
        # A bulk answer.
        answering.answer_many(store, cid, ids[1:3], "accepted", "Tiếp thu.", organizer, now=NOW)
        live = assert_stored_is_live(store, cid)
        assert live.items[ids[1]].state == "accepted_not_applied"

        # Another unit's submission: its comments traced, the first unit's left as they are.
        qn_ids = [_comment(store, qn, consultation, key, text) for key, text in PROPOSALS[:2]]
        consulting.submit(store, qn, consultation, no_comments=False, now=NOW)
        live = assert_stored_is_live(store, cid)
        assert {live.items[i].state for i in qn_ids} == {"unanswered"}
        # A group's answer (Quảng Nam's proposal on Điều 11 khoản 4 is in some group).
        group = next(
            g for g in store.comment_groups(cid) if qn_ids[0] in {m.comment_id for m in g.members}
        )
        grouping.answer_group(
            store, organizer, cid, group.id, status="partly", explanation="Một phần.", now=NOW
        )
        live = assert_stored_is_live(store, cid)
        assert live.items[qn_ids[0]].state == "applied"

        # Quảng Nam withdraws its response: its rows go; submitted again, they come back with
        # the answers they had.
        consulting.withdraw_submission(store, qn, consultation, now=NOW)
        assert not store.traces_of(qn_ids)
        assert_stored_is_live(store, cid)
        consulting.submit(store, qn, consultation, no_comments=False, now=NOW)
        live = assert_stored_is_live(store, cid)
        assert live.items[qn_ids[0]].state == "applied"

        # A unit's response entered by the organizers.
        lc = world.units["lao-cai"]
        organizing.invite_unit(store, organizer, cid, lc, NOW)
        entered = organizing.add_comment_for_unit(
            store, organizer, cid, lc, key=PROPOSALS[0][0], kind="new_wording",
            text="Theo công văn.", proposed_text=PROPOSALS[0][1], now=NOW,
        )  # fmt: skip
        organizing.submit_for_unit(
            store, organizer, cid, lc, no_comments=False, letter=None, now=NOW
        )
        live = assert_stored_is_live(store, cid)
        assert live.items[entered].state == "unanswered"

        # A new version of the draft: every comment traced into it, in the import.
        before = dict(live.items)
        third = import_file(store, V2, draft_id=world.draft_id)
        assert third.version.number == 3
        live = assert_stored_is_live(store, cid)
        assert live.version == 3
        assert {i: (t.state, t.where) for i, t in live.items.items()} == {
            i: (t.state, t.where) for i, t in before.items()
        }  # version 3 is version 2 again
        shown = organizing.dashboard(store, organizer, cid, most_first=False, now=NOW)
        assert shown.trace is not None
        assert shown.trace.version == 3
        assert sum(shown.trace.counts.values()) == len(live.comments) == 7
    finally:
        store.close()


def test_a_consultation_opened_on_an_old_version_is_traced_from_the_start(backend_world):
    store = open_store(backend_world.db_path)
    try:
        organizer = store.get_user(backend_world.users["organizer"])
        v1 = store.get_consultation(backend_world.consultation_id).version_id
        cid = organizing.create_consultation(
            store, organizer, version_id=v1, title="Lần hai", opens="2026-01-01T08:00",
            deadline="2099-01-01T08:00", unit_ids=[backend_world.units["thai-nguyen"]],
            zone="Asia/Ho_Chi_Minh", now=NOW,
        )  # fmt: skip
        assert store.traced_version(cid) == 2
        tn = store.get_user(backend_world.users["tn-lead"])
        consultation = store.get_consultation(cid)
        _comment(store, tn, consultation, *PROPOSALS[0])
        consulting.submit(store, tn, consultation, no_comments=False, now=NOW)
        live = assert_stored_is_live(store, cid)  # stored by the submission itself
        assert list(live.counts.values()).count(1) == 1
    finally:
        store.close()


def test_the_comment_list_shows_the_stored_states(world):
    store = open_store(world.db_path)
    try:
        cid = world.consultation_id
        organizer = store.get_user(world.users["organizer"])
        tn = store.get_user(world.users["tn-lead"])
        consultation = store.get_consultation(cid)
        ids = [_comment(store, tn, consultation, key, text) for key, text in PROPOSALS]
        consulting.submit(store, tn, consultation, no_comments=False, now=NOW)
        wanted = answering.CommentFilter(traced="unanswered")
        shown = answering.comment_list(store, organizer, cid, wanted)  # fills the trace
        assert {c.id for c in shown.comments} == set(ids)
        assert store.traced_version(cid) == 2
        # What the list shows is what is stored: a row changed behind its back shows.
        with store.transaction():
            store.replace_traces(cid, [Traced(ids[1], "applied", 2, "chuong-1/dieu-3/khoan-1")])
        shown = answering.comment_list(store, organizer, cid, answering.CommentFilter())
        assert shown.trace is not None
        assert shown.trace.items[ids[1]].state == "applied"
        applied = answering.comment_list(
            store, organizer, cid, answering.CommentFilter(traced="applied")
        )
        assert [c.id for c in applied.comments] == [ids[1]]
    finally:
        store.close()


def _dashboard_statements(tmp_path, comments: int) -> tuple[int, dict[str, int]]:
    """Return how many SQL statements one dashboard runs (and its trace counts) on a
    consultation of `comments` generated comments, with a later version of the draft."""
    path = tmp_path / f"scale-{comments}.sqlite"
    store = open_store(path)
    try:
        v1 = import_file(store, ROOT / "drafts" / "quy-dinh-dang-doan-v1.md")
        import_file(store, V2, draft_id=v1.draft.id)
        organizer_id = accounts.create_organizer(store, "btc", "Ban Tổ chức", PASSWORD)
        built = scale.build_consultation(
            store, v1.version.id, organizer_id, comments=comments, units=10, password=PASSWORD
        )
        organizer = store.get_user(organizer_id)
        statements: list[str] = []
        store.conn.set_trace_callback(statements.append)  # type: ignore[attr-defined]
        shown = organizing.dashboard(
            store, organizer, built.consultation_id, most_first=False, now=NOW
        )
        store.conn.set_trace_callback(None)  # type: ignore[attr-defined]
        assert shown.trace is not None
        assert shown.trace.version == 2
        assert set(shown.trace.counts) == set(TRACE_STATES)
        assert_stored_is_live(store, built.consultation_id)
        return len(statements), shown.trace.counts
    finally:
        store.close()


def test_the_dashboard_runs_as_many_statements_at_2000_comments_as_at_200(tmp_path):
    small, small_counts = _dashboard_statements(tmp_path, 200)
    large, large_counts = _dashboard_statements(tmp_path, 2000)
    assert small == large
    assert sum(large_counts.values()) > 5 * sum(small_counts.values()) > 0


def _submit_proposals(store, world) -> None:
    """Thái Nguyên's lead proposes PROPOSALS and submits them."""
    tn = store.get_user(world.users["tn-lead"])
    consultation = store.get_consultation(world.consultation_id)
    for key, text in PROPOSALS:
        _comment(store, tn, consultation, key, text)
    consulting.submit(store, tn, consultation, no_comments=False, now=NOW)


def _drafter(db, *args):
    return subprocess.run(
        [sys.executable, "-m", "drafter", "--db", str(db), *args],
        capture_output=True, text=True, check=False,
    )  # fmt: skip


def test_cli_rebuild_stores_the_trace_and_prints_the_same(world, tmp_path):
    store = open_store(world.db_path)
    try:
        _submit_proposals(store, world)
        assert store.traced_version(world.consultation_id) is None
    finally:
        store.close()
    plain = _drafter(world.db_path, "trace", str(world.consultation_id))
    rebuilt = _drafter(world.db_path, "trace", str(world.consultation_id), "--rebuild")
    assert plain.returncode == rebuilt.returncode == 0, rebuilt.stderr
    assert rebuilt.stdout == plain.stdout
    assert "Stored the trace of 3 comments into version 2." in rebuilt.stderr
    store = open_store(world.db_path)
    try:
        assert_stored_is_live(store, world.consultation_id)
    finally:
        store.close()


def test_a_database_that_cannot_be_written_shows_the_trace_computed(world):
    store = open_store(world.db_path)
    try:
        _submit_proposals(store, world)
        organizer = store.get_user(world.users["organizer"])
    finally:
        store.close()
    store = open_store(world.db_path, migrate=False)
    try:
        # The same file opened read-only (as on a read-only disk): the first view cannot
        # store the trace, so it computes it, as before the stored traces.
        store.conn.close()  # type: ignore[attr-defined]
        uri = f"{world.db_path.resolve().as_uri()}?mode=ro"
        store.conn = sqlite3.connect(uri, uri=True, isolation_level=None)  # type: ignore[attr-defined]
        store.conn.row_factory = sqlite3.Row  # type: ignore[attr-defined]
        shown = organizing.dashboard(
            store, organizer, world.consultation_id, most_first=False, now=NOW
        )
        assert shown.trace is not None
        assert shown.trace.counts["unanswered"] == 3
        assert store.traced_version(world.consultation_id) is None
    finally:
        store.close()


def test_the_app_stores_missing_traces_when_it_starts(world):
    store = open_store(world.db_path)
    try:
        _submit_proposals(store, world)
        assert store.traced_version(world.consultation_id) is None  # as after an upgrade
    finally:
        store.close()
    app = make_app(world.db_path)
    store = open_store(world.db_path)
    try:
        assert_stored_is_live(store, world.consultation_id)
        assert traces.fill_all(store) == 0  # nothing left to do
    finally:
        store.close()
    page = login(app, "organizer").get(f"/admin/c/{world.consultation_id}")
    assert page.status_code == 200
    link = f'href="/admin/c/{world.consultation_id}/comments?traced=unanswered"'
    assert "</a>: <strong>3</strong>" in page.get_data(as_text=True).split(link, 1)[1][:200]
