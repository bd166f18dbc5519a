"""Appendices and closing blocks are node kinds of their own (`appendix`, `closing`): the
parser makes them, every exporter renders them by kind, `show --format json` (schema 2)
names them, and migration 0007 converts the nodes stored before, keeping keys and ids."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3

import pytest
from click.testing import CliRunner

from drafter import accounts, create_app, importing
from drafter.cli import cli
from drafter.docx import render_version
from drafter.export_md import to_markdown
from drafter.importing import import_bytes
from drafter.model import NODE_KINDS
from drafter.reading import parse_bytes
from drafter.storage import open_store
from drafter.storage.sqlite import connection as sqlite_store
from tests import docx_text
from tests.docx_factory import H, docx_bytes, md_bytes, txt_bytes

FORMATS = ("md", "txt", "docx")

# A made-up draft: two articles, a closing block, two appendices.
BODY = [
    H("QUY CHẾ"),
    H("về việc thử nghiệm phần mềm góp ý"),
    H("Điều 1. Phạm vi"),
    "1. Quy chế này áp dụng cho việc thử nghiệm phần mềm.",
    "2. Người thử nghiệm ghi lại kết quả hằng tuần.",
    H("Điều 2. Thi hành"),
    "Nhóm thử nghiệm chịu trách nhiệm thi hành Quy chế này.",
]
CLOSING = [
    "Nơi nhận:",
    "- Nhóm thử nghiệm,",
    "- Lưu hồ sơ.",
    H("TM. NHÓM THỬ NGHIỆM"),
    H("TRƯỞNG NHÓM"),
    H("Trần Thị Mẫu"),
]
APPENDICES = [
    H("PHỤ LỤC I"),
    H("DANH SÁCH MÁY THỬ NGHIỆM"),
    "1. Máy số một.",
    "2. Máy số hai.",
    H("PHỤ LỤC II"),
    H("MẪU BÁO CÁO TUẦN"),
    "Báo cáo ghi ngày thử, người thử và kết quả.",
]
BUILD = {"md": md_bytes, "txt": txt_bytes, "docx": docx_bytes}


def draft_bytes(fmt: str = "md", body=BODY) -> bytes:
    return BUILD[fmt]([*body, *CLOSING, *APPENDICES])


@pytest.mark.parametrize("fmt", FORMATS)
def test_parser_makes_closing_and_appendix_nodes(fmt):
    parsed = parse_bytes(draft_bytes(fmt), f"quy-che.{fmt}")
    top = [(n.kind, n.key, n.number) for n in parsed.nodes]
    assert top == [
        ("preamble", "mo-dau", ""),
        ("article", "dieu-1", "1"),
        ("article", "dieu-2", "2"),
        ("closing", "ket-thuc", ""),  # the keys are those of schema 1: stored comments match
        ("appendix", "phu-luc-1", "I"),
        ("appendix", "phu-luc-2", "II"),
    ]
    closing, first, second = parsed.nodes[3:]
    assert closing.title == ""
    assert closing.children == []
    assert closing.text.replace("**", "").split("\n\n") == [
        "Nơi nhận:", "- Nhóm thử nghiệm,", "- Lưu hồ sơ.",
        "TM. NHÓM THỬ NGHIỆM", "TRƯỞNG NHÓM", "Trần Thị Mẫu",
    ]  # fmt: skip
    assert first.title == "PHỤ LỤC I DANH SÁCH MÁY THỬ NGHIỆM"
    assert first.heading() == first.title
    assert first.label() == "Phụ lục I"
    assert first.text.replace("**", "").split("\n\n") == ["1. Máy số một.", "2. Máy số hai."]
    assert second.text.replace("**", "") == "Báo cáo ghi ngày thử, người thử và kết quả."
    assert parsed.count("clause") == 2  # the appendix's "1." lines are not clauses
    assert not any(n.kind == "paragraph" and n.title for n in parsed.walk())


@pytest.mark.parametrize("fmt", FORMATS)
def test_markdown_export_reads_back_to_the_same_tree(fmt):
    parsed = parse_bytes(draft_bytes(fmt), f"quy-che.{fmt}")
    markdown = to_markdown(parsed.nodes)
    assert "\nPHỤ LỤC I DANH SÁCH MÁY THỬ NGHIỆM\n" in markdown
    assert "\nNơi nhận:\n" in markdown
    again = parse_bytes(markdown.encode(), "export.md")
    assert [n.to_dict() for n in again.nodes] == [n.to_dict() for n in parsed.nodes]


def test_docx_export_holds_the_closing_and_the_appendices():
    parsed = parse_bytes(draft_bytes(), "quy-che.md")
    lines = [
        line.replace("*", "")
        for line in docx_text.paragraphs(render_version(parsed.nodes), accept=True)
    ]
    for expected in (
        "Nơi nhận:", "- Lưu hồ sơ.", "TRƯỞNG NHÓM", "Trần Thị Mẫu",
        "PHỤ LỤC I DANH SÁCH MÁY THỬ NGHIỆM", "1. Máy số một.",
        "PHỤ LỤC II MẪU BÁO CÁO TUẦN", "Báo cáo ghi ngày thử, người thử và kết quả.",
    ):  # fmt: skip
        assert expected in lines
    assert lines.index("Trần Thị Mẫu") < lines.index("PHỤ LỤC I DANH SÁCH MÁY THỬ NGHIỆM")
    # And the DOCX reads back to the same tree.
    again = parse_bytes(render_version(parsed.nodes), "export.docx")
    assert [(n.kind, n.key, n.title) for n in again.nodes] == [
        (n.kind, n.key, n.title) for n in parsed.nodes
    ]


def run(db_path, *args):
    result = CliRunner().invoke(
        cli, ["--db", str(db_path), *map(str, args)], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    return result.output


def test_show_json_schema_2_and_text_tree(db_path, tmp_path):
    source = tmp_path / "quy-che.md"
    source.write_bytes(draft_bytes())
    run(db_path, "import", source)
    payload = json.loads(run(db_path, "show", 1, "--format", "json"))
    assert payload["schema"] == 3
    assert [(n["kind"], n["key"]) for n in payload["nodes"]][3:] == [
        ("closing", "ket-thuc"), ("appendix", "phu-luc-1"), ("appendix", "phu-luc-2"),
    ]  # fmt: skip
    tree = run(db_path, "show", 1).splitlines()
    assert "PHỤ LỤC I DANH SÁCH MÁY THỬ NGHIỆM" in tree
    assert not any("Nơi nhận" in line for line in tree)


def test_draft_page_renders_closing_and_appendices(db_path):
    store = open_store(db_path)
    import_bytes(store, draft_bytes(), "quy-che.md")
    accounts.create_organizer(store, "organizer", "Ban Tổ chức", "correct horse battery")
    store.close()
    app = create_app({"TESTING": True, "DATABASE": str(db_path), "WTF_CSRF_ENABLED": False})
    client = app.test_client()
    client.post("/login", data={"username": "organizer", "password": "correct horse battery"})
    page = client.get("/drafts/1").get_data(as_text=True)
    assert '<a href="#phu-luc-1">PHỤ LỤC I DANH SÁCH MÁY THỬ NGHIỆM</a>' in page  # the contents
    assert '<section class="appendix" id="phu-luc-2">' in page
    assert '<h2 class="division-label">PHỤ LỤC II MẪU BÁO CÁO TUẦN</h2>' in page
    closing = page[page.index('<div class="closing" id="ket-thuc">') :]
    assert closing.index("Nơi nhận:") < closing.index("Trần Thị Mẫu") < closing.index("</div>")


# -- migration 0007 ---------------------------------------------------------------------------
def _old_kinds(parsed):
    """The tree as the parser of schema 6 made it: appendices and the closing block were
    top-level paragraphs (same keys)."""
    for node in parsed.nodes:
        if node.kind in ("closing", "appendix"):
            node.kind = "paragraph"
    return parsed


def test_migration_0007_converts_stored_nodes(tmp_path, monkeypatch):
    old = tmp_path / "migrations-0006"
    old.mkdir()
    for script in sorted(sqlite_store.MIGRATIONS.glob("[0-9][0-9][0-9][0-9]_*.sql")):
        if int(script.name[:4]) <= 6:
            shutil.copy(script, old / script.name)
    db_path = tmp_path / "old.sqlite"
    with monkeypatch.context() as patch:
        patch.setattr(sqlite_store, "MIGRATIONS", old)
        patch.setattr(
            importing, "parse_bytes", lambda data, name: _old_kinds(parse_bytes(data, name))
        )
        store = open_store(db_path)
        assert store.schema_version() == 6
        first = import_bytes(store, draft_bytes(), "v1.md")
        changed = [*BODY[:-1], "Nhóm thử nghiệm và người thử nghiệm thi hành Quy chế này."]
        import_bytes(store, draft_bytes(body=changed), "v2.md", draft_id=first.draft.id)
        with pytest.raises(sqlite3.IntegrityError):  # schema 6 knows no such kind
            store.conn.execute("UPDATE node SET kind = 'closing' WHERE key = 'ket-thuc'")
        conn = store.conn
        conn.execute("INSERT INTO unit (code, name) VALUES ('u1', 'Đơn vị thử')")
        conn.execute(
            "INSERT INTO user (username, display_name, role, unit_id, created_at) "
            "VALUES ('d1', 'Người thử', 'delegate', 1, 'now')"
        )
        conn.execute(
            "INSERT INTO consultation (version_id, title, opens_at, deadline, created_at) "
            "VALUES (1, 'Góp ý', 'now', 'later', 'now')"
        )
        article = store.get_node(1, "dieu-2")
        conn.execute(
            "INSERT INTO comment (consultation_id, unit_id, node_id, article_id, created_by, "
            "created_at) VALUES (1, 1, ?, ?, 1, 'now')",
            (article.id, article.id),
        )
        before = conn.execute("SELECT id, key, kind FROM node ORDER BY id").fetchall()
        matches = conn.execute("SELECT * FROM article_match ORDER BY id").fetchall()
        assert matches
        assert {k for _, k, kind in before if kind == "paragraph"} >= {
            "ket-thuc",
            "phu-luc-1",
            "phu-luc-2",
        }
        other = sqlite3.connect(db_path)  # a connection that read schema 6 before
        other.execute("PRAGMA foreign_keys = ON")
        assert other.execute("SELECT count(*) FROM node").fetchone()[0] == len(before)
        store.close()

    store = open_store(db_path)
    assert (
        store.schema_version()
        == int(sorted(sqlite_store.MIGRATIONS.glob("[0-9]*.sql"))[-1].name[:4])
        >= 7
    )
    conn = store.conn
    after = conn.execute("SELECT id, key, kind FROM node ORDER BY id").fetchall()
    expected = {"ket-thuc": "closing", "phu-luc-1": "appendix", "phu-luc-2": "appendix"}
    assert [tuple(r) for r in after] == [
        (i, key, expected.get(key, kind)) for i, key, kind in before
    ]  # same ids, same keys: only the kinds changed
    assert conn.execute("SELECT * FROM article_match ORDER BY id").fetchall() == matches
    assert [tuple(r) for r in conn.execute("SELECT node_id, article_id FROM comment")] == [
        (article.id, article.id)
    ]
    assert store.get_node(1, "dieu-2").id == article.id
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert store.integrity() == "ok"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    tree = store.get_tree(2)
    assert [n.kind for n in tree][-3:] == ["closing", "appendix", "appendix"]
    assert tree[-2].title == "PHỤ LỤC I DANH SÁCH MÁY THỬ NGHIỆM"
    # The CHECK still holds, and a connection opened before the migration sees the new one.
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("UPDATE node SET kind = 'annex' WHERE key = 'ket-thuc'")
    other.execute("UPDATE node SET kind = 'closing' WHERE key = 'ket-thuc'")
    other.commit()
    other.close()
    indexes = {
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_schema WHERE tbl_name = 'node' AND type = 'index' AND sql IS NOT NULL"
        )
    }
    assert indexes == {"node_parent", "node_article"}
    (table,) = conn.execute("SELECT sql FROM sqlite_schema WHERE name = 'node'").fetchone()
    check = re.search(r"CHECK \(kind IN \(([^)]*)\)\)", table).group(1)
    assert {k.strip(" '\n") for k in check.split(",")} == set(NODE_KINDS)
    # A new import on the migrated schema stores the new kinds.
    result = import_bytes(store, draft_bytes(), "v3.md", draft_id=1)
    assert [n.kind for n in store.get_tree(result.version.id)][-3:] == [
        "closing", "appendix", "appendix",
    ]  # fmt: skip
    store.close()


APPENDIX_WITH_FORMS = """CHÍNH PHỦ

