"""The organizer's use cases against a real SQLite store, without Flask."""

from __future__ import annotations

import pytest

from drafter import accounts, organizing
from drafter.errors import DraftImportError, Forbidden, NotFound

NOW = "2026-01-05T08:00:00+00:00"


@pytest.fixture
def organizer(store):
    user_id = accounts.create_organizer(store, "org", "Organizer", "a long enough password 1")
    return store.get_user(user_id)


def _stage(store, organizer, sample_v1):
    return organizing.stage_upload(
        store, organizer, sample_v1.name, sample_v1.read_bytes(), draft_id=None, title="",
        now=NOW,
    )  # fmt: skip


def test_confirm_imports_once_and_removes_the_upload(store, organizer, sample_v1):
    upload_id = _stage(store, organizer, sample_v1)
    shown = organizing.preview_upload(store, organizer, upload_id)
    assert shown.parsed.nodes
    assert shown.draft is None
    result = organizing.confirm_upload(store, organizer, upload_id, NOW)
    assert result.version.number == 1
    with pytest.raises(NotFound):
        organizing.confirm_upload(store, organizer, upload_id, NOW)
    assert len(store.list_versions(result.draft.id)) == 1
    assert [e for e in store.list_audit() if e.action == "version.import"]


@pytest.mark.parametrize("method", ["add_audit", "delete_pending_upload"])
def test_a_failure_while_confirming_leaves_no_version(
    store, organizer, sample_v1, monkeypatch, method
):
    upload_id = _stage(store, organizer, sample_v1)

    def boom(*args, **kwargs):
        raise RuntimeError("injected")

    monkeypatch.setattr(store, method, boom)
    with pytest.raises(RuntimeError):
        organizing.confirm_upload(store, organizer, upload_id, NOW)
    monkeypatch.undo()
    assert store.list_drafts() == []
    assert store.get_pending_upload(upload_id, organizer.id).name == sample_v1.name
    result = organizing.confirm_upload(store, organizer, upload_id, NOW)
    assert result.version.number == 1


def test_an_unreadable_file_is_not_kept(store, organizer):
    with pytest.raises(DraftImportError):
        organizing.stage_upload(store, organizer, "x.txt", b"   ", draft_id=None, title="", now=NOW)


def test_discard_and_delegates(store, organizer, sample_v1):
    upload_id = _stage(store, organizer, sample_v1)
    organizing.discard_upload(store, organizer, upload_id)
    with pytest.raises(NotFound):
        organizing.confirm_upload(store, organizer, upload_id, NOW)
    assert store.list_drafts() == []
    unit_id = accounts.create_unit(store, "u1", "Unit one", store_kind(), actor=organizer.id)
    user_id, _token = accounts.create_delegate(
        store, unit_id, "d01", "Delegate", is_lead=True, actor=organizer.id
    )
    with pytest.raises(Forbidden):
        _stage(store, store.get_user(user_id), sample_v1)


def store_kind():
    from drafter.model import UNIT_KINDS

    return next(iter(UNIT_KINDS))
