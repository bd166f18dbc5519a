"""The summary table (bảng tổng hợp ý kiến) written as a landscape DOCX, from data built by
``drafter.summary``."""

from __future__ import annotations

from collections.abc import Sequence

from docx.shared import Mm, Pt

from .layout import new_document, to_bytes, xml_safe


def summary_table_docx(
    title: str,
    columns: Sequence[str],
    groups: Sequence[tuple[str, Sequence[Sequence[str]], str | None]],
    totals: Sequence[str],
) -> bytes:
    """Return the DOCX bytes of the table: `columns` headers, then per group (heading, rows,
    notes or None: who agrees, who contradicts themselves, one per line) a merged heading
    row, its rows and its notes, then the `totals` lines."""
    document = new_document(f"Bảng tổng hợp ý kiến: {title}", landscape=True)
    heading = document.add_paragraph()
    heading.alignment = 1
    run = heading.add_run("BẢNG TỔNG HỢP, TIẾP THU, GIẢI TRÌNH Ý KIẾN GÓP Ý")
    run.bold = True
    subtitle = document.add_paragraph()
    subtitle.alignment = 1
    subtitle.add_run(xml_safe(f"Đối với: {title}")).italic = True
    table = document.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    widths = (Mm(12), Mm(30), Mm(40), Mm(70), Mm(50), Mm(50))
    for cell, column, width in zip(table.rows[0].cells, columns, widths, strict=True):
        cell.width = width
        cell.paragraphs[0].add_run(column).bold = True
    for heading_text, rows, agreed in groups:
        cells = table.add_row().cells
        merged = cells[0].merge(cells[-1])
        merged.paragraphs[0].add_run(xml_safe(heading_text)).bold = True
        for row in rows:
            for cell, text in zip(table.add_row().cells, row, strict=True):
                lines = xml_safe(text).splitlines() or [""]
                cell.paragraphs[0].add_run(lines[0])
                for line in lines[1:]:
                    cell.add_paragraph(line)
        for note in (agreed or "").splitlines():
            cells = table.add_row().cells
            cells[2].merge(cells[-1]).paragraphs[0].add_run(xml_safe(note)).italic = True
    for paragraph in (p for row in table.rows for c in row.cells for p in c.paragraphs):
        paragraph.paragraph_format.first_line_indent = Pt(0)
        for run in paragraph.runs:
            run.font.size = Pt(12)
    for line in totals:
        document.add_paragraph(xml_safe(line))
    return to_bytes(document)
