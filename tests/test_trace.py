"""Answers traced into the next version: the pure checks, the demo's two versions, generated
drafts with one comment in each state, and the `drafter trace` command."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

from drafter import accounts, consulting, demo, tracing
from drafter.importing import import_bytes
from drafter.model_trace import TRACE_STATES, trace_state
from drafter.storage import open_store

NOW = datetime.now(UTC).replace(microsecond=0)


# -- the pure checks ------------------------------------------------------------------------


def test_normalised_drops_labels_marks_punctuation_and_case():
    assert tracing.normalised("4. **Vấn đề** quan trọng,  là:\nđ) Hợp tác") == (
        " vấn đề quan trọng là hợp tác "
    )
    assert tracing.normalised("Điều 7. Nhiệm vụ") == " nhiệm vụ "
    assert tracing.normalised(" ,. ") == ""


def test_found_when_the_whole_wording_is_there_despite_spaces_case_and_labels():
    candidates = [("dieu-5/khoan-2", "2. Cơ quan  PHẢI báo cáo, định kỳ hằng năm.")]
    assert tracing.found_in("2. x", "1. cơ quan phải báo cáo định kỳ hằng năm", candidates) == (
        "dieu-5/khoan-2"
    )


def test_found_when_the_inserted_words_are_all_there():
    consulted = "1. Cơ quan báo cáo hằng năm."
    proposed = "1. Cơ quan báo cáo bằng văn bản hằng năm và khi được yêu cầu."
    new = [("k1", "1. Cơ quan chủ trì báo cáo bằng văn bản hằng năm và khi được yêu cầu.")]
    assert tracing.found_in(consulted, proposed, new) == "k1"
    # One inserted stretch missing: not applied.
    assert (
        tracing.found_in(consulted, proposed, [("k1", "1. Cơ quan báo cáo bằng văn bản.")]) is None
    )


def test_words_already_in_the_consulted_text_do_not_count_as_applied():
    consulted = "1. Cơ quan báo cáo, cơ quan kiểm tra."
    proposed = "1. Cơ quan báo cáo, cơ quan kiểm tra, cơ quan giám sát."
    # "cơ quan" is inserted once more in the proposal; an unchanged text is not "applied".
    assert tracing.found_in(consulted, proposed, [("k", consulted)]) is None


def test_the_smallest_provision_holding_the_wording_is_named():
    candidates = [
        ("d/k1/a", "a) Khác."),
        ("d/k2", "2. Lời mới đây."),
        ("d", "Điều 1. Lời mới đây."),
    ]
    assert tracing.found_in("", "Lời mới đây", candidates) == "d/k2"


@pytest.mark.parametrize(
    ("kind", "proposed", "answer", "found", "state"),
    [
        ("new_wording", "x", "accepted", True, "applied"),
        ("new_wording", "x", "partly", True, "applied"),
        ("add_after", "x", "accepted", False, "accepted_not_applied"),
        ("new_wording", "x", "partly", False, "accepted_not_applied"),
        ("new_wording", "x", "rejected", True, "applied_rejected"),
        ("new_wording", "x", "rejected", False, "rejected_not_applied"),
        ("new_wording", "x", None, True, "unanswered"),
        ("new_wording", "x", "noted", True, "no_wording"),
        ("comment", None, "accepted", False, "no_wording"),
        ("new_wording", "  ", "accepted", False, "no_wording"),
        ("delete", None, "accepted", False, "no_wording"),
    ],
)
def test_trace_state(kind, proposed, answer, found, state):
    assert trace_state(kind, proposed, answer, found) == state


def test_where_names_the_provision_and_the_version():
    assert tracing.where_name("chuong-3/dieu-12/khoan-4", 2) == (
        "Thể hiện tại Điều 12, khoản 4 của dự thảo 2"
    )
    assert tracing.where_name(None, 2) == ""


# -- the demo's two versions ----------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("trace") / "demo.sqlite"
    demo.build(path, echo=lambda _line: None)
    return path


def _by_place(rows):
    return {(r["unit"], r["provision"], r["kind"]): r for r in rows}


def test_demo_comments_traced_into_version_2(demo_db):
    store = open_store(demo_db)
    try:
        rows = _by_place(tracing.rows(store, 1))
    finally:
        store.close()
    # Quảng Nam's proposal on Điều 11 khoản 4 was answered "not accepted", yet version 2
    # carries its wording, in the article renumbered to Điều 12.
    traced = rows[("Tỉnh ủy Quảng Nam", "chuong-3/dieu-11/khoan-4", "new_wording")]
    assert traced["answer"] == "rejected"
    assert traced["state"] == "applied_rejected"
    assert traced["where"] == "chuong-3/dieu-12/khoan-4"
    assert traced["where_name"] == "Thể hiện tại Điều 12, khoản 4 của dự thảo 2"
    # Partly accepted on Điều 2 khoản 4, but version 2 kept the old wording.
    traced = rows[("Tỉnh ủy Quảng Nam", "chuong-1/dieu-2/khoan-4", "new_wording")]
    assert (traced["answer"], traced["state"], traced["where"]) == (
        "partly", "accepted_not_applied", None,
    )  # fmt: skip
    # Noted: nothing to check; a comment without wording neither.
    assert rows[("Tỉnh ủy Quảng Nam", "chuong-4/dieu-13/khoan-3", "new_wording")]["state"] == (
        "no_wording"
    )
    assert rows[("Tỉnh ủy Quảng Nam", "chuong-1/dieu-2/khoan-5", "comment")]["state"] == (
        "no_wording"
    )
    assert rows[("Thành ủy Cần Thơ", "chuong-3/dieu-8/khoan-1", "new_wording")]["state"] == (
        "unanswered"
    )
    assert all(r["version"] == 2 for r in rows.values())


def test_no_later_version_and_a_bad_version_are_refused(demo_db):
    store = open_store(demo_db)
    try:
        consultation = store.get_consultation(1)
        assert tracing.later_version(store, consultation, None) == 2
        for wrong in (1, 3, 0):
            with pytest.raises(tracing.InvalidInput):
                tracing.trace(store, 1, wrong)
    finally:
        store.close()


def _drafter(db, *args):
    return subprocess.run(
        [sys.executable, "-m", "drafter", "--db", str(db), *args],
        capture_output=True, text=True, check=False,
    )  # fmt: skip


def test_cli_trace_text_json_and_csv(demo_db):
    text = _drafter(demo_db, "trace", "1")
    assert text.returncode == 0, text.stderr
    assert "applied_rejected" in text.stdout
    assert "chuong-3/dieu-12/khoan-4" in text.stdout
    assert "1 accepted_not_applied, 1 applied_rejected" in text.stdout
    data = json.loads(
        _drafter(demo_db, "trace", "1", "--to-version", "2", "--format", "json").stdout
    )
    assert {r["state"] for r in data} <= set(TRACE_STATES)
    assert len(data) == 42
    rows = list(
        csv.DictReader(io.StringIO(_drafter(demo_db, "trace", "1", "--format", "csv").stdout))
    )
    assert rows[0].keys() >= {"comment_id", "unit", "provision", "state", "where", "where_name"}
    assert [r["state"] for r in rows] == [r["state"] for r in data]
    bad = _drafter(demo_db, "trace", "1", "--to-version", "1")
    assert bad.returncode == 1
    assert "Choose a version after version 1" in bad.stderr
    assert _drafter(demo_db, "trace", "99").returncode == 2


# -- generated drafts: one comment in each state ---------------------------------------------

V1 = """# Quy định thử

