"""An article's submitted comments a page at a time (at most PER_PAGE), grouped by provision
with every provision's count: the organizer's article page and the delegates' shared listing
both read them here, so that neither page's cost grows with the comments it does not show.

A delegate does not see its own unit's comments in the shared listing (they are listed
above it, as drafts): :func:`submitted_page` leaves out one unit and still pages exactly,
the store filtering that unit out along the same index range."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .model import Comment, Node
from .storage import Store

PER_PAGE = 50


@dataclass(frozen=True)
class ProvisionTally:
    """A provision of the article (the article itself, a clause, a point) and how many
    submitted comments it has."""

    key: str
    count: int


@dataclass(frozen=True)
class CommentPage:
    """One page of an article's submitted comments: this page's comments grouped by
    provision (in document order), every provision's count, and where the page stands."""

    groups: list[tuple[ProvisionTally, list[Comment]]]  # this page's comments by provision
    provisions: list[ProvisionTally]  # every provision with comments, all pages counted
    total: int  # comments shown on all pages (of `provision` when chosen)
    page: int
    pages: int
    provision: str | None  # only the comments on this provision, when chosen


def pages_of(total: int) -> int:
    return max(1, -(-total // PER_PAGE))


def submitted_page(
    store: Store,
    consultation_id: int,
    article: Node,
    *,
    page: int | None = None,
    provision: str | None = None,
    comment_id: int | None = None,
    leave_out: int | None = None,
    shown: Callable[[Comment], Comment] = lambda comment: comment,
) -> CommentPage:
    """Return page `page` (from 1) of the article's submitted comments, counted by
    the store's kept counts: the page holding `comment_id` when no page is
    asked, else the first; only those on `provision` when it is one of the article's.

    With `leave_out`, that unit's comments are neither listed nor counted; `shown` is what
    each listed comment becomes (as its reader may see it)."""
    keys = {node.key for node in article.walk()}
    if provision not in keys:
        provision = None
    tallies = dict(store.provision_tallies(consultation_id, article.key, leave_out=leave_out))
    total = tallies.get(provision, 0) if provision else sum(tallies.values())
    pages = pages_of(total)
    if page is None and comment_id is not None and leave_out is None:
        before = store.article_comment_offset(
            consultation_id, article.key, comment_id, node_key=provision
        )
        page = before // PER_PAGE + 1 if before is not None else 1
    page = min(max(1, page or 1), pages)
    offset = (page - 1) * PER_PAGE
    comments = store.article_comment_page(
        consultation_id, article.key, node_key=provision, limit=PER_PAGE, offset=offset,
        leave_out=leave_out,
    )  # fmt: skip
    provisions = [ProvisionTally(k, n) for k, n in tallies.items()]
    return CommentPage(
        grouped([shown(c) for c in comments], tallies), provisions, total, page, pages, provision
    )


def grouped(
    comments: list[Comment], tallies: dict[str, int]
) -> list[tuple[ProvisionTally, list[Comment]]]:
    """Return the comments (in document order) in one group per provision, with its count."""
    groups: list[tuple[ProvisionTally, list[Comment]]] = []
    for comment in comments:
        key = comment.node_key or ""
        if not groups or groups[-1][0].key != key:
            groups.append((ProvisionTally(key, tallies.get(key, 0)), []))
        groups[-1][1].append(comment)
    return groups
