"""The groups part of the store contract: similar comments grouped per provision."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from ..model_groups import CommentGroup, Wording


class GroupStore(Protocol):
    """Groups of similar comments and their members (a comment is in one group at most)."""

    def comment_groups(
        self, consultation_id: int, *, node_ids: list[int | None] | None = None
    ) -> list[CommentGroup]:
        """Return a consultation's groups (only those on `node_ids`, when given), oldest
        first, each with its members by comment id."""
        ...

    def submitted_wordings(
        self, consultation_id: int, article_keys: Sequence[str | None]
    ) -> list[Wording]:
        """Return the submitted comments of these articles (None: the draft as a whole), by
        id, each at the revision its unit's submission holds: what the grouping compares,
        read without what a page shows (answers, authors, revisions)."""
        ...

    def get_comment_group(self, group_id: int) -> CommentGroup:
        """Return one group (NotFound when unknown)."""
        ...

    def add_comment_group(self, consultation_id: int, node_id: int | None, *, now: str) -> int:
        """Create an empty group on a provision; return its id."""
        ...

    def put_in_group(
        self, comment_id: int, group_id: int, *, pinned: bool, copied: bool, now: str
    ) -> None:
        """Make the comment a member of the group (leaving any other group)."""
        ...

    def drop_empty_groups(self, consultation_id: int) -> int:
        """Delete the consultation's groups without members; return how many."""
        ...

    def group_sizes(
        self, consultation_id: int, node_ids: list[int | None], *, least: int = 2
    ) -> list[tuple[int, int]]:
        """Return (group id, members) of the groups on `node_ids` with `least` members or
        more, oldest first: their sizes are kept with them, no member is read."""
        ...

    def groups_of(self, comment_ids: list[int]) -> dict[int, int]:
        """Return the group of each of `comment_ids` that is in one (comment id → group id)."""
        ...
