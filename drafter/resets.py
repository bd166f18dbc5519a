"""Password reset by an e-mailed single-use link.

Asking never says whether an account exists (the same answer for any name or address);
the link is stored as its token's hash, lasts an hour, works once, and a new one revokes
the old.  An account is sent at most MAX_PER_HOUR links an hour, so that nobody can flood
its mailbox.  Setting the new password ends every other session of the account."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from . import notices
from .accounts import check_new_password, hash_password
from .errors import N_, NotFound
from .model import User
from .notices import Site
from .storage import Store

MINUTES = 60
MAX_PER_HOUR = 3
INVALID = N_("This reset link is not valid: it was used, it expired, or a newer one was sent.")


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def request_reset(store: Store, site: Site, name_or_email: str, *, address: str = "") -> None:
    """Queue a reset link to the account named (by user name or e-mail address), when it
    exists, has an address, is enabled and was not sent too many links this hour.  Returns
    nothing, whatever happened: the answer must not tell who has an account."""
    wanted = " ".join((name_or_email or "").split())[:320]
    if not wanted:
        return
    now = _now()
    with store.transaction():
        found = store.find_login(wanted)
        user_ids = [found.user.id] if found is not None else store.find_by_email(wanted)
        for user_id in user_ids:
            user = store.get_user(user_id)
            if not notices.reachable(user):
                continue
            since = (now - timedelta(hours=1)).isoformat()
            if store.count_password_resets(user.id, since=since) >= MAX_PER_HOUR:
                store.add_audit(
                    None, "password.reset-throttled", f"user {user.id}", now=now.isoformat(),
                    details=address,
                )  # fmt: skip
                continue
            token = secrets.token_urlsafe(24)
            store.revoke_password_resets(user.id, now=now.isoformat())
            store.add_password_reset(
                user.id,
                _hash(token),
                now=now.isoformat(),
                expires_at=(now + timedelta(minutes=MINUTES)).isoformat(),
            )
            notices.password_reset(store, site, user, token, minutes=MINUTES, now=now.isoformat())
            store.add_audit(
                None, "password.reset-request", f"user {user.id}", now=now.isoformat(),
                details=address,
            )  # fmt: skip


def reset_user(store: Store, token: str) -> User:
    """Return the account of a live, unused, unexpired reset link, or raise NotFound."""
    found = store.get_password_reset(_hash(token))
    if (
        found is None
        or found.used_at is not None
        or datetime.fromisoformat(found.expires_at) <= _now()
    ):
        raise NotFound(INVALID)
    user = store.get_user(found.user_id)
    if user.disabled:
        raise NotFound(INVALID)
    return user


def reset_password(store: Store, token: str, password: str, confirm: str) -> User:
    """Set a new password through a reset link, spend the link, end every other session."""
    user = reset_user(store, token)
    check_new_password(password, confirm, username=user.username)
    now = _now().isoformat()
    with store.transaction():
        if not store.use_password_reset(_hash(token), now=now):
            raise NotFound(INVALID)
        store.set_password(user.id, hash_password(password))
        store.end_sessions(user.id)
        store.add_audit(user.id, "password.reset", f"user {user.id}", now=now)
    return store.get_user(user.id)
