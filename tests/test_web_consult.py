"""Consultation flows through the web layer: comments, revisions, submission, answers,
deadlines, sharing, search, uploads with preview, invitations, CSRF and safe Markdown — on
each backend (SQLite and PostgreSQL)."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

import pytest

from drafter import create_app
from drafter.storage import open_store

from .conftest import DRAFTS
from .consultation_fixture import PASSWORD, login, make_app


@pytest.fixture
def world(backend_world):
    """The consultation world on each backend in turn (tests/conftest.py)."""
    return backend_world


def store(world):
    return open_store(world.db_path)


def comment(client, world, **form):
    data = {
        "article": "chuong-1/dieu-3",
        "target": "chuong-1/dieu-3",
        "kind": "comment",
        "text": "",
        "proposed_text": "",
    } | form
    return client.post(f"/c/{world.consultation_id}/comments", data=data)


def test_comment_revise_withdraw_and_history(app, world):
    client = login(app, "tn-member")
    page = client.get(f"/c/{world.consultation_id}/a/chuong-1/dieu-3").get_data(as_text=True)
    # The proposal box starts as the article's current text.
    assert re.search(r'<textarea id="proposed_text"[^>]*>Điều 3\. Vị trí, chức năng\n1\. ', page)
    response = comment(
        client,
        world,
        kind="new_wording",
        text="Đề nghị sửa **khoản 1**.",
        proposed_text="Điều 3. Vị trí, chức năng\n1. Đảng đoàn là tổ chức mới.",
    )
    assert response.status_code == 302
    (saved,) = store(world).list_comments(world.consultation_id, unit_id=world.units["thai-nguyen"])
    assert saved.kind == "new_wording"
    assert saved.node_key == "chuong-1/dieu-3"
    page = client.get(f"/c/{world.consultation_id}/a/chuong-1/dieu-3").get_data(as_text=True)
    assert "<strong>khoản 1</strong>" in page
    assert "<ins>" in page
    assert "<del>" in page
    client.post(
        f"/c/{world.consultation_id}/comments/{saved.id}/edit",
        data={"kind": "comment", "text": "Bản sửa lần hai."},
    )
    history = store(world).comment_history(saved.id)
    assert [h.text for h in history] == ["Đề nghị sửa **khoản 1**.", "Bản sửa lần hai."]
    assert store(world).get_comment(saved.id).revisions == 2
    client.post(f"/c/{world.consultation_id}/comments/{saved.id}/withdraw")
    assert (
        store(world).list_comments(world.consultation_id, unit_id=world.units["thai-nguyen"]) == []
    )
    assert store(world).get_comment(saved.id).withdrawn_at is not None  # kept, not deleted


def test_comment_on_a_point_and_on_the_whole_draft(app, world):
    client = login(app, "tn-lead")
    target = "chuong-2/dieu-4/khoan-1/diem-dd"
    page = client.get(f"/c/{world.consultation_id}/a/chuong-2/dieu-4?target={target}").get_data(
        as_text=True
    )
    assert f'<option value="{target}" selected>' in page
    assert re.search(r'<textarea id="proposed_text"[^>]*>đ\) ', page)  # the point's own text
    comment(
        client, world, article="chuong-2/dieu-4", target=target, kind="delete", text="Trùng lặp."
    )
    client.post(
        f"/c/{world.consultation_id}/comments",
        data={"target": "", "kind": "question", "text": "Khi nào ban hành?"},
    )
    comments = store(world).list_comments(world.consultation_id)
    assert {(c.node_key, c.kind) for c in comments} == {(target, "delete"), (None, "question")}
    page = client.get(f"/c/{world.consultation_id}").get_data(as_text=True)
    assert "Khi nào ban hành?" in page


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"kind": "comment", "text": "   "}, "empty"),
        ({"kind": "new_wording", "text": "x", "proposed_text": ""}, "empty"),
        ({"kind": "bogus", "text": "x"}, "Choose the kind"),
        ({"kind": "comment", "text": "x" * 20_001}, "limit"),
        ({"target": "chuong-1", "kind": "comment", "text": "x"}, "article, a clause or a point"),
    ],
)
def test_bad_comment_form_is_shown_again_with_a_message(app, world, form, message):
    client = login(app, "tn-member")
    client.get("/lang/en")
    response = comment(client, world, **form)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page
    assert 'class="flash error"' in page
    assert store(world).list_comments(world.consultation_id) == []


@pytest.mark.parametrize(("name", "status"), [("lc-lead", 403), ("organizer", 403)])
def test_who_may_not_write_is_refused_before_the_form_is_read(app, world, name, status):
    """A bad form from a user who may not write here (an uninvited unit's delegate, an
    organizer) is refused for who they are, not for the form, and its message is not kept
    for a later page."""
    client = login(app, name)
    client.get("/lang/en")
    response = comment(client, world, kind="bogus", text="x")
    assert response.status_code == status
    assert "Choose the kind" not in response.get_data(as_text=True)
    assert "Choose the kind" not in client.get("/").get_data(as_text=True)
    assert comment(client, world, text="Ý kiến hợp lệ").status_code == status
    assert store(world).list_comments(world.consultation_id) == []


def test_missing_target_is_404(app, world):
    client = login(app, "tn-member")
    response = comment(client, world, target="chuong-1/dieu-99", text="x")
    assert response.status_code == 404


def test_agree_counts_once(app, world):
    client = login(app, "tn-member")
    for _ in range(2):
        assert client.post(f"/c/{world.consultation_id}/a/chuong-2/dieu-4/agree").status_code == 302
    agrees = [c for c in store(world).list_comments(world.consultation_id) if c.kind == "agree"]
    assert len(agrees) == 1
    assert agrees[0].node_key == "chuong-2/dieu-4"


def test_submission_lifecycle_and_what_the_organizer_sees(app, world):
    member, lead = login(app, "tn-member"), login(app, "tn-lead")
    organizer = login(app, "organizer")
    comment(member, world, text="Ý kiến nội bộ")
    dashboard = organizer.get(f"/admin/c/{world.consultation_id}/a/chuong-1/dieu-3").get_data(
        as_text=True
    )
    assert "Ý kiến nội bộ" not in dashboard  # drafts are internal to the unit
    assert member.post(f"/c/{world.consultation_id}/submit").status_code == 403  # not the lead
    assert lead.post(f"/c/{world.consultation_id}/submit").status_code == 302
    page = organizer.get(f"/admin/c/{world.consultation_id}/a/chuong-1/dieu-3").get_data(
        as_text=True
    )
    assert "Ý kiến nội bộ" in page
    # Submitted: the unit cannot edit until it withdraws the submission.
    response = comment(member, world, text="Thêm sau khi gửi")
    assert response.status_code == 409
    lead.post(f"/c/{world.consultation_id}/withdraw-submission")
    assert comment(member, world, text="Thêm sau khi rút").status_code == 302
    page = organizer.get(f"/admin/c/{world.consultation_id}/a/chuong-1/dieu-3").get_data(
        as_text=True
    )
    assert "Ý kiến nội bộ" not in page  # the withdrawn submission is no longer shown
    lead.post(f"/c/{world.consultation_id}/submit")
    submissions = store(world).list_submissions(world.consultation_id, world.units["thai-nguyen"])
    assert [(s.items, bool(s.withdrawn_at)) for s in submissions] == [(1, True), (2, False)]
    dashboard = organizer.get(f"/admin/c/{world.consultation_id}").get_data(as_text=True)
    assert 'class="state-submitted"' in dashboard
    assert 'class="state-not_started"' in dashboard


def test_no_comments_response(app, world):
    lead = login(app, "qn-lead")
    assert (
        lead.post(f"/c/{world.consultation_id}/submit", data={"no_comments": "1"}).status_code
        == 302
    )
    (submission,) = store(world).list_submissions(world.consultation_id, world.units["quang-nam"])
    assert submission.no_comments
    organizer = login(app, "organizer")
    assert 'class="state-no_comments"' in organizer.get(
        f"/admin/c/{world.consultation_id}"
    ).get_data(as_text=True)


def test_answers(app, world):
    member, lead, organizer = (
        login(app, "tn-member"),
        login(app, "tn-lead"),
        login(app, "organizer"),
    )
    comment(member, world, kind="new_wording", text="Sửa", proposed_text="Điều 3. Vị trí\n1. Mới.")
    (saved,) = store(world).list_comments(world.consultation_id)
    # Not submitted yet: nothing to answer.
    assert (
        organizer.post(
            f"/admin/comments/{saved.id}/answer", data={"status": "accepted"}
        ).status_code
        == 404
    )
    lead.post(f"/c/{world.consultation_id}/submit")
    response = organizer.post(
        f"/admin/comments/{saved.id}/answer", data={"status": "rejected", "explanation": ""}
    )
    assert store(world).get_comment(saved.id).answer is None  # "not accepted" needs a reason
    assert response.status_code == 302
    organizer.post(
        f"/admin/comments/{saved.id}/answer",
        data={"status": "partly", "explanation": "Tiếp thu *một phần*."},
    )
    answer = store(world).get_comment(saved.id).answer
    assert (answer.status, answer.explanation, answer.answered_by) == (
        "partly",
        "Tiếp thu *một phần*.",
        "Ban Tổ chức",
    )
    # Internal until the organizer publishes it.
    page = member.get(f"/c/{world.consultation_id}/a/chuong-1/dieu-3").get_data(as_text=True)
    assert "Tiếp thu <em>một phần</em>." not in page
    organizer.post(f"/admin/c/{world.consultation_id}/answers/publish")
    page = member.get(f"/c/{world.consultation_id}/a/chuong-1/dieu-3").get_data(as_text=True)
    assert "Tiếp thu <em>một phần</em>." in page


def _move_deadline(world, **delta):
    s = store(world)
    deadline = (datetime.now(UTC) + timedelta(**delta)).replace(microsecond=0).isoformat()
    with s.transaction():
        s.conn.execute(
            "UPDATE consultation SET deadline = ? WHERE id = ?", (deadline, world.consultation_id)
        )


def test_after_the_deadline_everything_is_read_only(app, world):
    member = login(app, "tn-member")
    comment(member, world, text="Trước hạn")
    (saved,) = store(world).list_comments(world.consultation_id)
    _move_deadline(world, minutes=-1)
    page = member.get(f"/c/{world.consultation_id}/a/chuong-1/dieu-3").get_data(as_text=True)
    assert 'class="notice"' in page
    assert 'id="comment-form"' not in page
    assert comment(member, world, text="Sau hạn").status_code == 409
    assert (
        member.post(
            f"/c/{world.consultation_id}/comments/{saved.id}/edit",
            data={"kind": "comment", "text": "sửa"},
        ).status_code
        == 409
    )
    assert (
        member.post(f"/c/{world.consultation_id}/comments/{saved.id}/withdraw").status_code == 302
    )
    assert store(world).get_comment(saved.id).withdrawn_at is None
    assert [c.text for c in store(world).list_comments(world.consultation_id)] == ["Trước hạn"]


def test_closing_makes_it_read_only(app, world):
    organizer, member = login(app, "organizer"), login(app, "tn-member")
    organizer.post(f"/admin/c/{world.consultation_id}/close")
    assert comment(member, world, text="x").status_code == 409


def test_sharing_submitted_comments_between_units(app, world):
    tn_lead, qn_lead, organizer = (
        login(app, "tn-lead"),
        login(app, "qn-lead"),
        login(app, "organizer"),
    )
    comment(tn_lead, world, text="Ý kiến Thái Nguyên đã gửi")
    tn_lead.post(f"/c/{world.consultation_id}/submit")
    url = f"/c/{world.consultation_id}/a/chuong-1/dieu-3"
    assert "Ý kiến Thái Nguyên đã gửi" not in qn_lead.get(url).get_data(as_text=True)
    organizer.post(f"/admin/c/{world.consultation_id}/share", data={"share": "1"})
    assert "Ý kiến Thái Nguyên đã gửi" in qn_lead.get(url).get_data(as_text=True)


def test_search_ignores_diacritics_and_case(app, world):
    member, lead, organizer = (
        login(app, "tn-member"),
        login(app, "tn-lead"),
        login(app, "organizer"),
    )
    comment(member, world, text="Đề nghị làm rõ Quy chế phối hợp.")
    page = organizer.get("/admin/search?q=quy+che+phoi+hop").get_data(as_text=True)
    assert "Đề nghị làm rõ" not in page  # not submitted yet
    lead.post(f"/c/{world.consultation_id}/submit")
    page = organizer.get("/admin/search?q=QUY+CHE+phoi+hop").get_data(as_text=True)
    assert "Đề nghị làm rõ" in page
    page = organizer.get("/admin/search?q=ban+can+su+dang").get_data(as_text=True)
    assert "/drafts/1/v1/articles/chuong-1/dieu-2" in page


def test_upload_preview_then_confirm_or_discard(app, world):
    organizer = login(app, "organizer")
    data = (DRAFTS / "quy-dinh-dang-doan-v2.docx").read_bytes()
    response = organizer.post(
        "/admin/upload",
        data={"file": (io.BytesIO(data), "v3.docx"), "draft_id": str(world.draft_id)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    preview = organizer.get(response.location).get_data(as_text=True)
    assert "16" in preview
    assert "Điều 16. " in preview
    assert len(store(world).list_versions(world.draft_id)) == 2  # nothing imported yet
    upload_id = int(response.location.rstrip("/").split("/")[-1])
    organizer.post(f"/admin/uploads/{upload_id}/confirm")
    assert len(store(world).list_versions(world.draft_id)) == 3
    # Discard leaves nothing.
    response = organizer.post(
        "/admin/upload",
        data={"file": (io.BytesIO(data), "again.docx")},
        content_type="multipart/form-data",
    )
    upload_id = int(response.location.rstrip("/").split("/")[-1])
    organizer.post(f"/admin/uploads/{upload_id}/discard")
    assert len(store(world).list_drafts()) == 1
    assert organizer.get(f"/admin/uploads/{upload_id}").status_code == 404


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"", "empty.docx"),
        (b"not a zip", "x.docx"),
        (b"PK\x03\x04broken", "broken.docx"),
        ("Không có điều nào.".encode(), "none.md"),
    ],
)
def test_bad_upload_is_refused_with_a_message(app, world, content, name):
    organizer = login(app, "organizer")
    response = organizer.post(
        "/admin/upload",
        data={"file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert name in response.get_data(as_text=True)
    assert len(store(world).list_versions(world.draft_id)) == 2


def test_oversized_upload_is_413(world):
    app = create_app(
        {
            "TESTING": True,
            "DATABASE": str(world.db_path),
            "WTF_CSRF_ENABLED": False,
            "SECRET_KEY": "test",
            "MAX_CONTENT_LENGTH": 1000,
        }
    )
    organizer = login(app, "organizer")
    response = organizer.post(
        "/admin/upload",
        data={"file": (io.BytesIO(b"x" * 5000), "big.md")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413


def test_invitation_link_is_single_use(app, world):
    organizer = login(app, "organizer")
    organizer.get("/lang/en")
    response = organizer.post(
        f"/admin/units/{world.units['lao-cai']}/delegates",
        data={"username": "lc-2", "display_name": "Người mới", "is_lead": "1"},
    )
    page = organizer.get(response.location).get_data(as_text=True)
    link = re.search(r"http://localhost(/invite/[\w-]+)", page).group(1)
    guest = app.test_client()
    assert guest.post(link, data={"password": "short", "confirm": "short"}).status_code == 400
    assert (
        guest.post(
            link, data={"password": "a long password", "confirm": "a long password"}
        ).status_code
        == 302
    )
    assert guest.get("/c/").status_code == 200  # signed in
    assert app.test_client().get(link).status_code == 404  # spent
    again = app.test_client().post(
        "/login", data={"username": "lc-2", "password": "a long password"}
    )
    assert again.status_code == 302


def test_expired_invitation(app, world):
    from drafter import accounts

    s = store(world)
    _uid, token = accounts.create_delegate(s, world.units["lao-cai"], "late", "Đến muộn")
    with s.transaction():
        s.conn.execute("UPDATE invitation SET expires_at = '2000-01-01T00:00:00+00:00'")
    assert app.test_client().get(f"/invite/{token}").status_code == 404


def test_csrf_token_required(world):
    app = create_app({"TESTING": True, "DATABASE": str(world.db_path), "SECRET_KEY": "test"})
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert (
        client.post("/login", data={"username": "tn-member", "password": PASSWORD}).status_code
        == 400
    )
    response = client.post(
        "/login", data={"username": "tn-member", "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302
    url = f"/c/{world.consultation_id}/comments"
    assert client.post(url, data={"target": "", "kind": "comment", "text": "x"}).status_code == 400
    assert store(world).list_comments(world.consultation_id) == []


def test_session_cookie_is_http_only_and_same_site(app, world):
    client = app.test_client()
    response = client.post("/login", data={"username": "tn-member", "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_open_redirect_is_refused(app, world):
    client = app.test_client()
    response = client.post(
        "/login?next=//evil.example/x", data={"username": "tn-member", "password": PASSWORD}
    )
    assert response.location == "/"


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[x](javascript:alert(1))",
        '<a href="javascript:alert(1)">x</a>',
        "<svg onload=alert(1)>",
        "<iframe src=//x></iframe>",
    ],
)
def test_markdown_is_sanitised(app, world, payload):
    member = login(app, "tn-member")
    comment(member, world, text=f"Trước {payload} sau")
    page = member.get(f"/c/{world.consultation_id}/a/chuong-1/dieu-3").get_data(as_text=True)
    body = page.split('id="comments-heading"')[1].split('id="comment-form"')[0]
    # Raw HTML is shown as text (escaped): no element or attribute of the payload exists.
    elements = _Elements()
    elements.feed(body)
    assert not {"script", "img", "iframe", "svg"} & elements.tags
    assert not [name for name in elements.attributes if name.startswith("on")]
    assert not [v for v in elements.values if v.strip().lower().startswith("javascript:")]
    assert "Trước" in body
    assert "sau" in body


class _Elements(HTMLParser):
    """Collects the tags, attribute names and attribute values of an HTML fragment."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attributes: list[str] = []
        self.values: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attributes += [name for name, _value in attrs]
        self.values += [value or "" for _name, value in attrs]


