"""In a real browser with JavaScript OFF (headless chromium, over HTTP): a delegate pages
through the other units' shared comments by their links, next page and a provision alone."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from .test_browser import (  # noqa: F401  (fixtures)
    CHROMIUM,
    base_url,
    browser,
    log_in,
    new_page,
)
from .test_delegate_article_pages import ARTICLE, K2, UNPUBLISHED, shared  # noqa: F401

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is absent")


def test_a_delegate_pages_through_shared_comments_without_javascript(new_page, shared):  # noqa: F811
    world, tn_ids, _qn_ids = shared
    page = new_page(java_script_enabled=False)
    log_in(page, "qn-lead")
    page.goto(f"/c/{world.consultation_id}/a/{ARTICLE}")
    listing = page.locator("section.shared-comments")
    expect(listing.locator("article.comment")).to_have_count(50)
    expect(listing.locator(".provision-counts li")).to_have_count(4)  # all, and 3 provisions
    listing.locator(".comment-pages a[rel=next]").click()
    page.wait_for_load_state()
    assert parse_qs(urlsplit(page.url).query) == {"page": ["2"]}
    assert urlsplit(page.url).fragment == "shared"
    expect(listing.locator("article.comment")).to_have_count(35)
    expect(listing.locator(".comment-pages [aria-current=page]")).to_have_text("2")
    listing.locator(".provision-counts a", has_text="khoản 2").click()
    page.wait_for_load_state()
    assert parse_qs(urlsplit(page.url).query) == {"p": [K2]}
    cards = listing.locator("article.comment")
    expect(cards).to_have_count(50)
    expect(cards.first).to_have_attribute("id", f"comment-{tn_ids[K2][0]}")
    expect(page.locator("body")).not_to_contain_text(UNPUBLISHED)


def test_the_paged_listings_have_no_serious_accessibility_violation(new_page, shared):  # noqa: F811
    from .test_accessibility import AXE, _violations

    world, _tn_ids, _qn_ids = shared
    assert AXE.exists(), f"{AXE} is missing: `make test` installs axe-core with npm"
    page = new_page(bypass_csp=True)
    log_in(page, "qn-lead")
    base = f"/c/{world.consultation_id}/a/{ARTICLE}"
    problems = []
    for url in (base, f"{base}?page=2", f"{base}?p={K2}&page=2"):
        problems += _violations(page, url)
    assert problems == []
