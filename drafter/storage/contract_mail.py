"""The store contract of e-mail: the outbox, password reset links and the mail calendar.

Part of :class:`drafter.storage.contract.Store` (re-exported there).  A message is queued in
the transaction of the action that causes it; a sender claims messages (an atomic update of
rows nobody holds: a lease until `until`), sends them, then marks each sent or failed, so
that several senders never deliver one message twice."""

from __future__ import annotations

from typing import Protocol

from ..model_mail import Mail, PasswordReset, QueuedMail


class OutboxStore(Protocol):
    """The outbox, password reset links, scheduled reminders and what the calendar queued."""

    def queue_mail(self, mail: Mail, *, now: str) -> int:
        """Put a message in the outbox, due at once; return its id."""
        ...

    def claim_mail(
        self, claimer: str, *, now: str, until: str, due_only: bool = True, limit: int = 100
    ) -> list[QueuedMail]:
        """Claim unsent messages nobody holds (with `due_only`, those whose next try has
        come) for `claimer` until `until`; return them, oldest first."""
        ...

    def mark_mail_sent(
        self, mail_id: int, claimer: str, *, now: str, forget_body: bool = False
    ) -> bool:
        """Mark a claimed message sent (`forget_body`: and blank its bodies and link, which
        held a secret); False when the claim was lost (nothing changes)."""
        ...

    def mark_mail_failed(self, mail_id: int, claimer: str, *, error: str, next_try_at: str) -> bool:
        """Count a failed try, keep the error, release the claim and set the next try."""
        ...

    def list_mail(
        self, *, unsent_only: bool = False, limit: int = 500, offset: int = 0
    ) -> list[QueuedMail]:
        """Return the outbox, newest first."""
        ...

    def count_unsent_mail(self) -> int:
        """Return how many messages wait in the outbox."""
        ...

    def add_password_reset(
        self, user_id: int, token_hash: str, *, now: str, expires_at: str
    ) -> None:
        """Store a reset link by its token's hash."""
        ...

    def get_password_reset(self, token_hash: str) -> PasswordReset | None:
        """Return a live (not revoked) reset link by its token's hash, or None."""
        ...

    def use_password_reset(self, token_hash: str, *, now: str) -> bool:
        """Spend a live reset link; False when it was used or revoked."""
        ...

    def revoke_password_resets(self, user_id: int, *, now: str) -> int:
        """Revoke every unused reset link of an account; return how many."""
        ...

    def count_password_resets(self, user_id: int, *, since: str) -> int:
        """Return how many reset links the account was sent since `since`."""
        ...

    def find_by_email(self, email: str) -> list[int]:
        """Return the ids of the accounts with this e-mail address (any case)."""
        ...

    def set_reminder_days(self, consultation_id: int, days_before: int | None) -> None:
        """Schedule reminders `days_before` the deadline (None: none)."""
        ...

    def reminder_days(self) -> dict[int, int]:
        """Return the consultations that schedule reminders: id → days before the deadline."""
        ...

    def mark_scheduled(self, key: str, *, now: str) -> bool:
        """Record that the calendar queued `key`; False when it was recorded before."""
        ...

    def activity_since(self, since: str) -> list[tuple[int, int, int]]:
        """Return (consultation id, new submissions, new comments) since `since`, for the
        consultations that had any."""
        ...
