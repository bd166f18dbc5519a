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

from .blocks import Block
from .errors import DraftImportError
from .guidance import ItemsMixin
from .headings import (
    APPENDIX_RE,
    ARTICLE_RE,
    CLAUSE_RE,
    CLOSE_QUOTES,
    CLOSING_RE,
    CLOSING_TABLE_RE,
    DASH_RE,
    DIVISION_KINDS,
    DIVISION_RE,
    KIND_NAMES,
    OPEN_QUOTES,
    POINT_RE,
    RANK,
    RESTARTS,
    ROMAN_PART_RE,
    SIGNATURE_RE,
    after_label,
    body_not_title,
    doc_type_of,
    letter_gap,
    next_letter,
    node_value,
)
from .model import (
    LATIN_LETTERS,
    VIETNAMESE_LETTERS,
    Node,
    ParsedDraft,
    Warning_,
    is_commentable,
)
from .normalize import is_upper_title, number_value
from .segments import Segment, assemble


def parse_blocks(blocks: Iterable[Block], *, source: str = "<string>") -> ParsedDraft:
    """Return the tree of a draft from its blocks; raise DraftImportError if it has neither an
    article nor, read as a guidance text (see :mod:`drafter.guidance`), a numbered item."""
    blocks = list(blocks)
    parser = _Parser(source)
    for block in blocks:
        parser.feed(block)
    try:
        return parser.finish()
    except DraftImportError:
        guidance = _Parser(source, items=True)
        for block in blocks:
            guidance.feed(block)
        if not guidance.is_guidance():
            raise
        return guidance.finish()


