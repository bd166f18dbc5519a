"""The Word round trip: a unit's review copy (the clean export plus bookmarks and its
properties), the reader of returned files (tracked changes, comments, replies) on Word-made
files, and the placing of changes and comments on provisions, saved as the unit's drafts."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from drafter import review_copy, review_import
from drafter.docx.anchors import bookmark_name
from drafter.docx.review_reader import joined, read_review
from drafter.errors import DraftImportError, Forbidden, InvalidInput
from drafter.exports import draft
from drafter.storage import open_store

from .review_edits import AUTHOR, Editor, open_copy, save

REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "real-docx"
if not REAL.exists():
    REAL = Path("/work/shared/real-docx")
NOW = "2026-12-04T10:00:00+00:00"


@pytest.fixture
def opened(backend_world):
    """The consultation world's store, on each backend in turn."""
    world = backend_world
    store = open_store(world.db_path)
    yield store, world
    store.close()


def _copy(store, world, code="thai-nguyen") -> bytes:
    organizer = store.get_user(world.users["organizer"])
    return review_copy.review_copy_file(
        store, organizer, world.consultation_id, code, zone="Asia/Ho_Chi_Minh"
    ).data


# -- the review copy ------------------------------------------------------------------------
def test_the_review_copy_is_the_clean_export_with_a_bookmark_per_provision(opened):
    store, world = opened
    data = _copy(store, world)
    consultation = store.get_consultation(world.consultation_id)
    version = store.get_version_by_id(consultation.version_id)
    clean = read_review(draft(store, version.draft_id, version.number))
    copy_ = read_review(data)
    assert [p.accepted for p in copy_.paragraphs] == [p.accepted for p in clean.paragraphs]
    names = re.findall(rb'w:bookmarkStart w:id="\d+" w:name="([^"]+)"',
                       zipfile.ZipFile(__import__("io").BytesIO(data)).read("word/document.xml"))  # fmt: skip
    keys = [
        n.key
        for root in store.get_tree(consultation.version_id)
        for n in root.walk()
        if n.kind in ("article", "clause", "point")
    ]
    assert sorted(n.decode() for n in names) == sorted(bookmark_name(k) for k in keys)
    for name in names:
        assert re.fullmatch(rb"[A-Za-z][A-Za-z0-9_]{0,39}", name)
    assert copy_.mapping == {bookmark_name(k): k for k in keys}
    props = copy_.properties
    assert props["drafter.consultation"] == str(world.consultation_id)
    assert props["drafter.version"] == str(consultation.version_id)
    assert props["drafter.unit"] == "thai-nguyen"
    assert props["drafter.fingerprint"] == review_copy.fingerprint(
        store.get_tree(consultation.version_id)
    )


def test_a_delegate_downloads_only_their_own_units_copy(opened):
    store, world = opened
    delegate = store.get_user(world.users["tn-lead"])
    assert review_copy.review_copy_file(
        store, delegate, world.consultation_id, "thai-nguyen", zone="UTC"
    ).name.endswith(".docx")
    with pytest.raises(Forbidden):
        review_copy.review_copy_file(
            store, delegate, world.consultation_id, "quang-nam", zone="UTC"
        )


# -- the reader on Word-made files ----------------------------------------------------------
def _real(name: str):
    return read_review((REAL / name).read_bytes(), source=name)


def test_reader_insertions_and_deletions_in_word_files():
    inserted = _real("pandoc__track_changes_insertion.docx").paragraphs[0]
    assert inserted.accepted == "This is a text with two exciting insertions."
    assert inserted.original == "This is a text with insertions."
    assert {r.kind for r in inserted.revisions} == {"ins"}
    assert inserted.revisions[0].author  # Word's author is kept
    deleted = _real("pandoc__track_changes_deletion.docx").paragraphs[0]
    assert deleted.accepted == "This is a text with a deletion."
    assert deleted.original == "This is a text with an excessively modified deletion."
    scrubbed = _real("pandoc__track_changes_scrubbed_metadata.docx")
    assert scrubbed.paragraphs[0].accepted == "Here is a test document."
    assert scrubbed.paragraphs[0].original == "Here is a dummy document."
    assert scrubbed.comments[0].author == "Author"
    assert scrubbed.comments[0].date == ""


