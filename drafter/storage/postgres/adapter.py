"""A psycopg connection that the shared query mixins can use as they use sqlite3's: the same
``execute``/``executemany`` calls with ``?`` placeholders, cursors with ``lastrowid`` and
rows read by position or by column name (like ``sqlite3.Row``)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
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
            index = self._names.get(key)  # PostgreSQL's names are lower case: mostly a hit
            return tuple.__getitem__(self, self._names[key.lower()] if index is None else index)
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._names)


_WITH_ROWS = (pq.ExecStatus.TUPLES_OK, pq.ExecStatus.SINGLE_TUPLE)


def _has_rows(cursor: psycopg.Cursor[Any]) -> bool:
    """Whether the cursor's last statement returned rows (read from the result itself:
    ``cursor.description`` builds a Column object per column, each time it is read)."""
    result = cursor.pgresult
    return result is not None and result.status in _WITH_ROWS


def row_factory(cursor: Any) -> Any:
    result = cursor.pgresult
    count = result.nfields if result is not None else 0
    names = {(result.fname(i) or b"").decode().lower(): i for i in range(count)}
    return lambda values: Row(values, names)


class WholeNumbers(Loader):
    """NUMERIC (what SUM and AVG give) as int when whole, else float, as SQLite gives."""

    def load(self, data: Any) -> int | float:
        value = Decimal(bytes(data).decode())
        return int(value) if value == value.to_integral_value() else float(value)


def configure(conn: psycopg.Connection[Any]) -> None:
    """Set up a new pooled connection: autocommit (transactions are begun explicitly), rows
    like sqlite3.Row, NUMERIC as numbers, ints as BIGINT, no JIT compilation."""
    conn.autocommit = True
    # drafter's statements are short, read a page each: JIT compiling one whose estimated cost
    # is high (a search over a million rows) took 0.5 s here before it ran.
    conn.execute("SET jit = off")
    conn.row_factory = row_factory
    conn.adapters.register_loader("numeric", WholeNumbers)
    # Every Python int as BIGINT (psycopg picks the smallest type, and a SMALLINT parameter
    # does not unify with the BIGINT ids in a recursive query).
    conn.adapters.register_dumper(int, Int8Dumper)


class Cursor:
    """The result of one statement: rows, the number changed, and the id an INSERT made."""

    def __init__(
        self, conn: Adapter, cursor: psycopg.Cursor[Any], returned_id: bool = False
    ) -> None:
        self._conn = conn
        self._cursor = cursor
        self._id: int | None = None
        self._returned_id = returned_id
        if returned_id:  # the INSERT's own RETURNING id: no result rows for the caller
            rows = cursor.fetchall()
            self._id = int(rows[-1][0]) if rows else None

    def fetchone(self) -> Any:
        if self._returned_id or not _has_rows(self._cursor):
            return None
        return self._cursor.fetchone()

    def fetchall(self) -> list[Any]:
        if self._returned_id or not _has_rows(self._cursor):
            return []
        return self._cursor.fetchall()

    def __iter__(self) -> Iterator[Any]:
        return iter(self.fetchall())

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        """The id the last INSERT took from its identity column: returned by the INSERT
        itself when its table has an ``id`` identity column, else asked (``lastval()``)."""
        if self._returned_id:
            return self._id
        row = self._conn.raw.execute("SELECT lastval()").fetchone()
        return None if row is None else int(row[0])


#: The integers a parameter may hold: SQLite's (and PostgreSQL's bigint).
_SMALLEST, _LARGEST = -(2**63), 2**63 - 1


def _fits(values: Iterable[Any]) -> None:
    """Refuse an integer parameter past 64 bits with OverflowError, as sqlite3 does (the web
    app answers "no such page", 404): psycopg would send it as a numeric, which PostgreSQL
    compares with an id but refuses as a LIMIT or OFFSET (a server error)."""
    for value in values:
        if isinstance(value, int) and not _SMALLEST <= value <= _LARGEST:
            raise OverflowError("Python int too large to convert to a 64-bit integer")


_INSERT_INTO = re.compile(r'^\s*INSERT\s+INTO\s+"?(\w+)"?', re.IGNORECASE)


class Adapter:
    """The subset of ``sqlite3.Connection`` that the query mixins use, over psycopg."""

    def __init__(self, raw: psycopg.Connection[Any]) -> None:
        self.raw = raw
        self._identity: frozenset[str] | None = None

    def _returns_id(self, sql: str) -> bool:
        """Whether `sql` is an INSERT into a table with an ``id`` identity column (which then
        gets ``RETURNING id``: the id comes back without a second round trip)."""
        found = _INSERT_INTO.match(sql)
        if found is None or "RETURNING" in sql.upper():
            return False
        if self._identity is None:
            self._identity = frozenset(
                r[0]
                for r in self.raw.execute(
                    "SELECT table_name FROM information_schema.columns WHERE table_schema = "
                    "current_schema() AND column_name = 'id' AND is_identity = 'YES'"
                ).fetchall()
            )
        return found.group(1) in self._identity

    def execute(self, sql: str, params: Sequence[Any] | Mapping[str, Any] | None = None) -> Cursor:
        with_params = params is not None and len(params) > 0
        text = dialect.statement(sql, with_params)
        returns_id = self._returns_id(text)
        if returns_id:
            text = text.rstrip().rstrip(";") + " RETURNING id"
        if not with_params:
            return Cursor(self, self.raw.execute(text.encode()), returns_id)
        values = dict(params) if isinstance(params, Mapping) else tuple(params or ())
        _fits(values.values() if isinstance(values, dict) else values)
        return Cursor(self, self.raw.execute(text, values), returns_id)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> Cursor:
        cursor = self.raw.cursor()
        cursor.executemany(dialect.statement(sql), [tuple(r) for r in rows])
        return Cursor(self, cursor)

    @property
    def in_transaction(self) -> bool:
        return self.raw.info.transaction_status != pq.TransactionStatus.IDLE

    def close(self) -> None:
        self.raw.close()
