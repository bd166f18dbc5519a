"""Deadlines and the end of a consultation: extending the deadline for every unit or for one,
closing (after a confirmation page that says what will happen) and reopening."""

from __future__ import annotations

from dataclasses import dataclass

from .. import consulting, notices
from ..errors import N_, Conflict, InvalidInput, NotFound
from ..model import Consultation, Unit, User
from ..model_followup import DeadlineChange
from ..notices import Site
from ..storage import Store
from .consultations import to_utc
from .rules import audit, require_organizer


def _later_than(new: str, old: str, now: str) -> None:
    if consulting.moment(new) <= consulting.moment(now):
        raise InvalidInput(N_("The new deadline must be in the future."))
    if consulting.moment(new) <= consulting.moment(old):
        raise InvalidInput(N_("The new deadline must come after the current one."))


def extend_deadline(
    store: Store,
    user: User,
    consultation_id: int,
    *,
    deadline: str,
    unit_id: int | None,
    zone: str,
    now: str,
    send: Site | None = None,
) -> str:
    """Move the deadline later, for every unit (`unit_id` None) or for one invited unit only;
    `deadline` is typed in `zone`.  Return the new deadline as stored (UTC)."""
    require_organizer(user)
    new = to_utc(deadline, N_("deadline"), zone)
    with store.transaction():
        consultation = store.get_consultation(consultation_id)
        if consultation.closed_at:
            raise Conflict(N_("The consultation is closed: reopen it with a new deadline."))
        if unit_id is None:
            old = consultation.deadline
            _later_than(new, old, now)
            store.set_deadline(consultation_id, new)
            details = f"{old} → {new}"
        else:
            if not store.is_invited(consultation_id, unit_id):
                raise NotFound(N_("There is no unit %(id)s in this consultation."), id=unit_id)
            unit = store.get_unit(unit_id)
            old = consulting.unit_deadline(store, consultation, unit_id)
            _later_than(new, old, now)
            store.set_unit_deadline(consultation_id, unit_id, new)
            details = f"{unit.name}: {old} → {new}"
        store.add_deadline_change(
            consultation_id, unit_id, old=old, new=new, reopened=False, user_id=user.id, now=now
        )
        audit(store, user, "consultation.extend", consultation_id, now, details)
        if send is not None:
            notices.deadline_extended(
                store, send, store.get_consultation(consultation_id), deadline=new,
                unit_ids=None if unit_id is None else [unit_id], now=now,
            )  # fmt: skip
    return new


def reopen_consultation(
    store: Store,
    user: User,
    consultation_id: int,
    *,
    deadline: str,
    zone: str,
    now: str,
    send: Site | None = None,
) -> str:
    """Reopen a closed consultation until a new deadline (typed in `zone`, in the future);
    return it as stored.  Submitted responses stay submitted."""
    require_organizer(user)
    new = to_utc(deadline, N_("deadline"), zone)
    if consulting.moment(new) <= consulting.moment(now):
        raise InvalidInput(N_("The new deadline must be in the future."))
    with store.transaction():
        consultation = store.get_consultation(consultation_id)
        if not consultation.closed_at:
            raise Conflict(N_("The consultation is not closed."))
        store.reopen_consultation(consultation_id, new)
        store.add_deadline_change(
            consultation_id, None, old=consultation.deadline, new=new, reopened=True,
            user_id=user.id, now=now,
        )  # fmt: skip
        audit(store, user, "consultation.reopen", consultation_id, now, new)
        if send is not None:  # a reopening announces the new deadline too
            notices.deadline_extended(
                store, send, store.get_consultation(consultation_id), deadline=new, now=now
            )
    return new


@dataclass(frozen=True)
class Deadlines:
    """A consultation's deadlines: every invited unit with its effective deadline and state,
    and the history of changes."""

    consultation: Consultation
    phase: str
    units: list[tuple[Unit, str, consulting.UnitState]]
    changes: list[DeadlineChange]


def deadlines(store: Store, user: User, consultation_id: int, now: str) -> Deadlines:
    """Return what the deadline page and the close confirmation page show: for each unit its
    effective deadline and where its response stands, and every change made so far."""
    require_organizer(user)
    consultation = store.get_consultation(consultation_id)
    units = []
    for item in store.unit_progress(consultation_id):
        effective = consultation.deadline
        if item.deadline and consulting.moment(item.deadline) > consulting.moment(effective):
            effective = item.deadline
        units.append((item.unit, effective, consulting.state_of(item.live_comments, item.latest)))
    return Deadlines(
        consultation,
        consulting.phase(consultation, now),
        units,
        store.list_deadline_changes(consultation_id),
    )
