"""Writing a version of a draft as a DOCX laid out as a Vietnamese formal document.

A4, Times New Roman 14 pt, margins of Decree 30/2020 (top and bottom 20 mm, left 30 mm, right
15 mm), chapter headings centred and bold, article headings bold, body justified with a
first-line indent, page numbers centred in the top margin from page 2.  The document is
built with python-docx; the few raw elements it needs come from ``ooxml``.
"""

from __future__ import annotations

import io
import re

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Mm, Pt

from . import ooxml
from .model import Node
from .normalize import is_upper_title

FONT = "Times New Roman"
BODY_SIZE = Pt(14)
_INLINE = re.compile(r"\\(.)|(\*\*\*|\*\*|\*)")


def render_version(nodes: list[Node], *, title: str = "") -> bytes:
    """Return the DOCX bytes of a version's tree."""
    document = _new_document(title)
    for node in nodes:
        _write(document, node)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _new_document(title: str):
    document = docx.Document()
    document.core_properties.title = title
    document.core_properties.author = "drafter"
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = Mm(10)
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = BODY_SIZE
    ooxml.set_font_all_scripts(normal, FONT)
    fmt = normal.paragraph_format
    fmt.space_after = Pt(6)
    fmt.line_spacing = 1.15
    ooxml.set_title_page(section)
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    ooxml.add_field(header, "PAGE")
    return document


def add_markdown_runs(paragraph, markdown: str, *, bold: bool = False) -> None:
    """Append runs for Markdown inline text (``**bold**``, ``*italic*``, ``\\`` escapes)."""
    is_bold, is_italic, buffer, position = False, False, [], 0

    def flush() -> None:
        if buffer:
            run = paragraph.add_run("".join(buffer))
            run.bold = True if (bold or is_bold) else None
            run.italic = True if is_italic else None
            buffer.clear()

    for match in _INLINE.finditer(markdown):
        buffer.append(markdown[position : match.start()])
        position = match.end()
        if match.group(1) is not None:
            buffer.append(match.group(1))
            continue
        flush()
        marker = match.group(2)
        if marker in ("***", "**"):
            is_bold = not is_bold
        if marker in ("***", "*"):
            is_italic = not is_italic
    buffer.append(markdown[position:])
    flush()


def _paragraph(
    document,
    markdown: str = "",
    *,
    align=WD_ALIGN_PARAGRAPH.JUSTIFY,
    bold: bool = False,
    indent: bool = True,
):
    paragraph = document.add_paragraph()
    paragraph.alignment = align
    if indent and align == WD_ALIGN_PARAGRAPH.JUSTIFY:
        paragraph.paragraph_format.first_line_indent = Cm(1)
    if markdown:
        add_markdown_runs(paragraph, markdown, bold=bold)
    return paragraph


def _write(document, node: Node) -> None:
    kind = node.kind
    if kind == "preamble":
        for text in _split(node.text):
            _preamble_paragraph(document, text)
    elif kind in ("part", "chapter", "section", "subsection"):
        _paragraph(document, node.label(), align=WD_ALIGN_PARAGRAPH.CENTER, bold=True)
        if node.title:
            _paragraph(document, node.title, align=WD_ALIGN_PARAGRAPH.CENTER, bold=True)
        _body(document, node.text)
    elif kind == "article":
        heading = f"{node.label()}. {node.title}".strip() if node.title else f"{node.label()}."
        _paragraph(document, heading, bold=True)
        _body(document, node.text)
    elif kind in ("clause", "point"):
        first, *rest = _split(node.text) or [""]
        _paragraph(document, f"{node.label()} {first}".rstrip())
        _body(document, "\n\n".join(rest))
    elif kind == "paragraph" and node.key.endswith("ket-thuc"):
        for text in _split(node.text):
            _closing_paragraph(document, text)
    else:
        if node.title:
            _paragraph(document, node.title, align=WD_ALIGN_PARAGRAPH.CENTER, bold=True)
        _body(document, node.text)
    for child in node.children:
        _write(document, child)


def _split(text: str) -> list[str]:
    return [p for p in text.split("\n\n") if p.strip()] if text else []


def _body(document, text: str) -> None:
    for paragraph in _split(text):
        if paragraph.startswith("|"):
            _table(document, paragraph)
        else:
            _paragraph(document, paragraph)


def _preamble_paragraph(document, text: str) -> None:
    if text.startswith("|"):
        _table(document, text)
        return
    plain = text.replace("*", "")
    short = len(plain.split()) <= 20 and not plain.startswith(("-", "Căn cứ", "Xét"))
    # Only the alignment is the writer's: the text keeps exactly the emphasis it was given,
    # so that the file imports back to the same tree.
    if short and (is_upper_title(plain) or text.startswith("**") or plain.startswith("Số")):
        _paragraph(document, text, align=WD_ALIGN_PARAGRAPH.CENTER)
    elif short and plain.startswith(("Hà Nội", "ngày")):
        _paragraph(document, text, align=WD_ALIGN_PARAGRAPH.RIGHT)
    else:
        _paragraph(document, text, indent=not plain.startswith("-"))


def _closing_paragraph(document, text: str) -> None:
    plain = text.replace("*", "")
    if is_upper_title(plain) and len(plain.split()) <= 8:
        _paragraph(document, text, align=WD_ALIGN_PARAGRAPH.RIGHT)
    else:
        _paragraph(document, text, align=WD_ALIGN_PARAGRAPH.LEFT, indent=False)


def _table(document, markdown: str) -> None:
    rows = []
    for line in markdown.splitlines():
        if re.fullmatch(r"\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?", line.strip()):
            continue
        cells = re.split(r"(?<!\\)\|", line.strip().strip("|"))
        rows.append([c.strip().replace("\\|", "|") for c in cells])
    if not rows:
        return
    width = max(len(r) for r in rows)
    table = document.add_table(rows=len(rows), cols=width)
    table.style = "Table Grid"
    for i, row in enumerate(rows):
        for j, text in enumerate(row):
            cell = table.cell(i, j)
            add_markdown_runs(cell.paragraphs[0], text)
