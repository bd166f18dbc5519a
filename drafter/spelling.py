"""The correction of typos in a search query, from the words of the search index.

Missing diacritics are not typos (the search ignores them); a typo is a letter missing,
added, changed, or two letters swapped.  A word of the query that the index does not hold is
replaced by the indexed word nearest it: at most one such edit for a word of up to four
letters (Vietnamese syllables are short, and two edits of "toi" reach half the language), two
for a longer one; between equally near words, the one with the same first letter (a first
letter is rarely mistyped), then the one in the most index rows.  The candidates and their
rows come from the store (``word_candidates``, ``word_rows``); the ranking is here, the same
on both backends."""

from __future__ import annotations

import re
from typing import Protocol

from .normalize import fold_diacritics

#: At most this many words of a query are searched (as the stores do).
MAX_WORDS = 8


def query_words(query: str) -> list[str]:
    """The words of `query` as the search index holds them: lower-case, no diacritics."""
    return re.findall(r"[^\W_]+", fold_diacritics(query))[:MAX_WORDS]


def distance(a: str, b: str) -> int:
    """The number of edits from `a` to `b`: a letter inserted, deleted or replaced, or two
    neighbours swapped (optimal string alignment)."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, y in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y))
            if i > 1 and j > 1 and x == b[j - 2] and a[i - 2] == y:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


def allowed(word: str) -> int:
    """How many edits a correction of `word` may make."""
    return 1 if len(word) <= 4 else 2


class Vocabulary(Protocol):
    """Where the words come from: the store (``SearchStore``)."""

    def word_candidates(self, word: str, *, limit: int = 100) -> list[str]: ...

    def word_rows(self, words: list[str], *, cap: int = 1000) -> dict[str, int]: ...


def nearest(word: str, vocabulary: Vocabulary, count: int = 3) -> list[str]:
    """Return `[word]` when rows of the index hold it, else the `count` indexed words
    nearest it within :func:`allowed` edits, best first."""
    limit = allowed(word)
    candidates = vocabulary.word_candidates(word)
    near = {}
    for candidate in candidates:
        if abs(len(candidate) - len(word)) <= limit:
            edits = distance(word, candidate)
            if edits <= limit:
                near[candidate] = edits
    rows = vocabulary.word_rows(list(near)) if near else {}
    if rows.get(word, 0) > 0:
        return [word]
    ranked = sorted(
        (edits, candidate[:1] != word[:1], -rows.get(candidate, 0), candidate)
        for candidate, edits in near.items()
        if rows.get(candidate, 0) > 0
    )
    return [key[3] for key in ranked[:count]]


def closest(word: str, vocabulary: Vocabulary) -> str | None:
    """The best of :func:`nearest`, or None."""
    found = nearest(word, vocabulary, 1)
    return found[0] if found else None


def corrections(query: str, vocabulary: Vocabulary, tries: int = 4) -> list[str]:
    """Return up to `tries` corrections of `query`, the likeliest first: its words with each
    word the index does not hold replaced by one of the nearest words it holds
    (from `vocabulary`, the store; numbers are never corrected); none when nothing
    is replaced or a word has no near word.  The caller searches them in turn: the first that
    finds something wins (the words around a typo choose between two equally near words)."""
    words = query_words(query)
    options = []
    for word in words:
        if any(c.isdigit() for c in word):
            options.append([word])
            continue
        found = nearest(word, vocabulary)
        if not found:
            return []
        options.append(found)
    # Combinations by the sum of their words' ranks (the best word everywhere first).
    phrases: list[tuple[int, list[int]]] = [(0, [0] * len(words))]
    out: list[str] = []
    seen = set()
    while phrases and len(out) < tries:
        phrases.sort()
        rank, picks = phrases.pop(0)
        key = tuple(picks)
        if key in seen:
            continue
        seen.add(key)
        chosen = [options[i][p] for i, p in enumerate(picks)]
        if chosen != words:
            out.append(" ".join(chosen))
        for i, p in enumerate(picks):
            if p + 1 < len(options[i]):
                phrases.append((rank + 1, picks[:i] + [p + 1] + picks[i + 1 :]))
    return out


def correct(query: str, vocabulary: Vocabulary) -> str | None:
    """The likeliest of :func:`corrections`, or None."""
    found = corrections(query, vocabulary, 1)
    return found[0] if found else None
