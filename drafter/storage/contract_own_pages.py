"""The store contract for a unit's own comments on an article, a page at a time (the
delegates' reading page): their ids and kinds in one narrow query, then only one page's
comments read in full, so that the page's cost does not grow with the comments it does not show (joined into
:class:`drafter.storage.contract.Store`)."""

from __future__ import annotations

from typing import Protocol

from ..model import Comment


class OwnPageStore(Protocol):
    """A unit's live comments on one article (drafts included), as the unit sees them."""

    def own_article_kinds(
        self, consultation_id: int, unit_id: int, article_key: str
    ) -> list[tuple[int, str]]:
        """Return (id, kind) of each of the unit's live comments on the article, in document
        order then by id: the order the page lists them in."""
        ...

    def latest_comments(self, comment_ids: list[int]) -> list[Comment]:
        """Return these comments (one page of them) at their latest revisions, as
        `list_comments` shows them, in document order then by id."""
        ...
