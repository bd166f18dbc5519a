"""The PostgreSQL connection: a pool per database, transactions with the guarantees of
SQLite's ``BEGIN IMMEDIATE``, the shared migration files, dumps and restores."""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from psycopg_pool import ConnectionPool

from ...errors import DatabaseUnreachable, StorageError
from ..sqlite.connection import MIGRATIONS, Connected
from . import dialect
from .adapter import Adapter, configure

#: The advisory lock every write transaction takes first: writers run one at a time, as
#: SQLite's BEGIN IMMEDIATE makes them, so every check-then-write of the use cases reads
#: the latest commits and no other writer can slip in between (the key is arbitrary).
WRITE_LOCK = 0x64726166

_BEGIN = f"BEGIN; SELECT pg_advisory_xact_lock({WRITE_LOCK})"

#: A block of one unit's comment writes (``transaction(unit=…)``) takes the writers' lock
#: SHARED, so that every other writer still waits for it and it for them, and then the lock
#: of its unit (the two-key form, keys of their own) whole: the writes of different units run
#: side by side, their commits' flushes too, and those of one unit one at a time.  (Two units'
#: blocks that both add the same new word to ``search_word`` meet on its key: the second waits
#: for the first to end, as any row writer does.)  A block nested in it may ask for no more.
_BEGIN_UNIT = (
    f"BEGIN; SELECT pg_advisory_xact_lock_shared({WRITE_LOCK}); "
    f"SELECT pg_advisory_xact_lock({WRITE_LOCK}, {{unit}})"
)


def _begin(serialized: bool, unit: int | None) -> str:
    """Return what begins an outermost transaction (in one round trip)."""
    if not serialized:
        return "BEGIN"
    if unit is None:
        return _BEGIN
    return _BEGIN_UNIT.format(unit=int(unit) & 0x7FFFFFFF)  # the key is an int4


POOL_SIZE = 32

_pools: dict[str, tuple[ConnectionPool, int]] = {}
_pools_lock = threading.Lock()


def _take_pool(url: str) -> ConnectionPool:
    with _pools_lock:
        pool, users = _pools.get(url, (None, 0))
        if pool is None:
            _check_reachable(url)
            pool = ConnectionPool(
                url, min_size=1, max_size=POOL_SIZE, configure=configure, open=False
            )
            try:
                pool.open(wait=True, timeout=30)
            except Exception as exc:
                pool.close()
                raise StorageError(exc) from exc
        _pools[url] = (pool, users + 1)
        return pool


def _check_reachable(url: str) -> None:
    """Connect once, so that a database that cannot be reached says why, at once."""
    try:
        psycopg.connect(url, connect_timeout=10).close()
    except psycopg.Error as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise DatabaseUnreachable(reason) from exc


def _leave_pool(url: str, pool: ConnectionPool) -> None:
    """One user fewer of `url`'s pool; the last one closes it (its connections end)."""
    with _pools_lock:
        current, users = _pools.get(url, (None, 0))
        if current is pool and users > 1:
            _pools[url] = (pool, users - 1)
            return
        if current is pool:
            del _pools[url]
    pool.close()


def close_pool(url: str) -> None:
    """Close `url`'s pool now, whoever still uses it (a database about to be dropped)."""
    with _pools_lock:
        pool, _ = _pools.pop(url, (None, 0))
    if pool is not None:
        pool.close()


def reset_sequences(conn: Adapter) -> None:
    """Set every identity column's next value past the largest id stored (after rows were
    inserted with their ids: a copied database, a rebuilt table)."""
    rows = conn.execute(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND is_identity = 'YES'"
    ).fetchall()
    for table, column in rows:
        conn.raw.execute(
            f"SELECT setval(pg_get_serial_sequence(%s, %s), "
            f'COALESCE((SELECT MAX("{column}") FROM "{table}"), 0) + 1, false)',
            (f'"{table}"', column),
        )


