"""Every route, every role: a table of who gets what (Flask's test client on a real SQLite file).

The table must name every route of the app: a new route without a row fails the test.
"""

from __future__ import annotations

import pytest

from drafter import create_app
from drafter.storage import open_store

from .consultation_fixture import PASSWORD

ROLES = ("anonymous", "organizer", "tn-lead", "tn-member", "lc-lead")
# Expected status per role for a GET, in ROLES order.  302 for anonymous is "go sign in".
LOGIN = 302
GETS = {
    "/": (302, 302, 302, 302, 302),
    "/login": (200, 200, 200, 200, 200),
    "/healthz": (200, 200, 200, 200, 200),
    "/lang/en": (302, 302, 302, 302, 302),
    "/invite/not-a-token": (404, 404, 404, 404, 404),
    "/forgot": (200, 200, 200, 200, 200),
    "/reset/not-a-token": (404, 404, 404, 404, 404),
    "/admin/outbox": (LOGIN, 200, 403, 403, 403),
    "/static/style.css": (200, 200, 200, 200, 200),
    "/drafts/": (LOGIN, 200, 403, 403, 403),
    "/drafts/{draft}": (LOGIN, 200, 403, 403, 403),
    "/drafts/{draft}/v1/articles/chuong-1/dieu-3": (LOGIN, 200, 403, 403, 403),
    "/c/": (LOGIN, 403, 200, 200, 200),
    "/c/{c}": (LOGIN, 302, 200, 200, 403),
    "/c/{c}/a/chuong-1/dieu-3": (LOGIN, 200, 200, 200, 403),
    # the listings' pages: the other units' (a provision alone), the unit's own
    "/c/{c}/a/chuong-1/dieu-3?page=2&p=chuong-1/dieu-3/khoan-1&mine=2": (LOGIN, 200, 200, 200, 403),
    "/c/{c}/comments/{own}/edit": (LOGIN, 403, 200, 200, 403),
    "/c/{c}/comments/{other}/edit": (LOGIN, 403, 403, 403, 403),
    "/admin/": (LOGIN, 200, 403, 403, 403),
    "/admin/upload": (LOGIN, 200, 403, 403, 403),
    "/admin/uploads/999": (LOGIN, 404, 403, 403, 403),
    "/admin/units": (LOGIN, 200, 403, 403, 403),
    "/admin/consultations/new": (LOGIN, 200, 403, 403, 403),
    "/admin/c/{c}": (LOGIN, 200, 403, 403, 403),
    "/admin/c/{c}/a/chuong-1/dieu-3": (LOGIN, 200, 403, 403, 403),
    "/admin/search?q=dang": (LOGIN, 200, 403, 403, 403),
    "/admin/c/{c}/export/summary.csv": (LOGIN, 200, 403, 403, 403),
    "/admin/exports/999": (LOGIN, 404, 403, 403, 403),
    "/admin/exports/999/file": (LOGIN, 404, 403, 403, 403),
    "/admin/audit?c={c}": (LOGIN, 200, 403, 403, 403),
    "/admin/comments/{own}": (LOGIN, 302, 403, 403, 403),
    "/admin/c/{c}/units/{tn}": (LOGIN, 200, 403, 403, 403),
    "/admin/letters/999": (LOGIN, 404, 404, 404, 404),
    "/admin/drafts/{draft}/v1/draft.docx": (LOGIN, 200, 403, 403, 403),
    "/c/{c}/draft.docx": (LOGIN, 200, 200, 200, 403),
    "/c/{c}/letter.docx": (LOGIN, 403, 200, 200, 403),
    "/admin/c/{c}/units/{tn}/letter.docx": (LOGIN, 200, 403, 403, 403),
    "/admin/c/{c}/request-letter.docx": (LOGIN, 200, 403, 403, 403),
    "/admin/drafts/{draft}/compare?from=1&to=2": (LOGIN, 200, 403, 403, 403),
    "/admin/roster": (LOGIN, 200, 403, 403, 403),
    "/admin/roster/999": (LOGIN, 404, 403, 403, 403),
    "/admin/roster/export.csv": (LOGIN, 200, 403, 403, 403),
    "/admin/roster/export.pdf": (LOGIN, 404, 403, 403, 403),
    "/admin/units/{tn}/edit": (LOGIN, 200, 403, 403, 403),
    "/admin/users/{tn_member}/edit": (LOGIN, 200, 403, 403, 403),
    "/account/password": (LOGIN, 200, 200, 200, 200),
    "/c/{c}/submit": (LOGIN, 403, 200, 403, 403),
    "/c/{c}/no-comments": (LOGIN, 403, 302, 403, 403),  # the unit has comments: back
    "/c/{c}/answers": (LOGIN, 403, 200, 200, 403),
    "/c/{c}/answers.docx": (LOGIN, 403, 200, 200, 403),
    "/admin/c/{c}/deadlines": (LOGIN, 200, 403, 403, 403),
    "/admin/c/{c}/close": (LOGIN, 200, 403, 403, 403),
    "/admin/c/{c}/comments?answered=no&kind=comment": (LOGIN, 200, 403, 403, 403),
    "/admin/answer-templates": (LOGIN, 200, 403, 403, 403),
    "/admin/c/{c}/units/{tn}/answers": (LOGIN, 200, 403, 403, 403),
    "/admin/c/{c}/units/{tn}/answers.docx": (LOGIN, 200, 403, 403, 403),
    "/admin/c/{c}/units/{lc}/answers": (LOGIN, 404, 403, 403, 403),  # not invited
    "/admin/c/{c}/groups/chuong-1/dieu-2": (LOGIN, 200, 403, 403, 403),
    "/c/{c}/units/thai-nguyen/review-copy.docx": (LOGIN, 200, 200, 200, 403),
    "/c/{c}/units/quang-nam/review-copy.docx": (LOGIN, 200, 403, 403, 403),
    "/c/{c}/review/999": (LOGIN, 404, 404, 404, 404),
}
# POSTs that change something, with what each role gets (the form data is valid for the
# role that is allowed, so a 403 is the role check, not bad input).
POSTS = {
    "/logout": ({}, (302, 302, 302, 302, 302)),
    "/c/{c}/comments": (
        {"target": "chuong-1/dieu-3", "kind": "comment", "text": "Ý kiến"},
        (LOGIN, 403, 302, 302, 403),
    ),
    "/c/{c}/a/chuong-1/dieu-3/agree": ({}, (LOGIN, 403, 302, 302, 403)),
    "/c/{c}/comments/{other}/withdraw": ({}, (LOGIN, 403, 403, 403, 403)),
    "/c/{c}/comments/{other}/edit": (
        {"kind": "comment", "text": "Sửa trộm"},
        (LOGIN, 403, 403, 403, 403),
    ),
    "/c/{c}/submit": ({}, (LOGIN, 403, 302, 403, 403)),
    "/c/{c}/no-comments": ({}, (LOGIN, 403, 302, 403, 403)),
    "/c/{c}/withdraw-submission": ({}, (LOGIN, 403, 302, 403, 403)),
    "/admin/comments/{submitted}/answer": (
        {"status": "noted", "explanation": ""},
        (LOGIN, 302, 403, 403, 403),
    ),
    "/admin/c/{c}/units/{tn}/comments": (
        {"target": "chuong-1/dieu-3", "kind": "comment", "text": "Theo công văn của tỉnh"},
        (LOGIN, 302, 403, 403, 403),
    ),
    # 409: Thái Nguyên's delegates have drafts, which organizers never submit for them.
    "/admin/c/{c}/units/{tn}/submit": ({"confirm": "1"}, (LOGIN, 409, 403, 403, 403)),
    "/admin/c/{c}/units/{tn}/letter": ({}, (LOGIN, 400, 403, 403, 403)),
    "/admin/c/{c}/comments": (
        {"comment_ids": "{submitted}", "status": "noted"},
        (LOGIN, 302, 403, 403, 403),
    ),
    "/admin/c/{c}/answers/publish": ({}, (LOGIN, 302, 403, 403, 403)),
    "/admin/c/{c}/groups/{group}/answer": ({"status": "noted"}, (LOGIN, 302, 403, 403, 403)),
    # 400: a group of one comment cannot be split (it would leave the group empty).
    "/admin/c/{c}/groups/{group}/split": (
        {"comment_ids": "{submitted}", "key": "chuong-1/dieu-2"},
        (LOGIN, 400, 403, 403, 403),
    ),
    "/admin/c/{c}/comments/{submitted}/group": ({"group": "new"}, (LOGIN, 302, 403, 403, 403)),
    "/admin/c/{c}/place-groups": ({"key": "chuong-1/dieu-2"}, (LOGIN, 302, 403, 403, 403)),
    "/admin/c/{c}/export/consolidated.docx/job": ({}, (LOGIN, 302, 403, 403, 403)),
    "/admin/answer-templates": (
        {"title": "Tiếp thu", "text": "Xin tiếp thu."},
        (LOGIN, 302, 403, 403, 403),
    ),
    "/admin/answer-templates/999/delete": ({}, (LOGIN, 404, 403, 403, 403)),
    "/admin/c/{c}/deadline": ({"deadline": "2099-01-01T10:00"}, (LOGIN, 302, 403, 403, 403)),
    "/admin/c/{c}/close": ({}, (LOGIN, 302, 403, 403, 403)),
    "/admin/c/{c}/reopen": ({"deadline": "2099-06-01T10:00"}, (LOGIN, 302, 403, 403, 403)),
    "/admin/c/{c}/share": ({"share": "1"}, (LOGIN, 302, 403, 403, 403)),
    "/admin/c/{c}/invite": ({"unit_id": "{lc}"}, (LOGIN, 302, 403, 403, 403)),
    "/admin/c/{c}/remind": ({}, (LOGIN, 302, 403, 403, 403)),
    "/admin/c/{c}/reminders": ({"days": "3"}, (LOGIN, 302, 403, 403, 403)),
    "/admin/units": (
        {"code": "new-unit", "name": "Đơn vị mới", "kind": "province"},
        (LOGIN, 302, 403, 403, 403),
    ),
    "/admin/units/{tn}/delegates": (
        {"username": "x-{role}", "display_name": "X"},
        (LOGIN, 302, 403, 403, 403),
    ),
    "/admin/users/{tn_member}/invitation": ({}, (LOGIN, 302, 403, 403, 403)),
    "/admin/users/{tn_member}/invitation/revoke": ({}, (LOGIN, 302, 403, 403, 403)),
    "/admin/users/{lc_lead}/enable": ({}, (LOGIN, 302, 403, 403, 403)),
    "/admin/users/{lc_lead}/disable": ({}, (LOGIN, 302, 403, 403, 403)),
    "/admin/upload": ({}, (LOGIN, 400, 403, 403, 403)),
    # No file: 400 for whoever may upload for the unit, 403 for the others.
    "/c/{c}/units/thai-nguyen/review": ({}, (LOGIN, 400, 400, 400, 403)),
    "/c/{c}/units/quang-nam/review": ({}, (LOGIN, 400, 403, 403, 403)),
    "/c/{c}/review/999": ({}, (LOGIN, 404, 404, 404, 404)),
    "/admin/uploads/999/confirm": ({}, (LOGIN, 404, 403, 403, 403)),
    "/admin/uploads/999/discard": ({}, (LOGIN, 404, 403, 403, 403)),
    "/admin/consultations/new": ({}, (LOGIN, 400, 403, 403, 403)),
    "/admin/roster": ({}, (LOGIN, 400, 403, 403, 403)),
    "/admin/roster/999/confirm": ({}, (LOGIN, 404, 403, 403, 403)),
    "/admin/roster/999/discard": ({}, (LOGIN, 404, 403, 403, 403)),
    "/admin/units/{tn}/edit": (
        {"name": "Tỉnh Thái Nguyên", "kind": "province"},
        (LOGIN, 302, 403, 403, 403),
    ),
    "/admin/units/{lc}/disable": ({}, (LOGIN, 302, 403, 403, 403)),
    "/admin/units/{lc}/enable": ({}, (LOGIN, 302, 403, 403, 403)),
    "/admin/users/{tn_member}/edit": (
        {"display_name": "Thành viên", "email": "tv@example.vn", "unit_id": "{tn}"},
        (LOGIN, 302, 403, 403, 403),
    ),
    "/login": ({"username": "nobody", "password": "wrong"}, (401, 401, 401, 401, 401)),
    "/invite/not-a-token": ({"password": "x" * 12, "confirm": "x" * 12}, (404, 404, 404, 404, 404)),
    "/forgot": ({"who": "tn-lead"}, (302, 302, 302, 302, 302)),
    "/reset/not-a-token": ({"password": "x" * 12, "confirm": "x" * 12}, (404, 404, 404, 404, 404)),
    # Last: it changes the role's password, which the rows above sign in with.
    "/account/password": (
        {"current": PASSWORD, "password": "ba con mèo xanh", "confirm": "ba con mèo xanh"},
        (LOGIN, 302, 302, 302, 302),
    ),
}