NGHỊ ĐỊNH

Quy định về thử nghiệm biểu mẫu

Điều 1. Phạm vi điều chỉnh

Nghị định này quy định về biểu mẫu.

Điều 2. Đối tượng áp dụng

Cơ quan, tổ chức có liên quan.

Điều 3. Hiệu lực thi hành

Nghị định này có hiệu lực từ ngày ký.

Nơi nhận:

- Các bộ, cơ quan ngang bộ;

TM. CHÍNH PHỦ

PHỤ LỤC I

MẪU QUYẾT ĐỊNH THÀNH LẬP TỔ CÔNG TÁC

QUYẾT ĐỊNH

Về việc thành lập Tổ công tác

Điều 1. Thành lập Tổ công tác gồm các ông, bà có tên sau.

Điều 2. Tổ công tác có nhiệm vụ giúp lãnh đạo.

Điều 3. Quyết định này có hiệu lực từ ngày ký.

PHỤ LỤC II

MẪU QUYẾT ĐỊNH GIẢI THỂ TỔ CÔNG TÁC

QUYẾT ĐỊNH

Về việc giải thể Tổ công tác

Điều 1. Giải thể Tổ công tác.
"""


def test_forms_in_an_appendix_stay_in_the_appendix():
    """A decree whose appendices hold model decisions with their own "Điều 1." lines: the
    draft keeps its own title and keys, each appendix is one node holding its form whole,
    and a warning says how many article-like lines were kept inside appendices."""
    parsed = parse_bytes(APPENDIX_WITH_FORMS.encode(), "nghi-dinh.txt")
    articles = [n for top in parsed.nodes for n in top.walk() if n.kind == "article"]
    assert [a.key for a in articles] == ["dieu-1", "dieu-2", "dieu-3"]
    assert [a.title for a in articles] == ["Phạm vi điều chỉnh", "Đối tượng áp dụng",
                                           "Hiệu lực thi hành"]  # fmt: skip
    assert "thử nghiệm biểu mẫu" in parsed.title
    appendices = [n for n in parsed.nodes if n.kind == "appendix"]
    assert len(appendices) == 2
    assert "Điều 2. Tổ công tác có nhiệm vụ giúp lãnh đạo." in appendices[0].text
    assert "Về việc giải thể Tổ công tác" in appendices[1].text
    assert [str(w) for w in parsed.warnings if "appendices" in str(w)] == [
        "4 lines like “Điều 1.” kept inside appendices (model forms)"
    ]
