"""The session signing key without DRAFTER_SECRET_KEY: made once, kept in the database and
shared by every process using it (on each backend); never a file named after the setting."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from drafter import create_app, signing
from drafter.storage import open_store

ROOT = Path(__file__).resolve().parent.parent


def _key_of_a_new_process(location: str) -> str:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DRAFTER_")}
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from drafter import create_app; "
            "print(create_app({'DATABASE': sys.argv[1]}).config['SECRET_KEY'])",
            location,
        ],
        env={**clean, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout.strip()


def test_every_process_signs_with_the_key_stored_in_the_database(backend_location, tmp_path):
    first = _key_of_a_new_process(backend_location)
    second = _key_of_a_new_process(backend_location)
    assert len(first) == 64
    assert first == second
    store = open_store(backend_location)
    try:
        assert store.get_setting(signing.SETTING) == first
    finally:
        store.close()
    # Nothing is written beside the database or in the working folder.
    assert sorted(p.name for p in tmp_path.iterdir() if "secret" in p.name) == []
    # A key from the configuration wins and is not stored.
    app = create_app({"DATABASE": backend_location, "SECRET_KEY": "configured"})
    assert app.config["SECRET_KEY"] == "configured"


def test_the_first_key_stored_wins(backend_store):
    assert backend_store.add_setting("k", "one") == "one"
    assert backend_store.add_setting("k", "two") == "one"
    assert backend_store.get_setting("k") == "one"
    assert backend_store.get_setting("absent") is None


def test_a_sqlite_key_file_of_an_older_version_is_kept(tmp_path):
    db = tmp_path / "old.sqlite"
    open_store(db).close()
    Path(f"{db}.secret").write_text("a" * 64 + "\n")
    app = create_app({"DATABASE": str(db)})
    assert app.config["SECRET_KEY"] == "a" * 64
    Path(f"{db}.secret").unlink()  # now in the database: the file is no longer needed
    assert create_app({"DATABASE": str(db)}).config["SECRET_KEY"] == "a" * 64
