"""The integrity check of a PostgreSQL database: what ``PRAGMA integrity_check`` is to SQLite.

PostgreSQL keeps its own pages and enforces the foreign keys, so what can go wrong is the
schema: a table, column, index or constraint dropped or changed by hand, a migration not run,
an index left invalid (a failed ``CREATE INDEX CONCURRENTLY``), a constraint added ``NOT
VALID``.  The check builds the schema the migration files make in a scratch schema of one
transaction that is rolled back (no trace is left), and compares the two through the
catalogs.  Then, when the ``amcheck`` extension can be used (installed, or installable by the
current role: it needs a superuser), every B-tree index is checked against its table
(``bt_index_check`` with ``heapallindexed``); when it cannot, the result says so."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

import psycopg

from ..sqlite.connection import MIGRATIONS
from . import dialect

_COLUMNS = (
    "SELECT table_name, column_name, udt_name, is_nullable, "
    "COALESCE(column_default, ''), is_identity FROM information_schema.columns "
    "WHERE table_schema = %s"
)
_INDEXES = (
    "SELECT c.relname, pg_get_indexdef(i.indexrelid), i.indisvalid FROM pg_index i "
    "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE n.nspname = %s"
)
_CONSTRAINTS = (
    "SELECT t.relname, con.conname, pg_get_constraintdef(con.oid), con.convalidated "
    "FROM pg_constraint con JOIN pg_class t ON t.oid = con.conrelid "
    "JOIN pg_namespace n ON n.oid = con.connamespace WHERE n.nspname = %s"
)
_BTREES = (
    "SELECT c.oid, c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
    "JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_am am ON am.oid = c.relam "
    "WHERE n.nspname = %s AND am.amname = 'btree' AND i.indisvalid ORDER BY c.relname"
)


def last_migration() -> int:
    """The number of the newest migration file."""
    return max(int(p.name[:4]) for p in MIGRATIONS.glob("[0-9][0-9][0-9][0-9]_*.sql"))


def check(raw: psycopg.Connection[Any], version: int) -> str:
    """Return "ok" when the database of `raw` (outside any transaction) has the schema of
    the migration files and sound indexes, with what could not be checked in parentheses
    ("ok (indexes not checked: …)"); else the problems found, separated by "; "."""
    problems: list[str] = []
    notes: list[str] = []
    if version != last_migration():
        problems.append(f"schema version {version}, expected {last_migration()}")
    schema = _one(raw, "SELECT current_schema()")
    scratch = f"drafter_check_{uuid.uuid4().hex[:12]}"
    raw.execute("BEGIN")
    try:
        try:
            _expected_schema(raw, scratch)
        except psycopg.Error as exc:  # no right to create a schema, say
            raw.execute("ROLLBACK")
            raw.execute("BEGIN")
            notes.append(f"schema not compared: {_reason(exc)}")
        else:
            problems += _differences(raw, schema, scratch)
        problems += _invalid(raw, schema)
        checked = _check_indexes(raw, schema, scratch, problems)
        if checked is not None:
            notes.append(f"indexes not checked: {checked}")
    finally:
        raw.execute("ROLLBACK")  # the scratch schema and the extension vanish
    if problems:
        return "; ".join(problems)
    return "ok" + (f" ({'; '.join(notes)})" if notes else "")


def _one(raw: psycopg.Connection[Any], sql: str) -> str:
    row = raw.execute(sql).fetchone()
    assert row is not None
    return str(row[0])


def _reason(exc: psycopg.Error) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _expected_schema(raw: psycopg.Connection[Any], scratch: str) -> None:
    """Run every migration file in the new schema `scratch`, first on the search path (the
    extensions stay where they are, found through the rest of the path)."""
    path = _one(raw, "SELECT current_setting('search_path')")
    raw.execute(f'CREATE SCHEMA "{scratch}"')
    raw.execute(f'SET LOCAL search_path = "{scratch}", {path}')
    for migration in sorted(MIGRATIONS.glob("[0-9][0-9][0-9][0-9]_*.sql")):
        raw.execute(dialect.script(migration.read_text(encoding="utf-8")).encode())
    raw.execute(f"SET LOCAL search_path = {path}")


def _rows(raw: psycopg.Connection[Any], sql: str, schemas: Iterable[str], name: str) -> set[Any]:
    """The rows of a catalog query on schema `name`, with both schemas' names taken out of
    the definitions (a foreign key or an index names its table qualified or not)."""
    found = set()
    for row in raw.execute(sql, (name,)).fetchall():
        values = []
        for value in row:
            if isinstance(value, str):
                for schema in schemas:
                    value = value.replace(f'"{schema}".', "").replace(f"{schema}.", "")
            values.append(value)
        found.add(tuple(values))
    return found


def _differences(raw: psycopg.Connection[Any], schema: str, scratch: str) -> list[str]:
    """What the database's schema lacks or has otherwise than the migrations make it."""
    problems: list[str] = []
    both = (schema, scratch)
    have_cols = _rows(raw, _COLUMNS, both, schema)
    want_cols = _rows(raw, _COLUMNS, both, scratch)
    have_tables = {c[0] for c in have_cols}
    want_tables = {c[0] for c in want_cols}
    for table in sorted(want_tables - have_tables):
        problems.append(f"table missing: {table}")
    for table, column, *_ in sorted(want_cols - have_cols):
        if table in have_tables:
            problems.append(f"column missing or changed: {table}.{column}")
    for kind, sql in (("index", _INDEXES), ("constraint", _CONSTRAINTS)):
        have = {row[:-1] for row in _rows(raw, sql, both, schema)}
        for row in sorted({row[:-1] for row in _rows(raw, sql, both, scratch)} - have):
            if kind == "index" or row[0] in have_tables:
                problems.append(f"{kind} missing or changed: {row[0]} ({row[1]})")
    return problems


