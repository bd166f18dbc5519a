"""The messages drafter sends, one function per kind, each queued in the outbox.

Use cases call these inside their ``store.transaction()``, so that a message exists if and
only if the action that causes it happened.  Each message goes to accounts that have an
e-mail address and are not disabled, in the account's language, as plain text and HTML
(:mod:`drafter.mailtext`); links start with the site's address (:class:`Site`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from . import mailtext, markup
from .config import DEFAULT_TIMEZONE
from .errors import N_
from .labels import provision_name
from .model import Consultation, User
from .model_mail import Mail
from .storage import Store

#: Comment kinds as the pages name them (the same message ids, so the same translations).
KIND_NAMES = {
    "agree": N_("Agree as drafted"), "comment": N_("Comment"), "new_wording": N_("New wording"),
    "delete": N_("Delete this provision"), "add_after": N_("Add a provision after this one"),
    "question": N_("Question"),
}  # fmt: skip
#: Kinds whose message carries a secret link: once sent, its bodies and link are forgotten.
SECRET_KINDS = ("invitation", "password_reset")
SUBJECTS = {
    "invitation": N_("Your account for the consultation on %(site)s"),
    "password_reset": N_("Reset your password"),
    "reminder": N_("Reminder: the consultation “%(title)s” is waiting for your unit"),
    "receipt": N_("Received: your unit's response to “%(title)s”"),
    "answers_published": N_("The answers to your comments on “%(title)s” are published"),
    "deadline_extended": N_("New deadline for “%(title)s”"),
    "digest": N_("drafter: what came in on %(day)s"),
}


@dataclass(frozen=True)
class Site:
    """Where links in messages point, and the time zone their dates are written in."""

    base_url: str
    timezone: str = DEFAULT_TIMEZONE

    def link(self, path: str) -> str:
        """Return the absolute address of a path of the site."""
        return self.base_url.rstrip("/") + path

    def local(self, moment: str) -> str:
        """Return an ISO moment as the pages show it: 31/12/2026 17:00."""
        when = datetime.fromisoformat(moment)
        return when.astimezone(ZoneInfo(self.timezone)).strftime("%d/%m/%Y %H:%M")

    @property
    def name(self) -> str:
        """The site's host name, for subjects."""
        return self.base_url.split("://", 1)[-1].split("/", 1)[0]


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def reachable(user: User) -> bool:
    """Whether mail can go to the account: it has an address and is not disabled."""
    return bool(user.email) and not user.disabled


def _queue(
    store: Store,
    kind: str,
    user: User,
    *,
    now: str | None,
    link: str | None,
    subject: dict[str, str],
    **context,
) -> int | None:
    """Render and queue one message to `user`; return its id (None: no address)."""
    if not reachable(user):
        return None
    assert user.email is not None
    language = user.language
    text, html = mailtext.render(kind, language, user=user, link=link, **context)
    title = mailtext.gettext(language, SUBJECTS[kind], **subject)
    mail = Mail(kind, user.email, language, title, text, html, link, user.id)
    return store.queue_mail(mail, now=now or _now())


def invitation(
    store: Store, site: Site, user: User, token: str, *, days: int, now: str | None = None
) -> int | None:
    """Queue the invitation of a delegate: the single-use link that sets their password."""
    link = site.link(f"/invite/{token}")
    return _queue(
        store, "invitation", user, now=now, link=link, subject={"site": site.name}, days=days
    )


def password_reset(
    store: Store, site: Site, user: User, token: str, *, minutes: int, now: str | None = None
) -> int | None:
    """Queue a password reset link (single use, valid `minutes`)."""
    link = site.link(f"/reset/{token}")
    return _queue(store, "password_reset", user, now=now, link=link, subject={}, minutes=minutes)


def _consultation_context(site: Site, consultation: Consultation) -> dict:
    return {
        "consultation": consultation,
        "deadline": site.local(consultation.deadline),
        "timezone": site.timezone,
    }


def reminder(
    store: Store,
    site: Site,
    user: User,
    consultation: Consultation,
    *,
    now: str | None = None,
    deadline: str | None = None,
) -> int | None:
    """Queue a reminder to a delegate whose unit has not responded yet (`deadline`: the
    unit's own, when it was extended)."""
    context = _consultation_context(site, consultation)
    if deadline is not None:
        context["deadline"] = site.local(deadline)
    return _queue(
        store, "reminder", user, now=now, link=site.link(f"/c/{consultation.id}"),
        subject={"title": consultation.title}, **context,
    )  # fmt: skip


