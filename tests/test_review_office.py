"""The Word round trip through a real word processor: LibreOffice (headless, driven through
UNO by tests/office_edit.py under Debian's /usr/bin/python3) edits a unit's review copy with
Track Changes on (and off), adds comments, saves as DOCX; importing it gives exactly those
proposals and comments on exactly those provisions."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

from drafter import review_copy, review_import
from drafter.docx.anchors import bookmark_name
from drafter.docx.review_reader import read_review
from drafter.storage import open_store

HERE = Path(__file__).resolve().parent
PYTHON = "/usr/bin/python3"
AUTHOR = "Nguyễn Văn A"

pytestmark = pytest.mark.skipif(
    shutil.which("soffice") is None
    or subprocess.run([PYTHON, "-c", "import uno"], capture_output=True).returncode != 0,
    reason="LibreOffice and python3-uno are needed (scripts/system-deps.sh)",
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def soffice(tmp_path_factory):
    """One headless LibreOffice for the session, on its own profile and socket."""
    profile = tmp_path_factory.mktemp("lo-profile")
    port = _free_port()
    process = subprocess.Popen(
        [
            "soffice", "--headless", "--invisible", "--norestore", "--nologo", "--nodefault",
            f"-env:UserInstallation={profile.as_uri()}",
            f"--accept=socket,host=127.0.0.1,port={port};urp;",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.3)
    yield port
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def office_edit(port: int, source: Path, target: Path, spec: dict) -> bytes:
    edits = target.with_suffix(".json")
    edits.write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    done = subprocess.run(
        [PYTHON, str(HERE / "office_edit.py"), str(port), str(source), str(target), str(edits)],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return target.read_bytes()


EDITS = [
    {"op": "insert", "find": "tổ chức bộ máy, nguyên tắc", "text": "cơ cấu "},
    {"op": "delete", "find": "Đảng đoàn hội đồng nhân dân, "},
    {"op": "delete_paragraph", "find": "b) Ban cán sự đảng ủy ban nhân dân cấp tỉnh;"},
    {"op": "add_paragraph", "find": "5. “Vấn đề nhạy cảm”", "text": "6. Khoản mới được bổ sung."},
    {"op": "replace", "find": "Vị trí, chức năng", "text": "Vị trí và chức năng"},
]
COMMENTS = [
    {"op": "comment", "find": "Nhiệm vụ của đảng đoàn", "text": "Ý kiến về Điều 4."},
    {"op": "comment", "find": "Hoạt động giám sát", "text": "Ý kiến về điểm d."},
]
PROPOSALS = {
    ("new_wording", "chuong-1/dieu-1/khoan-1"),
    ("new_wording", "chuong-1/dieu-1/khoan-2/diem-a"),
    ("delete", "chuong-1/dieu-1/khoan-2/diem-b"),
    ("new_wording", "chuong-1/dieu-2"),  # the new clause 6
    ("new_wording", "chuong-1/dieu-3"),  # its title
}


@pytest.fixture
def setting(world, tmp_path):
    store = open_store(world.db_path)
    organizer = store.get_user(world.users["organizer"])
    data = review_copy.review_copy_file(
        store, organizer, world.consultation_id, "thai-nguyen", zone="UTC"
    ).data
    source = tmp_path / "copy.docx"
    source.write_bytes(data)
    yield store, world, source
    store.close()


def test_bookmarks_and_properties_survive_libreoffice(soffice, setting, tmp_path):
    store, world, source = setting
    saved = read_review(
        office_edit(soffice, source, tmp_path / "same.docx", {"record": True, "edits": []})
    )
    keys = [
        n.key
        for root in store.get_tree(store.get_consultation(world.consultation_id).version_id)
        for n in root.walk()
        if n.kind in ("article", "clause", "point")
    ]
    anchors = {name for p in saved.paragraphs for name in p.anchors}
    assert anchors == {bookmark_name(k) for k in keys}
    assert saved.properties["drafter.unit"] == "thai-nguyen"
    delegate = store.get_user(world.users["tn-member"])
    shown = review_import.preview_bytes(
        store, delegate, world.consultation_id, "thai-nguyen", "same.docx",
        (tmp_path / "same.docx").read_bytes(),
    )  # fmt: skip
    assert shown.new == []
    assert shown.unplaced == []


@pytest.mark.parametrize("record", [True, False])
def test_libreoffice_edits_become_exactly_those_proposals_and_comments(
    soffice, setting, tmp_path, record
):
    store, world, source = setting
    spec = {"record": record, "author": AUTHOR, "edits": EDITS + COMMENTS}
    data = office_edit(soffice, source, tmp_path / "edited.docx", spec)
    delegate = store.get_user(world.users["tn-member"])
    shown = review_import.preview_bytes(
        store, delegate, world.consultation_id, "thai-nguyen", "edited.docx", data
    )
    proposals = {(i.kind, i.key) for i in shown.new if i.kind != "comment"}
    assert proposals == PROPOSALS
    comments = {(i.key, i.text) for i in shown.new if i.kind == "comment"}
    assert comments == {
        ("chuong-2/dieu-4", "Ý kiến về Điều 4."),
        ("chuong-2/dieu-4/khoan-1/diem-d", "Ý kiến về điểm d."),
    }
    assert shown.unplaced == []
    by_key = {i.key: i for i in shown.new if i.kind != "comment"}
    assert "quyền hạn, cơ cấu tổ chức bộ máy" in by_key["chuong-1/dieu-1/khoan-1"].proposed
    assert by_key["chuong-1/dieu-1/khoan-2/diem-a"].proposed.startswith("a) đảng đoàn ủy ban")
    assert by_key["chuong-1/dieu-2"].proposed.endswith("\n6. Khoản mới được bổ sung.")
    assert by_key["chuong-1/dieu-3"].proposed.startswith("Điều 3. Vị trí và chức năng\n")
    tracked = {i.author for i in shown.new if i.kind != "comment"}
    assert tracked == ({AUTHOR} if record else {""})
    # Confirmed, they are the unit's drafts; the same file again adds nothing.
    upload = review_import.stage(
        store, delegate, world.consultation_id, "thai-nguyen", "edited.docx", data,
        now="2026-12-04T10:00:00+00:00",
    )  # fmt: skip
    assert review_import.confirm(store, delegate, upload, "2026-12-04T10:00:00+00:00").added == 7
    again = review_import.preview_bytes(
        store, delegate, world.consultation_id, "thai-nguyen", "edited.docx", data
    )
    assert again.new == []


def test_a_second_comment_on_the_same_range_is_folded_in_as_a_reply(soffice, setting, tmp_path):
    """LibreOffice 7.4 cannot mark a reply in DOCX: it writes the reply as a comment on
    the same range, with no commentsExtended part.  Both texts become one comment."""
    store, world, source = setting
    spec = {
        "record": True,
        "author": "Trần B",
        "edits": [
            {"op": "comment", "find": "Nhiệm vụ của đảng đoàn", "text": "Ý kiến về Điều 4."},
            {"op": "comment", "find": "Nhiệm vụ của đảng đoàn", "text": "Trả lời: đồng ý."},
            {"op": "delete", "find": "Hoạt động giám sát, "},
            {"op": "comment", "find": "phản biện xã hội", "text": "Về điểm d."},
        ],
    }
    data = office_edit(soffice, source, tmp_path / "replies.docx", spec)
    delegate = store.get_user(world.users["tn-member"])
    shown = review_import.preview_bytes(
        store, delegate, world.consultation_id, "thai-nguyen", "replies.docx", data
    )
    comments = [i for i in shown.new if i.kind == "comment"]
    assert len(comments) == 2
    article = next(i for i in comments if i.key == "chuong-2/dieu-4")
    assert "Ý kiến về Điều 4." in article.text
    assert "Trả lời: đồng ý." in article.text
    assert article.author == "Trần B"
    assert article.date == ""  # LibreOffice's placeholder date is not a date
    point = next(i for i in comments if i.key == "chuong-2/dieu-4/khoan-1/diem-d")
    assert point.text == "Về điểm d."
    assert [(i.kind, i.key) for i in shown.new if i.kind != "comment"] == [
        ("new_wording", "chuong-2/dieu-4/khoan-1/diem-d")
    ]