def test_reader_moves_and_paragraph_marks_in_word_files():
    moved = _real("pandoc__track_changes_move.docx")
    accepted = joined(moved.paragraphs, accepted=True)
    original = joined(moved.paragraphs, accepted=False)
    text = "Here is the text to be moved."
    assert accepted.count(text) == original.count(text) == 1
    assert accepted.index(text) != original.index(text)
    marks = _real("pandoc__paragraph_insertion_deletion.docx")
    assert marks.paragraphs[0].mark_inserted
    assert marks.paragraphs[1].mark_deleted
    assert joined(marks.paragraphs, accepted=False) == ["This is a split", "Paragraph."]
    assert joined(marks.paragraphs, accepted=True) == ["This is a", " splitParagraph."]


def test_reader_comments_ranges_and_replies_in_word_files():
    comments = _real("pandoc__comments.docx").comments
    by_text = {c.text: c for c in comments}
    across = by_text["A comment across paragraphs."]
    assert (across.first, across.last) == (1, 2)
    assert by_text["This one has multiple paragraphs.\n\nSee?"].first == 3
    parent = by_text["Do something."]
    assert [r.text for r in parent.replies] == ["Do something else."]
    assert "Do something else." not in by_text  # a reply is not a comment of its own
    rich = _real("python-docx__comments-rich-para.docx").comments
    assert len(rich) == 4
    assert all(c.first >= 0 for c in rich)


def test_an_ins_inside_a_del_is_in_neither_text():
    body = (
        '<w:p><w:r><w:t xml:space="preserve">A </w:t></w:r>'
        '<w:del w:id="1" w:author="x"><w:r><w:delText>B</w:delText></w:r>'
        '<w:ins w:id="2" w:author="y"><w:r><w:t>C</w:t></w:r></w:ins></w:del>'
        '<w:commentRangeStart w:id="7"/><w:del w:id="3" w:author="x"><w:r>'
        '<w:delText>D</w:delText></w:r></w:del><w:commentRangeEnd w:id="7"/></w:p>'
    )
    paragraph = read_review(_docx_with_body(body)).paragraphs[0]
    assert paragraph.accepted == "A "
    assert paragraph.original == "A BD"


def _docx_with_body(body: str) -> bytes:
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')  # fmt: skip
        z.writestr(
            "word/document.xml",
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f"<w:body>{body}</w:body></w:document>",
        )
    return buffer.getvalue()


# -- placing and importing ------------------------------------------------------------------
def _edited(data: bytes, *, tracked: bool) -> bytes:
    document = open_copy(data)
    editor = Editor(document, tracked=tracked)
    editor.replace("1. Quy định này quy định", "tổ chức bộ", "cơ cấu tổ chức bộ")
    editor.replace("a) Đảng đoàn hội đồng nhân dân", "Đảng đoàn hội đồng nhân dân, ", "")
    editor.delete_paragraph("b) Ban cán sự đảng ủy ban nhân dân cấp tỉnh;")
    editor.add_paragraph_after("5. “Vấn đề nhạy cảm”", "6. Khoản mới được bổ sung.")
    editor.replace("Điều 3. Vị trí, chức năng", "Vị trí, chức năng", "Vị trí và chức năng")
    return save(document)


EXPECTED = {
    ("new_wording", "chuong-1/dieu-1/khoan-1"),
    ("new_wording", "chuong-1/dieu-1/khoan-2/diem-a"),
    ("delete", "chuong-1/dieu-1/khoan-2/diem-b"),
    ("new_wording", "chuong-1/dieu-2"),
    ("new_wording", "chuong-1/dieu-3"),
}


@pytest.mark.parametrize("tracked", [True, False])
def test_edits_become_one_proposal_per_smallest_provision(opened, tracked):
    store, world = opened
    delegate = store.get_user(world.users["tn-member"])
    data = _edited(_copy(store, world), tracked=tracked)
    shown = review_import.preview_bytes(
        store, delegate, world.consultation_id, "thai-nguyen", "gop-y.docx", data
    )
    assert {(i.kind, i.key) for i in shown.new} == EXPECTED
    by_key = {i.key: i for i in shown.new}
    assert "cơ cấu tổ chức bộ máy" in by_key["chuong-1/dieu-1/khoan-1"].proposed
    assert by_key["chuong-1/dieu-1/khoan-2/diem-a"].proposed.startswith("a) đảng đoàn ủy ban Mặt")
    assert by_key["chuong-1/dieu-2"].proposed.endswith("6. Khoản mới được bổ sung.")
    assert by_key["chuong-1/dieu-3"].proposed.startswith("Điều 3. Vị trí và chức năng\n1. ")
    assert all((i.author == AUTHOR) == tracked for i in shown.new)
    assert shown.unplaced == []
    assert shown.anchored


