"""The letters part of the store contract: units' signed letters attached to submissions."""

from __future__ import annotations

from typing import Protocol

from ..model_followup import Letter


class LetterStore(Protocol):
    """Letters (PDF or image) attached to a unit's submission."""

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
        """Attach a letter to a submission; return its id."""
        ...

    def list_letters(self, consultation_id: int, unit_id: int) -> list[Letter]:
        """Return the letters attached to a unit's submissions in a consultation, oldest first."""
        ...

    def get_letter(self, letter_id: int) -> tuple[Letter, int, bytes]:
        """Return a letter, the unit it came from, and its bytes (NotFound when unknown)."""
        ...