def _invalid(raw: psycopg.Connection[Any], schema: str) -> list[str]:
    """Indexes PostgreSQL does not use (left invalid) and constraints it does not enforce on
    the rows already there (``NOT VALID``)."""
    problems = [
        f"index invalid: {name}"
        for name, _, valid in raw.execute(_INDEXES, (schema,)).fetchall()
        if not valid
    ]
    for table, name, _, validated in raw.execute(_CONSTRAINTS, (schema,)).fetchall():
        if not validated:
            problems.append(f"constraint not validated: {table} ({name})")
    return sorted(problems)


def _check_indexes(
    raw: psycopg.Connection[Any], schema: str, scratch: str, problems: list[str]
) -> str | None:
    """Check every B-tree index of `schema` with amcheck, adding what is wrong to
    `problems`; return why it could not be done, or None."""
    raw.execute("SAVEPOINT amcheck")
    try:
        row = raw.execute(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n "
            "ON n.oid = e.extnamespace WHERE e.extname = 'amcheck'"
        ).fetchone()
        if row is None:
            raw.execute(f'CREATE SCHEMA IF NOT EXISTS "{scratch}"')
            raw.execute(f'CREATE EXTENSION amcheck SCHEMA "{scratch}"')
            where = scratch
        else:
            where = row[0]
        raw.execute("SET LOCAL lock_timeout = '10s'")
        for oid, name in raw.execute(_BTREES, (schema,)).fetchall():
            raw.execute("SAVEPOINT one_index")
            try:
                raw.execute(f'SELECT "{where}".bt_index_check(%s, true)', (oid,))
            except psycopg.errors.IndexCorrupted as exc:
                raw.execute("ROLLBACK TO SAVEPOINT one_index")
                problems.append(f"index damaged: {name} ({_reason(exc)})")
            else:
                raw.execute("RELEASE SAVEPOINT one_index")
    except psycopg.Error as exc:
        raw.execute("ROLLBACK TO SAVEPOINT amcheck")
        return f"amcheck is not available ({_reason(exc)})"
    raw.execute("RELEASE SAVEPOINT amcheck")
    return None