class PostgresConnection(Connected):
    """One connection, taken from the pool of its database URL for the store's life."""

    def __init__(self, url: str) -> None:
        self.path = url
        self.url = url
        self.read_only = False
        self._pool: ConnectionPool | None = _take_pool(url)
        try:
            raw = self._pool.getconn(timeout=30)
        except Exception as exc:
            _leave_pool(url, self._pool)
            raise StorageError(exc) from exc
        self.conn = Adapter(raw)  # type: ignore[assignment]
        self._depth = 0
        self._unit_only: int | None = None  # the unit whose lock alone the transaction took

    @property
    def pg(self) -> Adapter:
        return self.conn  # type: ignore[return-value]

    def close(self) -> None:
        if self._pool is None:
            return
        pool, self._pool = self._pool, None
        if not pool.closed:
            pool.putconn(self.pg.raw)
        else:
            self.pg.raw.close()
        _leave_pool(self.url, pool)

    @contextmanager
    def transaction(self, *, serialized: bool = True, unit: int | None = None) -> Iterator[None]:
        """One unit of work, as on SQLite: the outermost a transaction that first takes the
        write lock, a nested one a SAVEPOINT whose failure undoes only itself.  With
        `serialized` False the write lock is not taken: only for blocks whose statements
        guard themselves row by row (the claims of :mod:`.claims`, ``FOR UPDATE SKIP
        LOCKED``), so that claiming never queues behind another writer.  With `unit`, the
        lock is shared and the unit's own taken whole (see ``_BEGIN_UNIT``)."""
        raw = self.pg.raw
        if self._depth:
            if self._unit_only is not None and serialized and unit != self._unit_only:
                # A programming error: the outer block holds only one unit's lock.
                raise RuntimeError("a block inside one unit's comment writes asks for more")
            name = f"drafter_{self._depth}"
            raw.execute(f"SAVEPOINT {name}")
            self._depth += 1
            try:
                yield
            except BaseException:
                raw.execute(f"ROLLBACK TO SAVEPOINT {name}")
                raw.execute(f"RELEASE SAVEPOINT {name}")
                raise
            else:
                raw.execute(f"RELEASE SAVEPOINT {name}")
            finally:
                self._depth -= 1
            return
        try:
            raw.execute(_begin(serialized, unit))  # one round trip for every statement
        except psycopg.OperationalError as exc:
            self._rollback()
            raise StorageError(exc) from exc
        self._depth = 1
        self._unit_only = unit if serialized else None
        try:
            yield
        except psycopg.OperationalError as exc:
            self._rollback()
            raise StorageError(exc) from exc
        except BaseException:
            self._rollback()
            raise
        else:
            try:
                raw.execute("COMMIT")
            except psycopg.OperationalError as exc:
                self._rollback()
                raise StorageError(exc) from exc
        finally:
            self._depth = 0
            self._unit_only = None

    def _rollback(self) -> None:
        try:
            if self.pg.in_transaction:
                self.pg.raw.execute("ROLLBACK")
        except psycopg.Error:
            pass

    def schema_version(self) -> int:
        row = self.pg.raw.execute("SELECT to_regclass('drafter_schema') IS NOT NULL").fetchone()
        if not row or not row[0]:
            return 0
        row = self.pg.raw.execute("SELECT version FROM drafter_schema").fetchone()
        return int(row[0]) if row else 0

    def migrate(self) -> int:
        """Run the migration files newer than the schema, each in its own transaction (the
        same files as on SQLite, through :func:`dialect.script`)."""
        with self.transaction():
            raw = self.pg.raw
            raw.execute("CREATE EXTENSION IF NOT EXISTS citext")
            raw.execute("CREATE TABLE IF NOT EXISTS drafter_schema (version INTEGER NOT NULL)")
            if raw.execute("SELECT 1 FROM drafter_schema").fetchone() is None:
                raw.execute("INSERT INTO drafter_schema VALUES (0)")
        version = self.schema_version()
        for path in sorted(MIGRATIONS.glob("[0-9][0-9][0-9][0-9]_*.sql")):
            target = int(path.name[:4])
            if target <= version:
                continue
            with self.transaction():  # the write lock: one process migrates, others wait
                if self.schema_version() >= target:
                    continue
                self.pg.raw.execute(dialect.script(path.read_text(encoding="utf-8")))
                reset_sequences(self.pg)
                self.pg.raw.execute("UPDATE drafter_schema SET version = %s", (target,))
            version = target
        return self.schema_version()

    def backup(self, target: str | Path) -> None:
        """Write a dump of the database to the file `target` (pg_dump's custom format)."""
        run_tool(["pg_dump", "--format=custom", "--no-owner", f"--file={target}"], url=self.url)

    def integrity(self) -> str:
        """Return "ok" when the schema is the one the migrations make and the indexes are
        sound, with what could not be checked in parentheses; else the problems found
        (:mod:`.integrity`)."""
        from . import integrity

        return integrity.check(self.pg.raw, self.schema_version())


def tool(name: str) -> str:
    """Return the path of a PostgreSQL client program (on PATH or in Debian's folder)."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    if not candidates:
        raise ToolFailed(f"{name} is not installed (Debian: apt install postgresql-client)")
    return str(candidates[-1])


class ToolFailed(Exception):
    """A PostgreSQL client program (pg_dump, pg_restore) failed; the message is its own."""


def run_tool(command: list[str], *, url: str | None = None) -> None:
    """Run a PostgreSQL client program (on the database `url`, given as ``--dbname`` without
    its password, which goes in the environment: not seen in the process list); raise
    ToolFailed with its error output if it fails."""
    env = dict(os.environ)
    if url is not None:
        params = conninfo_to_dict(url)
        password = params.pop("password", None)
        if password:
            env["PGPASSWORD"] = str(password)
        command = [*command, f"--dbname={make_conninfo('', **params)}"]
    done = subprocess.run([tool(command[0]), *command[1:]], capture_output=True, text=True, env=env)
    if done.returncode:
        raise ToolFailed(done.stderr.strip() or f"{command[0]} failed")
