"""The version-comparison engine: two versions' trees written as one document of tracked
changes, articles paired by the version matching, moved articles as Word moves."""

from __future__ import annotations

from difflib import SequenceMatcher

from ..diff import word_diff
from ..matching import match_articles, with_containers
from ..model import Node
from ..normalize import slug
from . import ooxml
from .layout import Para, empty_para, layout, whole_paragraph, write_aligned, write_para


def write_comparison(
    document, old_nodes: list[Node], new_nodes: list[Node], *, author: str, date: str
) -> None:
    """Write `new_nodes` against `old_nodes` into `document` as tracked changes by `author` at
    `date` (a Word date string); return nothing (the document is changed in place)."""
    _Comparer(document, author, date).write(old_nodes, new_nodes)


def _items(paras: list[Para]) -> list[tuple[str | None, list[Para]]]:
    """Group paragraphs into (article key, its paragraphs) and (None, [one other paragraph])."""
    items: list[tuple[str | None, list[Para]]] = []
    for para in paras:
        article = para.owners[0] if para.owners else None
        if article is not None and items and items[-1][0] == article:
            items[-1][1].append(para)
        else:
            items.append((article, [para]))
    return items


def _longest_increasing(values: list[int]) -> set[int]:
    """Return the positions of one longest strictly increasing subsequence of `values`."""
    tails: list[int] = []
    previous: list[int] = [-1] * len(values)
    for i, value in enumerate(values):
        lo, hi = 0, len(tails)
        while lo < hi:
            mid = (lo + hi) // 2
            if values[tails[mid]] < value:
                lo = mid + 1
            else:
                hi = mid
        previous[i] = tails[lo - 1] if lo else -1
        if lo == len(tails):
            tails.append(i)
        else:
            tails[lo] = i
    keep, i = set(), tails[-1] if tails else -1
    while i >= 0:
        keep.add(i)
        i = previous[i]
    return keep


class _Comparer:
    """Writes two versions' layouts into a document as tracked changes and Word moves."""

    def __init__(self, document, author: str, date: str) -> None:
        self.document, self.author, self.date = document, author, date
        self.ids = ooxml.Ids()

    def write(self, old_nodes: list[Node], new_nodes: list[Node]) -> None:
        old_items, new_items = _items(layout(old_nodes)), _items(layout(new_nodes))
        pairs: dict[str, str] = {}
        for a, b, _match in match_articles(with_containers(old_nodes), with_containers(new_nodes)):
            if a is not None and b is not None:
                pairs[b.key] = a.key
        old_index = {key: i for i, (key, _) in enumerate(old_items) if key}
        matched_new = [
            (j, old_index[pairs[key]])
            for j, (key, _) in enumerate(new_items)
            if key is not None and key in pairs and pairs[key] in old_index
        ]
        in_order = _longest_increasing([i for _, i in matched_new])
        anchored = {matched_new[k][0] for k in in_order}
        moved: dict[str, str] = {}  # old key -> new key of each article that moved
        for j, _ in matched_new:
            key = new_items[j][0]
            if j not in anchored and key is not None:
                moved[pairs[key]] = key
        self.moved = moved

        def signature(key, paras, side):
            if key is None:
                return ("p", paras[0].plain)
            if side == "new" and key in pairs and key not in self.moved.values():
                return ("a", pairs[key])
            if (
                side == "old"
                and key in old_index
                and key not in self.moved
                and key in pairs.values()
            ):
                return ("a", key)
            return (side, key)

        a_sig = [signature(k, p, "old") for k, p in old_items]
        b_sig = [signature(k, p, "new") for k, p in new_items]
        for op, a1, a2, b1, b2 in SequenceMatcher(None, a_sig, b_sig, autojunk=False).get_opcodes():
            if op == "equal":
                for (ka, pa), (_kb, pb) in zip(old_items[a1:a2], new_items[b1:b2], strict=True):
                    self.changed(pa, pb) if ka else write_para(self.document, pb[0])
                continue
            olds, news = old_items[a1:a2], new_items[b1:b2]
            if len(olds) == len(news) == 1 and olds[0][0] is None and news[0][0] is None:
                self.changed(olds[0][1], news[0][1])
                continue
            for key, paras in olds:
                if key is not None and key in self.moved:
                    self.move_from(key, paras)
                else:
                    for para in paras:
                        self.whole(para, "del")
            for key, paras in news:
                if key is not None and key in self.moved.values():
                    source = next(p for k, p in old_items if k == pairs[key])
                    self.move_to(pairs[key], source, paras)
                else:
                    for para in paras:
                        self.whole(para, "ins")

    def whole(self, para: Para, kind: str):
        return whole_paragraph(
            self.document, para, kind, author=self.author, date=self.date, ids=self.ids
        )

    def changed(self, old: list[Para], new: list[Para]) -> None:
        """Write paragraphs that exist in both versions, aligned line by line."""
        write_aligned(self.document, old, new, author=self.author, date=self.date, ids=self.ids)

    def move_from(self, key: str, paras: list[Para]) -> None:
        written = []
        for para in paras:
            paragraph = empty_para(self.document, para)
            ooxml.add_tracked_runs(
                paragraph,
                [("moved_from", para.plain)],
                author=self.author,
                date=self.date,
                ids=self.ids,
                bold=para.bold,
            )
            ooxml.mark_paragraph(
                paragraph, "moveFrom", author=self.author, date=self.date, ids=self.ids
            )
            written.append(paragraph)
        ooxml.move_range(
            written,
            "moveFrom",
            name=f"move{slug(key)}",
            author=self.author,
            date=self.date,
            ids=self.ids,
        )

    def move_to(self, old_key: str, old: list[Para], new: list[Para]) -> None:
        """Write a moved article at its new place: its words wrapped in w:moveTo, words added
        during the move in w:ins; words it lost are only in the moveFrom copy."""
        written = []
        matcher = SequenceMatcher(
            None, [p.plain for p in old], [p.plain for p in new], autojunk=False
        )
        for op, a1, a2, b1, b2 in matcher.get_opcodes():
            for k, para in enumerate(new[b1:b2]):
                paragraph = empty_para(self.document, para)
                if op == "equal":
                    pieces = [("equal", para.plain)]
                elif op == "replace" and a1 + k < a2:
                    pieces = [
                        (c.op, c.text)
                        for c in word_diff(old[a1 + k].plain, para.plain)
                        if c.op != "delete"
                    ]
                else:
                    pieces = [("insert", para.plain)]
                ooxml.add_tracked_runs(
                    paragraph,
                    pieces,
                    author=self.author,
                    date=self.date,
                    ids=self.ids,
                    bold=para.bold,
                    moved=True,
                )
                mark = "moveTo" if any(op == "equal" for op, _ in pieces) else "ins"
                ooxml.mark_paragraph(
                    paragraph, mark, author=self.author, date=self.date, ids=self.ids
                )
                written.append(paragraph)
        ooxml.move_range(
            written,
            "moveTo",
            name=f"move{slug(old_key)}",
            author=self.author,
            date=self.date,
            ids=self.ids,
        )
