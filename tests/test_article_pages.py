"""The organizer's article page, a page at a time: at most 50 comments, grouped by provision
with every provision's count (all pages), links to the other pages, a provision alone, and
the page that holds a given comment (after answering it, from the audit log)."""

from __future__ import annotations

import re

import pytest

from drafter import consulting
from drafter.storage import open_store

from .consultation_fixture import login

ARTICLE = "chuong-1/dieu-3"
K1, K2, K3 = (f"{ARTICLE}/khoan-{n}" for n in (1, 2, 3))


@pytest.fixture
def busy(world):
    """Thái Nguyên: 5 comments on the article, 10 on clause 1, 70 on clause 2; Quảng Nam: it
    agrees with the article and comments on clause 3 (contradictory). Both submitted; a
    comment withdrawn before Thái Nguyên's submission is not shown."""
    store = open_store(world.db_path)
    now = consulting.utc_now()
    consultation = store.get_consultation(world.consultation_id)
    tn = store.get_user(world.users["tn-lead"])
    qn = store.get_user(world.users["qn-lead"])
    ids: dict[str, list[int]] = {K1: [], K2: [], ARTICLE: [], K3: [], "agree": []}
    for key, count in ((K2, 70), (ARTICLE, 5), (K1, 10)):
        for i in range(count):
            ids[key].append(
                consulting.add_comment(
                    store,
                    tn,
                    consultation,
                    key=key,
                    kind="comment",
                    text=f"Ý kiến {i} về {key}",
                    proposed_text=None,
                    now=now,
                )  # fmt: skip
            )
    agreement = consulting.agree(store, qn, consultation, ARTICLE, now)
    ids["agree"].append(agreement)
    for i in range(3):
        ids[K3].append(
            consulting.add_comment(
                store,
                qn,
                consultation,
                key=K3,
                kind="comment",
                text=f"Quảng Nam {i}",
                proposed_text=None,
                now=now,
            )  # fmt: skip
        )
    unsent = consulting.add_comment(
        store, tn, consultation, key=K1, kind="comment", text="Rút trước khi gửi",
        proposed_text=None, now=now,
    )  # fmt: skip
    consulting.withdraw_comment(store, tn, unsent, now)
    consulting.submit(store, tn, consultation, no_comments=False, now=now)
    consulting.submit(store, qn, consultation, no_comments=False, now=now)
    store.close()
    return world, ids


def _cards(page: str) -> list[int]:
    return [int(n) for n in re.findall(r'<article class="comment[^"]*" id="comment-(\d+)"', page)]


def _counts(page: str) -> dict[str, str]:
    start = page.index('class="provision-counts"')
    nav = page[start : page.index("</nav>", start)]
    return dict(re.findall(r">([^<>]+)</(?:a|strong)>\s*<span class=\"count\">(\d+)</span>", nav))


def test_the_first_page_holds_fifty_comments_by_provision_with_every_count(busy, app):
    world, ids = busy
    organizer = login(app, "organizer")
    response = organizer.get(f"/admin/c/{world.consultation_id}/a/{ARTICLE}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    cards = _cards(page)
    assert len(cards) == 50
    # document order: the article itself (then by id), clause 1, clause 2 (its first 34)
    assert cards == ids[ARTICLE] + ids["agree"] + ids[K1] + ids[K2][:34]
    assert "Số ý kiến đã gửi về điều này: 89" in page  # 85 + the agreement + 3; not the draft
    assert _counts(page) == {"Điều 3": "6", "Điều 3, khoản 1": "10", "Điều 3, khoản 2": "70",
                             "Điều 3, khoản 3": "3"}  # fmt: skip
    headings = re.findall(r'<section class="provision-comments" aria-label="([^"]+)">', page)
    assert headings == ["Điều 3", "Điều 3, khoản 1", "Điều 3, khoản 2"]
    assert "(70 ý kiến)" in page  # the clause's count over all pages, beside its heading
    assert "Trang 1/2" in page
    assert f'href="/admin/c/{world.consultation_id}/a/{ARTICLE}?page=2"' in page
    assert "Rút trước khi gửi" not in page
    # Quảng Nam agrees and comments: named once, at the top
    assert "Mâu thuẫn: các đơn vị này vừa nhất trí" in page
    assert "Tỉnh ủy Quảng Nam" in page[page.index("Mâu thuẫn") :][:400]


def test_the_other_pages_a_provision_alone_and_the_page_of_a_comment(busy, app):
    world, ids = busy
    organizer = login(app, "organizer")
    base = f"/admin/c/{world.consultation_id}/a/{ARTICLE}"
    second = organizer.get(f"{base}?page=2").get_data(as_text=True)
    assert _cards(second) == ids[K2][34:] + ids[K3]  # the other 39
    assert 'rel="prev"' in second
    assert "Trang 2/2" in second
    # past the last page: the last page, not an error
    assert _cards(organizer.get(f"{base}?page=99").get_data(as_text=True)) == _cards(second)
    assert _cards(organizer.get(f"{base}?page=x").get_data(as_text=True))[0] == ids[ARTICLE][0]
    alone = organizer.get(f"{base}?p={K2}").get_data(as_text=True)
    assert _cards(alone) == ids[K2][:50]
    assert "Trang 1/2" in alone
    assert f"?p={K2.replace('/', '%2F')}&amp;page=2" in alone or f"?p={K2}&amp;page=2" in alone
    # an unknown provision: the whole article
    assert len(_cards(organizer.get(f"{base}?p=chuong-9").get_data(as_text=True))) == 50
    # the page that holds a comment
    last = ids[K3][-1]
    assert last in _cards(organizer.get(f"{base}?comment={last}").get_data(as_text=True))
    assert ids[K1][0] in _cards(
        organizer.get(f"{base}?comment={ids[K1][0]}").get_data(as_text=True)
    )


def test_answering_a_comment_on_the_second_page_comes_back_to_it(busy, app):
    world, ids = busy
    organizer = login(app, "organizer")
    comment_id = ids[K2][-1]
    response = organizer.post(
        f"/admin/comments/{comment_id}/answer",
        data={"status": "accepted", "explanation": "Tiếp thu."},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"?comment={comment_id}#comment-{comment_id}")
    page = organizer.get(response.headers["Location"]).get_data(as_text=True)
    assert comment_id in _cards(page)
    assert "Trang 2/2" in page
    assert "Tiếp thu." in page


def test_messages_waiting_for_the_next_page_stay_few(app, world):
    """A delegate who posts without reading the page after each (a script, many tabs): the
    session cookie keeps the latest messages only, well under the 4 KB browsers keep."""
    lead = login(app, "tn-lead")
    for i in range(40):
        response = lead.post(
            f"/c/{world.consultation_id}/comments",
            data={"target": ARTICLE, "kind": "comment", "text": f"Ý kiến số {i}"},
        )
        assert response.status_code == 302
    cookie = lead.get_cookie("session")
    assert cookie is not None
    assert len(cookie.value) < 1500
    page = lead.get(f"/c/{world.consultation_id}/a/{ARTICLE}").get_data(as_text=True)
    assert 1 <= page.count("Ý kiến của đồng chí đã được lưu") <= 5
