"""The database setting: a SQLite path or a PostgreSQL URL; any other ``scheme://`` URL is
refused clearly, before any file or folder is made from it; the demo's sample folders must
exist."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from drafter import config, create_app, demo
from drafter.config import UnsupportedDatabase
from drafter.errors import InvalidInput
from drafter.storage import open_store

ROOT = Path(__file__).resolve().parent.parent
URLS = [
    "mysql://drafter:hunter2@db.example.org/drafter",
    "oracle://localhost/drafter",
    "sqlite://relative.sqlite",  # two slashes: not the sqlite:///path form
]


def _drafter(cwd: Path, *args: str, env: dict[str, str] | None = None):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DRAFTER_")}
    return subprocess.run(
        [sys.executable, "-m", "drafter", *args],
        cwd=cwd,
        env={**clean, "PYTHONPATH": str(ROOT), **(env or {})},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("url", URLS)
def test_a_database_url_is_refused_everywhere(tmp_path, url, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(UnsupportedDatabase, match="or a postgresql:// address") as caught:
        config.load({"DATABASE": url}, env={})
    assert caught.value.status == 400
    assert "hunter2" not in str(caught.value)  # a password in the URL is not repeated
    with pytest.raises(UnsupportedDatabase):
        config.load(env={"DRAFTER_DATABASE": url})
    with pytest.raises(UnsupportedDatabase):
        open_store(url)
    with pytest.raises(UnsupportedDatabase):
        create_app({"DATABASE": url})
    assert list(tmp_path.iterdir()) == []  # no folder named "postgresql:", no .secret file


def test_sqlite_paths_and_urls_still_work(tmp_path):
    assert config.load({"DATABASE": str(tmp_path / "a.sqlite")}, env={})["DATABASE"]
    store = open_store(f"sqlite:///{tmp_path / 'b.sqlite'}")
    store.close()
    assert (tmp_path / "b.sqlite").exists()


@pytest.mark.parametrize(
    "how",
    [
        ("--db", "mysql://u@h/db", "demo"),
        ("--database", "mysql://u@h/db", "serve", "--port", "1"),
        ("demo",),  # the URL from the environment
        ("serve", "--port", "1"),
    ],
)
def test_the_command_line_stops_with_exit_code_2_and_makes_nothing(tmp_path, how):
    env = {"DRAFTER_DATABASE": "mysql://u:pw@h/db"} if "--db" not in how else {}
    env = env if "--database" not in how else {}
    done = _drafter(tmp_path, *how, env=env)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "or a postgresql:// address" in done.stderr
    assert "mysql://" in done.stderr
    assert "Demo database" not in done.stdout
    assert list(tmp_path.iterdir()) == []


def test_demo_with_a_missing_comments_folder_is_an_error(tmp_path):
    db = tmp_path / "demo.sqlite"
    db.write_bytes(b"kept")
    done = _drafter(
        tmp_path, "--db", str(db), "demo", "--force", "--comments", str(tmp_path / "nope")
    )
    assert done.returncode == 2, done.stdout + done.stderr
    assert "nope" in done.stderr
    assert "does not exist" in done.stderr
    assert db.read_bytes() == b"kept"  # the old database is not removed for nothing
    with pytest.raises(InvalidInput, match="does not exist"):
        demo.build(db, comments_dir=tmp_path / "nope", echo=lambda _line: None)
    assert db.read_bytes() == b"kept"


def test_a_backup_to_a_database_url_or_a_missing_folder_is_refused(tmp_path):
    db = tmp_path / "live.sqlite"
    assert _drafter(tmp_path, "--db", str(db), "init").returncode == 0
    before = sorted(p.name for p in tmp_path.iterdir())
    done = _drafter(tmp_path, "--db", str(db), "backup", "mysql://u@h/db")
    assert done.returncode == 2, done.stdout + done.stderr
    assert "or a postgresql:// address" in done.stderr
    assert "Traceback" not in done.stderr
    done = _drafter(tmp_path, "--db", str(db), "backup", str(tmp_path / "nope" / "b.sqlite"))
    assert done.returncode == 1, done.stdout + done.stderr
    assert "does not exist" in done.stderr
    assert "Traceback" not in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    done = _drafter(tmp_path, "--db", str(db), "backup", f"sqlite:///{tmp_path / 'b.sqlite'}")
    assert done.returncode == 0, done.stdout + done.stderr
    assert (tmp_path / "b.sqlite").exists()
