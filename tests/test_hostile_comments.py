"""Hostile comments: XSS payloads in comment text, proposals and answers, checked in the
rendered HTML and in a real browser; SQL and FTS5 metacharacters in comments and search;
over-long text; control characters, decomposed Vietnamese, emoji and right-to-left text,
through to the consolidated Word export."""

from __future__ import annotations

import io
import re
import threading
import unicodedata
import warnings
from html import unescape
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

import docx
import pytest

from drafter import answering, consulting, create_app, exports
from drafter.consulting import MAX_TEXT
from drafter.storage import open_store

from .consultation_fixture import PASSWORD, copy_world
from .hostile_helpers import (
    executable_constructs,
    hostile_app,
    page_problems,
    row_counts,
    user_content_elements,
)
from .hostile_payloads import PAYLOADS

DIEU_3 = "chuong-1/dieu-3"


# -- fixtures ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def session_cookies(template_world, tmp_path_factory):
    """Sign every account in once (scrypt is slow); the cookies work in every copy.  On a
    copy: an app started on the shared template would write to it (traces stored at start,
    the sign-ins), and every later test's world would differ."""
    app = hostile_app(copy_world(template_world, tmp_path_factory.mktemp("cookies")))
    cookies = {}
    for username in ("organizer", "tn-member", "tn-lead", "qn-lead"):
        client = app.test_client()
        response = client.post("/login", data={"username": username, "password": PASSWORD})
        assert response.status_code == 302
        client.get("/lang/en")
        cookies[username] = client.get_cookie("session").value
    return cookies


@pytest.fixture
def app(world):
    return hostile_app(world)


@pytest.fixture
def clients(app, session_cookies):
    def client(username):
        c = app.test_client()
        c.set_cookie("session", session_cookies[username])
        return c

    return {name: client(name) for name in session_cookies}


# -- helpers ----------------------------------------------------------------------------------
def post_comment(client, world, **form):
    data = {
        "article": DIEU_3,
        "target": DIEU_3,
        "kind": "comment",
        "text": "",
        "proposed_text": "",
    } | form
    # Sent urlencoded by hand, as a browser sends the form.
    return client.post(
        f"/c/{world.consultation_id}/comments",
        data=urlencode(data),
        content_type="application/x-www-form-urlencoded",
    )


def stored(world, **filters):
    store = open_store(world.db_path, migrate=False)
    try:
        return store.list_comments(world.consultation_id, **filters)
    finally:
        store.close()


def raw_texts(world) -> list[tuple[str, str | None]]:
    """The latest revision of every comment, read straight from the table."""
    store = open_store(world.db_path, migrate=False)
    try:
        rows = store.conn.execute(
            "SELECT r.text, r.proposed_text FROM comment_revision r WHERE r.id IN "
            "(SELECT max(id) FROM comment_revision GROUP BY comment_id) ORDER BY r.comment_id"
        ).fetchall()
        return [(row[0], row[1]) for row in rows]
    finally:
        store.close()


def error_flashes(page: str) -> list[str]:
    return re.findall(r'<p class="flash error"[^>]*>(.*?)</p>', page, re.S)


def assert_inert(page: str, *, min_containers: int) -> None:
    containers, _elements = user_content_elements(page)
    assert containers >= min_containers, f"only {containers} comment parts on the page"
    assert executable_constructs(page) == []
    assert page_problems(page) == []


def expected_clean(text: str) -> str:
    return consulting.clean_text(text, field="comment")