class _Parser(ItemsMixin):
    def __init__(self, source: str, *, items: bool = False) -> None:
        self.source = source
        self.items = items  # a guidance text: parts and numbered items, no "Điều"
        self.last_item: Node | None = None
        self.warnings: list[Warning_] = []
        self.segments = [Segment()]
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
    def segment(self) -> Segment:
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
        for deeper in RESTARTS[node.kind]:
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
            and CLOSING_TABLE_RE.search(plain)
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
        if self.mode == "appendix":
            # Everything up to the next appendix belongs to this one: the model forms it holds
            # have their own titles ("QUYẾT ĐỊNH") and "Điều 1." lines, which are the form's,
            # never the draft's (counted, for a warning).
            if (match := APPENDIX_RE.match(plain)) and self.start_appendix(block, match):
                return
            if ARTICLE_RE.match(plain):
                self.segment.articles_in_appendices += 1
            self.add_text(self.segment.appendices[-1], block)
            return
        if self.mode != "preamble" and self.segment.articles and self.new_document(block):
            return
        if self.mode == "body" and self.segment.articles:
            if CLOSING_RE.match(plain) or (SIGNATURE_RE.match(plain) and len(plain.split()) <= 8):
                self.mode = "closing"
                self.stack.clear()
                self.segment.closing.append(block)
                return
            if (match := APPENDIX_RE.match(plain)) and self.start_appendix(block, match):
                return
        if self.mode == "closing":
            if (match := APPENDIX_RE.match(plain)) and self.start_appendix(block, match):
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
        opened = sum(plain.count(q) for q in OPEN_QUOTES)
        closed = sum(plain.count(q) for q in CLOSE_QUOTES)
        straight = plain.count('"') % 2
        if self.quote_depth == 0:
            if plain[0] in OPEN_QUOTES and opened > closed:
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
            elif self.segment.nodes and not is_commentable(self.segment.nodes[-1].kind):
                self.add_text(self.segment.nodes[-1], block)
            else:
                self.segment.preamble.append(block)
            return
        top = self.stack[-1]
        if top.kind == "point" and top.text and not quoted and not DASH_RE.match(block.plain):
            self.add_text(self.stack[-2], block)
        else:
            self.add_text(top, block)

    def take_title(self, block: Block) -> bool:
        node = self.awaiting_title
        assert node is not None
        plain = block.plain
        starts_structure = not block.literal and bool(
            ARTICLE_RE.match(plain)
            or DIVISION_RE.match(plain)
            or CLAUSE_RE.match(plain)
            or POINT_RE.match(plain)
            or DASH_RE.match(plain)
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
        if self.items:
            return self.item_structure(block)
        if match := ARTICLE_RE.match(plain):
            return self.start_article(block, match)
        if (match := DIVISION_RE.match(plain)) and self.start_division(block, match):
            return True
        if (match := ROMAN_PART_RE.match(plain)) and self.start_roman_part(block, match):
            return True
        if self.mode == "body" and self.innermost("article") is not None:
            if (match := CLAUSE_RE.match(plain)) and self.start_clause(block, match):
                return True
            if (match := POINT_RE.match(plain)) and self.start_point(block, match):
                return True
        return False

    # -- divisions and articles ----------------------------------------------------------
    def start_division(self, block: Block, match: re.Match[str]) -> bool:
        word = " ".join(match.group("word").lower().split())
        kind = DIVISION_KINDS[word]
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
        self.open_part(block, match.group("num"), rest, value)
        return True

    def start_article(self, block: Block, match: re.Match[str]) -> bool:
        number = match.group("num").replace(" ", "")
        if match.group("word").lower() == "article":
            self.english = True
        self.begin_body(block, number, "article")
        node = Node("article", number=number)
        rest = (match.group("rest") or "").strip()
        if rest:
            if body_not_title(block, rest):
                node.text = after_label(block, rest)
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

    def begin_body(self, block: Block, number: str, kind: str) -> None:
        """Switch from preamble or closing to the body; after a closing block, a heading
        starts the next document of the file."""
        if self.mode in ("closing", "appendix"):
            self.segments.append(Segment())
            self.last.clear()
            self.stack.clear()
        self.mode = "body"

    def new_document(self, block: Block) -> bool:
        """In a closing block or appendix, a document title starts the next document."""
        doc_type = doc_type_of(block.plain)
        if not doc_type:
            return False
        self.segments.append(Segment(preamble=[block], doc_type=doc_type))
        self.last.clear()
        self.stack.clear()
        self.mode = "preamble"
        return True

    def start_appendix(self, block: Block, match: re.Match[str]) -> bool:
        rest = match.group("rest").strip(" .:-–")
        if rest and not (is_upper_title(rest) or re.match(r"^[IVXLC\d]+\b", rest)):
            return False  # "Phụ lục kèm theo …" in running text
        number = rest.split()[0].rstrip(".:") if rest else str(len(self.segment.appendices) + 1)
        node = Node("appendix", number=number, title=block.plain, source_line=block.where)
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
        node = Node("clause", number=number, text=after_label(block, rest or ""))
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
            expected = next_letter(previous.number, sequence)
            if letter != expected:
                # Word's own lettering and some drafts use the Latin alphabet: a, b, … e, f.
                latin_next = next_letter(previous.number, LATIN_LETTERS)
                if letter == latin_next and not self.english:
                    self.warn(
                        block,
                        f"điểm {letter}) is not a Vietnamese point letter "
                        f"(expected {expected}) after {previous.number}))",
                    )
                elif letter in sequence and 0 < letter_gap(previous.number, letter, sequence) <= 2:
                    self.warn(
                        block,
                        f"điểm {letter}) follows điểm {previous.number}) "
                        f"(điểm {expected}) is missing)",
                    )
                elif letter == previous.number:
                    self.warn(block, f"điểm {letter}) appears twice")
                else:
                    return False  # "(i)" under a point, or a letter in running text
        node = Node("point", number=letter, text=after_label(block, rest))
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
        expected = 1 if previous is None else node_value(previous) + 1
        if value == expected:
            return
        label = node.label()
        if previous is None:
            self.warn(
                block, f"{label} is the first {KIND_NAMES[node.kind]}; expected number {expected}"
            )
        elif value == expected - 1:
            self.warn(block, f"{label} appears twice")
        else:
            self.warn(block, f"{label} follows {previous.label()} (expected number {expected})")

    # -- the end -----------------------------------------------------------------------
    def finish(self) -> ParsedDraft:
        self.join_texts()
        kept = sum(segment.articles_in_appendices for segment in self.segments)
        if kept:
            self.warnings.append(
                Warning_("", f"{kept} lines like “Điều 1.” kept inside appendices (model forms)")
            )
        return assemble(self.segments, warnings=self.warnings, source=self.source)
