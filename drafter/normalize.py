"""Text normalisation shared by every importer: NFC, odd spaces folded, numerals read."""

from __future__ import annotations

import re
import unicodedata

# Zero-width characters and the byte-order mark carry nothing a reader sees.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
# Every Unicode space (NBSP, thin, figure, ideographic…) and tab becomes a plain space.
_SPACES = re.compile(r"[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_RUNS = re.compile(r" {2,}")
# C0/C1 controls except tab and newline never belong in a draft's text.
# …and what XML cannot hold (surrogates, U+FFFE, U+FFFF), since drafts become DOCX files.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")

_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


def clean(text: str) -> str:
    """Return `text` in NFC with invisible characters removed and odd spaces folded.

    Runs of spaces become one space and each line is stripped; line breaks are kept.
    """
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    text = _CONTROLS.sub("", _SPACES.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n")))
    return "\n".join(_RUNS.sub(" ", line).strip() for line in text.split("\n"))


def roman_to_int(numeral: str) -> int | None:
    """Return the value of a Roman numeral ("XIV" → 14), or None when it is not one."""
    numeral = numeral.upper()
    if not numeral or any(c not in _ROMAN for c in numeral):
        return None
    total = 0
    for i, char in enumerate(numeral):
        value = _ROMAN[char]
        if i + 1 < len(numeral) and _ROMAN[numeral[i + 1]] > value:
            total -= value
        else:
            total += value
    return total if int_to_roman(total) == numeral else None


def int_to_roman(value: int) -> str:
    """Return `value` as an upper-case Roman numeral (14 → "XIV"); digits from 4000 on,
    where Roman numerals stop (and a hostile number would make this loop for ever)."""
    if value >= 4000:
        return str(value)
    pairs = [
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ]  # fmt: skip
    out = []
    for amount, symbol in pairs:
        while value >= amount:
            out.append(symbol)
            value -= amount
    return "".join(out)


_ORDINALS = {
    "nhất": 1, "hai": 2, "ba": 3, "tư": 4, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7,
    "tám": 8, "chín": 9, "mười": 10,
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10,
}  # fmt: skip


def number_value(number: str) -> int | None:
    """Return the integer a printed division number stands for ("II", "3", "thứ nhất")."""
    number = number.strip().rstrip(".").lower()
    if number.isdigit():
        return int(number)
    word = number.removeprefix("thứ ").strip()
    if word in _ORDINALS:
        return _ORDINALS[word]
    return roman_to_int(number)


def is_upper_title(text: str) -> bool:
    """Return True when the letters of `text` are (almost) all capitals: "QUY ĐỊNH CHUNG"."""
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 2:
        return False
    upper = sum(1 for c in letters if c.isupper())
    return upper / len(letters) >= 0.85


def fold_diacritics(text: str) -> str:
    """Return `text` lower-cased without Vietnamese diacritics ("Quy chế" → "quy che")."""
    text = unicodedata.normalize("NFD", text.lower()).replace("đ", "d")
    return unicodedata.normalize("NFC", "".join(c for c in text if not unicodedata.combining(c)))


def file_stem(text: str, limit: int = 60, default: str = "du-thao") -> str:
    """Return an ASCII file-name stem of `text` at most `limit` long, cut at a word boundary
    ("quy-dinh-ve-chuc-nang-nhiem-vu", never "…-nhiem-v")."""
    whole = slug(text)
    if len(whole) <= limit:
        return whole or default
    cut = whole[: limit + 1]
    cut = cut[: cut.rfind("-")] if "-" in cut else whole[:limit]
    return cut.strip("-") or default


def slug(text: str) -> str:
    """Return an ASCII slug: "Quyết định" → "quyet-dinh", "7a" → "7a"."""
    return re.sub(r"[^a-z0-9]+", "-", fold_diacritics(text)).strip("-")
