"""Matching the articles of a new version to their counterparts in the previous version."""

from __future__ import annotations

from .diff import similarity, word_set
from .model import ArticleMatch, Node, is_commentable

#: Below this share of common words two articles are not the same article.
THRESHOLD = 0.5
#: How many most-alike old articles get a full word diff against each new article.
CANDIDATES = 4


def article_text(article: Node) -> str:
    """Return what identifies an article's content: its title and its text, without numbers."""
    parts = [article.title, article.text]
    for node in article.walk():
        if node is not article:
            parts.extend([node.title, node.text])
    return "\n".join(p for p in parts if p)


def match_articles(
    old: list[tuple[Node, tuple[str, str]]], new: list[tuple[Node, tuple[str, str]]]
) -> list[tuple[Node | None, Node | None, ArticleMatch]]:
    """Return (old article, new article, match) for every article of either version.

    Each list holds (article, (key, title) of its chapter or section), as
    :func:`with_containers` returns.  Articles are paired by
    text similarity, with a small bonus for keeping their number, so a renumbered or moved
    article is still found; the rest are added or removed.  Pairs come in the new version's
    order, each removed article right after the pair that precedes it in the old version.
    """
    old_texts = [article_text(a) for a, _ in old]
    new_texts = [article_text(a) for a, _ in new]
    old_words = [word_set(t) for t in old_texts]
    new_words = [word_set(t) for t in new_texts]
    old_by_number = {a.number: i for i, (a, _) in enumerate(old)}
    candidates = []
    for j, (b, _) in enumerate(new):
        # A quick word-set estimate picks a few candidates; only those get a real diff.
        quick = []
        for i in range(len(old)):
            union = old_words[i] | new_words[j]
            quick.append((len(old_words[i] & new_words[j]) / len(union) if union else 1.0, i))
        shortlist = {i for _, i in sorted(quick, reverse=True)[:CANDIDATES]}
        if b.number in old_by_number:
            shortlist.add(old_by_number[b.number])
        for i in shortlist:
            a = old[i][0]
            exact = 1.0 if old_texts[i] == new_texts[j] else similarity(old_texts[i], new_texts[j])
            if exact >= THRESHOLD:
                bonus = 0.05 if a.number == b.number else 0.0
                candidates.append((exact + bonus, exact, i, j))
    candidates.sort(key=lambda c: (-c[0], c[2], c[3]))
    pair_of_new: dict[int, tuple[int, float]] = {}
    used_old: set[int] = set()
    for _score, exact, i, j in candidates:
        if i in used_old or j in pair_of_new:
            continue
        used_old.add(i)
        pair_of_new[j] = (i, exact)

    result: list[tuple[Node | None, Node | None, ArticleMatch]] = []
    emitted_old: set[int] = set()

    def emit_removed_before(limit: int) -> None:
        for i in range(limit):
            if i not in used_old and i not in emitted_old:
                emitted_old.add(i)
                a = old[i][0]
                result.append((a, None, ArticleMatch("removed", a.key, None, a.number, None, 0.0)))

    for j, (b, container) in enumerate(new):
        if j in pair_of_new:
            i, exact = pair_of_new[j]
            emit_removed_before(i)
            a, old_container = old[i]
            status = "unchanged" if old_texts[i] == new_texts[j] else "changed"
            result.append(
                (
                    a,
                    b,
                    ArticleMatch(
                        status,
                        a.key,
                        b.key,
                        a.number,
                        b.number,
                        round(exact, 4),
                        renumbered=a.number != b.number,
                        moved=_moved(old_container, container),
                    ),
                )
            )
        else:
            result.append((None, b, ArticleMatch("added", None, b.key, None, b.number, 0.0)))
    emit_removed_before(len(old))
    return result


def _moved(old: tuple[str, str], new: tuple[str, str]) -> bool:
    """Return True when an article now sits in another chapter or section: neither the
    container's key nor its title is the same (so renumbering chapters is not a move)."""
    return old[0] != new[0] and old[1] != new[1]


def with_containers(tree: list[Node]) -> list[tuple[Node, tuple[str, str]]]:
    """Return every article of a tree with the (key, title) of the division that holds it."""
    out: list[tuple[Node, tuple[str, str]]] = []

    def visit(nodes: list[Node], container: tuple[str, str]) -> None:
        for node in nodes:
            if is_commentable(node.kind):
                out.append((node, container))
            elif node.kind in ("part", "chapter", "section", "subsection"):
                visit(node.children, (node.key, node.title))
            else:
                visit(node.children, container)

    visit(tree, ("", ""))
    return out
