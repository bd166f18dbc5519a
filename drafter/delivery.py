"""Delivering the outbox: one pass (``drafter mail send``), or a background thread in
``drafter serve`` that also queues what the calendar asks for.

A pass claims messages (an atomic update: no other sender can take them while the claim
lasts), sends each, then marks it sent, or failed with its error and a next try after an
exponential backoff.  A message nobody could deliver stays queued.  Once an invitation or a
reset link is sent, its text is forgotten: the database keeps no live secret in clear."""

from __future__ import annotations

import sys
import threading
import traceback
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from . import mailing
from .config import SmtpTarget, smtp_target
from .errors import N_, InvalidInput
from .mailer import Connection, DeliveryFailed
from .notices import SECRET_KINDS, Site
from .storage import Store, open_store

FIRST_RETRY = 60  # seconds after the first failure; doubles with every failure
MAX_RETRY = 6 * 3600
LEASE = timedelta(hours=1)  # how long a claim lasts: longer than any pass


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def backoff(attempts: int) -> int:
    """Return the seconds to wait after the `attempts`-th failed try."""
    return min(MAX_RETRY, FIRST_RETRY * 2 ** min(20, max(0, attempts - 1)))


@dataclass
class Report:
    """What a pass did: messages sent, and the failures with their reasons."""

    sent: int = 0
    failed: list[tuple[int, str]] = field(default_factory=list)


def target_of(settings: Mapping[str, Any]) -> SmtpTarget:
    """Return the configured SMTP server, or raise InvalidInput saying how to set one."""
    target = smtp_target(settings)
    if target is None:
        raise InvalidInput(
            N_("No mail server is configured: set DRAFTER_SMTP_URL (see the README).")
        )
    return target


def deliver(
    store: Store,
    target: SmtpTarget,
    sender: str,
    *,
    everything: bool = False,
    limit: int = 10_000,
) -> Report:
    """Send the queued messages whose next try has come (`everything`: all of them,
    whatever their backoff); return what happened."""
    claimer = uuid.uuid4().hex
    now = _now()
    with store.transaction(serialized=False):  # the claim guards its rows (SKIP LOCKED)
        batch = store.claim_mail(
            claimer, now=now.isoformat(), until=(now + LEASE).isoformat(),
            due_only=not everything, limit=limit,
        )  # fmt: skip
    report = Report()
    connection = Connection(target, sender)
    try:
        for queued in batch:
            try:
                connection.send(queued.mail)
            except DeliveryFailed as exc:
                retry = _now() + timedelta(seconds=backoff(queued.attempts + 1))
                with store.transaction():
                    store.mark_mail_failed(
                        queued.id, claimer, error=str(exc), next_try_at=retry.isoformat()
                    )
                report.failed.append((queued.id, str(exc)))
            else:
                with store.transaction():
                    store.mark_mail_sent(
                        queued.id, claimer, now=_now().isoformat(),
                        forget_body=queued.mail.kind in SECRET_KINDS,
                    )  # fmt: skip
                report.sent += 1
    finally:
        connection.close()
    return report


class BackgroundSender:
    """A daemon thread that, every `interval` seconds, queues what the calendar asks for
    (scheduled reminders, the daily digest) and, with a mail server configured, delivers what
    is due (without one, the messages wait in the outbox, where organizers copy their links).
    `stop()` ends it cleanly between two passes."""

    def __init__(self, settings: Mapping[str, Any], site: Site, *, interval: float = 30) -> None:
        self.settings = dict(settings)
        self.target = smtp_target(settings)
        self.site = site
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="drafter-mail", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 60) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def run_once(self) -> Report:
        """One tick: queue the calendar's messages, then deliver what is due."""
        store = open_store(self.settings["DATABASE"], migrate=False)
        try:
            mailing.queue_scheduled(store, self.site, digest=bool(self.settings["MAIL_DIGEST"]))
            if self.target is None:
                return Report()
            return deliver(store, self.target, str(self.settings["MAIL_FROM"]), limit=100)
        finally:
            store.close()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_once()
            except Exception:  # noqa: BLE001  (the thread must outlive any one failure)
                print("drafter: the mail sender failed; it tries again.", file=sys.stderr)
                traceback.print_exc()
            self._stop.wait(self.interval)
