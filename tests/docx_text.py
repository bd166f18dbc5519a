"""An independent reader of our DOCX output: the text of the body with every tracked change
accepted, or every one rejected, read straight from the OOXML with lxml (no python-docx)."""

from __future__ import annotations

import io
import posixpath
import unicodedata
import zipfile

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ADDED = {f"{W}ins", f"{W}moveTo"}
REMOVED = {f"{W}del", f"{W}moveFrom"}


def paragraphs(data: bytes, *, accept: bool) -> list[str]:
    """Return the body's paragraphs (table cells included, in order) as they read once every
    change is accepted (`accept`) or rejected.  A paragraph whose mark goes away is merged
    into the next one, as Word does."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    gone = REMOVED if accept else ADDED
    out: list[str] = []
    carry = ""
    for p in root.iter(f"{W}p"):
        if any(a.tag == f"{W}txbxContent" for a in p.iterancestors()):
            continue
        text = []
        for node in p.iter(f"{W}t", f"{W}delText", f"{W}tab"):
            wrappers = {a.tag for a in node.iterancestors() if a.tag in ADDED | REMOVED}
            if wrappers & gone:
                continue
            text.append(" " if node.tag == f"{W}tab" else node.text or "")
        mark = p.find(f"{W}pPr/{W}rPr")
        mark_gone = mark is not None and any(child.tag in gone for child in mark)
        line = carry + "".join(text)
        if mark_gone:
            carry = line
            continue
        carry = ""
        out.append(unicodedata.normalize("NFC", line))
    if carry:
        out.append(carry)
    return out


def authors(data: bytes) -> dict[str, set[str]]:
    """Return the authors of insertions and deletions: {"ins": {...}, "del": {...}}."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    return {kind: {e.get(f"{W}author") for e in root.iter(f"{W}{kind}")} for kind in ("ins", "del")}


def revision_ids(data: bytes) -> list[str]:
    """Return every w:id of revisions, comments and ranges in the document and comments parts."""
    ids = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    for element in root.iter():
        if element.tag in {
            f"{W}{t}"
            for t in ("ins", "del", "moveFrom", "moveTo", "moveFromRangeStart", "moveToRangeStart")
        }:
            ids.append(element.get(f"{W}id"))
    return ids


def package_problems(data: bytes) -> list[str]:
    """Return what Word would refuse in a package: parts without a content type, relationships
    to missing parts, comment marks without their comment (or the reverse), duplicate ids."""
    problems = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
        types = etree.fromstring(archive.read("[Content_Types].xml"))
        ct = "{http://schemas.openxmlformats.org/package/2006/content-types}"
        defaults = {e.get("Extension") for e in types.iter(f"{ct}Default")}
        overrides = {e.get("PartName").lstrip("/") for e in types.iter(f"{ct}Override")}
        for name in names:
            if (
                not name.endswith("/")
                and name not in overrides
                and name.rsplit(".", 1)[-1] not in defaults
            ):
                problems.append(f"no content type for {name}")
        rels = etree.fromstring(archive.read("word/_rels/document.xml.rels"))
        targets = {}
        for rel in rels:
            if rel.get("TargetMode") == "External":
                continue
            raw = rel.get("Target")
            target = raw.lstrip("/") if raw.startswith("/") else posixpath.normpath(f"word/{raw}")
            targets[rel.get("Id")] = target
            if target not in names:
                problems.append(f"relationship {rel.get('Id')} points to missing {target}")
        document = etree.fromstring(archive.read("word/document.xml"))
        r = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
        for element in document.iter():
            for attribute in (f"{r}id", f"{r}embed"):
                if element.get(attribute) and element.get(attribute) not in targets:
                    problems.append(f"unknown relationship {element.get(attribute)}")
        marks = {
            kind: [e.get(f"{W}id") for e in document.iter(f"{W}{kind}")]
            for kind in ("commentRangeStart", "commentRangeEnd", "commentReference")
        }
        comments = []
        if "word/comments.xml" in names:
            comments = [
                e.get(f"{W}id")
                for e in etree.fromstring(archive.read("word/comments.xml")).iter(f"{W}comment")
            ]
        for kind, ids in marks.items():
            if sorted(ids) != sorted(comments):
                problems.append(f"{kind} ids {sorted(ids)} differ from comments {sorted(comments)}")
        if len(comments) != len(set(comments)):
            problems.append("duplicate comment ids")
        revision = revision_ids(data)
        if len(revision) != len(set(revision)):
            problems.append("duplicate revision ids")
    return problems
