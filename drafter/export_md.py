"""Writing a version's tree back to Markdown that the importer reads to the same tree."""

from __future__ import annotations

import re

from .blocks import plain_text
from .model import Node

_HEADING_LEVEL = {
    "part": "#",
    "chapter": "##",
    "section": "###",
    "subsection": "###",
    "article": "####",
}
# A text line that the parser would take for structure gets our escape: a leading "\".
_LOOKS_STRUCTURAL = re.compile(
    r"^(#|[-+*•–—]\s|\d{1,3}[.)](\s|$)|\(\d{1,3}\)|\(?[a-zđ][).]|\\|\||"
    r"(?i:điều|chương|mục|phần|tiểu mục|article|chapter|section|part|title|phụ lục|annex|"
    r"appendix|nơi nhận|done at|t/?m\.|kt\.)\b|[IVXLC]+\s*[-–.])"
)


def to_markdown(nodes: list[Node]) -> str:
    """Return the Markdown text of a version: headings for divisions and articles, "1." for
    clauses, "a)" for points, paragraphs separated by blank lines."""
    out: list[str] = []
    for node in nodes:
        _write(node, out)
    return "\n\n".join(out) + "\n"


def _write(node: Node, out: list[str]) -> None:
    kind = node.kind
    if kind in ("part", "chapter", "section", "subsection"):
        out.append(f"{_HEADING_LEVEL[kind]} {node.label()}")
        if node.title:
            out.append(_escape(node.title, always=True))
        _paragraphs(node.text, out)
    elif kind == "article":
        heading = f"{_HEADING_LEVEL[kind]} {node.label()}."
        out.append(f"{heading} {node.title}" if node.title else heading)
        _paragraphs(node.text, out)
    elif kind == "item" and node.title:
        out.append(f"{node.label()} {node.title}")
        _paragraphs(node.text, out)
    elif kind in ("item", "clause", "point"):
        first, *rest = node.text.split("\n\n") if node.text else [""]
        out.append(f"{node.label()} {first}".rstrip())
        for paragraph in rest:
            _paragraphs(paragraph, out)
    elif kind in ("appendix", "closing"):
        # An appendix or the closing block (Nơi nhận, signature): their first line is what
        # starts them, and everything in them is text, so nothing is escaped.
        if node.title:
            out.append(node.title)
        _paragraphs(node.text, out, raw=True)
    else:
        _paragraphs(node.text, out)
    for child in node.children:
        _write(child, out)


def _paragraphs(text: str, out: list[str], *, raw: bool = False) -> None:
    for paragraph in text.split("\n\n") if text else []:
        if paragraph.startswith("|") or raw:
            out.append(paragraph)  # a table stays a table
        else:
            out.append(_escape(paragraph.replace("\n", " ")))


def _escape(line: str, *, always: bool = False) -> str:
    # Look past emphasis: "**Điều 4.**" is read as an article heading too.
    if always or _LOOKS_STRUCTURAL.match(line) or _LOOKS_STRUCTURAL.match(plain_text(line)):
        return "\\" + line
    return line


def provision_text(node: Node) -> str:
    """Return a provision as a delegate reads and rewrites it: its label and text, then its
    clauses and points, one paragraph a line (no Markdown headings, no escapes)."""
    lines: list[str] = []

    def visit(current: Node, top: bool) -> None:
        if current.kind == "item" and top:
            paragraphs = current.text.split("\n\n") if current.text else []
            first = current.title or (paragraphs.pop(0) if paragraphs else "")
            lines.append(f"{current.label()} {first}".rstrip())
            lines.extend(paragraphs)
        elif current.kind == "article" and top:
            lines.append(current.heading() + ("." if not current.title else ""))
            if current.text:
                lines.extend(current.text.split("\n\n"))
        elif current.kind in ("clause", "point"):
            first, *rest = current.text.split("\n\n") if current.text else [""]
            lines.append(f"{current.label()} {first}".rstrip())
            lines.extend(rest)
        elif current.text:
            lines.extend(current.text.split("\n\n"))
        for child in current.children:
            visit(child, False)

    visit(node, True)
    return "\n".join(lines)
