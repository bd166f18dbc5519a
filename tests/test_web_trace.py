"""Answers traced into the next version, through the web layer: the dashboard's counts and
links, the comment list filtered by state, and the unit's page of what became of its
comments (Flask's test client on a real SQLite file)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from html import unescape

import pytest

from drafter import answering, consulting
from drafter.storage import open_store

from .consultation_fixture import ROOT, login

NOW = datetime.now(UTC).replace(microsecond=0).isoformat()
REJECTED_BUT_APPLIED = next(
    c["proposed_text"]
    for c in json.loads((ROOT / "comments" / "gop-y-du-thao-1.json").read_text("utf-8"))["comments"]
    if str(c.get("article")) == "11" and str(c.get("clause")) == "4"
)


@pytest.fixture
def traced(world):
    """Quảng Nam proposes version 2's wording of Điều 11 khoản 4 (answered "not accepted")
    and a wording version 2 does not take on Điều 3 khoản 1 (accepted); both published."""
    store = open_store(world.db_path)
    try:
        lead = store.get_user(world.users["qn-lead"])
        organizer = store.get_user(world.users["organizer"])
        consultation = store.get_consultation(world.consultation_id)
        ids = [
            consulting.add_comment(
                store,
                lead,
                consultation,
                key=key,
                kind="new_wording",
                text="Đề nghị sửa.",
                proposed_text=proposed,
                now=NOW,
            )  # fmt: skip
            for key, proposed in (
                ("chuong-3/dieu-11/khoan-4", REJECTED_BUT_APPLIED),
                ("chuong-1/dieu-3/khoan-1", "Một câu chữ mà dự thảo 2 không có 91c2."),
            )
        ]
        consulting.submit(store, lead, consultation, no_comments=False, now=NOW)
        for comment_id, status in zip(ids, ("rejected", "accepted"), strict=True):
            consulting.answer(
                store, organizer, comment_id, status=status, explanation="Giải trình.", now=NOW
            )
        answering.publish_answers(store, organizer, world.consultation_id, unit_id=None, now=NOW)
    finally:
        store.close()
    return ids


def text_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return unescape(response.get_data(as_text=True))


def test_dashboard_counts_each_state_with_a_link(app, world, traced):
    page = text_of(login(app, "organizer").get(f"/admin/c/{world.consultation_id}"))
    assert 'id="trace"' in page
    for state, count in (("applied_rejected", 1), ("accepted_not_applied", 1), ("applied", 0)):
        link = f'href="/admin/c/{world.consultation_id}/comments?traced={state}"'
        assert link in page
        assert f"</a>: <strong>{count}</strong>" in page.split(link, 1)[1][:200]


def test_comment_list_filtered_by_traced_state(app, world, traced):
    client = login(app, "organizer")
    c = world.consultation_id
    page = text_of(client.get(f"/admin/c/{c}/comments?traced=applied_rejected"))
    assert f'id="row-{traced[0]}"' in page
    assert f'id="row-{traced[1]}"' not in page
    assert "Điều 12, khoản 4" in page  # where the wording now is
    page = text_of(client.get(f"/admin/c/{c}/comments?traced=accepted_not_applied"))
    assert f'id="row-{traced[1]}"' in page
    assert f'id="row-{traced[0]}"' not in page
    bad = client.get(f"/admin/c/{c}/comments?traced=everything")
    assert bad.status_code == 400


def test_the_unit_page_says_what_became_of_each_proposal(app, world, traced):
    page = text_of(login(app, "qn-lead").get(f"/c/{world.consultation_id}/answers"))
    assert page.count('class="badge trace-') == 2
    assert 'class="badge trace-applied_rejected"' in page
    assert "Điều 12, khoản 4" in page
    assert 'class="badge trace-accepted_not_applied"' in page
    # The organizer's preview of the same page shows the same.
    preview = login(app, "organizer").get(
        f"/admin/c/{world.consultation_id}/units/{world.units['quang-nam']}/answers"
    )
    assert 'class="badge trace-applied_rejected"' in text_of(preview)


def test_no_later_version_no_trace(tmp_path):
    from drafter import accounts
    from drafter.importing import import_file

    from .consultation_fixture import make_app

    store = open_store(tmp_path / "one.sqlite")
    v1 = import_file(store, ROOT / "drafts" / "quy-dinh-dang-doan-v1.md")
    accounts.create_organizer(store, "organizer", "Ban Tổ chức", "correct horse battery")
    with store.transaction():
        c = store.create_consultation(
            v1.version.id, "Một phiên bản", opens_at=NOW, deadline="2999-01-01T00:00:00+00:00",
            unit_ids=[], now=NOW,
        )  # fmt: skip
    store.close()
    client = login(make_app(tmp_path / "one.sqlite"), "organizer")
    assert 'id="trace"' not in text_of(client.get(f"/admin/c/{c}"))
    assert "traced" not in text_of(client.get(f"/admin/c/{c}/comments"))


def test_the_unit_docx_says_where_the_wording_is(app, world, traced):
    from .docx_text import paragraphs

    data = login(app, "qn-lead").get(f"/c/{world.consultation_id}/answers.docx").get_data()
    body = "\n".join(paragraphs(data, accept=True))
    assert "Không tiếp thu nhưng đã thể hiện tại Điều 12, khoản 4 của dự thảo 2" in body
    assert "Tiếp thu nhưng chưa thể hiện trong dự thảo 2" in body
