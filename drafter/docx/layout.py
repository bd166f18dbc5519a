"""Writing drafts as DOCX laid out as Vietnamese formal documents, with native Word comments
and tracked changes where a consultation asks for them.

A4, Times New Roman 14 pt, margins of Decree 30/2020 (top and bottom 20 mm, left 30 mm, right
15 mm), chapter headings centred and bold, article headings bold, body justified with a
first-line indent, page numbers centred in the top margin from page 2.  The document is
built with python-docx; the raw elements it needs come from ``ooxml``.
"""

from __future__ import annotations

import copy
import io
import re
from collections.abc import Iterable
from difflib import SequenceMatcher
from typing import Any

import docx
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.text.paragraph import Paragraph

from ..config import DEFAULT_TIMEZONE
from ..consolidate import Change, Plan, complete
from ..diff import word_diff
from ..model import TARGET_KINDS, Node
from . import ooxml
from .paras import CENTER, JUSTIFY, LEFT, Para, closing_para, preamble_paras

FONT = "Times New Roman"
BODY_SIZE = Pt(14)
_INLINE = re.compile(r"\\(.)|(\*\*\*|\*\*|\*)|<(/?)(sup|sub)>|(<br\s*/?>)", re.IGNORECASE)
_CELL_BREAK = re.compile(r"(?<!\\)<br\s*/?>", re.IGNORECASE)


# What XML 1.0 cannot hold: control characters but TAB, LF and CR, surrogates, U+FFFE/F.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """Return `text` without the characters a DOCX cannot hold (python-docx refuses them):
    a name stored before names were cleaned must not break a whole export."""
    return _NOT_XML.sub("", text)


def layout(nodes: list[Node]) -> list[Para]:
    """Return the paragraphs of a version's tree, in order."""
    out: list[Para] = []
    for node in nodes:
        _layout(node, out, ())
    return out


def _layout(node: Node, out: list[Para], owners: tuple[str, ...]) -> None:
    kind = node.kind
    if kind in TARGET_KINDS:
        owners = (*owners, node.key)
    if kind == "preamble":
        out.extend(preamble_paras(_split(node.text)))
    elif kind == "part" and node.title and any(c.kind == "item" for c in node.children):
        # A guidance text's part, as such texts print it: "II. NỘI DUNG", one bold line.
        out.append(Para(f"{node.number}. {node.title}", bold=True))
        out.extend(_body(node.text, owners))
    elif kind in ("part", "chapter", "section", "subsection"):
        out.append(Para(node.label(), CENTER, bold=True))
        if node.title:
            out.append(Para(node.title, CENTER, bold=True))
        out.extend(_body(node.text, owners))
    elif kind == "article":
        heading = f"{node.label()}. {node.title}" if node.title else f"{node.label()}."
        out.append(Para(heading, bold=True, owners=owners))
        out.extend(_body(node.text, owners))
    elif kind == "item" and node.title:  # "2. Về dữ liệu": a heading, as an article's
        out.append(Para(f"{node.label()} {node.title}", bold=True, owners=owners))
        out.extend(_body(node.text, owners))
    elif kind in ("item", "clause", "point"):
        first, *rest = _split(node.text) or [""]
        out.append(Para(f"{node.label()} {first}".rstrip(), owners=owners))
        out.extend(_body("\n\n".join(rest), owners))
    elif kind == "closing":
        out.extend(closing_para(text) for text in _split(node.text))
    elif kind == "appendix":
        out.append(Para(node.title, CENTER, bold=True))
        out.extend(_body(node.text, owners))
    else:
        out.extend(_body(node.text, owners))
    for child in node.children:
        _layout(child, out, owners)


def _split(text: str) -> list[str]:
    return [p for p in text.split("\n\n") if p.strip()] if text else []


def _body(text: str, owners: tuple[str, ...]) -> list[Para]:
    return [Para(p, owners=owners, table=p.startswith("|")) for p in _split(text)]


# -- the document -------------------------------------------------------------------------
def new_document(title: str, *, landscape: bool = False, author: str = "drafter"):
    """Return an empty python-docx document with the formal layout, its properties set
    (`title`, `author`, created now) and none of the template's stale parts."""
    document = docx.Document()
    ooxml.clean_package(document, title=xml_safe(title), author=xml_safe(author))
    section = document.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = Mm(10)
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = BODY_SIZE
    ooxml.set_font_all_scripts(normal, FONT)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    ooxml.set_title_page(section)
    header = section.header.paragraphs[0]
    header.alignment = CENTER
    ooxml.add_field(header, "PAGE")
    return document


def to_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def render_version(nodes: list[Node], *, title: str = "") -> bytes:
    """Return the DOCX bytes of a version's tree."""
    document = new_document(title)
    for para in layout(nodes):
        write_para(document, para)
    return to_bytes(document)


