"""One configuration path: defaults < TOML file < DRAFTER_* environment < flags/overrides,
checked on load_settings, on the real `drafter serve` and on a real CLI export."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from drafter import create_app
from drafter.config import DEFAULT_TIMEZONE, ConfigError, load_settings

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("file_text", "env", "overrides", "expected"),
    [
        (None, {}, None, "drafter.sqlite"),
        ('database = "file.sqlite"', {}, None, "file.sqlite"),
        ('database = "file.sqlite"', {"DRAFTER_DATABASE": "env.sqlite"}, None, "env.sqlite"),
        (None, {"DRAFTER_DATABASE": "env.sqlite"}, {"DATABASE": "flag.sqlite"}, "flag.sqlite"),
        ('database = "file.sqlite"', {}, {"database": None}, "file.sqlite"),
        (None, {"DRAFTER_DATABASE": "new.sqlite", "DRAFTER_DB": "old.sqlite"}, None, "new.sqlite"),
    ],
)
def test_database_precedence(tmp_path, file_text, env, overrides, expected):
    path = None
    if file_text is not None:
        path = tmp_path / "drafter.toml"
        path.write_text(file_text)
    assert load_settings(overrides, env=env, file=path).database == expected


@pytest.mark.parametrize(
    ("env", "overrides", "field", "expected"),
    [
        ({}, None, "timezone", DEFAULT_TIMEZONE),
        ({"DRAFTER_TIMEZONE": "UTC"}, None, "timezone", "UTC"),
        ({"DRAFTER_TIMEZONE": "UTC"}, {"TIMEZONE": "Europe/Paris"}, "timezone", "Europe/Paris"),
        ({"DRAFTER_SESSION_COOKIE_SECURE": "true"}, None, "session_cookie_secure", True),
        ({"DRAFTER_SESSION_COOKIE_SECURE": "0"}, None, "session_cookie_secure", False),
        ({"DRAFTER_MAX_CONTENT_LENGTH": "1024"}, None, "max_content_length", 1024),
        ({}, {"PERMANENT_SESSION_LIFETIME": 60}, "permanent_session_lifetime", 60),
    ],
)
def test_settings_from_env_and_overrides(env, overrides, field, expected):
    assert getattr(load_settings(overrides, env=env), field) == expected


def test_config_file_named_by_env(tmp_path):
    path = tmp_path / "drafter.toml"
    path.write_text('timezone = "UTC"\nsession_cookie_secure = true\n')
    settings = load_settings(env={"DRAFTER_CONFIG": str(path)})
    assert (settings.timezone, settings.session_cookie_secure) == ("UTC", True)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DRAFTER_SESSION_COOKIE_SECURE": "maybe"}, "true or false"),
        ({"DRAFTER_MAX_CONTENT_LENGTH": "20MB"}, "whole number"),
    ],
)
def test_bad_values_are_clear_errors(env, message):
    with pytest.raises(ConfigError, match=message):
        load_settings(env=env)


def test_old_database_name_still_works_with_a_warning():
    with pytest.warns(DeprecationWarning, match="DRAFTER_DATABASE"):
        assert load_settings(env={"DRAFTER_DB": "old.sqlite"}).database == "old.sqlite"


def test_create_app_reads_env_under_overrides(tmp_path, monkeypatch):
    monkeypatch.setenv("DRAFTER_TIMEZONE", "UTC")
    monkeypatch.setenv("DRAFTER_SESSION_COOKIE_SECURE", "true")
    app = create_app({"DATABASE": str(tmp_path / "db.sqlite"), "TESTING": True})
    assert app.config["TIMEZONE"] == "UTC"
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["TESTING"] is True


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DRAFTER_")}
    env["PYTHONPATH"] = str(ROOT)
    env.update(extra)
    return env


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_serve_honours_secure_cookie_from_env(tmp_path):
    port = _free_port()
    env = _env(DRAFTER_SESSION_COOKIE_SECURE="true", DRAFTER_DATABASE=str(tmp_path / "s.sqlite"))
    server = subprocess.Popen(
        [sys.executable, "-m", "drafter", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        opener = urllib.request.build_opener(_NoRedirect)
        deadline = time.monotonic() + 30
        while True:
            try:
                response = opener.open(f"http://127.0.0.1:{port}/lang/en", timeout=5)
            except urllib.error.HTTPError as exc:
                response = exc  # the 302 of the language switch
                break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode()
                assert time.monotonic() < deadline, "drafter serve did not start"
                time.sleep(0.2)
            else:
                break
        cookie = response.headers["Set-Cookie"]
        assert cookie.startswith("session=")
        assert "Secure" in cookie
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    subprocess.run(
        [sys.executable, "-m", "drafter", "--db", str(path), "demo"],
        env=_env(),
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return path


def _export_dates(demo_db: Path, out: Path, **env: str) -> list[datetime]:
    subprocess.run(
        [sys.executable, "-m", "drafter", "export", "consolidated", "1", "-o", str(out)],
        env=_env(DRAFTER_DATABASE=str(demo_db), **env),
        check=True,
        capture_output=True,
    )
    with zipfile.ZipFile(out) as archive:
        xml = "".join(
            archive.read(name).decode("utf-8")
            for name in sorted(archive.namelist())
            if name in ("word/document.xml", "word/comments.xml")
        )
    return [datetime.fromisoformat(d[:-1]) for d in re.findall(r'w:date="([^"]+)"', xml)]


def test_cli_export_uses_configured_time_zone(demo_db, tmp_path):
    utc = _export_dates(demo_db, tmp_path / "utc.docx", DRAFTER_TIMEZONE="UTC")
    local = _export_dates(demo_db, tmp_path / "local.docx")
    assert utc, "the consolidated draft carries dated comments and revisions"
    assert len(utc) == len(local)
    assert all(b - a == timedelta(hours=7) for a, b in zip(utc, local, strict=True))
