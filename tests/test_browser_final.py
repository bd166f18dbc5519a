"""Real-browser tests of the final steps (Playwright + Chromium, the app served over HTTP, CSRF
on): extending the deadline for one unit, closing after a confirmation and reopening, the
submit confirmation page, publishing answers, and the unit's "what became of our comments"
page with its DOCX.  The fixtures and helpers are tests/test_browser.py's."""

# ruff: noqa: F811  (the fixtures imported from test_browser are the tests' arguments)
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

pytest.importorskip("playwright.sync_api")
from playwright.sync_api import expect  # noqa: E402

from drafter.storage import open_store  # noqa: E402

from .docx_text import paragraphs  # noqa: E402
from .test_browser import (  # noqa: E402, F401  (fixtures, used by name)
    DIEU_3,
    base_url,
    browser,
    comments,
    log_in,
    new_page,
    path_of,
    pytestmark,
    seed_comment,
    shoot,
    submit_response,
)


def local(delta: timedelta) -> str:
    """A wall-clock time in the app's zone, as a datetime-local field takes it."""
    zone = ZoneInfo("Asia/Ho_Chi_Minh")
    return (datetime.now(UTC) + delta).astimezone(zone).strftime("%Y-%m-%dT%H:%M")


def let_deadline_pass(world) -> None:
    store = open_store(world.db_path)
    try:
        past = (datetime.now(UTC) - timedelta(hours=1)).replace(microsecond=0).isoformat()
        with store.transaction():
            store.set_deadline(world.consultation_id, past)
    finally:
        store.close()


def test_one_units_deadline_closing_and_reopening(new_page, world):
    cid = world.consultation_id
    tn = world.units["thai-nguyen"]
    let_deadline_pass(world)

    organizer = new_page()
    log_in(organizer, "organizer")
    organizer.goto(f"/admin/c/{cid}")
    organizer.click(f"main a[href='/admin/c/{cid}/deadlines']")
    assert path_of(organizer) == f"/admin/c/{cid}/deadlines"
    organizer.select_option("#extend-unit", str(tn))
    organizer.fill("#extend-deadline", local(timedelta(days=2)))
    organizer.click("#extend-form button[type=submit]")
    organizer.wait_for_load_state()
    expect(organizer.locator("p.flash.error")).to_have_count(0)
    expect(organizer.locator("#deadline-changes li")).to_have_count(1)
    expect(organizer.locator("#deadline-changes")).to_contain_text("Tỉnh ủy Thái Nguyên")
    row = organizer.locator("#unit-deadlines tr", has_text="Tỉnh ủy Thái Nguyên")
    expect(row.locator(".badge")).to_have_count(1)  # its own deadline
    shoot(organizer, "organizer-deadlines.png")

    # Thái Nguyên may write again; Quảng Nam's pages stay read-only.
    tn_page = new_page()
    log_in(tn_page, "tn-member")
    tn_page.goto(f"/c/{cid}/a/{DIEU_3}")
    expect(tn_page.locator("#comment-form")).to_be_visible()
    qn_page = new_page()
    log_in(qn_page, "qn-lead")
    qn_page.goto(f"/c/{cid}/a/{DIEU_3}")
    expect(qn_page.locator("#comment-form")).to_have_count(0)
    expect(qn_page.locator("p.notice[role=status]")).to_be_visible()

    # Closing: a link to a page saying what will happen, then the confirmation.
    organizer.goto(f"/admin/c/{cid}")
    organizer.click(f"main a[href='/admin/c/{cid}/close']")
    assert path_of(organizer) == f"/admin/c/{cid}/close"
    expect(organizer.locator("#close-waiting li")).to_have_count(2)
    shoot(organizer, "organizer-confirm-close.png")
    organizer.click(f"form[action='/admin/c/{cid}/close'] button[type=submit]")
    organizer.wait_for_load_state()
    assert path_of(organizer) == f"/admin/c/{cid}"
    tn_page.reload()
    expect(tn_page.locator("#comment-form")).to_have_count(0)

    # Reopening with a new deadline.
    organizer.click(f"main a[href='/admin/c/{cid}/deadlines']")
    organizer.fill("#reopen-deadline", local(timedelta(days=7)))
    organizer.click("#reopen-form button[type=submit]")
    organizer.wait_for_load_state()
    assert path_of(organizer) == f"/admin/c/{cid}"
    expect(organizer.locator(f"main a[href='/admin/c/{cid}/close']")).to_be_visible()
    qn_page.reload()
    expect(qn_page.locator("#comment-form")).to_be_visible()  # everyone again


