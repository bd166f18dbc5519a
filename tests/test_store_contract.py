"""The store contract (drafter.storage.contract), run against every backend: each method's
results are the model's dataclasses, and units of work nest as savepoints.

Backends are the parameters of the `backend` fixture; a new backend joins the list."""

from __future__ import annotations

import pytest

from drafter import model
from drafter.errors import NotFound
from drafter.importing import import_file
from drafter.storage import SQLiteStore, Store, open_store
from drafter.storage.postgres import PostgresStore

from .conftest import DRAFTS

NOW = "2026-12-01T08:00:00+00:00"


@pytest.fixture
def backend(backend_store) -> Store:
    """A store of each backend in turn (tests/conftest.py: BACKENDS)."""
    return backend_store


def test_each_backend_implements_the_contract(backend):
    assert isinstance(backend, SQLiteStore | PostgresStore)
    contract = {name for name in dir(Store) if not name.startswith("_")}
    missing = {name for name in contract if not callable(getattr(backend, name, None))}
    assert missing <= {"read_only"}
    assert backend.read_only is False


def test_a_failed_inner_unit_of_work_is_undone_alone(backend):
    def inner_step_that_fails():
        with backend.transaction():
            backend.create_unit("trong", "Đơn vị trong", "province")
            raise RuntimeError("inner step fails")

    with backend.transaction():
        outer = backend.create_unit("ngoai", "Đơn vị ngoài", "province")
        with pytest.raises(RuntimeError, match="inner step fails"):
            inner_step_that_fails()
        assert backend.find_unit("trong") is None
        with backend.transaction():
            backend.create_unit("sau", "Đơn vị sau", "province")
    assert backend.get_unit(outer).code == "ngoai"
    assert backend.find_unit("trong") is None
    assert backend.find_unit("sau") is not None


def test_a_failed_outer_unit_of_work_undoes_its_inner_ones(backend):
    def outer_step_that_fails():
        with backend.transaction():
            with backend.transaction():
                backend.create_unit("trong", "Đơn vị trong", "province")
            raise RuntimeError("outer step fails")

    with pytest.raises(RuntimeError, match="outer step fails"):
        outer_step_that_fails()
    assert backend.find_unit("trong") is None
    assert backend.list_units() == []


def _world(store: Store) -> dict[str, int]:
    imported = import_file(store, DRAFTS / "quy-dinh-dang-doan-v1.md")
    with store.transaction():
        unit = store.create_unit("thai-nguyen", "Tỉnh ủy Thái Nguyên", "province")
        user = store.create_user(
            "tn-lead", "Trưởng đoàn", "delegate", unit_id=unit, is_lead=True,
            password_hash="hash", now=NOW,
        )  # fmt: skip
        consultation = store.create_consultation(
            imported.version.id, "Lấy ý kiến", opens_at=NOW, deadline="2027-01-01T00:00:00+00:00",
            unit_ids=[unit], now=NOW,
        )  # fmt: skip
    return {"unit": unit, "user": user, "consultation": consultation,
            "version": imported.version.id, "draft": imported.draft.id}  # fmt: skip


def test_results_are_model_dataclasses(backend):
    ids = _world(backend)
    article = backend.get_node(ids["version"], "chuong-1/dieu-3")
    with backend.transaction():
        comment_id = backend.add_comment(
            ids["consultation"], ids["unit"], ids["user"], node_id=article.id,
            article_id=article.id, kind="comment", text="**Ý kiến**", proposed_text=None,
            now=NOW, html="<p><strong>Ý kiến</strong></p>",
        )  # fmt: skip
        backend.revise_comment(
            comment_id, ids["user"], kind="comment", text="Ý kiến sửa", proposed_text=None,
            now=NOW, html="<p>Ý kiến sửa</p>",
        )  # fmt: skip
        backend.add_submission(ids["consultation"], ids["unit"], ids["user"],
                               no_comments=False, now=NOW)  # fmt: skip
        backend.add_answer(comment_id, ids["user"], status="noted", explanation="Đã ghi nhận",
                           now=NOW, html="<p>Đã ghi nhận</p>")  # fmt: skip
        backend.add_audit(ids["user"], "comment.create", f"comment {comment_id}", now=NOW,
                          consultation_id=ids["consultation"])  # fmt: skip
        upload = backend.add_pending_upload(ids["user"], "a.md", b"\x00data", draft_id=None,
                                            title="T", now=NOW)  # fmt: skip
        backend.add_invitation(ids["user"], "hash-1", now=NOW, expires_at="2027-01-01")
        backend.add_login_failure("tn-lead", "10.0.0.1", now=NOW)

    comment = backend.get_comment(comment_id)
    assert isinstance(comment, model.Comment)
    assert comment.html == "<p>Ý kiến sửa</p>"
    assert comment.revisions == 2
    assert isinstance(comment.answer, model.Answer)
    assert comment.answer.html == "<p>Đã ghi nhận</p>"
    history = backend.comment_history(comment_id)
    assert [type(r) for r in history] == [model.Revision, model.Revision]
    assert [r.text for r in history] == ["**Ý kiến**", "Ý kiến sửa"]
    [progress] = backend.unit_progress(ids["consultation"])
    assert isinstance(progress, model.UnitProgress)
    assert progress.live_comments == 1
    assert isinstance(progress.latest, model.Submission)
    credentials = backend.find_login("TN-LEAD")
    assert isinstance(credentials, model.Credentials)
    assert credentials.password_hash == "hash"
    assert credentials.user.is_lead
    invitation = backend.get_invitation("hash-1")
    assert invitation == model.Invitation(ids["user"], "2027-01-01", None)
    pending = backend.get_pending_upload(upload, ids["user"])
    assert isinstance(pending, model.PendingUpload)
    assert pending.data == b"\x00data"
    [entry] = backend.list_audit(consultation_id=ids["consultation"])
    assert isinstance(entry, model.AuditEntry)
    assert entry.username == "tn-lead"
    failures = backend.login_failures(username="tn-lead", address="10.0.0.1", since="2000")
    assert failures == model.LoginFailures(1, NOW, 1, NOW)
    hits = backend.search("y kien sua")
    assert hits == [model.SearchHit("comment", comment_id, None)]
    assert backend.search("phạm vi")
    assert all(isinstance(h, model.SearchHit) for h in hits)


