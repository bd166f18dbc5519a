"""Settings: one precedence for the web app and the command line, and the real server
and exports obeying the environment."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from http.cookies import SimpleCookie

import pytest

from drafter import config, create_app
from drafter.config import ConfigError


@pytest.mark.parametrize(
    ("file_text", "env", "overrides", "expected"),
    [
        (None, {}, {}, "Asia/Ho_Chi_Minh"),
        ('timezone = "Europe/Paris"', {}, {}, "Europe/Paris"),
        ('timezone = "Europe/Paris"', {"DRAFTER_TIMEZONE": "UTC"}, {}, "UTC"),
        (None, {"DRAFTER_TIMEZONE": "UTC"}, {"TIMEZONE": "Asia/Tokyo"}, "Asia/Tokyo"),
        ('TIMEZONE = "Europe/Paris"', {}, {"TIMEZONE": None}, "Europe/Paris"),
    ],
)
def test_precedence_defaults_file_environment_flags(tmp_path, file_text, env, overrides, expected):
    path = None
    if file_text is not None:
        path = tmp_path / "drafter.toml"
        path.write_text(file_text, encoding="utf-8")
    assert config.load(overrides, env=env, file=path)["TIMEZONE"] == expected


def test_the_file_can_be_named_in_the_environment(tmp_path):
    path = tmp_path / "drafter.toml"
    path.write_text('database = "/srv/drafter/db.sqlite"\nsession_cookie_secure = true\n')
    settings = config.load(env={"DRAFTER_CONFIG": str(path)})
    assert settings["DATABASE"] == "/srv/drafter/db.sqlite"
    assert settings["SESSION_COOKIE_SECURE"] is True


def test_environment_text_is_typed():
    settings = config.load(
        env={
            "DRAFTER_SESSION_COOKIE_SECURE": "true",
            "DRAFTER_MAX_CONTENT_LENGTH": "1_000_000",
            "DRAFTER_DATABASE": "x.sqlite",
        }
    )
    assert settings["SESSION_COOKIE_SECURE"] is True
    assert settings["MAX_CONTENT_LENGTH"] == 1_000_000
    assert settings["DATABASE"] == "x.sqlite"


def test_old_database_name_still_works_with_a_note(capsys):
    assert config.load(env={"DRAFTER_DB": "old.sqlite"})["DATABASE"] == "old.sqlite"
    assert "DRAFTER_DB is deprecated" in capsys.readouterr().err
    both = config.load(env={"DRAFTER_DB": "old.sqlite", "DRAFTER_DATABASE": "new.sqlite"})
    assert both["DATABASE"] == "new.sqlite"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DRAFTER_SESSION_COOKIE_SECURE": "maybe"}, "must be true or false"),
        ({"DRAFTER_MAX_CONTENT_LENGTH": "big"}, "must be a whole number"),
        ({"DRAFTER_TIMEZONE": "Mars/Olympus"}, "is unknown"),
    ],
)
def test_bad_values_are_clear_errors(env, message):
    with pytest.raises(ConfigError, match=message):
        config.load(env=env)


def test_a_broken_file_is_a_clear_error(tmp_path):
    path = tmp_path / "drafter.toml"
    path.write_text("timezone = \n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        config.load(env={}, file=path)


def test_the_app_reads_the_environment_under_its_overrides(tmp_path, monkeypatch):
    monkeypatch.setenv("DRAFTER_TIMEZONE", "UTC")
    monkeypatch.setenv("DRAFTER_SESSION_COOKIE_SECURE", "true")
    app = create_app({"DATABASE": str(tmp_path / "a.sqlite"), "SECRET_KEY": "k"})
    assert app.config["TIMEZONE"] == "UTC"
    assert app.config["SESSION_COOKIE_SECURE"] is True


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _drafter(*args, env=None, **kwargs):
    return subprocess.run(
        [sys.executable, "-m", "drafter", *map(str, args)],
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        check=True,
        **kwargs,
    )


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("config") / "demo.sqlite"
    _drafter("--db", path, "demo")
    return path


def test_serve_honours_secure_cookies_from_the_environment(demo_db, tmp_path):
    port = _free_port()
    env = {**os.environ, "DRAFTER_SESSION_COOKIE_SECURE": "true", "DRAFTER_SECRET_KEY": "k"}
    with open(tmp_path / "serve.log", "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "drafter", "--db", str(demo_db), "serve", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    # Choosing a language stores it in the session: a cookie is set.
                    response = urllib.request.urlopen(f"http://127.0.0.1:{port}/lang/en", timeout=5)
                    break
                except OSError:
                    if time.monotonic() > deadline or process.poll() is not None:
                        raise
                    time.sleep(0.2)
            headers = response.headers.get_all("Set-Cookie") or []
            cookie = SimpleCookie()
            for header in headers:
                cookie.load(header)
            assert "session" in cookie
            assert cookie["session"]["secure"] is True
        finally:
            process.terminate()
            process.wait(timeout=10)


def _dates(docx_path) -> list[str]:
    with zipfile.ZipFile(docx_path) as package:
        xml = "".join(
            package.read(name).decode("utf-8")
            for name in package.namelist()
            if name in ("word/document.xml", "word/comments.xml")
        )
    return re.findall(r'w:date="([^"]+)"', xml)


def test_exports_use_the_configured_time_zone(demo_db, tmp_path):
    local, utc = tmp_path / "local.docx", tmp_path / "utc.docx"
    env = {k: v for k, v in os.environ.items() if k != "DRAFTER_TIMEZONE"}
    subprocess.run(
        [sys.executable, "-m", "drafter", "--db", str(demo_db), "export", "consolidated", "1",
         "-o", str(local)],
        env=env, check=True, capture_output=True,
    )  # fmt: skip
    _drafter(
        "--db", demo_db, "export", "consolidated", 1, "-o", utc, env={"DRAFTER_TIMEZONE": "UTC"}
    )
    local_dates, utc_dates = _dates(local), _dates(utc)
    assert local_dates
    assert len(local_dates) == len(utc_dates)
    # Word's w:date is the wall-clock time: Hanoi is seven hours ahead of UTC.
    from datetime import datetime, timedelta

    for hanoi, greenwich in zip(local_dates, utc_dates, strict=True):
        shift = datetime.fromisoformat(hanoi[:-1]) - datetime.fromisoformat(greenwich[:-1])
        assert shift == timedelta(hours=7)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("timezone = 5", "must be a text"),
        ("comment_quota = 1.5", "must be a whole number"),
        ("trusted_proxies = true", "must be a whole number"),
        ('session_cookie_secure = "maybe"', "must be true or false"),
        ("session_cookie_secure = 1", "must be a true or false"),
    ],
)
def test_the_file_values_are_typed_too(tmp_path, line, message):
    path = tmp_path / "drafter.toml"
    path.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        config.load(env={}, file=path)
