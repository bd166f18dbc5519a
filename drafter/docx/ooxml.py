"""The one writer of raw WordprocessingML, for what python-docx has no API for.

Tracked changes (w:ins, w:del, w:moveFrom, w:moveTo and paragraph-mark revisions), comment
anchors that keep their reference outside revisions, comment dates, the comment styles, and
page-number fields.  One flat layer of revisions, never nested (see DOCX-NOTES §1).
"""

from __future__ import annotations

import copy
import re
from datetime import UTC, datetime
from typing import Any
from xml.sax.saxutils import escape, quoteattr
from zoneinfo import ZoneInfo

from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import nsdecls, qn
from docx.oxml.parser import parse_xml
from docx.shared import Pt

from ..config import DEFAULT_TIMEZONE

XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


class Ids:
    """One allocator for every revision id of a file (comments keep python-docx's own
    0, 1, 2…; revisions start far above them, so no id is ever used twice)."""

    def __init__(self, start: int = 100_000) -> None:
        self.next = start

    def __call__(self) -> str:
        self.next += 1
        return str(self.next)


def word_date(iso: str, zone: str = DEFAULT_TIMEZONE) -> str:
    """Return Word's ``w:date``: local wall-clock time followed by "Z", as Word writes it."""
    value = datetime.fromisoformat(iso)
    return value.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%dT%H:%M:%SZ")


def _run(text: str, *, deleted: bool = False, bold: bool = False):
    run = OxmlElement("w:r")
    if bold:
        rpr = OxmlElement("w:rPr")
        rpr.append(OxmlElement("w:b"))
        run.append(rpr)
    node = OxmlElement("w:delText" if deleted else "w:t")
    node.text = text
    node.set(XML_SPACE, "preserve")
    run.append(node)
    return run


def _revision(tag: str, ids: Ids, author: str, date: str):
    element = OxmlElement(tag)
    element.set(qn("w:id"), ids())
    element.set(qn("w:author"), author)
    element.set(qn("w:date"), date)
    return element


def add_tracked_runs(
    paragraph, pieces, *, author: str, date: str, ids: Ids, bold: bool = False, moved: bool = False
) -> None:
    """Append (op, text) pieces to a python-docx paragraph: "equal" as plain runs, "insert"
    inside w:ins, "delete" inside w:del (w:delText).  With `moved`, equal text is wrapped in
    w:moveTo: the paragraph is the new place of moved text."""
    for op, text in pieces:
        if not text:
            continue
        if op == "equal" and not moved:
            paragraph._p.append(_run(text, bold=bold))
            continue
        tag = {
            "insert": "w:ins",
            "delete": "w:del",
            "equal": "w:moveTo",
            "moved_from": "w:moveFrom",
        }[op]
        wrapper = _revision(tag, ids, author, date)
        wrapper.append(_run(text, deleted=op in ("delete", "moved_from"), bold=bold))
        paragraph._p.append(wrapper)


def mark_paragraph(paragraph, kind: str, *, author: str, date: str, ids: Ids) -> None:
    """Mark a paragraph's own mark as inserted, deleted or moved ("ins", "del", "moveFrom",
    "moveTo"), so that accepting or rejecting removes the whole paragraph."""
    ppr = paragraph._p.get_or_add_pPr()
    rpr = ppr.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        ppr.insert_element_before(rpr, "w:sectPr", "w:pPrChange")
    rpr.insert(0, _revision(f"w:{kind}", ids, author, date))


_MARK_REVISIONS = tuple(qn(f"w:{kind}") for kind in ("ins", "del", "moveFrom", "moveTo"))


def mark_inserted_paragraph(paragraph, *, author: str, date: str, ids: Ids) -> None:
    """Mark a paragraph whose runs are all inserted the way Word does: what was typed is
    "¶ + text" after the paragraph before it, so the mark of THAT paragraph is the inserted
    one and this paragraph's own mark is the old one.  Rejecting then removes the previous
    mark and this text, and the two paragraphs around come out as they were, in LibreOffice
    too (which merges them when the inserted paragraph carries its own mark).  When there is
    no paragraph before it (the start, a table) or its mark is itself a revision, the
    paragraph's own mark is marked, as Word does for text typed before the next paragraph."""
    previous = paragraph._p.getprevious()
    if previous is not None and previous.tag == qn("w:p") and not _mark_revised(previous):
        target = previous
    else:
        target = paragraph._p
    mark_paragraph(_Wrapped(target), "ins", author=author, date=date, ids=ids)


