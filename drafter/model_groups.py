"""Groups of similar comments, as stored (core: imports nothing of drafter)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class GroupMember:
    """A comment's place in a group: ``pinned`` by an organizer (the grouping never moves
    it), ``copied`` when its wording is (nearly) another unit's in the same group."""

    comment_id: int
    pinned: bool = False
    copied: bool = False


@dataclass(frozen=True)
class CommentGroup:
    """Similar comments on one provision (``node_id`` None: the draft as a whole)."""

    id: int
    consultation_id: int
    node_id: int | None
    members: tuple[GroupMember, ...]


@dataclass(frozen=True)
class Wording:
    """A submitted comment as the grouping compares it: its unit, provision and article (None:
    the draft as a whole), and the kind and words of the revision its submission holds."""

    id: int
    unit_id: int
    node_id: int | None
    article_key: str | None
    kind: str
    text: str
    proposed_text: str | None
