"""The organizers' use cases of e-mail: reminders (now, or scheduled before the deadline),
the daily digest, and the outbox page.

Each queues its messages (:mod:`drafter.notices`) in ONE transaction with its audit row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from . import notices
from .consulting import moment as at
from .consulting import state_of, unit_deadline, utc_now
from .errors import N_, InvalidInput
from .model import Consultation, User
from .model_mail import QueuedMail
from .notices import Site
from .organizing.rules import require_organizer
from .storage import Store

RESPONDED = ("submitted", "no_comments")
MAX_DAYS_BEFORE = 60


def _waiting_units(store: Store, consultation: Consultation, now: str) -> list[int]:
    """Return the invited, enabled units that have not responded and may still respond (by
    their own deadline, when theirs was extended)."""
    return [
        p.unit.id
        for p in store.unit_progress(consultation.id)
        if not p.unit.disabled
        and state_of(p.live_comments, p.latest).name not in RESPONDED
        and at(unit_deadline(store, consultation, p.unit.id)) > at(now)
    ]


def _remind_units(
    store: Store, site: Site, consultation: Consultation, unit_ids: list[int], now: str
) -> int:
    count = 0
    for unit_id in unit_ids:
        deadline = unit_deadline(store, consultation, unit_id)
        for user in store.list_users(unit_id):
            if not user.has_password:  # not signed up yet: their invitation is what they need
                continue
            queued = notices.reminder(store, site, user, consultation, now=now, deadline=deadline)
            count += queued is not None
    return count


def remind(store: Store, site: Site, consultation_id: int, *, user: User | None = None) -> int:
    """Queue a reminder to every delegate (with an address, enabled) of every invited unit
    that has not responded; return how many messages were queued.  `user`: the organizer
    asking (None: the command line)."""
    if user is not None:
        require_organizer(user)
    actor = user.id if user is not None else None
    now = utc_now()
    with store.transaction():
        consultation = store.get_consultation(consultation_id)
        if consultation.closed_at:
            raise InvalidInput(N_("This consultation is closed: nobody needs reminding."))
        count = _remind_units(
            store, site, consultation, _waiting_units(store, consultation, now), now
        )
        store.add_audit(
            actor, "reminder.queue", f"consultation {consultation_id}", now=now,
            consultation_id=consultation_id, details=f"{count} messages",
        )  # fmt: skip
    return count


def set_reminder_days(store: Store, user: User, consultation_id: int, days: str) -> int | None:
    """Schedule reminders `days` before the deadline ("" or "0": none); return the days."""
    require_organizer(user)
    text = (days or "").strip()
    try:
        number = int(text) if text else 0
    except ValueError:
        number = -1
    if not 0 <= number <= MAX_DAYS_BEFORE:
        raise InvalidInput(
            N_("Reminders are sent 1 to %(max)s days before the deadline (0: none)."),
            max=MAX_DAYS_BEFORE,
        )
    now = utc_now()
    with store.transaction():
        store.get_consultation(consultation_id)
        store.set_reminder_days(consultation_id, number or None)
        store.add_audit(
            user.id, "reminder.schedule", f"consultation {consultation_id}", now=now,
            consultation_id=consultation_id, details=f"{number} days before",
        )  # fmt: skip
    return number or None


def reminder_days(store: Store, consultation_id: int) -> int | None:
    """Return how many days before the deadline a consultation sends reminders (None)."""
    return store.reminder_days().get(consultation_id)


def _local_day(moment: datetime, zone: str) -> date:
    return moment.astimezone(ZoneInfo(zone)).date()


def queue_scheduled(store: Store, site: Site, *, digest: bool, now: str | None = None) -> int:
    """Queue what the calendar asks for now: each consultation's reminders from N days before
    its deadline (once per unit and scheduled day) and, with `digest`, the organizers' daily
    digest (once a day); return how many messages were queued."""
    now = now or utc_now()
    moment = datetime.fromisoformat(now)
    count = 0
    with store.transaction():
        for consultation_id, days in sorted(store.reminder_days().items()):
            consultation = store.get_consultation(consultation_id)
            if consultation.closed_at:
                continue
            for unit_id in _waiting_units(store, consultation, now):  # each by its deadline
                deadline = datetime.fromisoformat(unit_deadline(store, consultation, unit_id))
                day = _local_day(deadline, site.timezone) - timedelta(days=days)
                if _local_day(moment, site.timezone) < day:
                    continue
                if store.mark_scheduled(f"reminder:{consultation_id}:{unit_id}:{day}", now=now):
                    count += _remind_units(store, site, consultation, [unit_id], now)
        if digest:
            today = _local_day(moment, site.timezone).isoformat()
            if store.mark_scheduled(f"digest:{today}", now=now):
                since = (moment - timedelta(days=1)).isoformat()
                activity = [
                    (store.get_consultation(cid), submissions, comments)
                    for cid, submissions, comments in store.activity_since(since)
                ]
                if activity:
                    count += len(notices.daily_digest(store, site, today, activity, now=now))
        if count:
            store.add_audit(None, "mail.schedule", "outbox", now=now, details=f"{count} messages")
    return count


@dataclass(frozen=True)
class Outbox:
    """The outbox page: its messages (newest first) and how many wait."""

    messages: list[QueuedMail]
    waiting: int
    page: int = 1
    more: bool = False  # older messages on the next page


def outbox(
    store: Store, user: User, *, waiting_only: bool = False, page: int = 1, per_page: int = 200
) -> Outbox:
    """Return one page of the outbox for an organizer (all messages, or those still waiting
    to be sent), newest first."""
    require_organizer(user)
    page = max(1, page)
    found = store.list_mail(
        unsent_only=waiting_only, limit=per_page + 1, offset=(page - 1) * per_page
    )
    return Outbox(found[:per_page], store.count_unsent_mail(), page, len(found) > per_page)


def list_outbox(store: Store, *, unsent_only: bool = False, limit: int = 500) -> list[QueuedMail]:
    """Return the outbox for the command line, newest first."""
    return store.list_mail(unsent_only=unsent_only, limit=limit)