## Chương I

QUY ĐỊNH CHUNG

### Điều 1. Phạm vi

1. Quy định này áp dụng cho các cơ quan.

2. Cơ quan báo cáo hằng năm.

### Điều 2. Trách nhiệm

1. Cơ quan chủ trì tổ chức thực hiện.

2. Các cơ quan phối hợp thực hiện.

### Điều 3. Hiệu lực

Quy định này có hiệu lực từ ngày ký.
"""

# Version 2: a new Điều 1 pushes the others down; Điều 2 khoản 1 takes the proposal,
# Điều 2 khoản 2 takes a rejected one; Điều 1's inserted words are there.
V2 = """# Quy định thử

## Chương I

QUY ĐỊNH CHUNG

### Điều 1. Giải thích từ ngữ

Trong Quy định này, các từ ngữ được hiểu như sau.

### Điều 2. Phạm vi

1. Quy định này áp dụng cho các cơ quan.

2. Cơ quan báo cáo bằng văn bản hằng năm và khi được yêu cầu.

### Điều 3. Trách nhiệm

1. Cơ quan chủ trì tổ chức thực hiện và kiểm tra việc thực hiện.

2. Các cơ quan phối hợp chặt chẽ thực hiện.

### Điều 4. Hiệu lực

Quy định này có hiệu lực từ ngày ký.

### Điều 5. Điều khoản chuyển tiếp