# -- (a) XSS payloads through the test client -------------------------------------------------
@pytest.mark.parametrize("name", list(PAYLOADS))
def test_xss_payload_is_stored_verbatim_and_rendered_inert(world, clients, name):
    payload = PAYLOADS[name]
    member, lead, organizer = clients["tn-member"], clients["tn-lead"], clients["organizer"]
    assert post_comment(member, world, text=payload).status_code == 302
    assert (
        post_comment(
            member, world, kind="new_wording", text="Đề xuất sửa.", proposed_text=payload
        ).status_code
        == 302
    )
    assert (
        post_comment(
            member, world, kind="add_after", text=payload, proposed_text=payload
        ).status_code
        == 302
    )
    clean = expected_clean(payload)
    assert raw_texts(world) == [
        (clean, None),
        ("Đề xuất sửa.", clean),
        (clean, clean),
    ]
    url = f"/c/{world.consultation_id}/a/{DIEU_3}"

    # The delegate's own page while drafting, and each comment's edit page (history).
    response = member.get(url)
    assert response.status_code == 200
    assert_inert(response.get_data(as_text=True), min_containers=5)
    for comment in stored(world):
        edit = member.get(f"/c/{world.consultation_id}/comments/{comment.id}/edit")
        assert edit.status_code == 200
        assert page_problems(edit.get_data(as_text=True)) == []

    # Submitted: the organizer reads them and answers with the payload as explanation.
    assert lead.post(f"/c/{world.consultation_id}/submit").status_code == 302
    for comment in stored(world):
        answered = organizer.post(
            f"/admin/comments/{comment.id}/answer",
            data={"status": "partly", "explanation": payload},
        )
        assert answered.status_code == 302
    assert all(c.answer and c.answer.explanation == clean for c in stored(world))
    # Published, so that the delegate's page shows the answers too.
    assert organizer.post(f"/admin/c/{world.consultation_id}/answers/publish").status_code == 302
    for client, page_url in (
        (organizer, f"/admin/c/{world.consultation_id}/a/{DIEU_3}"),
        (member, url),
    ):
        response = client.get(page_url)
        assert response.status_code == 200
        assert_inert(response.get_data(as_text=True), min_containers=8)

    # Shared with another unit; found by search; listed on the dashboard.
    organizer.post(f"/admin/c/{world.consultation_id}/share", data={"share": "1"})
    response = clients["qn-lead"].get(url)
    assert response.status_code == 200
    assert_inert(response.get_data(as_text=True), min_containers=8)
    for page_url in (f"/admin/search?q={quote('xss')}", f"/admin/c/{world.consultation_id}"):
        response = organizer.get(page_url)
        assert response.status_code == 200
        assert page_problems(response.get_data(as_text=True)) == []


@pytest.mark.parametrize(
    "name",
    ["script", "img-onerror", "a-javascript-tab-entity", "a-javascript-decimal", "md-link-javascript",
     "md-link-leading-spaces", "iframe-js", "base-href", "form-action", "style-expression"],
)  # fmt: skip
def test_the_checker_flags_unsanitised_payloads(name):
    """Positive control: the same payloads rendered by a Markdown renderer that lets raw HTML
    and every link through, without nh3, are flagged."""
    from markdown_it import MarkdownIt

    unsafe = MarkdownIt("commonmark", {"html": True})
    unsafe.validateLink = lambda _url: True  # type: ignore[method-assign]
    raw = unsafe.render(PAYLOADS[name])
    page = f'<html><body><div class="body">{raw}</div></body></html>'
    assert executable_constructs(page) or page_problems(page), raw


def test_jinja_syntax_in_a_comment_is_not_evaluated(world, clients):
    member = clients["tn-member"]
    post_comment(member, world, text="{{ 7*7 }} {{ config.SECRET_KEY }} {% if 1 %}IF{% endif %}")
    page = member.get(f"/c/{world.consultation_id}/a/{DIEU_3}").get_data(as_text=True)
    # Only the comment's own text: the page also holds random tokens and times ("…49…").
    body = re.search(r'<div class="body">(.*?)</div>', page, re.S).group(1)
    assert "{{ 7*7 }}" in unescape(body)
    assert "49" not in body
    assert "{% if 1 %}IF{% endif %}" in unescape(body)


# -- (b) in a real browser --------------------------------------------------------------------
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DETECT = "window.__xss = 0;"  # payloads set it to 1; their alert() shows as a 'dialog' event


@pytest.fixture
def base_url(world):
    """Serve the real app (CSRF on) over HTTP on a free port for the length of one test."""
    from waitress import wasyncore
    from waitress.server import create_server

    app = create_app({"DATABASE": str(world.db_path), "SECRET_KEY": "test"})
    server = create_server(app, host="127.0.0.1", port=0, threads=4, asyncore_loop_timeout=0.1)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.trigger.pull_trigger(lambda: wasyncore.close_all(server._map))
    thread.join(timeout=5)
    assert not thread.is_alive(), "the server did not stop"
    server.task_dispatcher.shutdown()


