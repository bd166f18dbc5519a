"""The password policy: length, no repeats or runs, no common password, passphrases welcome."""

from __future__ import annotations

import pytest

from drafter import accounts, passwords
from drafter.errors import InvalidInput


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("aaaaaaaaaa", "too easy"),
        ("1234567890", "too easy"),
        ("0987654321", "too easy"),
        ("          ", "too easy"),
        ("abcabcabcabc", "too easy"),
        ("qwertyuiop", "too easy"),
        ("ABCDEFGHIJK", "too easy"),
        ("password123", "most common"),
        ("Password123", "most common"),
        ("matkhau123", "most common"),
        ("1q2w3e4r5t", "most common"),
        ("short", "at least 10"),
        ("x" * 1001, "at most"),
        ("nguyen-van-a", "user name"),
    ],
)
def test_weak_passwords_are_refused_with_the_reason(password, reason):
    with pytest.raises(InvalidInput) as caught:
        passwords.check(password, username="nguyen-van-a")
    assert reason in str(caught.value)


@pytest.mark.parametrize(
    "password",
    [
        "correct horse battery",
        "đồng chí bí thư tỉnh ủy",
        "Trâu cày ruộng 2026",
        "x7#Lq!m2Zp",
        "     spaced passphrase   ",
    ],
)
def test_passphrases_and_random_passwords_are_welcome(password):
    assert passwords.check(password, username="nguyen-van-a") == password


def test_the_common_list_is_shipped_and_loaded():
    common = passwords.common_passwords()
    assert len(common) > 10_000
    assert "qwertyuiop" in common
    assert "anhyeuem123" in common


def test_accounts_apply_the_policy(store):
    with pytest.raises(InvalidInput, match="too easy"):
        accounts.create_organizer(store, "bantochuc", "Ban Tổ chức", "1234567890")
    assert store.find_login("bantochuc") is None
    accounts.create_organizer(store, "bantochuc", "Ban Tổ chức", "ba con mèo trên mái nhà")
    assert store.find_login("bantochuc") is not None


def test_a_password_containing_the_user_name_is_refused():
    import pytest

    from drafter.errors import InvalidInput
    from drafter.passwords import check

    with pytest.raises(InvalidInput):
        check("lao-cai-1lao-cai-1", username="lao-cai-1")
    assert check("ba con mèo xanh lá", username="kim") == "ba con mèo xanh lá"
