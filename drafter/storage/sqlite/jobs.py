"""SQLite queries of the background export jobs."""

from __future__ import annotations

import sqlite3

from ...errors import N_, NotFound
from ...model_jobs import ExportJob
from .connection import Connected, _id

_COLUMNS = (
    "id, consultation_id, name, requested_by, requested_at, started_at, done, total, "
    "finished_at, error, file_name, file_title"
)


def _job(row: sqlite3.Row) -> ExportJob:
    return ExportJob(*(row[i] for i in range(12)))


class ExportJobQueries(Connected):
    """:class:`drafter.storage.contract_jobs.ExportJobStore` on SQLite."""

    def add_export_job(self, consultation_id: int, name: str, user_id: int, *, now: str) -> int:
        return _id(
            self.conn.execute(
                "INSERT INTO export_job (consultation_id, name, requested_by, requested_at) "
                "VALUES (?, ?, ?, ?)",
                (consultation_id, name, user_id, now),
            )
        )

    def pending_export_job(self, consultation_id: int, name: str) -> ExportJob | None:
        row = self.conn.execute(
            f"SELECT {_COLUMNS} FROM export_job WHERE consultation_id = ? AND name = ? "
            "AND finished_at IS NULL ORDER BY id DESC LIMIT 1",
            (consultation_id, name),
        ).fetchone()
        return _job(row) if row else None

    def claim_export_job(self, claimer: str, *, now: str, until: str) -> ExportJob | None:
        # One UPDATE under the write lock takes the job: two workers never both get it.  The
        # outer conditions repeat the inner ones, so that a database that re-checks a row
        # another transaction changed meanwhile (PostgreSQL) does not give it twice.
        self.conn.execute(
            "UPDATE export_job SET claimed_by = ?, claimed_until = ?, "
            "started_at = COALESCE(started_at, ?) WHERE id = ("
            " SELECT id FROM export_job WHERE finished_at IS NULL"
            " AND (claimed_until IS NULL OR claimed_until <= ?) ORDER BY id LIMIT 1)"
            " AND finished_at IS NULL AND (claimed_until IS NULL OR claimed_until <= ?)",
            (claimer, until, now, now, now),  # ? placeholders: the PostgreSQL dialect reads them
        )
        row = self.conn.execute(
            f"SELECT {_COLUMNS} FROM export_job WHERE claimed_by = ? AND finished_at IS NULL "
            "AND claimed_until = ? ORDER BY id LIMIT 1",
            (claimer, until),
        ).fetchone()
        return _job(row) if row else None

    def export_job_progress(self, job_id: int, claimer: str, *, done: int, total: int) -> bool:
        cursor = self.conn.execute(
            "UPDATE export_job SET done = ?, total = ? WHERE id = ? AND claimed_by = ? "
            "AND finished_at IS NULL",
            (done, total, job_id, claimer),
        )
        return cursor.rowcount == 1

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
        complete = "done = total, " if error is None else ""  # a failure keeps its progress
        cursor = self.conn.execute(
            "UPDATE export_job SET finished_at = ?, file_name = ?, file_title = ?, data = ?, "
            f"error = ?, {complete}claimed_until = NULL "
            "WHERE id = ? AND claimed_by = ? AND finished_at IS NULL",
            (now, file_name, file_title, data, error, job_id, claimer),
        )
        return cursor.rowcount == 1

    def get_export_job(self, job_id: int) -> ExportJob:
        row = self.conn.execute(
            f"SELECT {_COLUMNS} FROM export_job WHERE id = ?", (job_id,)
        ).fetchone()
        if row is None:
            raise NotFound(N_("There is no export %(id)s."), id=job_id)
        return _job(row)

    def export_job_data(self, job_id: int) -> bytes | None:
        row = self.conn.execute("SELECT data FROM export_job WHERE id = ?", (job_id,)).fetchone()
        return bytes(row[0]) if row and row[0] is not None else None

    def list_export_jobs(self, consultation_id: int, *, limit: int = 10) -> list[ExportJob]:
        rows = self.conn.execute(
            f"SELECT {_COLUMNS} FROM export_job WHERE consultation_id = ? ORDER BY id DESC LIMIT ?",
            (consultation_id, limit),
        )
        return [_job(r) for r in rows]
