"""Storage: the one place that talks to the database.

Callers get a :class:`~drafter.storage.contract.Store` from :func:`open_store` and use its
named methods (declared, typed, by area, in :mod:`drafter.storage.contract`); no SQL leaves
this package.  SQLite (:mod:`drafter.storage.sqlite`) is the default backend; PostgreSQL
(:mod:`drafter.storage.postgres`) implements the same contract, chosen by the location given
to :func:`open_store`.
"""

from __future__ import annotations

from pathlib import Path

from ..config import check_database, is_postgres
from .contract import Store
from .sqlite import SQLiteStore

__all__ = ["Store", "SQLiteStore", "open_store"]


def open_store(location: str | Path, *, migrate: bool = True) -> Store:
    """Return a store for `location`: a SQLite file path, ``sqlite:///path``, ``:memory:``,
    or a PostgreSQL URL (``postgresql://user@host/db``: :mod:`.postgres`).

    With `migrate` (the default) the schema is brought up to date first.
    """
    location = check_database(str(location)).removeprefix("sqlite:///")
    store: Store
    if is_postgres(location):
        from .postgres import PostgresStore  # psycopg is loaded only when used

        store = PostgresStore(location)
    else:
        store = SQLiteStore(location)
    if migrate:
        try:
            store.migrate()
        except BaseException:
            store.close()
            raise
    return store
