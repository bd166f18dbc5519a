"""The outbox's frozen dataclasses: a message to queue, a queued message, a reset link.

Core, like :mod:`drafter.model`: imports nothing of drafter."""

from __future__ import annotations

from dataclasses import dataclass

#: What a message is about (the ``kind`` of an outbox row).
MAIL_KINDS = (
    "invitation",
    "password_reset",
    "reminder",
    "receipt",
    "answers_published",
    "deadline_extended",
    "digest",
)


@dataclass(frozen=True)
class Mail:
    """A message to queue: rendered in the recipient's language, plain text and HTML."""

    kind: str
    recipient: str
    language: str
    subject: str
    text: str
    html: str
    link: str | None = None  # the main link, shown on the outbox page to copy by hand
    user_id: int | None = None


@dataclass(frozen=True)
class QueuedMail:
    """A message in the outbox and where its delivery stands."""

    id: int
    mail: Mail
    created_at: str
    attempts: int
    next_try_at: str
    sent_at: str | None
    last_error: str | None
    claimed_until: str | None = None

    @property
    def state(self) -> str:
        """ "sent", "failed" (tried, not delivered yet: it stays queued) or "queued"."""
        if self.sent_at is not None:
            return "sent"
        return "failed" if self.attempts else "queued"


@dataclass(frozen=True)
class PasswordReset:
    """A password reset link, by its token's hash."""

    user_id: int
    created_at: str
    expires_at: str
    used_at: str | None