def test_confirm_saves_drafts_once_and_a_revised_file_lists_what_disappeared(opened):
    store, world = opened
    delegate = store.get_user(world.users["tn-member"])
    c = world.consultation_id
    data = _edited(_copy(store, world), tracked=True)
    upload = review_import.stage(store, delegate, c, "thai-nguyen", "gop-y.docx", data, now=NOW)
    result = review_import.confirm(store, delegate, upload, NOW)
    assert result.added == 5
    comments = store.list_comments(c, unit_id=world.units["thai-nguyen"])
    assert len(comments) == 5
    assert all(x.author == "TN-MEMBER" for x in comments)
    assert store.list_comments(c, unit_id=world.units["thai-nguyen"], submitted_only=True) == []
    rows = store.review_items(c, world.units["thai-nguyen"])
    assert {r.word_author for r in rows} == {AUTHOR}
    # The same file again adds nothing.
    again = review_import.preview_bytes(store, delegate, c, "thai-nguyen", "x.docx", data)
    assert again.new == []
    assert len(again.known) == 5
    assert again.disappeared == []
    # A draft the unit withdrew does not come back with the same file.
    from drafter import consulting

    point = next(x for x in comments if x.node_key == "chuong-1/dieu-1/khoan-2/diem-b")
    consulting.withdraw_comment(store, delegate, point.id, NOW)
    again = review_import.preview_bytes(store, delegate, c, "thai-nguyen", "x.docx", data)
    assert again.new == []
    # A revised file: one edit fewer, one more.
    document = open_copy(_copy(store, world))
    editor = Editor(document, tracked=True)
    editor.replace("1. Quy định này quy định", "tổ chức bộ", "cơ cấu tổ chức bộ")
    editor.replace("Điều 4. Nhiệm vụ", "Nhiệm vụ", "Nhiệm vụ chủ yếu")
    revised = save(document)
    upload = review_import.stage(store, delegate, c, "thai-nguyen", "v2.docx", revised, now=NOW)
    shown = review_import.preview(store, delegate, upload)
    assert [i.key for i in shown.new] == ["chuong-2/dieu-4"]
    assert len(shown.known) == 1
    assert len(shown.disappeared) == 3  # the withdrawn one is not listed
    review_import.confirm(store, delegate, upload, NOW)
    assert len(store.list_comments(c, unit_id=world.units["thai-nguyen"])) == 5


def test_another_units_delegate_cannot_import(opened):
    store, world = opened
    other = store.get_user(world.users["qn-lead"])
    data = _copy(store, world)
    with pytest.raises(Forbidden):
        review_import.stage(store, other, world.consultation_id, "thai-nguyen", "a.docx", data,
                            now=NOW)  # fmt: skip


@pytest.mark.parametrize("name", sorted(p.name for p in REAL.glob("*.docx")))
def test_word_files_of_other_documents_are_refused_clearly(opened, name):
    store, world = opened
    delegate = store.get_user(world.users["tn-member"])
    data = (REAL / name).read_bytes()
    with pytest.raises(InvalidInput) as refused:
        review_import.stage(store, delegate, world.consultation_id, "thai-nguyen", name, data,
                            now=NOW)  # fmt: skip
    assert refused.value.template == review_import.NOT_A_COPY
    assert store.conn.execute("SELECT COUNT(*) FROM review_upload").fetchone()[0] == 0


def _without_anchors(data: bytes) -> bytes:
    """The review copy as another program might save it: no bookmarks, no properties."""
    from docx.oxml.ns import qn

    document = open_copy(data)
    body = document.element.body
    for tag in ("w:bookmarkStart", "w:bookmarkEnd"):
        for element in list(body.iter(qn(tag))):
            element.getparent().remove(element)
    rels = document.part.package.rels
    for r_id in [k for k, rel in rels.items() if rel.reltype.endswith("/custom-properties")]:
        rels.pop(r_id)
    return save(document)


