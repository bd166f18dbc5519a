"""Tables for people as XLSX (openpyxl): every cell is text, so no formula can ever exist.

A cell whose text starts with "=" is a formula to a spreadsheet; written here with the
string type and the Text number format, it stays the text that was typed, whatever it is.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

# What XML 1.0 cannot hold (openpyxl refuses it): control characters but TAB, LF and CR.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def table(
    title: str,
    columns: Sequence[str],
    rows: Iterable[Sequence[str]],
    *,
    widths: Sequence[int] = (),
    heading_rows: Sequence[str] = (),
) -> bytes:
    """Return an XLSX workbook of one sheet: `heading_rows` (one text each, bold), the column
    titles (bold, frozen, with filters), then `rows`; every cell text, wrapped."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _ILLEGAL.sub("", title)[:31] or "Sheet"
    row_number = 0
    for text in heading_rows:
        row_number += 1
        _put(sheet, row_number, 1, text).font = Font(bold=True)
    row_number += 1
    header = row_number
    for column, name in enumerate(columns, start=1):
        _put(sheet, header, column, name).font = Font(bold=True)
    for values in rows:
        row_number += 1
        for column, value in enumerate(values, start=1):
            _put(sheet, row_number, column, value)
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = sheet.cell(row=header + 1, column=1)
    sheet.auto_filter.ref = f"A{header}:{get_column_letter(len(columns))}{max(row_number, header)}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _put(sheet, row: int, column: int, value: str):
    cell = sheet.cell(row=row, column=column)
    cell.value = _ILLEGAL.sub("", value or "")
    cell.data_type = "s"  # text, even when it starts with "=": never a formula
    cell.number_format = "@"
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell
