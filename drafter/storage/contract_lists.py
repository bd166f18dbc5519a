"""The store contract for the organizer's list of submitted comments: one page of it, filtered
in SQL, so that the list's cost does not grow with the comments it does not show (joined into
:class:`drafter.storage.contract.Store` through :class:`~.contract_scale.ScaleStore`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from ..model import Comment


@dataclass(frozen=True)
class ListFilter:
    """Which submitted comments a page lists: a unit, a kind, answered or not (None: both),
    only those on the draft as a whole, only those whose stored trace (drafter.traces) is in
    a state."""

    unit_id: int | None = None
    kind: str | None = None
    answered: bool | None = None
    general: bool = False
    traced: str | None = None


class CommentListStore(Protocol):
    """A consultation's submitted comments, filtered, a page at a time."""

    def submitted_comment_page(
        self, consultation_id: int, wanted: ListFilter, *, limit: int | None, offset: int = 0
    ) -> list[Comment]:
        """Return `limit` (None: all) of the submitted comments that pass `wanted` (each at the revision
        its unit's active submission holds) from `offset`, in document order then by id."""
        ...

    def submitted_comments(self, consultation_id: int, comment_ids: list[int]) -> list[Comment]:
        """Return those of `comment_ids` that are submitted comments of the consultation (at
        the revision their unit's active submission holds), in the order asked: read by id,
        whatever the number of other comments."""
        ...
