"""Layout faithful to the source: the header and closing blocks keep the lines of their cells,
the title block is centred and bold, emphasis and superscripts survive import and export, and
pandoc reads the exported decree word for word as it reads the Word original."""

from __future__ import annotations

import io
import re
import subprocess
import unicodedata

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH

from drafter import exports
from drafter.blocks import plain_text
from drafter.docx.layout import layout
from drafter.importing import import_file
from drafter.markup import to_html, to_plain
from drafter.reading import parse_bytes, parse_file
from drafter.storage import open_store

from .docx_factory import Table, docx_bytes

DECREE = "nd-30-2020-nd-cp.docx"


# -- the line-break and superscript marks -----------------------------------------------------
def test_a_cell_line_break_and_superscript_render_on_the_web_and_nothing_else_does():
    html = to_html(
        "| **CHÍNH PHỦ**<br><sup>\\_\\_\\_</sup><br/>Số: 30 | m<sub>2</sub> |\n|---|---|"
    )
    assert "<strong>CHÍNH PHỦ</strong><br>" in html
    assert "<sup>___</sup><br>" in html
    assert "<sub>2</sub>" in html
    # Raw HTML stays off: anything else, and an escaped mark, is shown as text.
    html = to_html("a \\<br> b <b>x</b> <script>y</script> <br onclick=z>")
    for shown in ("&lt;br&gt;", "&lt;b&gt;", "&lt;script&gt;"):
        assert shown in html
    assert "<br" not in html.replace("&lt;br", "")


def test_superscripts_never_nest_and_always_close():
    """A text cannot build a tower of <sup>: an open inside another, or a stray close, is
    text; one left open is closed where its paragraph ends."""
    assert to_html("x" + "<sup>" * 500 + "y").count("<sup>") == 1
    assert to_html("a</sup> <sub>b").strip() == "<p>a&lt;/sup&gt; <sub>b</sub></p>"


def test_plain_text_shows_a_cell_break_as_a_space_and_csv_as_a_new_line():
    assert plain_text("**Nơi nhận:**<br>- Như trên;<sup>1</sup>") == "Nơi nhận: - Như trên;1"
    assert to_plain("**Nơi nhận:**<br>- Như trên;") == "Nơi nhận:\n- Như trên;"


# -- reading Word's blocks ---------------------------------------------------------------------
def test_a_word_cell_keeps_its_lines():
    data = docx_bytes(
        [
            Table([["BỘ NỘI VỤ\nSố: 12/2024/TT-BNV", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]]),
            "THÔNG TƯ",
            "Điều 1. Phạm vi",
            "Thông tư này quy định.",
        ]
    )
    parsed = parse_bytes(data, "thong-tu.docx")
    assert parsed.nodes[0].text.startswith("| BỘ NỘI VỤ<br>Số: 12/2024/TT-BNV | CỘNG HÒA")
    document = docx.Document(io.BytesIO(exports_render(parsed.nodes)))
    cell = document.tables[0].cell(0, 0)
    assert [p.text for p in cell.paragraphs] == ["BỘ NỘI VỤ", "Số: 12/2024/TT-BNV"]


def exports_render(nodes) -> bytes:
    from drafter.docx.layout import render_version

    return render_version(nodes, title="t")


@pytest.fixture(scope="module")
def decree(tmp_path_factory):
    """The real decree imported once: (store path, draft id, exported clean DOCX)."""
    from .conftest import CORPUS, REAL_DOCX, SHARED

    if not CORPUS.is_dir() or not REAL_DOCX.is_dir():
        pytest.skip(f"{SHARED} is absent: the real Word files live there (CI has it)")
    path = tmp_path_factory.mktemp("decree") / "nd.sqlite"
    store = open_store(path)
    try:
        result = import_file(store, REAL_DOCX / DECREE)
        data = exports.draft(store, result.draft.id)
    finally:
        store.close()
    return path, result.draft.id, data


def test_the_real_header_block_keeps_lines_bold_and_superscript(decree, shared):
    parsed = parse_file(shared / "real-docx" / DECREE)
    header = parsed.nodes[0].text.split("\n")[0]
    assert header.startswith("| **CHÍNH PHỦ**<br><sup>\\_\\_\\_\\_\\_\\_\\_</sup><br>Số: 30/")
    assert "<br>**Độc lập - Tự do - Hạnh phúc**<br><sup>" in header
    assert header.endswith("<br>*Hà Nội, ngày 05 tháng 3 năm 2020* |")
    closing = parsed.nodes[-1].text
    assert closing.startswith("| ***Nơi nhận:***<br>- Ban Bí thư Trung ương Đảng;<br>")
    assert "| **TM. CHÍNH PHỦ**<br>**THỦ TƯỚNG**<br>" in closing

    document = docx.Document(io.BytesIO(decree[2]))
    left, right = document.tables[0].rows[0].cells
    assert [p.text for p in left.paragraphs] == ["CHÍNH PHỦ", "_______", "Số: 30/2020/NĐ-CP"]
    assert left.paragraphs[0].runs[0].bold
    assert left.paragraphs[1].runs[0].font.superscript
    assert right.paragraphs[-1].runs[0].italic
    assert {p.alignment for p in left.paragraphs} == {WD_ALIGN_PARAGRAPH.CENTER}
    assert left.width < right.width  # the issuing body narrow, the motto wide
    recipients, signature = document.tables[-1].rows[0].cells
    assert recipients.paragraphs[0].text == "Nơi nhận:"
    assert recipients.paragraphs[1].text == "- Ban Bí thư Trung ương Đảng;"
    assert [p.text for p in signature.paragraphs][:2] == ["TM. CHÍNH PHỦ", "THỦ TƯỚNG"]
    for table in (document.tables[0], document.tables[-1]):
        assert table.style is None or table.style.name != "Table Grid"
    title = _paragraph(document, "NGHỊ ĐỊNH")
    summary = _paragraph(document, "Về công tác văn thư")
    for paragraph in (title, summary):
        assert paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER
        assert all(run.bold for run in paragraph.runs)


