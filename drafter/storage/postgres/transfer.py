"""Moving data in and out of PostgreSQL: a dump and its restore (``pg_dump``/``pg_restore``),
and the copy of a SQLite database into an empty PostgreSQL one, checked table by table."""

from __future__ import annotations

import hashlib
import sqlite3
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .connection import PostgresConnection, reset_sequences, run_tool

#: PostgreSQL's tables made from others (not in a SQLite database): not copied, rebuilt.
DERIVED = frozenset({"search_word"})
REBUILD_WORDS = (
    "INSERT INTO search_word (word) SELECT DISTINCT unnest(tsvector_to_array(words)) "
    "FROM search_index"
)

#: The first bytes of every SQLite database file.
SQLITE_HEADER = b"SQLite format 3\x00"


@dataclass(frozen=True)
class TableCheck:
    """One table copied: rows and checksum on each side."""

    table: str
    source_rows: int
    target_rows: int
    source_sum: str
    target_sum: str

    @property
    def ok(self) -> bool:
        return (self.source_rows, self.source_sum) == (self.target_rows, self.target_sum)


def check_dump(source: str | Path) -> str:
    """Return "ok" when `source` is a dump pg_restore can read (its table of contents)."""
    run_tool(["pg_restore", "--list", str(source)])
    return "ok"


def is_sqlite_file(path: str | Path) -> bool:
    try:
        with open(path, "rb") as handle:
            return handle.read(16) == SQLITE_HEADER
    except OSError:
        return False


def restore(store: PostgresConnection, source: str | Path) -> None:
    """Replace the database's tables with those of the dump `source`, in one transaction.
    Every table of drafter goes first, with the functions of its schema: a dump taken by an
    older drafter does not know the tables of the newer migrations, whose foreign keys would
    stop pg_restore's own drops (and whose rows belong to the database replaced); the
    migrations make them again.  pg_restore writes the dump as SQL, which psql runs after
    those drops in one transaction: on any error nothing changes."""
    with tempfile.TemporaryDirectory(prefix="drafter-restore-") as folder:
        drops, script = Path(folder) / "drops.sql", Path(folder) / "restore.sql"
        drops.write_text(_drop_all(store), encoding="utf-8")
        run_tool(["pg_restore", "--clean", "--if-exists", "--no-owner", f"--file={script}",
                  str(source)])  # fmt: skip
        run_tool(
            [
                "psql",
                "--no-psqlrc",
                "--quiet",
                "--single-transaction",
                "--set=ON_ERROR_STOP=1",
                f"--file={drops}",
                f"--file={script}",
            ],
            url=store.url,
        )


def _drop_all(store: PostgresConnection) -> str:
    """The statements that drop drafter's tables and the functions of its schema (not
    those of extensions)."""
    schema = store.pg.execute("SELECT current_schema()").fetchone()[0]
    names = [*tables(store), "drafter_schema"]
    listed = ", ".join(f'"{schema}"."{t}"' for t in names)
    statements = [f"DROP TABLE IF EXISTS {listed} CASCADE;"]
    for (signature,) in store.pg.execute(
        "SELECT p.oid::regprocedure::text FROM pg_proc p "
        "WHERE p.pronamespace = current_schema()::regnamespace AND NOT EXISTS ("
        "SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass "
        "AND d.objid = p.oid AND d.deptype = 'e')"
    ).fetchall():
        statements.append(f"DROP FUNCTION IF EXISTS {signature} CASCADE;")
    return "\n".join(statements) + "\n"


def is_empty(store: PostgresConnection) -> bool:
    """Whether no table of drafter's schema holds a row."""
    return all(
        not store.pg.execute(f'SELECT 1 FROM "{t}" LIMIT 1').fetchall() for t in tables(store)
    )


def clear(store: PostgresConnection) -> None:
    """Empty every table of drafter's schema but the settings (the session key stays), ids
    starting again from 1 (one transaction)."""
    listed = ", ".join(f'"{t}"' for t in tables(store) if t != "setting")
    with store.transaction():
        store.pg.execute(f"TRUNCATE {listed} RESTART IDENTITY CASCADE")


