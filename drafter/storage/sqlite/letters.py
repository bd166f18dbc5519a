"""SQLite queries of the letters attached to submissions."""

from __future__ import annotations

import sqlite3

from ...errors import N_, NotFound
from ...model_followup import Letter
from .connection import Connected, _id

_LETTER = (
    "SELECT l.id, l.submission_id, l.name, l.content_type, l.size, u.display_name AS added_by, "
    "l.added_at, s.unit_id FROM submission_letter l JOIN submission s ON s.id = l.submission_id "
    "JOIN user u ON u.id = l.added_by"
)


def _letter(row: sqlite3.Row) -> Letter:
    return Letter(
        row["id"], row["submission_id"], row["name"], row["content_type"], row["size"],
        row["added_by"], row["added_at"],
    )  # fmt: skip


class LetterQueries(Connected):
    """The letters part of :class:`drafter.storage.contract_letters.LetterStore`."""

    def add_letter(
        self,
        submission_id: int,
        name: str,
        content_type: str,
        data: bytes,
        *,
        user_id: int,
        now: str,
    ) -> int:
        return _id(
            self.conn.execute(
                "INSERT INTO submission_letter (submission_id, name, content_type, data, size, "
                "added_by, added_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (submission_id, name, content_type, data, len(data), user_id, now),
            )
        )

    def list_letters(self, consultation_id: int, unit_id: int) -> list[Letter]:
        rows = self.conn.execute(
            f"{_LETTER} WHERE s.consultation_id = ? AND s.unit_id = ? ORDER BY l.id",
            (consultation_id, unit_id),
        )
        return [_letter(r) for r in rows]

    def get_letter(self, letter_id: int) -> tuple[Letter, int, bytes]:
        row = self.conn.execute(f"{_LETTER} WHERE l.id = ?", (letter_id,)).fetchone()
        if row is None:
            raise NotFound(N_("There is no letter %(id)s."), id=letter_id)
        data = self.conn.execute(
            "SELECT data FROM submission_letter WHERE id = ?", (letter_id,)
        ).fetchone()[0]
        return _letter(row), row["unit_id"], bytes(data)
