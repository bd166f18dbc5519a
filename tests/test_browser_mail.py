"""In a real browser (headless chromium), over HTTP, with a real SMTP server: "forgot your
password?" from the sign-in page to a new password, and the organizer's Outbox page (strict
CSP: any refused inline script or style fails the test)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from drafter import accounts, config, delivery
from drafter.storage import open_store

from .smtp_server import SmtpServer, link_in
from .test_browser import (  # noqa: F401  (fixtures)
    CHROMIUM,
    base_url,
    browser,
    log_in,
    new_page,
    path_of,
)

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is absent")


@pytest.fixture
def smtp():
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


def test_forgot_password_by_e_mail_in_a_browser(new_page, world, smtp):  # noqa: F811
    store = open_store(world.db_path)
    accounts.create_delegate(
        store, world.units["thai-nguyen"], "tn-thu", "Nguyễn Thị Thư", email="thu@tn.example",
        password="the first passphrase",
    )  # fmt: skip
    page = new_page()
    page.goto("/login")
    page.click("text=Quên mật khẩu?")
    page.fill("#who", "thu@tn.example")
    page.click("main form button[type=submit]")
    expect(page.locator(".flash")).to_contain_text("đường dẫn đặt lại mật khẩu đang được gửi")
    assert path_of(page) == "/login"
    target = config.smtp_target({"SMTP_URL": smtp.url})
    assert target is not None
    assert delivery.deliver(store, target, "bo@x.vn").sent == 1
    store.close()
    (message,) = smtp.to("thu@tn.example")
    link = link_in(message)
    assert link.startswith(page.url.split("/login")[0] + "/reset/")
    page.goto(link)
    expect(page.locator("h1")).to_have_text("Đặt mật khẩu mới")
    page.fill("#password", "a second good passphrase")
    page.fill("#confirm", "a second good passphrase")
    page.click("main form button[type=submit]")
    expect(page.locator(".flash")).to_contain_text("Đã đặt mật khẩu mới")
    log_in(page, "tn-thu", "a second good passphrase")
    assert path_of(page).startswith("/c/")


def test_the_outbox_page_in_a_browser(new_page, world):  # noqa: F811
    page = new_page()
    log_in(page, "organizer")
    page.goto("/admin/units")
    page.locator("section", has_text="Tỉnh ủy Lào Cai").locator("input[name=username]").fill(
        "lc-thu"
    )
    section = page.locator("section", has_text="Tỉnh ủy Lào Cai")
    section.locator("input[name=display_name]").fill("Lò Thị Thu")
    section.locator("input[name=email]").fill("thu@lc.example")
    section.locator("form.row button[type=submit]").click()
    expect(page.locator(".flash.link")).to_contain_text("/invite/")
    page.click("header >> text=Hộp thư đi")
    expect(page.locator("h1")).to_have_text("Hộp thư đi")
    expect(page.locator("main")).to_contain_text("Chưa cấu hình máy chủ thư")
    row = page.locator("tbody tr", has_text="thu@lc.example")
    expect(row).to_contain_text("Đang chờ")
    assert "/invite/" in row.locator("input").input_value()
