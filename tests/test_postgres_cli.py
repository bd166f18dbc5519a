"""The PostgreSQL commands, run as the user runs them: `drafter copy-db --to postgresql://…`
(counts and checksums per table; a difference fails and keeps nothing), and `backup` /
`restore` of a PostgreSQL database (pg_dump/pg_restore)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from drafter import accounts
from drafter.storage import open_store

from .consultation_fixture import copy_world

ROOT = Path(__file__).resolve().parent.parent


def _drafter(*args: str, cwd: Path | None = None):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DRAFTER_")}
    return subprocess.run(
        [sys.executable, "-m", "drafter", *args],
        cwd=cwd,
        env={**clean, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )


def _counts(location) -> dict[str, int]:
    store = open_store(location, migrate=False)
    try:
        return {
            table: store.conn.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
            for table in ("draft", "node", "user", "unit", "consultation", "search_index")
        }
    finally:
        store.close()


def test_copy_db_keeps_every_row_and_id_and_the_copy_works(template_world, tmp_path, pg_server):
    world = copy_world(template_world, tmp_path)
    target = pg_server.empty_database()
    done = _drafter("--db", str(world.db_path), "copy-db", "--to", target)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = [line.split() for line in done.stdout.splitlines()]
    table_lines = [parts for parts in lines if parts and parts[-1] in ("ok", "MISMATCH")]
    assert {"node", "user", "comment", "search_index", "consultation"} <= {
        parts[0] for parts in table_lines
    }
    assert all(parts[-1] == "ok" and parts[1] == parts[2] for parts in table_lines)
    assert _counts(world.db_path) == _counts(target)
    store = open_store(target)
    try:
        # Ids kept, the same consultation; sequences moved past the copied ids.
        assert store.get_consultation(world.consultation_id).title == "Lấy ý kiến Dự thảo 1"
        assert store.get_user(world.users["organizer"]).username == "organizer"
        unit = accounts.create_unit(store, "ha-noi", "Thành ủy Hà Nội", "province")
        assert unit > max(world.units.values())
        assert [hit.kind for hit in store.search("quy che")]  # the index came along
    finally:
        store.close()
    # A second copy into the same (no longer empty) database is refused: nothing doubled.
    again = _drafter("--db", str(world.db_path), "copy-db", "--to", target)
    assert again.returncode == 1
    assert "not empty" in again.stderr
    pg_server.drop(target)


def test_a_copy_that_differs_fails_and_keeps_nothing(template_world, tmp_path, pg_server):
    world = copy_world(template_world, tmp_path)
    with sqlite3.connect(world.db_path) as conn:  # SQLite lets bytes into a TEXT column
        conn.execute("UPDATE draft SET title = X'616263'")
    conn.close()
    target = pg_server.empty_database()
    done = _drafter("--db", str(world.db_path), "copy-db", "--to", target)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "MISMATCH" in done.stdout
    assert "nothing was kept" in done.stderr
    assert set(_counts(target).values()) == {0}
    pg_server.drop(target)


def test_copy_db_refuses_what_it_cannot_copy(tmp_path, pg_server):
    done = _drafter("--db", str(tmp_path / "nope.sqlite"), "copy-db", "--to", "x")
    assert done.returncode == 2
    assert "existing SQLite file" in done.stderr
    assert not (tmp_path / "nope.sqlite").exists()


def test_backup_and_restore_of_a_postgresql_database(template_world, tmp_path, pg_server):
    world = copy_world(template_world, tmp_path)
    source = pg_server.empty_database()
    assert _drafter("--db", str(world.db_path), "copy-db", "--to", source).returncode == 0
    backup = tmp_path / "drafter.dump"
    done = _drafter("--db", source, "backup", str(backup))
    assert done.returncode == 0, done.stderr
    assert "integrity: ok" in done.stdout
    assert backup.stat().st_size > 0
    # Into an empty database; then again over a database holding rows, only with --force.
    target = pg_server.empty_database()
    done = _drafter("--db", target, "restore", str(backup))
    assert done.returncode == 0, done.stderr
    assert "schema version" in done.stdout
    assert "integrity: ok)" in done.stdout  # checked after the restore
    assert _counts(target) == _counts(source)
    done = _drafter("--db", target, "restore", str(backup))
    assert done.returncode == 1
    assert "--force" in done.stderr
    done = _drafter("--db", target, "restore", "--force", str(backup))
    assert done.returncode == 0, done.stderr
    assert _counts(target) == _counts(source)
    store = open_store(target)
    try:
        unit = accounts.create_unit(store, "ha-noi", "Thành ủy Hà Nội", "province")
        assert unit > max(world.units.values())
    finally:
        store.close()
    # A SQLite file is not a pg_dump: the message names copy-db.
    done = _drafter("--db", target, "restore", "--force", str(world.db_path))
    assert done.returncode == 1
    assert "copy-db" in done.stderr
    for url in (source, target):
        pg_server.drop(url)


def test_the_demo_on_postgresql(tmp_path, pg_server):
    url = pg_server.empty_database()
    done = _drafter("--db", url, "demo", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert list(tmp_path.iterdir()) == []  # no SQLite file in a folder named "postgresql:"
    counts = _counts(url)
    assert counts["draft"] > 0
    assert counts["consultation"] > 0
    done = _drafter("--db", url, "demo", cwd=tmp_path)
    assert done.returncode == 1
    assert "--force" in done.stderr
    done = _drafter("--db", url, "demo", "--force", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert _counts(url) == counts  # rebuilt from scratch, not added to
    pg_server.drop(url)


def test_a_database_that_cannot_be_reached_says_why(pg_server, tmp_path):
    missing = pg_server.url("no_such_database")
    done = _drafter("--db", missing, "init", cwd=tmp_path)
    assert done.returncode == 1
    assert "The database cannot be reached" in done.stderr
    assert '"no_such_database" does not exist' in done.stderr
    assert "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []


def _old_backup(pg_server, target: Path, version: int) -> None:
    """A pg_dump of a database at schema `version` (an older drafter's), holding one unit."""
    import psycopg

    from drafter.storage.postgres import dialect
    from drafter.storage.postgres.connection import run_tool
    from drafter.storage.sqlite.connection import MIGRATIONS

    old = pg_server.empty_database()
    with psycopg.connect(old, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS citext")
        conn.execute("CREATE TABLE drafter_schema (version INTEGER NOT NULL)")
        for path in sorted(MIGRATIONS.glob("[0-9][0-9][0-9][0-9]_*.sql")):
            if int(path.name[:4]) <= version:
                conn.execute(dialect.script(path.read_text(encoding="utf-8")))
        conn.execute("INSERT INTO drafter_schema VALUES (%s)", (version,))
        conn.execute("INSERT INTO unit (id, code, name) VALUES (7, 'cu', 'Đơn vị cũ')")
    run_tool(["pg_dump", "--format=custom", "--no-owner", f"--file={target}"], url=old)
    pg_server.drop(old)


def test_a_backup_of_an_older_schema_is_restored_and_migrated(template_world, tmp_path, pg_server):
    """A backup taken before an upgrade (schema 20: before the tables of migrations 21–24)
    restores into an empty database and, with --force, over a database of the current
    schema holding rows: the tables the backup does not know go too, and the migrations
    bring it up to date.  A failed restore keeps the database as it was."""
    backup = tmp_path / "old.dump"
    _old_backup(pg_server, backup, 20)
    empty = pg_server.empty_database()
    done = _drafter("--db", empty, "restore", str(backup))
    assert done.returncode == 0, done.stderr
    assert "integrity: ok" in done.stdout
    world = copy_world(template_world, tmp_path)
    current = pg_server.empty_database()
    assert _drafter("--db", str(world.db_path), "copy-db", "--to", current).returncode == 0
    before = _counts(current)
    broken = tmp_path / "broken.dump"
    broken.write_bytes(backup.read_bytes()[: backup.stat().st_size // 2])
    done = _drafter("--db", current, "restore", "--force", str(broken))
    assert done.returncode == 1
    assert _counts(current) == before  # nothing lost
    done = _drafter("--db", current, "restore", "--force", str(backup))
    assert done.returncode == 0, done.stderr
    assert "integrity: ok" in done.stdout
    for url in (empty, current):
        store = open_store(url, migrate=False)
        try:
            assert store.conn.execute("SELECT code FROM unit").fetchall() == [("cu",)]
            assert store.schema_version() == max(
                int(p.name[:4]) for p in (ROOT / "drafter/storage/migrations").glob("0*.sql")
            )
            assert store.conn.execute("SELECT COUNT(*) FROM held_comment").fetchone()[0] == 0
        finally:
            store.close()
        pg_server.drop(url)


def test_the_copy_checksum_ignores_order_and_sees_every_value_and_duplicate():
    from drafter.storage.postgres.transfer import Checksum

    def summed(rows):
        check = Checksum()
        for row in rows:
            check.add(row)
        return check.rows, check.hexdigest

    rows = [(1, "Điều 1", None, b"\x00\xff", 1.5), (2, "Điều 2", 7, b"", -0.0)]
    assert summed(rows) == summed(reversed(rows))
    assert summed(rows)[1] != summed([rows[0], (2, "Điều 2", 8, b"", -0.0)])[1]
    assert summed(rows)[1] != summed([*rows, rows[0]])[1]  # a duplicate row counts
    assert summed([rows[0], rows[0]])[1] != summed([])[1]  # a pair does not cancel out
    assert summed([(None,)])[1] != summed([("",)])[1]