Hồ sơ đã nộp trước ngày Quy định này có hiệu lực được xử lý theo quy định cũ.
"""

CASES = [
    # (article, clause, kind, proposed, answer) -> state, where
    (("1", "2", "new_wording", "2. Cơ quan báo cáo bằng văn bản hằng năm và khi được yêu cầu.",
      "accepted"), ("applied", "chuong-1/dieu-2/khoan-2")),
    (("2", "1", "new_wording", "Cơ quan chủ trì tổ chức thực hiện và kiểm tra việc thực hiện",
      "partly"), ("applied", "chuong-1/dieu-3/khoan-1")),
    (("3", None, "new_wording", "Quy định này có hiệu lực sau 45 ngày kể từ ngày ký.",
      "accepted"), ("accepted_not_applied", None)),
    (("2", "2", "new_wording", "2. Các cơ quan phối hợp chặt chẽ thực hiện.", "rejected"),
     ("applied_rejected", "chuong-1/dieu-3/khoan-2")),
    (("1", "1", "new_wording", "1. Quy định này áp dụng cho mọi tổ chức.", "rejected"),
     ("rejected_not_applied", None)),
    (("1", "1", "add_after", "Cơ quan ngang bộ thực hiện như cơ quan.", None),
     ("unanswered", None)),
    (("2", "1", "new_wording", "Cơ quan chủ trì tổ chức thực hiện và kiểm tra việc thực hiện",
      "noted"), ("no_wording", None)),
    (("2", None, "comment", None, "accepted"), ("no_wording", None)),
    # A new article proposed after Điều 3 (Điều 4 in version 2) became version 2's Điều 5.
    (("3", None, "add_after", "Điều 4. Điều khoản chuyển tiếp\n\nHồ sơ đã nộp trước ngày "
      "Quy định này có hiệu lực được xử lý theo quy định cũ.", "accepted"),
     ("applied", "chuong-1/dieu-5")),
]  # fmt: skip


@pytest.fixture
def generated(store):
    v1 = import_bytes(store, V1.encode(), "thu-v1.md")
    import_bytes(store, V2.encode(), "thu-v2.md", draft_id=v1.draft.id)
    organizer = store.get_user(
        accounts.create_organizer(store, "btc", "Ban Tổ chức", "correct horse battery")
    )
    unit = accounts.create_unit(store, "tinh-a", "Tỉnh A", "province")
    lead_id, _ = accounts.create_delegate(
        store, unit, "a-lead", "A", is_lead=True, password="correct horse battery"
    )
    lead = store.get_user(lead_id)
    with store.transaction():
        consultation_id = store.create_consultation(
            v1.version.id, "Thử", opens_at=(NOW - timedelta(days=1)).isoformat(),
            deadline=(NOW + timedelta(days=9)).isoformat(), unit_ids=[unit],
            now=NOW.isoformat(),
        )  # fmt: skip
    consultation = store.get_consultation(consultation_id)
    ids = []
    for (article, clause, kind, proposed, _answer), _expected in CASES:
        key = f"chuong-1/dieu-{article}" + (f"/khoan-{clause}" if clause else "")
        ids.append(
            consulting.add_comment(
                store,
                lead,
                consultation,
                key=key,
                kind=kind,
                text="Ý kiến thử.",
                proposed_text=proposed,
                now=NOW.isoformat(),
            )  # fmt: skip
        )
    consulting.submit(store, lead, consultation, no_comments=False, now=NOW.isoformat())
    for comment_id, ((*_rest, answer), _expected) in zip(ids, CASES, strict=True):
        if answer:
            consulting.answer(
                store, organizer, comment_id, status=answer, explanation="Trả lời.",
                now=NOW.isoformat(),
            )  # fmt: skip
    return consultation_id, ids


def test_each_state_on_generated_versions(store, generated):
    consultation_id, ids = generated
    traced = tracing.trace(store, consultation_id)
    assert traced.version == 2
    for comment_id, (_case, (state, where)) in zip(ids, CASES, strict=True):
        assert (traced.items[comment_id].state, traced.items[comment_id].where) == (state, where)
    assert traced.counts == {
        "applied": 3, "accepted_not_applied": 1, "applied_rejected": 1,
        "rejected_not_applied": 1, "unanswered": 1, "no_wording": 2,
    }  # fmt: skip


# -- the summary table's last column ----------------------------------------------------------


def test_summary_table_says_where_each_proposal_is_in_the_next_version(demo_db):
    import docx

    from drafter import summary

    store = open_store(demo_db)
    try:
        table = summary.build(store, 1)
    finally:
        store.close()
    rows = list(csv.reader(io.StringIO(summary.to_csv(table).decode("utf-8-sig"))))
    assert rows[0][-1] == summary.TRACE_COLUMN == "Thể hiện trong dự thảo sau"
    by_place = {(r[1], r[2]): r[-1] for r in rows[1:] if len(r) == 7 and r[0]}
    assert by_place[("khoản 4 Điều 11", "Tỉnh ủy Quảng Nam")] == (
        "Không tiếp thu nhưng đã thể hiện tại Điều 12, khoản 4 của dự thảo 2"
    )
    assert by_place[("khoản 4 Điều 2", "Tỉnh ủy Quảng Nam")] == (
        "Tiếp thu nhưng chưa thể hiện trong dự thảo 2"
    )
    assert by_place[("khoản 1 Điều 8", "Thành ủy Cần Thơ")] == "Chưa trả lời"
    document = docx.Document(io.BytesIO(summary.to_docx(table)))
    cells = [c.text for row in document.tables[0].rows for c in row.cells]
    assert "Không tiếp thu nhưng đã thể hiện tại Điều 12, khoản 4 của dự thảo 2" in cells
    assert "đã thể hiện tại Điều 12, khoản 4 của dự thảo 2 |" in summary.to_markdown(table)
