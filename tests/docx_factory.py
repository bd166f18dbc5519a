"""Build small DOCX and text drafts for the parser tests, from one list of paragraphs.

A document is a list of items:

* ``"text"`` — a plain Normal paragraph;
* ``H("CHƯƠNG I")`` — a heading as real Vietnamese drafts write it: a Normal paragraph,
  bold and centred (never a Heading style);
* ``R(("Điều 5.", "b"), (" Body", ""))`` — one paragraph of runs; a run's style is a mix of
  ``b`` (bold) and ``i`` (italic);
* ``Lines("Chương VI", "TỔ CHỨC", bold=True)`` — one paragraph whose lines are joined by soft
  line breaks (``run.add_break()``);
* ``Table([["a", "b"], ["c", "d"]])`` — a real table;
* ``Auto("text", level=0)`` — a paragraph numbered by Word (style "List Number"; with a
  custom numbering part, see :func:`docx_bytes`), the number is not typed in the text.

:func:`docx_bytes` writes the DOCX; :func:`md_bytes` and :func:`txt_bytes` write the same
document as Markdown (paragraphs separated by blank lines, headings bold) and as plain text
(one paragraph a line, no markup).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn


@dataclass(frozen=True)
class H:
    text: str


@dataclass(frozen=True)
class R:
    parts: tuple[tuple[str, str], ...]

    def __init__(self, *parts: tuple[str, str]) -> None:
        object.__setattr__(self, "parts", tuple(parts))


@dataclass(frozen=True)
class Lines:
    lines: tuple[str, ...]
    bold: bool = False

    def __init__(self, *lines: str, bold: bool = False) -> None:
        object.__setattr__(self, "lines", tuple(lines))
        object.__setattr__(self, "bold", bold)


@dataclass(frozen=True)
class Table:
    rows: list[list[str]]


@dataclass(frozen=True)
class Auto:
    text: str
    level: int = 0


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def numbering_xml(levels: list[tuple[str, str]], num_id: int = 1) -> str:
    """Return a numbering part with one list: `levels` is [(numFmt, lvlText), …]."""
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/></w:lvl>'
        for i, (fmt, text) in enumerate(levels)
    )
    return (
        f'<w:numbering xmlns:w="{W_NS}">'
        f'<w:abstractNum w:abstractNumId="7">{lvls}</w:abstractNum>'
        f'<w:num w:numId="{num_id}"><w:abstractNumId w:val="7"/></w:num>'
        "</w:numbering>"
    )


def _set_numbering(document, xml: str) -> None:
    """Replace (or add) the document's numbering part with `xml`."""
    part = document.part
    try:
        numbering = part.numbering_part
    except NotImplementedError:
        numbering = None
    if numbering is not None:
        numbering._element = parse_xml(xml)
        return
    new = Part(
        PackURI("/word/numbering.xml"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml",
        xml.encode(),
        part.package,
    )
    part.relate_to(new, RT.NUMBERING)


def _numbered(paragraph, level: int, num_id: int) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    numpr = OxmlElement("w:numPr")
    ilvl = OxmlElement("w:ilvl")
    ilvl.set(qn("w:val"), str(level))
    num = OxmlElement("w:numId")
    num.set(qn("w:val"), str(num_id))
    numpr.append(ilvl)
    numpr.append(num)
    ppr.append(numpr)


def _add_runs(paragraph, parts) -> None:
    for text, style in parts:
        run = paragraph.add_run(text)
        if "b" in style:
            run.bold = True
        if "i" in style:
            run.italic = True


def docx_document(items, *, numbering: str | None = None):
    """Return a python-docx Document holding `items` (see the module docstring).

    With `numbering` (a numbering part's XML, see :func:`numbering_xml`), ``Auto`` items
    are numbered by that part's list 1 at their level; without it they use the template's
    "List Number" style.
    """
    document = docx.Document()
    if numbering is not None:
        _set_numbering(document, numbering)
    for item in items:
        if isinstance(item, str):
            document.add_paragraph(item)
        elif isinstance(item, H):
            paragraph = document.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.add_run(item.text).bold = True
        elif isinstance(item, R):
            _add_runs(document.add_paragraph(), item.parts)
        elif isinstance(item, Lines):
            paragraph = document.add_paragraph()
            if item.bold:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            for i, line in enumerate(item.lines):
                run = paragraph.add_run(line)
                run.bold = item.bold or None
                if i + 1 < len(item.lines):
                    run.add_break()
        elif isinstance(item, Table):
            width = max(len(row) for row in item.rows)
            table = document.add_table(rows=len(item.rows), cols=width)
            for r, row in enumerate(item.rows):
                for c, text in enumerate(row):
                    table.cell(r, c).text = text
        elif isinstance(item, Auto):
            if numbering is None:
                paragraph = document.add_paragraph(item.text, style="List Number")
            else:
                paragraph = document.add_paragraph(item.text)
                _numbered(paragraph, item.level, 1)
        else:  # pragma: no cover - a mistake in a test
            raise TypeError(f"unknown item {item!r}")
    return document


def docx_bytes(items, *, numbering: str | None = None) -> bytes:
    """Return the DOCX file holding `items`."""
    buffer = io.BytesIO()
    docx_document(items, numbering=numbering).save(buffer)
    return buffer.getvalue()


def _md_runs(parts) -> str:
    out = []
    for text, style in parts:
        core = text.strip()
        if not core:
            out.append(text)
            continue
        marker = ("**" if "b" in style else "") + ("*" if "i" in style else "")
        lead = text[: len(text) - len(text.lstrip())]
        trail = text[len(text.rstrip()) :]
        out.append(f"{lead}{marker}{core}{marker[::-1]}{trail}")
    return "".join(out)


def _text_paragraphs(items, *, markdown: bool) -> list[str]:
    out = []
    for item in items:
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, H):
            out.append(f"**{item.text}**" if markdown else item.text)
        elif isinstance(item, R):
            out.append(_md_runs(item.parts) if markdown else "".join(t for t, _ in item.parts))
        elif isinstance(item, Lines):
            lines = [f"**{line}**" if markdown and item.bold else line for line in item.lines]
            out.extend(lines)
        elif isinstance(item, Table):
            if markdown:
                rows = ["| " + " | ".join(row) + " |" for row in item.rows]
                rows.insert(1, "|" + "---|" * len(item.rows[0]))
                out.append("\n".join(rows))
            else:
                width = max(len(row) for row in item.rows)
                for c in range(width):  # flattened: the left column, then the right one
                    out.extend(row[c] for row in item.rows if c < len(row) and row[c])
        elif isinstance(item, Auto):
            raise TypeError("Word numbering has no text form; write the number in the text")
        else:  # pragma: no cover
            raise TypeError(f"unknown item {item!r}")
    return out


def md_bytes(items) -> bytes:
    """Return the document as Markdown: paragraphs separated by blank lines."""
    return ("\n\n".join(_text_paragraphs(items, markdown=True)) + "\n").encode()


def txt_bytes(items) -> bytes:
    """Return the document as plain text: one paragraph a line, no blank lines."""
    return ("\n".join(_text_paragraphs(items, markdown=False)) + "\n").encode()


__all__ = [
    "Auto",
    "H",
    "Lines",
    "R",
    "Table",
    "docx_bytes",
    "docx_document",
    "md_bytes",
    "numbering_xml",
    "txt_bytes",
]
