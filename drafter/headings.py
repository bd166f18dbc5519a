"""What the lines of a draft look like, and how its provisions are numbered and keyed.

The patterns the structure parser (:mod:`drafter.parse`) tests each paragraph against, the
rank of each kind of division, how numbers and point letters follow each other, the text
after a label, the document's title, and the keys (``chuong-2/dieu-5/khoan-1/diem-dd``) given
to every node once the tree is built.
"""

from __future__ import annotations

import re

from .blocks import Block
from .model import (
    DIVISIONS,
    KEY_PREFIX,
    Node,
)
from .normalize import is_upper_title, number_value, slug

RANK = {
    "part": 0,
    "chapter": 1,
    "section": 2,
    "subsection": 3,
    "article": 4,
    "item": 4,
    "clause": 5,
    "point": 6,
}

NUM_PATTERN = (
    r"(?P<num>(?-i:[IVXLC]+)|\d{1,3}|thứ\s+\w+|one|two|three|four|five|six|seven|eight|nine|ten)"
)

SEP_PATTERN = r"(?:\s*(?P<sep>[.:\-–—])\s*(?P<rest>.*)|\s+(?P<tail>.+))?$"

DIVISION_RE = re.compile(
    r"^(?P<word>tiểu\s+mục|phần|chương|mục|part|chapter|title|sub-section|subsection|section)\s+"
    + NUM_PATTERN
    + SEP_PATTERN,
    re.IGNORECASE,
)

DIVISION_KINDS = {
    "phần": "part", "part": "part", "title": "part", "chương": "chapter", "chapter": "chapter",
    "mục": "section", "section": "section", "tiểu mục": "subsection", "sub-section": "subsection",
    "subsection": "subsection",
}  # fmt: skip

# Party regulations: "I- QUY ĐỊNH CHUNG" in place of chapters.
ROMAN_PART_RE = re.compile(r"^(?P<num>[IVXLC]+)\s*[-–.]\s*(?P<rest>\S.*)$")

ARTICLE_RE = re.compile(
    r"^(?P<word>điều|article)\s+(?P<num>\d{1,4}[a-zđ]?(?:\s?(?:bis|ter))?)"
    r"(?:\s*(?P<sep>[.:\-–—])\s*(?P<rest>.*))?$",
    re.IGNORECASE,
)

# A guidance text's sub-item: "1.1." (or "1.1") under item "1.".
SUBITEM_RE = re.compile(r"^(?P<num>\d{1,3}\.\d{1,3})\.?\s+(?P<rest>\S.*)$")

CLAUSE_RE = re.compile(
    r"^(?:(?P<num>\d{1,3})[.)](?:\s+(?P<rest>.*)|$)|\((?P<pnum>\d{1,3})\)\s*(?P<prest>.*))$"
)

POINT_RE = re.compile(
    r"^(?:(?P<num>[a-zđ])\)\s*(?P<rest>.*)|\((?P<pnum>[a-zđ])\)\s*(?P<prest>.*)"
    r"|(?P<dnum>[a-zđ])\.\s+(?P<drest>.+))$"
)

DASH_RE = re.compile(r"^[-+•–—*]\s")

CLOSING_RE = re.compile(
    r"^(nơi\s+nhận|done\s+at\s|(?:luật|bộ\s+luật|nghị\s+quyết|pháp\s+lệnh|nghị\s+định|quy\s+định|"
    r"quy\s+chế|điều\s+lệ)\s+này\s+(?:đã\s+)?được\s.*thông\s+qua|this\s+regulation\s+shall\s+be\s+"
    r"binding|\(?đã\s+ký\)?$)",
    re.IGNORECASE,
)

SIGNATURE_RE = re.compile(
    r"^(?:T/?M\.?|T\.M\.|KT\.?|K/T|TL\.|TUQ\.|Q\.)\s|^(?:THỦ\s+TƯỚNG|CHỦ\s+TỊCH|BỘ\s+TRƯỞNG|"
    r"TỔNG\s+BÍ\s+THƯ|BÍ\s+THƯ|PHÓ\s+\S+|CHÁNH\s+VĂN\s+PHÒNG|TRƯỞNG\s+BAN)$"
)

CLOSING_TABLE_RE = re.compile(
    r"(?:^|\|)\s*(?:\*\*)?(?:Nơi\s+nhận|T/?M\.|T\.M\.|KT\.|K/T|TL\.)", re.IGNORECASE | re.MULTILINE
)

APPENDIX_RE = re.compile(r"^(?:phụ\s+lục|annex|appendix)\b(?P<rest>.*)$", re.IGNORECASE)

DOC_TYPES = (
    "QUYẾT ĐỊNH", "QUY ĐỊNH", "QUY CHẾ", "NGHỊ ĐỊNH", "NGHỊ QUYẾT", "THÔNG TƯ", "LUẬT", "BỘ LUẬT",
    "PHÁP LỆNH", "ĐIỀU LỆ", "HƯỚNG DẪN", "CHỈ THỊ", "KẾT LUẬN", "QUY TRÌNH", "REGULATION",
    "DIRECTIVE", "DECISION",
)  # fmt: skip

