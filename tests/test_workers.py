"""`drafter serve --workers 2`: gunicorn with two worker processes, each running the
background loop; a real SMTP server (aiosmtpd) receives every queued message exactly once."""

from __future__ import annotations

import asyncio
import collections
import os
import signal
import subprocess
import sys
import time
import urllib.request

import pytest

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


def _workers(pid: int) -> list[int]:
    done = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True, check=False
    )
    return [int(p) for p in done.stdout.split()]


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
