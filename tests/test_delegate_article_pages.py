"""The delegates' article page, a page at a time: other units' shared submitted comments 50 a
page, grouped by provision with their counts (the organizer page's machinery), the unit's own
comments 50 a page; on every page exactly what the unpaginated listing showed: no comment of
the reader's own unit among the others, no unpublished answer.  On both backends."""

from __future__ import annotations

import re
from html import unescape

import pytest

from drafter import answering, consulting, organizing
from drafter.storage import open_store

from .consultation_fixture import login

ARTICLE = "chuong-1/dieu-3"
K1, K2, K3 = (f"{ARTICLE}/khoan-{n}" for n in (1, 2, 3))
PUBLISHED = "Đã công bố"
UNPUBLISHED = "Chưa công bố 5e2b"


@pytest.fixture
def world(backend_world):
    return backend_world


def _add(store, user, consultation, key, text):
    return consulting.add_comment(
        store, user, consultation, key=key, kind="comment", text=text, proposed_text=None,
        now=consulting.utc_now(),
    )  # fmt: skip


@pytest.fixture
def shared(world):
    """Thái Nguyên: 5 comments on the article, 10 on clause 1, 70 on clause 2; Quảng Nam: 2
    on the article, 3 on clause 2 (written among Thái Nguyên's), 2 on clause 3.  Both
    submitted, sharing on.  Three of Thái Nguyên's comments have published answers (one then
    answered again, unpublished); two more have unpublished answers only."""
    store = open_store(world.db_path)
    now = consulting.utc_now()
    consultation = store.get_consultation(world.consultation_id)
    tn = store.get_user(world.users["tn-lead"])
    qn = store.get_user(world.users["qn-lead"])
    organizer = store.get_user(world.users["organizer"])
    tn_ids: dict[str, list[int]] = {ARTICLE: [], K1: [], K2: []}
    qn_ids = [_add(store, qn, consultation, ARTICLE, f"Quảng Nam điều {i}") for i in range(2)]
    for i in range(70):
        tn_ids[K2].append(_add(store, tn, consultation, K2, f"Thái Nguyên khoản 2 số {i}"))
        if i in (10, 30, 50):
            qn_ids.append(_add(store, qn, consultation, K2, f"Quảng Nam khoản 2 số {i}"))
    for key, count in ((ARTICLE, 5), (K1, 10)):
        for i in range(count):
            tn_ids[key].append(_add(store, tn, consultation, key, f"Thái Nguyên {key} {i}"))
    qn_ids += [_add(store, qn, consultation, K3, f"Quảng Nam khoản 3 số {i}") for i in range(2)]
    consulting.submit(store, tn, consultation, no_comments=False, now=now)
    consulting.submit(store, qn, consultation, no_comments=False, now=now)
    published = [tn_ids[ARTICLE][0], tn_ids[K2][40], tn_ids[K2][69]]
    for n, comment_id in enumerate(published):
        answering.answer(
            store, organizer, comment_id, status="accepted", explanation=f"{PUBLISHED} {n}",
            now=now,
        )  # fmt: skip
    answering.publish_answers(
        store, organizer, world.consultation_id, unit_id=world.units["thai-nguyen"], now=now
    )
    for comment_id in (tn_ids[K1][0], tn_ids[K2][60], tn_ids[K2][69]):
        answering.answer(
            store, organizer, comment_id, status="partly", explanation=UNPUBLISHED, now=now
        )
    organizing.share_submitted(store, organizer, world.consultation_id, True, now)
    store.close()
    return world, tn_ids, qn_ids


def _cards(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'<article class="comment[^"]*" id="comment-(\d+)"', html)]


def _own_and_shared(html: str) -> tuple[list[int], list[int]]:
    own, _sep, shared = html.partition('class="shared-comments"')
    return _cards(own), _cards(shared)


def _counts(html: str) -> dict[str, str]:
    start = html.index('class="provision-counts"')
    nav = html[start : html.index("</nav>", start)]
    return dict(re.findall(r">([^<>]+)</(?:a|strong)>\s*<span class=\"count\">(\d+)</span>", nav))


def _links(html: str, base: str) -> set[str]:
    """The links of the page to other pages of the article's listings."""
    return {
        unescape(h).split("#")[0] for h in re.findall(rf'href="({re.escape(base)}\?[^"]+)"', html)
    }


def _crawl(client, base: str) -> dict[str, str]:
    """Every page of the article reachable from its first page by the listings' links."""
    seen: dict[str, str] = {}
    todo = [base]
    while todo:
        url = todo.pop()
        if url in seen:
            continue
        response = client.get(url)
        assert response.status_code == 200, url
        seen[url] = response.get_data(as_text=True)
        todo += sorted(_links(seen[url], base) - set(seen))
    return seen