def test_submit_confirmation_publishing_and_the_units_answers(new_page, world):
    cid = world.consultation_id
    tn = world.units["thai-nguyen"]
    comment_id = seed_comment(world, "tn-member", DIEU_3, "comment", "Đề nghị làm rõ khoản 1.")
    seed_comment(world, "qn-lead", DIEU_3, "question", "Vì sao?", submit=True)

    lead = new_page()
    log_in(lead, "tn-lead")
    lead.goto(f"/c/{cid}")
    lead.click(f"main a[href='/c/{cid}/submit']")
    assert path_of(lead) == f"/c/{cid}/submit"
    expect(lead.locator("#what-will-be-sent")).to_contain_text("1")
    expect(lead.locator("main table tbody tr")).to_have_count(1)
    expect(lead.locator("main table")).to_contain_text("Đề nghị làm rõ khoản 1.")
    shoot(lead, "delegate-confirm-submit.png")
    assert comments(world, unit_id=tn, submitted_only=True) == []  # nothing sent yet
    lead.click(f"form[action='/c/{cid}/submit'] button[type=submit]")
    lead.wait_for_load_state()
    assert path_of(lead) == f"/c/{cid}"
    expect(lead.locator("#submitted-note")).to_contain_text("1 ý kiến")
    assert [c.id for c in comments(world, unit_id=tn, submitted_only=True)] == [comment_id]

    # The organizer answers; the unit sees nothing until the answers are published.
    organizer = new_page()
    log_in(organizer, "organizer")
    organizer.goto(f"/admin/c/{cid}/a/{DIEU_3}")
    card = organizer.locator(f"#comment-{comment_id}")
    card.locator("input[name=status][value=accepted]").check()
    card.locator("textarea[name=explanation]").fill("Đã làm rõ tại khoản 1.")
    card.locator("form.answer-form button[type=submit]").click()
    organizer.wait_for_load_state()
    expect(card.locator(".badge.unpublished")).to_be_visible()
    lead.click(f"main a[href='/c/{cid}/answers']")
    assert path_of(lead) == f"/c/{cid}/answers"
    expect(lead.locator(f"#comment-{comment_id} .answer")).to_have_count(0)

    # Publish Thái Nguyên's answers only, from the dashboard.
    organizer.goto(f"/admin/c/{cid}")
    row = organizer.locator("table tr", has_text="Tỉnh ủy Thái Nguyên")
    row.locator(f"form[action='/admin/c/{cid}/answers/publish'] button").click()
    organizer.wait_for_load_state()
    expect(organizer.locator("#publish-all")).to_have_count(0)  # nothing else waits

    lead.reload()
    answer = lead.locator(f"#comment-{comment_id} .answer.status-accepted")
    expect(answer).to_contain_text("Đã làm rõ tại khoản 1.")
    # The next version's wording of the article (the world holds version 2).
    expect(lead.locator(f"#comment-{comment_id} pre.new-wording")).to_contain_text("Điều")
    shoot(lead, "delegate-answers.png")
    with lead.expect_download() as download:
        lead.click(f"main a[href='/c/{cid}/answers.docx']")
    data = download.value.path().read_bytes()
    text = "\n".join(paragraphs(data, accept=True))
    assert "Đề nghị làm rõ khoản 1." in text
    assert "Tiếp thu. Đã làm rõ tại khoản 1." in text


def test_confirmation_pages_work_without_javascript(new_page, world):
    cid = world.consultation_id
    page = new_page(java_script_enabled=False)
    log_in(page, "qn-lead")
    page.goto(f"/c/{cid}")
    page.click(f"main a[href='/c/{cid}/no-comments']")
    page.click(f"form[action='/c/{cid}/no-comments'] button[type=submit]")
    page.wait_for_load_state()
    expect(page.locator("#submitted-note")).to_be_visible()
    seed_comment(world, "tn-lead", DIEU_3, "comment", "Không cần JavaScript.")
    page = new_page(java_script_enabled=False)
    log_in(page, "tn-lead")
    submit_response(page, cid)
    expect(page.locator("#submitted-note")).to_be_visible()
