"""Roster files (CSV or XLSX): read into rows of text, with every problem found on the way,
and written from rows.

Hostile files are expected: the size is capped, CSV must be UTF-8 (with or without a BOM),
an XLSX must be a small zip whose parts hold no DTD (no entity tricks), only its first sheet
is read, in openpyxl's read-only mode, and every cell becomes text (a formula is never
computed; its stored text is read).  Nothing here knows what a valid code or user name is:
this module says what the file holds, :mod:`drafter.roster` says whether it is right.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time

from . import xlsx
from .errors import N_, InvalidInput

COLUMNS = ("unit_code", "unit_name", "username", "full_name", "email", "role")
MAX_BYTES = 1_000_000  # a roster of 1,000 delegates is about 100 kB
MAX_ROWS = 5_000
MAX_CELL = 500
MAX_UNZIPPED = 20_000_000  # all parts of an XLSX together, once unzipped
MAX_PARTS = 200
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_DTD = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)


@dataclass(frozen=True)
class Problem:
    """Something wrong at `line` (1-based line of the CSV or row of the sheet; None for the
    whole file), in `column` (None for the whole line); `error` carries the message."""

    line: int | None
    column: str | None
    error: InvalidInput


@dataclass(frozen=True)
class Row:
    """One data line of the file: its line number and its cells by column name, as text."""

    line: int
    cells: dict[str, str]


@dataclass
class Table:
    """What a roster file holds: its data rows and the problems found reading it."""

    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _problem(line: int | None, column: str | None, message: str, /, **params: object) -> Problem:
    return Problem(line, column, InvalidInput(message, **params))


def _too_many() -> Problem:
    return _problem(None, None, N_("The file has more than %(n)s rows."), n=MAX_ROWS)


def read(name: str, data: bytes) -> Table:
    """Return the rows and problems of a roster file, chosen by its extension (.csv, .xlsx)."""
    table = Table()
    suffix = name.lower().rsplit(".", 1)[-1] if "." in name else ""
    if suffix not in ("csv", "xlsx"):
        table.problems.append(_problem(None, None, N_("Choose a .csv or .xlsx file.")))
    elif len(data) > MAX_BYTES:
        table.problems.append(
            _problem(
                None, None, N_("The file is too large: at most %(n)s kB."), n=MAX_BYTES // 1000
            )
        )
    elif suffix == "csv":
        _fill(table, _csv_lines(data, table))
    else:
        _fill(table, _xlsx_lines(data, table))
    return table


def _csv_lines(data: bytes, table: Table) -> list[tuple[int, list[str]]]:
    """Return the CSV's records with their first line numbers (a problem and [] if broken)."""
    try:
        text = data.decode("utf-8-sig")  # Excel's "CSV UTF-8" starts with a BOM
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        table.problems.append(
            _problem(
                line,
                None,
                N_(
                    "The file is not in UTF-8 (line %(line)s). In Excel, save it as "
                    "“CSV UTF-8”, or upload the .xlsx file."
                ),
                line=line,
            )
        )
        return []
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)  # Excel uses ";" in some languages
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for record in reader:
            records.append((start, record))
            start = reader.line_num + 1  # the size cap bounds the number of lines
    except csv.Error as exc:
        table.problems.append(
            _problem(
                start,
                None,
                N_("This line is not valid CSV (%(reason)s): check its quotes."),
                reason=str(exc),
            )
        )
        return []
    return records


def _xlsx_lines(data: bytes, table: Table) -> list[tuple[int, list[str]]]:
    """Return the first sheet's rows with their numbers (a problem and [] if unreadable)."""
    broken = _problem(
        None, None, N_("The file is not a readable XLSX workbook: open and save it in Excel.")
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            parts = package.infolist()
            if len(parts) > MAX_PARTS or sum(p.file_size for p in parts) > MAX_UNZIPPED:
                table.problems.append(
                    _problem(None, None, N_("The workbook is too large once unpacked."))
                )
                return []
            for part in parts:
                if _DTD.search(package.read(part)):
                    table.problems.append(broken)
                    return []
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        table.problems.append(broken)
        return []
    from openpyxl import load_workbook  # only here: reading a roster is rare

    records: list[tuple[int, list[str]]] = []
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
        try:
            sheet = workbook.worksheets[0]
            sheet.reset_dimensions()  # the declared size may be a lie (A1:XFD1048576)
            rows = sheet.iter_rows(max_col=len(COLUMNS) + 10, values_only=True)
            for number, values in enumerate(rows, start=1):
                cells = [_text(v) for v in values]
                if any(c.strip() for c in cells):
                    records.append((number, cells))
                if len(records) > MAX_ROWS + 1 or number > 10 * MAX_ROWS:
                    table.problems.append(_too_many())
                    return []
        finally:
            workbook.close()
    except Exception:  # a hostile or broken workbook may fail anywhere inside openpyxl
        table.problems.append(broken)
        return []
    return records


def _text(value: object) -> str:
    """Return a cell's value as the text a person sees ("84" for 84.0, dates as ISO)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)


def _cell(text: str) -> str:
    """Return a cell trimmed, without the apostrophe a CSV export put before "=…"."""
    text = text.strip()
    if text.startswith("'") and text[1:].startswith(_FORMULA_STARTS):
        return text[1:]
    return text


def _fill(table: Table, records: list[tuple[int, list[str]]]) -> None:
    """Check the header of `records` and add their data rows (and problems) to `table`."""
    records = [(n, [_cell(c) for c in cells]) for n, cells in records]
    records = [(n, cells) for n, cells in records if any(cells)]
    if not records:
        if not table.problems:
            table.problems.append(_problem(None, None, N_("The file holds no rows.")))
        return
    line, header = records[0]
    header = [c.lower().lstrip("\ufeff") for c in header]
    while header and not header[-1]:
        header.pop()
    if sorted(header) != sorted(COLUMNS):
        table.problems.append(
            _problem(
                line,
                None,
                N_("The first line must name the columns %(expected)s; it names %(found)s."),
                expected=", ".join(COLUMNS),
                found=", ".join(header)[:300],
            )
        )
        return
    if len(records) - 1 > MAX_ROWS:
        table.problems.append(_too_many())
        return
    for line, cells in records[1:]:
        if any(cells[len(header) :]):
            table.problems.append(
                _problem(line, None, N_("This line has more cells than the first line names."))
            )
            continue
        values = {name: cells[i] if i < len(cells) else "" for i, name in enumerate(header)}
        long = [name for name, text in values.items() if len(text) > MAX_CELL]
        for name in long:
            table.problems.append(
                _problem(line, name, N_("This cell is too long: at most %(n)s characters."),
                         n=MAX_CELL)
            )  # fmt: skip
        if not long:
            table.rows.append(Row(line, values))


def write(fmt: str, rows: Sequence[Sequence[str]]) -> bytes:
    """Return `rows` under the roster's columns as "csv" (UTF-8 with a BOM for Excel; a cell
    that starts like a formula gets an apostrophe, which :func:`read` takes off again) or
    "xlsx" (every cell text: no formula can exist)."""
    if fmt == "xlsx":
        return xlsx.table("Roster", COLUMNS, rows, widths=(18, 30, 20, 30, 30, 10))
    if fmt != "csv":
        raise InvalidInput(N_("Choose CSV or XLSX."))
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(["'" + c if c.startswith(_FORMULA_STARTS) else c for c in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