def test_organizer_opens_a_consultation_and_invites_later(app, world):
    organizer = login(app, "organizer")
    s = store(world)
    version = s.get_version(world.draft_id, 2)
    form = {
        "version_id": str(version.id),
        "title": "Lấy ý kiến Dự thảo 2",
        "opens": "2030-01-01T08:00",
        "deadline": "2029-12-01T08:00",
        "units": [str(world.units["thai-nguyen"])],
    }
    response = organizer.post("/admin/consultations/new", data=form)
    assert response.status_code == 400  # deadline before opening: shown again
    assert "Lấy ý kiến Dự thảo 2" in response.get_data(as_text=True)
    form["deadline"] = "2030-01-31T17:00"
    response = organizer.post("/admin/consultations/new", data=form)
    assert response.status_code == 302
    consultation = store(world).list_consultations()[0]
    # Local time in Hanoi (UTC+7) is stored as UTC.
    assert (consultation.opens_at, consultation.deadline) == (
        "2030-01-01T01:00:00+00:00",
        "2030-01-31T10:00:00+00:00",
    )
    assert [u.code for u in store(world).consultation_units(consultation.id)] == ["thai-nguyen"]
    organizer.post(
        f"/admin/c/{consultation.id}/invite", data={"unit_id": str(world.units["lao-cai"])}
    )
    assert {u.code for u in store(world).consultation_units(consultation.id)} == {
        "thai-nguyen",
        "lao-cai",
    }
    # Not open yet: delegates may read but not write.
    lao_cai = login(app, "lc-lead")
    assert lao_cai.get(f"/c/{consultation.id}").status_code == 200
    assert (
        lao_cai.post(
            f"/c/{consultation.id}/comments", data={"target": "", "kind": "comment", "text": "x"}
        ).status_code
        == 409  # not open yet: refused with the reason
    )
    assert store(world).list_comments(consultation.id) == []


