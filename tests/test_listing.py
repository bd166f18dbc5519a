"""`drafter comments`: a consultation's comments for organizers and scripts, as the use case
returns them and as the command prints them (text, JSON, CSV), on a real SQLite file."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import UTC, datetime

import pytest

from drafter import consulting, listing
from drafter.errors import NotFound
from drafter.storage import open_store

NOW = datetime.now(UTC).replace(microsecond=0).isoformat()


@pytest.fixture
def filled(world):
    """Quảng Nam submits a proposal and a remark; Thái Nguyên keeps a draft; the organizer
    answers the proposal (not published)."""
    store = open_store(world.db_path)
    try:
        consultation = store.get_consultation(world.consultation_id)
        qn = store.get_user(world.users["qn-lead"])
        tn = store.get_user(world.users["tn-member"])
        proposal = consulting.add_comment(
            store, qn, consultation, key="chuong-1/dieu-3/khoan-1", kind="new_wording",
            text="Đề nghị sửa.", proposed_text="=Câu chữ mới.", now=NOW,
        )  # fmt: skip
        remark = consulting.add_comment(
            store, qn, consultation, key=None, kind="comment", text="Ý kiến chung.",
            proposed_text=None, now=NOW,
        )  # fmt: skip
        consulting.submit(store, qn, consultation, no_comments=False, now=NOW)
        draft = consulting.add_comment(
            store, tn, consultation, key="chuong-1/dieu-1", kind="question",
            text="Câu hỏi nháp.", proposed_text=None, now=NOW,
        )  # fmt: skip
        organizer = store.get_user(world.users["organizer"])
        consulting.answer(
            store, organizer, proposal, status="partly", explanation="Tiếp thu một phần.",
            now=NOW,
        )  # fmt: skip
    finally:
        store.close()
    return {"proposal": proposal, "remark": remark, "draft": draft}


def test_submitted_comments_only_by_default(world, filled):
    store = open_store(world.db_path)
    try:
        shown = listing.comments(store, world.consultation_id)
    finally:
        store.close()
    assert shown["schema"] == listing.SCHEMA
    assert shown["consultation"]["id"] == world.consultation_id
    assert shown["consultation"]["version"] == 1
    by_id = {r["id"]: r for r in shown["comments"]}
    assert set(by_id) == {filled["proposal"], filled["remark"]}
    proposal = by_id[filled["proposal"]]
    assert proposal == {
        "id": filled["proposal"], "unit_code": "quang-nam", "unit_name": "Tỉnh ủy Quảng Nam",
        "author": "QN-LEAD", "by_organizer": False, "provision": "chuong-1/dieu-3/khoan-1",
        "provision_name": "Điều 3, khoản 1", "kind": "new_wording", "text": "Đề nghị sửa.",
        "proposed_text": "=Câu chữ mới.", "state": "submitted", "created_at": NOW,
        "updated_at": NOW,
        "answer": {
            "status": "partly", "explanation": "Tiếp thu một phần.", "answered_by": "Ban Tổ chức",
            "answered_at": NOW, "published": False, "published_at": None,
        },
    }  # fmt: skip
    assert by_id[filled["remark"]]["text"] == "Ý kiến chung."
    assert by_id[filled["remark"]]["provision"] is None
    assert by_id[filled["remark"]]["answer"] is None


def test_all_adds_drafts(world, filled):
    store = open_store(world.db_path)
    try:
        shown = listing.comments(store, world.consultation_id, drafts=True)
        tn = listing.comments(store, world.consultation_id, drafts=True, unit_code="thai-nguyen")
        with pytest.raises(NotFound):
            listing.comments(store, world.consultation_id, unit_code="lao-cai")  # not invited
        with pytest.raises(NotFound):
            listing.comments(store, world.consultation_id, unit_code="nowhere")
    finally:
        store.close()
    states = {r["id"]: (r["state"], r["text"]) for r in shown["comments"]}
    assert states == {
        filled["proposal"]: ("submitted", "Đề nghị sửa."),
        filled["remark"]: ("submitted", "Ý kiến chung."),
        filled["draft"]: ("draft", "Câu hỏi nháp."),
    }
    assert [(r["id"], r["unit_code"]) for r in tn["comments"]] == [(filled["draft"], "thai-nguyen")]


def _drafter(db, *args):
    return subprocess.run(
        [sys.executable, "-m", "drafter", "--db", str(db), "comments", *map(str, args)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip


def test_cli_text_json_csv_and_errors(world, filled):
    c = world.consultation_id
    text = _drafter(world.db_path, c)
    assert text.returncode == 0, text.stderr
    assert "2 comment(s)." in text.stdout
    assert "Điều 3, khoản 1" in text.stdout
    data = json.loads(_drafter(world.db_path, c, "--all", "--format", "json").stdout)
    assert len(data["comments"]) == 3
    assert sorted(r["state"] for r in data["comments"]) == ["draft", "submitted", "submitted"]
    one = json.loads(_drafter(world.db_path, c, "--unit", "quang-nam", "--format", "json").stdout)
    assert {r["unit_code"] for r in one["comments"]} == {"quang-nam"}
    rows = list(csv.DictReader(io.StringIO(_drafter(world.db_path, c, "--format", "csv").stdout)))
    assert list(rows[0]) == list(listing.CSV_COLUMNS)
    proposal = next(r for r in rows if r["id"] == str(filled["proposal"]))
    assert proposal["proposed_text"] == "'=Câu chữ mới."  # a formula is shown as text
    assert (proposal["answer_status"], proposal["answer_published"]) == ("partly", "false")
    assert proposal["by_organizer"] == "false"
    missing = _drafter(world.db_path, c, "--unit", "nowhere")
    assert missing.returncode == 2
    assert "There is no unit “nowhere” in this consultation." in missing.stderr
    assert _drafter(world.db_path, 999).returncode == 2


def test_a_withdrawn_submission_leaves_drafts(world, filled):
    store = open_store(world.db_path)
    try:
        consultation = store.get_consultation(world.consultation_id)
        qn = store.get_user(world.users["qn-lead"])
        consulting.withdraw_submission(store, qn, consultation, NOW)
        assert listing.comments(store, world.consultation_id)["comments"] == []
        shown = listing.comments(store, world.consultation_id, drafts=True, unit_code="quang-nam")
    finally:
        store.close()
    assert {(r["id"], r["state"]) for r in shown["comments"]} == {
        (filled["proposal"], "draft"),
        (filled["remark"], "draft"),
    }
