"""SQLite queries of accounts: units, users, sessions, invitations, sign-in failures."""

from __future__ import annotations

import sqlite3

from ...errors import N_, NotFound
from ...model import Credentials, Invitation, LoginFailures, Unit, User
from .connection import Connected, _id


def _user(row: sqlite3.Row) -> User:
    return User(
        row["id"],
        row["username"],
        row["display_name"],
        row["role"],
        row["unit_id"],
        bool(row["is_lead"]),
        row["password_hash"] is not None,
        row["disabled_at"] is not None,
        row["email"],
        row["language"],
    )


def _unit(row: sqlite3.Row) -> Unit:
    return Unit(row["id"], row["code"], row["name"], row["kind"], row["disabled_at"] is not None)


class AccountQueries(Connected):
    """The accounts part of :class:`drafter.storage.contract.AccountStore`."""

    def create_unit(self, code: str, name: str, kind: str) -> int:
        return _id(
            self.conn.execute(
                "INSERT INTO unit (code, name, kind) VALUES (?, ?, ?)", (code, name, kind)
            )
        )

    def get_unit(self, unit_id: int) -> Unit:
        row = self.conn.execute("SELECT * FROM unit WHERE id = ?", (unit_id,)).fetchone()
        if row is None:
            raise NotFound(N_("There is no unit %(id)s."), id=unit_id)
        return _unit(row)

    def find_unit(self, code: str) -> Unit | None:
        row = self.conn.execute("SELECT * FROM unit WHERE code = ?", (code,)).fetchone()
        return _unit(row) if row else None

    def list_units(self) -> list[Unit]:
        rows = self.conn.execute("SELECT * FROM unit ORDER BY name")
        return [_unit(r) for r in rows]

    def create_user(
        self,
        username: str,
        display_name: str,
        role: str,
        *,
        unit_id: int | None = None,
        is_lead: bool = False,
        password_hash: str | None = None,
        email: str | None = None,
        language: str = "vi",
        now: str,
    ) -> int:
        return _id(
            self.conn.execute(
                "INSERT INTO user (username, display_name, password_hash, role, unit_id, is_lead, "
                "email, language, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    username,
                    display_name,
                    password_hash,
                    role,
                    unit_id,
                    int(is_lead),
                    email,
                    language,
                    now,
                ),  # fmt: skip
            )
        )

    def get_user(self, user_id: int) -> User:
        row = self.conn.execute("SELECT * FROM user WHERE id = ?", (user_id,)).fetchone()
        if row is None:
            raise NotFound(N_("There is no user %(id)s."), id=user_id)
        return _user(row)

    def find_login(self, username: str) -> Credentials | None:
        row = self.conn.execute("SELECT * FROM user WHERE username = ?", (username,)).fetchone()
        return Credentials(_user(row), row["password_hash"]) if row else None

    def list_users(self, unit_id: int | None = None) -> list[User]:
        if unit_id is None:
            rows = self.conn.execute("SELECT * FROM user ORDER BY role DESC, display_name")
        else:
            rows = self.conn.execute(
                "SELECT * FROM user WHERE unit_id = ? ORDER BY is_lead DESC, display_name",
                (unit_id,),
            )
        return [_user(r) for r in rows]

    def session_epoch(self, user_id: int) -> int:
        row = self.conn.execute(
            "SELECT session_epoch FROM user WHERE id = ?", (user_id,)
        ).fetchone()
        return row[0] if row else -1

    def end_sessions(self, user_id: int) -> None:
        """Invalidate every session of the account (signing out, a new password)."""
        self.conn.execute(
            "UPDATE user SET session_epoch = session_epoch + 1 WHERE id = ?", (user_id,)
        )

    def set_password(self, user_id: int, password_hash: str) -> None:
        self.conn.execute(
            "UPDATE user SET password_hash = ? WHERE id = ?", (password_hash, user_id)
        )

    def set_disabled(self, user_id: int, disabled_at: str | None) -> None:
        """Disable an account from `disabled_at` (None: enable it again)."""
        self.conn.execute("UPDATE user SET disabled_at = ? WHERE id = ?", (disabled_at, user_id))

    def add_invitation(self, user_id: int, token_hash: str, *, now: str, expires_at: str) -> None:
        self.conn.execute(
            "INSERT INTO invitation (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
            (token_hash, user_id, now, expires_at),
        )

    def get_invitation(self, token_hash: str) -> Invitation | None:
        """Return a live (not revoked) invitation by its token's hash, or None."""
        row = self.conn.execute(
            "SELECT user_id, expires_at, used_at FROM invitation WHERE token_hash = ? "
            "AND revoked_at IS NULL",
            (token_hash,),
        ).fetchone()
        return Invitation(row["user_id"], row["expires_at"], row["used_at"]) if row else None

    def use_invitation(self, token_hash: str, *, now: str) -> bool:
        """Mark an unused invitation used; return False if it was already used."""
        cursor = self.conn.execute(
            "UPDATE invitation SET used_at = ? WHERE token_hash = ? AND used_at IS NULL "
            "AND revoked_at IS NULL",
            (now, token_hash),
        )
        return cursor.rowcount == 1

    def revoke_invitations(self, user_id: int, *, now: str) -> int:
        """Revoke every unused invitation of an account; return how many."""
        return self.conn.execute(
            "UPDATE invitation SET revoked_at = ? WHERE user_id = ? AND used_at IS NULL "
            "AND revoked_at IS NULL",
            (now, user_id),
        ).rowcount

    def add_login_failure(
        self, username: str, address: str, *, now: str, trusted: bool = False
    ) -> None:
        self.conn.execute(
            "INSERT INTO login_failure (username, address, at, trusted) VALUES (?, ?, ?, ?)",
            (username, address, now, int(trusted)),
        )

    def login_failures(
        self, *, username: str, address: str, since: str, trusted: bool = False
    ) -> LoginFailures:
        """Return the failed sign-ins since `since` for this account from this address, and
        from this address for any account; only those from trusted browsers when `trusted`,
        only the others when not."""
        pair = self.conn.execute(
            "SELECT COUNT(*), MAX(at) FROM login_failure WHERE username = ? AND address = ? "
            "AND at >= ? AND trusted = ?",
            (username, address, since, int(trusted)),
        ).fetchone()
        by_address = self.conn.execute(
            "SELECT COUNT(*), MAX(at) FROM login_failure WHERE address = ? AND at >= ? "
            "AND trusted = ?",
            (address, since, int(trusted)),
        ).fetchone()
        return LoginFailures(pair[0], pair[1], by_address[0], by_address[1])

    def clear_login_failures_from(self, username: str, address: str) -> None:
        """Forget the failures of an account from one address (after a right password)."""
        self.conn.execute(
            "DELETE FROM login_failure WHERE username = ? AND address = ?", (username, address)
        )
