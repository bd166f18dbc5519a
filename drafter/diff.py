"""Word-level diffs of two texts (diff-match-patch), and how similar two texts are."""

from __future__ import annotations

import re
import time
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher

from diff_match_patch import diff_match_patch

# Words (Vietnamese syllables included), runs of spaces, and single punctuation marks.
_TOKENS = re.compile(r"\w+|\s+|[^\w\s]")
_WORDS = re.compile(r"\w+")
_OPS = {0: "equal", 1: "insert", -1: "delete"}
# Private-use plane 15: token characters that never collide with real text or surrogates.
_BASE = 0xF0000


@dataclass(frozen=True)
class Change:
    """One piece of a diff: ``op`` is "equal", "insert" or "delete"."""

    op: str
    text: str


def word_diff(old: str, new: str, *, timeout: float = 2.0) -> list[Change]:
    """Return the word-level changes that turn `old` into `new` (both NFC-normalised first).

    Each token is mapped to one character so that diff-match-patch compares whole words and
    never splits a Vietnamese syllable into letters.
    """
    old = unicodedata.normalize("NFC", old)
    new = unicodedata.normalize("NFC", new)
    vocabulary: dict[str, str] = {}

    def encode(text: str) -> str:
        return "".join(
            vocabulary.setdefault(token, chr(_BASE + len(vocabulary)))
            for token in _TOKENS.findall(text)
        )

    dmp = diff_match_patch()
    dmp.Diff_Timeout = timeout
    started = time.monotonic()
    diffs = dmp.diff_main(encode(old), encode(new), False)
    if timeout and time.monotonic() - started >= timeout:
        # diff-match-patch degrades silently on timeout; say plainly that it is a rewrite.
        diffs = [(-1, encode(old)), (1, encode(new))]
    tokens = {char: token for token, char in vocabulary.items()}
    decoded = [(op, "".join(tokens[c] for c in chars)) for op, chars in diffs]
    dmp.diff_cleanupSemantic(decoded)
    return [Change(_OPS[op], text) for op, text in decoded if text]


def similarity(old: str, new: str) -> float:
    """Return how much of two texts is shared, from 0 (nothing) to 1 (identical), by words.

    This only ranks candidates, so it uses difflib's matcher on word lists, which is much
    faster than a full diff-match-patch run in pure Python.
    """
    if old == new:
        return 1.0
    a = _WORDS.findall(unicodedata.normalize("NFC", old).lower())
    b = _WORDS.findall(unicodedata.normalize("NFC", new).lower())
    if not a and not b:
        return 1.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def word_set(text: str) -> set[str]:
    """Return the set of lower-cased words of `text`, for a quick first similarity estimate."""
    return set(_WORDS.findall(unicodedata.normalize("NFC", text).lower()))


#: Unchanged words kept around a change when a proposal is shown as its changes only.
CONTEXT_WORDS = 6


def condensed(old: str, new: str) -> list[tuple[str, str]]:
    """Return the word changes turning `old` into `new`, with only CONTEXT_WORDS unchanged
    words kept on each side of a change (the rest shown as "…")."""
    changes = [(c.op, c.text) for c in word_diff(old, new)]
    out: list[tuple[str, str]] = []
    for index, (op, text) in enumerate(changes):
        if op != "equal":
            out.append((op, text))
            continue
        words = text.split(" ")
        first, last = index == 0, index == len(changes) - 1
        keep = CONTEXT_WORDS * (1 if first or last else 2)
        if len(words) <= keep + 1:
            out.append((op, text))
        elif first:
            out.append((op, "… " + " ".join(words[-CONTEXT_WORDS:])))
        elif last:
            out.append((op, " ".join(words[:CONTEXT_WORDS]) + " …"))
        else:
            head, tail = words[:CONTEXT_WORDS], words[-CONTEXT_WORDS:]
            out.append((op, " ".join(head) + " … " + " ".join(tail)))
    return out
