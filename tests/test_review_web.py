"""The Word round trip on the web: a delegate downloads the unit's review copy, uploads it
edited, checks the preview and confirms; the organizer does the same for a unit."""

from __future__ import annotations

import io
import re
from pathlib import Path

from drafter.storage import open_store

from .consultation_fixture import login
from .review_edits import Editor, open_copy, save

REAL = Path("/work/shared/real-docx")


def _edited(copy: bytes) -> bytes:
    document = open_copy(copy)
    editor = Editor(document, tracked=True)
    editor.replace("1. Quy định này quy định", "tổ chức bộ", "cơ cấu tổ chức bộ")
    editor.delete_paragraph("b) Ban cán sự đảng ủy ban nhân dân cấp tỉnh;")
    return save(document)


def _upload(client, c, code, data, name="gop-y.docx"):
    return client.post(
        f"/c/{c}/units/{code}/review",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def _comments(world, unit="thai-nguyen"):
    store = open_store(world.db_path)
    try:
        return store.list_comments(world.consultation_id, unit_id=world.units[unit])
    finally:
        store.close()


def test_a_delegate_uploads_previews_and_confirms(app, world):
    c = world.consultation_id
    client = login(app, "tn-member")
    page = client.get(f"/c/{c}").get_data(as_text=True)
    assert f"/c/{c}/units/thai-nguyen/review-copy.docx" in page
    copy = client.get(f"/c/{c}/units/thai-nguyen/review-copy.docx")
    assert copy.status_code == 200
    response = _upload(client, c, "thai-nguyen", _edited(copy.data))
    assert response.status_code == 302
    preview_url = response.headers["Location"]
    preview = client.get(preview_url).get_data(as_text=True)
    assert "<ins>cơ cấu </ins>" in preview or "<ins> cơ cấu</ins>" in preview
    assert "Nguyễn Văn A" in preview
    assert _comments(world) == []  # nothing saved before the confirmation
    confirmed = client.post(preview_url)
    assert confirmed.status_code == 302
    comments = _comments(world)
    assert sorted((x.kind, x.node_key) for x in comments) == [
        ("delete", "chuong-1/dieu-1/khoan-2/diem-b"),
        ("new_wording", "chuong-1/dieu-1/khoan-1"),
    ]
    assert {x.author for x in comments} == {"TN-MEMBER"}
    # A second confirmation of the same upload finds nothing pending.
    assert client.post(preview_url).status_code == 404
    # The same file again: nothing new to save.
    again = _upload(client, c, "thai-nguyen", _edited(copy.data))
    page = client.get(again.headers["Location"]).get_data(as_text=True)
    assert re.search(r"\(2\)", page)
    client.post(again.headers["Location"])
    assert len(_comments(world)) == 2


def test_the_organizer_imports_for_a_unit_and_other_files_are_refused(app, world):
    c = world.consultation_id
    organizer = login(app, "organizer")
    page = organizer.get(f"/admin/c/{c}/units/{world.units['thai-nguyen']}").get_data(True)
    assert "review-copy.docx" in page
    copy = organizer.get(f"/c/{c}/units/thai-nguyen/review-copy.docx").data
    response = _upload(organizer, c, "thai-nguyen", _edited(copy))
    assert organizer.post(response.headers["Location"]).status_code == 302
    comments = _comments(world)
    assert len(comments) == 2
    assert all(x.by_organizer for x in comments)
    # Another unit's copy uploaded for Thái Nguyên, and Word files of other documents.
    other = organizer.get(f"/c/{c}/units/quang-nam/review-copy.docx").data
    wrong = _upload(organizer, c, "thai-nguyen", other)
    assert wrong.status_code == 400
    assert "bản góp ý của đơn vị khác" in wrong.get_data(as_text=True)
    delegate = login(app, "tn-member")
    for path in sorted(REAL.glob("*.docx")):
        refused = _upload(delegate, c, "thai-nguyen", path.read_bytes(), path.name)
        assert refused.status_code == 400, path.name
        assert "không phải là bản sao dự thảo" in refused.get_data(as_text=True)
    broken = _upload(delegate, c, "thai-nguyen", b"PK\x03\x04 not a zip", "x.docx")
    assert broken.status_code == 422


def test_a_pending_file_can_be_discarded_and_the_quota_holds(world, tmp_path):
    from .consultation_fixture import make_app

    app = make_app(world.db_path, COMMENT_QUOTA=1)
    c = world.consultation_id
    client = login(app, "tn-member")
    copy = client.get(f"/c/{c}/units/thai-nguyen/review-copy.docx").data
    first = _upload(client, c, "thai-nguyen", _edited(copy))
    assert client.post(first.headers["Location"], data={"action": "discard"}).status_code == 302
    assert client.get(first.headers["Location"]).status_code == 404
    # Two proposals, a quota of one comment per unit: nothing is saved, the file stays.
    second = _upload(client, c, "thai-nguyen", _edited(copy))
    refused = client.post(second.headers["Location"], data={"action": "confirm"})
    assert refused.status_code == 409
    assert _comments(world) == []
    assert client.get(second.headers["Location"]).status_code == 200
