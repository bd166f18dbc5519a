"""Comments received outside drafter: an organizer enters them for a unit, submits its
response with its signed letter, and everything is marked as entered by the organizers."""

from __future__ import annotations

import io
import re

import pytest

from drafter.errors import InvalidInput
from drafter.letters import MAX_LETTER_BYTES, check_letter
from drafter.storage import open_store

from .consultation_fixture import PASSWORD

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _signed_in(app, username):
    client = app.test_client()
    response = client.post("/login", data={"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def _counts(world):
    store = open_store(world.db_path)
    try:
        return {
            table: store.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
            for table in ("comment", "submission", "submission_letter", "audit")
        }
    finally:
        store.close()


def test_an_organizer_enters_and_submits_a_units_paper_response(app, world):
    organizer = _signed_in(app, "organizer")
    c, qn = world.consultation_id, world.units["quang-nam"]
    page = organizer.get(f"/admin/c/{c}/units/{qn}")
    assert page.status_code == 200
    response = organizer.post(
        f"/admin/c/{c}/units/{qn}/comments",
        data={"target": "chuong-1/dieu-3", "kind": "new_wording", "text": "Theo Công văn số 12",
              "proposed_text": "Đảng đoàn họp mỗi quý một lần."},
    )  # fmt: skip
    assert response.status_code == 302
    # Shown to the organizers, in the article view, as entered on the unit's behalf.
    page = organizer.get(f"/admin/c/{c}/units/{qn}").get_data(as_text=True)
    assert "Theo Công văn số 12" in page
    assert "do ban tổ chức nhập" in page
    # Submitting needs the confirmation box, and a real PDF or image as the letter.
    before = _counts(world)
    refused = organizer.post(f"/admin/c/{c}/units/{qn}/submit", data={})
    assert refused.status_code == 400
    disguised = organizer.post(
        f"/admin/c/{c}/units/{qn}/submit",
        data={"confirm": "1", "letter": (io.BytesIO(b"<html>x</html>"), "cv.pdf")},
        content_type="multipart/form-data",
    )
    assert disguised.status_code == 400
    assert "PDF, PNG hoặc JPEG" in disguised.get_data(as_text=True)
    assert _counts(world) == before  # no submission without its letter: one transaction

    response = organizer.post(
        f"/admin/c/{c}/units/{qn}/submit",
        data={"confirm": "1", "letter": (io.BytesIO(PDF), "Công văn 12-CV-TU.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    page = organizer.get(f"/admin/c/{c}/units/{qn}").get_data(as_text=True)
    link = re.search(r'href="(/admin/letters/(\d+))">([^<]+)</a>', page)
    assert link
    assert link[3] == "Công văn 12-CV-TU.pdf"
    download = organizer.get(link[1])
    assert download.status_code == 200
    assert download.data == PDF
    assert download.mimetype == "application/pdf"
    # The unit's own delegates may read their letter; another unit's may not.
    qn_lead = _signed_in(app, "qn-lead")
    assert qn_lead.get(link[1]).data == PDF
    assert link[1] in qn_lead.get(f"/c/{c}").get_data(as_text=True)  # linked on its page
    assert _signed_in(app, "tn-lead").get(link[1]).status_code == 403
    # The unit's response now stands submitted, its comment in it, marked in the audit log.
    dashboard = organizer.get(f"/admin/c/{c}").get_data(as_text=True)
    assert re.search(r"Tỉnh ủy Quảng Nam</a></td><td class=\"state-submitted\"", dashboard)
    audit = organizer.get("/admin/audit").get_data(as_text=True)
    assert "đã gửi ý kiến của Tỉnh ủy Quảng Nam thay cho đơn vị" in audit
    # Nothing more can be entered until the unit withdraws; another letter can be attached.
    late = organizer.post(
        f"/admin/c/{c}/units/{qn}/comments", data={"kind": "comment", "text": "Thêm"}
    )
    assert late.status_code == 409
    again = organizer.post(
        f"/admin/c/{c}/units/{qn}/letter",
        data={"letter": (io.BytesIO(PNG), "trang-2.png")},
        content_type="multipart/form-data",
    )
    assert again.status_code == 302
    assert _counts(world)["submission_letter"] == 2


def test_letters_are_size_limited_and_named_safely():

    assert check_letter("C:\\scan\\cv 12.PDF", PDF) == ("cv 12.pdf", "application/pdf")
    assert check_letter('a"\x00b.jpeg', b"\xff\xd8\xff\xe0" + b"0" * 10) == ("ab.jpg", "image/jpeg")
    assert check_letter("", PNG) == ("cong-van.png", "image/png")
    with pytest.raises(InvalidInput):
        check_letter("big.pdf", PDF + b"0" * MAX_LETTER_BYTES)
    with pytest.raises(InvalidInput):
        check_letter("x.pdf", b"")
    with pytest.raises(InvalidInput):
        check_letter("x.png", b"GIF89a")


def test_organizers_never_see_or_send_a_units_unsubmitted_drafts(app, world):
    """A unit's drafts stay its own: the organizer's page of the unit does not show them,
    and submitting on the unit's behalf is refused while they exist; an organizer-entered
    comment keeps its mark after the unit's delegate edits it."""
    c, tn = world.consultation_id, world.units["thai-nguyen"]
    member = _signed_in(app, "tn-member")
    response = member.post(
        f"/c/{c}/comments",
        data={"target": "chuong-1/dieu-3", "kind": "comment", "text": "BẢN NHÁP NỘI BỘ"},
    )
    assert response.status_code == 302
    organizer = _signed_in(app, "organizer")
    page = organizer.get(f"/admin/c/{c}/units/{tn}").get_data(as_text=True)
    assert "BẢN NHÁP NỘI BỘ" not in page
    entered = organizer.post(
        f"/admin/c/{c}/units/{tn}/comments",
        data={"target": "chuong-1/dieu-3", "kind": "comment", "text": "Theo công văn giấy"},
    )
    assert entered.status_code == 302
    before = _counts(world)
    refused = organizer.post(f"/admin/c/{c}/units/{tn}/submit", data={"confirm": "1"})
    assert refused.status_code == 409
    assert _counts(world) == before
    # The delegate edits the organizer's entry: it stays marked as entered by the organizers.
    store = open_store(world.db_path)
    entry = next(x for x in store.list_comments(c, unit_id=tn) if x.text == "Theo công văn giấy")
    store.close()
    edited = member.post(
        f"/c/{c}/comments/{entry.id}/edit", data={"kind": "comment", "text": "Theo công văn (sửa)"}
    )
    assert edited.status_code == 302
    store = open_store(world.db_path)
    again = next(x for x in store.list_comments(c, unit_id=tn) if x.id == entry.id)
    store.close()
    assert again.by_organizer


def test_the_units_delegates_get_the_receipt_of_a_response_submitted_for_it(app, world):
    from drafter import accounts

    from .consultation_fixture import PASSWORD as _PW

    store = open_store(world.db_path)
    qn = world.units["quang-nam"]
    accounts.create_delegate(store, qn, "qn-mail", "Lê Thư", password=_PW, email="thu@qn.example")
    store.close()
    organizer = _signed_in(app, "organizer")
    c = world.consultation_id
    organizer.post(f"/admin/c/{c}/units/{qn}/comments",
                   data={"target": "chuong-1/dieu-3", "kind": "comment", "text": "Theo công văn"})  # fmt: skip
    assert (
        organizer.post(f"/admin/c/{c}/units/{qn}/submit", data={"confirm": "1"}).status_code == 302
    )
    store = open_store(world.db_path)
    queued = [m.mail for m in store.list_mail()]
    store.close()
    assert [(m.kind, m.recipient) for m in queued] == [("receipt", "thu@qn.example")]
    assert "Theo công văn" in queued[0].text
