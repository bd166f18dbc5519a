"""The structure parser: blocks of a draft -> a tree of parts, chapters, articles, clauses, points.

It is a small state machine over paragraphs, not a regex per line: a heading is only a
heading where the document's state allows one (a clause needs an open article, a quoted
amendment is text, a cross-reference is not followed by the separator a heading has), and
every numbering sequence is checked.  Gaps and repeats become warnings with the line or
paragraph where they happen; the import goes on (see README, "Import warnings").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from .blocks import Block
from .errors import N_, DraftImportError
from .model import (
    DIVISIONS,
    KEY_PREFIX,
    LATIN_LETTERS,
    VIETNAMESE_LETTERS,
    Node,
    ParsedDraft,
    Warning_,
)
from .normalize import is_upper_title, number_value, slug

RANK = {
    "part": 0,
    "chapter": 1,
    "section": 2,
    "subsection": 3,
    "article": 4,
    "clause": 5,
    "point": 6,
}

_NUM = r"(?P<num>(?-i:[IVXLC]+)|\d{1,3}|thứ\s+\w+|one|two|three|four|five|six|seven|eight|nine|ten)"
_SEP = r"(?:\s*(?P<sep>[.:\-–—])\s*(?P<rest>.*)|\s+(?P<tail>.+))?$"
_DIVISION = re.compile(
    r"^(?P<word>tiểu\s+mục|phần|chương|mục|part|chapter|title|sub-section|subsection|section)\s+"
    + _NUM
    + _SEP,
    re.IGNORECASE,
)
_DIVISION_KIND = {
    "phần": "part", "part": "part", "title": "part", "chương": "chapter", "chapter": "chapter",
    "mục": "section", "section": "section", "tiểu mục": "subsection", "sub-section": "subsection",
    "subsection": "subsection",
}  # fmt: skip
# Party regulations: "I- QUY ĐỊNH CHUNG" in place of chapters.
_ROMAN_PART = re.compile(r"^(?P<num>[IVXLC]+)\s*[-–.]\s*(?P<rest>\S.*)$")
_ARTICLE = re.compile(
    r"^(?P<word>điều|article)\s+(?P<num>\d{1,4}[a-zđ]?(?:\s?(?:bis|ter))?)"
    r"(?:\s*(?P<sep>[.:\-–—])\s*(?P<rest>.*))?$",
    re.IGNORECASE,
)
_CLAUSE = re.compile(
    r"^(?:(?P<num>\d{1,3})[.)](?:\s+(?P<rest>.*)|$)|\((?P<pnum>\d{1,3})\)\s*(?P<prest>.*))$"
)
_POINT = re.compile(
    r"^(?:(?P<num>[a-zđ])\)\s*(?P<rest>.*)|\((?P<pnum>[a-zđ])\)\s*(?P<prest>.*)"
    r"|(?P<dnum>[a-zđ])\.\s+(?P<drest>.+))$"
)
_DASH = re.compile(r"^[-+•–—*]\s")
_CLOSING = re.compile(
    r"^(nơi\s+nhận|done\s+at\s|(?:luật|bộ\s+luật|nghị\s+quyết|pháp\s+lệnh|nghị\s+định|quy\s+định|"
    r"quy\s+chế|điều\s+lệ)\s+này\s+(?:đã\s+)?được\s.*thông\s+qua|this\s+regulation\s+shall\s+be\s+"
    r"binding|\(?đã\s+ký\)?$)",
    re.IGNORECASE,
)
_SIGNATURE = re.compile(
    r"^(?:T/?M\.?|T\.M\.|KT\.?|K/T|TL\.|TUQ\.|Q\.)\s|^(?:THỦ\s+TƯỚNG|CHỦ\s+TỊCH|BỘ\s+TRƯỞNG|"
    r"TỔNG\s+BÍ\s+THƯ|BÍ\s+THƯ|PHÓ\s+\S+|CHÁNH\s+VĂN\s+PHÒNG|TRƯỞNG\s+BAN)$"
)
_CLOSING_TABLE = re.compile(
    r"(?:^|\|)\s*(?:\*\*)?(?:Nơi\s+nhận|T/?M\.|T\.M\.|KT\.|K/T|TL\.)", re.IGNORECASE | re.MULTILINE
)
_APPENDIX = re.compile(r"^(?:phụ\s+lục|annex|appendix)\b(?P<rest>.*)$", re.IGNORECASE)
DOC_TYPES = (
    "QUYẾT ĐỊNH", "QUY ĐỊNH", "QUY CHẾ", "NGHỊ ĐỊNH", "NGHỊ QUYẾT", "THÔNG TƯ", "LUẬT", "BỘ LUẬT",
    "PHÁP LỆNH", "ĐIỀU LỆ", "HƯỚNG DẪN", "CHỈ THỊ", "KẾT LUẬN", "QUY TRÌNH", "REGULATION",
    "DIRECTIVE", "DECISION",
)  # fmt: skip
# Curly single quotes are left out: ’ is also the apostrophe of English text.
_OPEN_QUOTES = "“«"
_CLOSE_QUOTES = "”»"


def parse_blocks(blocks: Iterable[Block], *, source: str = "<string>") -> ParsedDraft:
    """Return the tree of a draft from its blocks; raise DraftImportError if it has no article."""
    parser = _Parser(source)
    for block in blocks:
        parser.feed(block)
    return parser.finish()


@dataclass
class _Segment:
    """One document of a file: a decision and the regulation it issues are two segments."""

    preamble: list[Block] = field(default_factory=list)
    nodes: list[Node] = field(default_factory=list)
    closing: list[Block] = field(default_factory=list)
    appendices: list[Node] = field(default_factory=list)
    doc_type: str = ""
    articles: int = 0


class _Parser:
    def __init__(self, source: str) -> None:
        self.source = source
        self.warnings: list[Warning_] = []
        self.segments = [_Segment()]
        self.stack: list[Node] = []
        self.mode = "preamble"  # preamble | body | closing | appendix
        self.awaiting_title: Node | None = None
        self.title_lines = 0
        self.quote_depth = 0
        self.english = False
        self.last: dict[str, Node] = {}  # last node of each kind, for sequence checks
        self.more_text: dict[int, tuple[Node, list[str]]] = {}  # see add_text

    # -- helpers -----------------------------------------------------------------------
    @property
    def segment(self) -> _Segment:
        return self.segments[-1]

    def warn(self, block: Block, message: str) -> None:
        self.warnings.append(Warning_(block.where, message))

    def open_node(self, node: Node, block: Block) -> None:
        node.source_line = block.where
        rank = RANK[node.kind]
        while self.stack and RANK[self.stack[-1].kind] >= rank:
            self.stack.pop()
        if self.stack:
            self.stack[-1].children.append(node)
        else:
            self.segment.nodes.append(node)
        self.stack.append(node)
        self.last[node.kind] = node
        for deeper in _RESTARTS[node.kind]:
            self.last.pop(deeper, None)

    def innermost(self, kind: str) -> Node | None:
        for node in reversed(self.stack):
            if node.kind == kind:
                return node
        return None

    def add_text(self, node: Node, block: Block) -> None:
        """Add a paragraph of text to `node`: to its own text while it has no children (the
        paragraphs are joined once, in :meth:`finish`, so that a long text costs linear
        time), else as a paragraph child."""
        if node.children:
            node.children.append(Node("paragraph", text=block.text, source_line=block.where))
        elif node.text:
            self.more_text.setdefault(id(node), (node, []))[1].append(block.text)
        else:
            node.text = block.text

    def join_texts(self) -> None:
        """Give every node the paragraphs :meth:`add_text` kept aside, in order."""
        for node, parts in self.more_text.values():
            node.text = "\n\n".join([node.text, *parts])
        self.more_text.clear()

    # -- the state machine -------------------------------------------------------------
    def feed(self, block: Block) -> None:
        plain = block.plain
        if not plain:
            return
        if self.awaiting_title is not None and not block.table and self.take_title(block):
            return
        if (
            block.table
            and self.mode == "body"
            and self.segment.articles
            and _CLOSING_TABLE.search(plain)
        ):
            self.mode = "closing"  # the usual two-column "Nơi nhận | signature" table
            self.stack.clear()
            self.segment.closing.append(block)
            return
        if self.quote_depth > 0 or block.literal or block.table:
            quoted = self.quote_depth > 0
            self.update_quotes(plain)
            self.text(block, quoted=quoted or self.quote_depth > 0)
            return
        if self.mode != "preamble" and self.segment.articles and self.new_document(block):
            return
        if self.mode == "appendix":
            if (match := _APPENDIX.match(plain)) and self.start_appendix(block, match):
                return
            self.add_text(self.segment.appendices[-1], block)
            return
        if self.mode == "body" and self.segment.articles:
            if _CLOSING.match(plain) or (_SIGNATURE.match(plain) and len(plain.split()) <= 8):
                self.mode = "closing"
                self.stack.clear()
                self.segment.closing.append(block)
                return
            if (match := _APPENDIX.match(plain)) and self.start_appendix(block, match):
                return
        if self.mode == "closing":
            if (match := _APPENDIX.match(plain)) and self.start_appendix(block, match):
                return
            self.segment.closing.append(block)
            return
        if self.structure(block):
            return
        self.update_quotes(plain)
        self.text(block, quoted=self.quote_depth > 0)

    def update_quotes(self, plain: str) -> None:
        """Follow quotation marks across paragraphs: an amendment quoting whole articles
        opens with “ and ends with ”, and quoted terms inside it (“tổ chức đảng”) balance."""
        opened = sum(plain.count(q) for q in _OPEN_QUOTES)
        closed = sum(plain.count(q) for q in _CLOSE_QUOTES)
        straight = plain.count('"') % 2
        if self.quote_depth == 0:
            if plain[0] in _OPEN_QUOTES and opened > closed:
                self.quote_depth = opened - closed
            elif plain[0] == '"' and straight:
                self.quote_depth = 1
        else:
            self.quote_depth = max(self.quote_depth + opened - closed - straight, 0)

    def text(self, block: Block, *, quoted: bool = False) -> None:
        """Attach a paragraph that is not structure to the node it belongs to: a quoted
        amendment or a dash item to the innermost node, other text after a point's own
        text to the point's clause or article."""
        if self.mode == "preamble" or not self.stack:
            if self.mode == "preamble":
                self.segment.preamble.append(block)
            elif self.segment.nodes and self.segment.nodes[-1].kind != "article":
                self.add_text(self.segment.nodes[-1], block)
            else:
                self.segment.preamble.append(block)
            return
        top = self.stack[-1]
        if top.kind == "point" and top.text and not quoted and not _DASH.match(block.plain):
            self.add_text(self.stack[-2], block)
        else:
            self.add_text(top, block)

    def take_title(self, block: Block) -> bool:
        node = self.awaiting_title
        assert node is not None
        plain = block.plain
        starts_structure = not block.literal and bool(
            _ARTICLE.match(plain)
            or _DIVISION.match(plain)
            or _CLAUSE.match(plain)
            or _POINT.match(plain)
            or _DASH.match(plain)
        )
        if starts_structure:
            self.awaiting_title = None
            return False
        if node.kind == "article":
            self.awaiting_title = None
            if len(plain.split()) > 25 or plain[-1] in ".;:,":
                return False
            node.title = plain
            return True
        if self.title_lines == 0:
            node.title = plain
            self.title_lines = 1
            if not (is_upper_title(plain) or block.emphasised):
                self.awaiting_title = None
            return True
        if (is_upper_title(plain) and is_upper_title(node.title)) or (
            block.emphasised
            and not is_upper_title(node.title)
            and self.title_lines < 3
            and plain[-1] not in ".;:"
        ):
            node.title = f"{node.title} {plain}"
            self.title_lines += 1
            return True
        self.awaiting_title = None
        return False

    def structure(self, block: Block) -> bool:
        plain = block.plain
        if match := _ARTICLE.match(plain):
            return self.start_article(block, match)
        if (match := _DIVISION.match(plain)) and self.start_division(block, match):
            return True
        if (match := _ROMAN_PART.match(plain)) and self.start_roman_part(block, match):
            return True
        if self.mode == "body" and self.innermost("article") is not None:
            if (match := _CLAUSE.match(plain)) and self.start_clause(block, match):
                return True
            if (match := _POINT.match(plain)) and self.start_point(block, match):
                return True
        return False

    # -- divisions and articles ----------------------------------------------------------
    def start_division(self, block: Block, match: re.Match[str]) -> bool:
        word = " ".join(match.group("word").lower().split())
        kind = _DIVISION_KIND[word]
        number = match.group("num")
        value = number_value(number)
        rest = (match.group("rest") or "").strip()
        tail = (match.group("tail") or "").strip()
        if tail and not is_upper_title(tail):
            return False  # "Chương II của Luật này …" is a cross-reference, not a heading
        if value is None:
            return False
        if word in ("part", "chapter", "section", "title", "sub-section", "subsection"):
            self.english = True
        self.begin_body(block, number, kind)
        node = Node(kind, number=number, title=rest or tail)
        self.check_sequence(block, node, value)
        self.open_node(node, block)
        if not node.title:
            self.awaiting_title = node
            self.title_lines = 0
        return True

    def start_roman_part(self, block: Block, match: re.Match[str]) -> bool:
        rest = match.group("rest").strip()
        value = number_value(match.group("num"))
        if value is None or not is_upper_title(rest) or self.innermost("chapter") is not None:
            return False
        self.begin_body(block, match.group("num"), "part")
        node = Node("part", number=match.group("num"), title=rest)
        self.check_sequence(block, node, value)
        self.open_node(node, block)
        return True

    def start_article(self, block: Block, match: re.Match[str]) -> bool:
        number = match.group("num").replace(" ", "")
        if match.group("word").lower() == "article":
            self.english = True
        self.begin_body(block, number, "article")
        node = Node("article", number=number)
        rest = (match.group("rest") or "").strip()
        if rest:
            if self.is_body_not_title(block, rest):
                node.text = _after_label(block, rest)
            else:
                node.title = rest
        elif not match.group("sep") or match.group("sep") in ":":
            self.awaiting_title = node  # "Article 5" or "Điều 5" alone: title on the next line
        digits = re.match(r"\d+", number)
        value = int(digits.group()) if digits else 0
        if number == str(value):
            self.check_sequence(block, node, value)
        self.open_node(node, block)
        self.segment.articles += 1
        return True

    @staticmethod
    def is_body_not_title(block: Block, rest: str) -> bool:
        """Return True when the words after "Điều 5." are the article's body, not its title."""
        if block.bold_prefix > 0 and block.bold_prefix < len(block.plain) - len(rest):
            return True  # only "Điều 5." is bold: the rest is body
        words = len(rest.split())
        return rest[-1] in ".;:" and (words >= 8 or block.bold_prefix >= 0)

    def begin_body(self, block: Block, number: str, kind: str) -> None:
        """Switch from preamble or closing to the body; after a closing block, a heading
        starts the next document of the file."""
        if self.mode in ("closing", "appendix"):
            self.segments.append(_Segment())
            self.last.clear()
            self.stack.clear()
        self.mode = "body"

    def new_document(self, block: Block) -> bool:
        """In a closing block or appendix, a document title starts the next document."""
        doc_type = _doc_type(block.plain)
        if not doc_type:
            return False
        self.segments.append(_Segment(preamble=[block], doc_type=doc_type))
        self.last.clear()
        self.stack.clear()
        self.mode = "preamble"
        return True

    def start_appendix(self, block: Block, match: re.Match[str]) -> bool:
        rest = match.group("rest").strip(" .:-–")
        if rest and not (is_upper_title(rest) or re.match(r"^[IVXLC\d]+\b", rest)):
            return False  # "Phụ lục kèm theo …" in running text
        number = rest.split()[0].rstrip(".:") if rest else str(len(self.segment.appendices) + 1)
        node = Node("paragraph", number=number, title=block.plain, source_line=block.where)
        self.segment.appendices.append(node)
        self.stack.clear()
        self.mode = "appendix"
        self.awaiting_title = node  # "PHỤ LỤC I" / "DANH MỤC …": a title in capitals follows
        self.title_lines = 1
        return True

    # -- clauses and points --------------------------------------------------------------
    def start_clause(self, block: Block, match: re.Match[str]) -> bool:
        number = match.group("num") or match.group("pnum")
        rest = match.group("rest") if match.group("num") else match.group("prest")
        value = int(number)
        article = self.innermost("article")
        in_article = article.number if article is not None else "?"
        previous = self.last.get("clause")
        expected = int(previous.number) + 1 if previous else 1
        if previous is None and value != 1 and value > 2:
            return False  # "2020. …" or a list inside the body, not the first clause
        if previous is not None and not (expected - 1 <= value <= expected + 2):
            return False
        node = Node("clause", number=number, text=_after_label(block, rest or ""))
        if value == expected - 1:
            self.warn(block, f"khoản {value} appears twice in Điều {in_article}")
        elif value != expected:
            self.warn(
                block,
                f"khoản {value} follows khoản {expected - 1} in Điều {in_article}"
                f" (khoản {expected} is missing)",
            )
        self.open_node(node, block)
        return True

    def start_point(self, block: Block, match: re.Match[str]) -> bool:
        letter = match.group("num") or match.group("pnum") or match.group("dnum")
        rest = match.group("rest") or match.group("prest") or match.group("drest") or ""
        previous = self.last.get("point")
        sequence = LATIN_LETTERS if self.english else VIETNAMESE_LETTERS
        if previous is None:
            if letter != "a":
                return False
            expected = "a"
        else:
            expected = _next_letter(previous.number, sequence)
            if letter != expected:
                # Word's own lettering and some drafts use the Latin alphabet: a, b, … e, f.
                latin_next = _next_letter(previous.number, LATIN_LETTERS)
                if letter == latin_next and not self.english:
                    self.warn(
                        block,
                        f"điểm {letter}) is not a Vietnamese point letter "
                        f"(expected {expected}) after {previous.number}))",
                    )
                elif letter in sequence and 0 < _gap(previous.number, letter, sequence) <= 2:
                    self.warn(
                        block,
                        f"điểm {letter}) follows điểm {previous.number}) "
                        f"(điểm {expected}) is missing)",
                    )
                elif letter == previous.number:
                    self.warn(block, f"điểm {letter}) appears twice")
                else:
                    return False  # "(i)" under a point, or a letter in running text
        node = Node("point", number=letter, text=_after_label(block, rest))
        self.open_node(node, block)
        return True

    # -- numbering ---------------------------------------------------------------------
    def check_sequence(self, block: Block, node: Node, value: int) -> None:
        previous = self.last.get(node.kind)
        if node.kind in ("section", "subsection") and previous is not None:
            parent_rank = RANK[node.kind] - 1
            container = next((n for n in reversed(self.stack) if RANK[n.kind] <= parent_rank), None)
            if container is not None and previous not in container.children:
                previous = None  # sections restart in each chapter
        expected = 1 if previous is None else _value(previous) + 1
        if value == expected:
            return
        label = node.label()
        if previous is None:
            self.warn(
                block, f"{label} is the first {_NAMES[node.kind]}; expected number {expected}"
            )
        elif value == expected - 1:
            self.warn(block, f"{label} appears twice")
        else:
            self.warn(block, f"{label} follows {previous.label()} (expected number {expected})")

    # -- the end -----------------------------------------------------------------------
    def finish(self) -> ParsedDraft:
        self.join_texts()
        documents = [s for s in self.segments if s.articles]
        if not documents:
            raise DraftImportError(
                N_("no article found (no line such as “Điều 1.” or “Article 1”)"),
                source=self.source,
            )
        top: list[Node] = []
        main = documents[-1]
        for segment in self.segments:
            prefix = ""
            if segment is not main and segment.articles:
                prefix = slug(segment.doc_type or _first_doc_type(segment.preamble) or "van-ban")
                prefix = (
                    f"{prefix}-{self.segments.index(segment) + 1}/"
                    if prefix in _used(top)
                    else f"{prefix}/"
                )
            nodes = []
            if segment.preamble:
                nodes.append(
                    Node(
                        "preamble",
                        text="\n\n".join(b.text for b in segment.preamble),
                        source_line=segment.preamble[0].where,
                    )
                )
            nodes.extend(segment.nodes)
            if segment.closing:
                nodes.append(
                    Node(
                        "paragraph",
                        title="",
                        text="\n\n".join(b.text for b in segment.closing),
                        source_line=segment.closing[0].where,
                        key="ket-thuc",
                    )
                )
            nodes.extend(segment.appendices)
            assign_keys(nodes, prefix)
            top.extend(nodes)
        title = document_title(main.preamble)
        return ParsedDraft(top, title=title, warnings=self.warnings, source=self.source)


