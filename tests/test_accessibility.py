"""Accessibility: axe-core (the npm package, installed locally by `make test` into
var/node/, never from a CDN) runs in the real browser on every main page of both roles and of
the signed-out visitor; no serious or critical violation is allowed.  The fixtures and
helpers are tests/test_browser.py's."""

# ruff: noqa: F811  (the fixtures imported from test_browser are the tests' arguments)
from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("playwright.sync_api")

from .test_browser import (  # noqa: E402, F401  (fixtures, used by name)
    DIEU_3,
    base_url,
    browser,
    log_in,
    new_page,
    pytestmark,
    seed_comment,
)

AXE = Path(__file__).resolve().parent.parent / "var/node/node_modules/axe-core/axe.min.js"

SIGNED_OUT = ["/login", "/forgot"]
ORGANIZER = [
    "/admin/",
    "/admin/c/{c}",
    f"/admin/c/{{c}}/a/{DIEU_3}",
    "/admin/c/{c}/units/{qn}",
    "/admin/c/{c}/comments",
    "/admin/c/{c}/deadlines",
    "/admin/c/{c}/close",
    "/admin/units",
    "/admin/roster",
    "/admin/upload",
    "/admin/consultations/new",
    "/admin/answer-templates",
    "/admin/outbox",
    "/admin/search?q=quy+che",
    "/admin/audit",
    "/drafts/{draft}",
    "/account/password",
]
DELEGATE = [
    "/c/",
    "/c/{c}",
    f"/c/{{c}}/a/{DIEU_3}",
    "/c/{c}/submit",
    "/c/{c}/answers",
    "/account/password",
]

RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}));
}"""


def _violations(page, url: str) -> list[dict]:
    response = page.goto(url)
    assert response is not None
    assert response.status == 200, url
    page.evaluate(AXE.read_text(encoding="utf-8"))  # the page's CSP is bypassed for axe only
    found = page.evaluate(RUN_AXE)
    return [dict(v, url=url) for v in found if v["impact"] in ("serious", "critical")]


def test_main_pages_have_no_serious_accessibility_violation(new_page, world):
    assert AXE.exists(), f"{AXE} is missing: `make test` installs axe-core with npm"
    seed_comment(world, "tn-lead", DIEU_3, "comment", "Đề nghị làm rõ thẩm quyền.")
    ids = {"c": world.consultation_id, "draft": world.draft_id, "qn": world.units["quang-nam"]}
    problems = []
    page = new_page(bypass_csp=True)
    for url in SIGNED_OUT:
        problems += _violations(page, url)
    for username, urls in (("organizer", ORGANIZER), ("tn-lead", DELEGATE)):
        page = new_page(bypass_csp=True)
        log_in(page, username)
        for url in urls:
            problems += _violations(page, url.format(**ids))
    assert problems == []
    # The checker itself: an image without a text alternative on the last page is caught.
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<img src=\"/x.png\">')")
    assert "image-alt" in {v["id"] for v in page.evaluate(RUN_AXE)}
