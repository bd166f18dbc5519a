"""The store contract for the reads of the write path: what every comment POST asks before it
writes (who is signed in, where the unit stands, which provision is meant), each in one query,
so that a write transaction holds the writers' lock for as few round trips as it can (joined
into :class:`drafter.storage.contract.Store` through :class:`~.contract_scale.ScaleStore`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from ..model import Consultation, Node, User


@dataclass(frozen=True)
class UnitStanding:
    """Where an invited unit stands in a consultation, as the write rules ask it: its own
    deadline (None: the consultation's), how many comments it has created (withdrawn ones
    too: the quota's count) and whether its latest submission stands."""

    deadline: str | None
    comments_created: int
    submitted: bool


@dataclass(frozen=True)
class SessionAccount:
    """A signed-in session's account: the user, the epoch its sessions must carry, and
    whether the user's unit is deactivated."""

    user: User
    session_epoch: int
    unit_disabled: bool


class WritePathStore(Protocol):
    """One query each for what a write checks first."""

    def unit_standing(self, consultation_id: int, unit_id: int) -> UnitStanding | None:
        """Return where the unit stands in the consultation, or None when it is not
        invited."""
        ...

    def write_standing(
        self, consultation_id: int, unit_id: int | None
    ) -> tuple[Consultation, UnitStanding | None]:
        """Return the consultation (NotFound when there is none) and where the unit stands
        in it (None when it is not invited, or for no unit), in one query."""
        ...

    def session_account(self, user_id: int) -> SessionAccount | None:
        """Return the account of `user_id` with its session epoch and its unit's state, or
        None when there is no such account."""
        ...

    def provisions_alone(self, version_id: int, keys: Sequence[str]) -> dict[str, Node]:
        """Return the nodes of a version with these keys, by key, each without its children
        (a key the version lacks is left out)."""
        ...
