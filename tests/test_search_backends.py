"""Search gives the same hits on SQLite (FTS5) and PostgreSQL (full text search), for the
same stored texts: whole words, in order, ignoring case and Vietnamese diacritics."""

from __future__ import annotations

from drafter.importing import import_file
from drafter.storage import open_store

from .conftest import DRAFTS

QUERIES = [
    "quy che",
    "Quy chế",
    "QUY CHẾ",
    "quy-chế",
    "che quy",  # the order matters (across punctuation, as FTS5 reads it)
    "quy ch",  # whole words only
    "đảng",
    "Đảng ủy",
    "dang uy",
    "ban chấp hành",
    "điều 4",
    "2025",
    "của",
    "không có từ này",
    "thẩm quyền; trách nhiệm",
]


def _hits(store, query):
    return sorted((h.kind, h.ref_id, h.version_id) for h in store.search(query, limit=1000))


def test_the_same_hits_on_both_backends(tmp_path, pg_url):
    stores = [open_store(tmp_path / "search.sqlite"), open_store(pg_url)]
    try:
        for store in stores:
            first = import_file(store, DRAFTS / "quy-dinh-dang-doan-v1.md")
            import_file(store, DRAFTS / "quy-dinh-dang-doan-v2.md", draft_id=first.draft.id)
        lite, pg = stores
        assert [n.id for n in lite.iter_articles(1)] == [n.id for n in pg.iter_articles(1)]
        found = 0
        for query in QUERIES:
            hits = _hits(lite, query)
            assert _hits(pg, query) == hits, query
            found += bool(hits)
        assert found >= 8  # most queries find something: the comparison is not empty
        assert _hits(lite, "quy ch") == []
        assert _hits(lite, "quy che") == _hits(lite, "QUY CHẾ")
    finally:
        for store in stores:
            store.close()


def test_postgresql_connections_do_not_jit_compile(pg_url):
    """A search over many rows has a high estimated cost: PostgreSQL's JIT compiled it for
    0.5 s before running it (a million comments); drafter's connections turn JIT off."""
    store = open_store(pg_url)
    try:
        assert store.conn.execute("SHOW jit").fetchone()[0] == "off"
    finally:
        store.close()
