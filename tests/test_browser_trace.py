"""In a real browser (headless chromium, over HTTP, strict CSP): the organizer answers a
proposal, then sees on the dashboard what became of the answers in version 2 of the draft
and follows a state's link to the comments in it."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect

from drafter import consulting
from drafter.storage import open_store

from .test_browser import (  # noqa: F401  (fixtures)
    CHROMIUM,
    base_url,
    browser,
    log_in,
    new_page,
    path_of,
)
from .test_web_trace import REJECTED_BUT_APPLIED


def COUNT(n: int) -> re.Pattern:  # noqa: N802
    """A state's line on the dashboard: its name, a colon, exactly `n`."""
    return re.compile(rf"^[^:]+:\s*{n}\s*$")


pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is absent")


def test_organizer_sees_traced_states_on_the_dashboard(new_page, world):  # noqa: F811
    store = open_store(world.db_path)
    now = datetime.now(UTC).replace(microsecond=0).isoformat()
    try:
        lead = store.get_user(world.users["qn-lead"])
        consultation = store.get_consultation(world.consultation_id)
        comment_id = consulting.add_comment(
            store, lead, consultation, key="chuong-3/dieu-11/khoan-4", kind="new_wording",
            text="Đề nghị sửa.", proposed_text=REJECTED_BUT_APPLIED, now=now,
        )  # fmt: skip
        consulting.submit(store, lead, consultation, no_comments=False, now=now)
    finally:
        store.close()
    c = world.consultation_id
    page = new_page()
    log_in(page, "organizer")
    page.goto(f"/admin/c/{c}")
    trace = page.locator("#trace")
    expect(trace).to_contain_text("dự thảo 2")
    expect(trace.locator("a.trace-unanswered")).to_be_visible()
    expect(trace.locator("li", has=page.locator("a.trace-unanswered"))).to_have_text(COUNT(1))
    # Answer it "not accepted" from the comment list.
    page.goto(f"/admin/c/{c}/comments")
    page.check(f"#pick-{comment_id}")
    page.locator("#bulk-answer input[name=status][value=rejected]").check()
    page.fill("#bulk-explanation", "Không tiếp thu vì đã quy định tại văn bản khác.")
    page.locator("#bulk-answer button[type=submit]:not([name])").click()
    page.goto(f"/admin/c/{c}")
    item = page.locator("#trace li", has=page.locator("a.trace-applied_rejected"))
    expect(item).to_have_text(COUNT(1))
    expect(page.locator("#trace li", has=page.locator("a.trace-unanswered"))).to_have_text(COUNT(0))
    item.locator("a").click()
    assert re.search(r"/comments\?traced=applied_rejected$", page.url)
    row = page.locator(f"#row-{comment_id}")
    expect(row).to_contain_text("Điều 12, khoản 4")
    expect(row.locator(".badge.trace-applied_rejected")).to_be_visible()
    assert path_of(page).endswith("/comments")
