"""Reading a returned Word file: per paragraph the text with every tracked change accepted
and with every one rejected, the bookmarks over its text, and the Word comments with the
paragraphs their ranges cover and their replies.

Handled markup: ``w:ins``/``w:del`` (and ``w:ins`` inside ``w:del``: text typed then deleted,
in neither text), ``w:moveFrom``/``w:moveTo``, paragraph marks inserted or deleted
(``w:pPr/w:rPr/w:ins|w:del``: the paragraph joins the next one on that side),
``w:commentRangeStart/End`` (also inside deleted text) or a bare ``w:commentReference``,
replies by ``w15:paraIdParent`` (commentsExtended) or, in files without it, LibreOffice's
way (a comment on exactly the same range as the one before it).  The package is checked
first by the upload path's rules (size, zip bomb, DTD).
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass, field

from lxml import etree

from ..errors import N_, DraftImportError
from .anchors import MAP_NS, PREFIX
from .numbering import Numbering as _Numbering
from .numbering import val as _val
from .reader import _reason, check_package

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
REL = "http://schemas.openxmlformats.org/package/2006/relationships"
RT_OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
RT_DOCUMENT = RT_OFFICE + "officeDocument"
RT_COMMENTS = RT_OFFICE + "comments"
RT_CUSTOM = RT_OFFICE + "custom-properties"
RT_COMMENTS_EX = "http://schemas.microsoft.com/office/2011/relationships/commentsExtended"
_INSERTING = {f"{{{W}}}ins", f"{{{W}}}moveTo"}
_DELETING = {f"{{{W}}}del", f"{{{W}}}moveFrom"}
_SKIPPED = {
    f"{{{W}}}{name}"
    for name in ("rPr", "instrText", "delInstrText", "txbxContent", "drawing", "pict", "sdtPr")
} | {
    "{http://schemas.openxmlformats.org/markup-compatibility/2006}AlternateContent",
    "{urn:schemas-microsoft-com:vml}textbox",
}
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


def _date(element) -> str:
    """Return a w:date, or "" when absent or a placeholder (LibreOffice writes
    "0-00-00T00:00:00Z" for a comment without a date)."""
    value = element.get(_w("date"), "")
    return value if value[:4].isdigit() and not value.startswith("0000") else ""


@dataclass(frozen=True)
class Revision:
    """A tracked change met in a paragraph: "ins" or "del" (a move is both), by whom, when."""

    kind: str
    author: str
    date: str


@dataclass
class ReviewParagraph:
    """One paragraph of the body (table cells included), in document order."""

    index: int
    accepted: str = ""
    original: str = ""
    anchors: list[str] = field(default_factory=list)  # bookmark names over its text, in order
    mark_inserted: bool = False
    mark_deleted: bool = False
    revisions: list[Revision] = field(default_factory=list)
    in_table: bool = False

    @property
    def tracked(self) -> bool:
        return bool(self.revisions) or self.mark_inserted or self.mark_deleted


@dataclass
class WordComment:
    """A Word comment: its text, author, date, the paragraphs its range covers, replies."""

    id: str
    author: str
    date: str
    text: str
    first: int = -1  # paragraph indices; -1 while the range is not found
    last: int = -1
    span: tuple[int, int] = (-1, -1)  # character positions, to tell equal ranges
    para_id: str = ""
    parent_para_id: str = ""
    replies: list[WordComment] = field(default_factory=list)


@dataclass
class ReviewFile:
    paragraphs: list[ReviewParagraph]
    comments: list[WordComment]  # top-level comments, replies inside them
    properties: dict[str, str]  # custom document properties
    mapping: dict[str, str]  # bookmark name → provision key, from the custom XML part


def read_review(data: bytes, *, source: str = "<docx>") -> ReviewFile:
    """Return what a returned Word file holds; DraftImportError if it is not a safe DOCX."""
    check_package(data, source=source)
    try:
        package = _Package(data)
        body = package.xml(package.main).find(_w("body"))
        if body is None:
            raise ValueError("the document has no body")
        walker = _Walker(_numbering(data))
        walker.visit(body)
        comments = _comments(package, walker)
        return ReviewFile(walker.paragraphs, comments, package.properties(), package.mapping())
    except DraftImportError:
        raise
    except Exception as exc:  # lxml, KeyError, ValueError…
        raise DraftImportError(
            N_("the Word document is damaged (%(reason)s)"), source=source, reason=_reason(exc)
        ) from exc


class _Package:
    def __init__(self, data: bytes) -> None:
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        self.names = set(self.zip.namelist())
        targets = self.targets("", RT_DOCUMENT)
        self.main = targets[0] if targets else "word/document.xml"

    def xml(self, name: str):
        return etree.fromstring(self.zip.read(name), _PARSER)

    def targets(self, source: str, reltype: str) -> list[str]:
        folder, base = posixpath.split(source)
        rels = posixpath.join(folder, "_rels", f"{base}.rels")
        if rels not in self.names:
            return []
        found = []
        for rel in self.xml(rels).iter(f"{{{REL}}}Relationship"):
            if rel.get("Type") == reltype and rel.get("TargetMode") != "External":
                target = rel.get("Target", "")
                path = (
                    target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
                )
                path = posixpath.normpath(path)
                if path in self.names:
                    found.append(path)
        return found

    def properties(self) -> dict[str, str]:
        values = {}
        for name in self.targets("", RT_CUSTOM):
            for prop in self.xml(name):
                values[prop.get("name", "")] = "".join(prop.itertext()).strip()
        return values

    def mapping(self) -> dict[str, str]:
        for name in sorted(n for n in self.names if n.startswith("customXml/")):
            if not name.endswith(".xml") or "/_rels/" in name or "itemProps" in name:
                continue
            root = self.xml(name)
            if root.tag == f"{{{MAP_NS}}}review":
                return {
                    a.get("bookmark", ""): a.get("key", "")
                    for a in root.iter(f"{{{MAP_NS}}}anchor")
                }
        return {}


def _numbering(data: bytes) -> _Numbering | None:
    """Return Word's automatic numbering of the file (as the draft reader counts it)."""
    import docx

    try:
        return _Numbering(docx.Document(io.BytesIO(data)))
    except Exception:  # no numbering, or python-docx cannot open it: labels stay as typed
        return None


