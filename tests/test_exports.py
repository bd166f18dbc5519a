"""The exports: consolidated redline, per-unit redlines, summary table, version comparison.

Every tracked-change file is checked two independent ways (our own OOXML reader and pandoc):
accepting every change gives the target text, rejecting gives the source, exactly.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from drafter import consulting, exports, summary
from drafter.cli import cli
from drafter.consolidate import CHANGING_KINDS, plan
from drafter.docx.layout import layout
from drafter.labels import KIND_LABELS
from drafter.normalize import slug
from drafter.storage import open_store

from . import docx_text
from .consultation_fixture import build_world
from .expected_text import expected_lines

VIETNAMESE = (
    "Tiếng Việt: ă â đ ê ô ơ ư Đ — à á ả ã ạ ằ ắ ẳ ẵ ặ ầ ấ ẩ ẫ ậ è é ẻ ẽ ẹ ề ế ể ễ ệ "
    "ì í ỉ ĩ ị ò ó ỏ õ ọ ồ ố ổ ỗ ộ ờ ớ ở ỡ ợ ù ú ủ ũ ụ ừ ứ ử ữ ự ỳ ý ỷ ỹ ỵ"
)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """A consultation with proposals of every kind from two units, submitted and answered."""
    world = build_world(tmp_path_factory.mktemp("exports") / "exports.sqlite")
    store = open_store(world.db_path)
    consultation = store.get_consultation(world.consultation_id)
    user = {name: store.get_user(uid) for name, uid in world.users.items()}
    now = consulting.utc_now()

    def add(who, key, kind, text="", proposed=None):
        return consulting.add_comment(
            store,
            user[who],
            consultation,
            key=key,
            kind=kind,
            text=text,
            proposed_text=proposed,
            now=now,
        )

    article3 = "Điều 3. Vị trí, chức năng"
    clause = store.get_node(consultation.version_id, "chuong-1/dieu-3/khoan-2").text
    ids = {
        "reword": add(
            "tn-member",
            "chuong-1/dieu-3/khoan-2",
            "new_wording",
            f"Sửa cho rõ. {VIETNAMESE}",
            "2. " + clause.replace("lãnh đạo", "lãnh đạo, chỉ đạo", 1),
        ),
        "title": add(
            "qn-lead",
            "chuong-1/dieu-3",
            "new_wording",
            "Đổi tên điều.",
            store.get_node(consultation.version_id, "chuong-1/dieu-3").title
            and _provision(store, consultation, "chuong-1/dieu-3").replace(
                article3, "Điều 3. Vị trí và chức năng"
            ),
        ),
        "label": add(
            "tn-lead",
            "chuong-2/dieu-5/khoan-1",
            "new_wording",
            "Không ghi số khoản.",
            store.get_node(consultation.version_id, "chuong-2/dieu-5/khoan-1").text + " Bổ sung.",
        ),
        "add": add(
            "qn-lead",
            "chuong-2/dieu-4/khoan-1/diem-dd",
            "add_after",
            "Thêm điểm.",
            "e1) Điểm mới do Quảng Nam đề xuất.",
        ),
        "delete": add("tn-lead", "chuong-2/dieu-4/khoan-1/diem-e", "delete", "Bỏ điểm e."),
        "rejected": add(
            "tn-lead",
            "chuong-1/dieu-1/khoan-1",
            "new_wording",
            "Không được tiếp thu.",
            "1. Văn bản khác hẳn.",
        ),
        "agree": add("qn-lead", "chuong-1/dieu-2", "agree"),
        "general": add("tn-lead", None, "question", "Khi nào ban hành? <script>x</script>"),
    }
    consulting.submit(store, user["tn-lead"], consultation, no_comments=False, now=now)
    consulting.submit(store, user["qn-lead"], consultation, no_comments=False, now=now)
    for name, status in (
        ("reword", "accepted"),
        ("title", "partly"),
        ("add", "accepted"),
        ("label", "accepted"),
        ("delete", "accepted"),
        ("rejected", "rejected"),
    ):
        consulting.answer(
            store,
            user["organizer"],
            ids[name],
            status=status,
            explanation=f"Giải trình {status}.",
            now=now,
        )
    store.close()
    world.ids = ids
    return world


def paragraph_owners(nodes):
    """Return (plain text, owner keys) of each laid-out paragraph (test helper)."""
    return [(p.plain, p.owners) for p in layout(nodes)]


def _provision(store, consultation, key):
    from drafter.export_md import provision_text

    return provision_text(store.get_node(consultation.version_id, key))


def _norm(lines):
    return " ".join(" ".join(lines).split())


def _pandoc(path, mode):
    out = subprocess.run(
        ["pandoc", f"--track-changes={mode}", "-t", "plain", "--wrap=none", str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return _norm(line.removeprefix("-   ") for line in out.splitlines())


def _check_redline(data, source, target, tmp_path, pandoc_ok):
    docx.Document(io.BytesIO(data))  # python-docx re-opens it
    assert docx_text.paragraphs(data, accept=False) == source
    assert docx_text.paragraphs(data, accept=True) == target
    assert docx_text.package_problems(data) == []
    if pandoc_ok:
        path = tmp_path / "check.docx"
        path.write_bytes(data)
        assert _pandoc(path, "reject") == _norm(source)
        assert _pandoc(path, "accept") == _norm(target)


@pytest.fixture
def pandoc_ok():
    if shutil.which("pandoc") is None:
        pytest.skip("pandoc is not installed (`make test` installs it)")
    return True


def _soffice_pdf(data: bytes, tmp_path, name="file.docx", export="pdf"):
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed (`make test` installs it)")
    source = tmp_path / name
    source.write_bytes(data)
    done = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/lo-profile",
            "--headless",
            "--convert-to",
            export,
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    pdf = source.with_suffix(".pdf")
    assert done.returncode == 0, done.stderr
    assert pdf.exists(), done.stderr
    assert pdf.stat().st_size > 1000, done.stderr
    return pdf


def test_consolidated(world, tmp_path, pandoc_ok):
    store = open_store(world.db_path)
    data = exports.consolidated(store, world.consultation_id)
    consultation = store.get_consultation(world.consultation_id)
    nodes = store.get_tree(consultation.version_id)
    comments = store.list_comments(world.consultation_id, submitted_only=True)
    applied = plan(
        comments,
        applies=lambda c: c.answer is not None and c.answer.status in ("accepted", "partly"),
    )
    assert {c.comment_id for cs in applied.changes.values() for c in cs} == {
        world.ids[n] for n in ("reword", "title", "add", "delete", "label")
    } - {world.ids["reword"]}
    assert applied.not_applied == {
        world.ids["reword"]: "overlap"
    }  # inside Điều 3, which "title" rewrites
    owners = paragraph_owners(nodes)
    target = expected_lines(owners, applied)
    source = [text for text, _ in owners]
    assert "Điều 3. Vị trí và chức năng" in target
    assert "e1) Điểm mới do Quảng Nam đề xuất." in target
    # A proposal written without its "1." keeps the clause's number.
    clause = next(line for line in target if line.endswith(" Bổ sung."))
    assert clause.startswith("1. ")
    assert clause in target
    assert not any(
        line.startswith("e) ")
        for line in target[target.index("e1) Điểm mới do Quảng Nam đề xuất.") :][:2]
    )
    _check_redline(data, source, target, tmp_path, pandoc_ok)
    # Authors of the changes are the proposing units; every comment is a native comment.
    assert docx_text.authors(data) == {
        "ins": {"Tỉnh ủy Quảng Nam (QN-LEAD)", "Tỉnh ủy Thái Nguyên (TN-LEAD)"},
        "del": {
            "Tỉnh ủy Quảng Nam (QN-LEAD)",
            "Tỉnh ủy Thái Nguyên (TN-LEAD)",
        },  # and the deleted point
    }
    document = docx.Document(io.BytesIO(data))
    assert len(document.comments) == len(comments) == 8
    by_author = {c.author for c in document.comments}
    assert by_author == {
        "Tỉnh ủy Thái Nguyên (TN-MEMBER)",
        "Tỉnh ủy Thái Nguyên (TN-LEAD)",
        "Tỉnh ủy Quảng Nam (QN-LEAD)",
    }
    texts = "\n".join(c.text for c in document.comments)
    assert VIETNAMESE in texts
    assert "Trả lời — Không tiếp thu (giải trình): Giải trình rejected." in texts
    assert "1. Văn bản khác hẳn." in texts  # a rejected proposal stays in its comment
    path = tmp_path / "c.docx"
    path.write_bytes(data)
    marked = subprocess.run(
        ["pandoc", "--track-changes=all", "-t", "markdown", "--wrap=none", str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert marked.count(".comment-start") == 8
    assert 'deletion author="Tỉnh ủy Thái Nguyên (TN-LEAD)"' in marked
    assert 'insertion author="Tỉnh ủy Quảng Nam (QN-LEAD)"' in marked
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.left_margin.mm)) == (210, 30)


def test_consolidated_opens_in_libreoffice(world, tmp_path):
    store = open_store(world.db_path)
    _soffice_pdf(exports.consolidated(store, world.consultation_id), tmp_path)


def picture(pdf: Path, name: str, page: int = 1, resolution: int = 60) -> Path:
    """Write page `page` of `pdf` as a PNG picture to the screenshots folder (var/screenshots,
    or docs/screenshots through `make screenshots`); return it."""
    from .conftest import ROOT

    folder = Path(os.environ.get("DRAFTER_SCREENSHOTS") or ROOT / "var" / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(resolution), "-f", str(page), "-l", str(page),
         "-singlefile", str(pdf), str(target)],
        check=True, capture_output=True,
    )  # fmt: skip
    png = target.with_suffix(".png")
    assert png.stat().st_size > 5000
    return png


def test_demo_consolidated_picture(tmp_path):
    """The README's picture: page 2 of the demo's consolidated draft as LibreOffice prints it,
    with tracked changes and comment marks in the margin."""
    from drafter import demo

    from .conftest import ROOT

    demo.build(tmp_path / "demo.sqlite", echo=lambda _line: None)
    store = open_store(tmp_path / "demo.sqlite")
    margin = _soffice_pdf(
        exports.consolidated(store, 1),
        tmp_path,
        "demo.docx",
        export='pdf:writer_pdf_Export:{"ExportNotesInMargin":{"type":"boolean","value":"true"}}',
    )
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm is not installed (`make test` installs poppler-utils)")
    # The README's picture is refreshed only on request (`make screenshots`).
    folder = Path(os.environ.get("DRAFTER_SCREENSHOTS") or ROOT / "var" / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "consolidated"
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            "2",
            "-l",
            "2",
            "-singlefile",
            str(margin),
            str(target),
        ],
        check=True,
        capture_output=True,
    )
    assert target.with_suffix(".png").stat().st_size > 5000


def test_by_unit(world, tmp_path, pandoc_ok):
    store = open_store(world.db_path)
    consultation = store.get_consultation(world.consultation_id)
    owners = paragraph_owners(store.get_tree(consultation.version_id))
    files = exports.by_unit(store, world.consultation_id)
    assert set(files) == {"thai-nguyen", "quang-nam"}
    for code, data in files.items():
        unit_id = world.units[code]
        comments = store.list_comments(world.consultation_id, unit_id=unit_id, submitted_only=True)
        applied = plan(comments, applies=lambda c: c.kind in CHANGING_KINDS)
        _check_redline(
            data, [t for t, _ in owners], expected_lines(owners, applied), tmp_path, pandoc_ok
        )
        assert len(docx.Document(io.BytesIO(data)).comments) == len(comments)
    archive = zipfile.ZipFile(io.BytesIO(exports.zip_files(files)))
    assert sorted(archive.namelist()) == ["quang-nam.docx", "thai-nguyen.docx"]


def test_summary_table(world):
    store = open_store(world.db_path)
    table = summary.build(store, world.consultation_id)
    headings = [g.heading for g in table.groups]
    assert headings[0] == "Ý kiến chung về dự thảo"
    assert headings[1].startswith("Điều 1.")
    assert table.totals == {
        "units": 2,
        "responded": 2,
        "comments": 7,
        "answered": 6,
        "agreements": 1,
        "contradictions": 0,
        "no_comments": 0,
    }
    agreed = next(g for g in table.groups if g.heading.startswith("Điều 2."))
    assert agreed.agreed == ["Tỉnh ủy Quảng Nam"]
    rows = [row for g in table.groups for row in g.rows]
    assert [r[0] for r in rows] == [str(n) for n in range(1, 8)]
    assert ("điểm đ khoản 1 Điều 4") in [r[1] for r in rows]
    raw = summary.to_csv(table)
    assert raw.startswith(b"\xef\xbb\xbf")
    parsed = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert parsed[0] == list(summary.COLUMNS)
    assert any(VIETNAMESE in cell for row in parsed for cell in row)
    markdown = summary.to_markdown(table)
    assert "| STT |" in markdown
    assert VIETNAMESE in markdown
    document = docx.Document(io.BytesIO(summary.to_docx(table)))
    assert document.sections[0].page_width > document.sections[0].page_height  # landscape
    cells = [c.text for row in document.tables[0].rows for c in row.cells]
    assert any(VIETNAMESE in c for c in cells)
    assert any("Tiếp thu một phần: Giải trình partly." in c for c in cells)
    # Columns as wide as their content needs: narrow number and provision, wide comment.
    grid = [int(col.get(docx.oxml.ns.qn("w:w"))) for col in
            document.tables[0]._tbl.tblGrid.findall(docx.oxml.ns.qn("w:gridCol"))]  # fmt: skip
    assert grid[0] < grid[1] < grid[2] < grid[3]
    assert grid[3] > 2 * grid[1]
    # Each proposal as its changes: inserted words underlined, deleted words struck through,
    # and no Markdown mark anywhere in the document or the CSV.
    runs = [r for row in document.tables[0].rows for c in row.cells for p in c.paragraphs
            for r in p.runs]  # fmt: skip
    assert any(r.underline for r in runs)
    assert any(r.font.strike for r in runs)
    assert not any("**" in c for c in cells)
    assert not any("**" in cell for row in parsed for cell in row)


def test_markdown_in_the_summary_is_rendered_in_docx_and_stripped_in_csv(tmp_path):
    world = build_world(tmp_path / "md.sqlite")
    store = open_store(world.db_path)
    consultation = store.get_consultation(world.consultation_id)
    lead = store.get_user(world.users["tn-lead"])
    consulting.add_comment(
        store, lead, consultation, key="chuong-1/dieu-3", kind="comment",
        text="Đề nghị dùng **văn bản điện tử** và *chữ ký số*; giữ 2*3.", proposed_text=None,
        now=consulting.utc_now(),
    )  # fmt: skip
    consulting.submit(store, lead, consultation, no_comments=False, now=consulting.utc_now())
    table = summary.build(store, world.consultation_id)
    store.close()
    text = "Đề nghị dùng văn bản điện tử và chữ ký số; giữ 2*3."
    cells = [c for row in csv.reader(io.StringIO(summary.to_csv(table).decode("utf-8-sig")))
             for c in row]  # fmt: skip
    assert f"[{KIND_LABELS['comment']}] {text}" in cells
    document = docx.Document(io.BytesIO(summary.to_docx(table)))
    runs = [r for row in document.tables[0].rows for c in row.cells for p in c.paragraphs
            for r in p.runs]  # fmt: skip
    assert [r.text for r in runs if r.bold and "điện tử" in r.text] == ["văn bản điện tử"]
    assert [r.text for r in runs if r.italic and "ký" in r.text] == ["chữ ký số"]


def test_the_demo_summary_prints_on_few_pages(tmp_path):
    """Laid out as a clerk would (widths that fit, Markdown rendered, proposals as changes),
    the demo's 49 comments print on 9 landscape pages in LibreOffice, where equal columns took
    23; the page count catches a layout regression (fonts-liberation2 makes it the same on
    every machine)."""
    if shutil.which("soffice") is None or shutil.which("pdfinfo") is None:
        pytest.fail("LibreOffice and poppler-utils are needed: `make test` installs them")
    from drafter import demo

    demo.build(tmp_path / "demo.sqlite", echo=lambda _line: None)
    store = open_store(tmp_path / "demo.sqlite")
    data = summary.to_docx(summary.build(store, 1))
    store.close()
    pdf = _soffice_pdf(data, tmp_path, "summary.docx")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    pages = int(re.search(r"Pages:\s+(\d+)", info.stdout)[1])
    assert pages <= 10, pages
    picture(pdf, "summary")  # the README's picture of its first page


def test_summary_lists_silent_units(tmp_path):
    world = build_world(tmp_path / "silent.sqlite")
    table = summary.build(open_store(world.db_path), world.consultation_id)
    assert table.silent == ["Tỉnh ủy Quảng Nam", "Tỉnh ủy Thái Nguyên"]
    assert table.groups == []


def test_compare_versions(world, tmp_path, pandoc_ok):
    store = open_store(world.db_path)
    data = exports.compare(store, world.draft_id, 1, 2)
    old = [p.plain for p in layout(store.get_tree(store.get_version(world.draft_id, 1).id))]
    new = [p.plain for p in layout(store.get_tree(store.get_version(world.draft_id, 2).id))]
    _check_redline(data, old, new, tmp_path, pandoc_ok)
    assert docx_text.authors(data) == {
        "ins": {"Cơ quan chủ trì soạn thảo"},
        "del": {"Cơ quan chủ trì soạn thảo"},
    }
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode("utf-8")
    # Điều 10 "Nguyên tắc làm việc" moved to Chương I as Điều 4: a Word move, not a delete
    # of the whole article plus an insert of the whole article.
    assert "<w:moveFrom " in xml
    assert "<w:moveTo " in xml
    moved_from = xml.split("<w:moveFromRangeStart")[1].split("<w:moveFromRangeEnd")[0]
    assert "Nguyên tắc làm việc" in moved_from
    # An article changed in place (Điều 13) is a word-level diff: its heading is untouched.
    assert "Điều 13. Quan hệ với tỉnh ủy" in "".join(docx_text.paragraphs(data, accept=False))
    _soffice_pdf(data, tmp_path, "compare.docx")


def test_cli_exports(world, tmp_path):
    db = str(world.db_path)
    runner = CliRunner()
    for args, name in (
        (["consolidated", str(world.consultation_id)], "x-gop-y.docx"),
        (["summary", str(world.consultation_id)], "x-tong-hop.csv"),
        (["summary", str(world.consultation_id)], "x-tong-hop.md"),
        (["summary", str(world.consultation_id)], "x-tong-hop.docx"),
        (["compare", str(world.draft_id), "--from", "1", "--to", "2"], "x-so-sanh.docx"),
        (["by-unit", str(world.consultation_id)], "by-unit.zip"),
    ):
        result = runner.invoke(
            cli, ["--db", db, "export", *args, "-o", str(tmp_path / name)], catch_exceptions=False
        )
        assert result.exit_code == 0, result.output
        assert (tmp_path / name).stat().st_size > 100
    result = runner.invoke(
        cli,
        [
            "--db",
            db,
            "export",
            "by-unit",
            str(world.consultation_id),
            "-o",
            str(tmp_path / "units"),
        ],
    )
    assert sorted(p.name for p in (tmp_path / "units").iterdir()) == [
        "quang-nam.docx",
        "thai-nguyen.docx",
    ]
    bad = runner.invoke(
        cli,
        [
            "--db",
            db,
            "export",
            "summary",
            str(world.consultation_id),
            "-o",
            str(tmp_path / "x.pdf"),
        ],
    )
    assert bad.exit_code == 2
    missing = runner.invoke(
        cli, ["--db", db, "export", "consolidated", "99", "-o", str(tmp_path / "y.docx")]
    )
    assert missing.exit_code == 2
    assert "no consultation 99" in missing.stderr


def test_web_downloads(world):
    from drafter import create_app

    from .consultation_fixture import PASSWORD

    app = create_app(
        {
            "TESTING": True,
            "DATABASE": str(world.db_path),
            "SECRET_KEY": "t",
            "WTF_CSRF_ENABLED": False,
        }
    )
    client = app.test_client()
    client.post("/login", data={"username": "organizer", "password": PASSWORD})
    c = world.consultation_id
    for url, kind in (
        (f"/admin/c/{c}/export/consolidated.docx", "wordprocessingml"),
        (f"/admin/c/{c}/export/by-unit.zip", "zip"),
        (f"/admin/c/{c}/export/summary.docx", "wordprocessingml"),
        (f"/admin/c/{c}/export/summary.csv", "text/csv"),
        (f"/admin/c/{c}/export/summary.md", "text/markdown"),
        (f"/admin/drafts/{world.draft_id}/compare?from=1&to=2", "wordprocessingml"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert kind in response.content_type, url
        assert "attachment" in response.headers["Content-Disposition"]
        response.close()
    assert client.get(f"/admin/c/{c}/export/nothing.pdf").status_code == 404
    assert client.get(f"/admin/drafts/{world.draft_id}/compare?from=2&to=1").status_code == 400
    # Named by a slug cut at a word boundary, and by the full Vietnamese name (RFC 6266).
    from urllib.parse import unquote

    header = client.get(f"/admin/c/{c}/export/consolidated.docx").headers["Content-Disposition"]
    ascii_name = re.search(r'filename="([^"]+)"', header)[1]
    full = unquote(re.search(r"filename\*=UTF-8''(\S+)", header)[1])
    assert re.fullmatch(r"[a-z0-9-]+-gop-y\.docx", ascii_name)
    stem = ascii_name.removesuffix("-gop-y.docx")
    assert len(stem) <= 60
    assert slug(full).startswith(stem + "-") or slug(full) == stem + "-gop-y-docx"
    assert full.endswith(" (góp ý).docx")
    assert "Quy định" in full


def test_the_clean_draft_is_the_redline_with_every_change_rejected(world, tmp_path):
    """`drafter export draft` and the delegates' download: the consulted version as a clean
    DOCX, one renderer with the consolidated draft, whose Reject all gives its text exactly."""
    store = open_store(world.db_path)
    try:
        redline = exports.consolidated(store, world.consultation_id)
    finally:
        store.close()
    out = tmp_path / "v1.docx"
    result = CliRunner().invoke(
        cli, ["--db", str(world.db_path), "export", "draft", str(world.draft_id), "--version",
              "1", "-o", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    clean = out.read_bytes()
    assert docx_text.paragraphs(clean, accept=True) == docx_text.paragraphs(
        clean, accept=False
    )  # no change in it
    assert docx_text.paragraphs(redline, accept=False) == docx_text.paragraphs(clean, accept=True)
    assert docx_text.paragraphs(redline, accept=True) != docx_text.paragraphs(clean, accept=True)


def test_header_and_closing_blocks_of_a_real_decree_are_borderless_tables(shared, tmp_path):
    """Nghị định 30/2020's header block and its "Nơi nhận | TM. CHÍNH PHỦ" block print as
    tables without borders, never as Markdown table text."""
    from drafter.importing import import_file

    store = open_store(tmp_path / "nd.sqlite")
    result = import_file(store, shared / "real-docx" / "nd-30-2020-nd-cp.docx")
    data = exports.draft(store, result.draft.id)
    store.close()
    document = docx.Document(io.BytesIO(data))
    texts = [p.text for p in document.paragraphs]
    assert not [t for t in texts if t.lstrip().startswith("|")]
    closing = [t for t in document.tables if t.cell(0, 0).text.lstrip().startswith("Nơi nhận")]
    assert len(closing) == 1
    assert "TM. CHÍNH PHỦ" in closing[0].rows[0].cells[-1].text
    for table in document.tables[:1] + closing:
        assert table.style is None or table.style.name != "Table Grid"


def test_each_units_redline_names_the_unit_on_its_first_page(world):
    store = open_store(world.db_path)
    files = exports.by_unit(store, world.consultation_id)
    store.close()
    for code, data in files.items():
        document = docx.Document(io.BytesIO(data))
        section = document.sections[0]
        assert section.different_first_page_header_footer
        note = section.first_page_header.paragraphs[0].text
        name = {"thai-nguyen": "Tỉnh ủy Thái Nguyên", "quang-nam": "Tỉnh ủy Quảng Nam"}[code]
        assert note == f"Ý kiến góp ý của {name}"
        assert document.core_properties.author == name
        assert note not in [p.text for p in document.paragraphs]  # outside the text
