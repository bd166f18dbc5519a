"""The PostgreSQL backend: :class:`PostgresStore`, the query mixins of the SQLite backend
(their SQL is the shared dialect, rewritten where PostgreSQL spells it otherwise by
:mod:`.dialect`) over a pooled psycopg connection (:mod:`.connection`), with the few
methods whose SQL cannot be shared replaced (:mod:`.search`, :mod:`.claims`)."""

from __future__ import annotations

from ..contract import Store
from ..sqlite.queries import Queries
from .claims import PostgresClaims
from .connection import PostgresConnection
from .search import PostgresSearch

__all__ = ["PostgresStore", "is_postgres_url"]


def is_postgres_url(location: str) -> bool:
    """Whether `location` names a PostgreSQL database (``postgresql://`` or ``postgres://``)."""
    return location.startswith(("postgresql://", "postgres://"))


class PostgresStore(PostgresClaims, PostgresSearch, Queries, PostgresConnection, Store):
    """A store in one PostgreSQL database, given by its URL."""