@pytest.fixture
def world(world):
    """The consultation world plus: a comment of each invited unit, Quảng Nam's submitted."""
    from drafter import consulting

    store = open_store(world.db_path)
    consultation = store.get_consultation(world.consultation_id)
    users = {name: store.get_user(uid) for name, uid in world.users.items()}
    now = consulting.utc_now()
    own = consulting.add_comment(
        store,
        users["tn-member"],
        consultation,
        key="chuong-1/dieu-1",
        kind="comment",
        text="Của Thái Nguyên",
        proposed_text=None,
        now=now,
    )
    other = consulting.add_comment(
        store,
        users["qn-lead"],
        consultation,
        key="chuong-1/dieu-2",
        kind="comment",
        text="Của Quảng Nam",
        proposed_text=None,
        now=now,
    )
    consulting.submit(store, users["qn-lead"], consultation, no_comments=False, now=now)
    group = store.comment_groups(world.consultation_id)[0].id
    store.close()
    world.ids = {
        "c": world.consultation_id,
        "draft": world.draft_id,
        "own": own,
        "other": other,
        "submitted": other,
        "tn": world.units["thai-nguyen"],
        "tn_member": world.users["tn-member"],
        "lc": world.units["lao-cai"],
        "lc_lead": world.users["lc-lead"],
        "group": group,
    }
    return world


