"""Word's automatic numbering, computed to the number a reader sees in Word (for the reader)."""

from __future__ import annotations

import re

from docx.oxml.ns import qn

from ..normalize import int_to_roman


class Numbering:
    """Word's automatic numbering, counted the way Word displays it."""

    def __init__(self, document) -> None:
        self.abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}
        self.counters: dict[str, list[int]] = {}
        try:
            root = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            return
        for abstract in root.findall(qn("w:abstractNum")):
            levels = {}
            for lvl in abstract.findall(qn("w:lvl")):
                levels[int(lvl.get(qn("w:ilvl"), "0"))] = (
                    val(lvl, "w:numFmt", "decimal"),
                    val(lvl, "w:lvlText", ""),
                    int(val(lvl, "w:start", "1") or 1),
                )
            self.abstract[abstract.get(qn("w:abstractNumId"))] = levels
        for num in root.findall(qn("w:num")):
            overrides = {}
            for override in num.findall(qn("w:lvlOverride")):
                start = override.find(qn("w:startOverride"))
                if start is not None:
                    overrides[int(override.get(qn("w:ilvl"), "0"))] = int(start.get(qn("w:val")))
            self.nums[num.get(qn("w:numId"))] = (val(num, "w:abstractNumId", ""), overrides)

    def label(self, num_id: str, ilvl: int) -> tuple[str, str]:
        """Return (label text, format) of the next item of list `num_id` at level `ilvl`."""
        if num_id not in self.nums:
            return "", ""
        abstract_id, overrides = self.nums[num_id]
        levels = self.abstract.get(abstract_id, {})
        if ilvl not in levels:
            return "", ""
        counters = self.counters.setdefault(num_id, [0] * 10)
        starts = [overrides.get(i, levels.get(i, ("", "", 1))[2]) for i in range(10)]
        counters[ilvl] = counters[ilvl] + 1 if counters[ilvl] else starts[ilvl]
        for deeper in range(ilvl + 1, 10):
            counters[deeper] = 0
        fmt, text, _ = levels[ilvl]
        if fmt == "bullet":
            return "-", fmt
        if fmt == "none":
            return "", fmt

        def level_value(match: re.Match) -> str:
            level = int(match.group(1)) - 1
            value = counters[level] or starts[level]
            level_fmt = levels.get(level, (fmt, "", 1))[0]
            return format_number(value, level_fmt)

        return re.sub(r"%(\d)", level_value, text).strip(), fmt


def val(element, tag: str, default: str) -> str:
    child = element.find(qn(tag))
    return child.get(qn("w:val"), default) if child is not None else default


def format_number(value: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        letters = ""
        while value > 0:
            value, rest = divmod(value - 1, 26)
            letters = chr(ord("a") + rest) + letters
        # Word repeats the letter past z (aa, bbb); the divmod spelling is close enough here.
        return letters.upper() if fmt == "upperLetter" else letters
    if value > 3999 or value < 0:
        return str(value)  # beyond Roman numerals and letters a reader would see: digits
    if fmt in ("lowerRoman", "upperRoman"):
        roman = int_to_roman(value)
        return roman.lower() if fmt == "lowerRoman" else roman
    if fmt == "decimalZero":
        return f"{value:02d}"
    return str(value)
