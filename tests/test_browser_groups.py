"""Real-browser test of similar comments (Playwright + Chromium, the app served over HTTP, CSRF
on, strict CSP): the organizer opens an article's groups from its page, answers a group at once
and sees the answer on each of its comments, then edits one on its own.  The fixtures and
helpers are tests/test_browser.py's."""

# ruff: noqa: F811  (the fixtures imported from test_browser are the tests' arguments)
from __future__ import annotations

import pytest

pytest.importorskip("playwright.sync_api")
from playwright.sync_api import expect  # noqa: E402

from .test_browser import (  # noqa: E402, F401  (fixtures, used by name)
    DIEU_3,
    base_url,
    browser,
    comments,
    log_in,
    new_page,
    pytestmark,
    seed_comment,
    shoot,
)

SAME = (
    "Đề nghị bổ sung trách nhiệm của ủy viên đảng đoàn trong việc thực hiện nghị quyết.",
    "Dự thảo chưa quy định rõ trách nhiệm của từng ủy viên đảng đoàn; đề nghị bổ sung.",
)
OTHER = "Đề nghị quy định việc lưu trữ hồ sơ, tài liệu của đảng đoàn."


def test_the_organizer_answers_a_group_at_once(new_page, world):
    cid = world.consultation_id
    a = seed_comment(world, "tn-lead", DIEU_3, "comment", SAME[0], submit=True)
    b = seed_comment(world, "qn-lead", DIEU_3, "comment", SAME[1])
    c = seed_comment(world, "qn-lead", DIEU_3, "comment", OTHER, submit=True)

    page = new_page()
    log_in(page, "organizer")
    page.goto(f"/admin/c/{cid}/a/{DIEU_3}")
    page.click(f"main a[href='/admin/c/{cid}/groups/{DIEU_3}']")
    page.wait_for_load_state()
    group = page.locator("section.comment-group", has=page.locator(f"#comment-{a}"))
    expect(group.locator("h3")).to_contain_text("2 đơn vị: “Đề nghị bổ sung trách nhiệm")
    expect(group).to_contain_text("Tỉnh ủy Thái Nguyên, Tỉnh ủy Quảng Nam")
    expect(group.locator(f"#comment-{b}")).to_have_count(1)
    expect(group.locator(f"#comment-{c}")).to_have_count(0)

    form = group.locator("form.answer-form")
    form.locator("input[name=status][value=partly]").check()
    form.locator("textarea[name=explanation]").fill("Tiếp thu, bổ sung tại khoản 2.")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("p.flash.info")).to_contain_text("2")
    expect(page.locator("p.flash.error")).to_have_count(0)
    for comment_id in (a, b):
        answer = page.locator(f"#comment-{comment_id} .answer")
        expect(answer).to_contain_text("Tiếp thu một phần")
        expect(answer).to_contain_text("Tiếp thu, bổ sung tại khoản 2.")
    expect(page.locator(f"#comment-{c} .answer")).to_have_count(0)
    shoot(page, "groups-answered.png")

    # Each answer stays editable on its own, on the article's page.
    page.goto(f"/admin/c/{cid}/a/{DIEU_3}")
    card = page.locator(f"#comment-{b}")
    expect(card.locator(".answer")).to_contain_text("Tiếp thu một phần")
    card.locator("input[name=status][value=accepted]").check()
    card.locator("textarea[name=explanation]").fill("Tiếp thu toàn bộ.")
    card.locator("form.answer-form button[type=submit]").click()
    page.wait_for_load_state()
    answers = {x.id: x.answer for x in comments(world, submitted_only=True)}
    assert answers[a].status == "partly"
    assert answers[b].status == "accepted"
    assert answers[b].explanation == "Tiếp thu toàn bộ."
    assert answers[c] is None


def test_the_groups_page_has_no_serious_accessibility_violation(new_page, world):
    from .test_accessibility import AXE, _violations

    assert AXE.exists(), f"{AXE} is missing: `make test` installs axe-core with npm"
    seed_comment(world, "tn-lead", DIEU_3, "comment", SAME[0], submit=True)
    seed_comment(world, "qn-lead", DIEU_3, "comment", SAME[1])
    seed_comment(world, "qn-lead", DIEU_3, "agree", "", submit=True)
    page = new_page(bypass_csp=True)
    log_in(page, "organizer")
    assert _violations(page, f"/admin/c/{world.consultation_id}/groups/{DIEU_3}") == []
