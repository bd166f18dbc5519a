"""Search finds what was asked: whole words in order, insensitive to accents and case, with a
marked snippet, and the words marked on the opened page — the same hits on each backend."""

from __future__ import annotations

import importlib
import re
from dataclasses import astuple

import pytest

from drafter import highlight
from drafter.normalize import fold_diacritics

from .consultation_fixture import PASSWORD


@pytest.fixture
def world(backend_world):
    """The consultation world on each backend in turn (tests/conftest.py)."""
    return backend_world


def test_words_match_whole_and_in_order_ignoring_accents():
    text = "Ban hành Quy chế làm việc; quyết định chế độ phụ cấp."
    assert [text[s:e] for s, e in highlight.spans(text, "quy che")] == ["Quy chế"]
    assert highlight.spans(text, "che quy") == []  # order matters
    assert highlight.spans("quyết định chế độ", "quy che") == []  # no prefix hits
    assert [text[s:e] for s, e in highlight.spans(text, "CHE DO")] == ["chế độ"]
    party = "Đảng ủy, đảng đoàn"
    assert [party[s:e] for s, e in highlight.spans(party, "dang")] == ["Đảng", "đảng"]


def test_snippet_is_escaped_and_marked_around_the_match():
    text = "<b>x</b> " + "từ " * 100 + "quy chế làm việc " + "khác " * 100
    snip = str(highlight.snippet(text, "quy che", width=80))
    assert "<mark>quy chế</mark>" in snip
    assert "<b>" not in snip  # escaped, never markup from the text
    assert snip.startswith("…")
    assert snip.endswith("…")
    assert len(re.sub(r"<[^>]+>", "", snip)) <= 84


def test_marking_html_touches_text_only():
    html = '<p title="quy chế">Điều này: <em>Quy chế</em> &amp; quy chế</p>'
    out = str(highlight.mark_html(html, "quy che"))
    assert out == (
        '<p title="quy chế">Điều này: <em><mark>Quy chế</mark></em> &amp; <mark>quy chế</mark></p>'
    )
    assert str(highlight.mark_html("<p>a &lt;script&gt;</p>", "script")) == (
        "<p>a &lt;<mark>script</mark>&gt;</p>"
    )


def _organizer(app):
    client = app.test_client()
    response = client.post("/login", data={"username": "organizer", "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_quy_che_finds_only_articles_holding_those_words(app, world):
    from drafter.storage import open_store

    store = open_store(world.db_path)
    folded = {}
    for number in (1, 2):
        version = store.get_version(world.draft_id, number)
        for article in store.iter_articles(version.id):
            folded[number, article.key] = fold_diacritics(article.full_text())
    store.close()
    phrase = {k for k, t in folded.items() if re.search(r"\bquy\W+che\b", t)}
    loose = {k for k, t in folded.items() if re.search(r"\bquy", t) and re.search(r"\bche", t)}
    assert phrase, "the sample draft speaks of a quy chế"
    assert loose - phrase, "and has articles with quyết … chế elsewhere (false hits before)"
    client = _organizer(app)
    page = client.get("/admin/search?q=quy+che").get_data(as_text=True)
    hrefs = re.findall(r'href="(/drafts/[^"]+)"', page)
    found = {
        (int(m[1]), m[2])
        for m in (re.match(r"/drafts/\d+/v(\d+)/articles/([^?]+)", h) for h in hrefs)
        if m
    }
    assert found == phrase
    snippets = re.findall(r'<p class="snippet">(.*?)</p>', page, re.S)
    assert len(snippets) >= len(hrefs)
    assert all("<mark>" in s for s in snippets[: len(hrefs)])
    for href in hrefs:
        article = client.get(href.replace("&amp;", "&"))
        assert article.status_code == 200
        marks = re.findall(r"<mark>(.*?)</mark>", article.get_data(as_text=True))
        assert marks, href
        assert all(re.fullmatch(r"(?i)quy\s+chế", m) for m in marks), marks


def test_words_in_very_many_rows_list_the_newest_first(app, world, monkeypatch):
    """Past RANKED_AT_MOST rows holding the query's rarest word, hits come newest first —
    articles of the latest version, then the newest comments — at a cost bounded by the page,
    not by the hits, and the page says so; the same hits as ranked."""
    from drafter import consulting
    from drafter.organizing import on_behalf
    from drafter.storage import open_store

    searching = importlib.import_module("drafter.organizing.search")
    store = open_store(world.db_path)
    organizer = store.get_user(world.users["organizer"])
    unit = world.units["thai-nguyen"]
    for i in range(4):
        on_behalf.add_comment_for_unit(
            store, organizer, world.consultation_id, unit, key=None, kind="comment",
            text=f"Đề nghị sửa quy chế, ý {i}.", proposed_text=None, now=consulting.utc_now(),
        )  # fmt: skip
    on_behalf.submit_for_unit(
        store, organizer, world.consultation_id, unit, no_comments=False, letter=None,
        now=consulting.utc_now(),
    )  # fmt: skip
    ranked = store.search("quy che", limit=1000)
    newest = store.search("quy che", limit=1000, newest_first=True)
    assert sorted(map(astuple, newest)) == sorted(map(astuple, ranked))
    kinds = [hit.kind for hit in newest]
    assert kinds == sorted(kinds)  # the articles, then the comments
    articles = [hit for hit in newest if hit.kind == "article"]
    comments = [hit.ref_id for hit in newest if hit.kind == "comment"]
    assert len(articles) >= 3
    assert len(comments) == 4
    versions = [store.get_version(world.draft_id, n).id for n in (1, 2)]
    order = [hit.version_id for hit in articles]
    assert order == sorted(order, key=versions.index, reverse=True)  # version 2 indexed last
    assert comments == sorted(comments, reverse=True)  # the newest comment first
    assert store.search("quy che", limit=2, newest_first=True) == [*articles[:2], *newest[-4:-2]]
    held = store.word_rows(["quy", "che"], cap=1000)
    store.close()
    client = _organizer(app)
    page = client.get("/admin/search?q=quy+che").get_data(as_text=True)
    assert not _newest_notice(page)
    monkeypatch.setattr(searching, "RANKED_AT_MOST", min(held.values()) - 1)
    page = client.get("/admin/search?q=quy+che").get_data(as_text=True)
    assert _newest_notice(page)
    assert re.findall(r"#comment-(\d+)", page) == [str(c) for c in comments]
    hrefs = re.findall(r'href="/drafts/\d+/v(\d+)/articles/', page)
    assert len(hrefs) == len(articles)
    assert hrefs == sorted(hrefs, reverse=True)
    # Words that common but a phrase nothing holds: no notice over empty lists.
    page = client.get("/admin/search?q=quy+quy+che").get_data(as_text=True)
    assert not _newest_notice(page)


def _newest_notice(page: str) -> bool:
    """Whether the page says the hits are listed newest first (in English or Vietnamese)."""
    return any(
        notice in page
        for notice in ("newest matches are listed first", "kết quả mới nhất được liệt kê trước")
    )