class _Walker:
    """Walks the body in document order, keeping the revisions and bookmarks open."""

    def __init__(self, numbering: _Numbering | None = None) -> None:
        self.numbering = numbering
        self.paragraphs: list[ReviewParagraph] = []
        self.current: ReviewParagraph | None = None
        self.stack: list[tuple[str, Revision]] = []
        # Open bookmarks by name, and the name of each id.  LibreOffice 7.4 writes a second
        # bookmarkStart (another id, the same name) where bookmarks end together, and only
        # that id's bookmarkEnd: a name opens once and its last id's end closes it.
        self.bookmarks: dict[str, None] = {}
        self.ids: dict[str, str] = {}
        self.starts: dict[str, tuple[int, int]] = {}  # comment id → (paragraph, position)
        self.ends: dict[str, tuple[int, int]] = {}
        self.references: dict[str, tuple[int, int]] = {}
        self.position = 0  # characters seen, deleted ones included
        self.tables = 0

    def where(self, *, ending: bool = False) -> tuple[int, int]:
        if self.current is not None:
            return self.current.index, self.position
        index = len(self.paragraphs) - 1 if ending else len(self.paragraphs)
        return max(index, 0), self.position

    def visit(self, element) -> None:
        tag = element.tag
        if not isinstance(tag, str) or tag in _SKIPPED:
            return
        if tag == _w("p"):
            if self.current is not None:  # a paragraph inside a paragraph: not body text
                return
            self.current = ReviewParagraph(len(self.paragraphs), in_table=self.tables > 0)
            self.paragraphs.append(self.current)
            for child in element:
                self.visit(child)
            self.current = None
        elif tag == _w("pPr"):
            self.mark(element)
        elif tag in _INSERTING or tag in _DELETING:
            kind = "ins" if tag in _INSERTING else "del"
            revision = Revision(kind, element.get(_w("author"), ""), _date(element))
            self.stack.append((kind, revision))
            for child in element:
                self.visit(child)
            self.stack.pop()
        elif tag in (_w("t"), _w("delText")):
            self.text(element.text or "")
        elif tag in (_w("tab"), _w("br"), _w("cr")):
            self.text(" ")
        elif tag == _w("noBreakHyphen"):
            self.text("-")
        elif tag == _w("bookmarkStart"):
            name = element.get(_w("name"), "")
            self.ids[element.get(_w("id"), "")] = name
            self.bookmarks[name] = None
        elif tag == _w("bookmarkEnd"):
            self.bookmarks.pop(self.ids.pop(element.get(_w("id"), ""), ""), None)
        elif tag == _w("commentRangeStart"):
            self.starts.setdefault(element.get(_w("id"), ""), self.where())
        elif tag == _w("commentRangeEnd"):
            self.ends[element.get(_w("id"), "")] = self.where(ending=True)
        elif tag == _w("commentReference"):
            self.references.setdefault(element.get(_w("id"), ""), self.where(ending=True))
        else:
            if tag == _w("tbl"):
                self.tables += 1
            for child in element:
                self.visit(child)
            if tag == _w("tbl"):
                self.tables -= 1

    def mark(self, ppr) -> None:
        numpr = ppr.find(_w("numPr"))
        if numpr is not None and self.numbering is not None and self.current is not None:
            num_id = _val(numpr, "w:numId", "")
            if num_id not in ("", "0"):
                label, _fmt = self.numbering.label(num_id, int(_val(numpr, "w:ilvl", "0") or 0))
                if label:  # automatic numbering, typed as text in the copy: read as text
                    self.current.accepted += f"{label} "
                    if numpr.find(_w("ins")) is None:  # numbering added with Track Changes
                        self.current.original += f"{label} "
        rpr = ppr.find(_w("rPr"))
        if rpr is None or self.current is None:
            return
        for child in rpr:
            if child.tag in _INSERTING:
                self.current.mark_inserted = True
            elif child.tag in _DELETING:
                self.current.mark_deleted = True
            else:
                continue
            kind = "ins" if child.tag in _INSERTING else "del"
            self.current.revisions.append(Revision(kind, child.get(_w("author"), ""), _date(child)))

    def text(self, text: str) -> None:
        paragraph = self.current
        if paragraph is None or not text:
            return
        kinds = {kind for kind, _revision in self.stack}
        if "del" not in kinds:
            paragraph.accepted += text
        if "ins" not in kinds:
            paragraph.original += text
        if self.stack:
            revision = self.stack[-1][1]
            if revision not in paragraph.revisions:
                paragraph.revisions.append(revision)
        for name in self.bookmarks:
            if name.startswith(PREFIX) and name not in paragraph.anchors:
                paragraph.anchors.append(name)
        self.position += len(text)


