"""Claims of background work on PostgreSQL: the mail outbox and the export jobs, taken row by
row with ``SELECT … FOR UPDATE SKIP LOCKED`` and marked claimed by the same statement.

The shared SQLite claims rely on the write lock (one writer at a time); here two workers on two
hosts claim at the same moment without waiting for each other: each locks the rows it takes
and skips those another one holds, and a row whose claim another worker committed meanwhile is
checked again by PostgreSQL before it is locked (``claimed_until`` has moved: it is no longer
free).  The contract is SQLite's: a row is free when nobody holds it or its holder's lease
(``claimed_until``) has run out at `now`; the claimer holds it until `until`.  The use cases
run these in ``store.transaction(serialized=False)``: the short transaction of the claim alone,
without the write lock."""

from __future__ import annotations

from ...model_jobs import ExportJob
from ...model_mail import QueuedMail
from ..sqlite.connection import Connected
from ..sqlite.jobs import _COLUMNS, _job
from ..sqlite.outbox import _queued

_FREE = "(claimed_until IS NULL OR claimed_until <= :now)"


class PostgresClaims(Connected):
    """The claims of :class:`~drafter.storage.contract_mail.OutboxStore` and
    :class:`~drafter.storage.contract_jobs.ExportJobStore`, without the write lock."""

    def claim_mail(
        self, claimer: str, *, now: str, until: str, due_only: bool = True, limit: int = 100
    ) -> list[QueuedMail]:
        due = " AND next_try_at <= :now" if due_only else ""
        rows = self.conn.execute(
            "UPDATE outbox SET claimed_by = :claimer, claimed_until = :until "
            "WHERE id IN (SELECT id FROM outbox WHERE sent_at IS NULL AND "
            f"{_FREE}{due} ORDER BY id LIMIT :limit FOR UPDATE SKIP LOCKED) "
            "RETURNING *",
            {"claimer": claimer, "until": until, "now": now, "limit": limit},
        ).fetchall()
        return sorted((_queued(r) for r in rows), key=lambda queued: queued.id)

    def claim_export_job(self, claimer: str, *, now: str, until: str) -> ExportJob | None:
        row = self.conn.execute(
            "UPDATE export_job SET claimed_by = :claimer, claimed_until = :until, "
            "started_at = COALESCE(started_at, :now) "
            "WHERE id = (SELECT id FROM export_job WHERE finished_at IS NULL AND "
            f"{_FREE} ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) "
            f"RETURNING {_COLUMNS}",
            {"claimer": claimer, "until": until, "now": now},
        ).fetchone()
        return _job(row) if row else None