def tables(store: PostgresConnection) -> list[str]:
    """drafter's tables, each after the tables its foreign keys point to."""
    names = [
        r[0]
        for r in store.pg.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = "
            "current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'drafter_schema' "
            "ORDER BY table_name"
        ).fetchall()
    ]
    needs: dict[str, set[str]] = {name: set() for name in names}
    for child, parent in store.pg.execute(
        "SELECT c.conrelid::regclass::text, c.confrelid::regclass::text FROM pg_constraint c "
        "WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace"
    ).fetchall():
        child, parent = child.strip('"'), parent.strip('"')
        if child != parent and child in needs:
            needs[child].add(parent)
    ordered: list[str] = []
    while needs:
        ready = sorted(n for n, deps in needs.items() if deps <= set(ordered))
        if not ready:
            raise RuntimeError(f"foreign keys in a cycle: {sorted(needs)}")
        ordered.extend(ready)
        for name in ready:
            del needs[name]
    return ordered


def _columns(store: PostgresConnection, table: str) -> list[str]:
    return [
        r[0]
        for r in store.pg.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = "
            "current_schema() AND table_name = ? AND is_generated = 'NEVER' "
            "ORDER BY ordinal_position",
            (table,),
        ).fetchall()
    ]


def _text(value: Any) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    if isinstance(value, float):
        return repr(value)
    return str(value)


class Checksum:
    """The number of rows seen and a checksum of their values that does not depend on their
    order: the sum, modulo 2**256, of each row's SHA-256 (a multiset hash), so that a table
    is checked as it streams by, whatever its size, and two sides that list the same rows in
    different orders agree."""

    def __init__(self) -> None:
        self.rows = 0
        self._sum = 0

    def add(self, row: Sequence[Any]) -> None:
        line = "\x1f".join(_text(v) for v in row).encode("utf-8", "surrogatepass")
        self._sum = (self._sum + int.from_bytes(hashlib.sha256(line).digest(), "big")) % _MODULUS
        self.rows += 1

    @property
    def hexdigest(self) -> str:
        return f"{self._sum:064x}"


_MODULUS = 2**256
#: Rows read and written at a time: the copy's memory does not grow with the tables.
BATCH = 5_000


def copy_from_sqlite(source: str | Path, store: PostgresConnection) -> list[TableCheck]:
    """Copy every table of the SQLite database `source` (at the same schema version) into
    the empty PostgreSQL database of `store`, ids kept and identity sequences set past them;
    return each table's counts and checksums, read back from both sides.  One transaction:
    on any mismatch nothing is kept (the caller sees which table differs)."""
    lite = sqlite3.connect(f"{Path(source).resolve().as_uri()}?mode=ro", uri=True)
    try:
        version = lite.execute("PRAGMA user_version").fetchone()[0]
        if version != store.schema_version():
            raise CopyRefused(
                f"the schema versions differ: {version} in the source, "
                f"{store.schema_version()} in the target"
            )
        checks: list[TableCheck] = []
        with store.transaction():
            if not is_empty(store):
                raise CopyRefused("the target database is not empty")
            # The words of the search index are derived (a trigger keeps them): made once
            # from the copied index rather than row by row.
            store.pg.raw.execute("ALTER TABLE search_index DISABLE TRIGGER search_index_words")
            for table in tables(store):
                if table in DERIVED:
                    continue
                columns = _columns(store, table)
                listed = ", ".join(f'"{c}"' for c in columns)
                sent = Checksum()
                rows = lite.execute(f'SELECT {listed} FROM "{table}"')
                with store.pg.raw.cursor().copy(f'COPY "{table}" ({listed}) FROM STDIN') as copy:
                    while batch := rows.fetchmany(BATCH):
                        for row in batch:
                            copy.write_row(row)
                            sent.add(row)
                found = Checksum()
                with store.pg.raw.cursor(name=f"drafter_check_{table}") as back:
                    back.itersize = BATCH
                    back.execute(f'SELECT {listed} FROM "{table}"')
                    for row in back:
                        found.add(row)
                checks.append(
                    TableCheck(table, sent.rows, found.rows, sent.hexdigest, found.hexdigest)
                )
            store.pg.raw.execute(REBUILD_WORDS)
            store.pg.raw.execute("ALTER TABLE search_index ENABLE TRIGGER search_index_words")
            reset_sequences(store.pg)
            if not all(check.ok for check in checks):
                raise CopyMismatch(checks)
            # The planner's statistics of the tables just filled (else the first queries plan
            # as for empty tables until autovacuum comes round).
            store.pg.raw.execute("ANALYZE")
        return checks
    finally:
        lite.close()


class CopyRefused(Exception):
    """The copy cannot start (the message says why); nothing was written."""


class CopyMismatch(Exception):
    """A table's rows differ after the copy; nothing was kept."""

    def __init__(self, checks: list[TableCheck]) -> None:
        super().__init__("copy mismatch")
        self.checks = checks