def _paragraph(document, text):
    return next(p for p in document.paragraphs if p.text == text)


def test_a_typed_decree_gets_decree_30s_header_table_and_title_block():
    text = "\n".join(
        [
            "BỘ NỘI VỤ",
            "Số: 12/2024/TT-BNV",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "Hà Nội, ngày 01 tháng 7 năm 2024",
            "THÔNG TƯ",
            "Quy định về lưu trữ điện tử",
            "Căn cứ Luật Lưu trữ;",
            "Điều 1. Phạm vi điều chỉnh",
            "Thông tư này quy định về lưu trữ điện tử.",
        ]
    )
    parsed = parse_bytes(text.encode(), "thong-tu.txt")
    paras = layout(parsed.nodes)
    assert paras[0].table
    assert paras[0].borderless
    assert paras[0].text.startswith(
        "| **BỘ NỘI VỤ**<br>Số: 12/2024/TT-BNV | **CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**<br>"
        "**Độc lập - Tự do - Hạnh phúc**<br>*Hà Nội, ngày 01 tháng 7 năm 2024* |"
    )
    document = docx.Document(io.BytesIO(exports_render(parsed.nodes)))
    for text in ("THÔNG TƯ", "Quy định về lưu trữ điện tử"):
        paragraph = _paragraph(document, text)
        assert paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER
        assert all(run.bold for run in paragraph.runs)
    assert _paragraph(document, "Căn cứ Luật Lưu trữ;").alignment != WD_ALIGN_PARAGRAPH.CENTER


# -- pandoc reads the export as it reads the original ------------------------------------------
_BORDER = re.compile(r"^[\s+\-=:|]*$")


def pandoc_words(path, mode: str = "accept") -> list[str]:
    """Return pandoc's plain text of a DOCX as words, in NFC, with the drawing of tables
    taken away: each grid table is read back cell by cell (each cell's lines in order)."""
    out = subprocess.run(
        ["pandoc", f"--track-changes={mode}", "-t", "plain", "--columns=1000", str(path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    return unicodedata.normalize("NFC", _degrid(out)).split()


def _degrid(text: str) -> str:
    """Return pandoc plain text with every grid table written as its cells' text, row by row,
    and simple tables' rules dropped: line wrapping and table drawing aside."""
    out: list[str] = []
    row: list[list[str]] = []
    for line in text.splitlines():
        if line.startswith("+") and _BORDER.match(line):
            out.extend(" ".join(cell) for cell in row)
            row = []
            continue
        if line.startswith("|") and line.rstrip().endswith("|"):
            cells = [cell.strip() for cell in line.strip()[1:-1].split("|")]
            row = row or [[] for _ in cells]
            for k, cell in enumerate(cells[: len(row)]):
                row[k].append(cell)
            continue
        if _BORDER.match(line):
            continue
        out.append(line)
    out.extend(" ".join(cell) for cell in row)
    return "\n".join(out)


def test_pandoc_reads_the_exported_decree_word_for_word_as_the_original(
    decree, shared, pandoc, tmp_path
):
    copy = tmp_path / "export.docx"
    copy.write_bytes(decree[2])
    ours = pandoc_words(copy)
    original = pandoc_words(shared / "real-docx" / DECREE)
    assert "^(_______)" in original  # superscripts, as pandoc shows them
    assert "^(_______)" in ours
    assert ours == original


def test_the_draft_page_shows_the_header_cells_line_by_line(decree):
    from drafter import accounts, create_app

    path, draft_id, _data = decree
    store = open_store(path)
    try:
        if store.find_login("organizer") is None:
            accounts.create_organizer(store, "organizer", "Ban Tổ chức", "correct horse battery")
    finally:
        store.close()
    app = create_app({"TESTING": True, "DATABASE": str(path), "WTF_CSRF_ENABLED": False})
    client = app.test_client()
    login = {"username": "organizer", "password": "correct horse battery"}
    assert client.post("/login", data=login).status_code == 302
    page = client.get(f"/drafts/{draft_id}").get_data(as_text=True)
    assert "<strong>CHÍNH PHỦ</strong><br>" in page
    assert "<sup>_______</sup><br>" in page
    assert "<em><strong>Nơi nhận:</strong></em><br>" in page
    assert "&lt;br&gt;" not in page
