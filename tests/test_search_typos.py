"""A search that finds nothing corrects its typos from the words of the index and searches
those, said on the page ("no exact match; results for …", translated), the same on SQLite
(FTS5's vocabulary) and PostgreSQL (pg_trgm); missing diacritics are not typos (they match
as they are); the vocabulary follows the index (PostgreSQL's trigger)."""

from __future__ import annotations

import re

import pytest

from drafter import spelling
from drafter.importing import import_file
from drafter.storage import open_store

from .conftest import DRAFTS
from .consultation_fixture import PASSWORD

#: (typed, what the search should look for instead) on the sample drafts.
TYPOS = [
    ("quy chê lam viec", None),  # diacritics missing or wrong: found as typed, no correction
    ("quy ceh", "quy che"),  # two letters swapped
    ("qy che", "quy che"),  # a letter missing
    ("quyy che", "quy che"),  # a letter added
    ("thâm quyen", None),
    ("thamm quyen", "tham quyen"),
    ("trach nhiem", None),
    ("trahc nhiem", "trach nhiem"),
]


def test_the_edit_distance_counts_swaps_as_one():
    assert spelling.distance("quy", "quy") == 0
    assert spelling.distance("ceh", "che") == 1  # swapped
    assert spelling.distance("qy", "quy") == 1  # missing
    assert spelling.distance("nguoi", "nugoi") == 1
    assert spelling.distance("abc", "") == 3
    assert spelling.distance("kitten", "sitting") == 3


class Words:
    """A vocabulary of words and their rows, for the ranking alone (the stores' own are
    tested below on real databases)."""

    def __init__(self, rows):
        self.rows = rows

    def word_candidates(self, word, *, limit=100):
        return list(self.rows)

    def word_rows(self, words, *, cap=1000):
        return {w: min(self.rows.get(w, 0), cap) for w in words}


def test_closest_prefers_fewer_edits_then_the_first_letter_then_the_commoner_word():
    words = Words({"toi": 5, "tio": 1, "hoi": 50, "tui": 9, "tot": 2})
    assert spelling.closest("toi", words) == "toi"  # indexed: kept
    assert spelling.closest("toj", words) == "toi"  # 1 edit, same first letter, commonest
    assert spelling.closest("xoi", words) == "hoi"  # 1 edit each: the commonest
    assert spelling.closest("txyz", words) is None  # too far for a short word
    assert spelling.closest("toi", Words({"toi": 0, "tot": 3})) == "tot"  # no row holds it


def test_correct_leaves_numbers_and_gives_none_when_nothing_changes():
    words = Words({"dieu": 9, "quy": 4, "che": 4})
    assert spelling.correct("Điều 4", words) is None
    assert spelling.correct("dieuu 4", words) == "dieu 4"
    assert spelling.correct("quy che", words) is None
    assert spelling.correct("zzzzzz", words) is None  # no near word: no correction


@pytest.fixture(scope="module")
def both(tmp_path_factory, pg_server):
    url = pg_server.fresh_database()
    stores = [open_store(tmp_path_factory.mktemp("typos") / "s.sqlite"), open_store(url)]
    for store in stores:
        first = import_file(store, DRAFTS / "quy-dinh-dang-doan-v1.md")
        import_file(store, DRAFTS / "quy-dinh-dang-doan-v2.md", draft_id=first.draft.id)
    yield stores
    for store in stores:
        store.close()
    pg_server.drop(url)


@pytest.mark.parametrize(("typed", "expected"), TYPOS)
def test_the_same_correction_on_both_backends(both, typed, expected):
    lite, pg = both
    for store in both:
        if expected is None:
            assert store.search(typed), typed  # found as typed
        else:
            assert not store.search(typed)
        corrected = spelling.correct(typed, store)
        assert corrected == (None if expected is None else expected), store
        if corrected:
            assert store.search(corrected)
    assert "quy" in lite.word_candidates("quy")
    assert pg.word_candidates("quy")[0] == "quy"
    assert lite.word_rows(["quy", "che", "zzz"]) == pg.word_rows(["quy", "che", "zzz"])
    assert lite.word_rows(["quy"])["quy"] > 1
    assert lite.word_rows(["quy"], cap=1) == pg.word_rows(["quy"], cap=1) == {"quy": 1}


