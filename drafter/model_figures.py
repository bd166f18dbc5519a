"""The figures of a consultation counted by the database rather than by reading every
comment (core: imports nothing of drafter)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class KindCount:
    """How many submitted comments of one kind a unit has on one article (`article_key`
    None: on the draft as a whole), counted apart for those withdrawn since."""

    unit_id: int
    article_key: str | None
    kind: str
    withdrawn: bool
    count: int