def add_markdown_runs(paragraph, markdown: str, *, bold: bool = False, size=None) -> None:
    """Append runs for Markdown inline text (``**bold**``, ``*italic*``, ``\\`` escapes,
    ``<sup>``/``<sub>`` and ``<br>`` line breaks), each run in `size` when given."""
    is_bold, is_italic, script, position = False, False, "", 0
    buffer: list[str] = []

    def flush() -> None:
        text = "".join(buffer)
        buffer.clear()
        if text:
            run = paragraph.add_run(text)
            run.bold = True if (bold or is_bold) else None
            run.italic = True if is_italic else None
            if script:
                setattr(run.font, "superscript" if script == "sup" else "subscript", True)
            if size is not None:
                run.font.size = size

    for match in _INLINE.finditer(markdown):
        buffer.append(markdown[position : match.start()])
        position = match.end()
        if match.group(1) is not None:
            buffer.append(match.group(1))
            continue
        flush()
        if match.group(5) is not None:
            paragraph.add_run().add_break()
            continue
        if match.group(4) is not None:
            script = "" if match.group(3) else match.group(4).lower()
            continue
        marker = match.group(2)
        if marker in ("***", "**"):
            is_bold = not is_bold
        if marker in ("***", "*"):
            is_italic = not is_italic
    buffer.append(markdown[position:])
    flush()


def empty_para(document, para: Para):
    """Return a new empty paragraph in `document` with `para`'s alignment and indent."""
    paragraph = document.add_paragraph()
    paragraph.alignment = para.align
    if para.indent and para.align == JUSTIFY:
        paragraph.paragraph_format.first_line_indent = Cm(1)
    return paragraph


def write_para(document, para: Para):
    """Write one laid-out paragraph (or table) as it is; return the python-docx paragraph."""
    if para.table:
        return _table(document, para.text, borderless=para.borderless)
    paragraph = empty_para(document, para)
    if para.text:
        add_markdown_runs(paragraph, para.text, bold=para.bold)
    return paragraph


def _table(document, markdown: str, *, borderless: bool = False):
    rows = []
    for line in markdown.splitlines():
        if re.fullmatch(r"\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?", line.strip()):
            continue
        cells = re.split(r"(?<!\\)\|", line.strip().strip("|"))
        rows.append([c.strip().replace("\\|", "|") for c in cells])
    if not rows:
        return document.add_paragraph()
    width = max(len(r) for r in rows)
    table = document.add_table(rows=len(rows), cols=width)
    if not borderless:
        table.style = "Table Grid"
    elif width == 2:  # Decree 30: issuing body narrow, motto wide; "Nơi nhận" and signature
        recipients = rows[0][0].lstrip("*_ ").startswith("Nơi nhận")
        table.autofit = False
        for column, centimetres in zip(
            table.columns, (8.25, 8.25) if recipients else (6, 10.5), strict=True
        ):
            for cell in column.cells:
                cell.width = Cm(centimetres)
    for i, row in enumerate(rows):
        for j, text in enumerate(row):
            cell = table.cell(i, j)
            lines = _CELL_BREAK.split(text)
            recipients = borderless and text.lstrip("*_ ").startswith("Nơi nhận")
            for k, line in enumerate(lines):
                paragraph = cell.paragraphs[0] if k == 0 else cell.add_paragraph()
                size = None
                if borderless:  # laid out like the source's blocks (Decree 30, Appendix I)
                    paragraph.alignment = LEFT if recipients else CENTER
                    paragraph.paragraph_format.first_line_indent = Pt(0)
                    paragraph.paragraph_format.space_after = Pt(0)
                    paragraph.paragraph_format.line_spacing = 1.0
                    size = (Pt(12) if k == 0 else Pt(11)) if recipients else Pt(13)
                add_markdown_runs(paragraph, line.strip(), size=size)
    return table.cell(len(rows) - 1, width - 1).paragraphs[-1]


class Rendered:
    """The paragraphs of a draft as written once, reused by every document of one export:
    a per-unit export writes the same 3,600 paragraphs for each of 60 units, and copying
    the XML written for the first costs a fraction of writing it again with python-docx."""

    def __init__(self) -> None:
        self.elements: dict[Para, Any] = {}  # a w:p or w:tbl element (lxml)
        self.document: Any = None  # the document written last, its w:body and its w:sectPr
        self.body: Any = None
        self.section: Any = None

    def write(self, document, para: Para):
        """Write `para` at the end of `document` as `write_para` would; return the
        python-docx paragraph (a table's last cell paragraph) comments anchor on."""
        if document is not self.document:
            self.document, self.body = document, document.element.body
            self.section = self.body.find(qn("w:sectPr"))  # the body's last child
        element = self.elements.get(para)
        if element is None:
            paragraph = write_para(document, para)
            block = paragraph._p  # the body's child that holds it: the w:p, or the w:tbl
            while block.getparent() is not self.body:
                block = block.getparent()
            self.elements[para] = copy.deepcopy(block)
            return paragraph
        element = copy.deepcopy(element)
        if self.section is not None:
            self.section.addprevious(element)
        else:
            self.body.append(element)
        p = element if element.tag == qn("w:p") else element.xpath(".//w:p")[-1]
        return Paragraph(p, document._body)