def test_new_version_links_to_comments_on_the_old_article(app, world):
    organizer = login(app, "organizer")
    # Điều 10 of version 1 became Điều 4 of version 2 (moved to Chương I).
    page = organizer.get(f"/drafts/{world.draft_id}/v2/articles/chuong-1/dieu-4").get_data(
        as_text=True
    )
    assert f"/admin/c/{world.consultation_id}/a/chuong-3/dieu-10" in page
    page = organizer.get(f"/admin/c/{world.consultation_id}/a/chuong-3/dieu-10").get_data(
        as_text=True
    )
    assert f"/drafts/{world.draft_id}/v2/articles/chuong-1/dieu-4" in page
    page = organizer.get(f"/drafts/{world.draft_id}/v2/articles/chuong-3/dieu-11").get_data(
        as_text=True
    )
    assert (
        "/admin/c/" not in page.split('class="notice"')[1][:300]
    )  # a new article: nothing to link


@pytest.mark.parametrize(
    "target",
    [
        "/c/%0d%0aSet-Cookie:%20x=1",
        "/c/%0aLocation:%20//evil.example",
        "/%09/evil.example",
        "/\\evil.example",
        "https://evil.example/",
        "//evil.example/",
    ],
)
def test_a_next_address_with_a_header_break_or_another_host_goes_home(app, target):
    client = app.test_client()
    response = client.get(f"/lang/en?next={target}")
    assert response.status_code == 302
    assert response.location == "/"
    assert "x=1" not in response.headers.get("Set-Cookie", "")
    response = client.post(
        f"/login?next={target}", data={"username": "tn-member", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.location == "/"


def test_sessions_end_after_the_absolute_lifetime_however_active(world, monkeypatch):
    import time as time_module

    app = make_app(world.db_path, SESSION_ABSOLUTE_LIFETIME=3600)
    client = login(app, "tn-member")
    assert client.get("/c/").status_code == 200
    started = time_module.time()
    monkeypatch.setattr(time_module, "time", lambda: started + 3500)
    assert client.get("/c/").status_code == 200
    monkeypatch.setattr(time_module, "time", lambda: started + 3601)
    response = client.get("/c/")
    assert response.status_code == 302
    assert "/login" in response.location
