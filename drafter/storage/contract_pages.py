"""The store contract for the organizer's article page: one page of an article's submitted
comments and their counts by provision, each in a fixed number of statements, so that the
page's cost does not grow with the comments it does not show (joined into
:class:`drafter.storage.contract.Store`)."""

from __future__ import annotations

from typing import Protocol

from ..model import Comment
from ..model_figures import KindCount


class ArticlePageStore(Protocol):
    """An article's submitted comments, a page at a time, and their counts."""

    def provision_tallies(
        self, consultation_id: int, article_key: str, *, leave_out: int | None = None
    ) -> list[tuple[str, int]]:
        """Return the article's submitted comments (each unit's active submission, at the
        revision it holds; those withdrawn since included, as the pages list them) counted
        by provision, in document order, without unit `leave_out`'s when given: one
        aggregate query over the kept counts, a row per provision with comments."""
        ...

    def article_kind_counts(self, consultation_id: int, article_key: str) -> list[KindCount]:
        """Return what `kind_counts` returns for the one article `article_key`."""
        ...

    def article_comment_page(
        self,
        consultation_id: int,
        article_key: str,
        *,
        node_key: str | None = None,
        limit: int = 50,
        offset: int = 0,
        leave_out: int | None = None,
    ) -> list[Comment]:
        """Return `limit` of the article's submitted comments (only those on `node_key` when
        given; without unit `leave_out`'s when given) from `offset`, in document order then
        by id, as `list_comments` shows them."""
        ...

    def article_comment_offset(
        self,
        consultation_id: int,
        article_key: str,
        comment_id: int,
        *,
        node_key: str | None = None,
    ) -> int | None:
        """Return how many of the comments `article_comment_page` lists come before
        `comment_id`, or None when it does not list that comment."""
        ...

    def general_comment_page(
        self, consultation_id: int, *, limit: int = 50, offset: int = 0
    ) -> list[Comment]:
        """Return `limit` of the submitted comments on the draft as a whole from `offset`, by
        id, as `list_comments(…, general=True, submitted_only=True)` lists them."""
        ...
