"""Changing units and delegates after they exist: names, kinds, contacts, roles, and
deactivating or reactivating them (nothing is ever deleted: comments keep their authors)."""

from __future__ import annotations

from .accounts import check_email, clean_line
from .consulting import utc_now
from .errors import N_, InvalidInput
from .model import UNIT_KINDS, Unit, User
from .storage import Store


def _unit_fields(name: str, kind: str) -> tuple[str, str]:
    name = clean_line(name)
    if not name:
        raise InvalidInput(N_("A unit needs a code and a name."))
    if kind not in UNIT_KINDS:
        raise InvalidInput(N_("Choose the kind of unit."))
    return name, kind


def update_unit(
    store: Store, unit_id: int, name: str, kind: str, *, actor: int | None = None
) -> Unit:
    """Rename a unit and set its kind (its code stays: files and links use it); return it."""
    name, kind = _unit_fields(name, kind)
    with store.transaction():
        before = store.get_unit(unit_id)
        store.update_unit(unit_id, name=name, kind=kind)
        store.add_audit(
            actor,
            "unit.update",
            f"unit {unit_id}",
            now=utc_now(),
            details=f"{before.name} ({before.kind}) → {name} ({kind})",
        )
    return store.get_unit(unit_id)


def set_unit_disabled(
    store: Store, unit_id: int, disabled: bool, *, actor: int | None = None
) -> Unit:
    """Deactivate a unit (none of its delegates can sign in, their sessions end at their next
    request; the unit's comments, submissions and accounts stay as they are) or reactivate it
    (every delegate who was not disabled one by one can sign in again); return the unit."""
    now = utc_now()
    with store.transaction():
        store.get_unit(unit_id)
        store.set_unit_disabled(unit_id, now if disabled else None)
        store.add_audit(
            actor, "unit.disable" if disabled else "unit.enable", f"unit {unit_id}", now=now
        )
    return store.get_unit(unit_id)


def update_delegate(
    store: Store,
    user_id: int,
    *,
    display_name: str,
    email: str | None,
    is_lead: bool,
    unit_id: int,
    actor: int | None = None,
) -> User:
    """Set a delegate's full name, e-mail address, lead flag and unit; return the account.

    Moving a delegate to another unit keeps the comments they wrote with the unit they wrote
    them for (comments belong to units); from then on they write for the new unit."""
    display_name = clean_line(display_name)
    if not display_name:
        raise InvalidInput(N_("A delegate needs a user name and a full name."))
    email = check_email(email)
    with store.transaction():
        user = store.get_user(user_id)
        if user.is_organizer:
            raise InvalidInput(N_("Organizer accounts cannot be changed here."))
        store.get_unit(unit_id)
        store.update_user(
            user_id, display_name=display_name, email=email, is_lead=is_lead, unit_id=unit_id
        )
        store.add_audit(
            actor,
            "delegate.update",
            f"user {user_id}",
            now=utc_now(),
            details=_changes(user, display_name, email, is_lead, unit_id),
        )
    return store.get_user(user_id)


def _changes(user: User, name: str, email: str | None, is_lead: bool, unit_id: int) -> str:
    """Return what changed, for the audit log ("email a@x.vn → b@x.vn; lead")."""
    parts = []
    if name != user.display_name:
        parts.append(f"name {user.display_name} → {name}")
    if email != user.email:
        parts.append(f"email {user.email or '-'} → {email or '-'}")
    if is_lead != user.is_lead:
        parts.append("lead" if is_lead else "member")
    if unit_id != user.unit_id:
        parts.append(f"unit {user.unit_id} → {unit_id}")
    return "; ".join(parts) or "unchanged"


def set_language(store: Store, user: User, language: str) -> None:
    """Remember the language a signed-in user chose: their e-mail is written in it."""
    if language not in ("vi", "en"):
        raise InvalidInput(N_("Choose Vietnamese or English."))
    if user.language != language:
        with store.transaction():
            store.set_user_language(user.id, language)