def test_other_units_comments_fifty_a_page_by_provision_with_counts(shared, app):
    world, tn_ids, qn_ids = shared
    base = f"/c/{world.consultation_id}/a/{ARTICLE}"
    theirs = tn_ids[ARTICLE] + tn_ids[K1] + tn_ids[K2]  # document order, then by id
    reader = login(app, "qn-lead")
    first = reader.get(base)
    assert first.status_code == 200
    html = first.get_data(as_text=True)
    own, others = _own_and_shared(html)
    assert sorted(own) == sorted(qn_ids)  # the unit's own, above, all on one page
    assert others == theirs[:50]  # none of Quảng Nam's, though they sit among them
    assert _counts(html) == {"Điều 3": "5", "Điều 3, khoản 1": "10", "Điều 3, khoản 2": "70"}
    assert "Ý kiến đã gửi của các đơn vị khác về điều này: 85" in html
    assert "(70 ý kiến)" in html
    assert "Trang 1/2" in html
    assert f'href="{base}?page=2#shared"' in html
    second = reader.get(f"{base}?page=2").get_data(as_text=True)
    assert _own_and_shared(second)[1] == theirs[50:]
    assert _own_and_shared(reader.get(f"{base}?page=9").get_data(as_text=True))[1] == theirs[50:]
    alone = reader.get(f"{base}?p={K2}").get_data(as_text=True)
    assert _own_and_shared(alone)[1] == tn_ids[K2][:50]
    assert (
        _own_and_shared(reader.get(f"{base}?p={K2}&page=2").get_data(as_text=True))[1]
        == (tn_ids[K2][50:])
    )
    # Thái Nguyên reads Quảng Nam's seven on one page, and none of its own among them.
    tn_page = login(app, "tn-member").get(base).get_data(as_text=True)
    assert _own_and_shared(tn_page)[1] == qn_ids  # the article, clause 2, clause 3
    assert "comment-pages" not in tn_page.partition('class="shared-comments"')[2]


def test_a_unit_still_drafting_reads_the_same_pages(shared, app):
    """Quảng Nam withdraws its submission: none of its comments is listed any more, so the
    pages are the plain ones; the same comments, 50 a page."""
    world, tn_ids, qn_ids = shared
    store = open_store(world.db_path)
    qn = store.get_user(world.users["qn-lead"])
    consultation = store.get_consultation(world.consultation_id)
    consulting.withdraw_submission(store, qn, consultation, consulting.utc_now())
    store.close()
    theirs = tn_ids[ARTICLE] + tn_ids[K1] + tn_ids[K2]
    reader = login(app, "qn-lead")
    base = f"/c/{world.consultation_id}/a/{ARTICLE}"
    own, first = _own_and_shared(reader.get(base).get_data(as_text=True))
    assert sorted(own) == sorted(qn_ids)
    assert first == theirs[:50]
    assert _own_and_shared(reader.get(f"{base}?page=2").get_data(as_text=True))[1] == theirs[50:]


def test_every_page_shows_what_the_unpaginated_listing_showed(shared, app):
    """All pages together list exactly `consulting.visible_comments`' others, in its order,
    each with the answer it showed: published answers only."""
    world, tn_ids, _qn_ids = shared
    store = open_store(world.db_path)
    consultation = store.get_consultation(world.consultation_id)
    reader = store.get_user(world.users["qn-lead"])
    _own, expected = consulting.visible_comments(store, reader, consultation, article_key=ARTICLE)
    store.close()
    base = f"/c/{world.consultation_id}/a/{ARTICLE}"
    pages = _crawl(login(app, "qn-lead"), base)
    listed = [_own_and_shared(pages[base])[1], _own_and_shared(pages[f"{base}?page=2"])[1]]
    assert listed[0] + listed[1] == [c.id for c in expected]
    assert len(pages) >= 6  # the second page, each provision alone and its second page
    for url, html in pages.items():
        assert UNPUBLISHED not in html, url
    every = "".join(pages.values())
    for n in range(3):
        assert f"{PUBLISHED} {n}" in every  # the published wording, kept after the new answer
    answered = {c.id: c.answer.explanation for c in expected if c.answer}
    assert answered == {tn_ids[ARTICLE][0]: f"{PUBLISHED} 0", tn_ids[K2][40]: f"{PUBLISHED} 1",
                        tn_ids[K2][69]: f"{PUBLISHED} 2"}  # fmt: skip


def test_no_unpublished_answer_on_any_page_of_any_reader(shared, app):
    world, _tn_ids, _qn_ids = shared
    base = f"/c/{world.consultation_id}/a/{ARTICLE}"
    for name in (
        "tn-lead",
        "tn-member",
        "qn-lead",
    ):  # the answered unit, and the one it is shared with
        for url, html in _crawl(login(app, name), base).items():
            assert UNPUBLISHED not in html, (name, url)
    # The organizer reading the same page sees every submitted comment and the latest answers.
    organizer = _crawl(login(app, "organizer"), base)
    assert UNPUBLISHED in "".join(organizer.values())
    assert len(_own_and_shared(organizer[base])[1]) == 50


