"""SQLite queries changing units and accounts, and of roster files waiting for confirmation."""

from __future__ import annotations

from ...errors import N_, NotFound
from ...model import PendingUpload
from .connection import Connected, _id


class PeopleQueries(Connected):
    """The SQLite :class:`drafter.storage.people_contract.PeopleStore`."""

    def update_unit(self, unit_id: int, *, name: str, kind: str) -> None:
        self.conn.execute("UPDATE unit SET name = ?, kind = ? WHERE id = ?", (name, kind, unit_id))

    def set_unit_disabled(self, unit_id: int, disabled_at: str | None) -> None:
        self.conn.execute("UPDATE unit SET disabled_at = ? WHERE id = ?", (disabled_at, unit_id))

    def update_user(
        self,
        user_id: int,
        *,
        display_name: str,
        email: str | None,
        is_lead: bool,
        unit_id: int | None,
    ) -> None:
        self.conn.execute(
            "UPDATE user SET display_name = ?, email = ?, is_lead = ?, unit_id = ? WHERE id = ?",
            (display_name, email, int(is_lead), unit_id, user_id),
        )

    def set_user_language(self, user_id: int, language: str) -> None:
        self.conn.execute("UPDATE user SET language = ? WHERE id = ?", (language, user_id))

    def add_pending_roster(self, user_id: int, name: str, data: bytes, *, now: str) -> int:
        return _id(
            self.conn.execute(
                "INSERT INTO pending_roster (user_id, name, data, created_at) VALUES (?, ?, ?, ?)",
                (user_id, name, data, now),
            )
        )

    def get_pending_roster(self, roster_id: int, user_id: int) -> PendingUpload:
        row = self.conn.execute(
            "SELECT * FROM pending_roster WHERE id = ? AND user_id = ?", (roster_id, user_id)
        ).fetchone()
        if row is None:
            raise NotFound(N_("There is no pending roster file %(id)s."), id=roster_id)
        return PendingUpload(
            row["id"], row["user_id"], None, row["name"], bytes(row["data"]), "",
            row["created_at"],
        )  # fmt: skip

    def delete_pending_roster(self, roster_id: int) -> None:
        self.conn.execute("DELETE FROM pending_roster WHERE id = ?", (roster_id,))
