"""SQLite queries of e-mail: the outbox, password reset links, the mail calendar."""

from __future__ import annotations

import sqlite3

from ...model_mail import Mail, PasswordReset, QueuedMail
from .connection import Connected, _id


def _queued(row: sqlite3.Row) -> QueuedMail:
    return QueuedMail(
        row["id"],
        Mail(
            row["kind"],
            row["recipient"],
            row["language"],
            row["subject"],
            row["body_text"],
            row["body_html"],
            row["link"],
            row["user_id"],
        ),
        row["created_at"],
        row["attempts"],
        row["next_try_at"],
        row["sent_at"],
        row["last_error"],
        row["claimed_until"],
    )


class OutboxQueries(Connected):
    """The SQLite part of :class:`drafter.storage.contract_mail.OutboxStore`."""

    def queue_mail(self, mail: Mail, *, now: str) -> int:
        return _id(
            self.conn.execute(
                "INSERT INTO outbox (kind, user_id, recipient, language, subject, body_text,"
                " body_html, link, created_at, next_try_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    mail.kind,
                    mail.user_id,
                    mail.recipient,
                    mail.language,
                    mail.subject,
                    mail.text,
                    mail.html,
                    mail.link,
                    now,
                    now,
                ),
            )
        )

    def claim_mail(
        self, claimer: str, *, now: str, until: str, due_only: bool = True, limit: int = 100
    ) -> list[QueuedMail]:
        # One UPDATE takes the rows nobody holds (or whose holder's lease ran out): SQLite
        # runs it under the write lock, so two senders never claim the same row.
        due = " AND next_try_at <= :now" if due_only else ""
        self.conn.execute(
            "UPDATE outbox SET claimed_by = :claimer, claimed_until = :until WHERE id IN ("
            " SELECT id FROM outbox WHERE sent_at IS NULL"
            " AND (claimed_until IS NULL OR claimed_until <= :now)"
            + due
            + " ORDER BY id LIMIT :limit)",
            {"claimer": claimer, "until": until, "now": now, "limit": limit},
        )
        rows = self.conn.execute(
            "SELECT * FROM outbox WHERE claimed_by = ? AND sent_at IS NULL AND claimed_until = ?"
            " ORDER BY id",
            (claimer, until),
        )
        return [_queued(r) for r in rows]

    def mark_mail_sent(
        self, mail_id: int, claimer: str, *, now: str, forget_body: bool = False
    ) -> bool:
        forget = ", body_text = '', body_html = '', link = NULL" if forget_body else ""
        cursor = self.conn.execute(
            "UPDATE outbox SET sent_at = ?, attempts = attempts + 1, claimed_by = NULL,"
            " claimed_until = NULL"
            + forget
            + " WHERE id = ? AND claimed_by = ? AND sent_at IS NULL",
            (now, mail_id, claimer),
        )
        return cursor.rowcount == 1

    def mark_mail_failed(self, mail_id: int, claimer: str, *, error: str, next_try_at: str) -> bool:
        cursor = self.conn.execute(
            "UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_try_at = ?,"
            " claimed_by = NULL, claimed_until = NULL"
            " WHERE id = ? AND claimed_by = ? AND sent_at IS NULL",
            (error[:1000], next_try_at, mail_id, claimer),
        )
        return cursor.rowcount == 1

    def list_mail(
        self, *, unsent_only: bool = False, limit: int = 500, offset: int = 0
    ) -> list[QueuedMail]:
        where = " WHERE sent_at IS NULL" if unsent_only else ""
        rows = self.conn.execute(
            "SELECT * FROM outbox" + where + " ORDER BY id DESC LIMIT ? OFFSET ?", (limit, offset)
        )
        return [_queued(r) for r in rows]

    def count_unsent_mail(self) -> int:
        row = self.conn.execute("SELECT count(*) FROM outbox WHERE sent_at IS NULL").fetchone()
        return int(row[0])

    def add_password_reset(
        self, user_id: int, token_hash: str, *, now: str, expires_at: str
    ) -> None:
        self.conn.execute(
            "INSERT INTO password_reset (token_hash, user_id, created_at, expires_at)"
            " VALUES (?, ?, ?, ?)",
            (token_hash, user_id, now, expires_at),
        )

    def get_password_reset(self, token_hash: str) -> PasswordReset | None:
        row = self.conn.execute(
            "SELECT * FROM password_reset WHERE token_hash = ? AND revoked_at IS NULL",
            (token_hash,),
        ).fetchone()
        if row is None:
            return None
        return PasswordReset(row["user_id"], row["created_at"], row["expires_at"], row["used_at"])

    def use_password_reset(self, token_hash: str, *, now: str) -> bool:
        cursor = self.conn.execute(
            "UPDATE password_reset SET used_at = ? WHERE token_hash = ? AND used_at IS NULL"
            " AND revoked_at IS NULL",
            (now, token_hash),
        )
        return cursor.rowcount == 1

    def revoke_password_resets(self, user_id: int, *, now: str) -> int:
        cursor = self.conn.execute(
            "UPDATE password_reset SET revoked_at = ? WHERE user_id = ? AND used_at IS NULL"
            " AND revoked_at IS NULL",
            (now, user_id),
        )
        return cursor.rowcount

    def count_password_resets(self, user_id: int, *, since: str) -> int:
        row = self.conn.execute(
            "SELECT count(*) FROM password_reset WHERE user_id = ? AND created_at >= ?",
            (user_id, since),
        ).fetchone()
        return int(row[0])

    def find_by_email(self, email: str) -> list[int]:
        rows = self.conn.execute(
            "SELECT id FROM user WHERE lower(email) = lower(?) ORDER BY id", (email,)
        )
        return [r["id"] for r in rows]

    def set_reminder_days(self, consultation_id: int, days_before: int | None) -> None:
        if days_before is None:
            self.conn.execute(
                "DELETE FROM consultation_reminder WHERE consultation_id = ?", (consultation_id,)
            )
            return
        self.conn.execute(
            "INSERT INTO consultation_reminder (consultation_id, days_before) VALUES (?, ?)"
            " ON CONFLICT (consultation_id) DO UPDATE SET days_before = excluded.days_before",
            (consultation_id, days_before),
        )

    def reminder_days(self) -> dict[int, int]:
        rows = self.conn.execute("SELECT consultation_id, days_before FROM consultation_reminder")
        return {r[0]: r[1] for r in rows}

    def mark_scheduled(self, key: str, *, now: str) -> bool:
        cursor = self.conn.execute(
            "INSERT INTO mail_schedule (key, queued_at) VALUES (?, ?) ON CONFLICT DO NOTHING",
            (key, now),
        )
        return cursor.rowcount == 1

    def activity_since(self, since: str) -> list[tuple[int, int, int]]:
        rows = self.conn.execute(
            "SELECT c.id,"
            " (SELECT count(*) FROM submission s WHERE s.consultation_id = c.id"
            "  AND s.submitted_at >= :since),"
            " (SELECT count(*) FROM comment m WHERE m.consultation_id = c.id"
            "  AND m.created_at >= :since)"
            " FROM consultation c ORDER BY c.id",
            {"since": since},
        )
        return [(r[0], r[1], r[2]) for r in rows if r[1] or r[2]]
