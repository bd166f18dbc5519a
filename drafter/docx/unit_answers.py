"""The answers to one unit's comments, written as a landscape DOCX ("Ý kiến của đơn vị đã được
tiếp thu, giải trình thế nào"), from rows built by ``drafter.feedback``."""

from __future__ import annotations

from collections.abc import Sequence

from docx.shared import Mm, Pt

from .layout import new_document, to_bytes, xml_safe


def unit_answers_docx(
    title: str,
    unit_name: str,
    rows: Sequence[tuple[str, str, str, str]],
    *,
    next_version: int | None,
) -> bytes:
    """Return the DOCX bytes: a heading, then one table row per comment (provision, what the
    unit said, the published answer, the provision in the next version when there is one)."""
    document = new_document(f"Tiếp thu, giải trình ý kiến của {unit_name}", landscape=True)
    for text, bold in (
        ("TIẾP THU, GIẢI TRÌNH Ý KIẾN GÓP Ý", True),
        (f"của {unit_name}", True),
        (f"Đối với: {title}", False),
    ):
        paragraph = document.add_paragraph()
        paragraph.alignment = 1
        run = paragraph.add_run(xml_safe(text))
        run.bold, run.italic = bold, not bold
    columns = ["STT", "Điều, khoản, điểm", "Ý kiến của đơn vị", "Tiếp thu, giải trình"]
    widths = [Mm(12), Mm(35), Mm(90), Mm(90)]
    if next_version is not None:
        columns.append(f"Quy định tại dự thảo lần {next_version}")
        widths = [Mm(12), Mm(30), Mm(70), Mm(70), Mm(70)]
    table = document.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    for cell, column, width in zip(table.rows[0].cells, columns, widths, strict=True):
        cell.width = width
        cell.paragraphs[0].add_run(column).bold = True
    for number, row in enumerate(rows, start=1):
        values = [str(number), *row][: len(columns)]
        for cell, text in zip(table.add_row().cells, values, strict=True):
            lines = xml_safe(text).splitlines() or [""]
            cell.paragraphs[0].add_run(lines[0])
            for line in lines[1:]:
                cell.add_paragraph(line)
    for paragraph in (p for row in table.rows for c in row.cells for p in c.paragraphs):
        paragraph.paragraph_format.first_line_indent = Pt(0)
        for run in paragraph.runs:
            run.font.size = Pt(12)
    if not rows:
        document.add_paragraph("Đơn vị chưa có ý kiến đã gửi.")
    return to_bytes(document)