def test_without_sharing_no_other_unit_is_listed(shared, app):
    world, _tn_ids, qn_ids = shared
    store = open_store(world.db_path)
    organizer = store.get_user(world.users["organizer"])
    organizing.share_submitted(store, organizer, world.consultation_id, False, consulting.utc_now())
    store.close()
    html = login(app, "qn-lead").get(f"/c/{world.consultation_id}/a/{ARTICLE}?page=2")
    own, others = _own_and_shared(html.get_data(as_text=True))
    assert sorted(own) == sorted(qn_ids)
    assert others == []
    assert "shared-comments" not in html.get_data(as_text=True)


def test_the_units_own_comments_fifty_a_page_and_back_to_a_saved_one(app, world):
    lead = login(app, "tn-lead")
    base = f"/c/{world.consultation_id}/a/{ARTICLE}"
    store = open_store(world.db_path)
    consultation = store.get_consultation(world.consultation_id)
    tn = store.get_user(world.users["tn-lead"])
    ids = [_add(store, tn, consultation, K2, f"Bản nháp {i}") for i in range(54)]
    store.close()
    first = lead.get(base).get_data(as_text=True)
    assert _own_and_shared(first) == (ids[:50], [])
    assert "Ý kiến của đơn vị về điều này: 54; trang 1/2" in first
    assert f'href="{base}?mine=2#comments-heading"' in first
    assert _cards(lead.get(f"{base}?mine=2").get_data(as_text=True)) == ids[50:]
    response = lead.post(
        f"/c/{world.consultation_id}/comments",
        data={"article": ARTICLE, "target": K1, "kind": "comment", "text": "Ý kiến thứ 55"},
    )
    assert response.status_code == 302
    location = response.headers["Location"]
    new = int(location.rsplit("#comment-", 1)[1])
    assert location.endswith(f"{base}?comment={new}#comment-{new}")
    # clause 1 comes before clause 2: the new comment is on the first page, the last on the second
    assert new in _cards(lead.get(location).get_data(as_text=True))
    assert _cards(lead.get(f"{base}?comment={ids[-1]}").get_data(as_text=True)) == ids[49:]


def test_the_store_pages_a_units_own_comments_as_list_comments_lists_them(world):
    store = open_store(world.db_path)
    consultation = store.get_consultation(world.consultation_id)
    tn = store.get_user(world.users["tn-lead"])
    qn = store.get_user(world.users["qn-lead"])
    for i in range(4):
        for key in (K2, ARTICLE, K1):
            _add(store, tn, consultation, key, f"{key} {i}")
    _add(store, qn, consultation, K1, "Quảng Nam")
    _add(store, tn, consultation, "chuong-1/dieu-2", "another article")
    gone = _add(store, tn, consultation, K1, "withdrawn")
    consulting.withdraw_comment(store, tn, gone, consulting.utc_now())
    agreed = consulting.agree(store, tn, consultation, ARTICLE, consulting.utc_now())
    unit = world.units["thai-nguyen"]
    expected = store.list_comments(world.consultation_id, unit_id=unit, article_key=ARTICLE)
    assert len(expected) == 13
    cid = world.consultation_id
    kinds = store.own_article_kinds(cid, unit, ARTICLE)
    assert kinds == {"comment": 12, "agree": 1}
    assert agreed in [c.id for c in expected if c.kind == "agree"]
    ids = store.own_article_ids(cid, unit, ARTICLE, limit=50, offset=0)
    assert ids == [c.id for c in expected]
    for limit, offset in ((5, 0), (5, 5), (5, 10), (5, 13), (3, 11)):
        assert (
            store.own_article_ids(cid, unit, ARTICLE, limit=limit, offset=offset)
            == (ids[offset : offset + limit])
        )
    for at, comment_id in enumerate(ids):
        assert store.own_article_place(cid, unit, ARTICLE, comment_id) == at
    assert store.own_article_place(cid, unit, ARTICLE, gone) is None  # withdrawn: not listed
    others = store.list_comments(cid, unit_id=world.units["quang-nam"], article_key=ARTICLE)
    assert store.own_article_place(cid, unit, ARTICLE, others[0].id) is None
    pages = [store.latest_comments(ids[at : at + 5]) for at in (0, 5, 10)]
    assert [len(p) for p in pages] == [5, 5, 3]
    assert [c for page in pages for c in page] == expected
    assert store.latest_comments(list(reversed(ids))) == expected
    assert store.latest_comments([]) == []
    assert store.own_article_kinds(cid, unit, "chuong-9/dieu-99") == {}
    assert store.own_article_ids(cid, unit, "chuong-9/dieu-99", limit=50, offset=0) == []
    store.close()


def test_provision_names_follow_the_readers_language(shared, app):
    """Provision names are kept once translated: per language, so each reader gets theirs."""
    world, _tn_ids, _qn_ids = shared
    base = f"/c/{world.consultation_id}/a/{ARTICLE}"
    vietnamese, english = login(app, "qn-lead"), login(app, "tn-member")
    assert "Điều 3, khoản 2" in vietnamese.get(base).get_data(as_text=True)
    english.get("/lang/en")
    page = english.get(base).get_data(as_text=True)
    assert "Article 3, clause 2" in page
    assert "Điều 3, khoản 2" not in page
    assert "Điều 3, khoản 2" in vietnamese.get(base).get_data(as_text=True)
