"""The integrity check on PostgreSQL (`store.integrity()`, what `drafter check-db`, backup and
restore report): a sound database is "ok"; a table, an index, a foreign key or a column
dropped by hand, an index left invalid, a constraint not validated, a migration not run are
each reported by name; without the right to use amcheck the result says the indexes were not
checked; and the check leaves no trace in the database."""

from __future__ import annotations

import psycopg
import pytest
from click.testing import CliRunner

from drafter.cli import cli
from drafter.storage import open_store
from drafter.storage.postgres.integrity import last_migration


@pytest.fixture
def pg_store(pg_url):
    store = open_store(pg_url)
    yield store
    store.close()


def _schemas(store) -> set[str]:
    return {r[0] for r in store.pg.raw.execute("SELECT nspname FROM pg_namespace").fetchall()}


def test_a_sound_database_is_ok_and_the_check_leaves_no_trace(pg_store):
    before = _schemas(pg_store)
    assert pg_store.integrity() == "ok"  # amcheck ran (the test server's role is a superuser)
    assert _schemas(pg_store) == before
    extensions = pg_store.pg.raw.execute("SELECT extname FROM pg_extension").fetchall()
    assert "amcheck" not in {r[0] for r in extensions}
    assert not pg_store.pg.in_transaction


@pytest.mark.parametrize(
    ("damage", "reported"),
    [
        ("DROP TABLE setting", "table missing: setting"),
        ("DROP INDEX comment_unit", "index missing or changed: comment_unit"),
        (
            "ALTER TABLE comment DROP CONSTRAINT comment_unit_id_fkey",
            "constraint missing or changed: comment (comment_unit_id_fkey)",
        ),
        (
            "ALTER TABLE outbox DROP COLUMN claimed_by",
            "column missing or changed: outbox.claimed_by",
        ),
        (
            "ALTER TABLE unit ALTER COLUMN name DROP NOT NULL",
            "column missing or changed: unit.name",
        ),
        ("UPDATE drafter_schema SET version = 5", f"schema version 5, expected {last_migration()}"),
        (
            "ALTER TABLE comment DROP CONSTRAINT comment_unit_id_fkey; ALTER TABLE comment ADD "
            "CONSTRAINT comment_unit_id_fkey FOREIGN KEY (unit_id) REFERENCES unit (id) NOT VALID",
            "constraint not validated: comment (comment_unit_id_fkey)",
        ),
        (
            "UPDATE pg_index SET indisvalid = false WHERE indexrelid = 'outbox_queue'::regclass",
            "index invalid: outbox_queue",
        ),
    ],
)
def test_damage_done_by_hand_is_reported(pg_store, damage, reported):
    pg_store.pg.raw.execute(damage)
    result = pg_store.integrity()
    assert any(problem.startswith(reported) for problem in result.split("; ")), result
    assert not result.startswith("ok")


def test_without_amcheck_rights_the_result_says_the_indexes_were_not_checked(pg_url, pg_store):
    raw = pg_store.pg.raw
    raw.execute("DROP ROLE IF EXISTS plain_owner")
    raw.execute("CREATE ROLE plain_owner LOGIN")  # not a superuser: may not install amcheck
    database = raw.execute("SELECT current_database()").fetchone()[0]
    raw.execute(f"GRANT CREATE ON DATABASE {database} TO plain_owner")
    raw.execute("GRANT ALL ON SCHEMA public TO plain_owner")
    raw.execute("GRANT ALL ON ALL TABLES IN SCHEMA public TO plain_owner")
    url = pg_url.replace("postgresql://drafter@", "postgresql://plain_owner@")
    plain = open_store(url, migrate=False)
    try:
        result = plain.integrity()
    finally:
        plain.close()
    assert result.startswith("ok (indexes not checked: amcheck is not available (")
    assert "superuser" in result or "permission" in result


def test_check_db_prints_the_result_and_fails_on_a_problem(pg_url, pg_store):
    runner = CliRunner()
    done = runner.invoke(cli, ["--db", pg_url, "check-db"])
    assert done.exit_code == 0, done.output
    assert "Integrity: ok" in done.output
    pg_store.pg.raw.execute("DROP INDEX comment_unit")
    done = runner.invoke(cli, ["--db", pg_url, "check-db"])
    assert done.exit_code == 1
    assert "index missing or changed: comment_unit" in done.output


def test_check_db_on_sqlite(tmp_path):
    db = tmp_path / "drafter.sqlite"
    open_store(db).close()
    done = CliRunner().invoke(cli, ["--db", str(db), "check-db"])
    assert done.exit_code == 0, done.output
    assert "Integrity: ok" in done.output


def test_the_role_of_the_test_server_is_a_superuser(pg_url):
    """What the first test relies on to say that amcheck ran."""
    with psycopg.connect(pg_url) as conn:
        assert conn.execute(
            "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
        ).fetchone()[0]


def test_check_db_on_sqlite_reports_a_broken_foreign_key(tmp_path):
    import sqlite3

    db = tmp_path / "drafter.sqlite"
    open_store(db).close()
    with sqlite3.connect(db) as conn:  # foreign keys not enforced on this connection
        conn.execute(
            "INSERT INTO invitation (user_id, token_hash, created_at, expires_at) "
            "VALUES (999, 'x', '2026-01-01', '2026-02-01')"
        )
    done = CliRunner().invoke(cli, ["--db", str(db), "check-db"])
    assert done.exit_code == 1
    assert "foreign key broken: invitation row 1 -> user" in done.output
