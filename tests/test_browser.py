"""Real-browser tests: the app served by waitress over HTTP, driven by Chromium through Playwright.

Each test gets a fresh copy of the consultation fixture's database and its own server; the
browser is shared by the module and every test opens fresh contexts (fresh cookies).  CSRF is
on: every form sends the token the page gave it.  Every page runs under the app's strict
Content-Security-Policy, and a test fails if the browser reports any error (a refused inline
script or style among them).  Screenshots go to var/screenshots/ (ignored by git);
`make screenshots` writes the README's pictures to docs/screenshots/ instead.
"""

from __future__ import annotations

import os
import re
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

playwright_sync = pytest.importorskip("playwright.sync_api")
from playwright.sync_api import expect, sync_playwright  # noqa: E402

from drafter import consulting  # noqa: E402
from drafter.export_md import provision_text  # noqa: E402
from drafter.storage import open_store  # noqa: E402

from .consultation_fixture import PASSWORD, World  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = Path(os.environ.get("DRAFTER_SCREENSHOTS") or ROOT / "var" / "screenshots")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1100, "height": 900}
PHONE = {"width": 390, "height": 844}
DIEU_3 = "chuong-1/dieu-3"
DIEU_4 = "chuong-2/dieu-4"

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is absent")


# -- fixtures ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def base_url(world) -> str:
    """Serve the real app over HTTP on a free port for the length of one test."""
    from waitress import wasyncore
    from waitress.server import create_server

    from drafter import create_app

    app = create_app({"DATABASE": str(world.db_path), "SECRET_KEY": "test"})
    server = create_server(app, host="127.0.0.1", port=0, threads=4, asyncore_loop_timeout=0.1)
    # As `drafter serve` does: links in mail point to the address served.
    app.config["BASE_URL"] = f"http://127.0.0.1:{server.effective_port}"
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    # Close every socket from inside the server's own loop (closing them from this thread
    # races with its select()), let the loop end, then stop the worker threads.
    server.trigger.pull_trigger(lambda: wasyncore.close_all(server._map))
    thread.join(timeout=5)
    assert not thread.is_alive(), "the server did not stop"
    server.task_dispatcher.shutdown()


@pytest.fixture
def new_page(browser, base_url):
    """Return a function opening a page in a fresh browser context (fresh cookies)."""
    contexts = []
    errors: list[str] = []

    def make(viewport=DESKTOP, **options):
        context = browser.new_context(base_url=base_url, viewport=viewport, **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        return page

    yield make
    for context in contexts:
        context.close()
    # Refused inline scripts or styles (CSP) and script errors show up here; a 4xx page a
    # test asked for on purpose is the only error a page may report.
    assert [e for e in errors if "status of 4" not in e] == []


# -- helpers ----------------------------------------------------------------------------------
def shoot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=True)


def path_of(page) -> str:
    return urlsplit(page.url).path