def test_a_file_without_anchors_is_placed_by_matching_the_text(opened):
    store, world = opened
    delegate = store.get_user(world.users["tn-member"])
    bare = _without_anchors(_copy(store, world))
    assert read_review(bare).properties == {}
    shown = review_import.preview_bytes(
        store, delegate, world.consultation_id, "thai-nguyen", "bare.docx",
        _edited(bare, tracked=False),
    )  # fmt: skip
    assert not shown.anchored
    assert {(i.kind, i.key) for i in shown.new} == EXPECTED
    assert all(i.note.startswith("placed by matching the text") for i in shown.new)


def test_hostile_packages_are_refused_by_the_upload_rules(opened):
    import io

    store, world = opened
    delegate = store.get_user(world.users["tn-member"])
    source = zipfile.ZipFile(io.BytesIO(_copy(store, world)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                data = data.replace(b"?>", b'?><!DOCTYPE x [<!ENTITY a "b">]>', 1)
            target.writestr(info, data)
    with pytest.raises(DraftImportError) as refused:
        review_import.stage(store, delegate, world.consultation_id, "thai-nguyen", "x.docx",
                            buffer.getvalue(), now=NOW)  # fmt: skip
    assert refused.value.status == 422
    assert "DTD" in str(refused.value)


def test_a_moved_article_without_anchors_is_found_by_the_article_matching(opened):
    store, world = opened
    delegate = store.get_user(world.users["tn-member"])
    document = open_copy(_without_anchors(_copy(store, world)))
    paragraphs = document.paragraphs
    first = next(i for i, p in enumerate(paragraphs) if p.text.startswith("Điều 2."))
    after = next(i for i, p in enumerate(paragraphs) if p.text.startswith("Điều 3."))
    end = next(i for i, p in enumerate(paragraphs) if p.text.startswith("Chương II"))
    moved = [p._p for p in paragraphs[first:after]]
    anchor = paragraphs[end - 1]._p  # the last paragraph of Điều 3
    for element in reversed(moved):
        anchor.addnext(element)
    Editor(document, tracked=False).replace("3. “Cơ quan, tổ chức”", "cơ quan", "cơ quan nhà nước")
    shown = review_import.preview_bytes(
        store, delegate, world.consultation_id, "thai-nguyen", "moved.docx", save(document)
    )
    assert [(i.kind, i.key) for i in shown.new] == [("new_wording", "chuong-1/dieu-2/khoan-3")]
    assert "cơ quan nhà nước" in shown.new[0].proposed


def test_another_drafts_copy_that_lost_its_properties_is_refused(opened):
    """Bookmark names come from keys, which every draft shares ("chuong-1/dieu-1"): a copy
    of version 2 of the draft, stripped of its properties, must not pass for version 1's."""
    from drafter.docx.layout import layout
    from drafter.exports import _redline
    from drafter.review_copy import meta_of

    store, world = opened
    delegate = store.get_user(world.users["tn-member"])
    consultation = store.get_consultation(world.consultation_id)
    v2 = store.get_version(world.draft_id, 2)
    nodes = store.get_tree(v2.id)
    unit = store.get_unit(world.units["thai-nguyen"])
    data = _redline("x", layout(nodes), [], lambda _c: False, "UTC",
                    anchors=meta_of(consultation, nodes, unit))  # fmt: skip
    document = open_copy(data)
    rels = document.part.package.rels
    for r_id in [k for k, rel in rels.items() if rel.reltype.endswith("/custom-properties")]:
        rels.pop(r_id)
    with pytest.raises(InvalidInput) as refused:
        review_import.preview_bytes(
            store, delegate, world.consultation_id, "thai-nguyen", "v2.docx", save(document)
        )
    assert refused.value.template == review_import.NOT_A_COPY


def test_reader_reads_automatic_numbering_as_text():
    lists = [p.accepted for p in _real("pandoc__lists_continuing.docx").paragraphs if p.accepted]
    assert lists == ["1. Foo", "2. Bar", "3. Baz", "Interruption.", "4. Bop"]
    bullets = [p.accepted for p in _real("mammoth__simple-list.docx").paragraphs]
    assert bullets == ["- Apple", "- Banana"]
