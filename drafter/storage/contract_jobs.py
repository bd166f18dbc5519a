"""The store contract for background export jobs (joined into
:class:`drafter.storage.contract.Store`).  A job is claimed by one statement under the write
lock (SQLite's BEGIN IMMEDIATE; on PostgreSQL ``FOR UPDATE SKIP LOCKED``), so that two
workers, in one process or several, never run the same job."""

from __future__ import annotations

from typing import Protocol

from ..model_jobs import ExportJob


class ExportJobStore(Protocol):
    """Export jobs: asked for, claimed, advanced, finished."""

    def add_export_job(self, consultation_id: int, name: str, user_id: int, *, now: str) -> int:
        """Queue an export; return the job's id."""
        ...

    def pending_export_job(self, consultation_id: int, name: str) -> ExportJob | None:
        """Return the newest job of this export that has not finished, if any."""
        ...

    def claim_export_job(self, claimer: str, *, now: str, until: str) -> ExportJob | None:
        """Take the oldest unfinished job nobody holds (or whose holder's lease ran out) for
        `claimer` until `until`; return it, or None when there is none.  In a transaction."""
        ...

    def export_job_progress(self, job_id: int, claimer: str, *, done: int, total: int) -> bool:
        """Record a job's progress; False when `claimer` no longer holds it."""
        ...

    def finish_export_job(
        self,
        job_id: int,
        claimer: str,
        *,
        now: str,
        file_name: str | None = None,
        file_title: str | None = None,
        data: bytes | None = None,
        error: str | None = None,
    ) -> bool:
        """End a job with its file, or its `error`; False when `claimer` no longer holds it."""
        ...

    def get_export_job(self, job_id: int) -> ExportJob:
        """Return a job (without its file); NotFound when there is none."""
        ...

    def export_job_data(self, job_id: int) -> bytes | None:
        """Return a finished job's file."""
        ...

    def list_export_jobs(self, consultation_id: int, *, limit: int = 10) -> list[ExportJob]:
        """Return a consultation's latest jobs, newest first."""
        ...