def log_in(page, username: str, password: str = PASSWORD) -> None:
    page.goto("/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert path_of(page) != "/login", page.locator(".flash").all_inner_texts()


def log_out(page) -> None:
    page.click("header form[action='/logout'] button[type=submit]")
    expect(page.locator("#username")).to_be_visible()


def current_text(world: World, key: str) -> str:
    """The provision's text as the comment form pre-fills it."""
    store = open_store(world.db_path)
    try:
        consultation = store.get_consultation(world.consultation_id)
        return provision_text(store.get_node(consultation.version_id, key))
    finally:
        store.close()


def comments(world: World, **filters):
    store = open_store(world.db_path)
    try:
        return store.list_comments(world.consultation_id, **filters)
    finally:
        store.close()


def seed_comment(
    world: World,
    username: str,
    key: str | None,
    kind: str,
    text: str,
    proposed: str | None = None,
    *,
    submit: bool = False,
) -> int:
    """Write (and optionally submit) a comment through the app's own rules, not the browser."""
    store = open_store(world.db_path)
    try:
        user = store.get_user(world.users[username])
        consultation = store.get_consultation(world.consultation_id)
        comment_id = consulting.add_comment(
            store,
            user,
            consultation,
            key=key,
            kind=kind,
            text=text,
            proposed_text=proposed,
            now=consulting.utc_now(),
        )
        if submit:
            consulting.submit(
                store, user, consultation, no_comments=False, now=consulting.utc_now()
            )
        return comment_id
    finally:
        store.close()


def save_comment(page, cid: int, kind: str, text: str, proposed: str | None = None) -> None:
    """Fill and send the article page's comment form."""
    page.select_option("#kind", kind)
    page.fill("#text", text)
    if proposed is not None:
        page.fill("#proposed_text", proposed)
    page.click(f"form[action='/c/{cid}/comments'] button[type=submit]")
    page.wait_for_load_state()
    expect(page.locator("p.flash.error")).to_have_count(0)


def submit_response(page, cid: int) -> None:
    """Submit the unit's response: the link to the confirmation page, then its button."""
    page.goto(f"/c/{cid}")
    page.click(f"main a[href='/c/{cid}/submit']")
    page.wait_for_load_state()
    page.click(f"form[action='/c/{cid}/submit'] button[type=submit]")
    page.wait_for_load_state()
    expect(page.locator("p.flash.error")).to_have_count(0)
    expect(page.locator(f"form[action='/c/{cid}/withdraw-submission']")).to_have_count(1)


def row_cells(page, href: str) -> list[str]:
    """The cells of the dashboard's table row whose first cell links to `href`."""
    row = page.locator("table tr", has=page.locator(f"td a[href='{href}']"))
    expect(row).to_have_count(1)
    return [c.strip() for c in row.locator("td").all_inner_texts()]


# -- 1. the main flow -------------------------------------------------------------------------
def test_invite_comment_submit_and_answer(new_page, world):
    cid = world.consultation_id
    tn = world.units["thai-nguyen"]
    original = current_text(world, DIEU_3)
    assert "trực tiếp, thường xuyên" in original
    assert "làm việc theo chế độ tập thể" in original

    # The organizer creates a lead delegate for Thái Nguyên and reads the invitation link.
    organizer = new_page()
    log_in(organizer, "organizer")
    assert path_of(organizer) == "/admin/"
    organizer.click("header nav a[href='/admin/units']")
    form = organizer.locator(f"form[action='/admin/units/{tn}/delegates']")
    form.locator("input[name=username]").fill("tn-lan")
    form.locator("input[name=display_name]").fill("Nguyễn Thị Lan")
    form.locator("input[name=is_lead]").check()
    form.locator("button[type=submit]").click()
    flash = organizer.locator("p.flash.link")
    expect(flash).to_have_count(1)
    match = re.search(r"https?://\S+/invite/\S+", flash.inner_text())
    assert match, flash.inner_text()
    link = match.group(0)
    assert urlsplit(link).netloc == urlsplit(organizer.url).netloc
    expect(organizer.locator(f"section[aria-labelledby='unit-{tn}']")).to_contain_text("tn-lan")
    log_out(organizer)

    # The new delegate opens the link, chooses a password and is signed in.
    delegate = new_page()
    delegate.goto(link)
    delegate.fill("#password", "mật khẩu đủ dài 2025")
    delegate.fill("#confirm", "mật khẩu đủ dài 2025")
    delegate.click("main form button[type=submit]")
    delegate.wait_for_load_state()
    assert path_of(delegate) == "/c/"
    expect(delegate.locator("header .who")).to_have_text("Nguyễn Thị Lan")
    expect(delegate.locator("p.flash.info")).to_have_count(1)
    assert delegate.request.get(link).status == 404  # the link is single-use

    # Điều 3: a new wording; the proposal starts as the article's current text.
    delegate.click(f"main a[href='/c/{cid}']")
    assert path_of(delegate) == f"/c/{cid}"
    delegate.click(f"main a[href='/c/{cid}/a/{DIEU_3}']")
    assert path_of(delegate) == f"/c/{cid}/a/{DIEU_3}"
    expect(delegate.locator("#comment-form")).to_be_visible()
    assert delegate.input_value("#proposed_text") == original
    first = original.replace("trực tiếp, thường xuyên", "trực tiếp, toàn diện, thường xuyên")
    save_comment(
        delegate,
        cid,
        "new_wording",
        "Đề nghị bổ sung cụm từ **“toàn diện”** cho thống nhất với Điều lệ Đảng.",
        first,
    )
    assert path_of(delegate) == f"/c/{cid}/a/{DIEU_3}"
    saved = comments(world, unit_id=tn)
    assert [(c.kind, c.node_key, c.proposed_text) for c in saved] == [
        ("new_wording", DIEU_3, first)
    ]
    comment_id = saved[0].id
    card = delegate.locator(f"#comment-{comment_id}")
    expect(card.locator(".redline ins")).to_have_text([re.compile(r"^\s*toàn diện,\s*$")])
    expect(card.locator(".body strong")).to_have_text("“toàn diện”")

    # Điều 4: agree as drafted.
    delegate.goto(f"/c/{cid}/a/{DIEU_4}")
    delegate.click(f"form[action='/c/{cid}/a/{DIEU_4}/agree'] button[type=submit]")
    delegate.wait_for_load_state()
    expect(delegate.locator(".comment.kind-agree")).to_have_count(1)
    assert [c.kind for c in comments(world, unit_id=tn, article_key=DIEU_4)] == ["agree"]

    # Edit the Điều 3 comment: the edit page starts from the saved proposal.
    delegate.goto(f"/c/{cid}/a/{DIEU_3}")
    delegate.click(f"#comment-{comment_id} a[href='/c/{cid}/comments/{comment_id}/edit']")
    assert path_of(delegate) == f"/c/{cid}/comments/{comment_id}/edit"
    assert delegate.input_value("#proposed_text") == first
    second = first.replace(
        "làm việc theo chế độ tập thể", "làm việc theo nguyên tắc tập trung dân chủ"
    )
    delegate.fill("#text", "Đề nghị bổ sung “toàn diện” và nêu rõ nguyên tắc tập trung dân chủ.")
    delegate.fill("#proposed_text", second)
    delegate.click("main form button[type=submit]")
    delegate.wait_for_load_state()
    assert path_of(delegate) == f"/c/{cid}/a/{DIEU_3}"
    expect(delegate.locator("p.flash.error")).to_have_count(0)
    edited = comments(world, unit_id=tn, article_key=DIEU_3)
    assert [(c.id, c.proposed_text, c.revisions) for c in edited] == [(comment_id, second, 2)]

    # The redline marks exactly the changed words.
    card = delegate.locator(f"#comment-{comment_id}")
    inserted = " ".join(card.locator(".redline ins").all_inner_texts())
    deleted = " ".join(card.locator(".redline del").all_inner_texts())
    assert "toàn diện" in inserted
    assert "tập trung dân chủ" in inserted
    assert "chế độ" in deleted
    assert "toàn diện" not in deleted
    assert "thường xuyên" not in inserted + deleted
    expect(card.locator(".body")).to_contain_text("tập trung dân chủ")
    # The redline keeps the proposal's lines: one clause a line, as the delegate wrote it.
    assert "\n1. Đảng đoàn" in card.locator(".redline").inner_text()
    delegate.set_viewport_size(DESKTOP)
    shoot(delegate, "delegate-article.png")

    # Submit the unit's response.
    delegate.goto(f"/c/{cid}")
    expect(delegate.locator(f"main a[href='/c/{cid}/a/{DIEU_3}']")).to_be_visible()
    shoot(delegate, "delegate-consultation.png")
    submit_response(delegate, cid)
    expect(delegate.locator(f"form[action='/c/{cid}/submit']")).to_have_count(0)
    submitted = comments(world, unit_id=tn, submitted_only=True)
    assert sorted((c.node_key, c.kind) for c in submitted) == [
        (DIEU_3, "new_wording"),
        (DIEU_4, "agree"),
    ]
    # After submitting, the article page is read-only for the unit.
    delegate.goto(f"/c/{cid}/a/{DIEU_3}")
    expect(delegate.locator("#comment-form")).to_have_count(0)

    # Quảng Nam answers too (outside the browser), so that the organizer compares two units.
    qn_id = seed_comment(
        world,
        "qn-lead",
        f"{DIEU_3}/khoan-2",
        "comment",
        "Khoản 2 nên nêu rõ mối quan hệ giữa đảng đoàn và "
        "ban thường vụ tỉnh ủy trong công tác cán bộ.",
        submit=True,
    )

    # The organizer's dashboard and the article's comments, with an answer.
    organizer = new_page()
    log_in(organizer, "organizer")
    organizer.goto(f"/admin/c/{cid}")
    units = organizer.locator(
        "table tr", has=organizer.locator("td", has_text="Tỉnh ủy Thái Nguyên")
    )
    expect(units.locator("td.state-submitted")).to_have_count(1)
    cells = row_cells(organizer, f"/admin/c/{cid}/a/{DIEU_3}")
    # Quảng Nam's remark, Thái Nguyên's amendment; nobody agrees, nobody contradicts itself.
    assert cells[1:] == ["1", "1", "0", "0"], cells
    cells = row_cells(organizer, f"/admin/c/{cid}/a/{DIEU_4}")
    assert cells[1:] == ["0", "0", "1", "0"], cells
    shoot(organizer, "organizer-dashboard.png")

    organizer.click(f"a[href='/admin/c/{cid}/a/{DIEU_3}']")
    assert path_of(organizer) == f"/admin/c/{cid}/a/{DIEU_3}"
    expect(organizer.locator(".comment")).to_have_count(2)
    expect(organizer.locator(f"#comment-{qn_id}")).to_be_visible()
    card = organizer.locator(f"#comment-{comment_id}")
    expect(card.locator(".redline ins").first).to_be_visible()
    card.locator("input[name=status][value=partly]").check()
    explanation = "Tiếp thu cụm từ “toàn diện”; giữ nguyên “chế độ tập thể” theo Điều lệ."
    card.locator("textarea[name=explanation]").fill(explanation)
    card.locator("form.answer-form button[type=submit]").click()
    organizer.wait_for_load_state()
    assert path_of(organizer) == f"/admin/c/{cid}/a/{DIEU_3}"
    card = organizer.locator(f"#comment-{comment_id}")
    expect(card.locator(".answer.status-partly")).to_contain_text(explanation)
    expect(card.locator("input[name=status][value=partly]")).to_be_checked()
    answered = [c for c in comments(world, unit_id=tn, submitted_only=True) if c.id == comment_id]
    assert answered[0].answer.status == "partly"
    assert answered[0].answer.explanation == explanation
    # The article's text and the units' comments sit side by side, within the window.
    assert organizer.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"] + 1
    text_box = organizer.locator(".split .document").bounding_box()
    units_box = organizer.locator(".split .units").bounding_box()
    assert units_box["x"] >= text_box["x"] + text_box["width"] - 1, (text_box, units_box)
    assert units_box["y"] < text_box["y"] + text_box["height"], (text_box, units_box)
    shoot(organizer, "organizer-article.png")

    # Answers stay internal until the organizer publishes them; then the delegate sees the
    # answer under the unit's comment.
    delegate.goto(f"/c/{cid}/a/{DIEU_3}")
    expect(delegate.locator(f"#comment-{comment_id} .answer")).to_have_count(0)
    organizer.goto(f"/admin/c/{cid}")
    organizer.click("#publish-all button[type=submit]")
    organizer.wait_for_load_state()
    delegate.goto(f"/c/{cid}/a/{DIEU_3}")
    expect(delegate.locator(f"#comment-{comment_id} .answer.status-partly")).to_contain_text(
        explanation
    )


# -- 2. script in comments stays inert -------------------------------------------------------
PAYLOADS = [
    "<script>window.__xss=1</script>",
    '<img src=x onerror="window.__xss=2">',
    "[click](javascript:window.__xss=3)",
    '<a href="javascript:window.__xss=4">x</a>',
    '<svg onload="window.__xss=5">',
]
INSPECT = """() => {
  const cards = [...document.querySelectorAll('.comment')];
  const inside = cards.flatMap(c => [...c.querySelectorAll('*')]);
  return {
    xss: window.__xss === undefined ? null : window.__xss,
    cards: cards.length,
    scripts: inside.filter(e => e.tagName.toLowerCase() === 'script').length,
    active: inside.filter(e => ['img', 'svg', 'iframe', 'object', 'embed'].includes(
      e.tagName.toLowerCase())).length,
    handlers: inside.filter(e => [...e.attributes].some(a => /^on/i.test(a.name)))
                    .map(e => e.outerHTML),
    js_urls: [...document.querySelectorAll('[href],[src],[action],[formaction]')]
      .map(e => e.getAttribute('href') || e.getAttribute('src') || e.getAttribute('action')
                || e.getAttribute('formaction') || '')
      .filter(u => /^\\s*javascript:/i.test(u)),
    links: cards.flatMap(c => [...c.querySelectorAll('a')]).length,
  };
}"""


def assert_inert(page, url: str, expected_cards: int) -> None:
    """Load `url`; nothing the comments carry may run, now or when their links are clicked."""
    page.goto(url)
    page.wait_for_load_state("load")
    page.wait_for_timeout(150)  # let a failed image's onerror fire, if it could
    seen = page.evaluate(INSPECT)
    assert seen["cards"] == expected_cards, seen
    assert seen["xss"] is None, seen
    assert seen["scripts"] == 0, seen
    assert seen["active"] == 0, seen
    assert seen["handlers"] == [], seen
    assert seen["js_urls"] == [], seen
    for index in range(seen["links"]):
        page.goto(url)
        page.locator(".comment a").nth(index).click()
        page.wait_for_load_state("load")
        page.wait_for_timeout(50)
        assert page.evaluate("window.__xss === undefined ? null : window.__xss") is None, index
    page.goto(url)


def test_script_in_comments_is_inert(new_page, world):
    cid = world.consultation_id
    article = f"/c/{cid}/a/{DIEU_3}"
    delegate = new_page()
    log_in(delegate, "tn-lead")
    delegate.goto(article)
    original = delegate.input_value("#proposed_text")
    for payload in PAYLOADS:
        save_comment(delegate, cid, "comment", payload)
    save_comment(
        delegate, cid, "new_wording", "Đề nghị sửa.", original + "\n<script>window.__xss=6</script>"
    )
    delegate.goto(f"/c/{cid}")
    delegate.select_option("#general-kind", "comment")
    delegate.fill("#general-text", '<img src=x onerror="window.__xss=7"> Góp ý chung.')
    delegate.click("main form:has(#general-text) button[type=submit]")
    delegate.wait_for_load_state()
    expect(delegate.locator("p.flash.error")).to_have_count(0)

    stored = comments(world, unit_id=world.units["thai-nguyen"])
    assert [c.text for c in stored if c.node_key == DIEU_3][:5] == PAYLOADS  # kept as written
    assert_inert(delegate, article, 6)
    # The proposal is shown as text, not run.
    expect(delegate.locator(".comment.kind-new_wording .redline ins")).to_contain_text(
        "<script>window.__xss=6</script>"
    )
    assert_inert(delegate, f"/c/{cid}", 1)

    submit_response(delegate, cid)
    assert_inert(delegate, article, 6)
    organizer = new_page()
    log_in(organizer, "organizer")
    assert_inert(organizer, f"/admin/c/{cid}/a/{DIEU_3}", 6)
    expect(organizer.locator(".comment.kind-new_wording .redline ins")).to_contain_text(
        "<script>window.__xss=6</script>"
    )
    assert_inert(organizer, f"/admin/c/{cid}", 1)


# -- 3. no JavaScript needed -----------------------------------------------------------------
def test_works_without_javascript(new_page, world):
    cid = world.consultation_id
    tn = world.units["thai-nguyen"]
    page = new_page(java_script_enabled=False)
    log_in(page, "tn-lead")
    assert path_of(page) == "/c/"
    page.goto(f"/c/{cid}/a/{DIEU_3}")
    original = page.input_value("#proposed_text")
    proposal = original.replace("chỉ định", "chỉ định, kiện toàn")
    save_comment(page, cid, "new_wording", "Bổ sung thẩm quyền kiện toàn.", proposal)
    expect(page.locator(".comment .redline ins")).to_contain_text("kiện toàn")
    page.goto(f"/c/{cid}/a/{DIEU_4}")
    page.click(f"form[action='/c/{cid}/a/{DIEU_4}/agree'] button[type=submit]")
    page.wait_for_load_state()
    expect(page.locator(".comment.kind-agree")).to_have_count(1)
    submit_response(page, cid)
    submitted = comments(world, unit_id=tn, submitted_only=True)
    assert sorted((c.node_key, c.kind, c.proposed_text) for c in submitted) == [
        (DIEU_3, "new_wording", proposal),
        (DIEU_4, "agree", None),
    ]
    log_out(page)


# -- 4. a phone-sized screen ------------------------------------------------------------------
def test_article_page_fits_a_phone(new_page, world):
    cid = world.consultation_id
    original = current_text(world, DIEU_3)
    seed_comment(
        world,
        "tn-lead",
        DIEU_3,
        "new_wording",
        "Đề nghị bổ sung cụm từ “toàn diện”.",
        original.replace("trực tiếp, thường xuyên", "trực tiếp, toàn diện, thường xuyên"),
    )
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    log_in(page, "tn-lead")
    page.goto(f"/c/{cid}/a/{DIEU_3}")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, width
    form = page.locator("#comment-form")
    form.scroll_into_view_if_needed()
    expect(form).to_be_visible()
    for field in ("#kind", "#text", "#proposed_text", "#comment-form button[type=submit]"):
        box = page.locator(field).last.bounding_box()
        assert box, field
        assert box["x"] >= 0, (field, box)
        assert box["x"] + box["width"] <= PHONE["width"] + 1, (field, box)
    expect(page.locator(".comment .redline ins")).to_be_visible()
    page.evaluate("window.scrollTo(0, 0)")
    shoot(page, "phone-article.png")


# -- 5. the language switch -------------------------------------------------------------------
def switch_language(page, code: str) -> None:
    before = path_of(page)
    page.click(f"header .account a[lang={code}]")
    page.wait_for_load_state()
    assert path_of(page) == before  # the switch comes back to the same page
    expect(page.locator("html")).to_have_attribute("lang", code)
    expect(page.locator(f"header .account strong[lang={code}][aria-current=true]")).to_be_visible()


def test_language_switch_on_every_page(new_page, world):
    cid = world.consultation_id
    page = new_page()
    page.goto("/login")
    expect(page.locator("html")).to_have_attribute("lang", "vi")  # Vietnamese by default
    expect(page.locator("main h1")).to_be_visible()
    shoot(page, "login.png")
    switch_language(page, "en")
    expect(page.locator("main h1")).to_have_text("Sign in")
    expect(page.locator("main form button[type=submit]")).to_have_text("Sign in")
    # The choice survives signing in.
    page.fill("#username", "tn-lead")
    page.fill("#password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert path_of(page) == "/c/"
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("header form[action='/logout'] button")).to_have_text("Sign out")
    switch_language(page, "vi")
    switch_language(page, "en")
    page.goto(f"/c/{cid}/a/{DIEU_3}")
    expect(page.locator("#form-heading")).to_contain_text("Your unit's comment on")
    switch_language(page, "vi")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    switch_language(page, "en")
    expect(page.locator("#form-heading")).to_contain_text("Your unit's comment on")


def test_vietnamese_text_by_default(new_page):
    page = new_page()
    page.goto("/login")
    expect(page.locator("main h1")).to_have_text("Đăng nhập")
    switch_language(page, "en")
    expect(page.locator("main h1")).to_have_text("Sign in")
    switch_language(page, "vi")
    expect(page.locator("main h1")).to_have_text("Đăng nhập")


def test_language_survives_accepting_an_invitation(new_page, world):
    from drafter import accounts

    store = open_store(world.db_path)
    try:
        _user_id, token = accounts.create_delegate(
            store, world.units["quang-nam"], "qn-binh", "Trần Văn Bình"
        )
    finally:
        store.close()
    page = new_page()
    page.goto(f"/invite/{token}")
    switch_language(page, "en")
    expect(page.locator("main h1")).to_have_text("Set your password")
    page.fill("#password", "a long enough password")
    page.fill("#confirm", "a long enough password")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert path_of(page) == "/c/"
    expect(page.locator("header .who")).to_have_text("Trần Văn Bình")
    assert page.get_attribute("html", "lang") == "en"