def _unit_delegates(store: Store, unit_id: int) -> list[User]:
    return [u for u in store.list_users(unit_id) if reachable(u)]


def _provision(key: str | None, language: str) -> str:
    words = {
        "dieu": mailtext.gettext(language, "Article %(n)s"),
        "khoan": mailtext.gettext(language, "clause %(n)s"),
        "diem": mailtext.gettext(language, "point %(n)s"),
        "y": mailtext.gettext(language, "item %(n)s"),
    }
    return provision_name(key, words=words, whole=mailtext.gettext(language, "The whole draft"))


def receipt(
    store: Store,
    site: Site,
    consultation: Consultation,
    unit_id: int,
    *,
    submitted_at: str,
    no_comments: bool,
    now: str | None = None,
) -> list[int]:
    """Queue to every delegate of the unit the receipt of its submission: the comments as
    submitted and how many of each kind."""
    comments = store.list_comments(consultation.id, unit_id=unit_id, submitted_only=True)
    counts = Counter(c.kind for c in comments)
    unit = store.get_unit(unit_id)
    ids = []
    for user in _unit_delegates(store, unit_id):
        lang = user.language
        items = [
            {
                "where": _provision(c.node_key, lang),
                "kind": mailtext.gettext(lang, KIND_NAMES.get(c.kind, c.kind)),
                "text": c.text,
                "html": markup.shown(c.html, c.text),  # as the pages show it (sanitised)
                "proposed": c.proposed_text,
            }
            for c in comments
        ]
        digest = [
            (mailtext.gettext(lang, KIND_NAMES[k]), counts[k]) for k in KIND_NAMES if counts[k]
        ]
        sent = _queue(
            store, "receipt", user, now=now, link=site.link(f"/c/{consultation.id}"),
            subject={"title": consultation.title}, items=items, digest=digest,
            no_comments=no_comments, submitted_at=site.local(submitted_at),
            unit=unit, **_consultation_context(site, consultation),
        )  # fmt: skip
        if sent is not None:
            ids.append(sent)
    return ids


def _to_delegates(
    store: Store,
    unit_ids: Iterable[int],
    kind: str,
    *,
    now: str | None,
    link: str,
    subject: dict,
    **context: object,
) -> list[int]:
    """Queue one message of `kind` to every reachable delegate of each unit (the unit read
    once); return the ids of the messages queued."""
    ids = []
    for unit_id in unit_ids:
        unit = store.get_unit(unit_id)
        for user in _unit_delegates(store, unit_id):
            sent = _queue(store, kind, user, now=now, link=link, subject=subject, unit=unit,
                          **context)  # fmt: skip
            if sent is not None:
                ids.append(sent)
    return ids


def answers_published(
    store: Store,
    site: Site,
    consultation: Consultation,
    unit_id: int,
    *,
    answered: int,
    now: str | None = None,
) -> list[int]:
    """Queue to every delegate of the unit: the answers to its comments can be read."""
    return _to_delegates(
        store, [unit_id], "answers_published", now=now, link=site.link(f"/c/{consultation.id}"),
        subject={"title": consultation.title}, answered=answered,
        **_consultation_context(site, consultation),
    )  # fmt: skip


def deadline_extended(
    store: Store,
    site: Site,
    consultation: Consultation,
    *,
    deadline: str,
    unit_ids: Iterable[int] | None = None,
    now: str | None = None,
) -> list[int]:
    """Queue the new deadline to every delegate of `unit_ids` (None: every invited unit)."""
    if unit_ids is None:
        unit_ids = [u.id for u in store.consultation_units(consultation.id)]
    return _to_delegates(
        store, unit_ids, "deadline_extended", now=now, link=site.link(f"/c/{consultation.id}"),
        subject={"title": consultation.title},
        **_consultation_context(site, consultation) | {"deadline": site.local(deadline)},
    )  # fmt: skip


def daily_digest(
    store: Store,
    site: Site,
    day: str,
    activity: list[tuple[Consultation, int, int]],
    *,
    now: str | None = None,
) -> list[int]:
    """Queue to every organizer the day's new submissions and comments, per consultation."""
    ids = []
    for user in store.list_users():
        if not user.is_organizer:
            continue
        rows = [
            {
                "title": c.title,
                "submissions": submissions,
                "comments": comments,
                "link": site.link(f"/admin/c/{c.id}"),
            }
            for c, submissions, comments in activity
        ]
        sent = _queue(
            store, "digest", user, now=now, link=site.link("/admin/"), subject={"day": day},
            rows=rows, day=day,
        )  # fmt: skip
        if sent is not None:
            ids.append(sent)
    return ids
