"""A real word processor's Accept all / Reject all on our tracked changes: LibreOffice, headless,
driven through python3-uno by ``tests/office_accept.py`` (run by Debian's /usr/bin/python3).

Paragraph marks are written the way Word writes them (an inserted paragraph marks the mark of
the paragraph before it), so LibreOffice's Accept all and Reject all give exactly the texts
pandoc and our own reader give: the new and the old version of a comparison, the consulted
version and the version with the accepted proposals for a consolidated draft and a per-unit
redline.  One soffice serves every test of the session (it takes seconds to start).
"""

from __future__ import annotations

import io
import os
import shutil
import signal
import socket
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from drafter import accounts, consulting, exports
from drafter.consolidate import CHANGING_KINDS, plan
from drafter.docx.layout import layout
from drafter.importing import import_file
from drafter.storage import open_store

from . import docx_text
from .consultation_fixture import PASSWORD
from .expected_text import expected_lines
from .test_exports import world  # noqa: F401 - the consultation with proposals of every kind
from .test_faithful_layout import DECREE, pandoc_words

SCRIPT = Path(__file__).with_name("office_accept.py")
SYSTEM_PYTHON = "/usr/bin/python3"


@dataclass
class Office:
    """A headless soffice listening on 127.0.0.1:`port`."""

    port: int

    def run(self, *jobs: tuple[str, Path, Path]) -> None:
        """Accept or reject every change: each job is (mode, source, target)."""
        args = [str(part) for job in jobs for part in job]
        done = subprocess.run(
            [SYSTEM_PYTHON, str(SCRIPT), str(self.port), *args],
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, done.stderr[-3000:]

    def texts(self, data: bytes, folder: Path, name: str) -> dict[str, bytes]:
        """Return {"accept": file, "reject": file}: `data` with every change accepted, and
        with every change rejected, by LibreOffice."""
        source = folder / f"{name}.docx"
        source.write_bytes(data)
        targets = {mode: folder / f"{name}-{mode}.docx" for mode in ("accept", "reject")}
        self.run(*((mode, source, target) for mode, target in targets.items()))
        return {mode: target.read_bytes() for mode, target in targets.items()}


def _uno_missing() -> str:
    if shutil.which("soffice") is None:
        return "LibreOffice is not installed (`make test` installs libreoffice-writer)"
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True, check=False)
    if probe.returncode:
        return "python3-uno is not installed (`make test` installs it)"
    return ""


@pytest.fixture(scope="session")
def office(tmp_path_factory):
    """One headless soffice for the session, with its own profile, on a free local port."""
    missing = _uno_missing() if os.path.exists(SYSTEM_PYTHON) else "no /usr/bin/python3"
    if missing:
        pytest.skip(missing)
    profile = tmp_path_factory.mktemp("office-profile")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [
            "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--invisible",
            "--nologo",
            "--norestore",
            "--nodefault",
            f"--accept=socket,host=127.0.0.1,port={port};urp;StarOffice.ComponentContext",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: ended below by that group's id
    )
    try:
        yield Office(port)
    finally:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(process.pid, signal.SIGKILL)


def _read(data: bytes) -> list[str]:
    """The body's paragraphs of a file LibreOffice saved (no change is left in it)."""
    return docx_text.paragraphs(data, accept=True)


def test_office_accepts_and_rejects_a_comparison_as_the_two_versions(world, office, tmp_path):  # noqa: F811
    store = open_store(world.db_path)
    try:
        data = exports.compare(store, world.draft_id, 1, 2)
        old, new = (
            [p.plain for p in layout(store.get_tree(store.get_version(world.draft_id, n).id))]
            for n in (1, 2)
        )
    finally:
        store.close()
    done = office.texts(data, tmp_path, "compare")
    assert _read(done["reject"]) == old
    assert _read(done["accept"]) == new
    assert docx_text.paragraphs(data, accept=False) == old  # and our reader agrees
    assert docx_text.paragraphs(data, accept=True) == new


def test_office_accepts_and_rejects_the_consolidated_and_each_units_redline(
    world,  # noqa: F811
    office,
    tmp_path,
):
    store = open_store(world.db_path)
    try:
        consultation = store.get_consultation(world.consultation_id)
        nodes = store.get_tree(consultation.version_id)
        owners = [(p.plain, p.owners) for p in layout(nodes)]
        version = [text for text, _ in owners]
        consolidated = exports.consolidated(store, world.consultation_id)
        comments = store.list_comments(world.consultation_id, submitted_only=True)
        answered = plan(
            comments,
            applies=lambda c: c.answer is not None and c.answer.status in ("accepted", "partly"),
        )
        cases = {"consolidated": (consolidated, expected_lines(owners, answered))}
        for code, data in exports.by_unit(store, world.consultation_id).items():
            own = store.list_comments(
                world.consultation_id, unit_id=world.units[code], submitted_only=True
            )
            proposals = plan(own, applies=lambda c: c.kind in CHANGING_KINDS)
            cases[code] = (data, expected_lines(owners, proposals))
    finally:
        store.close()
    assert len(cases) == 3
    for name, (data, accepted) in cases.items():
        assert accepted != version, name  # there are changes to accept
        done = office.texts(data, tmp_path, name)
        assert _read(done["reject"]) == version, name
        assert _read(done["accept"]) == accepted, name


