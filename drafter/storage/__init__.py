"""Storage: the one place that talks to the database.

Callers get a :class:`~drafter.storage.contract.Store` from :func:`open_store` and use its
named methods (declared, typed, by area, in :mod:`drafter.storage.contract`); no SQL leaves
this package.  SQLite (:mod:`drafter.storage.sqlite`) is the backend today; another backend
implements the same contract, chosen by the location given to :func:`open_store`.
"""

from __future__ import annotations

from pathlib import Path

from ..config import check_database
from .contract import Store
from .sqlite import SQLiteStore

__all__ = ["Store", "SQLiteStore", "open_store"]


def open_store(location: str | Path, *, migrate: bool = True) -> Store:
    """Return a store for `location`: a SQLite file path, ``sqlite:///path`` or ``:memory:``.

    With `migrate` (the default) the schema is brought up to date first.
    """
    location = check_database(str(location)).removeprefix("sqlite:///")
    store = SQLiteStore(location)
    if migrate:
        store.migrate()
    return store
