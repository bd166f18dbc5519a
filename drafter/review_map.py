"""Placing what a returned Word file holds onto the provisions of the consulted version.

Pure: the review copy as drafter writes it (``expected``) and the file as it came back
(``actual``), both read by ``docx.review_reader``, in; proposals, comments and what could not
be placed, out.  Each paragraph belongs to the provisions whose bookmarks cover its text
(article ⊃ clause ⊃ point); a paragraph with no bookmark (typed after a provision, or in a
file saved without them) takes its place from the paragraphs around it.  A provision whose
own paragraphs, with every change accepted, read otherwise than in the review copy is
changed; a change inside a changed provision folds into it, so each change becomes one
proposal on the smallest provision that holds it: its whole text with the changes accepted.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from .docx.anchors import bookmark_name
from .docx.review_reader import ReviewFile, ReviewParagraph, WordComment, joined
from .errors import N_
from .headings import ARTICLE_RE, CLAUSE_RE, POINT_RE
from .matching import match_articles
from .model import TARGET_KINDS, Node, is_commentable

#: Below this share of the review copy's paragraphs found again, a file without anchors is
#: not taken for a copy of the draft.
MIN_SHARED = 0.6
#: Above this share of provisions changed, a file that does not carry the review copy's
#: properties is not taken for a copy of this draft either.
MAX_CHANGED = 0.5


class NotACopy(ValueError):
    """The file is not a copy of the consulted version's review copy."""


@dataclass(frozen=True)
class Item:
    """A proposal or comment read from the file, placed on a provision (`key`; None: the
    whole draft)."""

    kind: str  # "new_wording", "delete" or "comment"
    key: str | None
    heading: str  # the provision as readers name it ("Điều 5 › 2. › a)")
    text: str  # a comment's text (replies folded in)
    proposed: str  # a proposal's wording, one line a paragraph
    old: str  # the provision's text in the consulted version
    author: str  # Word author and date of the change or comment ("" when not tracked)
    date: str
    note: str = ""  # why the placement may be less sure

    @property
    def identity(self) -> str:
        """What makes two uploads' items the same: the provision and the content."""
        content = "\x00".join((self.kind, self.key or "", _norm(self.text), _norm(self.proposed)))
        return hashlib.sha256(content.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True)
class Unplaced:
    text: str
    reason: str  # an English template, translated where shown


@dataclass
class Placement:
    items: list[Item] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)
    anchored: bool = True  # False: placed by matching the text (lower confidence)


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def provisions(nodes: list[Node]) -> dict[str, Node]:
    """Return the units of comment (articles, a guidance text's items), clauses and points
    of a tree by key, in document order."""
    return {node.key: node for root in nodes for node in root.walk() if node.kind in TARGET_KINDS}


def headings(nodes: list[Node]) -> dict[str, str]:
    """Return how the preview names each provision ("Điều 5 › 2. › a)"); a guidance text's
    item, numbered anew in each part, is named with its part ("Phần II › 2. › 2.1.")."""
    everything = {node.key: node for root in nodes for node in root.walk()}
    named = {}
    for key, node in provisions(nodes).items():
        parts = key.split("/")
        chain = [everything[k] for k in ("/".join(parts[: i + 1]) for i in range(len(parts)))
                 if k in everything]  # fmt: skip
        unit = next((n for n in chain if is_commentable(n.kind)), node)
        shown = chain if unit.kind == "item" else [n for n in chain if n.kind in TARGET_KINDS]
        named[key] = " › ".join(label for n in shown if (label := n.label()))
    return named


class _Owners:
    """The provision chain (outermost first) of every paragraph of one file."""

    def __init__(self, chains: list[tuple[str, ...]], placed: set[int] | None = None) -> None:
        self.chains = chains
        self.placed = placed or set()  # paragraphs matched to the copy's (by text)

    @classmethod
    def by_anchors(cls, file: ReviewFile, names: dict[str, str]) -> _Owners:
        chains = []
        for paragraph in file.paragraphs:
            keys = sorted({names[n] for n in paragraph.anchors if n in names}, key=_depth)
            chains.append(_chain(keys))
        return cls(chains)

    def fill(
        self, file: ReviewFile, structural: set[str], titles: dict[tuple[str, str], set[str]]
    ) -> list[int]:
        """Give an unanchored paragraph the article of the anchored one before it when an
        anchored one follows too (text typed between provisions) unless it reads as an
        edited title the copy has between the same two articles (`titles`, see
        :func:`gap_titles`: a chapter's or part's, edited without Track Changes); return the
        indices of the ones left outside any provision whose text is not the copy's own."""
        outside = []
        last: tuple[str, ...] = ()
        following: list[str] = [""] * len(self.chains)  # the next anchored article
        seen = ""
        for i in range(len(self.chains) - 1, -1, -1):
            following[i] = seen
            seen = self.chains[i][0] if self.chains[i] else seen
        for i, paragraph in enumerate(file.paragraphs):
            if self.chains[i]:
                last = self.chains[i]
                continue
            texts = {_norm(paragraph.accepted), _norm(paragraph.original)} - {""}
            if not texts or texts <= structural:
                continue
            original = _norm(paragraph.original)
            typed = bool(last and following[i]) and original not in structural
            if typed and not _like_any(original, titles.get((last[0], following[i]), set())):
                self.chains[i] = last[:1]  # typed between provisions: the article before
            else:
                outside.append(i)
        return outside


