"""Accounts: password hashing, sign-in, organizers, delegates and their invitation links."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import UTC, datetime, timedelta

from werkzeug.security import check_password_hash, generate_password_hash

from . import notices, passwords
from .consulting import clean_text, utc_now
from .errors import N_, Conflict, InvalidInput, NotFound, TooManyAttempts
from .model import UNIT_KINDS, Unit, User
from .notices import Site
from .storage import Store

MIN_PASSWORD = passwords.MIN_LENGTH
INVITATION_DAYS = 14
# Checked against when the user is unknown, so that a wrong name costs as long as a wrong
# password and does not reveal which names exist.
_DUMMY_HASH = generate_password_hash("not-a-password-at-all")


def hash_password(password: str) -> str:
    """Return the scrypt hash of a password (werkzeug's default scheme)."""
    return generate_password_hash(password)


#: A unit code: 2 to 40 lowercase ASCII letters, digits and hyphens ("thai-nguyen"); a user
#: name: 3 to 40 ASCII letters, digits, dots, underscores and hyphens.  The forms' browser
#: `pattern` attributes (templates) say the same; the server is the one that decides.
UNIT_CODE = re.compile(r"[a-z0-9-]{2,40}", re.ASCII)
USERNAME = re.compile(r"[A-Za-z0-9._-]{3,40}", re.ASCII)
EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s.]+(\.[^@\s.]+)+")
ROLES = ("lead", "member")


def check_unit_code(code: str) -> str:
    """Return `code` trimmed and lower-cased if it is a valid unit code; raise InvalidInput
    saying what a code may hold ("Bắc Giang" is refused, "bac-giang" is right)."""
    typed, code = code.strip(), code.strip().lower()
    if not UNIT_CODE.fullmatch(code):
        raise InvalidInput(
            N_(
                "The unit code “%(code)s” is not valid: use 2 to 40 lowercase letters without "
                "accents, digits and hyphens, such as “thai-nguyen”."
            ),
            code=typed[:60],
        )
    return code


def check_username(username: str) -> str:
    """Return `username` trimmed if it is a valid user name; raise InvalidInput saying what a
    user name may hold ("Nguyễn Văn A" is refused, "nguyen.van.a" is right)."""
    username = username.strip()
    if not USERNAME.fullmatch(username):
        raise InvalidInput(
            N_(
                "The user name “%(name)s” is not valid: use 3 to 40 letters without accents, "
                "digits, dots, underscores and hyphens, such as “nguyen.van.a”."
            ),
            name=username[:60],
        )
    return username


def check_email(email: str | None) -> str | None:
    """Return the e-mail address trimmed and lower-cased (None when blank); raise InvalidInput
    for one that cannot be an address."""
    email = (email or "").strip().lower()
    if not email:
        return None
    if len(email) > 254 or not EMAIL.fullmatch(email):
        raise InvalidInput(N_("The e-mail address “%(email)s” is not valid."), email=email[:80])
    return email


def check_new_password(password: str, confirm: str | None = None, *, username: str = "") -> str:
    """Return `password` if the policy (:mod:`drafter.passwords`) accepts it and `confirm`
    repeats it; raise InvalidInput saying why not."""
    passwords.check(password, username=username)
    if confirm is not None and password != confirm:
        raise InvalidInput(N_("The two passwords differ."))
    return password


