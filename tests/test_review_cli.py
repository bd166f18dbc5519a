"""The Word round trip on the command line: `drafter export review-copy` and
`drafter import-review` (preview, dry run, saving, the same file twice, other files)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from drafter.cli import cli
from drafter.storage import open_store

from .review_edits import Editor, open_copy, save

REAL = Path("/work/shared/real-docx")


def run(db_path, *args, expect=0):
    result = CliRunner().invoke(cli, ["--db", str(db_path), *args], catch_exceptions=False)
    assert result.exit_code == expect, result.output
    return result.output


def test_export_then_import_a_units_file(world, tmp_path):
    c = str(world.consultation_id)
    copy_path = tmp_path / "copy.docx"
    run(world.db_path, "export", "review-copy", c, "--unit", "thai-nguyen", "-o", str(copy_path))
    document = open_copy(copy_path.read_bytes())
    editor = Editor(document, tracked=True)
    editor.replace("1. Quy định này quy định", "tổ chức bộ", "cơ cấu tổ chức bộ")
    edited = tmp_path / "gop-y.docx"
    edited.write_bytes(save(document))
    dry = run(world.db_path, "import-review", c, "--unit", "thai-nguyen", str(edited),
              "--as", "tn-member", "--dry-run")  # fmt: skip
    assert "New (1):" in dry
    assert "quyền hạn,{+ cơ cấu+} tổ chức bộ máy" in dry
    assert "Dry run: nothing saved." in dry
    store = open_store(world.db_path)
    try:
        assert store.list_comments(world.consultation_id, unit_id=world.units["thai-nguyen"]) == []
    finally:
        store.close()
    saved = run(world.db_path, "import-review", c, "--unit", "thai-nguyen", str(edited),
                "--as", "tn-member")  # fmt: skip
    assert "Saved 1 new item(s)" in saved
    again = run(world.db_path, "import-review", c, "--unit", "thai-nguyen", str(edited),
                "--as", "tn-member")  # fmt: skip
    assert "Already imported (1):" in again
    assert "Saved 0 new item(s)" in again
    store = open_store(world.db_path)
    try:
        comments = store.list_comments(world.consultation_id, unit_id=world.units["thai-nguyen"])
        assert [(x.kind, x.node_key, x.author) for x in comments] == [
            ("new_wording", "chuong-1/dieu-1/khoan-1", "TN-MEMBER")
        ]
    finally:
        store.close()


def test_a_file_of_another_document_is_refused_in_one_line(world):
    out = run(world.db_path, "import-review", str(world.consultation_id), "--unit",
              "thai-nguyen", str(REAL / "pandoc__comments.docx"), expect=1)  # fmt: skip
    assert "not a copy of this consultation's draft" in out
    assert "Traceback" not in out
