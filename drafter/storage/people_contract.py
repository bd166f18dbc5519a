"""The store contract's part for changing people after they exist and for roster files
waiting for confirmation (see :mod:`drafter.storage.contract` for the rules of every part)."""

from __future__ import annotations

from typing import Protocol

from ..model import PendingUpload


class PeopleStore(Protocol):
    """Editing units and accounts; roster files kept until their owner confirms them."""

    def update_unit(self, unit_id: int, *, name: str, kind: str) -> None:
        """Rename a unit and set its kind."""
        ...

    def set_unit_disabled(self, unit_id: int, disabled_at: str | None) -> None:
        """Deactivate a unit from `disabled_at` (None: reactivate it)."""
        ...

    def update_user(
        self,
        user_id: int,
        *,
        display_name: str,
        email: str | None,
        is_lead: bool,
        unit_id: int | None,
    ) -> None:
        """Set an account's full name, e-mail address, lead flag and unit."""
        ...

    def set_user_language(self, user_id: int, language: str) -> None:
        """Set the language of the messages sent to an account ('vi' or 'en')."""
        ...

    def add_pending_roster(self, user_id: int, name: str, data: bytes, *, now: str) -> int:
        """Keep an uploaded roster file until its owner confirms or discards it; return its id."""
        ...

    def get_pending_roster(self, roster_id: int, user_id: int) -> PendingUpload:
        """Return a pending roster file of this user (``draft_id`` None, ``title`` empty)."""
        ...

    def delete_pending_roster(self, roster_id: int) -> None:
        """Forget a pending roster file."""
        ...
