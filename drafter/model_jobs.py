"""A background export job as the store returns it (core: imports nothing of drafter)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ExportJob:
    """An export asked for by an organizer, run by a background worker: its progress (`done`
    of `total` steps, 0 of 0 while it waits), then its file or its error."""

    id: int
    consultation_id: int
    name: str  # consolidated.docx, by-unit.zip, summary.docx
    requested_by: int
    requested_at: str
    started_at: str | None
    done: int
    total: int
    finished_at: str | None
    error: str | None  # JSON {"template": English message, "params": {...}} when it failed
    file_name: str | None
    file_title: str | None

    @property
    def ready(self) -> bool:
        return self.finished_at is not None and self.error is None

    @property
    def failed(self) -> bool:
        return self.error is not None
