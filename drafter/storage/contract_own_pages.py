"""The store contract for a unit's own comments on an article, a page at a time (the
delegates' reading page): counted by kind in one aggregate query, one page's ids by one
narrow query, then only that page's comments read in full, so that the page's cost does not grow with the comments it does not show (joined into
:class:`drafter.storage.contract.Store`)."""

from __future__ import annotations

from typing import Protocol

from ..model import Comment


class OwnPageStore(Protocol):
    """A unit's live comments on one article (drafts included), as the unit sees them."""

    def own_article_kinds(
        self, consultation_id: int, unit_id: int, article_key: str
    ) -> dict[str, int]:
        """Return how many of the unit's live comments on the article there are of each kind
        (at their latest revisions): one aggregate query."""
        ...

    def own_article_ids(
        self, consultation_id: int, unit_id: int, article_key: str, *, limit: int, offset: int
    ) -> list[int]:
        """Return the ids of `limit` of the unit's live comments on the article from `offset`,
        in document order then by id: the order the page lists them in."""
        ...

    def own_article_place(
        self, consultation_id: int, unit_id: int, article_key: str, comment_id: int
    ) -> int | None:
        """Return how many of the comments `own_article_ids` lists come before
        `comment_id`, or None when it does not list that comment."""
        ...

    def latest_comments(self, comment_ids: list[int]) -> list[Comment]:
        """Return these comments (one page of them) at their latest revisions, as
        `list_comments` shows them, in document order then by id."""
        ...