# -- tracked changes ------------------------------------------------------------------------
class Redliner:
    """Writes laid-out paragraphs with a plan's changes as tracked changes, and remembers the
    output paragraphs of each provision so that comments can be anchored on them."""

    def __init__(
        self,
        document,
        *,
        ids: ooxml.Ids | None = None,
        zone: str = DEFAULT_TIMEZONE,
        rendered: Rendered | None = None,
    ):
        self.document = document
        self.ids = ids or ooxml.Ids()
        self.zone = zone
        self.by_key: dict[str, list] = {}
        self.rendered = rendered

    def _remember(self, owners: Iterable[str], paragraph) -> None:
        for key in owners:
            self.by_key.setdefault(key, []).append(paragraph)

    def write(self, paras: list[Para], plan: Plan) -> None:
        i = 0
        while i < len(paras):
            para = paras[i]
            change = next(
                (
                    c
                    for key in para.owners
                    for c in plan.changes.get(key, ())
                    if c.kind in ("replace", "delete")
                ),
                None,
            )
            if change is not None:
                j = i
                while j < len(paras) and change.key in paras[j].owners:
                    j += 1
                self.replace(paras[i:j], change)
                i = j
            else:
                write = self.rendered.write if self.rendered else write_para
                self._remember(para.owners, write(self.document, para))
                i += 1
            ending = paras[i - 1].owners
            following = paras[i].owners if i < len(paras) else ()
            for key in reversed(ending):
                if key in following:
                    continue
                for insert in (c for c in plan.changes.get(key, ()) if c.kind == "insert_after"):
                    for line in insert.lines:
                        self._remember(
                            ending[: ending.index(key) + 1],
                            self.inserted(Para(line, owners=()), insert.author, insert.date),
                        )

    def _date(self, change_date: str) -> str:
        return ooxml.word_date(change_date, self.zone)

    def replace(self, old: list[Para], change: Change) -> None:
        """Write a provision's paragraphs changed into `change.lines`, aligned line by line."""
        date = self._date(change.date)
        block = old[0].owners[: old[0].owners.index(change.key) + 1]
        new = [Para(line, owners=block) for line in complete(old[0].plain, change.lines)]
        write_aligned(
            self.document,
            old,
            new,
            author=change.author,
            date=date,
            ids=self.ids,
            written=lambda para, paragraph: self._remember(para.owners, paragraph),
            write=self.rendered.write if self.rendered else write_para,
        )

    def inserted(self, para: Para, author: str, date: str):
        return whole_paragraph(
            self.document, para, "ins", author=author, date=self._date(date), ids=self.ids
        )


def whole_paragraph(document, para: Para, kind: str, *, author: str, date: str, ids: ooxml.Ids):
    """Write a paragraph inserted ("ins") or deleted ("del") as a whole: its text and a mark
    (its own when deleted, the one before it when inserted, as Word writes them), so that
    accepting or rejecting leaves no empty paragraph behind and merges none."""
    paragraph = empty_para(document, para)
    op = "insert" if kind == "ins" else "delete"
    ooxml.add_tracked_runs(
        paragraph, [(op, para.plain)], author=author, date=date, ids=ids, bold=para.bold
    )
    if kind == "ins":
        ooxml.mark_inserted_paragraph(paragraph, author=author, date=date, ids=ids)
    else:
        ooxml.mark_paragraph(paragraph, kind, author=author, date=date, ids=ids)
    return paragraph


def write_aligned(
    document,
    old: list[Para],
    new: list[Para],
    *,
    author: str,
    date: str,
    ids: ooxml.Ids,
    written=None,
    write=write_para,
) -> None:
    """Write `new` against `old`, aligned line by line: equal paragraphs as they were, changed
    ones as word-level diffs in one paragraph, the rest inserted or deleted whole.
    `written(para, paragraph)` is called for each output paragraph with the laid-out
    paragraph it stands for; `write` writes the equal ones (`Rendered.write` copies them)."""
    written = written or (lambda _para, _paragraph: None)
    matcher = SequenceMatcher(None, [p.plain for p in old], [p.plain for p in new], autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            for para in old[a1:a2]:
                written(para, write(document, para))
            continue
        pairs = min(a2 - a1, b2 - b1) if op == "replace" else 0
        for k in range(pairs):
            para = old[a1 + k]
            paragraph = empty_para(document, para)
            pieces = [(c.op, c.text) for c in word_diff(para.plain, new[b1 + k].plain)]
            ooxml.add_tracked_runs(
                paragraph, pieces, author=author, date=date, ids=ids, bold=para.bold
            )
            written(para, paragraph)
        for para in old[a1 + pairs : a2]:
            written(para, whole_paragraph(document, para, "del", author=author, date=date, ids=ids))
        for para in new[b1 + pairs : b2]:
            written(para, whole_paragraph(document, para, "ins", author=author, date=date, ids=ids))


def comment_initials(name: str) -> str:
    """Return initials for a unit name: "Tỉnh ủy Thái Nguyên" → "TUTN"."""
    return "".join(word[0] for word in name.split() if word[:1].isalpha()).upper()[:6]
