"""The store contract for settings kept in the database (joined into
:class:`drafter.storage.contract.Store`)."""

from __future__ import annotations

from typing import Protocol


class SettingStore(Protocol):
    """Named values shared by every process that uses the database."""

    def get_setting(self, name: str) -> str | None:
        """Return the stored value of the setting `name`, or None."""
        ...

    def add_setting(self, name: str, value: str) -> str:
        """Store `value` for `name` unless a value is stored already; return the stored one
        (when several processes add at once, all get the first one stored)."""
        ...
