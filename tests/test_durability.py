"""Under load and faults: 50 concurrent delegates against the real server (waitress, in its
own process, or gunicorn with two worker processes, on 127.0.0.1), an online backup during the
load, and a SIGKILL in the middle (of every process of the server, as a crash would).
Every acknowledged comment must be in the database exactly once, at its last revision — on
each backend (a SQLite file, a PostgreSQL database)."""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from urllib.parse import urlencode

import pytest
from werkzeug.security import generate_password_hash

from drafter.storage import open_store

from .conftest import BACKENDS
from .consultation_fixture import PASSWORD, build_world

DELEGATES = 50


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Client:
    """A minimal HTTP client with a cookie jar, keep-alive, no redirects followed."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookie = ""
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.jar: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None):
        body = urlencode(form) if form is not None else None
        headers = {"Cookie": self.cookie} if self.cookie else {}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
        except (http.client.HTTPException, OSError):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            raise
        data = response.read().decode("utf-8", "replace")
        for cookie in response.headers.get_all("Set-Cookie") or []:  # session, device
            name, _, value = cookie.split(";", 1)[0].partition("=")
            self.jar[name] = value
        self.cookie = "; ".join(f"{k}={v}" for k, v in self.jar.items())
        return response.status, response.getheader("Location") or "", data

    def login(self, username: str) -> str:
        _status, _location, page = self.request("GET", "/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        status, _location, _page = self.request(
            "POST", "/login", {"username": username, "password": PASSWORD, "csrf_token": token}
        )
        assert status == 302, status
        return token


@pytest.fixture(params=BACKENDS)
def loaded_world(request, tmp_path):
    if request.param == "sqlite":
        world = build_world(tmp_path / "load.sqlite")
    else:
        world = build_world(request.getfixturevalue("pg_url"))
    store = open_store(world.db_path)
    password_hash = generate_password_hash(PASSWORD)
    units = [world.units["thai-nguyen"], world.units["quang-nam"]]
    with store.transaction():
        for i in range(DELEGATES):
            store.create_user(
                f"load-{i}",
                f"Đại biểu {i}",
                "delegate",
                unit_id=units[i % 2],
                password_hash=password_hash,
                now="2026-01-01T00:00:00+00:00",
            )
    store.close()
    return world


def _serve(world, port: int, log, workers: int = 1):
    env = {**os.environ, "DRAFTER_SECRET_KEY": "load-test-key"}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "drafter",
            "--db",
            str(world.db_path),
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--threads",
            "8",
            "--workers",
            str(workers),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
        start_new_session=True,  # its own process group: gunicorn's workers with it
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("the server did not start")


class Delegate(threading.Thread):
    """Posts, edits and withdraws its own comments until told to stop; remembers what the
    server acknowledged."""

    def __init__(self, port: int, number: int, consultation_id: int, stop: threading.Event):
        super().__init__(daemon=True)
        self.port, self.number, self.cid, self.stop = port, number, consultation_id, stop
        self.acked: dict[int, str] = {}  # comment id -> last acknowledged text
        # Edits whose answer never came (the server was killed meanwhile): each may or may
        # not have been committed, so either it or the acknowledged text may be stored.
        self.unconfirmed: dict[int, set[str]] = {}
        self.sending: tuple[int, str] | None = None
        self.withdrawn: set[int] = set()
        self.statuses: list[int] = []
        self.errors = 0
        self.locked = False

    def run(self) -> None:
        try:
            client = Client(self.port)
            client.login(f"load-{self.number}")
            page = client.request("GET", f"/c/{self.cid}/a/chuong-1/dieu-3")[2]
            token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        except Exception:  # noqa: BLE001 - the server may be killed while we log in
            self.errors += 1
            client.conn.close()
            return
        try:
            self.loop(client, token)
        finally:
            client.conn.close()

    def loop(self, client: Client, token: str) -> None:
        n = 0
        while not self.stop.is_set():
            n += 1
            try:
                if n % 5 == 0 and self.acked:
                    cid = next(iter(c for c in self.acked if c not in self.withdrawn), None)
                    if cid is not None and n % 10 == 0:
                        status, _loc, body = client.request(
                            "POST", f"/c/{self.cid}/comments/{cid}/withdraw", {"csrf_token": token}
                        )
                        if status == 302:
                            self.withdrawn.add(cid)
                    elif cid is not None:
                        text = f"Sửa lần {n} của đại biểu {self.number}"
                        self.sending = (cid, text)
                        status, _loc, body = client.request(
                            "POST",
                            f"/c/{self.cid}/comments/{cid}/edit",
                            {"kind": "comment", "text": text, "csrf_token": token},
                        )
                        self.sending = None
                        if status == 302:
                            self.acked[cid] = text
                            self.unconfirmed.pop(cid, None)  # older edits are overwritten
                    else:
                        continue
                else:
                    text = f"Ý kiến {n} của đại biểu {self.number}: đề nghị làm rõ."
                    status, location, body = client.request(
                        "POST",
                        f"/c/{self.cid}/comments",
                        {
                            "article": "chuong-1/dieu-3",
                            "target": "chuong-1/dieu-3",
                            "kind": "comment",
                            "text": text,
                            "csrf_token": token,
                        },
                    )
                    if status == 302:
                        self.acked[int(location.rsplit("comment-", 1)[1])] = text
                self.statuses.append(status)
                self.locked |= "database is locked" in body
            except (OSError, http.client.HTTPException):
                self.errors += 1
                if self.sending is not None:
                    cid, text = self.sending
                    self.unconfirmed.setdefault(cid, set()).add(text)
                    self.sending = None
                if self.stop.is_set():
                    return
                time.sleep(0.05)


def _wait_for_comments(world, count: int, limit: float = 20) -> None:
    started = time.monotonic()
    while time.monotonic() - started < limit:
        probe = open_store(world.db_path, migrate=False)
        stored = probe.conn.execute("SELECT COUNT(*) FROM comment").fetchone()[0]
        probe.close()
        if stored >= count:
            return
        time.sleep(0.2)


def _run_load(world, port, seconds, *, during=None):
    stop = threading.Event()
    consultation_id = world.consultation_id
    delegates = [Delegate(port, i, consultation_id, stop) for i in range(DELEGATES)]
    for delegate in delegates:
        delegate.start()
    time.sleep(seconds / 2)
    if during is not None:
        during()
    time.sleep(seconds / 2)
    stop.set()
    for delegate in delegates:
        delegate.join(timeout=30)
    return delegates


def _check_acknowledged(world, delegates):
    store = open_store(world.db_path)
    try:
        assert store.integrity() == "ok"
        rows = store.conn.execute(
            "SELECT c.id, c.withdrawn_at, (SELECT text FROM comment_revision r WHERE r.comment_id = c.id "
            "ORDER BY r.id DESC LIMIT 1) AS text FROM comment c"
        ).fetchall()
        stored = {row["id"]: (row["text"], row["withdrawn_at"]) for row in rows}
        assert len(stored) == len(rows)  # ids are unique: nothing twice
        acked = 0
        for delegate in delegates:
            for comment_id, text in delegate.acked.items():
                acked += 1
                assert comment_id in stored
                assert stored[comment_id][0] == text or stored[comment_id][
                    0
                ] in delegate.unconfirmed.get(comment_id, ())
                if comment_id in delegate.withdrawn:
                    assert stored[comment_id][1] is not None
        texts = [row["text"] for row in rows]
        assert len(texts) == len(set(texts))  # no comment stored twice under two ids
        return acked
    finally:
        store.close()


@pytest.mark.slow
def test_fifty_delegates_with_an_online_backup(loaded_world, tmp_path, request):
    port = _free_port()
    log = (tmp_path / "server.log").open("w")
    server = _serve(loaded_world, port, log)
    backup = tmp_path / (
        "backup.dump" if isinstance(loaded_world.db_path, str) else "backup.sqlite"
    )

    def take_backup():
        _wait_for_comments(loaded_world, 50)  # back up while the load is writing
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "drafter",
                "--db",
                str(loaded_world.db_path),
                "backup",
                str(backup),
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        assert "integrity: ok" in done.stdout

    try:
        delegates = _run_load(loaded_world, port, 8, during=take_backup)
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    statuses = [s for d in delegates for s in d.statuses]
    assert statuses
    assert all(s < 500 for s in statuses), sorted(set(statuses))
    assert not any(d.locked for d in delegates)
    assert sum(d.errors for d in delegates) == 0
    server_log = (tmp_path / "server.log").read_text()
    assert "database is locked" not in server_log
    assert "Traceback" not in server_log
    acked = _check_acknowledged(loaded_world, delegates)
    assert acked > 50
    if isinstance(loaded_world.db_path, str):  # PostgreSQL: a pg_dump file
        restored = request.getfixturevalue("pg_server").empty_database()
    else:
        copy = open_store(backup, migrate=False)
        assert copy.integrity() == "ok"
        assert 0 < copy.conn.execute("SELECT COUNT(*) FROM comment").fetchone()[0] <= acked + 1000
        copy.close()
        # Restore the backup into a new database file and read it.
        restored = tmp_path / "restored.sqlite"
    done = subprocess.run(
        [sys.executable, "-m", "drafter", "--db", str(restored), "restore", str(backup)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    check = open_store(restored)
    assert check.integrity() == "ok"
    assert 0 < check.conn.execute("SELECT COUNT(*) FROM comment").fetchone()[0] <= acked + 1000
    check.close()


def _kill_all(server) -> None:
    """SIGKILL the server and every process it started (gunicorn's workers), as a crash."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGKILL)
    server.wait(timeout=30)


@pytest.mark.slow
@pytest.mark.parametrize("workers", [1, 2])
def test_sigkill_in_the_middle_loses_nothing_acknowledged(loaded_world, tmp_path, workers):
    port = _free_port()
    log = (tmp_path / "server.log").open("w")
    server = _serve(loaded_world, port, log, workers)
    try:

        def kill():
            _wait_for_comments(loaded_world, 100)
            _kill_all(server)

        delegates = _run_load(loaded_world, port, 6, during=kill)
    finally:
        _kill_all(server)
    acked = _check_acknowledged(loaded_world, delegates)
    assert acked > 20
    # The server starts again on the same file and serves.
    server = _serve(loaded_world, port, log, workers)
    try:
        client = Client(port)
        client.login("tn-lead")
        status, _location, page = client.request("GET", f"/c/{loaded_world.consultation_id}")
        client.conn.close()
        assert status == 200
        assert "chuong-1/dieu-3" in page
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    if workers > 1:
        assert "2 workers" in (tmp_path / "server.log").read_text()
