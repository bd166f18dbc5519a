"""What every organizer use case checks first, and how it records what it did."""

from __future__ import annotations

from ..errors import N_, Forbidden
from ..model import User
from ..storage import Store


def require_organizer(user: User) -> None:
    """Refuse anyone but an organizer (403)."""
    if not user.is_organizer:
        raise Forbidden(N_("Only organizers can do this."))


def audit(
    store: Store, user: User, action: str, consultation_id: int, now: str, details: str = ""
) -> None:
    """Record an organizer's change to a consultation (inside the caller's transaction)."""
    store.add_audit(
        user.id,
        action,
        f"consultation {consultation_id}",
        now=now,
        consultation_id=consultation_id,
        details=details,
    )
