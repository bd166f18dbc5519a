"""Official letters: a unit's response ("công văn góp ý") and the request for comments
("công văn xin ý kiến"), laid out per Decree 30/2020 and re-read with python-docx."""

from __future__ import annotations

import io

import docx

from drafter import consulting

from .consultation_fixture import PASSWORD, make_app


def _client(app, username):
    client = app.test_client()
    assert (
        client.post("/login", data={"username": username, "password": PASSWORD}).status_code == 302
    )
    return client


def _texts(data: bytes) -> tuple[list[str], list[list[str]], object]:
    document = docx.Document(io.BytesIO(data))
    paragraphs = [p.text for p in document.paragraphs]
    tables = [[c.text for c in t.rows[0].cells] for t in document.tables]
    return paragraphs, tables, document


def test_a_units_response_letter_is_ready_to_sign(world, tmp_path):
    from drafter.storage import open_store

    store = open_store(world.db_path)
    consultation = store.get_consultation(world.consultation_id)
    lead = store.get_user(world.users["tn-lead"])
    now = consulting.utc_now()
    consulting.add_comment(store, lead, consultation, key="chuong-1/dieu-3", kind="comment",
                           text="Đề nghị làm rõ **thẩm quyền**.", proposed_text=None, now=now)  # fmt: skip
    store.close()
    app = make_app(world.db_path, CONSULTING_BODY="Ban Tổ chức Trung ương")
    response = _client(app, "tn-lead").get(f"/c/{world.consultation_id}/letter.docx")
    assert response.status_code == 200
    assert "filename*=UTF-8''" in response.headers["Content-Disposition"]
    paragraphs, tables, document = _texts(response.data)
    header, signature = tables[0], tables[-1]
    assert header[0].startswith("TỈNH ỦY THÁI NGUYÊN")  # the unit is the issuing body
    assert "Số:" in header[0]
    assert header[1].startswith("ĐẢNG CỘNG SẢN VIỆT NAM")  # a Party body's heading
    assert "ngày" in header[1]
    assert "Kính gửi: Ban Tổ chức Trung ương." in paragraphs
    assert any(p.startswith("Điều 3") for p in paragraphs)
    body = "\n".join(paragraphs)
    assert "Đề nghị làm rõ thẩm quyền." in body  # Markdown as runs, no marks
    bold = [r.text for p in document.paragraphs for r in p.runs if r.bold]
    assert "thẩm quyền" in bold
    assert signature[0].startswith("Nơi nhận:")
    assert signature[1].startswith("T/M TỈNH ỦY THÁI NGUYÊN")
    # The README's picture of the letter, as LibreOffice prints it.
    from .test_exports import _soffice_pdf, picture

    picture(_soffice_pdf(response.data, tmp_path, "letter.docx"), "letter", resolution=50)
    # Another unit's delegate reads their own unit's letter, never this one's comments.
    other = _client(app, "qn-lead").get(f"/c/{world.consultation_id}/letter.docx")
    assert "Đề nghị làm rõ" not in "\n".join(_texts(other.data)[0])


def test_the_request_for_comments_names_the_units_and_the_deadline(world):
    app = make_app(world.db_path, CONSULTING_BODY="Ban Tổ chức Trung ương",
                   BASE_URL="https://gopy.example.vn")  # fmt: skip
    response = _client(app, "organizer").get(
        f"/admin/c/{world.consultation_id}/request-letter.docx"
    )
    assert response.status_code == 200
    paragraphs, tables, _document = _texts(response.data)
    assert tables[0][0].startswith("BAN TỔ CHỨC TRUNG ƯƠNG")
    to = next(p for p in paragraphs if p.startswith("Kính gửi:"))
    assert "Tỉnh ủy Thái Nguyên" in to
    assert "Tỉnh ủy Quảng Nam" in to
    body = "\n".join(paragraphs)
    assert "Thời hạn gửi ý kiến:" in body
    assert f"https://gopy.example.vn/c/{world.consultation_id}" in body
    assert tables[-1][1].startswith("T/M BAN TỔ CHỨC TRUNG ƯƠNG")
