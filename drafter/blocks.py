"""Blocks: the paragraphs every importer hands to the parser, and the text/Markdown reader.

A block is one paragraph (or one table) with its Markdown text, its plain text for
recognising structure, and where it came from, so that messages can name the line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .normalize import clean

_EMPHASIS = re.compile(
    r"(\*\*|__|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])|(?<!\w)_(?=\S)|(?<=\S)_(?!\w))"
)
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~])")
#: A line break inside a table cell, superscript and subscript: the marks of HTML a text may
#: hold (drafter.markup renders them; plain text shows a break as a space, the rest as text).
_BREAK = re.compile(r"\s*(?<!\\)<br\s*/?>\s*", re.IGNORECASE)
_SCRIPT = re.compile(r"(?<!\\)</?(?:sup|sub)>", re.IGNORECASE)
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


@dataclass
class Block:
    """One paragraph of the source, ready for the parser."""

    text: str
    where: str
    plain: str = ""
    #: How many characters at the start of `plain` are bold; -1 when unknown.
    bold_prefix: int = -1
    #: A Markdown heading line or a bold paragraph (a DOCX heading is usually plain bold).
    emphasised: bool = False
    table: bool = False
    #: An escaped line ("\\1. …"): text, never structure.
    literal: bool = False

    def __post_init__(self) -> None:
        if not self.plain:
            self.plain = plain_text(self.text)


def plain_text(markdown: str) -> str:
    """Return `markdown` inline text without emphasis markers or backslash escapes."""
    text = _BREAK.sub(" ", _SCRIPT.sub("", markdown))
    return _ESCAPE.sub(r"\1", _EMPHASIS.sub("", text)).strip()


def _bold_prefix(markdown: str) -> int:
    """Return the plain length of a leading ``**bold**`` span, 0 when the line starts plain."""
    match = re.match(r"\*\*(.+?)\*\*", markdown)
    if not match:
        return 0
    return len(plain_text(match.group(1)))


# A line that starts a new paragraph even without a blank line before it: a heading, a
# list item, a numbered clause or point, a table row, or a structural heading word.
STARTER = re.compile(
    r"^(#{1,6}\s|[-+*•–]\s|\d{1,3}[.)]\s|\(\d{1,3}\)|\(?[a-zđ][).]\s|\||\\"
    r"|(?i:điều|chương|mục|phần|tiểu mục|article|chapter|section|part)\s+\S+\s*[.:]?\s*$"
    r"|(?i:điều|article)\s+\d+\w*\s*[.:]\s)"
)


def text_blocks(text: str, *, unit: str = "line") -> list[Block]:
    """Return the blocks of a Markdown or plain-text draft.

    Two layouts are recognised.  When blank lines separate paragraphs (Markdown), lines that
    follow each other are joined into one paragraph unless a line starts a new element.  When
    there are (almost) no blank lines, as in text copied from a PDF or Word, each line is a
    paragraph.  Markdown headings (``#``) are accepted and optional.
    """
    lines = clean(text).strip("\n").split("\n")
    nonblank = sum(1 for line in lines if line)
    blank_separated = nonblank > 1 and (len(lines) - nonblank) >= nonblank * 0.3
    blocks: list[Block] = []
    buffer: list[str] = []
    start = 0
    table: list[str] = []
    table_start = 0

    def flush() -> None:
        nonlocal buffer
        if buffer:
            blocks.append(_make_block(" ".join(buffer), f"{unit} {start}"))
            buffer = []

    def flush_table() -> None:
        nonlocal table
        if table:
            body = "\n".join(table)
            blocks.append(Block(body, f"{unit} {table_start}", plain=body, table=True))
            table = []

    for number, line in enumerate(lines, start=1):
        if line.startswith("|"):
            flush()
            if not table:
                table_start = number
            table.append(line)
            continue
        flush_table()
        if not line:
            flush()
            continue
        is_heading = bool(_HEADING.match(line))
        if not blank_separated or is_heading or STARTER.match(line) or _ends_heading(buffer):
            flush()
        if not buffer:
            start = number
        buffer.append(line)
        if is_heading:
            flush()
    flush()
    flush_table()
    return blocks


def _ends_heading(buffer: list[str]) -> bool:
    return bool(buffer) and bool(_HEADING.match(buffer[-1]))


def _make_block(line: str, where: str) -> Block:
    heading = _HEADING.match(line)
    if heading:
        line = heading.group(2)
    # Our own escape, written by export-md: a leading backslash keeps a line from being
    # read as structure ("\\1. …" is text that happens to start with "1.").
    literal = line.startswith("\\")
    if literal:
        line = line[1:]
    text = line
    plain = plain_text(text)
    bold = _bold_prefix(text)
    emphasised = bool(heading) or (bold > 0 and bold >= len(plain))
    return Block(text, where, plain=plain, bold_prefix=bold, emphasised=emphasised, literal=literal)
