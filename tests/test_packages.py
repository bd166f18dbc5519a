"""Every DOCX drafter writes is a clean package: no part left over from python-docx's
template (Word 2010's stale copy of the styles, the template's thumbnail), its properties set
now (title, author, created and modified), no "python-docx" anywhere, and openxml-audit finds
nothing Word would repair."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from xml.etree import ElementTree

import pytest

from drafter import consulting, correspondence, exports, feedback
from drafter.storage import open_store

from .consultation_fixture import PASSWORD  # noqa: F401  (the world's accounts)

AUDIT = Path(sys.executable).with_name("openxml-audit")  # a test dependency (setup.cfg)
NS = {
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
}


@pytest.fixture
def files(world):
    """Every kind of DOCX export of the consultation world, by name."""
    store = open_store(world.db_path)
    try:
        consultation = store.get_consultation(world.consultation_id)
        lead = store.get_user(world.users["tn-lead"])
        consulting.add_comment(
            store, lead, consultation, key="chuong-1/dieu-3", kind="new_wording",
            text="Rõ hơn.", proposed_text="Đảng đoàn họp mỗi quý một lần.",
            now=consulting.utc_now(),
        )  # fmt: skip
        consulting.submit(store, lead, consultation, no_comments=False, now=consulting.utc_now())
        organizer = store.get_user(world.users["organizer"])
        made = {"consolidated": exports.consolidated(store, world.consultation_id)}
        for name, data in exports.by_unit(store, world.consultation_id).items():
            made[f"unit {name}"] = data
        made["summary"] = exports.consultation_file(
            store, organizer, world.consultation_id, "summary.docx", zone="Asia/Ho_Chi_Minh"
        ).data
        made["compare"] = exports.compare(store, world.draft_id, 1, 2)
        made["response letter"] = correspondence.response_letter(
            store, lead, world.consultation_id, body="Ban Tổ chức", zone="Asia/Ho_Chi_Minh"
        ).data
        made["request letter"] = correspondence.request_letter(
            store, organizer, world.consultation_id, body="Ban Tổ chức", zone="Asia/Ho_Chi_Minh"
        ).data
        made["clean draft"] = exports.draft(store, world.draft_id, 1)
        made["answers"] = feedback.feedback_docx(store, lead, world.consultation_id)[0]
        return made
    finally:
        store.close()


def test_exports_are_clean_packages(files, tmp_path):
    assert len(files) >= 5
    for name, data in files.items():
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            parts = package.namelist()
            assert not [p for p in parts if "stylesWithEffects" in p or "thumbnail" in p], name
            everything = b"".join(package.read(p) for p in parts if not p.endswith(".png"))
            assert b"python-docx" not in everything, name
            core = ElementTree.fromstring(package.read("docProps/core.xml"))
        created = core.findtext("dcterms:created", namespaces=NS)
        modified = core.findtext("dcterms:modified", namespaces=NS)
        assert created == modified
        when = datetime.fromisoformat(created.replace("Z", "+00:00"))
        assert abs(datetime.now(UTC) - when) < timedelta(minutes=5), (name, created)
        assert core.findtext("dc:title", namespaces=NS), name
        assert core.findtext("dc:creator", namespaces=NS), name


def test_word_would_open_every_export_without_repair(files, tmp_path):
    import docx

    control = docx.Document()  # python-docx's own template, a style added: Word repairs it
    control.styles.add_style("Control", 1)
    control.save(tmp_path / "control.docx")
    names = {"control.docx": "control"}
    for number, (name, data) in enumerate(files.items()):
        (tmp_path / f"{number}.docx").write_bytes(data)
        names[f"{number}.docx"] = name
    done = subprocess.run(
        [str(AUDIT), "--recursive", str(tmp_path)], capture_output=True, text=True, timeout=300
    )
    reports = {Path(r.split()[0]).name: r for r in done.stdout.split("File: ")[1:]}
    assert sorted(reports) == sorted(names), done.stderr
    assert "Errors: 0" not in reports.pop("control.docx")  # the checker sees the defect
    for file, report in reports.items():
        assert "Errors: 0" in report, (names[file], report)
