"""Where a search query occurs in a text: whole words, in order, ignoring case and Vietnamese
accents ("quy che" finds "Quy chế" but neither "quyết" nor "chế độ" alone), as spans of the
original text, a snippet around the first one, and marked HTML."""

from __future__ import annotations

import html
import re
from functools import lru_cache

from markupsafe import Markup, escape

from .normalize import fold_diacritics

MAX_WORDS = 8


def query_words(query: str) -> list[str]:
    """Return the words of `query`, folded (lower case, no accents), at most MAX_WORDS."""
    return re.findall(r"\w+", fold_diacritics(query or ""))[:MAX_WORDS]


def _fold_each(text: str) -> str:
    """Fold `text` one character at a time, so that position i of the result is character i
    of `text` (a character that folds to nothing or to several keeps one place)."""
    out = []
    for char in text:
        folded = fold_diacritics(char) if ord(char) > 0x7F else char.lower()
        out.append(folded[:1] or " ")
    return "".join(out)


@lru_cache(maxsize=64)
def _pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + r"\W+".join(re.escape(w) for w in words) + r"(?!\w)")


def spans(text: str, query: str) -> list[tuple[int, int]]:
    """Return the (start, end) of every occurrence of the query's words, in order."""
    words = query_words(query)
    if not words or not text:
        return []
    return [m.span() for m in _pattern(tuple(words)).finditer(_fold_each(text))]


def _marked(text: str, found: list[tuple[int, int]]) -> Markup:
    out, at = [], 0
    for start, end in found:
        out.append(str(escape(text[at:start])))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        at = end
    out.append(str(escape(text[at:])))
    return Markup("".join(out))


def snippet(text: str, query: str, width: int = 160) -> Markup:
    """Return about `width` characters of `text` around its first match, marked and escaped
    (the start of the text when nothing matches)."""
    found = spans(text, query)
    if not found:
        short = text[:width]
        return Markup(escape(short + ("…" if len(text) > width else "")))
    first_start, first_end = found[0]
    start = max(0, first_start - (width - (first_end - first_start)) // 2)
    end = min(len(text), start + width)
    start = max(0, min(start, end - width))
    if start > 0:  # begin at a word
        space = text.find(" ", start, first_start)
        start = space + 1 if space != -1 else start
    inside = [(s - start, e - start) for s, e in found if s >= start and e <= end]
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return Markup(prefix) + _marked(text[start:end], inside) + Markup(suffix)


_TAG = re.compile(r"(<[^>]*>)")


def mark_html(fragment: str, query: str) -> Markup:
    """Return safe HTML `fragment` with the query's matches inside its text wrapped in
    <mark> (a match across two elements is not marked)."""
    if not query_words(query):
        return Markup(fragment)
    out = []
    for piece in _TAG.split(str(fragment)):
        if not piece or piece.startswith("<"):
            out.append(piece)
            continue
        text = html.unescape(piece)
        out.append(str(_marked(text, spans(text, query))))
    return Markup("".join(out))
