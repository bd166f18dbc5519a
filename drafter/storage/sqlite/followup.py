"""SQLite queries of what follows the comments: a unit's own deadline, deadline changes and
reopening, publishing answers, answer templates."""

from __future__ import annotations

from ...errors import N_, NotFound
from ...model_followup import AnswerTemplate, DeadlineChange
from .connection import Connected, _id

#: The latest answer row of each comment of a consultation (of one unit, when bound).
_LATEST_ANSWERS = (
    "SELECT MAX(a.id) FROM answer a JOIN comment c ON c.id = a.comment_id "
    "WHERE c.consultation_id = ? {unit} GROUP BY a.comment_id"
)


class FollowUpQueries(Connected):
    """:class:`drafter.storage.contract_followup.FollowUpStore` on SQLite."""

    def unit_deadline(self, consultation_id: int, unit_id: int) -> str | None:
        row = self.conn.execute(
            "SELECT deadline FROM consultation_unit WHERE consultation_id = ? AND unit_id = ?",
            (consultation_id, unit_id),
        ).fetchone()
        return row[0] if row else None

    def set_unit_deadline(self, consultation_id: int, unit_id: int, deadline: str) -> None:
        self.conn.execute(
            "UPDATE consultation_unit SET deadline = ? WHERE consultation_id = ? AND unit_id = ?",
            (deadline, consultation_id, unit_id),
        )

    def set_deadline(self, consultation_id: int, deadline: str) -> None:
        self.conn.execute(
            "UPDATE consultation SET deadline = ? WHERE id = ?", (deadline, consultation_id)
        )

    def reopen_consultation(self, consultation_id: int, deadline: str) -> None:
        self.conn.execute(
            "UPDATE consultation SET closed_at = NULL, deadline = ? WHERE id = ?",
            (deadline, consultation_id),
        )

    def add_deadline_change(
        self,
        consultation_id: int,
        unit_id: int | None,
        *,
        old: str,
        new: str,
        reopened: bool,
        user_id: int,
        now: str,
    ) -> None:
        self.conn.execute(
            "INSERT INTO deadline_change (consultation_id, unit_id, old_deadline, new_deadline, "
            "reopened, changed_by, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (consultation_id, unit_id, old, new, int(reopened), user_id, now),
        )

    def list_deadline_changes(self, consultation_id: int) -> list[DeadlineChange]:
        rows = self.conn.execute(
            "SELECT d.old_deadline, d.new_deadline, u.name, d.reopened, w.display_name, "
            "d.changed_at FROM deadline_change d JOIN user w ON w.id = d.changed_by "
            "LEFT JOIN unit u ON u.id = d.unit_id WHERE d.consultation_id = ? ORDER BY d.id",
            (consultation_id,),
        )
        return [DeadlineChange(r[0], r[1], r[2], bool(r[3]), r[4], r[5]) for r in rows]

    def publish_answers(
        self, consultation_id: int, user_id: int, *, unit_id: int | None = None, now: str
    ) -> int:
        args: list[object] = [now, user_id, consultation_id]
        unit = ""
        if unit_id is not None:
            unit = "AND c.unit_id = ?"
            args.append(unit_id)
        cursor = self.conn.execute(
            "UPDATE answer SET published_at = ?, published_by = ? WHERE published_at IS NULL "
            f"AND id IN ({_LATEST_ANSWERS.format(unit=unit)})",
            args,
        )
        # Every latest answer of those units is published now (migration 0022's count).
        self.conn.execute(
            "UPDATE consultation_unit SET unpublished_answers = 0 WHERE consultation_id = ? "
            f"{'AND unit_id = ?' if unit_id is not None else ''}",
            args[2:],
        )
        return cursor.rowcount

    def unpublished_answers(self, consultation_id: int) -> dict[int, int]:
        # Counted as answers are written and published (migration 0022), not by reading
        # every answer of the consultation.
        rows = self.conn.execute(
            "SELECT unit_id, unpublished_answers FROM consultation_unit "
            "WHERE consultation_id = ? AND unpublished_answers > 0",
            (consultation_id,),
        )
        return {r[0]: r[1] for r in rows}

    def add_answer_template(
        self, title: str, text: str, status: str | None, user_id: int, *, now: str
    ) -> int:
        return _id(
            self.conn.execute(
                "INSERT INTO answer_template (title, text, status, created_by, created_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (title, text, status, user_id, now),
            )
        )

    def list_answer_templates(self) -> list[AnswerTemplate]:
        rows = self.conn.execute(
            "SELECT id, title, text, status FROM answer_template ORDER BY title, id"
        )
        return [AnswerTemplate(r[0], r[1], r[2], r[3]) for r in rows]

    def get_answer_template(self, template_id: int) -> AnswerTemplate:
        row = self.conn.execute(
            "SELECT id, title, text, status FROM answer_template WHERE id = ?", (template_id,)
        ).fetchone()
        if row is None:
            raise NotFound(N_("There is no answer template %(id)s."), id=template_id)
        return AnswerTemplate(row[0], row[1], row[2], row[3])

    def delete_answer_template(self, template_id: int) -> None:
        self.conn.execute("DELETE FROM answer_template WHERE id = ?", (template_id,))
