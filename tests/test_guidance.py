"""Guidance texts without "Điều": Roman parts ("I.", "II.") become divisions, the top-level
numbered items ("1.", "2.") the units of comment (kind `item`), sub-items ("1.1.") and points
("a)") sit inside them; delegates comment on items exactly as on articles, and every export,
the summary, the search and the matching between versions treat items as articles.
The texts are generated here (Markdown and DOCX), never copied from real documents."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import docx
import pytest

from drafter import accounts, consulting, exports, summary
from drafter.docx.layout import render_version
from drafter.export_md import to_markdown
from drafter.importing import import_file
from drafter.reading import parse_bytes
from drafter.storage import open_store

from . import docx_text
from .consultation_fixture import PASSWORD, login, make_app
from .docx_factory import H, docx_bytes

PARTS = [
    ("I", "MỤC ĐÍCH, YÊU CẦU", [
        ("Mục đích", ["Nâng cao hiệu quả công tác của các cơ quan đảng."], [], []),
        ("Yêu cầu", [], [], ["Bảo đảm an toàn thông tin;", "Tiết kiệm, hiệu quả."]),
    ]),
    ("II", "NỘI DUNG", [
        ("Về hạ tầng số", [], [
            "Đầu tư máy chủ dùng chung cho các cơ quan.",
            "Kết nối mạng diện rộng đến cấp huyện.",
        ], []),
        ("Về dữ liệu", ["Xây dựng cơ sở dữ liệu đảng viên thống nhất."], [], []),
    ]),
    ("III", "TỔ CHỨC THỰC HIỆN", [
        (None, ["Các cấp ủy phổ biến hướng dẫn này đến chi bộ."], [], []),
        (None, ["Văn phòng theo dõi, đôn đốc việc thực hiện."], [], []),
    ]),
]  # fmt: skip


def guidance_lines(parts=PARTS) -> list[str]:
    """The paragraphs of a generated guidance text: header, parts, items, sub-items, points."""
    lines = ["ĐẢNG CỘNG SẢN VIỆT NAM", "HƯỚNG DẪN", "Thực hiện chuyển đổi số trong cơ quan đảng"]
    for roman, title, items in parts:
        lines.append(f"{roman}. {title}")
        for n, (heading, body, subitems, points) in enumerate(items, 1):
            if heading is None:
                lines.append(f"{n}. {body[0]}")
            else:
                lines.append(f"{n}. {heading}")
                lines.extend(body)
            lines.extend(f"{n}.{k}. {text}" for k, text in enumerate(subitems, 1))
            lines.extend(f"{letter}) {text}" for letter, text in zip("abcd", points, strict=False))
    return [*lines, "Nơi nhận:", "- Các tỉnh ủy, thành ủy;", "- Lưu Văn phòng."]


def guidance_md(parts=PARTS) -> bytes:
    return "\n\n".join(guidance_lines(parts)).encode()


EXPECTED = [
    ("mo-dau", "preamble", "", ""),
    ("phan-1", "part", "I", "MỤC ĐÍCH, YÊU CẦU"),
    ("phan-1/y-1", "item", "1", "Mục đích"),
    ("phan-1/y-2", "item", "2", "Yêu cầu"),
    ("phan-1/y-2/diem-a", "point", "a", ""),
    ("phan-1/y-2/diem-b", "point", "b", ""),
    ("phan-2", "part", "II", "NỘI DUNG"),
    ("phan-2/y-1", "item", "1", "Về hạ tầng số"),
    ("phan-2/y-1/khoan-1-1", "clause", "1.1", ""),
    ("phan-2/y-1/khoan-1-2", "clause", "1.2", ""),
    ("phan-2/y-2", "item", "2", "Về dữ liệu"),
    ("phan-3", "part", "III", "TỔ CHỨC THỰC HIỆN"),
    ("phan-3/y-1", "item", "1", ""),
    ("phan-3/y-2", "item", "2", ""),
    ("ket-thuc", "closing", "", ""),
]


def _shape(parsed):
    return [(n.key, n.kind, n.number, n.title) for n in parsed.walk()]


@pytest.mark.parametrize("form", ["md", "docx"])
def test_a_guidance_text_imports_with_parts_items_and_sub_items(form):
    if form == "md":
        parsed = parse_bytes(guidance_md(), "huong-dan.md")
    else:
        lines = guidance_lines()
        items = [H(line) if line[:2] in ("I.", "II") else line for line in lines]
        parsed = parse_bytes(docx_bytes(items), "huong-dan.docx")
    assert _shape(parsed) == EXPECTED
    assert parsed.warnings == []
    assert [n.key for n in parsed.articles()] == [
        "phan-1/y-1", "phan-1/y-2", "phan-2/y-1", "phan-2/y-2", "phan-3/y-1", "phan-3/y-2",
    ]  # fmt: skip
    nodes = {n.key: n for n in parsed.walk()}
    assert nodes["phan-2/y-1/khoan-1-1"].text == "Đầu tư máy chủ dùng chung cho các cơ quan."
    assert nodes["phan-3/y-1"].text == "Các cấp ủy phổ biến hướng dẫn này đến chi bộ."
    assert nodes["phan-2/y-2"].heading() == "2. Về dữ liệu"
    assert parsed.title == "Hướng dẫn Thực hiện chuyển đổi số trong cơ quan đảng"


def test_a_guidance_text_survives_markdown_and_docx_round_trips():
    parsed = parse_bytes(guidance_md(), "huong-dan.md")
    again = parse_bytes(to_markdown(parsed.nodes).encode(), "again.md")
    assert [(n.key, n.kind, n.number, n.title, n.text) for n in again.walk()] == [
        (n.key, n.kind, n.number, n.title, n.text) for n in parsed.walk()
    ]
    data = render_version(parsed.nodes, title=parsed.title)
    paragraphs = docx_text.paragraphs(data, accept=True)
    assert "2. Về dữ liệu" in paragraphs
    assert "II. NỘI DUNG" in paragraphs  # a part as the guidance text printed it
    assert "1.1. Đầu tư máy chủ dùng chung cho các cơ quan." in paragraphs
    heading = next(
        p for p in docx.Document(io.BytesIO(data)).paragraphs if p.text == "2. Về dữ liệu"
    )
    assert all(run.bold for run in heading.runs)  # an item's heading, as an article's
    assert _shape(parse_bytes(data, "again.docx")) == EXPECTED


def test_numbered_lines_without_roman_parts_are_still_refused():
    from drafter.errors import DraftImportError

    with pytest.raises(DraftImportError, match="no article"):
        parse_bytes("HƯỚNG DẪN\n\n1. Một việc.\n\n2. Việc khác.\n".encode(), "x.md")


# -- delegates comment on items exactly like articles ------------------------------------------
@pytest.fixture
def guidance_world(tmp_path):
    """A guidance text in two versions (v2 rewords an item and moves another), a consultation
    on v1 with one unit, its lead delegate and the organizer."""
    v1 = tmp_path / "huong-dan-v1.md"
    v1.write_bytes(guidance_md())
    parts = [list(part) for part in PARTS]
    parts[1][2] = [
        parts[1][2][1],  # "Về dữ liệu" now comes first …
        ("Về hạ tầng số", [], [
            "Đầu tư máy chủ dùng chung cho tất cả các cơ quan.",
            "Kết nối mạng diện rộng đến cấp huyện.",
        ], []),  # … and the other is reworded
    ]  # fmt: skip
    v2 = tmp_path / "huong-dan-v2.md"
    v2.write_bytes(guidance_md([tuple(part) for part in parts]))
    db = tmp_path / "g.sqlite"
    store = open_store(db)
    try:
        first = import_file(store, v1)
        second = import_file(store, v2, draft_id=first.draft.id)
        organizer = accounts.create_organizer(store, "organizer", "Văn phòng", PASSWORD)
        unit = accounts.create_unit(store, "tinh-uy", "Tỉnh ủy Bắc Ninh", "province")
        lead, _ = accounts.create_delegate(
            store, unit, "lead", "LEAD", is_lead=True, password=PASSWORD
        )
        now = datetime.now(UTC).replace(microsecond=0)
        with store.transaction():
            consultation_id = store.create_consultation(
                first.version.id, "Lấy ý kiến hướng dẫn",
                opens_at=(now - timedelta(days=1)).isoformat(),
                deadline=(now + timedelta(days=30)).isoformat(), unit_ids=[unit],
                now=now.isoformat(),
            )  # fmt: skip
        matches = store.get_matches(second.version.id)
    finally:
        store.close()
    return db, consultation_id, first.draft.id, organizer, lead, matches


def test_delegates_comment_on_items_like_articles_and_every_export_follows(guidance_world):
    db, consultation_id, draft_id, organizer_id, lead_id, matches = guidance_world
    # Matching between versions pairs items as it pairs articles: the moved item is found.
    paired = {(m.old_key, m.new_key) for m in matches}
    assert ("phan-2/y-2", "phan-2/y-1") in paired
    assert ("phan-2/y-1", "phan-2/y-2") in paired

    app = make_app(db)
    client = login(app, "lead")
    page = client.get(f"/c/{consultation_id}").get_data(as_text=True)
    for key in ("phan-1/y-1", "phan-2/y-1", "phan-3/y-2"):
        assert f"/c/{consultation_id}/a/{key}" in page  # the contents list the items
    item = client.get(f"/c/{consultation_id}/a/phan-2/y-1")
    assert item.status_code == 200
    assert "1. Về hạ tầng số" in item.get_data(as_text=True)
    assert client.get(f"/c/{consultation_id}/a/phan-2").status_code == 404  # a part is not one
    for target, kind, text, proposed in (
        ("phan-2/y-1/khoan-1-1", "new_wording", "Rõ hơn.", "1.1. Đầu tư máy chủ dùng chung."),
        ("phan-1/y-2/diem-b", "comment", "Thêm tiêu chí.", ""),
        ("phan-3/y-1", "comment", "Nêu thời hạn.", ""),
    ):
        response = client.post(
            f"/c/{consultation_id}/comments",
            data={"article": "/".join(target.split("/")[:2]), "target": target, "kind": kind,
                  "text": text, "proposed_text": proposed},
        )  # fmt: skip
        assert response.status_code == 302, response.get_data(as_text=True)
    assert client.post(f"/c/{consultation_id}/a/phan-1/y-1/agree").status_code == 302
    assert client.post(f"/c/{consultation_id}/submit").status_code == 302

    store = open_store(db)
    try:
        comments = store.list_comments(consultation_id, submitted_only=True)
        assert {(c.node_key, c.article_key) for c in comments} == {
            ("phan-2/y-1/khoan-1-1", "phan-2/y-1"),
            ("phan-1/y-2/diem-b", "phan-1/y-2"),
            ("phan-3/y-1", "phan-3/y-1"),
            ("phan-1/y-1", "phan-1/y-1"),
        }
        reworded = next(c for c in comments if c.kind == "new_wording")
        consulting.answer(
            store, store.get_user(organizer_id), reworded.id, status="accepted",
            explanation="Tiếp thu.", now=consulting.utc_now(),
        )  # fmt: skip
        table = summary.build(store, consultation_id)
        headings = [g.heading for g in table.groups]
        assert "1. Về hạ tầng số" in headings
        assert "1. Mục đích" in headings
        agreed = next(g for g in table.groups if g.heading == "1. Mục đích")
        assert agreed.agreed == ["Tỉnh ủy Bắc Ninh"]
        redline = exports.consolidated(store, consultation_id)
        per_unit = exports.by_unit(store, consultation_id)["tinh-uy"]
    finally:
        store.close()
    accepted = docx_text.paragraphs(redline, accept=True)
    assert "1.1. Đầu tư máy chủ dùng chung." in accepted
    assert "1.1. Đầu tư máy chủ dùng chung cho các cơ quan." in docx_text.paragraphs(
        redline, accept=False
    )
    assert len(docx.Document(io.BytesIO(per_unit)).comments) == 4

    organizer = login(app, "organizer")
    shown = organizer.get(f"/admin/c/{consultation_id}/a/phan-2/y-1")
    assert shown.status_code == 200
    assert "Rõ hơn." in shown.get_data(as_text=True)
    found = organizer.get("/admin/search?q=máy chủ dùng chung").get_data(as_text=True)
    assert f"/drafts/{draft_id}/v1/articles/phan-2/y-1" in found  # search finds the item
    words = organizer.get(f"/admin/c/{consultation_id}/comments").get_data(as_text=True)
    assert "mục 1.1" in words  # the sub-item named as a guidance text names it


def test_the_database_holds_items_and_still_refuses_unknown_kinds(tmp_path):
    """Migration 0020 lets node.kind be `item`; its CHECK still refuses anything else."""
    import sqlite3

    path = tmp_path / "k.sqlite"
    store = open_store(path)
    try:
        imported = import_file(store, _written(tmp_path, guidance_md()))
        kinds = {n.kind for top in store.get_tree(imported.version.id) for n in top.walk()}
        assert "item" in kinds
    finally:
        store.close()
    raw = sqlite3.connect(path)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
            raw.execute(
                "INSERT INTO node (version_id, position, kind, key) VALUES (?, 9999, 'items', 'x')",
                (imported.version.id,),
            )
    finally:
        raw.close()


def _written(folder, data: bytes):
    path = folder / "huong-dan.md"
    path.write_bytes(data)
    return path
