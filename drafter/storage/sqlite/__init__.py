"""The SQLite backend: one class, :class:`SQLiteStore`, made of the shared query classes
(:mod:`.queries`, one per area of the store contract) over a SQLite connection.  Every SQL
statement that drafter runs on SQLite is in this package."""

from __future__ import annotations

from ..contract import Store
from .connection import Connection
from .queries import Queries

__all__ = ["SQLiteStore"]


class SQLiteStore(Queries, Connection, Store):
    """A store in one SQLite file (or ``:memory:``)."""
