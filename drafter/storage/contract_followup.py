"""The store contract for what follows the comments: deadlines per unit and reopening, the
publication of answers to units, and answer templates (joined into
:class:`drafter.storage.contract.Store`)."""

from __future__ import annotations

from typing import Protocol

from ..model_followup import AnswerTemplate, DeadlineChange


class FollowUpStore(Protocol):
    """Deadlines, reopening, answer publication and answer templates."""

    def unit_deadline(self, consultation_id: int, unit_id: int) -> str | None:
        """Return a unit's own later deadline in a consultation, or None."""
        ...

    def set_unit_deadline(self, consultation_id: int, unit_id: int, deadline: str) -> None:
        """Give an invited unit its own deadline."""
        ...

    def set_deadline(self, consultation_id: int, deadline: str) -> None:
        """Move the deadline of a consultation (for every unit)."""
        ...

    def reopen_consultation(self, consultation_id: int, deadline: str) -> None:
        """Reopen a closed consultation until `deadline`."""
        ...

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
        """Record a deadline moved (`unit_id` None: every unit's) or a reopening."""
        ...

    def list_deadline_changes(self, consultation_id: int) -> list[DeadlineChange]:
        """Return a consultation's deadline changes, oldest first."""
        ...

    def publish_answers(
        self, consultation_id: int, user_id: int, *, unit_id: int | None = None, now: str
    ) -> int:
        """Publish the latest answer of every comment (of one unit, when given) whose latest
        answer is not published yet; return how many were published."""
        ...

    def unpublished_answers(self, consultation_id: int) -> dict[int, int]:
        """Return, per unit id, how many comments have a latest answer not yet published."""
        ...

    def add_answer_template(
        self, title: str, text: str, status: str | None, user_id: int, *, now: str
    ) -> int:
        """Store an answer template; return its id."""
        ...

    def list_answer_templates(self) -> list[AnswerTemplate]:
        """Return every answer template, by title."""
        ...

    def get_answer_template(self, template_id: int) -> AnswerTemplate:
        """Return one answer template."""
        ...

    def delete_answer_template(self, template_id: int) -> None:
        """Remove an answer template."""
        ...