def gap_titles(file: ReviewFile, owners: _Owners) -> dict[tuple[str, str], set[str]]:
    """Return the texts of the review copy's paragraphs outside any provision (a chapter's
    label and title, a part's heading) by the articles before and after them."""
    gaps: dict[tuple[str, str], set[str]] = {}
    before, pending = "", set[str]()
    for paragraph, chain in zip(file.paragraphs, owners.chains, strict=True):
        if chain:
            if before and pending and chain[0] != before:
                gaps.setdefault((before, chain[0]), set()).update(pending)
            before, pending = chain[0], set()
        elif text := _norm(paragraph.accepted):
            pending.add(text)
    return gaps


def _like_any(text: str, candidates: set[str]) -> bool:
    """Whether `text` reads as an edit of one of `candidates`: most of the candidate is
    kept, and is most of `text` (case counts: a chapter's title is in capitals, a clause
    typed after an article is not)."""
    for candidate in candidates:
        if len(text) > 2 * len(candidate):
            continue  # it could not be most of `text`: no need to compare
        matcher = SequenceMatcher(None, candidate, text, autojunk=False)
        kept = sum(block.size for block in matcher.get_matching_blocks())
        if kept >= 0.75 * len(candidate) and kept >= 0.5 * len(text):
            return True
    return False


def _depth(key: str) -> int:
    return key.count("/")


def _chain(keys: list[str]) -> tuple[str, ...]:
    """Keep the keys that nest in each other, outermost first (a stray bookmark of a sibling
    left collapsed by an edit is dropped)."""
    chain: list[str] = []
    for key in keys:
        if not chain or key.startswith(chain[-1] + "/"):
            chain.append(key)
    return tuple(chain)


def place(expected: ReviewFile, actual: ReviewFile, nodes: list[Node]) -> Placement:
    """Return the items of `actual` placed on the provisions of `nodes`; `expected` is the
    review copy drafter writes for them.  Raise NotACopy when `actual` is not a copy."""
    known = provisions(nodes)
    names = {bookmark_name(key): key for key in known}
    mine = _Owners.by_anchors(expected, names)
    anchored = any(n in names for p in actual.paragraphs for n in p.anchors)
    if anchored:
        theirs = _Owners.by_anchors(actual, names)
    else:
        theirs = _aligned(expected, actual, mine)
        _by_articles(actual, theirs, known)
    structural = {_norm(p.accepted) for p in expected.paragraphs}
    structural.discard("")
    outside = theirs.fill(actual, structural, gap_titles(expected, mine))
    result = Placement(anchored=anchored)
    note = "" if anchored else N_("placed by matching the text: the file has no anchors")
    for i in outside:
        paragraph = actual.paragraphs[i]
        result.unplaced.append(
            Unplaced(paragraph.accepted or paragraph.original, N_("outside any article"))
        )
    named = headings(nodes)
    _proposals(expected, actual, mine, theirs, known, named, result, note)
    _comments(actual, theirs, named, result, note)
    return result


def _aligned(expected: ReviewFile, actual: ReviewFile, mine: _Owners) -> _Owners:
    """Give a file without anchors the owners of the review copy's paragraphs its rejected
    (original) texts match, in order; refuse a file that shares too little with the copy."""
    old = [_norm(p.accepted) for p in expected.paragraphs]
    new = [_norm(p.original) for p in actual.paragraphs]
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    opcodes = matcher.get_opcodes()
    shared = sum(
        1 for tag, i1, i2, _j1, _j2 in opcodes if tag == "equal" for text in old[i1:i2] if text
    )
    if shared < MIN_SHARED * max(1, sum(1 for text in old if text)):
        raise NotACopy  # before any pairing: an unrelated file costs little
    chains: list[tuple[str, ...]] = [()] * len(new)
    placed: set[int] = set()
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            for offset in range(i2 - i1):
                chains[j1 + offset] = mine.chains[i1 + offset]
                placed.add(j1 + offset)
        elif tag == "replace" and (i2 - i1) * (j2 - j1) <= 400:
            _pair(old, new, i1, i2, j1, j2, chains, mine, placed)
    return _Owners(chains, placed)