# Which numberings restart when a node opens: clauses in each article, points in each
# clause, sections in each chapter.  Articles and chapters run on through the document.
_RESTARTS = {
    "part": ("section", "subsection"), "chapter": ("section", "subsection"),
    "section": ("subsection",), "subsection": (), "article": ("clause", "point"),
    "clause": ("point",), "point": (),
}  # fmt: skip

_NAMES = {
    "part": "part",
    "chapter": "chapter",
    "section": "section",
    "subsection": "sub-section",
    "article": "article",
}


def _used(nodes: list[Node]) -> set[str]:
    return {n.key.split("/")[0] for n in nodes}


def _value(node: Node) -> int:
    if node.kind == "article":
        return _int_prefix(node.number) or 0
    return number_value(node.number) or 0


def _int_prefix(number: str) -> int | None:
    digits = re.match(r"\d+", number)
    return int(digits.group()) if digits else None


def _next_letter(letter: str, sequence: list[str]) -> str:
    if letter in sequence:
        index = sequence.index(letter)
        return sequence[index + 1] if index + 1 < len(sequence) else ""
    return ""


def _gap(previous: str, letter: str, sequence: list[str]) -> int:
    if previous not in sequence:
        return 0
    return sequence.index(letter) - sequence.index(previous) - 1


def _after_label(block: Block, rest: str) -> str:
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


def _doc_type(plain: str) -> str:
    candidate = " ".join(plain.replace("*", "").split())
    return candidate if candidate in DOC_TYPES else ""


def _first_doc_type(blocks: list[Block]) -> str:
    for block in blocks:
        if doc_type := _doc_type(block.plain):
            return doc_type
    return ""


def document_title(preamble: list[Block]) -> str:
    """Return a title for the draft from its preamble: "Quy định về …", or ""."""
    for i, block in enumerate(preamble):
        doc_type = _doc_type(block.plain)
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
        if node.key == "ket-thuc":
            key = "ket-thuc"
        elif node.kind == "paragraph" and node.title:
            appendices += 1
            value = number_value(node.number)
            key = f"phu-luc-{value if value is not None else slug(node.number) or appendices}"
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
