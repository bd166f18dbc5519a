"""The organizer's comment list, a page at a time (issue 13: no page may grow with the
consultation): filtered by the database, 50 comments a page in document order, links to the
next and previous pages keeping the filters, and each filter the same set as filtering every
submitted comment in Python — on SQLite and PostgreSQL."""

from __future__ import annotations

import re

import pytest

from drafter import answering, consulting
from drafter.answering import LIST_PAGE
from drafter.storage import open_store
from drafter.storage.contract_lists import ListFilter

from .consultation_fixture import login

KEYS = ("chuong-1/dieu-3/khoan-1", "chuong-1/dieu-1/khoan-2", "chuong-2/dieu-4", None)
KINDS = ("comment", "question")


def _fill(store, world) -> list[int]:
    """Thái Nguyên: 90 comments over three provisions and the draft as a whole, two kinds;
    Quảng Nam: 12; both submitted; a third of Thái Nguyên's answered."""
    now = consulting.utc_now()
    consultation = store.get_consultation(world.consultation_id)
    organizer = store.get_user(world.users["organizer"])
    ids = []
    for name, count in (("tn-lead", 90), ("qn-lead", 12)):
        lead = store.get_user(world.users[name])
        for i in range(count):
            ids.append(
                consulting.add_comment(
                    store,
                    lead,
                    consultation,
                    key=KEYS[i % len(KEYS)],
                    kind=KINDS[i % 2],
                    text=f"Ý kiến {name} {i}",
                    proposed_text=None,
                    now=now,
                )  # fmt: skip
            )
        consulting.submit(store, lead, consultation, no_comments=False, now=now)
    for comment_id in ids[:90:3]:
        consulting.answer(
            store, organizer, comment_id, status="noted", explanation="Ghi nhận.", now=now
        )
    return ids


def _all_pages(store, consultation_id, wanted: ListFilter, size: int) -> list[int]:
    seen, offset = [], 0
    while True:
        page = store.submitted_comment_page(consultation_id, wanted, limit=size, offset=offset)
        seen += [c.id for c in page]
        if len(page) < size:
            return seen
        offset += size


def test_each_filter_in_sql_matches_filtering_every_comment(backend_world):
    store = open_store(backend_world.db_path)
    try:
        _fill(store, backend_world)
        c = backend_world.consultation_id
        everything = store.list_comments(c, submitted_only=True)
        assert len(everything) >= 102
        tn = backend_world.units["thai-nguyen"]
        cases = [
            (ListFilter(), lambda x: True),
            (ListFilter(unit_id=tn), lambda x: x.unit_id == tn),
            (ListFilter(kind="question"), lambda x: x.kind == "question"),
            (ListFilter(answered=True), lambda x: x.answer is not None),
            (ListFilter(answered=False), lambda x: x.answer is None),
            (ListFilter(general=True), lambda x: x.node_id is None),
            (ListFilter(unit_id=tn, kind="comment", answered=False), lambda x: (
                x.unit_id == tn and x.kind == "comment" and x.answer is None)),
        ]  # fmt: skip
        for wanted, keep in cases:
            expected = [x.id for x in everything if keep(x)]
            assert expected, wanted
            assert _all_pages(store, c, wanted, 7) == expected, wanted  # pages of 7: same order
            whole = store.submitted_comment_page(c, wanted, limit=None)
            assert [x.id for x in whole] == expected
            assert whole == [x for x in everything if keep(x)]  # the same comments, in full
    finally:
        store.close()


def test_the_web_list_pages_through_with_its_filters(app, world):
    store = open_store(world.db_path)
    ids = _fill(store, world)
    everything = [x.id for x in store.list_comments(world.consultation_id, submitted_only=True)]
    store.close()
    client = login(app, "organizer")
    base = f"/admin/c/{world.consultation_id}/comments"
    first = client.get(base).get_data(as_text=True)
    rows = [int(i) for i in re.findall(r'id="row-(\d+)"', first)]
    assert rows == everything[:LIST_PAGE]
    assert f"Ý kiến 1–{LIST_PAGE} trong tổng số {len(everything)}" in first
    assert 'rel="next"' in first
    assert 'rel="prev"' not in first
    seen, url = list(rows), re.search(r'rel="next" href="([^"]+)"', first)[1]
    while url:
        page = client.get(url.replace("&amp;", "&")).get_data(as_text=True)
        seen += [int(i) for i in re.findall(r'id="row-(\d+)"', page)]
        assert 'rel="prev"' in page
        found = re.search(r'rel="next" href="([^"]+)"', page)
        url = found[1] if found else None
    assert seen == everything  # every comment once, in document order
    # A filter is kept from page to page.
    tn = world.units["thai-nguyen"]
    text = client.get(f"{base}?answered=no&unit={tn}").get_data(as_text=True)
    link = re.search(r'rel="next" href="([^"]+)"', text)[1].replace("&amp;", "&")
    assert f"unit={tn}" in link  # 60 unanswered of Thái Nguyên: two pages
    assert "answered=no" in link
    later = [int(i) for i in re.findall(r'id="row-(\d+)"', client.get(link).get_data(as_text=True))]
    unanswered = {i for n, i in enumerate(ids[:90]) if n % 3}
    assert later == [i for i in everything if i in unanswered][LIST_PAGE:]
    # Answering from a later page answers what was chosen there.
    second = client.get(f"{base}?page=2").get_data(as_text=True)
    chosen = int(re.findall(r'id="row-(\d+)"', second)[0])
    reply = client.post(
        f"{base}?page=2",
        data={"comment_ids": [str(chosen)], "status": "accepted", "explanation": "Tiếp thu."},
    )
    assert reply.status_code == 302
    assert "page=2" in reply.headers["Location"]
    store = open_store(world.db_path)
    assert store.get_comment(chosen).answer.status == "accepted"
    store.close()


@pytest.mark.parametrize("page", ["0", "-3"])
def test_a_page_before_the_first_is_refused(app, world, page):
    reply = login(app, "organizer").get(f"/admin/c/{world.consultation_id}/comments?page={page}")
    assert reply.status_code == 400


def test_a_page_after_the_last_is_empty(app, world):
    reply = login(app, "organizer").get(f"/admin/c/{world.consultation_id}/comments?page=99")
    assert reply.status_code == 200
    assert 'id="row-' not in reply.get_data(as_text=True)
    assert 'rel="next"' not in reply.get_data(as_text=True)


def test_the_traced_filter_pages_too(world):
    store = open_store(world.db_path)
    _fill(store, world)
    organizer = store.get_user(world.users["organizer"])
    shown = answering.comment_list(
        store, organizer, world.consultation_id, answering.CommentFilter(page=3)
    )
    assert shown.first == 2 * LIST_PAGE + 1
    assert not shown.has_next
    store.close()


@pytest.mark.parametrize(
    "query", ["page=184467440737095518", "page=99999999999999999999", "unit=99999999999999999999"]
)
def test_a_number_past_64_bits_is_no_page_on_either_backend(backend_world, query):
    """A page (or unit) whose offset no 64-bit integer holds: "no such page" (404), as SQLite
    says it (an OverflowError), on PostgreSQL too — not a server error."""
    from .consultation_fixture import make_app

    app = make_app(backend_world.db_path)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    reply = login(app, "organizer").get(
        f"/admin/c/{backend_world.consultation_id}/comments?{query}"
    )
    assert reply.status_code == 404
