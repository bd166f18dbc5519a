"""Exports whose cost grows linearly: Word comments numbered by a counter (not python-docx's
scan of every id), and the per-unit export writing the draft once and copying it for every
unit.  What is checked is that the files are exactly those written the slow way."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import docx
import pytest

from drafter import accounts, consulting, exports
from drafter.docx import ooxml
from drafter.docx.layout import new_document
from drafter.importing import import_bytes
from drafter.storage import open_store

ROOT = Path(__file__).resolve().parent.parent
TABLE = "| Cơ quan | Nhiệm vụ |\n|---|---|\n| Đảng đoàn | Lãnh đạo |\n| Ban cán sự | Chỉ đạo |"
UNITS = ("thai-nguyen", "quang-nam", "lao-cai")


def _parts(data: bytes) -> dict[str, bytes]:
    """Every part of a package; the moments of its properties (the export's clock) aside."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    parts = {name: archive.read(name) for name in archive.namelist()}
    parts["docProps/core.xml"] = re.sub(
        rb"<dcterms:(created|modified)[^<]*</dcterms:\1>", b"", parts["docProps/core.xml"]
    )
    return parts


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """The sample draft with a table in Article 1; three units commenting on the same
    provisions (the table's clause among them), with proposals of every kind."""
    store = open_store(tmp_path_factory.mktemp("scale") / "scale.sqlite")
    markdown = (ROOT / "drafts" / "quy-dinh-dang-doan-v1.md").read_text(encoding="utf-8")
    markdown = markdown.replace("### Điều 2.", f"{TABLE}\n\n### Điều 2.", 1)
    version = import_bytes(store, markdown.encode(), "bang.md").version
    organizer = store.get_user(
        accounts.create_organizer(store, "org", "Ban Tổ chức", "correct horse battery")
    )
    units = {code: accounts.create_unit(store, code, code.title(), "province") for code in UNITS}
    leads = {}
    for code, unit_id in units.items():
        user_id, _ = accounts.create_delegate(
            store,
            unit_id,
            f"{code}-1",
            code.upper(),
            is_lead=True,
            password="correct horse battery",
        )
        leads[code] = store.get_user(user_id)
    now = datetime.now(UTC).replace(microsecond=0)
    with store.transaction():
        consultation_id = store.create_consultation(
            version.id,
            "Lấy ý kiến",
            opens_at=(now - timedelta(days=1)).isoformat(),
            deadline=(now + timedelta(days=30)).isoformat(),
            unit_ids=list(units.values()),
            now=now.isoformat(),
        )
    consultation = store.get_consultation(consultation_id)
    stamp = now.isoformat()
    for i, code in enumerate(UNITS):
        add = lambda key, kind, text="", proposed=None, who=leads[code]: consulting.add_comment(  # noqa: E731
            store, who, consultation, key=key, kind=kind, text=text, proposed_text=proposed,
            now=stamp,
        )  # fmt: skip
        add("chuong-1/dieu-1/khoan-2", "comment", f"Về bảng ({code}).")
        add("chuong-1/dieu-2", "agree")
        add(None, "question", f"Câu hỏi {i}?")
        if code != "lao-cai":  # Lào Cai proposes nothing: its file has no tracked change
            add("chuong-1/dieu-1/khoan-1", "new_wording", "Sửa.", f"1. Văn bản mới {i}.")
            add("chuong-2/dieu-4/khoan-1/diem-e", "delete", "Bỏ.")
            add("chuong-2/dieu-4/khoan-1", "add_after", "Thêm.", f"2a. Khoản mới {i}.")
        consulting.submit(store, leads[code], consultation, no_comments=False, now=stamp)
    for comment in store.list_comments(consultation_id, submitted_only=True)[:4]:
        consulting.answer(
            store, organizer, comment.id, status="accepted", explanation="Được.", now=stamp
        )
    yield store, consultation_id, units
    store.close()


def test_every_unit_file_is_the_one_written_alone(world):
    """The per-unit export copies the paragraphs written for the first unit into the
    others: each file must be exactly the one that unit's export alone writes."""
    store, consultation_id, units = world
    together = exports.by_unit(store, consultation_id)
    assert sorted(together) == sorted(UNITS)
    for code, unit_id in units.items():
        alone = exports.by_unit(store, consultation_id, only=unit_id)
        assert list(alone) == [code]
        assert _parts(together[code]) == _parts(alone[code]), code
    document = docx.Document(io.BytesIO(together["lao-cai"]))
    tables = [[c.text for c in row.cells] for t in document.tables for row in t.rows]
    assert tables == [["Cơ quan", "Nhiệm vụ"], ["Đảng đoàn", "Lãnh đạo"], ["Ban cán sự", "Chỉ đạo"]]
    xml = _parts(together["quang-nam"])["word/document.xml"].decode()
    assert "2a. Khoản mới 1." in xml
    assert "Khoản mới 0." not in xml  # another unit's proposal never leaks in
    assert "<w:ins " in xml
    assert "<w:ins " not in _parts(together["lao-cai"])["word/document.xml"].decode()


def test_comment_ids_are_counted_and_match_their_anchors(world):
    store, consultation_id, _units = world
    parts = _parts(exports.consolidated(store, consultation_id))
    comments = parts["word/comments.xml"].decode()
    body = parts["word/document.xml"].decode()
    ids = [int(i) for i in re.findall(r'<w:comment w:id="(\d+)"', comments)]
    submitted = store.list_comments(consultation_id, submitted_only=True)
    assert ids == list(range(len(submitted)))
    for tag in ("commentRangeStart", "commentRangeEnd", "commentReference"):
        assert sorted(int(i) for i in re.findall(rf'<w:{tag} w:id="(\d+)"', body)) == ids


def test_the_counter_continues_after_the_comments_a_file_has():
    document = new_document("t")
    paragraph = document.add_paragraph("x")
    document.add_comment(paragraph.runs, text="python-docx's", author="A")
    document.add_comment(paragraph.runs, text="python-docx's", author="A")
    comments = ooxml.Comments(document)
    ooxml.anchor_comment(comments, [paragraph], ["a"], author="B", initials="B", date="d")
    made = ooxml.anchor_comment(comments, [paragraph], ["b"], author="C", initials="C", date="d")
    assert made == "3"
    assert [c.comment_id for c in document.comments] == [0, 1, 2, 3]
    assert [c.author for c in document.comments] == ["A", "A", "B", "C"]


def test_a_file_without_comments_has_no_comments_part():
    """As with python-docx, the comments part is made with the first comment only."""
    document = new_document("t")
    ooxml.Comments(document)
    assert "word/comments.xml" not in _parts(exports.to_bytes(document))


@pytest.mark.parametrize(
    "lines",
    [
        [],
        [""],
        ["[Góp ý] Một dòng."],
        [
            "  lề trái",
            "lề phải  ",
            "a\tb\t",
            "x\r\ny\nz",
            "<b>&amp;</b> \"q\" 'q'",
            "",
            "\u00a0nbsp",
        ],
    ],
)
def test_a_comment_is_the_one_python_docx_writes(lines):
    """ooxml.Comments builds each comment in one parse: it must be the element python-docx's
    add_comment, add_paragraph and add_run make, attribute for attribute."""
    author, initials, date = 'Tỉnh ủy "A" & <B>', "TUA", "2026-01-02T03:04:05Z"
    slow = new_document("t")
    comment = slow.comments.add_comment(text="", author=author, initials=initials)
    comment._comment_elm.set(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}date", date
    )
    for i, line in enumerate(lines):
        (comment.paragraphs[0] if i == 0 else comment.add_paragraph()).add_run(line)
    fast = new_document("t")
    ooxml.Comments(fast).add(lines, author=author, initials=initials, date=date)
    assert (
        _parts(exports.to_bytes(fast))["word/comments.xml"]
        == _parts(exports.to_bytes(slow))["word/comments.xml"]
    )
