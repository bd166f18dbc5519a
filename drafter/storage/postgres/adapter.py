"""A psycopg connection that the shared query mixins can use as they use sqlite3's: the same
``execute``/``executemany`` calls with ``?`` placeholders, cursors with ``lastrowid`` and
rows read by position or by column name (like ``sqlite3.Row``)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any

import psycopg
from psycopg import pq
from psycopg.adapt import Loader
from psycopg.types.numeric import Int8Dumper

from . import dialect


class Row(tuple):  # type: ignore[type-arg]
    """A result row: a tuple whose values can also be read by column name, any case."""

    _names: dict[str, int]

    def __new__(cls, values: Sequence[Any], names: dict[str, int]) -> Row:
        row = super().__new__(cls, values)
        row._names = names
        return row

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return tuple.__getitem__(self, self._names[key.lower()])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._names)


def row_factory(cursor: Any) -> Any:
    names = {column.name.lower(): i for i, column in enumerate(cursor.description or ())}
    return lambda values: Row(values, names)


class WholeNumbers(Loader):
    """NUMERIC (what SUM and AVG give) as int when whole, else float, as SQLite gives."""

    def load(self, data: Any) -> int | float:
        value = Decimal(bytes(data).decode())
        return int(value) if value == value.to_integral_value() else float(value)


def configure(conn: psycopg.Connection[Any]) -> None:
    """Set up a new pooled connection: autocommit (transactions are begun explicitly), rows
    like sqlite3.Row, NUMERIC as numbers, ints as BIGINT."""
    conn.autocommit = True
    conn.row_factory = row_factory
    conn.adapters.register_loader("numeric", WholeNumbers)
    # Every Python int as BIGINT (psycopg picks the smallest type, and a SMALLINT parameter
    # does not unify with the BIGINT ids in a recursive query).
    conn.adapters.register_dumper(int, Int8Dumper)


class Cursor:
    """The result of one statement: rows, the number changed, and the id an INSERT made."""

    def __init__(self, conn: Adapter, cursor: psycopg.Cursor[Any]) -> None:
        self._conn = conn
        self._cursor = cursor

    def fetchone(self) -> Any:
        return self._cursor.fetchone() if self._cursor.description else None

    def fetchall(self) -> list[Any]:
        return self._cursor.fetchall() if self._cursor.description else []

    def __iter__(self) -> Iterator[Any]:
        return iter(self.fetchall())

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        """The id the last INSERT took from its identity column (asked only when wanted)."""
        row = self._conn.raw.execute("SELECT lastval()").fetchone()
        return None if row is None else int(row[0])


class Adapter:
    """The subset of ``sqlite3.Connection`` that the query mixins use, over psycopg."""

    def __init__(self, raw: psycopg.Connection[Any]) -> None:
        self.raw = raw

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> Cursor:
        if params is None or len(params) == 0:
            return Cursor(self, self.raw.execute(dialect.statement(sql, False).encode()))
        return Cursor(self, self.raw.execute(dialect.statement(sql), tuple(params)))

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> Cursor:
        cursor = self.raw.cursor()
        cursor.executemany(dialect.statement(sql), [tuple(r) for r in rows])
        return Cursor(self, cursor)

    @property
    def in_transaction(self) -> bool:
        return self.raw.info.transaction_status != pq.TransactionStatus.IDLE

    def close(self) -> None:
        self.raw.close()
