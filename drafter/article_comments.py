"""The comments under an article of the delegates' reading page (/c/<id>/a/<key>), a page at
a time: the unit's own comments (drafts included), and, when the organizers share them,
other units' submitted comments, each with its PUBLISHED answer only
(:func:`drafter.consulting.as_units_see`), grouped by provision with their counts as on the
organizer's page (:mod:`drafter.comment_pages`).  An organizer opening the page reads every
submitted comment, with the latest answers.  Neither list renders more than PER_PAGE
comments, so the page's cost does not grow with the comments it does not show."""

from __future__ import annotations

from dataclasses import dataclass

from . import responses
from .comment_pages import PER_PAGE, CommentPage, pages_of, submitted_page
from .consulting import as_units_see
from .model import Comment, Consultation, Node, User
from .model_figures import KindCount
from .storage import Store


@dataclass(frozen=True)
class ArticleComments:
    """What the reading page lists under an article."""

    own: list[Comment]  # this page of the unit's own comments (as units see them)
    own_total: int  # the unit's comments on the article, all pages
    own_page: int
    own_pages: int
    contradictory: bool  # the unit agrees with the article and also comments on it
    others: CommentPage | None  # other units' submitted comments; None: not shared


def article_comments(
    store: Store,
    user: User,
    consultation: Consultation,
    article: Node,
    *,
    page: int | None = None,
    provision: str | None = None,
    own_page: int | None = None,
    comment_id: int | None = None,
) -> ArticleComments:
    """Return the comments the user may read under `article` (the caller has checked that
    the user reads the consultation): page `own_page` of the unit's own (the one holding
    `comment_id` when no page is asked), and page `page` of the others' (only those on
    `provision` when it is one of the article's)."""
    if user.is_organizer:
        every_unit = submitted_page(store, consultation.id, article, page=page, provision=provision)
        return ArticleComments([], 0, 1, 1, False, every_unit)
    unit_id = user.unit_id
    if unit_id is None:  # neither an organizer nor a delegate: nothing to list
        return ArticleComments([], 0, 1, 1, False, None)
    kinds = store.own_article_kinds(consultation.id, unit_id, article.key)
    total = sum(kinds.values())
    pages = pages_of(total)
    if own_page is None and comment_id is not None:
        at = store.own_article_place(consultation.id, unit_id, article.key, comment_id)
        own_page = (at or 0) // PER_PAGE + 1
    own_page = min(max(1, own_page or 1), pages)
    own = store.latest_comments(
        store.own_article_ids(
            consultation.id, unit_id, article.key,
            limit=PER_PAGE, offset=(own_page - 1) * PER_PAGE,
        )
    )  # fmt: skip
    others: CommentPage | None = None
    if consultation.share_submitted:
        others = submitted_page(
            store, consultation.id, article, page=page, provision=provision,
            leave_out=unit_id, shown=as_units_see,
        )  # fmt: skip
    contradictory = responses.counted_contradictions(
        KindCount(unit_id, article.key, kind, False, count) for kind, count in kinds.items()
    )
    return ArticleComments(
        [as_units_see(c) for c in own], total, own_page, pages, bool(contradictory), others
    )