def _client(world, role):
    app = create_app(
        {
            "TESTING": True,
            "DATABASE": str(world.db_path),
            "WTF_CSRF_ENABLED": False,
            "SECRET_KEY": "test",
        }
    )
    client = app.test_client()
    if role != "anonymous":
        response = client.post("/login", data={"username": role, "password": PASSWORD})
        assert response.status_code == 302, role
    return app, client


def test_the_table_covers_every_route(tmp_path):
    app = create_app({"TESTING": True, "DATABASE": str(tmp_path / "x.sqlite"), "SECRET_KEY": "t"})
    adapter = app.url_map.bind("localhost")
    ids = {
        "c": 1,
        "draft": 1,
        "own": 1,
        "other": 2,
        "submitted": 2,
        "tn": 1,
        "tn_member": 2,
        "lc": 3,
        "lc_lead": 5,
        "group": 1,
    }
    covered = set()
    for table, method in ((GETS, "GET"), (POSTS, "POST")):
        for url in table:
            endpoint, _args = adapter.match(url.format(**ids).split("?")[0], method=method)
            covered.add((endpoint, method))
    routes = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert routes - covered == set()


@pytest.mark.parametrize("role", ROLES)
def test_get_access(world, role):
    _app, client = _client(world, role)
    for url, expected in GETS.items():
        response = client.get(url.format(**world.ids))
        response.close()  # static files are streamed from an open file
        want = expected[ROLES.index(role)]
        assert response.status_code == want, (role, url, response.status_code)
        if want == LOGIN and role == "anonymous" and url not in ("/", "/lang/en"):
            assert "/login" in response.location
        assert response.status_code != 500
        _assert_security_headers(response, role, url)