# Curly single quotes are left out: ’ is also the apostrophe of English text.
OPEN_QUOTES = "“«"

CLOSE_QUOTES = "”»"

# Which numberings restart when a node opens: clauses in each article, points in each
# clause, sections in each chapter.  Articles and chapters run on through the document.
RESTARTS = {
    "part": ("section", "subsection", "item"), "chapter": ("section", "subsection"),
    "section": ("subsection",), "subsection": (), "article": ("clause", "point"),
    "item": ("clause", "point"), "clause": ("point",), "point": (),
}  # fmt: skip

KIND_NAMES = {
    "part": "part",
    "chapter": "chapter",
    "section": "section",
    "subsection": "sub-section",
    "article": "article",
}


def used_prefixes(nodes: list[Node]) -> set[str]:
    return {n.key.split("/")[0] for n in nodes}


def node_value(node: Node) -> int:
    if node.kind == "article":
        return int_prefix(node.number) or 0
    return number_value(node.number) or 0


def int_prefix(number: str) -> int | None:
    digits = re.match(r"\d+", number)
    return int(digits.group()) if digits else None


def next_letter(letter: str, sequence: list[str]) -> str:
    if letter in sequence:
        index = sequence.index(letter)
        return sequence[index + 1] if index + 1 < len(sequence) else ""
    return ""


def letter_gap(previous: str, letter: str, sequence: list[str]) -> int:
    if previous not in sequence:
        return 0
    return sequence.index(letter) - sequence.index(previous) - 1


def after_label(block: Block, rest: str) -> str:
    """Return the Markdown text that follows a heading's label ("1.", "a)", "Điều 5.").

    `rest` is the tail of the block's plain text; the label is skipped in the Markdown by
    walking both texts together, so emphasis markers around the label do not matter.
    """
    if not rest:
        return ""
    markdown, plain = block.text, block.plain
    label_length = len(plain) - len(rest)
    i = k = 0
    while k < label_length and i < len(markdown):
        if markdown[i] == plain[k]:
            k += 1
        i += 1
    while i < len(markdown) and markdown[i] in "*_" and markdown[i:].lstrip("*_")[:1].isspace():
        i += 1  # the closing marker of a bold label: "**1.** text"
    text = markdown[i:].strip()
    if text.count("**") % 2:  # "**1. text**": the label took the opening marker
        text = "**" + text
    return text


def body_not_title(block: Block, rest: str) -> bool:
    """Return True when the words after "Điều 5." (or item "2.") are its body, not its title."""
    if block.bold_prefix > 0 and block.bold_prefix < len(block.plain) - len(rest):
        return True  # only "Điều 5." is bold: the rest is body
    words = len(rest.split())
    return rest[-1] in ".;:" and (words >= 8 or block.bold_prefix >= 0)


def doc_type_of(plain: str) -> str:
    candidate = " ".join(plain.replace("*", "").split())
    return candidate if candidate in DOC_TYPES else ""


def first_doc_type(blocks: list[Block]) -> str:
    for block in blocks:
        if doc_type := doc_type_of(block.plain):
            return doc_type
    return ""


def document_title(preamble: list[Block]) -> str:
    """Return a title for the draft from its preamble: "Quy định về …", or ""."""
    for i, block in enumerate(preamble):
        doc_type = doc_type_of(block.plain)
        if doc_type and i + 1 < len(preamble):
            summary = preamble[i + 1].plain
            if (
                summary[:1].isupper()
                and not is_upper_title(summary)
                and summary.split()[0] in ("Về", "Quy")
            ):
                summary = summary[0].lower() + summary[1:]
            return f"{doc_type.capitalize()} {summary}".strip()
    for block in preamble:
        if len(block.plain) > 20 and is_upper_title(block.plain):
            return block.plain
    return ""


def assign_keys(nodes: list[Node], prefix: str = "") -> None:
    """Give every node its path key: ``chuong-2/dieu-7/khoan-3/diem-dd``."""
    seen: dict[str, int] = {}
    paragraphs = 0
    appendices = 0
    for node in nodes:
        if node.kind == "closing":
            key = KEY_PREFIX["closing"]
        elif node.kind == "appendix":
            appendices += 1
            value = number_value(node.number)
            number = value if value is not None else slug(node.number) or appendices
            key = f"{KEY_PREFIX['appendix']}-{number}"
        elif node.kind == "paragraph":
            paragraphs += 1
            key = f"doan-{paragraphs}"
        elif node.kind == "preamble":
            key = "mo-dau"
        else:
            number = node.number
            if node.kind in DIVISIONS:
                value = number_value(number)
                number = str(value) if value is not None else number
            elif node.kind == "point":
                number = number.replace("đ", "dd")  # đ) follows d): both need a key
            key = f"{KEY_PREFIX[node.kind]}-{slug(number)}"
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:
            key = f"{key}-{seen[key]}"  # a repeated number (warned about) still gets its own key
        node.key = prefix + key
        assign_keys(node.children, node.key + "/")
