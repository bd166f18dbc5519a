"""The store on each backend: migrations, pragmas, versions, transactions, article matching."""

from __future__ import annotations

import sqlite3

import pytest

from drafter.errors import DraftImportError, NotFound
from drafter.importing import import_file
from drafter.storage import open_store
from drafter.storage.sqlite.connection import MIGRATIONS


def test_migrate_is_idempotent_and_versioned(db_path):
    store = open_store(db_path)
    files = sorted(MIGRATIONS.glob("[0-9][0-9][0-9][0-9]_*.sql"))
    latest = int(files[-1].name[:4])
    assert latest == len(files)  # numbered 0001, 0002, … without gaps
    assert store.schema_version() == latest
    assert store.migrate() == latest
    store.close()
    assert open_store(db_path).schema_version() == latest


@pytest.fixture
def store(backend_store):
    """A store of each backend in turn (tests/conftest.py: BACKENDS)."""
    return backend_store


def test_postgres_migrates_an_empty_database_once(pg_server):
    url = pg_server.empty_database()
    store = open_store(url)
    latest = len(list(MIGRATIONS.glob("[0-9][0-9][0-9][0-9]_*.sql")))
    assert store.schema_version() == latest
    assert store.migrate() == latest
    store.close()
    again = open_store(url)
    assert again.schema_version() == latest
    again.close()


def test_pragmas(db_path):
    store = open_store(db_path)
    conn = store.conn
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    with pytest.raises(sqlite3.IntegrityError), store.transaction():
        conn.execute(
            "INSERT INTO version (draft_id, number, title, source_name, source_sha256, "
            "imported_at) VALUES (999, 1, 't', 's', 'x', 'now')"
        )


def test_import_stores_article_by_article(store, sample_v1):
    result = import_file(store, sample_v1)
    tree = store.get_tree(result.version.id)
    articles = list(store.iter_articles(result.version.id))
    assert len(articles) == 16
    assert [n.kind for n in tree] == [
        "preamble",
        "chapter",
        "chapter",
        "chapter",
        "chapter",
        "closing",
    ]
    (article,) = store.find_articles(result.version.id, "4")
    assert article.key == "chuong-2/dieu-4"
    assert store.get_node(result.version.id, "chuong-2/dieu-4/khoan-1/diem-dd").number == "đ"
    # What was stored is what was parsed.
    parsed = [(n.kind, n.number, n.title, n.text, n.key) for n in result.parsed.walk()]
    stored = [(n.kind, n.number, n.title, n.text, n.key) for t in tree for n in t.walk()]
    assert stored == parsed


def test_second_version_keeps_both_and_links_articles(store, sample_v1, sample_v2):
    first = import_file(store, sample_v1)
    second = import_file(store, sample_v2, draft_id=first.draft.id)
    assert [v.number for v in store.list_versions(first.draft.id)] == [1, 2]
    assert len(list(store.iter_articles(first.version.id))) == 16  # version 1 untouched
    matches = {(m.old_number, m.new_number): m for m in store.get_matches(second.version.id)}
    assert second.matches == store.get_matches(second.version.id)
    # The mapping written down when the sample's version 2 was drafted.
    expected = {
        ("1", "1"): "unchanged", ("2", "2"): "unchanged", ("3", "3"): "unchanged",
        ("10", "4"): "unchanged", ("4", "5"): "changed", ("5", "6"): "unchanged",
        ("6", "7"): "unchanged", ("7", "8"): "changed", ("8", "9"): "changed",
        ("9", "10"): "changed", (None, "11"): "added", ("11", "12"): "changed",
        ("12", None): "removed", ("13", "13"): "changed", ("14", "14"): "unchanged",
        ("15", "15"): "unchanged", ("16", "16"): "changed",
    }  # fmt: skip
    assert {pair: m.status for pair, m in matches.items()} == expected
    assert matches[("10", "4")].moved
    assert matches[("10", "4")].renumbered
    assert not matches[("5", "6")].moved
    assert matches[("5", "6")].renumbered
    assert not matches[("14", "14")].renumbered
    # Order: the new version's order, the removed article after its old predecessor.
    order = [(m.old_number, m.new_number) for m in store.get_matches(second.version.id)]
    assert order.index(("12", None)) == order.index(("11", "12")) + 1


def test_failed_import_writes_nothing(store, sample_v1, tmp_path, monkeypatch):
    import_file(store, sample_v1)
    before = store.conn.execute(
        "SELECT (SELECT COUNT(*) FROM draft), (SELECT COUNT(*) FROM node)"
    ).fetchone()[:]
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(DraftImportError):
        import_file(store, bad)

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    # A failure in the middle of storing (after nodes were inserted) rolls everything back.
    monkeypatch.setattr(store, "add_matches", explode)
    with pytest.raises(RuntimeError):
        import_file(store, sample_v1, draft_id=1)
    after = store.conn.execute(
        "SELECT (SELECT COUNT(*) FROM draft), (SELECT COUNT(*) FROM node)"
    ).fetchone()[:]
    assert after == before
    assert [v.number for v in store.list_versions(1)] == [1]


def test_not_found(store):
    with pytest.raises(NotFound, match="no draft 7"):
        store.get_draft(7)
    draft_id = store.create_draft("x")
    with pytest.raises(NotFound, match="version 3"):
        store.get_version(draft_id, 3)