def _by_articles(actual: ReviewFile, owners: _Owners, known: dict[str, Node]) -> None:
    """Place the paragraphs the alignment left out by drafter's article matching (number and
    text, so a renumbered or moved article is still found), then by clause and point labels
    within the matched article."""
    texts = [_norm(p.accepted) or _norm(p.original) for p in actual.paragraphs]
    starts = [i for i, text in enumerate(texts) if ARTICLE_RE.match(text)]
    if not starts:
        return
    segments = []
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(texts)
        heading = ARTICLE_RE.match(texts[start])
        assert heading is not None
        body = "\n".join(texts[start + 1 : end])
        node = Node("article", heading["num"], (heading["rest"] or "").strip(), body)
        segments.append((start, end, node))
    old = [(node, ("", "")) for node in known.values() if node.kind == "article"]
    pairs = match_articles(old, [(node, ("", "")) for _s, _e, node in segments])
    matched = {id(b): a for a, b, _match in pairs if a is not None and b is not None}
    for start, end, node in segments:
        article = matched.get(id(node))
        if article is None:
            continue
        chain: tuple[str, ...] = (article.key,)
        clause: Node | None = None
        for j in range(start, end):
            text = texts[j]
            if j > start and (found := CLAUSE_RE.match(text)):
                number = found["num"] or found["pnum"]
                clause = next((c for c in article.children if c.number == number), None)
                chain = (article.key, clause.key) if clause else (article.key,)
            elif j > start and (found := POINT_RE.match(text)) and clause is not None:
                letter = found["num"] or found["pnum"] or found["dnum"]
                point = next((c for c in clause.children if c.number == letter), None)
                chain = (article.key, clause.key, point.key) if point else chain[:2]
            if j not in owners.placed:
                owners.chains[j] = chain


def _pair(old, new, i1, i2, j1, j2, chains, mine: _Owners, placed: set[int]) -> None:
    """Pair each edited paragraph of a replaced block with its likeliest original, in order."""
    start = i1
    for j in range(j1, j2):
        best, score = -1, 0.0
        for i in range(start, i2):
            matcher = SequenceMatcher(None, old[i], new[j], autojunk=False)
            if matcher.real_quick_ratio() >= 0.6 and matcher.quick_ratio() >= 0.6:
                ratio = matcher.ratio()
                if ratio > score:
                    best, score = i, ratio
        if score >= 0.6:
            chains[j] = mine.chains[best]
            placed.add(j)
            start = best + 1


def _own(file: ReviewFile, owners: _Owners, key: str, *, whole: bool) -> list[ReviewParagraph]:
    return [
        p
        for p, chain in zip(file.paragraphs, owners.chains, strict=True)
        if chain and (key in chain if whole else chain[-1] == key)
    ]


def _own_lines(file: ReviewFile, owners: _Owners) -> dict[str, list[str]]:
    """Return each provision's own paragraphs (not its children's), as accepted lines."""
    groups: dict[str, list[ReviewParagraph]] = {}
    for paragraph, chain in zip(file.paragraphs, owners.chains, strict=True):
        if chain:
            groups.setdefault(chain[-1], []).append(paragraph)
    return {key: [_norm(t) for t in joined(ps, accepted=True)] for key, ps in groups.items()}


def _proposals(expected, actual, mine, theirs, known, named, result: Placement, note: str) -> None:
    before, after = _own_lines(expected, mine), _own_lines(actual, theirs)
    changed = [key for key in known if before.get(key, []) != after.get(key, [])]
    vouched = bool(actual.properties.get("drafter.fingerprint"))  # checked by the caller
    if not vouched and len(changed) > MAX_CHANGED * max(len(known), 1):
        raise NotACopy  # e.g. another draft's copy that lost its properties
    for key in changed:
        if any(key.startswith(other + "/") for other in changed):
            continue  # folded into the changed provision that holds it
        paragraphs = _own(actual, theirs, key, whole=True)
        lines = [_norm(t) for t in joined(paragraphs, accepted=True)]
        old = "\n".join(
            _norm(t) for t in joined(_own(expected, mine, key, whole=True), accepted=True)
        )
        revisions = [r for p in paragraphs for r in p.revisions]
        author, date = (revisions[0].author, revisions[0].date) if revisions else ("", "")
        kind = "new_wording" if lines else "delete"
        untracked = "" if revisions else N_("edited without Track Changes")
        heading = named[key]
        proposed = "\n".join(lines)
        result.items.append(
            Item(kind, key, heading, "", proposed, old, author, date, note or untracked)
        )


def _comments(actual: ReviewFile, theirs: _Owners, named, result: Placement, note: str) -> None:
    for comment in actual.comments:
        text = _folded(comment)
        if comment.first < 0 or comment.first >= len(theirs.chains):
            result.unplaced.append(Unplaced(text, N_("its place in the text was not found")))
            continue
        chains = [c for c in theirs.chains[comment.first : comment.last + 1] if c]
        key = None
        if chains:
            common = chains[0]
            for chain in chains[1:]:
                common = common[: _common_length(common, chain)]
            key = common[-1] if common else None
        if not text:
            result.unplaced.append(Unplaced(text, N_("the comment is empty")))
            continue
        heading = named.get(key, "") if key else ""
        result.items.append(
            Item("comment", key, heading, text, "", "", comment.author, comment.date, note)
        )


def _common_length(a: tuple[str, ...], b: tuple[str, ...]) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def _folded(comment: WordComment) -> str:
    parts = [comment.text.strip()]
    for reply in comment.replies:
        if reply.text.strip():
            parts.append(f"— {reply.author}: {reply.text.strip()}")
    return "\n\n".join(p for p in parts if p)
