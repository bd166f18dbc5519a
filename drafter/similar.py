"""Similar comments: a transparent, light measure of how alike two comments are, and the
grouping of one provision's comments by it.  Standard library only (no numpy), but for the
copied-wording measure (rapidfuzz).

A comment's text is normalised (NFC, lower case, punctuation and spaces folded) and reduced
to its content words (without :data:`STOPWORDS`) and their character 3-grams; two comments'
similarity is the mean of the Dice coefficients of those two sets (1.0: the same words).  Agree-style
formulas ("Nhất trí như dự thảo", "Thống nhất với dự thảo", "Cơ bản nhất trí", …) and comments
of the kind ``agree`` are one thing said many ways: they all share the signature ``AGREE`` and
group together whatever their words.  Two texts whose normalised forms match at or above
:data:`COPIED` (their Indel similarity: 2·LCS over their total length, in characters) are
copied wording.

Grouping is per provision (blocking): a comment is only ever compared with the comments of the
same provision, so the work grows with the square of one provision's comments, never of the
consultation's.  A new comment joins the group holding its most similar member when that
similarity reaches :data:`THRESHOLD` (chosen on ``comments/labelled/similar-pairs.json`` by
``bench/similar_bench.py``), else it starts a new group.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz.distance import Indel

#: Similarity from which two comments are the same point (chosen on the labelled set).
THRESHOLD = 0.38
#: Similarity from which two texts are the same wording, copied across units.
COPIED = 0.9
#: How many members of a group a new comment is compared with (its first ones): bounds the
#: work on a provision with hundreds of comments making one point.
COMPARED = 16

_PUNCT = re.compile(r"[^\w\s]|_", re.UNICODE)
_SPACES = re.compile(r"\s+")
_AGREE_WORDS = ("nhất trí", "thống nhất", "đồng ý", "tán thành")
#: Words that turn an agree-style formula into a proposal or a disagreement.
_BUT = (
    "đề nghị", "đề xuất", "tuy nhiên", "nhưng", "song", "chưa", "không thống nhất",
    "không nhất trí", "không đồng ý", "cần", "nên", "sửa", "bỏ", "thay", "bổ sung trách",
)  # fmt: skip
_MAX_AGREE_WORDS = 16


def normalize(text: str) -> str:
    """Return `text` in NFC, lower case, with punctuation as spaces and runs of spaces as one."""
    text = unicodedata.normalize("NFC", text).lower()
    return _SPACES.sub(" ", _PUNCT.sub(" ", text)).strip()


def is_agree_formula(text: str) -> bool:
    """Whether `text` is only a short agree-style formula ("Cơ bản nhất trí như dự thảo")."""
    return _agree_normal(normalize(text))


def _agree_normal(norm: str) -> bool:
    """:func:`is_agree_formula` of a text already normalised."""
    if not norm or len(norm.split()) > _MAX_AGREE_WORDS:
        return False
    padded = f" {norm} "
    if not any(f" {w} " in padded for w in _AGREE_WORDS):
        return False
    return not any(f" {w} " in padded for w in _BUT)


#: Function words and the formulas of every comment ("đề nghị", "dự thảo", "bổ sung"): they
#: say nothing of a comment's point, so they are left out of its signature.
STOPWORDS = frozenset(
    "đề nghị của và các cho với trong để được là thì có này đó theo quy định dự thảo cần nên "
    "bổ sung rõ một những khi việc về tại từ đã sẽ hoặc hay như thêm xem xét".split()
)


@dataclass(frozen=True)
class Signature:
    """What a comment is compared by: its content words and their character 3-grams (each
    word padded with spaces); ``agree`` for an agree-style comment."""

    words: frozenset[str]
    grams: frozenset[str]
    agree: bool = False


AGREE = Signature(frozenset(), frozenset(), agree=True)


def signature(text: str, kind: str = "comment") -> Signature:
    """Return the signature of a comment of `kind` (:data:`AGREE` for an agree-style one)."""
    normal = normalize(text)
    if kind == "agree" or _agree_normal(normal):
        return AGREE
    words = [w for w in normal.split() if w not in STOPWORDS]
    grams: set[str] = set()
    for word in words:
        padded = f" {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return Signature(frozenset(words), frozenset(grams))


def _dice(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 1.0 if a == b else 0.0
    return 2 * len(a & b) / (len(a) + len(b))


def likeness(a: Signature, b: Signature) -> float:
    """Return how alike two signatures are, 0.0 to 1.0: 1.0 for two agree-style comments,
    0.0 for one, else the mean of the Dice coefficients (2·|a∩b| / (|a|+|b|)) of their content
    words and of their 3-grams."""
    if a.agree or b.agree:
        return 1.0 if a.agree and b.agree else 0.0
    return (_dice(a.words, b.words) + _dice(a.grams, b.grams)) / 2


def similarity(a: str, b: str, kind_a: str = "comment", kind_b: str = "comment") -> float:
    """Return how alike two comments are (0.0 to 1.0)."""
    return likeness(signature(a, kind_a), signature(b, kind_b))


def is_copied(a: str, b: str) -> bool:
    """Whether two texts are the same wording (identical or nearly, once normalised): copied
    from one unit to another.  Agree-style formulas are never copied wording."""
    na, nb = normalize(a), normalize(b)
    if not na or not nb or _agree_normal(na) or _agree_normal(nb):
        return False
    return na == nb or _same_wording(na, nb)


def _same_wording(a: str, b: str) -> bool:
    """Whether two normalised texts' Indel similarity, 2·LCS/(|a|+|b|) (the share of their
    characters in a longest common subsequence; rapidfuzz, in C++), reaches :data:`COPIED`.
    difflib's ratio, used before, approximates the same thing from below and costs about
    5 ms for a pair of near-identical 300-character texts; this costs microseconds."""
    return Indel.normalized_similarity(a, b, score_cutoff=COPIED) >= COPIED


#: Distinct wordings in a group up to which every pair is compared; above it, each wording is
#: compared with its NEIGHBOURS nearest in sorted order, read forwards and backwards.
EVERY_PAIR = 64
NEIGHBOURS = 4


def _candidate_pairs(texts: list[str], fresh: set[str] | None) -> Iterable[tuple[str, str]]:
    """Pairs of distinct wordings worth comparing: every pair of a small group; in a large
    one the sorted-neighbourhood method of record linkage (near-identical texts sit close
    when sorted from their start or from their end), so that the work grows linearly."""
    if len(texts) <= EVERY_PAIR:
        for i, one in enumerate(texts):
            yield from (
                (one, other)
                for other in texts[i + 1 :]
                if fresh is None or one in fresh or other in fresh
            )
        return
    seen: set[tuple[str, str]] = set()
    for order in (sorted(texts), sorted(texts, key=lambda t: t[::-1])):
        for i, one in enumerate(order):
            for other in order[i + 1 : i + 1 + NEIGHBOURS]:
                pair = (one, other) if one < other else (other, one)
                if fresh is not None and one not in fresh and other not in fresh:
                    continue
                if pair not in seen:
                    seen.add(pair)
                    yield pair


def copied_among(
    items: Iterable[tuple[int, int, str]], *, fresh: set[int] | None = None
) -> set[int]:
    """Return the ids of the items (id, unit id, text) whose wording another unit's item
    repeats (the pairs :func:`is_copied` accepts), without comparing every pair of items:
    equal normalised texts are bucketed, and only distinct wordings are compared
    (:func:`_same_wording`): every pair of them up to :data:`EVERY_PAIR` wordings, beyond
    that each with its nearest neighbours in sorted order (a group of 2,000 different
    comments costs some 16,000 comparisons, not two million; a copy that differs from its
    original both at its start and at its end may then go unmarked).  With `fresh` (ids),
    only pairs holding a fresh item's wording are compared."""
    buckets: dict[str, list[tuple[int, int]]] = {}
    fresh_texts: set[str] | None = None if fresh is None else set()
    for item_id, unit_id, text in items:
        normal = normalize(text)
        if normal and not _agree_normal(normal):
            buckets.setdefault(normal, []).append((item_id, unit_id))
            if fresh is not None and fresh_texts is not None and item_id in fresh:
                fresh_texts.add(normal)
    copied: set[int] = set()
    for members in buckets.values():  # the same words: copied when two units wrote them
        if len({unit for _id, unit in members}) > 1:
            copied.update(item_id for item_id, _unit in members)
    for first, second in _candidate_pairs(list(buckets), fresh_texts):
        if not _same_wording(first, second):
            continue
        for one, other in ((first, second), (second, first)):
            units = {unit for _id, unit in buckets[other]}
            copied.update(item_id for item_id, unit in buckets[one] if units - {unit})
    return copied