def test_the_postgresql_vocabulary_follows_the_index(both):
    raw = both[1].pg.raw
    listed = "SELECT word FROM search_word ORDER BY word"
    indexed = "SELECT DISTINCT unnest(tsvector_to_array(words)) AS w FROM search_index ORDER BY w"
    assert raw.execute(listed).fetchall() == raw.execute(indexed).fetchall()
    raw.execute("BEGIN")
    try:
        raw.execute(
            "INSERT INTO search_index (rowid, body, kind, ref_id, version_id) "
            "VALUES (-999999, 'quy che zyxwv moi', 'comment', 999999, NULL)"
        )
        assert raw.execute(listed).fetchall() == raw.execute(indexed).fetchall()
        assert both[1].word_rows(["zyxwv"]) == {"zyxwv": 1}
        raw.execute("DELETE FROM search_index WHERE rowid = -999999")
        assert both[1].word_rows(["zyxwv"]) == {"zyxwv": 0}  # listed, but no row holds it
        assert spelling.closest("zyxwvv", both[1]) is None
    finally:
        raw.execute("ROLLBACK")


@pytest.fixture
def world(backend_world):
    return backend_world


def test_the_page_says_which_words_it_searched(app, world):
    client = app.test_client()
    response = client.post("/login", data={"username": "organizer", "password": PASSWORD})
    assert response.status_code == 302
    page = client.get("/admin/search?q=quy+ceh").get_data(as_text=True)
    assert "“quy ceh”" in page
    assert "“quy che”" in page
    links = re.findall(r'href="(/drafts/[^"]+)"', page)
    assert links
    assert all("q=quy+che" in link for link in links)
    assert "<mark>" in page
    exact = client.get("/admin/search?q=quy+che").get_data(as_text=True)
    assert "“quy ceh”" not in exact
    assert "“quy che”" not in exact  # found as typed: no notice
    nothing = client.get("/admin/search?q=zzzzzzzz+qqqqqq").get_data(as_text=True)
    assert "“zzzzzzzz qqqqqq”" not in nothing
    assert nothing.count("(0)") == 2


def test_corrections_come_in_order_and_the_words_around_choose():
    words = Words({"ban": 50, "cap": 40, "chap": 10, "hanh": 30})
    # "cahp" is one edit from "cap" (commoner) and from "chap" (swapped): both are tried.
    assert spelling.corrections("ban cahp hanh", words) == ["ban cap hanh", "ban chap hanh"]
    assert spelling.corrections("ban chap hanh", words) == []


def test_the_search_use_case_searches_the_corrected_words(both):
    from drafter.model import User
    from drafter.organizing.search import search

    for store in both:
        organizer = User(1, "organizer", "Organizer", "organizer", None, False, True)
        found = search(store, organizer, "thamm quyen")
        assert found.corrected == "tham quyen"
        assert found.articles
        assert all("<mark>" in str(s) for s in found.snippets.values())
        assert search(store, organizer, "zzzzzz qqqqq").corrected is None


def test_sqlite_keeps_its_vocabulary_a_while(tmp_path, monkeypatch):
    from drafter.storage.sqlite import audit

    store = open_store(tmp_path / "v.sqlite")
    try:
        import_file(store, DRAFTS / "quy-dinh-dang-doan-v1.md")
        assert "quy" in store.word_candidates("quy")
        store.conn.execute("DELETE FROM search_index")
        assert "quy" in store.word_candidates("quy")  # the kept list
        assert store.word_rows(["quy"]) == {"quy": 0}  # counted afresh: no longer offered
        assert spelling.closest("quyy", store) is None
        monkeypatch.setattr(audit, "VOCABULARY_SECONDS", 0.0)
        assert store.word_candidates("quy") == []  # read again
    finally:
        store.close()