def seed_payloads(world) -> dict[int, str]:
    """Write one comment per payload (text and proposal) as tn-member, submit them as
    tn-lead, and answer each with the payload; return comment id -> payload name."""
    store = open_store(world.db_path, migrate=False)
    try:
        member = store.get_user(world.users["tn-member"])
        lead = store.get_user(world.users["tn-lead"])
        organizer = store.get_user(world.users["organizer"])
        consultation = store.get_consultation(world.consultation_id)
        now = consulting.utc_now()
        ids = {}
        for name, payload in PAYLOADS.items():
            comment_id = consulting.add_comment(
                store, member, consultation, key=DIEU_3, kind="new_wording",
                text=payload, proposed_text=payload, now=now,
            )  # fmt: skip
            ids[comment_id] = name
        consulting.submit(store, lead, consultation, no_comments=False, now=now)
        for comment_id, name in ids.items():
            consulting.answer(
                store, organizer, comment_id, status="partly", explanation=PAYLOADS[name], now=now
            )
        # Published, so that the delegates' pages show the answers too.
        answering.publish_answers(store, organizer, world.consultation_id, unit_id=None, now=now)
        return ids
    finally:
        store.close()


def _guard(origin: str, left: list[str]):
    """Return a route handler: nothing leaves the test server.  Other addresses get "204 No
    Content", so that following an external link leaves the page where it is."""

    def handle(route):
        if urlsplit(route.request.url).netloc == origin:
            route.continue_()
        else:
            left.append(route.request.url)
            route.fulfill(status=204, body="")

    return handle


