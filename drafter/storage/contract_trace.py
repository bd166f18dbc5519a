"""The store contract for answers traced into a later version, stored (one row per submitted
comment) so that pages read them instead of computing them (joined into
:class:`drafter.storage.contract.Store`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from ..model_trace import Traced


class TraceStore(Protocol):
    """Each submitted comment's trace into the latest later version, and which version a
    consultation's stored trace goes into."""

    def traced_version(self, consultation_id: int) -> int | None:
        """Return the version number the consultation's stored trace goes into (None: it has
        not been stored yet)."""
        ...

    def replace_consultation_traces(
        self, consultation_id: int, version: int, traces: Iterable[Traced], *, now: str
    ) -> None:
        """Replace every stored trace row of a consultation with `traces` (all into
        `version`) and record that its stored trace goes into `version`."""
        ...

    def replace_traces(self, consultation_id: int, traces: Sequence[Traced]) -> None:
        """Replace the stored trace rows of the comments of `traces` (others stay)."""
        ...

    def drop_unit_traces(self, consultation_id: int, unit_id: int) -> None:
        """Delete the stored trace rows of a unit's comments in a consultation."""
        ...

    def traces_of(self, comment_ids: Sequence[int]) -> dict[int, Traced]:
        """Return the stored traces of the given comments, by comment id (a comment without
        a stored row is left out)."""
        ...

    def trace_counts(self, consultation_id: int) -> dict[str, int]:
        """Return how many stored trace rows of a consultation are in each state (states
        without rows left out): counts kept with the rows, read without aggregating them."""
        ...
