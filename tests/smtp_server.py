"""A real SMTP server in the test process (aiosmtpd on 127.0.0.1), that can be stopped and
started again on the same port, and the helpers to read what it received."""

from __future__ import annotations

import email
import re
import socket
import threading
import time
from email.message import EmailMessage
from email.policy import default

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Inbox:
    """The aiosmtpd handler: keeps every message it is given."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        message = email.message_from_bytes(envelope.content, policy=default)
        with self._lock:
            self.messages.append(message)  # type: ignore[arg-type]
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"


class SmtpServer:
    """aiosmtpd on 127.0.0.1:`port`; `stop()` closes the port, `start()` opens it again."""

    def __init__(self, credentials: tuple[str, str] | None = None) -> None:
        self.port = free_port()
        self.inbox = Inbox()
        self.credentials = credentials  # required to send, when given
        self._controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def _authenticate(self, server, session, envelope, mechanism, auth_data):
        ok = (auth_data.login.decode(), auth_data.password.decode()) == self.credentials
        return AuthResult(success=ok)

    def start(self) -> None:
        extra = {}
        if self.credentials is not None:
            extra = {
                "authenticator": self._authenticate,
                "auth_required": True,
                "auth_require_tls": False,  # a test on 127.0.0.1; real servers use TLS
            }
        self._controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port, **extra)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def messages(self) -> list[EmailMessage]:
        return list(self.inbox.messages)

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]

    def wait_for(self, count: int, timeout: float = 10) -> list[EmailMessage]:
        deadline = time.monotonic() + timeout
        while len(self.inbox.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.messages


def text_of(message: EmailMessage) -> str:
    body = message.get_body(("plain",))
    assert body is not None
    return str(body.get_content())


def html_of(message: EmailMessage) -> str:
    body = message.get_body(("html",))
    assert body is not None
    return str(body.get_content())


def link_in(message: EmailMessage) -> str:
    """Return the first http(s) link of the message's plain text."""
    found = re.search(r"https?://\S+", text_of(message))
    assert found, text_of(message)
    return found.group(0)
