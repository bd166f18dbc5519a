"""The account use cases (drafter/accounts.py) on a real SQLite store, without Flask: units and
delegates as an organizer types them, invitation links, disabled accounts and sign-in
throttling (the web-level checks live in test_hostile_insider.py and test_passwords.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from drafter import accounts
from drafter.errors import Conflict, InvalidInput, NotFound, TooManyAttempts
from drafter.storage import open_store

from .consultation_fixture import PASSWORD

NEW_PASSWORD = "another long passphrase"


@pytest.fixture
def store(world):
    store = open_store(world.db_path)
    yield store
    store.close()


@pytest.fixture
def invited(store, world):
    """Return (user id, token) of a new delegate of Thái Nguyên invited by link."""
    return accounts.create_delegate(store, world.units["thai-nguyen"], "tn-new", "Người mới")


def test_create_unit_cleans_the_code_and_name(store):
    unit_id = accounts.create_unit(store, " Ha-Noi\x0b", "Thành ủy\n\x00Hà\tNội ", "province")
    unit = store.get_unit(unit_id)
    assert (unit.code, unit.name) == ("ha-noi", "Thành ủy Hà Nội")


@pytest.mark.parametrize(
    ("code", "name", "kind", "error"),
    [
        ("", "Tên", "province", InvalidInput),
        ("ma", "\x00\x07 ", "province", InvalidInput),  # nothing left once cleaned
        ("ma", "Tên", "planet", InvalidInput),
        ("THAI-NGUYEN", "Trùng mã", "province", Conflict),  # codes compare lower-cased
    ],
)
def test_create_unit_refusals_write_nothing(store, code, name, kind, error):
    before = store.list_units()
    with pytest.raises(error):
        accounts.create_unit(store, code, name, kind)
    assert store.list_units() == before


def test_create_delegate_with_a_password_signs_in(store, world):
    with pytest.raises(InvalidInput, match="user name"):  # a control character, or a space
        accounts.create_delegate(store, world.units["quang-nam"], "qn\x0c-two", "Người thứ hai")
    user_id, token = accounts.create_delegate(
        store, world.units["quang-nam"], " qn-two ", "Người\x1f thứ hai", password=PASSWORD
    )
    assert token is None
    user = store.get_user(user_id)
    assert (user.username, user.display_name, user.is_lead) == ("qn-two", "Người thứ hai", False)
    assert accounts.sign_in(store, "qn-two", PASSWORD, "10.0.0.1").id == user_id


@pytest.mark.parametrize(
    ("username", "display_name", "password", "error"),
    [
        ("", "Tên", None, InvalidInput),
        ("ten", "\r\n", None, InvalidInput),
        ("tn-lead", "Trùng tên", None, Conflict),
        ("ten", "Tên", "short", InvalidInput),
    ],
)
def test_create_delegate_refusals_write_nothing(
    store, world, username, display_name, password, error
):
    before = store.list_users()
    with pytest.raises(error):
        accounts.create_delegate(
            store, world.units["thai-nguyen"], username, display_name, password=password
        )
    assert store.list_users() == before


def test_create_delegate_of_an_unknown_unit(store):
    with pytest.raises(NotFound):
        accounts.create_delegate(store, 999, "ai", "Ai")


def test_an_invitation_sets_the_password_once(store, invited):
    user_id, token = invited
    assert accounts.invitation_user(store, token).id == user_id
    assert accounts.sign_in(store, "tn-new", PASSWORD, "10.0.0.1") is None  # no password yet
    with pytest.raises(InvalidInput):
        accounts.accept_invitation(store, token, NEW_PASSWORD, "something else")
    accounts.accept_invitation(store, token, NEW_PASSWORD, NEW_PASSWORD)
    assert accounts.sign_in(store, "tn-new", NEW_PASSWORD, "10.0.0.1").id == user_id
    with pytest.raises(NotFound):
        accounts.accept_invitation(store, token, PASSWORD, PASSWORD)
    assert accounts.sign_in(store, "tn-new", PASSWORD, "10.0.0.1") is None


def test_accepting_ends_other_sessions(store, invited):
    user_id, token = invited
    epoch = store.session_epoch(user_id)
    accounts.accept_invitation(store, token, NEW_PASSWORD, NEW_PASSWORD)
    assert store.session_epoch(user_id) != epoch


def test_one_live_link_per_account(store, invited):
    user_id, first = invited
    second = accounts.new_invitation(store, user_id)
    with pytest.raises(NotFound):
        accounts.invitation_user(store, first)
    assert accounts.invitation_user(store, second).id == user_id
    assert accounts.revoke_invitation(store, user_id).id == user_id
    with pytest.raises(NotFound):
        accounts.invitation_user(store, second)
    assert accounts.revoke_invitation(store, user_id).id == user_id  # nothing left to revoke
    with pytest.raises(NotFound):
        accounts.revoke_invitation(store, 999)


def test_links_expire(store, invited):
    user_id, token = invited
    soon = datetime.now(UTC) + timedelta(days=accounts.INVITATION_DAYS - 1)
    later = datetime.now(UTC) + timedelta(days=accounts.INVITATION_DAYS, minutes=1)
    assert accounts.invitation_user(store, token, now=soon.isoformat()).id == user_id
    with pytest.raises(NotFound):
        accounts.invitation_user(store, token, now=later.isoformat())
    with pytest.raises(NotFound):
        accounts.invitation_user(store, "never-issued")


def test_disabled_accounts_cannot_sign_in_or_accept(store, world, invited):
    lead = world.users["tn-lead"]
    assert accounts.set_disabled(store, lead, True).disabled is True
    assert accounts.sign_in(store, "tn-lead", PASSWORD, "10.0.0.1") is None
    user_id, token = invited
    epoch = store.session_epoch(user_id)
    accounts.set_disabled(store, user_id, True)
    assert store.session_epoch(user_id) != epoch
    with pytest.raises(NotFound):
        accounts.accept_invitation(store, token, NEW_PASSWORD, NEW_PASSWORD)
    assert accounts.set_disabled(store, lead, False).disabled is False
    assert accounts.sign_in(store, "tn-lead", PASSWORD, "10.0.0.1").id == lead
    with pytest.raises(InvalidInput):
        accounts.set_disabled(store, world.users["organizer"], True)


class Clock:
    """A stand-in for accounts._now that moves only when told."""

    def __init__(self):
        self.now = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)

    def __call__(self):
        return self.now

    def advance(self, seconds):
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(accounts, "_now", clock)
    return clock


def _fail(store, address="10.0.0.9"):
    assert accounts.sign_in(store, "tn-lead", "wrong password", address) is None


def test_sign_in_delays_grow_per_account_and_address(store, world, clock):
    for _ in range(accounts.FREE_TRIES):
        _fail(store)
    with pytest.raises(TooManyAttempts) as caught:
        accounts.sign_in(store, "tn-lead", PASSWORD, "10.0.0.9")  # even the right password
    assert caught.value.retry_after == accounts.FIRST_DELAY
    assert caught.value.params == {"seconds": accounts.FIRST_DELAY}

    # The account is not locked: from another address the right password works.
    assert accounts.sign_in(store, "tn-lead", PASSWORD, "10.0.0.10").id == world.users["tn-lead"]

    clock.advance(accounts.FIRST_DELAY - 5)
    with pytest.raises(TooManyAttempts) as caught:
        accounts.sign_in(store, "tn-lead", PASSWORD, "10.0.0.9")
    assert caught.value.retry_after == 5
    clock.advance(5)
    _fail(store)  # allowed again, and fails: the next delay doubles
    with pytest.raises(TooManyAttempts) as caught:
        _fail(store)
    assert caught.value.retry_after == 2 * accounts.FIRST_DELAY

    clock.advance(2 * accounts.FIRST_DELAY)
    assert accounts.sign_in(store, "tn-lead", PASSWORD, "10.0.0.9").id == world.users["tn-lead"]
    for _ in range(accounts.FREE_TRIES):  # success cleared this pair's failures
        _fail(store)


def test_failures_leave_the_window(store, clock):
    for _ in range(accounts.FREE_TRIES):
        _fail(store)
    clock.advance(accounts.WINDOW.total_seconds() + 1)
    for _ in range(accounts.FREE_TRIES):
        _fail(store)
