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


@dataclass(frozen=True)
class ProvisionCount:
    """How many submitted comments of one kind a unit has on one provision of an article
    (the article itself, a clause, a point), at the revision its active submission holds."""

    node_key: str
    unit_id: int
    kind: str
    withdrawn: bool  # withdrawn since it was submitted
    count: int