def _browser_log_in(page, username):
    page.goto("/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert urlsplit(page.url).path != "/login"


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is absent")
def test_no_payload_runs_in_a_real_browser(world, base_url):
    sync_api = pytest.importorskip("playwright.sync_api")
    ids = seed_payloads(world)
    origin = urlsplit(base_url).netloc
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            organizer_page = f"/admin/c/{world.consultation_id}/a/{DIEU_3}"
            for username, url, shown in (
                # the unit reads its own 50 to a page too
                ("tn-member", f"/c/{world.consultation_id}/a/{DIEU_3}", min(50, len(ids))),
                ("tn-member", f"/c/{world.consultation_id}/a/{DIEU_3}?mine=2", len(ids) - 50),
                # the organizer reads them 50 to a page
                ("organizer", organizer_page, min(50, len(ids))),
                ("organizer", f"{organizer_page}?page=2", max(0, len(ids) - 50)),
            ):
                # CSP bypassed for this test's own probes (wait_for_function evaluates
                # strings): the payloads must be inert by sanitising alone, without the
                # policy's help.  The policy itself is checked in test_browser, unbypassed.
                context = browser.new_context(base_url=base_url, bypass_csp=True)
                context.set_default_timeout(5_000)
                dialogs: list[str] = []
                left: list[str] = []
                navigations: list[str] = []

                context.route("**/*", _guard(origin, left))
                context.add_init_script(DETECT)
                page = context.new_page()

                def on_dialog(dialog, dialogs=dialogs):
                    dialogs.append(f"{dialog.type}: {dialog.message}")
                    dialog.dismiss()

                page.on("dialog", on_dialog)
                page.on(
                    "framenavigated",
                    lambda frame, navigations=navigations: navigations.append(frame.url),
                )
                _browser_log_in(page, username)
                page.goto(url)
                page.wait_for_load_state("load")
                cards = page.locator(".comment")
                assert cards.count() == shown
                page.wait_for_timeout(300)  # let onload/onerror/autofocus handlers fire
                assert page.evaluate("window.__xss") == 0, page.evaluate("window.__dialogs")
                assert dialogs == []
                # Every link inside a comment: click it, then check nothing ran.
                links = page.locator(".comment a")
                hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
                assert hrefs or "?page=" in url, "no link survived: the test would prove nothing"
                for i, href in enumerate(hrefs):
                    if href is None:
                        continue  # an <a> whose href the sanitiser removed is not a link
                    if not page.url.endswith(url):
                        page.goto(url)  # a relative link led elsewhere on the site
                    link = page.locator(".comment a").nth(i)
                    try:
                        link.click(timeout=2_000, no_wait_after=True)
                    except sync_api.Error:
                        continue  # hidden or covered: it cannot be clicked by a user either
                    page.wait_for_timeout(100)
                    try:
                        fired = page.evaluate("window.__xss")
                    except sync_api.Error:
                        fired = 0  # navigated away (to a refused external address)
                    assert fired in (0, None), f"clicking {href!r} ran script"
                    assert dialogs == [], f"clicking {href!r} opened {dialogs}"
                # The edit pages render the history (delegates only).
                if username == "tn-member":
                    for comment_id in list(ids)[:: max(1, len(ids) // 12)]:
                        page.goto(f"/c/{world.consultation_id}/comments/{comment_id}/edit")
                        page.wait_for_timeout(50)
                        assert page.evaluate("window.__xss") == 0, ids[comment_id]
                assert dialogs == []
                bad = [
                    u
                    for u in navigations
                    if not u.startswith(("http:", "https:", "about:", "chrome-error:"))
                ]
                assert bad == [], bad
                assert [u for u in left if not u.startswith(("http:", "https:"))] == []
                # Positive control: the same detection does see a script that runs.
                page.goto(url)
                page.evaluate(
                    """document.querySelector('.comment .body').insertAdjacentHTML(
                        'beforeend', '<img src=x onerror="window.__xss=1;alert(1)">')"""
                )
                page.wait_for_function("window.__xss === 1")
                page.wait_for_timeout(100)
                assert dialogs == ["alert: 1"]
                context.close()
        finally:
            browser.close()


# -- (c) SQL and FTS5 metacharacters ----------------------------------------------------------
METACHARACTERS = [
    "'; DROP TABLE comment; --",
    '" OR 1=1 --',
    "' OR '1'='1",
    "%",
    "_",
    "%_%",
    "NEAR(",
    "NEAR(a b, 2)",
    "AND OR NOT",
    '"',
    '"""',
    "*",
    "-",
    "- - -",
    "a*",
    "^đảng",
    "body:đảng",
    "kind:comment",
    "(đảng",
    "đảng)",
    "{đảng ủy}",
    "+",
    "\\",
    '\\"; SELECT 1; --',
    "' UNION SELECT password_hash FROM user --",
    "\u200b",
    " ".join(f"w{i}" for i in range(300)),
]


def test_sql_metacharacters_are_stored_verbatim_and_searchable(world, clients):
    member, lead, organizer = clients["tn-member"], clients["tn-lead"], clients["organizer"]
    for text in METACHARACTERS:
        response = post_comment(member, world, text=f"Ý kiến {text}")
        assert response.status_code == 302, (text, error_flashes(response.get_data(as_text=True)))
    assert [t for t, _ in raw_texts(world)] == [
        expected_clean(f"Ý kiến {t}") for t in METACHARACTERS
    ]
    assert lead.post(f"/c/{world.consultation_id}/submit").status_code == 302
    counts = row_counts(world.db_path)
    for query in METACHARACTERS + ["Ý kiến", "y kien", "   ", ""]:
        response = organizer.get("/admin/search", query_string={"q": query})
        assert response.status_code == 200, query
        assert page_problems(response.get_data(as_text=True)) == []
    assert row_counts(world.db_path) == counts  # searching writes nothing
    page = organizer.get("/admin/search", query_string={"q": "kien"}).get_data(as_text=True)
    assert page.count("Ý <mark>kiến</mark>") >= len(METACHARACTERS)  # snippets mark the word
    page = organizer.get("/admin/search", query_string={"q": "DROP TABLE"}).get_data(as_text=True)
    assert "<mark>DROP TABLE</mark> comment" in unescape(page)


@pytest.mark.parametrize("query", ["a\x00b", "\x00", "đảng\x00"], ids=["inner", "alone", "after"])
def test_search_with_a_nul_is_not_a_500(world, clients, query):
    response = clients["organizer"].get("/admin/search", query_string={"q": query})
    assert response.status_code in (200, 400)


def test_search_stays_fast_on_a_long_repetitive_comment(world, session_cookies):
    import multiprocessing

    store = open_store(world.db_path, migrate=False)
    try:
        consulting.add_comment(
            store, store.get_user(world.users["tn-member"]),
            store.get_consultation(world.consultation_id), key=None, kind="comment",
            text="đảng đoàn " * (MAX_TEXT // 10), proposed_text=None, now=consulting.utc_now(),
        )  # fmt: skip
    finally:
        store.close()
    child = multiprocessing.get_context("fork").Process(
        target=_search_in_child,
        args=(str(world.db_path), "đảng đoàn " * 5, session_cookies["organizer"]),
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # fork() beside threads, 3.12+
        child.start()
    child.join(2)
    slow = child.is_alive()
    if slow:
        child.kill()
        child.join()
    assert not slow, "a 10-word search was still running after 2 s"
    assert child.exitcode == 0


def test_search_in_a_child_process_answers_quickly_without_the_long_comment(world, session_cookies):
    """Control for the test above: the same search, without the long comment, is quick."""
    import multiprocessing

    child = multiprocessing.get_context("fork").Process(
        target=_search_in_child,
        args=(str(world.db_path), "đảng đoàn " * 5, session_cookies["organizer"]),
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # fork() beside threads, 3.12+
        child.start()
    child.join(2)
    slow = child.is_alive()
    if slow:
        child.kill()
        child.join()
    assert not slow
    assert child.exitcode == 0


def _search_in_child(db_path: str, query: str, cookie: str) -> None:
    app = hostile_app(type("W", (), {"db_path": db_path})())
    client = app.test_client()
    client.set_cookie("session", cookie)
    response = client.get("/admin/search", query_string={"q": query})
    raise SystemExit(0 if response.status_code == 200 else 1)


@pytest.mark.parametrize("query", ["\x01\x02", "\x7f", "\ufffd", "\U0001f600", "ø" * 5000])
def test_search_with_odd_characters_is_200(world, clients, query):
    response = clients["organizer"].get("/admin/search", query_string={"q": query})
    assert response.status_code == 200


# -- (d) length limits ------------------------------------------------------------------------
def test_one_megabyte_comment_is_refused_with_a_message(world, clients):
    member = clients["tn-member"]
    before = row_counts(world.db_path)
    response = post_comment(member, world, text="ữ" * 1_000_000)
    assert response.status_code == 400
    (message,) = error_flashes(response.get_data(as_text=True))
    assert "1,000,000" in message
    assert f"{MAX_TEXT:,}" in message
    response = post_comment(
        member, world, kind="new_wording", text="ok", proposed_text="x" * 1_000_000
    )
    assert response.status_code == 400
    (message,) = error_flashes(response.get_data(as_text=True))
    assert "proposed wording" in message
    assert row_counts(world.db_path) == before


def test_one_megabyte_edit_is_refused_and_the_comment_kept(world, clients):
    member = clients["tn-member"]
    post_comment(member, world, text="Bản đầu.")
    (comment,) = stored(world)
    before = row_counts(world.db_path)
    response = member.post(
        f"/c/{world.consultation_id}/comments/{comment.id}/edit",
        data=urlencode({"kind": "comment", "text": "y" * 1_000_000}),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert len(error_flashes(response.get_data(as_text=True))) == 1
    assert row_counts(world.db_path) == before
    assert stored(world)[0].text == "Bản đầu."


def test_exactly_max_text_is_accepted(world, clients):
    member = clients["tn-member"]
    text = "đ" * MAX_TEXT
    assert post_comment(member, world, text=text).status_code == 302
    assert post_comment(member, world, text="  \n" + "e" * MAX_TEXT + "\n\t ").status_code == 302
    # NFD input longer than the limit that is within it once composed.
    assert post_comment(member, world, text=unicodedata.normalize("NFD", text)).status_code == 302
    assert post_comment(member, world, text="x" * (MAX_TEXT + 1)).status_code == 400
    assert [t for t, _ in raw_texts(world)] == [text, "e" * MAX_TEXT, text]


# -- (e) control characters, Unicode forms, emoji, right-to-left -------------------------------
CONTROL = "".join(chr(c) for c in range(0x20) if chr(c) not in "\t\n\r") + "\x7f"


def test_nul_and_control_characters_are_stripped(world, clients):
    member = clients["tn-member"]
    text = f"Đầu\x00{CONTROL}giữa\r\ncuối\x00"
    assert post_comment(member, world, text=text).status_code == 302
    assert (
        post_comment(
            member, world, kind="new_wording", text="ok", proposed_text="Điều 3.\x00\x1b[31m đỏ"
        ).status_code
        == 302
    )
    assert raw_texts(world) == [("Đầugiữa\ncuối", None), ("ok", "Điều 3.[31m đỏ")]


def test_decomposed_vietnamese_is_stored_composed(world, clients):
    member = clients["tn-member"]
    text = "Đề nghị bổ sung cụm từ “toàn diện” vào khoản 1 Điều 3."
    decomposed = unicodedata.normalize("NFD", text)
    assert decomposed != text
    assert (
        post_comment(
            member, world, kind="new_wording", text=decomposed, proposed_text=decomposed
        ).status_code
        == 302
    )
    ((saved, proposed),) = raw_texts(world)
    assert saved == text
    assert proposed == text
    assert unicodedata.is_normalized("NFC", saved)
    # Found by a composed search once submitted.
    clients["tn-lead"].post(f"/c/{world.consultation_id}/submit")
    page = clients["organizer"].get("/admin/search", query_string={"q": "toàn diện"})
    assert "Đề nghị bổ sung" in page.get_data(as_text=True)


EXOTIC = [
    "Nhất trí 👍🏽 với 👨‍👩‍👧‍👦 và 🏳️‍🌈; 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𠀋 (non-BMP)",
    "نص عربي \u202eمعكوس\u202c داخل تعليق",
    "עברית \u202egnp.exe\u202c \u2067isolated\u2069 \u200f",
    "Combining: e\u0301\u0302\u0303\u0304 Z\u0336\u0337a\u0338l\u0335g\u0334o\u0360",
    "Zero width: a\u200bb\u200cc\u200dd\u2060e\ufefff",
    "Line sep\u2028para sep\u2029next-line\x85end",
]


def test_emoji_and_right_to_left_text_are_stored_shown_and_exported(world, clients):
    member, lead, organizer = clients["tn-member"], clients["tn-lead"], clients["organizer"]
    for text in EXOTIC:
        assert (
            post_comment(
                member, world, kind="new_wording", text=text,
                proposed_text=f"Điều 3. Vị trí, chức năng {text}",
            ).status_code
            == 302
        )  # fmt: skip
    assert [t for t, _ in raw_texts(world)] == [expected_clean(t) for t in EXOTIC]
    url = f"/c/{world.consultation_id}/a/{DIEU_3}"
    response = member.get(url)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert_inert(page, min_containers=len(EXOTIC))
    for text in EXOTIC:
        for piece in re.split(r"[\u2028\u2029\x85]", expected_clean(text)):
            assert piece.strip() in unescape(page)
    # The page still closes properly after the RLO characters.
    assert page.rstrip().endswith("</html>")
    assert page.count("<main") == page.count("</main>")
    assert lead.post(f"/c/{world.consultation_id}/submit").status_code == 302
    store = open_store(world.db_path, migrate=False)
    try:
        for comment in store.list_comments(world.consultation_id):
            consulting.answer(
                store, store.get_user(world.users["organizer"]), comment.id,
                status="noted", explanation=f"Ghi nhận {comment.text[:30]}",
                now=consulting.utc_now(),
            )  # fmt: skip
        data = exports.consolidated(store, world.consultation_id)
    finally:
        store.close()
    _assert_docx_holds(data, EXOTIC)
    response = organizer.get(f"/admin/c/{world.consultation_id}/export/consolidated.docx")
    assert response.status_code == 200
    _assert_docx_holds(response.data, EXOTIC)


def _docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    texts = [p.text for p in document.paragraphs]
    comments_part = [
        rel.target_part for rel in document.part.rels.values() if "comments" in rel.reltype
    ]
    for part in comments_part:
        texts.append(part.blob.decode("utf-8") if hasattr(part, "blob") else "")
    return unescape("\n".join(texts))


def _assert_docx_holds(data: bytes, texts: list[str]) -> None:
    whole = _docx_text(data)
    for text in texts:
        for word in ("👨‍👩‍👧‍👦", "𠀋", "معكوس", "עברית", "\u202e"):
            if word in text:
                assert word in whole, word


@pytest.mark.parametrize("char", ["\ufffe", "\uffff"], ids=["U+FFFE", "U+FFFF"])
def test_noncharacters_do_not_break_the_export(world, clients, char):
    member, lead, organizer = clients["tn-member"], clients["tn-lead"], clients["organizer"]
    assert post_comment(member, world, text=f"Ý kiến{char}lạ").status_code == 302
    assert lead.post(f"/c/{world.consultation_id}/submit").status_code == 302
    response = organizer.get(f"/admin/c/{world.consultation_id}/export/consolidated.docx")
    assert response.status_code == 200
    assert "Ý kiến" in _docx_text(response.data)