class _Wrapped:
    """A bare w:p as mark_paragraph wants it (an object with ``_p``)."""

    def __init__(self, p) -> None:
        self._p = p


def _mark_revised(p) -> bool:
    rpr = p.find(f"{qn('w:pPr')}/{qn('w:rPr')}")
    return rpr is not None and any(child.tag in _MARK_REVISIONS for child in rpr)


def move_range(paragraphs, kind: str, *, name: str, author: str, date: str, ids: Ids) -> None:
    """Wrap consecutive paragraphs in a w:moveFromRange or w:moveToRange named `name`."""
    start = _revision(f"w:{kind}RangeStart", ids, author, date)
    start.set(qn("w:name"), name)
    end = OxmlElement(f"w:{kind}RangeEnd")
    end.set(qn("w:id"), start.get(qn("w:id")))
    first, last = paragraphs[0]._p, paragraphs[-1]._p
    ppr = first.find(qn("w:pPr"))
    if ppr is not None:
        ppr.addnext(start)
    else:
        first.insert(0, start)
    last.append(end)


_BREAKS = re.compile(r"([\t\r\n])")


def _runs_xml(text: str) -> str:
    """Return the XML of python-docx's ``paragraph.add_run(text)``: one ``w:r`` whose text
    is split into ``w:t`` pieces at tabs (``w:tab``) and line breaks (``w:br``), a piece
    with a space at either end keeping it with ``xml:space="preserve"``."""
    inner = []
    for piece in _BREAKS.split(text):
        if piece == "\t":
            inner.append("<w:tab/>")
        elif piece in ("\r", "\n"):
            inner.append("<w:br/>")
        elif piece:
            space = ' xml:space="preserve"' if len(piece.strip()) < len(piece) else ""
            inner.append(f"<w:t{space}>{escape(piece)}</w:t>")
    return f"<w:r>{''.join(inner)}</w:r>" if inner else "<w:r/>"


class Comments:
    """Adds Word comments to one document, numbering them with a counter.

    python-docx's ``add_comment`` finds the next id by scanning every ``w:comment`` id of the
    file, so adding n comments costs n²/2 id reads (72% of a consolidated export at 1,000
    comments), and its run writer handles text a character at a time.  This makes the same
    elements, with the same ids (the highest existing one plus 1, then 2, 3…), in one parse
    per comment."""

    def __init__(self, document) -> None:
        self.document = document
        self.part: Any = (
            None  # the comments part, made (as python-docx does) with the first comment
        )
        self.next = 0

    def add(self, text_paragraphs: list[str], *, author: str, initials: str, date: str) -> str:
        """Add a comment of one paragraph per line of `text_paragraphs`, as python-docx's
        ``add_comment`` then ``add_paragraph`` and ``add_run`` make it; return its id."""
        if self.part is None:
            self.part = self.document.part._comments_part
            used = [int(value) for value in self.part.element.xpath("./w:comment/@w:id")]
            self.next = max(used, default=-1) + 1
        cid = str(self.next)
        self.next += 1
        style = '<w:pPr><w:pStyle w:val="CommentText"/></w:pPr>'
        reference = (
            '<w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr><w:annotationRef/></w:r>'
        )
        lines = text_paragraphs or [""]
        paragraphs = [
            f"<w:p>{style}{reference}{_runs_xml(lines[0]) if text_paragraphs else ''}</w:p>"
        ]
        paragraphs += [f"<w:p>{style}{_runs_xml(line)}</w:p>" for line in lines[1:]]
        self.part.element.append(
            parse_xml(
                f"<w:comment {nsdecls('w')} w:id={quoteattr(cid)} w:author={quoteattr(author)} "
                f"w:initials={quoteattr(initials)} w:date={quoteattr(date)}>"
                f"{''.join(paragraphs)}</w:comment>"
            )
        )
        return cid


_ANCHOR = parse_xml(
    f"<w:anchor {nsdecls('w')}><w:commentRangeStart/><w:commentRangeEnd/>"
    '<w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr><w:commentReference/></w:r>'
    "</w:anchor>"
)