def test_missing_things_raise_not_found_or_give_none(backend):
    for call in (
        lambda: backend.get_draft(99),
        lambda: backend.get_version(99),
        lambda: backend.get_consultation(99),
        lambda: backend.get_comment(99),
        lambda: backend.get_unit(99),
        lambda: backend.get_user(99),
        lambda: backend.get_pending_upload(99, 1),
    ):
        with pytest.raises(NotFound):
            call()
    assert backend.find_unit("khong-co") is None
    assert backend.find_login("khong-co") is None
    assert backend.get_invitation("khong-co") is None


def test_people_edits_and_pending_roster_files(backend):
    with backend.transaction():
        unit = backend.create_unit("thai-nguyen", "Thái Nguyên", "province")
        other = backend.create_unit("lao-cai", "Lào Cai", "province")
        user = backend.create_user("tn.lead", "A", "delegate", unit_id=unit, now=NOW)
        backend.update_unit(unit, name="Tỉnh ủy Thái Nguyên", kind="ministry")
        backend.set_unit_disabled(unit, NOW)
        backend.update_user(
            user, display_name="Nguyễn Văn A", email="a@tn.vn", is_lead=True, unit_id=other
        )
        roster_id = backend.add_pending_roster(user, "r.csv", b"\x00roster", now=NOW)
    assert backend.get_unit(unit) == model.Unit(
        unit, "thai-nguyen", "Tỉnh ủy Thái Nguyên", "ministry", True
    )
    got = backend.get_user(user)
    assert (got.display_name, got.email, got.is_lead, got.unit_id) == (
        "Nguyễn Văn A", "a@tn.vn", True, other,
    )  # fmt: skip
    pending = backend.get_pending_roster(roster_id, user)
    assert isinstance(pending, model.PendingUpload)
    assert (pending.name, pending.data, pending.draft_id) == ("r.csv", b"\x00roster", None)
    with pytest.raises(NotFound):
        backend.get_pending_roster(roster_id, user + 1)  # another user's file is not theirs
    with backend.transaction():
        backend.set_unit_disabled(unit, None)
        backend.delete_pending_roster(roster_id)
    assert not backend.get_unit(unit).disabled
    with pytest.raises(NotFound):
        backend.get_pending_roster(roster_id, user)


def test_write_transactions_run_one_at_a_time(backend_location):
    """What every check-then-write relies on (SQLite's BEGIN IMMEDIATE, PostgreSQL's write
    lock): a second writer waits for the first to end, then reads what it wrote."""
    import threading
    import time

    first = open_store(backend_location)
    inside = threading.Event()
    seen: list[int] = []
    ended: list[float] = []

    def other_writer():
        second = open_store(backend_location, migrate=False)  # SQLite: one thread each
        inside.wait()
        with second.transaction():
            seen.append(len(second.list_units()))
            ended.append(time.monotonic())
        second.close()

    thread = threading.Thread(target=other_writer)
    thread.start()
    try:
        with first.transaction():
            first.create_unit("a", "A", "province")
            inside.set()
            time.sleep(0.5)  # the other writer is waiting now
            first.create_unit("b", "B", "province")
            committed = time.monotonic()
        thread.join(timeout=30)
        assert seen == [2]  # both rows, never one
        assert ended[0] >= committed
    finally:
        first.close()