# -- the real decree: its consolidated draft with every change rejected is the original -------
def _real_consultation(tmp_path) -> tuple[Path, int]:
    """The real decree in a consultation where a unit proposed new wording for two clauses,
    a new point and the deletion of another, all accepted; returns (database, consultation)."""
    from .conftest import REAL_DOCX

    path = tmp_path / "real.sqlite"
    store = open_store(path)
    try:
        imported = import_file(store, REAL_DOCX / DECREE)
        version = imported.version
        organizer = accounts.create_organizer(store, "organizer", "Bộ Nội vụ", PASSWORD)
        unit = accounts.create_unit(store, "ha-noi", "UBND thành phố Hà Nội", "province")
        lead, _ = accounts.create_delegate(
            store, unit, "hn-lead", "HN-LEAD", is_lead=True, password=PASSWORD
        )
        now = consulting.utc_now()
        with store.transaction():
            consultation_id = store.create_consultation(
                version.id, "Lấy ý kiến", opens_at=now, deadline="2999-01-01T00:00:00+00:00",
                unit_ids=[unit], now=now,
            )  # fmt: skip
        consultation = store.get_consultation(consultation_id)
        user = store.get_user(lead)
        keys = [n.key for top in store.get_tree(version.id) for n in top.walk()]
        clauses = [k for k in keys if k.count("/") >= 2 and k.split("/")[-1].startswith("khoan")]
        points = [k for k in keys if k.split("/")[-1].startswith("diem")]
        ids = []
        for key in clauses[:2]:
            text = store.get_node(version.id, key).text
            number = store.get_node(version.id, key).number
            ids.append(
                consulting.add_comment(
                    store,
                    user,
                    consultation,
                    key=key,
                    kind="new_wording",
                    text="Sửa.",
                    proposed_text=f"{number}. {text} Bổ sung cho rõ.",
                    now=now,
                )  # fmt: skip
            )
        ids.append(
            consulting.add_comment(
                store,
                user,
                consultation,
                key=points[0],
                kind="add_after",
                text="Thêm.",
                proposed_text="a1) Điểm mới do Hà Nội đề xuất.",
                now=now,
            )  # fmt: skip
        )
        ids.append(
            consulting.add_comment(
                store,
                user,
                consultation,
                key=points[3],
                kind="delete",
                text="Bỏ.",
                proposed_text=None,
                now=now,
            )  # fmt: skip
        )
        consulting.submit(store, user, consultation, no_comments=False, now=now)
        for comment_id in ids:
            consulting.answer(
                store, store.get_user(organizer), comment_id, status="accepted",
                explanation="Tiếp thu.", now=now,
            )  # fmt: skip
    finally:
        store.close()
    return path, consultation_id


def test_the_real_decrees_consolidated_draft_rejected_is_the_original(
    shared, office, pandoc, tmp_path
):
    """pandoc's --track-changes=reject, and LibreOffice's Reject all read through pandoc, give
    the original Word file's text word for word: header and closing tables, superscripts."""
    path, consultation_id = _real_consultation(tmp_path)
    store = open_store(path)
    try:
        data = exports.consolidated(store, consultation_id)
    finally:
        store.close()
    redline = tmp_path / "consolidated.docx"
    redline.write_bytes(data)
    original = pandoc_words(shared / "real-docx" / DECREE)
    assert pandoc_words(redline, "accept") != original  # the proposals are in it
    assert pandoc_words(redline, "reject") == original
    rejected = tmp_path / "rejected.docx"
    office.run(("reject", redline, rejected))
    assert pandoc_words(rejected) == original


def test_an_inserted_paragraph_marks_the_mark_before_it_as_word_does(world):  # noqa: F811
    """What Word writes for "¶ + text" typed at the end of "e)": the mark of "e)" inserted,
    the new paragraph's own mark (the old mark of "e)") not."""
    from lxml import etree

    store = open_store(world.db_path)
    try:
        data = exports.compare(store, world.draft_id, 1, 2)
    finally:
        store.close()
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    paragraphs = list(root.iter(f"{w}p"))

    def marked(p) -> bool:
        return p.find(f"{w}pPr/{w}rPr/{w}ins") is not None

    new = next(
        i
        for i, p in enumerate(paragraphs)
        if "".join(t.text for t in p.iter(f"{w}t")).startswith("g) Công tác chuyển đổi số")
    )
    assert marked(paragraphs[new - 1])
    assert not marked(paragraphs[new])