def _comments(package: _Package, walker: _Walker) -> list[WordComment]:
    parts = package.targets(package.main, RT_COMMENTS)
    if not parts:
        return []
    found: list[WordComment] = []
    for element in package.xml(parts[0]).iter(_w("comment")):
        cid = element.get(_w("id"), "")
        paragraphs = element.findall(_w("p"))
        text = "\n".join(
            "".join(t.text or "" for t in p.iter(_w("t"))).strip() for p in paragraphs
        ).strip()
        comment = WordComment(
            cid,
            element.get(_w("author"), ""),
            _date(element),
            text,
            para_id=paragraphs[-1].get(f"{{{W14}}}paraId", "") if paragraphs else "",
        )
        start = walker.starts.get(cid) or walker.references.get(cid)
        end = walker.ends.get(cid) or walker.references.get(cid) or start
        if start is not None and end is not None:
            comment.first, comment.last = start[0], max(start[0], end[0])
            comment.span = (start[1], end[1])
        found.append(comment)
    extended = package.targets(package.main, RT_COMMENTS_EX)
    parents: dict[str, str] = {}
    if extended:
        for ex in package.xml(extended[0]).iter(f"{{{W15}}}commentEx"):
            if ex.get(f"{{{W15}}}paraIdParent"):
                parents[ex.get(f"{{{W15}}}paraId", "")] = ex.get(f"{{{W15}}}paraIdParent", "")
    by_para = {c.para_id: c for c in found if c.para_id}
    top: list[WordComment] = []
    for comment in found:
        parent = by_para.get(parents.get(comment.para_id, ""))
        if parent is None and not extended and top and comment.first >= 0:
            # LibreOffice without commentsExtended: a reply sits on its parent's exact range.
            last = top[-1]
            if (last.first, last.last, last.span) == (comment.first, comment.last, comment.span):
                parent = last
        if parent is not None and parent is not comment:
            comment.parent_para_id = parent.para_id
            root = parent
            while root.parent_para_id and root.parent_para_id in by_para:
                root = by_para[root.parent_para_id]
            root.replies.append(comment)
        else:
            top.append(comment)
    return top


def joined(paragraphs: list[ReviewParagraph], *, accepted: bool) -> list[str]:
    """Return the paragraphs' texts as they read with every change accepted (or rejected):
    a paragraph whose mark is deleted (inserted) on that side runs on into the next one,
    and an emptied paragraph disappears."""
    lines: list[str] = []
    buffer = ""
    for paragraph in paragraphs:
        buffer += paragraph.accepted if accepted else paragraph.original
        joins = paragraph.mark_deleted if accepted else paragraph.mark_inserted
        if not joins:
            if buffer.strip():
                lines.append(buffer)
            buffer = ""
    if buffer.strip():
        lines.append(buffer)
    return lines
