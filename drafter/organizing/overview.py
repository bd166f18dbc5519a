"""What the organizer reads first: drafts, consultations and units; and the audit log."""

from __future__ import annotations

from dataclasses import dataclass

from .. import consulting
from ..model import AuditEntry, Consultation, Draft, Unit, User, Version
from ..storage import Store
from .rules import require_organizer


@dataclass(frozen=True)
class Overview:
    """Every draft with its versions, every consultation with its phase, every unit."""

    drafts: list[tuple[Draft, list[Version]]]
    consultations: list[tuple[Consultation, str]]
    units: list[Unit]


def overview(store: Store, user: User, now: str) -> Overview:
    """Return the organizer's home page contents."""
    require_organizer(user)
    return Overview(
        [(d, store.list_versions(d.id)) for d in store.list_drafts()],
        [(c, consulting.phase(c, now)) for c in store.list_consultations()],
        store.list_units(),
    )


def audit_log(
    store: Store, user: User, consultation_id: int | None = None
) -> tuple[Consultation | None, list[AuditEntry]]:
    """Return the latest audit entries (of one consultation, when given), newest first."""
    require_organizer(user)
    consultation = store.get_consultation(consultation_id) if consultation_id else None
    return consultation, store.list_audit(consultation_id=consultation_id)


def comment_place(store: Store, user: User, comment_id: int) -> tuple[int, str | None]:
    """Return the consultation and article key where an organizer reads a comment."""
    require_organizer(user)
    comment = store.get_comment(comment_id)
    return comment.consultation_id, comment.article_key
