"""Deadlines, confirmation pages, contradictions and answers back to units through the web
layer (Flask's test client on a real SQLite file)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from html import unescape
from zoneinfo import ZoneInfo

from drafter.storage import open_store

from .consultation_fixture import login, make_app
from .docx_text import paragraphs

ARTICLE = "chuong-1/dieu-3"
SECRET = "Giải trình nội bộ chưa công bố 7f3a"


def store(world):
    return open_store(world.db_path)


def comment(client, world, key=ARTICLE, kind="comment", text="Ý kiến", proposed=""):
    data = {
        "article": ARTICLE,
        "target": key,
        "kind": kind,
        "text": text,
        "proposed_text": proposed,
    }
    return client.post(f"/c/{world.consultation_id}/comments", data=data)


def local(delta: timedelta) -> str:
    zone = ZoneInfo("Asia/Ho_Chi_Minh")
    return (datetime.now(UTC) + delta).astimezone(zone).strftime("%Y-%m-%dT%H:%M")


def text_of(response) -> str:
    return unescape(response.get_data(as_text=True))


def test_submitting_goes_through_a_confirmation_page(app, world):
    lead, member = login(app, "tn-lead"), login(app, "tn-member")
    c = world.consultation_id
    comment(member, world, text="Ý kiến thứ nhất")
    comment(member, world, key="chuong-1/dieu-3/khoan-1", kind="question", text="Câu hỏi")
    page = lead.get(f"/c/{c}").get_data(as_text=True)
    # The consultation page offers a link to the confirmation, no form that submits at once.
    assert f'href="/c/{c}/submit"' in page
    assert f'action="/c/{c}/submit"' not in page
    confirm = lead.get(f"/c/{c}/submit")
    body = text_of(confirm)
    assert confirm.status_code == 200
    assert "Bạn sắp gửi 2 ý kiến sau của đơn vị tới cơ quan chủ trì" in body
    assert "Ý kiến thứ nhất" in body
    assert "Câu hỏi" in body
    expected = re.search(r'name="expected" value="([0-9a-f]+)"', body).group(1)
    assert f'action="/c/{c}/submit"' in body
    assert not store(world).list_submissions(c, world.units["thai-nguyen"])  # GET sends nothing
    # A comment added meanwhile: the confirmation is refused, nothing is sent.
    comment(member, world, text="Muộn")
    response = lead.post(f"/c/{c}/submit", data={"expected": expected})
    assert response.status_code == 302
    assert not store(world).list_submissions(c, world.units["thai-nguyen"])
    body = text_of(lead.get(f"/c/{c}/submit"))
    expected = re.search(r'name="expected" value="([0-9a-f]+)"', body).group(1)
    assert lead.post(f"/c/{c}/submit", data={"expected": expected}).status_code == 302
    (submission,) = store(world).list_submissions(c, world.units["thai-nguyen"])
    assert submission.items == 3
    page = text_of(lead.get(f"/c/{c}"))
    assert 'id="submitted-note"' in page
    assert "Đã gửi tới cơ quan chủ trì lúc" in page
    assert "3 ý kiến" in page
    assert "bản nháp nội bộ" not in page.lower()  # no longer "internal drafts"
    # A member cannot open the confirmation; another unit's lead cannot either.
    assert member.get(f"/c/{c}/submit").status_code == 403
    assert login(app, "lc-lead").get(f"/c/{c}/submit").status_code == 403


def test_no_comments_goes_through_a_confirmation_page(app, world):
    qn = login(app, "qn-lead")
    c = world.consultation_id
    page = qn.get(f"/c/{c}").get_data(as_text=True)
    assert f'href="/c/{c}/no-comments"' in page
    body = text_of(qn.get(f"/c/{c}/no-comments"))
    assert "không có ý kiến về dự thảo này" in body
    assert f'action="/c/{c}/no-comments"' in body
    assert qn.post(f"/c/{c}/no-comments").status_code == 302
    (submission,) = store(world).list_submissions(c, world.units["quang-nam"])
    assert submission.no_comments
    assert "là không có ý kiến" in text_of(qn.get(f"/c/{c}"))


def test_contradiction_flagged_before_submitting_and_to_the_organizer(app, world):
    lead = login(app, "tn-lead")
    c = world.consultation_id
    lead.post(f"/c/{c}/a/{ARTICLE}/agree")
    assert 'id="contradiction"' not in lead.get(f"/c/{c}/a/{ARTICLE}").get_data(as_text=True)
    comment(lead, world, kind="new_wording", text="Sửa", proposed="Điều 3. Mới")
    assert 'id="contradiction"' in lead.get(f"/c/{c}/a/{ARTICLE}").get_data(as_text=True)
    body = lead.get(f"/c/{c}/submit").get_data(as_text=True)
    assert 'id="contradictions"' in body
    assert f'href="/c/{c}/a/{ARTICLE}"' in body
    lead.post(f"/c/{c}/submit")
    organizer = login(app, "organizer")
    page = text_of(organizer.get(f"/admin/c/{c}/a/{ARTICLE}"))
    assert "Mâu thuẫn: các đơn vị này vừa nhất trí" in page
    assert "Tỉnh ủy Thái Nguyên" in page
    csv = organizer.get(f"/admin/c/{c}/export/summary.csv").get_data().decode("utf-8-sig")
    assert "Vừa nhất trí vừa góp ý (mâu thuẫn, không tính là nhất trí): 1 đơn vị" in csv


def test_closing_is_confirmed_and_a_closed_consultation_reopens(app, world):
    organizer = login(app, "organizer")
    c = world.consultation_id
    dashboard = organizer.get(f"/admin/c/{c}").get_data(as_text=True)
    assert f'href="/admin/c/{c}/close"' in dashboard
    assert f'action="/admin/c/{c}/close"' not in dashboard
    body = text_of(organizer.get(f"/admin/c/{c}/close"))
    assert "0/2 đơn vị đã gửi ý kiến." in body
    assert "Tỉnh ủy Thái Nguyên" in body
    assert "Tỉnh ủy Quảng Nam" in body
    assert store(world).get_consultation(c).closed_at is None  # GET closes nothing
    assert organizer.post(f"/admin/c/{c}/close").status_code == 302
    assert store(world).get_consultation(c).closed_at is not None
    # Reopening: a past deadline is refused with the reason, nothing changes.
    response = organizer.post(f"/admin/c/{c}/reopen", data={"deadline": local(-timedelta(days=1))})
    assert response.status_code == 400
    assert "Hạn mới phải ở trong tương lai." in text_of(response)
    assert store(world).get_consultation(c).closed_at is not None
    response = organizer.post(f"/admin/c/{c}/reopen", data={"deadline": local(timedelta(days=3))})
    assert response.status_code == 302
    assert store(world).get_consultation(c).closed_at is None
    page = text_of(organizer.get(f"/admin/c/{c}/deadlines"))
    assert "mở lại đến" in page


def test_extending_the_deadline_of_one_unit(app, world):
    organizer = login(app, "organizer")
    c = world.consultation_id
    s = store(world)
    past = (datetime.now(UTC) - timedelta(hours=1)).replace(microsecond=0).isoformat()
    with s.transaction():
        s.set_deadline(c, past)
    tn = login(app, "tn-member")
    assert comment(tn, world).status_code == 409  # past the deadline
    response = organizer.post(
        f"/admin/c/{c}/deadline",
        data={"deadline": "not a date", "unit_id": world.units["thai-nguyen"]},
    )
    assert response.status_code == 400
    response = organizer.post(
        f"/admin/c/{c}/deadline",
        data={"deadline": local(timedelta(days=2)), "unit_id": world.units["thai-nguyen"]},
    )
    assert response.status_code == 302
    assert comment(tn, world).status_code == 302  # Thái Nguyên writes again
    assert comment(login(app, "qn-lead"), world).status_code == 409  # Quảng Nam does not
    page = text_of(organizer.get(f"/admin/c/{c}/deadlines"))
    assert "hạn riêng" in page
    assert "Tỉnh ủy Thái Nguyên:" in page
    assert "hạn riêng" in text_of(organizer.get(f"/admin/c/{c}"))


def _submitted_with_answer(app, world):
    """Thái Nguyên submits a comment; the organizer answers it with SECRET (unpublished)."""
    lead = login(app, "tn-lead")
    comment(lead, world, kind="new_wording", text="Đề xuất", proposed="Điều 3. Mới")
    lead.post(f"/c/{world.consultation_id}/submit")
    (saved,) = store(world).list_comments(world.consultation_id, submitted_only=True)
    organizer = login(app, "organizer")
    organizer.post(
        f"/admin/comments/{saved.id}/answer", data={"status": "accepted", "explanation": SECRET}
    )
    organizer.post(f"/admin/c/{world.consultation_id}/share", data={"share": "1"})
    return organizer, saved


def _everything_a_delegate_reaches(client, world):
    """Yield (url, text) of every page and download a delegate can open in the consultation."""
    c = world.consultation_id
    s = store(world)
    consultation = s.get_consultation(c)
    urls = ["/c/", f"/c/{c}", f"/c/{c}/answers", f"/c/{c}/submit", f"/c/{c}/no-comments"]
    urls += [f"/c/{c}/a/{a.key}" for a in s.iter_articles(consultation.version_id)]
    urls += [f"/c/{c}/comments/{x.id}/edit" for x in s.list_comments(c, include_withdrawn=True)]
    for url in urls:
        response = client.get(url, follow_redirects=True)
        yield url, response.get_data(as_text=True)
    data = client.get(f"/c/{c}/answers.docx").get_data()
    yield "answers.docx", "\n".join(paragraphs(data, accept=True))


def test_an_unpublished_answer_is_nowhere_a_delegate_can_reach(app, world):
    organizer, saved = _submitted_with_answer(app, world)
    assert SECRET in organizer.get(f"/admin/c/{world.consultation_id}/a/{ARTICLE}").get_data(
        as_text=True
    )
    for name in ("tn-lead", "tn-member", "qn-lead"):  # the unit, and a unit it is shared with
        client = login(app, name)
        for url, text in _everything_a_delegate_reaches(client, world):
            assert SECRET not in text, (name, url)
    # The organizer's preview of the unit's page shows what the unit sees: nothing yet.
    preview = organizer.get(
        f"/admin/c/{world.consultation_id}/units/{world.units['thai-nguyen']}/answers"
    )
    assert SECRET not in preview.get_data(as_text=True)
    organizer.post(
        f"/admin/c/{world.consultation_id}/answers/publish",
        data={"unit_id": world.units["thai-nguyen"]},
    )
    client = login(app, "tn-member")
    seen = dict(_everything_a_delegate_reaches(client, world))
    assert SECRET in seen[f"/c/{world.consultation_id}/answers"]
    assert SECRET in seen["answers.docx"]
    assert SECRET in seen[f"/c/{world.consultation_id}/a/{ARTICLE}"]
    # Edited after publication: the new wording stays internal, the published one is shown.
    organizer.post(
        f"/admin/comments/{saved.id}/answer",
        data={"status": "partly", "explanation": "Bản sửa chưa công bố 9c1d"},
    )
    for url, text in _everything_a_delegate_reaches(client, world):
        assert "Bản sửa chưa công bố 9c1d" not in text, url


def test_answer_several_comments_with_a_template(app, world):
    lead = login(app, "tn-lead")
    c = world.consultation_id
    comment(lead, world, text="Một")
    comment(lead, world, key="chuong-1/dieu-2", text="Hai")
    lead.post(f"/c/{c}/submit")
    ids = [x.id for x in store(world).list_comments(c, submitted_only=True)]
    organizer = login(app, "organizer")
    organizer.post(
        "/admin/answer-templates",
        data={
            "title": "Giữ như dự thảo",
            "text": "Xin giữ như dự thảo vì đã rõ.",
            "status": "rejected",
        },
    )
    (template,) = store(world).list_answer_templates()
    page = organizer.get(f"/admin/c/{c}/comments?answered=no").get_data(as_text=True)
    assert all(f'value="{i}"' in page for i in ids)
    # "Use this template" fills the box and keeps the choice; nothing is saved.
    filled = organizer.post(
        f"/admin/c/{c}/comments?answered=no",
        data={"comment_ids": [str(ids[0])], "template": template.id, "fill": "1"},
    )
    body = text_of(filled)
    assert ">Xin giữ như dự thảo vì đã rõ.</textarea>" in body
    assert f'value="{ids[0]}" id="pick-{ids[0]}" aria-label' in body
    assert 'value="rejected" checked' in body
    assert all(store(world).get_comment(i).answer is None for i in ids)
    response = organizer.post(
        f"/admin/c/{c}/comments?answered=no",
        data={
            "comment_ids": [str(i) for i in ids],
            "status": "rejected",
            "explanation": "Xin giữ.",
        },
    )
    assert response.status_code == 302
    assert [store(world).get_comment(i).answer.status for i in ids] == ["rejected", "rejected"]
    assert "Không có ý kiến đã gửi nào phù hợp." in text_of(
        organizer.get(f"/admin/c/{c}/comments?answered=no")
    )
    # Bad input: a reason is required for "not accepted"; the page comes back with a 400.
    response = organizer.post(
        f"/admin/c/{c}/comments", data={"comment_ids": [str(ids[0])], "status": "rejected"}
    )
    assert response.status_code == 400
    # One comment's answer box, filled from the template without JavaScript.
    response = organizer.post(
        f"/admin/comments/{ids[0]}/answer", data={"template": template.id, "fill": "1"}
    )
    assert response.status_code == 302
    page = text_of(organizer.get(response.location))
    assert ">Xin giữ như dự thảo vì đã rõ.</textarea>" in page


def test_confirmation_forms_need_the_csrf_token(world):
    app = make_app(world.db_path, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    token = re.search(
        r'name="csrf_token" value="([^"]+)"', client.get("/login").get_data(as_text=True)
    ).group(1)
    from .consultation_fixture import PASSWORD

    client.post("/login", data={"username": "organizer", "password": PASSWORD, "csrf_token": token})
    page = client.get(f"/admin/c/{world.consultation_id}/close").get_data(as_text=True)
    assert 'name="csrf_token"' in page
    assert client.post(f"/admin/c/{world.consultation_id}/close").status_code == 400
    assert store(world).get_consultation(world.consultation_id).closed_at is None