@pytest.mark.parametrize("role", ROLES)
def test_post_access(world, role):
    for url, (data, expected) in POSTS.items():
        _app, client = _client(world, role)  # fresh session: /logout must not leak into others
        form = {k: v.format(role=role, **world.ids) for k, v in data.items()}
        response = client.post(url.format(**world.ids), data=form)
        want = expected[ROLES.index(role)]
        assert response.status_code == want, (
            role,
            url,
            response.status_code,
            response.get_data(as_text=True)[:300],
        )
        _assert_security_headers(response, role if url != "/logout" else "anonymous", url)


def _assert_security_headers(response, role, url):
    """Every response, whatever its status: a strict CSP, no framing, no sniffing, referrers
    kept on the site; a signed-in user's pages are never stored by a cache."""
    headers = response.headers
    policy = headers.get("Content-Security-Policy", "")
    assert "default-src 'none'" in policy, url
    assert "frame-ancestors 'none'" in policy, url
    assert "'unsafe-inline'" not in policy, url
    assert "script-src 'self'" in policy, url
    assert headers.get("X-Frame-Options") == "DENY", url
    assert headers.get("X-Content-Type-Options") == "nosniff", url
    assert headers.get("Referrer-Policy") == "same-origin", url
    if role != "anonymous" and not url.startswith("/static/"):
        assert headers.get("Cache-Control") == "no-store", (role, url)