#: Sign-in throttling.  Failures are counted per account *and* address: after FREE_TRIES
#: failures of one account from one address, each further try from there waits a delay
#: that doubles with every failure (15 s, 30 s, 1 min … at most 15 min), answered at once
#: with 429 and Retry-After (never by sleeping in a server thread).  An account is never
#: locked: the right password from another address always works.  One address that fails
#: for many accounts (password spraying) gets the same growing delays past
#: ADDRESS_FREE_TRIES.  Behind a reverse proxy, set TRUSTED_PROXIES so that the address is
#: the client's, not the proxy's.  A browser the account signed in from before carries a
#: device cookie (OWASP); its tries are counted apart, so that a stranger failing at the same
#: address (an office behind one NAT) never slows down the account's own browsers.
FREE_TRIES = 5
ADDRESS_FREE_TRIES = 100
FIRST_DELAY = 15  # seconds
MAX_DELAY = 15 * 60
#: Failures are remembered this long: longer than the longest delay, so that delays keep
#: growing instead of starting again once early failures are forgotten.
WINDOW = timedelta(hours=24)


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _wait(failures: int, free: int, last: str | None, now: datetime, step: int = 1) -> int:
    """Return the seconds still to wait after `failures` (0 when a try is allowed now)."""
    if failures < free or last is None:
        return 0
    delay = min(MAX_DELAY, FIRST_DELAY * 2 ** min(20, (failures - free) // step))
    remaining = datetime.fromisoformat(last) + timedelta(seconds=delay) - now
    return max(0, int(remaining.total_seconds() + 0.999))


def sign_in(
    store: Store, username: str, password: str, address: str, *, trusted_device: bool = False
) -> User | None:
    """Return the user if the password is right and the account is enabled, else None
    (recording the failure); raise TooManyAttempts while this account and address, or this
    address, must wait."""
    username = username.strip()[:200]
    now = _now()
    _count_try(store, username, address, now, trusted_device)
    user = authenticate(store, username, password)
    if user is None or not may_sign_in(store, user):
        return None
    with store.transaction():  # the right password: the try was no failure after all
        store.clear_login_failures_from(username, address)
        store.add_audit(user.id, "sign-in", f"user {user.id}", now=now.isoformat(), details=address)
    return user


def may_sign_in(store: Store, user: User) -> bool:
    """Return whether the account may sign in (and stay signed in): it is enabled, and so is
    its unit (deactivating a unit keeps its delegates out without changing their accounts)."""
    if user.disabled:
        return False
    return user.unit_id is None or not store.get_unit(user.unit_id).disabled


def session_user(store: Store, user_id: int, epoch: object) -> User | None:
    """Return the account a session of `user_id` carrying `epoch` is signed in as, or None
    when that session is over: the account is gone, signed out since (a new epoch), disabled,
    or its unit is (what :func:`may_sign_in` refuses), all from one read."""
    found = store.session_account(user_id)
    if found is None or epoch != found.session_epoch:
        return None
    return None if found.user.disabled or found.unit_disabled else found.user


def _count_try(
    store: Store, username: str, address: str, now: datetime, trusted_device: bool
) -> None:
    """Record a password try as a failure, raising TooManyAttempts while this account and
    address, or this address, must wait."""
    # Count and record the try as a failure in one write transaction, before the (slow)
    # password check: tries sent in parallel queue here and each sees the ones before it.
    with store.transaction():
        failures = store.login_failures(
            username=username,
            address=address,
            since=(now - WINDOW).isoformat(),
            trusted=trusted_device,
        )
        wait = max(
            _wait(failures.pair, FREE_TRIES, failures.pair_last, now),
            _wait(failures.address, ADDRESS_FREE_TRIES, failures.address_last, now, step=10),
        )
        if wait:
            raise TooManyAttempts(
                N_("Too many failed sign-ins. Wait %(seconds)s seconds and try again."),
                retry_after=wait,
                seconds=wait,
            )
        store.add_login_failure(username, address, now=now.isoformat(), trusted=trusted_device)


def change_password(
    store: Store, user: User, current: str, new: str, confirm: str, *, address: str
) -> User:
    """Set the signed-in user's new password once `current` is their password (tries are
    throttled as sign-ins are) and `new` passes the policy and is typed twice alike; every
    session of the account ends (the caller starts a fresh one for this browser)."""
    now = _now()
    _count_try(store, user.username, address, now, True)
    if authenticate(store, user.username, current) is None:
        raise InvalidInput(N_("The current password is wrong."))
    check_new_password(new, confirm, username=user.username)
    with store.transaction():
        store.clear_login_failures_from(user.username, address)
        store.set_password(user.id, hash_password(new))
        store.end_sessions(user.id)
        store.add_audit(user.id, "password.change", f"user {user.id}", now=now.isoformat())
    return store.get_user(user.id)


def sign_out(store: Store, user_id: int) -> None:
    """End every session of the account, this one and any copied cookie."""
    with store.transaction():
        store.end_sessions(user_id)


def authenticate(store: Store, username: str, password: str) -> User | None:
    """Return the user whose name and password match, or None."""
    found = store.find_login(username.strip())
    if found is None or found.password_hash is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    user, password_hash = found.user, found.password_hash
    return user if check_password_hash(password_hash, password) else None


def clean_line(text: str | None) -> str:
    """Return a one-line name as entered by an organizer: NFC, control characters (a pasted
    vertical tab, a line break) removed, spaces folded, at most 200 characters."""
    spaced = (text or "").translate({0x0B: " ", 0x0C: " ", 0x0A: " ", 0x0D: " ", 0x09: " "})
    return " ".join(clean_text(spaced, field=N_("name")).split())[:200]


def create_organizer(
    store: Store, username: str, display_name: str, password: str, *, email: str | None = None
) -> int:
    """Create an organizer account with the given password (and the address their password
    resets and daily digest go to); return its id."""
    username, display_name = clean_line(username), clean_line(display_name)
    check_new_password(password, username=username)
    email = check_email(email)
    with store.transaction():  # checked inside: two requests cannot both take the name
        if store.find_login(username) is not None:
            raise Conflict(N_("The user name “%(name)s” is taken."), name=username)
        user_id = store.create_user(
            username,
            display_name,
            "organizer",
            password_hash=hash_password(password),
            email=email,
            now=utc_now(),
        )
        store.add_audit(
            None, "organizer.create", f"user {user_id}", now=utc_now(), details=username
        )
        return user_id


def create_unit(store: Store, code: str, name: str, kind: str, *, actor: int | None = None) -> int:
    """Create a unit; return its id."""
    code, name = clean_line(code), clean_line(name)
    if not code or not name:
        raise InvalidInput(N_("A unit needs a code and a name."))
    code = check_unit_code(code)
    if kind not in UNIT_KINDS:
        raise InvalidInput(N_("Choose the kind of unit."))
    with store.transaction():  # checked inside: two requests cannot both take the code
        if store.find_unit(code) is not None:
            raise Conflict(N_("The unit code “%(code)s” is taken."), code=code)
        unit_id = store.create_unit(code, name, kind)
        store.add_audit(actor, "unit.create", f"unit {unit_id}", now=utc_now(), details=name)
        return unit_id


def create_delegate(
    store: Store,
    unit_id: int,
    username: str,
    display_name: str,
    *,
    is_lead: bool = False,
    password: str | None = None,
    email: str | None = None,
    actor: int | None = None,
    send_invitation: Site | None = None,
) -> tuple[int, str | None]:
    """Create a delegate of a unit; return (user id, invitation token).  Without a password
    the delegate sets one through the single-use invitation link made from the token; with
    `send_invitation` (the site the link points to) the link is also e-mailed to them, when
    they have an address."""
    store.get_unit(unit_id)
    username, display_name = clean_line(username), clean_line(display_name)
    if not username or not display_name:
        raise InvalidInput(N_("A delegate needs a user name and a full name."))
    username = check_username(username)
    email = check_email(email)
    if password is not None:
        check_new_password(password, username=username)
    token = None if password is not None else secrets.token_urlsafe(24)
    now = utc_now()
    with store.transaction():  # checked inside: two requests cannot both take the name
        if store.find_login(username) is not None:
            raise Conflict(N_("The user name “%(name)s” is taken."), name=username)
        user_id = store.create_user(
            username,
            display_name,
            "delegate",
            unit_id=unit_id,
            is_lead=is_lead,
            password_hash=hash_password(password) if password is not None else None,
            email=email,
            now=now,
        )
        if token is not None:
            _add_invitation(store, user_id, token, now)
            if send_invitation is not None:
                notices.invitation(
                    store, send_invitation, store.get_user(user_id), token,
                    days=INVITATION_DAYS, now=now,
                )  # fmt: skip
        store.add_audit(
            actor,
            "delegate.create",
            f"user {user_id}",
            now=now,
            details=f"{username}{' (lead)' if is_lead else ''}, unit {unit_id}",
        )
    return user_id, token


def _add_invitation(store: Store, user_id: int, token: str, now: str) -> None:
    expires = datetime.now(UTC) + timedelta(days=INVITATION_DAYS)
    store.add_invitation(
        user_id, _token_hash(token), now=now, expires_at=expires.replace(microsecond=0).isoformat()
    )


def issue_invitation(store: Store, user_id: int, *, now: str) -> str:
    """Return a new invitation token for an account, stored by its hash; to be called inside
    the caller's transaction (which records the audit row)."""
    token = secrets.token_urlsafe(24)
    _add_invitation(store, user_id, token, now)
    return token


def new_invitation(
    store: Store, user_id: int, *, actor: int | None = None, send: Site | None = None
) -> str:
    """Return a fresh invitation token for a delegate (a lost link); the account's earlier
    link stops working (one live link per account).  With `send` (the site the link points
    to) the link is also e-mailed to the delegate, when they have an address."""
    token = secrets.token_urlsafe(24)
    expires = datetime.now(UTC) + timedelta(days=INVITATION_DAYS)
    with store.transaction():
        if store.get_user(user_id).is_organizer:
            raise InvalidInput(N_("Organizer accounts are made with `drafter create-organizer`."))
        store.revoke_invitations(user_id, now=utc_now())
        store.add_invitation(
            user_id,
            _token_hash(token),
            now=utc_now(),
            expires_at=expires.replace(microsecond=0).isoformat(),
        )
        if send is not None:
            notices.invitation(
                store, send, store.get_user(user_id), token, days=INVITATION_DAYS, now=utc_now()
            )
        store.add_audit(actor, "invitation.create", f"user {user_id}", now=utc_now())
    return token


def roster(store: Store) -> list[tuple[Unit, list[User]]]:
    """Return every unit with its delegates (lead first)."""
    return [(unit, store.list_users(unit.id)) for unit in store.list_units()]


def revoke_invitation(store: Store, user_id: int, *, actor: int | None = None) -> User:
    """Revoke the account's live invitation link, if any; return the account."""
    with store.transaction():
        user = store.get_user(user_id)
        store.revoke_invitations(user_id, now=utc_now())
        store.add_audit(actor, "invitation.revoke", f"user {user_id}", now=utc_now())
    return user


def set_disabled(store: Store, user_id: int, disabled: bool, *, actor: int | None = None) -> User:
    """Disable a delegate (they cannot sign in; their sessions and links end; their comments
    stay) or enable them again; return the account."""
    with store.transaction():
        user = store.get_user(user_id)
        if user.is_organizer:
            raise InvalidInput(N_("Organizer accounts cannot be disabled here."))
        now = utc_now()
        store.set_disabled(user_id, now if disabled else None)
        if disabled:
            store.end_sessions(user_id)
            store.revoke_invitations(user_id, now=now)
        store.add_audit(
            actor, "user.disable" if disabled else "user.enable", f"user {user_id}", now=now
        )
    return store.get_user(user_id)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_user(store: Store, token: str, *, now: str | None = None) -> User:
    """Return the user of a valid, unused, unexpired invitation, or raise NotFound."""
    found = store.get_invitation(_token_hash(token))
    now = now or utc_now()
    if (
        found is None
        or found.used_at is not None
        or datetime.fromisoformat(found.expires_at) <= datetime.fromisoformat(now)
    ):
        raise NotFound(
            N_("This invitation link is not valid: it was used, it expired, or it never existed.")
        )
    user = store.get_user(found.user_id)
    if not may_sign_in(store, user):
        raise NotFound(
            N_("This invitation link is not valid: it was used, it expired, or it never existed.")
        )
    return user


def accept_invitation(store: Store, token: str, password: str, confirm: str) -> User:
    """Set the password of an invited delegate and spend the invitation; return the user."""
    user = invitation_user(store, token)
    check_new_password(password, confirm, username=user.username)
    with store.transaction():
        if not store.use_invitation(_token_hash(token), now=utc_now()):
            raise NotFound(N_("This invitation link was already used."))
        store.set_password(user.id, hash_password(password))
        store.end_sessions(user.id)  # whoever was signed in with the old password is out
        store.add_audit(user.id, "invitation.accept", f"user {user.id}", now=utc_now())
    return store.get_user(user.id)
