"""The store contract for a consultation's figures, counted by aggregate queries so that the
dashboard's cost does not grow with a per-unit query in a loop (joined into
:class:`drafter.storage.contract.Store`)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Protocol

from ..model_figures import KindCount


class FigureStore(Protocol):
    """Counts of comments by unit, article and kind."""

    def kind_counts(self, consultation_id: int) -> list[KindCount]:
        """Return the submitted comments (each unit's active submission, at the revision it
        holds) counted by unit, article, kind and whether withdrawn since: one query."""
        ...

    def units_holding_both(
        self, consultation_id: int, kind: str, others: Collection[str]
    ) -> dict[str, int]:
        """Return, per article key, how many units' standing submissions hold, on that
        article, a comment of `kind` and one of a kind in `others` (neither withdrawn since):
        one aggregate query over the kept counts."""
        ...
