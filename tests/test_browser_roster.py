"""Real-browser test of the roster import: a file with a bad line, then the corrected file,
confirmed; and the forms' patterns, which the browser must find valid (Chromium, Playwright)."""

from __future__ import annotations

import pytest

pytest.importorskip("playwright.sync_api")
from playwright.sync_api import expect  # noqa: E402

from drafter.storage import open_store  # noqa: E402

from . import test_browser  # noqa: E402
from .test_browser import log_in, path_of, shoot  # noqa: E402

# The real server and browser of test_browser, found by pytest under these names.
pytestmark = test_browser.pytestmark
browser = test_browser.browser
base_url = test_browser.base_url
new_page = test_browser.new_page

HEADER = "unit_code,unit_name,username,full_name,email,role\n"
BAD = (
    HEADER
    + "ha-noi,Thành ủy Hà Nội,hn.lead,Nguyễn Văn Hà,ha@hanoi.vn,lead\n"
    + "Bắc Giang,Tỉnh ủy Bắc Giang,Nguyễn Văn A,Nguyễn Văn A,a@bacgiang.vn,member\n"
)
GOOD = BAD.replace("Bắc Giang,Tỉnh ủy Bắc Giang,Nguyễn Văn A", "bac-giang,Tỉnh ủy Bắc Giang,nva")


def choose_file(page, name: str, text: str) -> None:
    page.set_input_files(
        "#file", files=[{"name": name, "mimeType": "text/csv", "buffer": text.encode()}]
    )
    page.click("main form button[type=submit]")
    page.wait_for_load_state()


def test_roster_import_with_a_bad_line_then_corrected(new_page, world):
    page = new_page()
    log_in(page, "organizer")
    page.goto("/admin/units")
    page.click("a[href='/admin/roster']")
    choose_file(page, "danh-sach.csv", BAD)
    problem = page.locator("tr.problem")
    expect(problem).to_have_count(2)  # the code and the user name of line 3
    expect(problem.first).to_contain_text("3")
    expect(problem.first).to_contain_text("unit_code")
    expect(problem.first).to_contain_text("Mã đơn vị “Bắc Giang” không hợp lệ")
    expect(page.get_by_role("button", name="Xác nhận và nhập")).to_have_count(0)
    shoot(page, "roster-problems.png")
    store = open_store(world.db_path)
    assert store.find_unit("ha-noi") is None  # line 2 was fine, and still nothing is written
    page.click("text=Tải lên tệp đã sửa")
    choose_file(page, "danh-sach.csv", GOOD)
    assert path_of(page).startswith("/admin/roster/")
    expect(page.locator("tr.problem")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("Đơn vị: 2 mới, 0 cập nhật. Đại biểu: 2 mới")
    assert store.find_unit("ha-noi") is None  # the preview writes nothing either
    page.select_option("#consultation_id", str(world.consultation_id))
    page.get_by_role("button", name="Xác nhận và nhập").click()
    page.wait_for_load_state()
    expect(page.locator("h1")).to_have_text("Đã nhập danh sách")
    expect(page.locator("main code")).to_have_count(2)  # the two invitation links
    assert store.is_invited(world.consultation_id, store.find_unit("bac-giang").id)
    assert store.find_login("nva").user.email == "a@bacgiang.vn"
    store.close()
    page.goto("/admin/units")
    expect(page.locator("main")).to_contain_text("Thành ủy Hà Nội")
    shoot(page, "units-after-roster.png")


def test_the_forms_patterns_are_valid_and_refuse_accents(new_page):
    page = new_page()
    log_in(page, "organizer")
    page.goto("/admin/units")
    code = page.locator("input[name=code]")
    code.fill("Bắc Giang")
    assert code.evaluate("e => e.validity.patternMismatch")
    code.fill("bac-giang")
    assert not code.evaluate("e => e.validity.patternMismatch")
    username = page.locator("input[name=username]").first
    username.fill("Nguyễn Văn A")
    assert username.evaluate("e => e.validity.patternMismatch")
    username.fill("nguyen.van_a-1")
    assert not username.evaluate("e => e.validity.patternMismatch")