@dataclass
class Cluster:
    """A group being formed: its members' ids and signatures (the first is representative)."""

    members: list[int] = field(default_factory=list)
    signatures: list[Signature] = field(default_factory=list)

    def add(self, item_id: int, sig: Signature) -> None:
        self.members.append(item_id)
        if len(self.signatures) < COMPARED:
            self.signatures.append(sig)

    def best(self, sig: Signature) -> float:
        return max((likeness(sig, s) for s in self.signatures), default=0.0)


def place(clusters: Sequence[Cluster], sig: Signature, threshold: float = THRESHOLD) -> int:
    """Return the index of the cluster that a comment of signature `sig` joins (the one
    holding its most similar member, at or above `threshold`), or -1 for a new one."""
    best, chosen = threshold, -1
    for index, cluster in enumerate(clusters):
        score = cluster.best(sig)
        if score >= best:
            best, chosen = score, index
            if score >= 1.0:
                break
    return chosen


def group(items: Iterable[tuple[int, str, str]], threshold: float = THRESHOLD) -> list[list[int]]:
    """Group one provision's comments (id, text, kind) in order; return the groups' ids."""
    clusters: list[Cluster] = []
    for item_id, text, kind in items:
        sig = signature(text, kind)
        index = place(clusters, sig, threshold)
        if index < 0:
            clusters.append(Cluster())
            index = len(clusters) - 1
        clusters[index].add(item_id, sig)
    return [c.members for c in clusters]


def group_by_provision(
    items: Iterable[tuple[int, str | None, str, str]], threshold: float = THRESHOLD
) -> dict[str | None, list[list[int]]]:
    """Group comments (id, provision key, text, kind) within each provision (blocking)."""
    blocks: dict[str | None, list[tuple[int, str, str]]] = {}
    for item_id, key, text, kind in items:
        blocks.setdefault(key, []).append((item_id, text, kind))
    return {key: group(block, threshold) for key, block in blocks.items()}
