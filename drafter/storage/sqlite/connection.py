"""The SQLite connection: pragmas, transactions with savepoints, migrations, backups."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from ...errors import StorageError

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def now() -> str:
    """Return the current UTC time as ISO-8601 text, to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def _id(cursor: sqlite3.Cursor) -> int:
    """Return the row id an INSERT made (always set after an INSERT)."""
    row_id = cursor.lastrowid
    assert row_id is not None
    return row_id


def _on_read_only_disk(path: Path) -> bool:
    """Whether the database file exists on a file system mounted read-only."""
    try:
        return path.is_file() and bool(os.statvfs(path.parent).f_flag & os.ST_RDONLY)
    except OSError:
        return False


class Connected:
    """What every query mixin relies on: an open connection in autocommit mode."""

    conn: sqlite3.Connection


class Connection(Connected):
    """A connection to one SQLite file: foreign keys on, WAL journal, a busy timeout, and
    transactions begun explicitly (``BEGIN IMMEDIATE``) so writers queue instead of failing.
    A transaction inside another is a SAVEPOINT: its failure undoes only itself."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.read_only = False
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self.conn = self._connect(path)
        except sqlite3.OperationalError as exc:
            if path == ":memory:" or not _on_read_only_disk(Path(path)):
                raise StorageError(exc) from exc
            # A read-only disk: SQLite cannot make the WAL index, so open the file as
            # immutable (nobody can write it anyway) and keep serving reads; writes fail
            # with StorageError.  Immutable ignores the write-ahead log: with commits still
            # in it, reading would show an older state (ended sessions alive again), so
            # then nothing is served.
            wal = Path(f"{path}-wal")
            if wal.exists() and wal.stat().st_size:
                raise StorageError(exc) from exc
            uri = f"{Path(path).resolve().as_uri()}?mode=ro&immutable=1"
            self.conn = sqlite3.connect(uri, uri=True, timeout=30, isolation_level=None)
            self.conn.row_factory = sqlite3.Row
            self.read_only = True
        self._depth = 0

    @staticmethod
    def _connect(path: str) -> sqlite3.Connection:
        conn = sqlite3.connect(path, timeout=30, isolation_level=None)
        try:
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA busy_timeout = 30000")
            # WAL mode is kept in the file: set it once, not at every connection (which
            # would need a writable disk just to read).
            if path != ":memory:" and conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.Error:
            conn.close()
            raise
        return conn

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def transaction(self, *, serialized: bool = True, unit: int | None = None) -> Iterator[None]:
        """Run the block as one unit of work: the outermost as a write transaction (BEGIN
        IMMEDIATE, whatever `serialized` and `unit` say: SQLite has one writer at a time), a
        nested one as a SAVEPOINT whose failure undoes only itself (the outer block decides
        whether to go on).  A database that cannot be written (disk full,
        read-only, locked too long) raises StorageError, and nothing of the block is kept."""
        if self._depth:
            name = f"drafter_{self._depth}"
            self.conn.execute(f"SAVEPOINT {name}")
            self._depth += 1
            try:
                yield
            except BaseException:
                self.conn.execute(f"ROLLBACK TO {name}")
                self.conn.execute(f"RELEASE {name}")
                raise
            else:
                self.conn.execute(f"RELEASE {name}")
            finally:
                self._depth -= 1
            return
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StorageError(exc) from exc
        self._depth = 1
        try:
            yield
        except sqlite3.OperationalError as exc:
            self._rollback()
            raise StorageError(exc) from exc
        except BaseException:
            self._rollback()
            raise
        else:
            try:
                self.conn.execute("COMMIT")
            except sqlite3.OperationalError as exc:
                self._rollback()
                raise StorageError(exc) from exc
        finally:
            self._depth = 0

    def _rollback(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def migrate(self) -> int:
        version = self.schema_version()
        for script in sorted(MIGRATIONS.glob("[0-9][0-9][0-9][0-9]_*.sql")):
            target = int(script.name[:4])
            if target <= version:
                continue
            try:  # executescript commits first and leaves a failed BEGIN open: undo it ourselves
                self.conn.executescript(
                    f"BEGIN IMMEDIATE;\n{script.read_text(encoding='utf-8')}\n"
                    f"PRAGMA user_version = {target};\nCOMMIT;"
                )
            except sqlite3.Error:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
            version = target
        return version

    def backup(self, target: str | Path) -> None:
        """Write a consistent copy of the database to `target` while others keep writing
        (SQLite's online backup API)."""
        destination = sqlite3.connect(str(target))
        try:
            with destination:
                self.conn.backup(destination, pages=256)
        finally:
            destination.close()

    def integrity(self) -> str:
        """Return SQLite's integrity check ("ok" when the file is sound), then its foreign
        key check (a row whose parent is gone: SQLite enforces foreign keys only on the
        connections that ask for it, so a file written by another tool may hold some)."""
        result = str(self.conn.execute("PRAGMA integrity_check").fetchone()[0])
        if result != "ok":
            return result
        broken = self.conn.execute("PRAGMA foreign_key_check").fetchmany(21)
        if not broken:
            return "ok"
        found = [f"foreign key broken: {r[0]} row {r[1]} -> {r[2]}" for r in broken[:20]]
        return "; ".join(found + (["…"] if len(broken) > 20 else []))
