"""Storage: the one place that talks to the database.

Callers get a :class:`Store` from :func:`open_store` and use its named methods; no SQL
leaves this package.  SQLite (stdlib ``sqlite3``) is the backend today; a PostgreSQL backend
would be another module here implementing the same methods, chosen by the URL given to
:func:`open_store`, with no change to callers.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import DrafterError
from .base import Store
from .sqlite import SQLiteStore

__all__ = ["Store", "SQLiteStore", "open_store"]


def open_store(location: str | Path, *, migrate: bool = True) -> Store:
    """Return a store for `location`: a SQLite file path, ``sqlite:///path`` or ``:memory:``.

    With `migrate` (the default) the schema is brought up to date first.
    """
    location = str(location)
    if location.startswith(("postgres://", "postgresql://")):
        raise DrafterError(
            "Only SQLite databases are supported so far: give a file path, not a PostgreSQL URL."
        )
    location = location.removeprefix("sqlite:///")
    store = SQLiteStore(location)
    if migrate:
        store.migrate()
    return store
