"""Exports that take a while, run in the background: an organizer asks for one (a job is
queued, or the one already waiting is reused), a worker thread of the serving process claims
it under the write lock (two workers, in one process or several, never run the same job),
reports its progress as it goes, and keeps the file or the error; the organizer's page shows
the progress and, when it is ready, the download.

Small consultations' exports stay immediate: an export runs as a job only when the
consultation has more than ``EXPORT_SYNC_LIMIT`` submitted comments."""

from __future__ import annotations

import json
import sys
import threading
import traceback
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from . import exports
from .errors import N_, DrafterError, NotFound
from .model import Consultation, User
from .model_jobs import ExportJob
from .organizing.rules import audit, require_organizer
from .storage import Store, open_store

#: The exports that may take minutes; the others are always made at once.
BACKGROUND = ("consolidated.docx", "by-unit.zip", "summary.docx")
LEASE = timedelta(hours=2)  # longer than any export: a worker that died frees its job then
FAILED = N_("The file could not be made. Try again; tell the administrator if it fails again.")


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


@dataclass(frozen=True)
class Offer:
    """A long export of a large consultation, to be prepared in the background."""

    consultation: Consultation
    name: str
    comments: int  # submitted comments
    waiting: ExportJob | None  # the job already asked for, if any


def immediate_file(
    store: Store,
    user: User,
    consultation_id: int,
    name: str,
    *,
    zone: str,
    limit: int,
    body: str = "",
) -> exports.Download | Offer:
    """Return export `name` of a consultation made now, or, when it is one of the long kinds
    on more than `limit` submitted comments (one aggregate query), the Offer to prepare it
    in the background."""
    require_organizer(user)
    if name in BACKGROUND:
        consultation = store.get_consultation(consultation_id)
        comments = sum(f.count for f in store.kind_counts(consultation_id))
        if comments > limit:
            waiting = store.pending_export_job(consultation_id, name)
            return Offer(consultation, name, comments, waiting)
    return exports.consultation_file(store, user, consultation_id, name, zone=zone, body=body)


def request_export(store: Store, user: User, consultation_id: int, name: str, now: str) -> int:
    """Queue export `name` of a consultation (or return the job already waiting for it);
    return the job's id."""
    require_organizer(user)
    if name not in BACKGROUND:
        raise NotFound(N_("There is no export called “%(name)s”."), name=name)
    with store.transaction():
        store.get_consultation(consultation_id)
        waiting = store.pending_export_job(consultation_id, name)
        if waiting is not None:
            return waiting.id
        job_id = store.add_export_job(consultation_id, name, user.id, now=now)
        audit(store, user, "export.request", consultation_id, now, details=name)
    return job_id


def job(store: Store, user: User, job_id: int) -> ExportJob:
    """Return an export job, for an organizer."""
    require_organizer(user)
    return store.get_export_job(job_id)


def recent_jobs(store: Store, user: User, consultation_id: int) -> list[ExportJob]:
    """Return a consultation's latest export jobs, newest first, for an organizer."""
    require_organizer(user)
    return store.list_export_jobs(consultation_id)


def job_file(store: Store, user: User, job_id: int) -> exports.Download:
    """Return the file of a finished job."""
    found = job(store, user, job_id)
    data = store.export_job_data(job_id) if found.ready else None
    if data is None or not found.file_name:
        raise NotFound(N_("This file is not ready."))
    return exports.Download(data, found.file_name, found.file_title)


def error_of(found: ExportJob) -> DrafterError | None:
    """Return a failed job's error, to show in the reader's language."""
    if found.error is None:
        return None
    try:
        stored = json.loads(found.error)
        return DrafterError(stored["template"], **stored.get("params", {}))
    except (ValueError, KeyError, TypeError):
        return DrafterError(FAILED)


def run_next(store: Store, *, zone: str, body: str = "", claimer: str | None = None) -> int | None:
    """Claim the oldest waiting job and run it (the consulting `body` is the author of its
    file); return its id, or None when none waits."""
    claimer = claimer or uuid.uuid4().hex
    now = _now()
    with store.transaction(serialized=False):  # the claim guards its rows (SKIP LOCKED)
        found = store.claim_export_job(
            claimer, now=now.isoformat(), until=(now + LEASE).isoformat()
        )
    if found is None:
        return None

    def progress(done: int, total: int) -> None:
        with store.transaction():
            store.export_job_progress(found.id, claimer, done=done, total=total)

    asker = store.get_user(found.requested_by)
    try:
        made = exports.consultation_file(
            store,
            asker,
            found.consultation_id,
            found.name,
            zone=zone,
            body=body,
            progress=progress,
        )
    except Exception as exc:  # noqa: BLE001 - the job ends with the reason, the worker goes on
        if isinstance(exc, DrafterError) and exc.template:
            params = {k: v for k, v in exc.params.items() if isinstance(v, str | int)}
            error = {"template": exc.template, "params": params}
        else:
            print(f"drafter: export job {found.id} failed:", file=sys.stderr)
            traceback.print_exc()
            error = {"template": FAILED}
        with store.transaction():
            store.finish_export_job(
                found.id, claimer, now=_now().isoformat(), error=json.dumps(error)
            )
        return found.id
    with store.transaction():
        if store.finish_export_job(
            found.id, claimer, now=_now().isoformat(), file_name=made.name,
            file_title=made.title, data=made.data,
        ):  # fmt: skip
            store.add_audit(
                asker.id, "export.ready", f"consultation {found.consultation_id}",
                now=_now().isoformat(), consultation_id=found.consultation_id,
                details=f"{found.name} (job {found.id})",
            )  # fmt: skip
    return found.id


class ExportWorker:
    """A daemon thread that runs waiting export jobs one after the other, looking for new
    ones every `poll` seconds, on its own connection; `stop()` ends it between two jobs."""

    def __init__(self, database: str, zone: str, *, body: str = "", poll: float = 1.0) -> None:
        self.database, self.zone, self.body, self.poll = database, zone, body, poll
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="drafter-exports", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 10) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def _run(self) -> None:
        store: Store | None = None
        while not self._stop.is_set():
            try:
                if store is None:
                    store = open_store(self.database, migrate=False)
                while (
                    not self._stop.is_set()
                    and run_next(store, zone=self.zone, body=self.body) is not None
                ):
                    pass
            except Exception:  # noqa: BLE001  (the thread must outlive any one failure)
                print("drafter: the export worker failed; it tries again.", file=sys.stderr)
                traceback.print_exc()
                if store is not None:
                    store.close()
                    store = None
            self._stop.wait(self.poll)
        if store is not None:
            store.close()
