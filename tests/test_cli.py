"""The drafter command line, run through click's runner and as a real process."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from drafter.cli import cli
from drafter.storage import open_store

COMMANDS = ["init", "import", "list", "show", "export-md", "demo", "serve", "create-organizer"]


def run(db_path, *args, expect=0):
    result = CliRunner().invoke(
        cli, ["--db", str(db_path), *map(str, args)], catch_exceptions=False
    )
    assert result.exit_code == expect, result.output + result.stderr
    return result


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command):
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    assert result.output.startswith("Usage: cli " + command) or "Usage:" in result.output
    assert len(result.output.splitlines()) > 3


def test_import_list_show(db_path, sample_v1, sample_v2):
    out = run(db_path, "import", sample_v1).stdout
    assert "Draft 1 version 1" in out
    assert "4 chapters, 16 articles" in out
    out = run(db_path, "import", sample_v2, "--draft", 1).stdout
    assert "Draft 1 version 2" in out
    assert "1 added" in out
    assert "1 removed" in out
    listing = run(db_path, "list").stdout
    assert "version 1\tquy-dinh-dang-doan-v1.md" in listing
    assert "version 2" in listing
    tree = run(db_path, "show", 1, "--version", 1).stdout
    assert "Chương II. NHIỆM VỤ, QUYỀN HẠN" in tree
    assert "  Điều 4. Nhiệm vụ của đảng đoàn" in tree
    article = run(db_path, "show", 1, "--version", 1, "--article", 4).stdout
    assert article.startswith("#### Điều 4. Nhiệm vụ của đảng đoàn")
    assert "\nđ) " in article


def test_show_json_schema(db_path, sample_v1):
    run(db_path, "import", sample_v1)
    payload = json.loads(run(db_path, "show", 1, "--format", "json").stdout)
    assert payload["schema"] == 3
    assert payload["version"]["number"] == 1
    kinds = set()

    def visit(node):
        assert set(node) == {"kind", "number", "title", "text", "key", "children"}
        kinds.add(node["kind"])
        for child in node["children"]:
            visit(child)

    for node in payload["nodes"]:
        visit(node)
    assert kinds == {"preamble", "chapter", "article", "clause", "point", "closing"}
    one = json.loads(
        run(db_path, "show", 1, "--article", "chuong-2/dieu-4", "--format", "json").stdout
    )
    assert one["kind"] == "article"
    assert one["number"] == "4"
    assert one["children"][0]["children"][4]["key"] == "chuong-2/dieu-4/khoan-1/diem-dd"


def test_export_md_round_trip(db_path, sample_v1, tmp_path):
    run(db_path, "import", sample_v1)
    exported = tmp_path / "out.md"
    run(db_path, "export-md", 1, "-o", exported)
    assert run(db_path, "export-md", 1).stdout == exported.read_text(encoding="utf-8")
    run(db_path, "import", exported, "--draft", 1)
    store = open_store(db_path)
    trees = [
        [(n.kind, n.number, n.title, n.text, n.key) for t in store.get_tree(v.id) for n in t.walk()]
        for v in store.list_versions(1)
    ]
    assert trees[0] == trees[1]
    assert {m.status for m in store.get_matches(store.get_version(1).id)} == {"unchanged"}


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "empty.docx", "the file is empty"),
        (b"hello", "not-zip.docx", "not a DOCX file"),
        (b"PK\x03\x04\x14\x00broken", "broken.docx", "broken"),
        ("Chỉ là một đoạn văn, không có điều nào.".encode(), "noarticles.md", "no article found"),
        (b"\xa7i\xd2u 1. Ph\xb9m vi", "tcvn3.md", "not UTF-8"),  # TCVN3 bytes
        (b"x", "draft.pdf", "unsupported file type"),
    ],
)
def test_bad_input_one_line_exit_2_nothing_written(
    db_path, sample_v1, tmp_path, content, name, message
):
    run(db_path, "import", sample_v1)
    before = (db_path.read_bytes(), run(db_path, "list").stdout)
    bad = tmp_path / name
    bad.write_bytes(content)
    result = run(db_path, "import", bad, expect=2)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Error: ")
    assert message in lines[0]
    assert name in lines[0]
    assert run(db_path, "list").stdout == before[1]
    store = open_store(db_path)
    assert store.conn.execute("SELECT COUNT(*) FROM version").fetchone()[0] == 1


def test_missing_draft_and_file(db_path, tmp_path):
    result = run(db_path, "show", 5, expect=2)
    assert result.stderr.strip() == "Error: There is no draft 5."
    result = run(db_path, "import", tmp_path / "nope.md", expect=2)
    assert "cannot read the file" in result.stderr


@pytest.mark.parametrize("variable", ["DRAFTER_DATABASE", "DRAFTER_DB"])
def test_database_from_environment(tmp_path, sample_v1, variable):
    env = {k: v for k, v in os.environ.items() if k not in ("DRAFTER_DATABASE", "DRAFTER_DB")}
    env[variable] = str(tmp_path / "env.sqlite")
    done = subprocess.run(
        [sys.executable, "-m", "drafter", "import", str(sample_v1)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "Draft 1 version 1" in done.stdout
    assert (tmp_path / "env.sqlite").exists()
    deprecated = "DRAFTER_DB is deprecated; use DRAFTER_DATABASE" in done.stderr
    assert deprecated == (variable == "DRAFTER_DB")


def test_demo_builds_the_database(db_path):
    out = run(db_path, "demo").stdout
    assert "1 draft(s), 2 version(s), 49 comment(s)" in out
    accounts_printed = [
        line.split() for line in out.splitlines() if line.startswith("  ") and "lead" in line
    ]
    assert len(accounts_printed) == 9  # one lead per unit, each with a fresh password
    from drafter.accounts import authenticate

    store = open_store(db_path)
    username, password = accounts_printed[0][:2]
    assert authenticate(store, username, password).is_lead
    (consultation,) = store.list_consultations()
    states = [
        (p.unit.code, bool(s and not s.withdrawn_at), s.no_comments if s else None)
        for p in store.unit_progress(consultation.id)
        for s in [p.latest]
    ]
    assert ("lao-cai", False, None) in states
    assert ("dd-hoi-nong-dan", True, True) in states
    store.close()
    run(db_path, "demo", expect=1)  # refuses to overwrite without --force
    assert "2 version(s)" in run(db_path, "demo", "--force").stdout
    store = open_store(db_path)
    assert [v.number for v in store.list_versions(1)] == [1, 2]


def test_create_organizer(db_path):
    result = CliRunner().invoke(
        cli,
        ["--db", str(db_path), "create-organizer", "btc", "--name", "Ban Tổ chức"],
        input="a secret passphrase\na secret passphrase\n",
    )
    assert result.exit_code == 0, result.output
    from drafter.accounts import authenticate

    store = open_store(db_path)
    assert authenticate(store, "btc", "a secret passphrase").is_organizer
    assert authenticate(store, "btc", "wrong") is None
    short = CliRunner().invoke(
        cli, ["--db", str(db_path), "create-organizer", "x", "--password", "short"]
    )
    assert short.exit_code == 1
    assert "at least 10 characters" in short.stderr
    taken = CliRunner().invoke(
        cli, ["--db", str(db_path), "create-organizer", "btc", "--password", "another passphrase"]
    )
    assert taken.exit_code == 1
    assert "taken" in taken.stderr
