"""Where the merged streams meet: a guidance text (units of comment of kind `item`) through
the Word round trip, the trace into the next version, and the comments listing."""

from __future__ import annotations

import io
import re

import pytest

from drafter import review_copy, review_import
from drafter.storage import open_store

from .review_edits import Editor, open_copy, save
from .test_guidance import guidance_world  # noqa: F401  (fixture)

NOW = "2026-12-04T10:00:00+00:00"


def test_a_guidance_texts_review_copy_places_edits_on_items_and_sub_items(guidance_world):  # noqa: F811
    db, consultation_id, _draft, organizer_id, lead_id, _m = guidance_world
    store = open_store(db)
    try:
        organizer = store.get_user(organizer_id)
        data = review_copy.review_copy_file(
            store, organizer, consultation_id, "tinh-uy", zone="Asia/Ho_Chi_Minh"
        ).data
        document = open_copy(data)
        editor = Editor(document, tracked=True)
        editor.replace("1.1. Đầu tư máy chủ", "dùng chung", "dùng chung, an toàn")
        editor.replace("Xây dựng cơ sở dữ liệu", "thống nhất", "thống nhất toàn quốc")
        edited = save(document)
        lead = store.get_user(lead_id)
        shown = review_import.preview_bytes(
            store, lead, consultation_id, "tinh-uy", "gop-y.docx", edited
        )
        assert {(i.kind, i.key) for i in shown.new} == {
            ("new_wording", "phan-2/y-1/khoan-1-1"),
            ("new_wording", "phan-2/y-2"),
        }
        assert shown.unplaced == []
        # Items are numbered anew in each part: the preview names the part too.
        assert {i.key: i.heading for i in shown.new} == {
            "phan-2/y-1/khoan-1-1": "Phần II › 1. › 1.1.",
            "phan-2/y-2": "Phần II › 2.",
        }
    finally:
        store.close()


def _submitted(store, consultation_id, lead_id, proposals):
    from drafter import consulting

    lead = store.get_user(lead_id)
    consultation = store.get_consultation(consultation_id)
    now = consulting.utc_now()
    ids = [
        consulting.add_comment(
            store,
            lead,
            consultation,
            key=key,
            kind="new_wording",
            text="",
            proposed_text=text,
            now=now,
        )  # fmt: skip
        for key, text in proposals
    ]
    consulting.submit(store, lead, consultation, no_comments=False, now=now)
    return ids


def test_a_proposal_on_a_whole_item_is_traced_into_the_next_version(guidance_world):  # noqa: F811
    """An item's own wording is looked for in the matching item of the next version (here
    moved from 2. to 1.), as an article's is."""
    from drafter import answering, tracing

    db, consultation_id, _draft, organizer_id, lead_id, _m = guidance_world
    store = open_store(db)
    try:
        (applied, missing) = _submitted(
            store, consultation_id, lead_id,
            [("phan-2/y-2", "2. Về dữ liệu\nXây dựng cơ sở dữ liệu đảng viên thống nhất."),
             ("phan-3/y-1", "1. Các cấp ủy phổ biến hướng dẫn này đến từng đảng viên.")],
        )  # fmt: skip
        organizer = store.get_user(organizer_id)
        for comment_id in (applied, missing):
            answering.answer(
                store, organizer, comment_id, status="accepted", explanation="Tiếp thu.",
                now=NOW,
            )  # fmt: skip
        traced = tracing.trace(store, consultation_id)
    finally:
        store.close()
    assert traced.version == 2
    assert traced.items[applied].state == "applied"
    assert traced.items[applied].where == "phan-2/y-1"
    assert tracing.where_name("phan-2/y-1", 2).startswith("Thể hiện tại ")
    assert traced.items[missing].state == "accepted_not_applied"


GUIDANCE_WITH_REFERENCES = """HƯỚNG DẪN

Thực hiện Quy định về công tác văn thư

I. MỤC ĐÍCH

1. Mục đích

Thực hiện đúng Điều 5 và khoản 2 Điều 3 của Quy định này; xem mục 2.

2. Yêu cầu

Theo Chương II, Điều 12 Luật Cán bộ, công chức.
"""


def test_a_guidance_texts_references_name_other_acts_and_are_not_warned_about():
    """A guidance text has no "Điều" of its own: "Điều 5", "Chương II" in it name the act it
    guides, so no import warning says they do not exist; a decree's are still checked."""
    from drafter import references
    from drafter.reading import parse_bytes

    parsed = parse_bytes(GUIDANCE_WITH_REFERENCES.encode(), "huong-dan.md")
    assert any(n.kind == "item" for top in parsed.nodes for n in top.walk())
    assert references.check(parsed.nodes) == []
    assert not [w for w in parsed.warnings if references.about_references(w)]
    decree = parse_bytes("NGHỊ ĐỊNH\n\nĐiều 1. Phạm vi\n\nTheo Điều 5.\n".encode(), "nd.md")
    assert [w.message for w in references.check(decree.nodes)] == [
        "“Điều 5” refers to a provision that does not exist (there is no Điều 5)"
    ]


