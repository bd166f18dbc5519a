"""Guidance texts: no "Điều", but Roman-numeral parts ("I.", "II.") and numbered items ("1.",
"2.", sub-items "1.1.", points "a)"), as Party guidance and plans are written.

The structure parser (:mod:`drafter.parse`) reads such a text when it found no article: the
parts become divisions (`part`), the top-level numbered items the units of comment (`item`,
which delegates comment on exactly like articles), sub-items `clause` nodes numbered "1.1"
inside their item, and lettered points `point` nodes.  This mixin holds the rules that differ.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .headings import (
    CLAUSE_RE,
    DIVISION_RE,
    POINT_RE,
    ROMAN_PART_RE,
    SUBITEM_RE,
    after_label,
    body_not_title,
)
from .model import Node
from .normalize import is_upper_title, number_value

if TYPE_CHECKING:
    from .blocks import Block
    from .segments import Segment


class ItemsMixin:
    """The guidance-text rules of the structure parser (mixed into ``parse._Parser``)."""

    items: bool
    last: dict[str, Node]
    last_item: Node | None

    if TYPE_CHECKING:  # provided by the parser
        segments: list[Segment]

        @property
        def segment(self) -> Segment: ...
        def open_node(self, node: Node, block: Block) -> None: ...
        def begin_body(self, block: Block, number: str, kind: str) -> None: ...
        def innermost(self, kind: str) -> Node | None: ...
        def warn(self, block: Block, message: str) -> None: ...
        def check_sequence(self, block: Block, node: Node, value: int) -> None: ...
        def start_point(self, block: Block, match: re.Match[str]) -> bool: ...
        def start_division(self, block: Block, match: re.Match[str]) -> bool: ...

    def is_guidance(self) -> bool:
        """Whether the text read as a guidance text: Roman parts and numbered items in them."""
        nodes = [node for segment in self.segments for node in segment.nodes]
        return any(n.kind == "part" for n in nodes) and any(s.articles for s in self.segments)

    def item_structure(self, block: Block) -> bool:
        """Open a part, an item, a sub-item or a point when `block` starts one."""
        plain = block.plain
        if (match := DIVISION_RE.match(plain)) and self.start_division(block, match):
            return True  # "Phần I" as drafter's own Markdown writes a part
        if (match := ROMAN_PART_RE.match(plain)) and self.start_guidance_part(block, match):
            return True
        match = CLAUSE_RE.match(plain)
        if match and match.group("num") and self.start_item(block, match):
            return True
        if self.innermost("item") is None:
            return False
        if (match := SUBITEM_RE.match(plain)) and self.start_subitem(block, match):
            return True
        return bool((match := POINT_RE.match(plain)) and self.start_point(block, match))

    def open_part(self, block: Block, number: str, title: str, value: int) -> None:
        """Open a part "I.", "II." (of a decree or of a guidance text), its number's value
        checked against the previous part's."""
        self.begin_body(block, number, "part")
        node = Node("part", number=number, title=title)
        self.check_sequence(block, node, value)
        self.open_node(node, block)

    def start_guidance_part(self, block: Block, match: re.Match[str]) -> bool:
        """ "II. NHIỆM VỤ, GIẢI PHÁP" (or in sentence case, short and without a full stop)."""
        rest = match.group("rest").strip()
        value = number_value(match.group("num"))
        heading = is_upper_title(rest) or (len(rest.split()) <= 15 and rest[-1] not in ".;,")
        if value is None or not heading:
            return False
        self.open_part(block, match.group("num"), rest, value)
        return True

    def start_item(self, block: Block, match: re.Match[str]) -> bool:
        """A top-level numbered item: "1." in sequence, restarting at 1 in each part or
        running on across parts."""
        number = match.group("num")
        value = int(number)
        rest = (match.group("rest") or "").strip()
        previous = self.last.get("item")
        if previous is None:
            running_on = self.last_item is not None and value == int(self.last_item.number) + 1
            if value != 1 and not running_on:
                return False
        else:
            expected = int(previous.number) + 1
            if not expected - 1 <= value <= expected + 2:
                return False  # a list inside the item, or a number in running text
            if value == expected - 1:
                self.warn(block, f"item {value} appears twice")
            elif value != expected:
                self.warn(block, f"item {value} follows item {expected - 1}")
        self.begin_body(block, number, "item")
        node = Node("item", number=number)
        if rest:
            if body_not_title(block, rest) or len(rest.split()) > 25:
                node.text = after_label(block, rest)
            else:
                node.title = rest
        self.open_node(node, block)
        self.last_item = node
        self.segment.articles += 1
        return True

    def start_subitem(self, block: Block, match: re.Match[str]) -> bool:
        """ "2.1." inside item 2: a clause numbered "2.1"."""
        item = self.innermost("item")
        number = match.group("num")
        if item is None or number.split(".")[0] != item.number:
            return False
        node = Node("clause", number=number, text=after_label(block, match.group("rest")))
        self.open_node(node, block)
        return True