def test_forbidden_changes_leave_other_units_comments_untouched(world):
    _app, client = _client(world, "tn-lead")
    before = open_store(world.db_path).get_comment(world.ids["other"])
    for url in ("/c/{c}/comments/{other}/withdraw", "/c/{c}/comments/{other}/edit"):
        client.post(url.format(**world.ids), data={"kind": "comment", "text": "x"})
    after = open_store(world.db_path).get_comment(world.ids["other"])
    assert after == before
    # Another unit's draft (unsubmitted) comment is invisible, whatever the URL.
    page = client.get("/c/{c}/a/chuong-1/dieu-2".format(**world.ids)).get_data(as_text=True)
    assert "Của Quảng Nam" not in page
    _app, qn = _client(world, "qn-lead")
    page = qn.get("/c/{c}/a/chuong-1/dieu-1".format(**world.ids)).get_data(as_text=True)
    assert "Của Thái Nguyên" not in page


def test_a_copied_session_cookie_is_dead_after_sign_out(world):
    app, client = _client(world, "tn-lead")
    cookie = client.get_cookie("session").value
    assert client.get("/c/").status_code == 200
    client.post("/logout")
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    response = thief.get("/c/")
    assert response.status_code == 302
    assert "/login" in response.location


def test_csrf_token_of_another_session_is_refused(world):
    app = create_app({"TESTING": True, "DATABASE": str(world.db_path), "SECRET_KEY": "test"})
    import re

    def signed_in(username):
        client = app.test_client()
        token = re.search(
            r'name="csrf_token" value="([^"]+)"', client.get("/login").get_data(as_text=True)
        ).group(1)
        client.post(
            "/login", data={"username": username, "password": PASSWORD, "csrf_token": token}
        )
        page = client.get(f"/c/{world.ids['c']}").get_data(as_text=True)
        return client, re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)

    victim, victim_token = signed_in("tn-member")
    attacker, attacker_token = signed_in("qn-lead")
    url = f"/c/{world.ids['c']}/comments"
    form = {"target": "", "kind": "comment", "text": "Giả mạo"}
    assert victim.post(url, data=form | {"csrf_token": attacker_token}).status_code == 400
    assert victim.post(url, data=form | {"csrf_token": victim_token}).status_code == 302
    # Replaying the same token in the same session is allowed (a second tab); in another, not.
    assert attacker.post(url, data=form | {"csrf_token": victim_token}).status_code == 400


def test_forged_form_fields_cannot_reach_another_unit(world):
    _app, client = _client(world, "tn-member")
    store = open_store(world.db_path)
    before = len(store.list_comments(world.ids["c"], unit_id=world.units["quang-nam"]))
    client.post(
        f"/c/{world.ids['c']}/comments",
        data={
            "target": "chuong-1/dieu-1",
            "kind": "comment",
            "text": "Của ai?",
            "unit_id": str(world.units["quang-nam"]),
            "unit": "quang-nam",
            "consultation_id": "999",
        },
    )
    assert len(store.list_comments(world.ids["c"], unit_id=world.units["quang-nam"])) == before
    mine = store.list_comments(world.ids["c"], unit_id=world.units["thai-nguyen"])
    assert "Của ai?" in [c.text for c in mine]
    # A closed consultation's id in the URL: read-only, whatever the form says.
    with store.transaction():
        store.close_consultation(world.ids["c"], now="2000-01-01T00:00:00+00:00")
    response = client.post(
        f"/c/{world.ids['c']}/comments",
        data={"target": "chuong-1/dieu-1", "kind": "comment", "text": "Sau khi đóng"},
    )
    assert response.status_code == 409
    store.close()
