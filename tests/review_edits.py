"""Editing a review copy as a reviewer would, through python-docx and raw WordprocessingML:
with Track Changes (w:ins, w:del, deleted paragraph marks) or without."""

from __future__ import annotations

import copy
import io

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

AUTHOR = "Nguyễn Văn A"
DATE = "2026-12-01T09:00:00Z"


def open_copy(data: bytes):
    return docx.Document(io.BytesIO(data))


def save(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def paragraph(document, start: str) -> Paragraph:
    return next(p for p in document.paragraphs if p.text.startswith(start))


def _revision(tag: str, n: int):
    element = OxmlElement(tag)
    element.set(qn("w:id"), str(5000 + n))
    element.set(qn("w:author"), AUTHOR)
    element.set(qn("w:date"), DATE)
    return element


def _run(text: str, *, deleted: bool = False):
    run = OxmlElement("w:r")
    t = OxmlElement("w:delText" if deleted else "w:t")
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    t.text = text
    run.append(t)
    return run


class Editor:
    """Edits one document's text, tracked or not."""

    def __init__(self, document, *, tracked: bool) -> None:
        self.document = document
        self.tracked = tracked
        self.n = 0

    def _wrap(self, tag: str, text: str):
        self.n += 1
        element = _revision(tag, self.n)
        element.append(_run(text, deleted=tag == "w:del"))
        return element

    def replace(self, start: str, old: str, new: str) -> None:
        """In the paragraph starting with `start`, replace `old` (inside one run) by `new`."""
        p = paragraph(self.document, start)
        self.replace_in(p, old, new)

    def replace_in(self, p: Paragraph, old: str, new: str, *, skip: int = 0) -> None:
        """Replace the first `old` of `p`'s first run holding it (after `skip` characters)."""
        run = next(r for r in p.runs if old in r.text[skip:])
        at = run.text.index(old, skip)
        before, after = run.text[:at], run.text[at + len(old) :]
        if not self.tracked:
            run.text = before + new + after
            return
        run.text = before
        pieces = []
        if old:
            pieces.append(self._wrap("w:del", old))
        if new:
            pieces.append(self._wrap("w:ins", new))
        if after:
            tail = copy.deepcopy(run._r)
            tail.find(qn("w:t")).text = after
            pieces.append(tail)
        anchor = run._r
        for piece in pieces:
            anchor.addnext(piece)
            anchor = piece

    def delete_paragraph(self, start: str) -> None:
        p = paragraph(self.document, start)
        if not self.tracked:
            for child in list(p._p):
                if child.tag not in (qn("w:bookmarkStart"), qn("w:bookmarkEnd")):
                    p._p.remove(child)
            # the paragraph goes; its bookmarks stay where it was (as Word leaves them)
            previous = p._p.getprevious()
            for child in list(p._p):
                previous.append(child)
            p._p.getparent().remove(p._p)
            return
        for run in p.runs:
            text = run.text
            run._r.addprevious(self._wrap("w:del", text))
            run._r.getparent().remove(run._r)
        ppr = p._p.get_or_add_pPr()
        rpr = OxmlElement("w:rPr")
        self.n += 1
        rpr.append(_revision("w:del", self.n))
        ppr.append(rpr)

    def add_paragraph_after(self, start: str, text: str) -> None:
        p = paragraph(self.document, start)
        new = OxmlElement("w:p")
        ppr = p._p.find(qn("w:pPr"))
        if ppr is not None:
            ppr = copy.deepcopy(ppr)
            new.append(ppr)
        if self.tracked:
            new.append(self._wrap("w:ins", text))
            ppr = new.get_or_add_pPr()
            rpr = OxmlElement("w:rPr")
            self.n += 1
            rpr.append(_revision("w:ins", self.n))
            ppr.append(rpr)
        else:
            new.append(_run(text))
        p._p.addnext(new)
