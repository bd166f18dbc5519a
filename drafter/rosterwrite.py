"""Writing a checked roster (:mod:`drafter.roster`) inside the caller's transaction: units and
accounts created or updated, units invited to a consultation, invitation links, audit rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from . import accounts, notices
from .model import User
from .notices import Site
from .storage import Store

if TYPE_CHECKING:
    from .roster import Preview

NEW_UNIT_KIND = "province"


@dataclass(frozen=True)
class Result:
    """What an import wrote: counts, the units newly invited to the consultation, and the
    invitation links (account, token) made for new delegates without a password."""

    units_created: int = 0
    units_updated: int = 0
    delegates_created: int = 0
    delegates_updated: int = 0
    units_invited: int = 0
    invitations: list[tuple[User, str]] = field(default_factory=list)


def write_roster(
    store: Store,
    preview: Preview,
    *,
    actor: int | None,
    consultation_id: int | None,
    invite: bool,
    now: str,
    send: Site | None = None,
) -> Result:
    """Write a checked roster (inside the caller's transaction), with its audit rows; with
    `send` (where links point), the new delegates' invitations are also e-mailed."""
    counts = {"units_created": 0, "units_updated": 0, "delegates_created": 0}
    counts["delegates_updated"] = 0
    unit_ids: dict[str, int] = {}
    new_delegates: list[int] = []
    for line in preview.lines:
        unit = store.find_unit(line.unit_code)
        if unit is None:
            unit_id = store.create_unit(line.unit_code, line.unit_name, NEW_UNIT_KIND)
            store.add_audit(actor, "unit.create", f"unit {unit_id}", now=now,
                            details=f"{line.unit_name} (roster {preview.name})")  # fmt: skip
            counts["units_created"] += 1
        else:
            unit_id = unit.id
            if line.unit_action == "update":
                store.update_unit(unit_id, name=line.unit_name, kind=unit.kind)
                store.add_audit(actor, "unit.update", f"unit {unit_id}", now=now,
                                details=f"{unit.name} → {line.unit_name}")  # fmt: skip
                counts["units_updated"] += 1
        unit_ids.setdefault(line.unit_code, unit_id)
        if line.delegate_action == "create":
            user_id = store.create_user(
                line.username, line.full_name, "delegate", unit_id=unit_id,
                is_lead=line.role == "lead", email=line.email, now=now,
            )  # fmt: skip
            store.add_audit(actor, "delegate.create", f"user {user_id}", now=now,
                            details=f"{line.username} ({line.role}), unit {unit_id}")  # fmt: skip
            counts["delegates_created"] += 1
            new_delegates.append(user_id)
        elif line.delegate_action == "update":
            found = store.find_login(line.username)
            assert found is not None  # checked in this transaction
            user = found.user
            store.update_user(
                user.id,
                display_name=line.full_name or user.display_name,
                email=line.email if line.email is not None else user.email,
                is_lead=line.role == "lead",
                unit_id=unit_id,
            )
            store.add_audit(actor, "delegate.update", f"user {user.id}", now=now,
                            details=f"{line.username} (roster {preview.name})")  # fmt: skip
            counts["delegates_updated"] += 1
    invited = 0
    if consultation_id is not None:
        for code, unit_id in unit_ids.items():
            if not store.is_invited(consultation_id, unit_id):
                store.invite_unit(consultation_id, unit_id, now=now)
                store.add_audit(actor, "consultation.invite", f"consultation {consultation_id}",
                                now=now, consultation_id=consultation_id, details=code)  # fmt: skip
                invited += 1
    invitations = (
        invite_new_delegates(store, new_delegates, actor=actor, now=now, send=send)
        if invite
        else []
    )
    store.add_audit(
        actor,
        "roster.import",
        "roster",
        now=now,
        consultation_id=consultation_id,
        details=f"{preview.name}: " + ", ".join(f"{k} {v}" for k, v in counts.items()),
    )
    return Result(**counts, units_invited=invited, invitations=invitations)


def invite_new_delegates(
    store: Store, user_ids: list[int], *, actor: int | None, now: str, send: Site | None = None
) -> list[tuple[User, str]]:
    """Return (account, invitation token) for each of these accounts that has no password,
    making their single-use links; inside the caller's transaction, with audit rows.  With
    `send`, each link is also queued as e-mail (to those with an address), in the same
    transaction."""
    made = []
    for user_id in user_ids:
        user = store.get_user(user_id)
        if user.has_password or user.disabled:
            continue
        store.revoke_invitations(user_id, now=now)
        token = accounts.issue_invitation(store, user_id, now=now)
        store.add_audit(actor, "invitation.create", f"user {user_id}", now=now)
        if send is not None:
            notices.invitation(store, send, user, token, days=accounts.INVITATION_DAYS, now=now)
        made.append((user, token))
    return made
