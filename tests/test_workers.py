"""`drafter serve --workers 2`: gunicorn with two worker processes, each running the
background loop and the export worker; a real SMTP server (aiosmtpd) receives every queued
message exactly once, and an export asked for on the web is made once and downloaded."""

from __future__ import annotations

import asyncio
import collections
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request

import pytest

from drafter import consulting
from drafter.model_mail import Mail
from drafter.storage import open_store

from .smtp_server import Inbox, SmtpServer, free_port

MESSAGES = 300


class SlowInbox(Inbox):
    """Takes a little time per message, so that the two workers' passes overlap."""

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        await asyncio.sleep(0.002)
        return await super().handle_DATA(server, session, envelope)


def _start(db, port: int, log, env: dict[str, str]) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-m", "drafter", "--db", str(db), "serve", "--port", str(port),
         "--workers", "2", "--threads", "2"],
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        env={**os.environ, "DRAFTER_SECRET_KEY": "workers-test", **env},
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as reply:
                if reply.status == 200:
                    return process
        except OSError:
            time.sleep(0.2)
    os.killpg(process.pid, signal.SIGKILL)
    raise RuntimeError("the server did not start")


def _workers(pid: int, expected: int = 2, timeout: float = 30) -> list[int]:
    """The master's children, waited for: gunicorn forks its workers one after the other, so
    the first may answer /healthz before the second exists (a loaded CI machine showed it)."""
    deadline = time.monotonic() + timeout
    while True:
        done = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True, check=False
        )
        children = [int(p) for p in done.stdout.split()]
        if len(children) >= expected or time.monotonic() > deadline:
            return children
        time.sleep(0.2)


@pytest.mark.slow
def test_two_workers_send_every_message_exactly_once(tmp_path):
    db = tmp_path / "mail.sqlite"
    store = open_store(db)
    with store.transaction():
        for i in range(MESSAGES):
            store.queue_mail(
                Mail("invitation", f"d{i}@example.vn", "vi", f"Thư số {i}", f"Nội dung {i}", ""),
                now="2026-01-01T00:00:00+00:00",
            )
    store.close()
    smtp = SmtpServer()
    smtp.inbox = SlowInbox()
    smtp.start()
    log_path = tmp_path / "server.log"
    port = free_port()
    with log_path.open("w") as log:
        server = _start(db, port, log, {"DRAFTER_SMTP_URL": smtp.url, "DRAFTER_MAIL_INTERVAL": "1"})
        try:
            assert len(_workers(server.pid)) == 2  # the master forked two workers
            smtp.wait_for(MESSAGES, timeout=60)
            time.sleep(2.5)  # several more passes of both workers: nothing is sent again
        finally:
            server.terminate()
            server.wait(timeout=30)
            smtp.stop()
    subjects = collections.Counter(str(m["Subject"]) for m in smtp.messages)
    assert len(subjects) == MESSAGES
    assert set(subjects.values()) == {1}, [s for s, n in subjects.items() if n > 1][:5]
    check = open_store(db, migrate=False)
    assert check.count_unsent_mail() == 0
    check.close()
    text = log_path.read_text()
    assert "2 workers" in text
    assert "Traceback" not in text


@pytest.mark.slow
def test_an_export_job_runs_once_under_two_workers(tmp_path):
    from .consultation_fixture import build_world
    from .test_durability import Client
    from .test_export_jobs import _ready_audits

    world = build_world(tmp_path / "jobs.sqlite")
    store = open_store(world.db_path)
    consultation = store.get_consultation(world.consultation_id)
    user = store.get_user(world.users["tn-lead"])
    now = consulting.utc_now()
    consulting.add_comment(
        store, user, consultation, key="chuong-1/dieu-3", kind="comment", text="Ý kiến",
        proposed_text=None, now=now,
    )  # fmt: skip
    consulting.submit(store, user, consultation, no_comments=False, now=now)
    store.close()
    port = free_port()
    with (tmp_path / "server.log").open("w") as log:
        server = _start(world.db_path, port, log, {"DRAFTER_EXPORT_SYNC_LIMIT": "0"})
        try:
            client = Client(port)
            client.login("organizer")
            c = world.consultation_id
            _status, _location, page = client.request("GET", f"/admin/c/{c}/export/by-unit.zip")
            token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
            status, job_url, _page = client.request(
                "POST", f"/admin/c/{c}/export/by-unit.zip/job", {"csrf_token": token}
            )
            assert status == 302
            job_url = job_url.removeprefix(f"http://127.0.0.1:{port}")
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                page = client.request("GET", job_url)[2]
                if "Tệp đã sẵn sàng" in page:
                    break
                time.sleep(0.3)
            assert "Tệp đã sẵn sàng" in page
            client.conn.request("GET", f"{job_url}/file", headers={"Cookie": client.cookie})
            download = client.conn.getresponse()
            assert download.status == 200
            assert download.getheader("Content-Type") == "application/zip"
            assert download.read()[:2] == b"PK"
            time.sleep(2.5)  # both workers look again: nothing runs twice
            client.conn.close()
        finally:
            server.terminate()
            server.wait(timeout=30)
    job_id = int(job_url.rsplit("/", 1)[1])
    assert _ready_audits(world.db_path) == [f"by-unit.zip (job {job_id})"]
    assert "Traceback" not in (tmp_path / "server.log").read_text()
