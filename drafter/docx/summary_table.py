"""The summary table (bảng tổng hợp, tiếp thu, giải trình ý kiến góp ý) written as a landscape
DOCX, from data built by ``drafter.summary``: column widths that fit their content, Markdown
as runs, each proposal as its changes (inserted words underlined, deleted ones struck out)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.shared import Mm, Pt

from ..config import DEFAULT_TIMEZONE
from . import ooxml
from .layout import CENTER, add_markdown_runs, new_document, to_bytes, xml_safe

#: Widths of STT, provision, unit, comment, proposal, answer, where it is in the next version:
#: 252 mm, the A4 landscape text width between the formal margins (30 mm left, 15 mm right).
WIDTHS = (Mm(10), Mm(20), Mm(28), Mm(72), Mm(45), Mm(45), Mm(32))
CELL_SIZE = Pt(10.5)

Group = tuple[str, Sequence[Sequence[str]], str | None, Mapping[int, Sequence[tuple[str, str]]]]


def _cell_text(cell, text: str, *, markdown: bool = True) -> None:
    """Write `text` into a table cell, one paragraph a line, Markdown emphasis as runs."""
    lines = xml_safe(text).splitlines() or [""]
    for number, line in enumerate(lines):
        paragraph = cell.paragraphs[0] if number == 0 else cell.add_paragraph()
        if markdown:
            add_markdown_runs(paragraph, line)
        else:
            paragraph.add_run(line)


def _changes(cell, changes: Sequence[tuple[str, str]]) -> None:
    """Write a proposal as its changes: inserted words underlined, deleted ones struck."""
    paragraph = cell.paragraphs[0]
    for op, text in changes:
        for number, line in enumerate(xml_safe(text).split("\n")):
            if number:
                paragraph = cell.add_paragraph()
            if not line:
                continue
            run = paragraph.add_run(line)
            if op == "insert":
                run.underline = True
            elif op == "delete":
                run.font.strike = True


def summary_table_docx(
    title: str,
    columns: Sequence[str],
    groups: Sequence[Group],
    totals: Sequence[str],
    *,
    counts: str = "",
    zone: str = DEFAULT_TIMEZONE,
    author: str = "drafter",
) -> bytes:
    """Return the DOCX bytes of the table: the heading, `columns`, then per group (heading,
    rows, notes — who agrees, who contradicts themselves, one per line —, the proposals'
    changes by row) a merged heading row, its rows and its notes; then the `totals` lines."""
    document = new_document(f"Bảng tổng hợp ý kiến: {title}", landscape=True, author=author)
    heading = document.add_paragraph()
    heading.alignment = CENTER
    heading.add_run("BẢNG TỔNG HỢP, TIẾP THU, GIẢI TRÌNH Ý KIẾN GÓP Ý ĐỐI VỚI DỰ THẢO").bold = True
    subtitle = document.add_paragraph()
    subtitle.alignment = CENTER
    subtitle.add_run(xml_safe(title)).bold = True
    today = datetime.now(ZoneInfo(zone))
    dated = document.add_paragraph()
    dated.alignment = CENTER
    dated.add_run(
        f"(Tổng hợp ngày {today.day:02d} tháng {today.month:02d} năm {today.year})"
    ).italic = True
    if counts:
        document.add_paragraph(xml_safe(counts))
    table = document.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, WIDTHS, strict=True):
        column.width = width  # the grid, which LibreOffice reads
    ooxml.repeat_as_header(table.rows[0])  # the column titles on every page
    for cell, column in zip(table.rows[0].cells, columns, strict=True):
        cell.paragraphs[0].add_run(column).bold = True
        cell.paragraphs[0].alignment = CENTER
    for heading_text, rows, notes, changes in groups:
        cells = table.add_row().cells
        merged = cells[0].merge(cells[-1])
        merged.paragraphs[0].add_run(xml_safe(heading_text)).bold = True
        for index, row in enumerate(rows):
            cells = table.add_row().cells
            for number, (cell, text) in enumerate(zip(cells, row, strict=True)):
                if number == 4 and index in changes:
                    _changes(cell, changes[index])
                else:
                    _cell_text(cell, text, markdown=number in (3, 4, 5))
        for note in (notes or "").splitlines():
            cells = table.add_row().cells
            cells[2].merge(cells[-1]).paragraphs[0].add_run(xml_safe(note)).italic = True
    for row in table.rows:
        column = 0
        for tc in row._tr.tc_lst:  # each cell's own width (merged: its columns'), for Word
            tc.width = sum(WIDTHS[column : column + tc.grid_span], Mm(0))
            column += tc.grid_span
        for cell in {id(c): c for c in row.cells}.values():
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.first_line_indent = Pt(0)
                paragraph.paragraph_format.space_after = Pt(2)
                paragraph.paragraph_format.line_spacing = 1.0
                for run in paragraph.runs:
                    run.font.size = CELL_SIZE
    for line in totals:
        document.add_paragraph(xml_safe(line))
    return to_bytes(document)
