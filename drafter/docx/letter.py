"""Official letters (công văn) laid out per Decree 30/2020: the header block as a borderless
two-column table (the issuing body and its number on the left, the national motto — or the
Party's name for a Party body — on the right), place and date, the subject line, "Kính gửi",
the body, and the signature block with the list of recipients.  Two letters use it: a unit's
response to a consultation ("công văn góp ý") and the organizer's request for comments
("công văn xin ý kiến")."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from docx.shared import Mm, Pt

from . import ooxml
from .layout import (
    CENTER,
    JUSTIFY,
    LEFT,
    add_markdown_runs,
    new_document,
    to_bytes,
    xml_safe,
)

#: Party bodies head their letters with the Party's name, not the national motto.
PARTY_PREFIXES = ("tỉnh ủy", "thành ủy", "đảng ủy", "huyện ủy", "ban ", "đảng đoàn", "ban cán sự")
SIZE = Pt(13)


@dataclass
class Section:
    """A part of the letter's body: a heading (a provision) and its paragraphs; each
    paragraph is Markdown, or a list of (op, words) changes shown as a redline."""

    heading: str
    paragraphs: list[str | Sequence[tuple[str, str]]] = field(default_factory=list)


@dataclass
class Letter:
    """What an official letter says."""

    issuer: str
    subject: str  # "V/v góp ý dự thảo …"
    addressees: list[str]
    opening: str
    sections: list[Section]
    closing: str
    signer: str  # "T/M TỈNH ỦY" …
    recipients: list[str]
    when: datetime
    number_prefix: str = "CV"


def motto(issuer: str) -> tuple[str, str]:
    """Return the right-hand header lines for an issuing body."""
    if issuer.casefold().startswith(PARTY_PREFIXES):
        return "ĐẢNG CỘNG SẢN VIỆT NAM", ""
    return "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"


def _line(cell_or_doc, text: str, *, bold=False, italic=False, align=CENTER, size=SIZE):
    paragraph = cell_or_doc.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.first_line_indent = Pt(0)
    paragraph.paragraph_format.space_after = Pt(0)
    run = paragraph.add_run(xml_safe(text))
    run.bold, run.italic, run.font.size = bold or None, italic or None, size
    return paragraph


def _header(document, letter: Letter) -> None:
    table = document.add_table(rows=1, cols=2)  # no style: no borders
    table.autofit = False
    left, right = table.rows[0].cells
    for column, cell, width in zip(table.columns, (left, right), (Mm(70), Mm(95)), strict=True):
        column.width = cell.width = width
    left.paragraphs[0].add_run(xml_safe(letter.issuer.upper())).bold = True
    left.paragraphs[0].alignment = CENTER
    _line(left, "*")
    _line(left, f"Số:      -{letter.number_prefix}")
    _line(left, xml_safe(letter.subject), italic=True, size=Pt(12))
    first, second = motto(letter.issuer)
    right.paragraphs[0].add_run(first).bold = True
    right.paragraphs[0].alignment = CENTER
    if second:
        _line(right, second, bold=True)
    _line(right, "")
    when = letter.when
    _line(right, f"……, ngày {when.day:02d} tháng {when.month:02d} năm {when.year}", italic=True)
    for cell in (left, right):
        for paragraph in cell.paragraphs:
            paragraph.paragraph_format.first_line_indent = Pt(0)
            for run in paragraph.runs:
                run.font.size = run.font.size or SIZE


def letter_docx(letter: Letter) -> bytes:
    """Return the letter as a DOCX, ready to number, sign and stamp."""
    document = new_document(letter.subject, author=letter.issuer)
    _header(document, letter)
    _line(document, "")
    to = document.add_paragraph()
    to.alignment = CENTER if len(letter.addressees) == 1 else LEFT
    to.add_run("Kính gửi: ").italic = True
    to.add_run(xml_safe("; ".join(letter.addressees)) + ".")
    opening = document.add_paragraph()
    opening.alignment = JUSTIFY
    add_markdown_runs(opening, xml_safe(letter.opening))
    for section in letter.sections:
        heading = document.add_paragraph()
        heading.alignment = JUSTIFY
        heading.add_run(xml_safe(section.heading)).bold = True
        for item in section.paragraphs:
            paragraph = document.add_paragraph()
            paragraph.alignment = JUSTIFY
            if isinstance(item, str):
                add_markdown_runs(paragraph, xml_safe(item))
                continue
            for op, words in item:
                run = paragraph.add_run(xml_safe(words))
                if op == "insert":
                    run.underline = True
                elif op == "delete":
                    run.font.strike = True
    closing = document.add_paragraph()
    closing.alignment = JUSTIFY
    add_markdown_runs(closing, xml_safe(letter.closing))
    _signature(document, letter)
    return to_bytes(document)


def _signature(document, letter: Letter) -> None:
    table = document.add_table(rows=1, cols=2)
    table.autofit = False
    left, right = table.rows[0].cells
    for column, cell, width in zip(table.columns, (left, right), (Mm(80), Mm(85)), strict=True):
        column.width = cell.width = width
    left.paragraphs[0].add_run("Nơi nhận:").bold = True
    left.paragraphs[0].runs[0].italic = True
    for recipient in [*letter.recipients, "Lưu: VT."]:
        _line(left, f"- {recipient}", align=LEFT, size=Pt(11))
    right.paragraphs[0].add_run(xml_safe(letter.signer.upper())).bold = True
    right.paragraphs[0].alignment = CENTER
    _line(right, "(Ký, ghi rõ họ tên và đóng dấu)", italic=True, size=Pt(12))
    ooxml.keep_table_together(table)