def anchor_comment(
    comments: Comments,
    paragraphs,
    text_paragraphs: list[str],
    *,
    author: str,
    initials: str,
    date: str,
) -> str:
    """Add a Word comment over `paragraphs` (python-docx paragraphs, in order); return its id.

    The range starts before the first paragraph's content and ends after the last one's; the
    reference run sits outside any revision, so rejecting a change never orphans it.
    """
    cid = comments.add(text_paragraphs, author=author, initials=initials, date=date)
    start, end, reference_run = copy.deepcopy(_ANCHOR)
    start.set(qn("w:id"), cid)
    end.set(qn("w:id"), cid)
    reference_run[1].set(qn("w:id"), cid)
    enclose(paragraphs, start, end)
    paragraphs[-1]._p.append(reference_run)
    return cid


def enclose(paragraphs, start, end) -> None:
    """Put the range mark `start` before the first paragraph's content (after its
    properties) and `end` after the last one's (a comment range, a bookmark)."""
    first = paragraphs[0]._p
    ppr = first.find(qn("w:pPr"))
    if ppr is not None:
        ppr.addnext(start)
    else:
        first.insert(0, start)
    paragraphs[-1]._p.append(end)


def add_comment_styles(document) -> None:
    """Add Word's comment styles (python-docx's template has none): "annotation text"
    (CommentText) and "annotation reference" (CommentReference)."""
    styles = document.styles
    names = {style.name for style in styles}
    if "annotation text" not in names:
        text = styles.add_style("annotation text", WD_STYLE_TYPE.PARAGRAPH)
        text.style_id = "CommentText"
        text.base_style = styles["Normal"]
        text.font.size = Pt(10)
        text.paragraph_format.first_line_indent = Pt(0)
    if "annotation reference" not in names:
        reference = styles.add_style("annotation reference", WD_STYLE_TYPE.CHARACTER)
        reference.style_id = "CommentReference"
        reference.font.size = Pt(8)


def add_field(paragraph, instruction: str, placeholder: str = "1") -> None:
    """Append a simple field (``PAGE``, ``NUMPAGES``…) to a python-docx paragraph."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), f" {instruction} ")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = placeholder
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def set_font_all_scripts(style, name: str) -> None:
    """Set a style's font for every script slot; python-docx sets only ascii and hAnsi, and
    Vietnamese text marked eastAsia or cs would otherwise fall back to another font."""
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), name)


def set_title_page(section) -> None:
    """Mark a section as having a distinct first page (no page number on page 1)."""
    section.different_first_page_header_footer = True


def first_page_note(document, text: str) -> None:
    """Write `text` at the top of the first page, in its own header (right, italic, bold):
    it names the document without being part of its text."""
    section = document.sections[0]
    set_title_page(section)
    paragraph = section.first_page_header.paragraphs[0]
    paragraph.alignment = 2  # right
    run = paragraph.add_run(text)
    run.bold = run.italic = True


#: Parts of python-docx's default template that no exported file should carry: Word 2010's
#: copy of the styles (stale as soon as a style is added: Word then offers to repair the
#: file) and the template's thumbnail picture.
STALE_RELATIONSHIPS = (
    "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects",
    "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail",
)


def clean_package(document, *, title: str, author: str, now: datetime | None = None) -> None:
    """Drop the template's stale parts and set the document properties of a new file:
    title, author, created and modified now, no "generated by python-docx"."""
    for rels in (document.part.rels, document.part.package.rels):
        for r_id in [k for k, rel in rels.items() if rel.reltype in STALE_RELATIONSHIPS]:
            rels.pop(r_id)
    moment = (now or datetime.now(UTC)).replace(microsecond=0, tzinfo=None)
    properties = document.core_properties
    properties.title = title
    properties.author = properties.last_modified_by = author
    properties.created = properties.modified = moment
    properties.revision = 1
    properties.comments = ""
    properties.keywords = ""


def repeat_as_header(row) -> None:
    """Mark a table row as a header row, repeated at the top of every page (w:tblHeader)."""
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:tblHeader"))


def keep_table_together(table) -> None:
    """Keep a table's paragraphs on one page with the next (a signature block never starts
    a page on its own)."""
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True
