"""The records of a consultation's follow-up: a unit's letters, deadline changes and answer
templates (core: imports nothing of drafter)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Letter:
    """A unit's signed and stamped letter (PDF or image) attached to its submission."""

    id: int
    submission_id: int
    name: str
    content_type: str
    size: int
    added_by: str
    added_at: str


@dataclass(frozen=True)
class DeadlineChange:
    """A deadline moved (for every unit when ``unit_name`` is None), or a reopening."""

    old_deadline: str
    new_deadline: str
    unit_name: str | None
    reopened: bool
    changed_by: str
    changed_at: str


@dataclass(frozen=True)
class AnswerTemplate:
    """A short answer text organizers reuse, with the status it suggests (or None)."""

    id: int
    title: str
    text: str
    status: str | None