def test_odd_ids_in_the_group_forms_are_refused_with_a_4xx(world):
    """Values that `str.isdigit` takes for digits but `int` does not ("²"), or too long for
    `int` (5,000 digits) or for the database, are refused or ignored, never a 500."""
    from .consultation_fixture import login, make_app
    from .test_web_groups import KEY, _group_of, _submitted

    a, _b, _c = _submitted(world)
    client = login(make_app(world.db_path), "organizer")
    base = f"/admin/c/{world.consultation_id}"
    group = _group_of(world, a)
    for odd in ("²", "٣", "9" * 30, "9" * 5000):
        split = client.post(f"{base}/groups/{group}/split", data={"comment_ids": odd, "key": KEY})
        assert split.status_code == 400, odd
        moved = client.post(f"{base}/comments/{a}/group", data={"group": odd, "key": KEY})
        assert moved.status_code == 404, odd
        answered = client.post(
            f"{base}/comments", data={"comment_ids": odd, "status": "accepted", "explanation": "x"}
        )
        assert answered.status_code == 400, odd
    assert _group_of(world, a) == group


def test_cli_ids_too_large_for_the_database_are_a_usage_error(world, tmp_path):
    """`drafter trace 99…9` (past SQLite's 64-bit integers) says so on one line, exit 2, as
    for an id that does not exist; never a traceback."""
    import subprocess
    import sys

    big = "9" * 25
    for args in (
        ["trace", big],
        ["comments", big],
        ["export", "review-copy", big, "--unit", "thai-nguyen", "-o", str(tmp_path / "x.docx")],
    ):
        done = subprocess.run(
            [sys.executable, "-m", "drafter", "--db", str(world.db_path), *args],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert done.returncode == 2, done.stderr
        assert done.stderr == "Error: a number given is too large: nothing has that id.\n"
    assert not (tmp_path / "x.docx").exists()


def test_a_guidance_texts_item_has_its_groups_page(guidance_world):  # noqa: F811
    """The organizer's item page links to its similar comments, grouped, like an article's;
    the link leads to the item's groups (not a 404 "not an article"), which can be answered."""
    from .consultation_fixture import login, make_app

    db, consultation_id, _draft, organizer_id, lead_id, _m = guidance_world
    store = open_store(db)
    try:
        (first,) = _submitted(
            store, consultation_id, lead_id, [("phan-2/y-2", "2. Về dữ liệu\nDữ liệu thống nhất.")]
        )
    finally:
        store.close()
    client = login(make_app(db), "organizer")
    base = f"/admin/c/{consultation_id}"
    assert f"{base}/groups/phan-2/y-2" in client.get(f"{base}/a/phan-2/y-2").get_data(as_text=True)
    page = client.get(f"{base}/groups/phan-2/y-2")
    assert page.status_code == 200
    group = re.search(r'/groups/(\d+)/answer"', page.get_data(as_text=True))
    assert group is not None
    answered = client.post(
        f"{base}/groups/{group[1]}/answer",
        data={"status": "accepted", "explanation": "Tiếp thu.", "key": "phan-2/y-2"},
    )
    assert answered.status_code == 302
    assert client.get(f"{base}/groups/phan-2").status_code == 404  # a part is not a unit
    store = open_store(db)
    try:
        assert store.get_comment(first).answer.status == "accepted"
    finally:
        store.close()


def test_a_word_comment_over_the_limit_is_listed_and_the_rest_is_saved(world):
    """A returned file whose Word comment is longer than a comment may be: the preview lists
    it with what could not be placed (and why), and confirming saves the file's other items;
    it does not block the whole file with an error at the last step."""
    from drafter import review_import
    from drafter.texts import MAX_TEXT

    from .consultation_fixture import login, make_app
    from .test_review_roundtrip import _copy

    assert f"{MAX_TEXT:,}" in review_import.TOO_LONG
    store = open_store(world.db_path)
    try:
        document = open_copy(_copy(store, world))
    finally:
        store.close()
    Editor(document, tracked=True).replace("1. Quy định này quy định", "tổ chức bộ", "cơ cấu bộ")
    target = next(p for p in document.paragraphs if p.text.startswith("Điều 4."))
    document.add_comment(target.runs, text="Rất dài. " * 3000, author="Nguyễn Văn B")
    client = login(make_app(world.db_path), "tn-member")
    c = world.consultation_id
    sent = client.post(
        f"/c/{c}/units/thai-nguyen/review",
        data={"file": (io.BytesIO(save(document)), "gop-y.docx")},
        content_type="multipart/form-data",
    )
    assert sent.status_code == 302, sent.get_data(as_text=True)
    preview = client.get(sent.location).get_data(as_text=True)
    assert "quá dài: mỗi ý kiến hoặc đề xuất tối đa 20,000 ký tự" in preview
    assert "Rất dài. Rất dài." in preview
    assert client.post(sent.location, data={}).status_code == 302
    store = open_store(world.db_path)
    try:
        saved = store.list_comments(c, unit_id=world.units["thai-nguyen"])
    finally:
        store.close()
    assert [(x.kind, x.node_key) for x in saved] == [("new_wording", "chuong-1/dieu-1/khoan-1")]


@pytest.mark.parametrize("tracked", [True, False])
def test_a_chapter_title_edited_is_outside_any_article_with_or_without_track_changes(
    world, tracked
):
    """A chapter's title is no provision: edited with Track Changes or without, it is listed
    as outside any article, never folded into the article before it as a proposal; a clause
    typed after an article still joins that article."""
    from .test_review_roundtrip import _copy

    store = open_store(world.db_path)
    try:
        document = open_copy(_copy(store, world))
        editor = Editor(document, tracked=tracked)
        editor.replace("NHIỆM VỤ, QUYỀN HẠN", "QUYỀN HẠN", "QUYỀN HẠN VÀ TRÁCH NHIỆM")
        editor.add_paragraph_after("5. “Vấn đề nhạy cảm”", "6. Nhiệm vụ, quyền hạn khác.")
        delegate = store.get_user(world.users["tn-member"])
        shown = review_import.preview_bytes(
            store, delegate, world.consultation_id, "thai-nguyen", "x.docx", save(document)
        )
    finally:
        store.close()
    assert [(i.kind, i.key) for i in shown.new] == [("new_wording", "chuong-1/dieu-2")]
    assert shown.new[0].proposed.endswith("6. Nhiệm vụ, quyền hạn khác.")
    assert [(u.text, u.reason) for u in shown.unplaced] == [
        ("NHIỆM VỤ, QUYỀN HẠN VÀ TRÁCH NHIỆM", "outside any article")
    ]


def test_a_pending_word_file_is_reached_only_through_its_own_consultation(world):
    """Previewing, confirming or discarding a pending file at another consultation's address
    is a 404 and changes nothing; at its own address it works."""
    from drafter import consulting

    from .consultation_fixture import login, make_app
    from .test_review_roundtrip import _copy, _edited

    store = open_store(world.db_path)
    try:
        data = _edited(_copy(store, world), tracked=True)
        first = store.get_consultation(world.consultation_id)
        now = consulting.utc_now()
        with store.transaction():
            other = store.create_consultation(
                first.version_id, "Đợt hai", opens_at=first.opens_at, deadline=first.deadline,
                unit_ids=[world.units["thai-nguyen"]], now=now,
            )  # fmt: skip
    finally:
        store.close()
    client = login(make_app(world.db_path), "tn-member")
    c = world.consultation_id
    sent = client.post(
        f"/c/{c}/units/thai-nguyen/review",
        data={"file": (io.BytesIO(data), "gop-y.docx")},
        content_type="multipart/form-data",
    )
    assert sent.status_code == 302
    wrong = sent.location.replace(f"/c/{c}/", f"/c/{other}/")
    assert client.get(wrong).status_code == 404
    assert client.post(wrong, data={}).status_code == 404
    assert client.post(wrong, data={"action": "discard"}).status_code == 404
    store = open_store(world.db_path)
    try:
        assert store.list_comments(c, unit_id=world.units["thai-nguyen"]) == []
    finally:
        store.close()
    assert client.get(sent.location).status_code == 200  # still pending
    assert client.post(sent.location, data={}).status_code == 302
    store = open_store(world.db_path)
    try:
        assert len(store.list_comments(c, unit_id=world.units["thai-nguyen"])) == 5
        assert store.list_comments(other, unit_id=world.units["thai-nguyen"]) == []
    finally:
        store.close()


def test_a_guidance_texts_part_heading_edited_without_track_changes_is_outside(guidance_world):  # noqa: F811
    """A part's heading ("II. NỘI DUNG") is no unit of comment: edited without Track Changes
    it is listed as outside any article, not folded into the item before it."""
    db, consultation_id, _draft, organizer_id, lead_id, _m = guidance_world
    store = open_store(db)
    try:
        data = review_copy.review_copy_file(
            store, store.get_user(organizer_id), consultation_id, "tinh-uy", zone="UTC"
        ).data
        document = open_copy(data)
        Editor(document, tracked=False).replace("II. NỘI DUNG", "NỘI DUNG", "NỘI DUNG CHỦ YẾU")
        shown = review_import.preview_bytes(
            store, store.get_user(lead_id), consultation_id, "tinh-uy", "g.docx", save(document)
        )
    finally:
        store.close()
    assert shown.new == []
    assert [u.text for u in shown.unplaced] == ["II. NỘI DUNG CHỦ YẾU"]
