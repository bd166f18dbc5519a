"""The store contract for a consultation's figures, counted by aggregate queries so that the
dashboard's cost does not grow with a per-unit query in a loop (joined into
:class:`drafter.storage.contract.Store`)."""

from __future__ import annotations

from typing import Protocol

from ..model_figures import KindCount


class FigureStore(Protocol):
    """Counts of comments by unit, article and kind."""

    def kind_counts(self, consultation_id: int) -> list[KindCount]:
        """Return the submitted comments (each unit's active submission, at the revision it
        holds) counted by unit, article, kind and whether withdrawn since: one query."""
        ...
