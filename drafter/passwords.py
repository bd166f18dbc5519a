"""The password policy (NIST SP 800-63B): long enough, not trivially guessable, passphrases welcome.

No composition rules (a digit, a capital…) and no expiry: length and a block list do the work.
Refused: fewer than :data:`MIN_LENGTH` characters (spaces count, but not a password of spaces
only), one character repeated or a short pattern repeated ("aaaaaaaaaa", "abcabcabca"), a run
of consecutive characters ("1234567890", "zyxwvutsrq") or a keyboard row, a password on the
shipped list of common passwords (``data/common-passwords.txt``), and one that is the user's
own name.  Anything else of 10 to 1,000 characters is accepted, in any script.
"""

from __future__ import annotations

import functools
import unicodedata
from pathlib import Path

from .errors import N_, InvalidInput

MIN_LENGTH = 10
MAX_LENGTH = 1_000
_LIST = Path(__file__).with_name("data") / "common-passwords.txt"
_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm", "1234567890", "qwertzuiop", "azertyuiop")


@functools.cache
def common_passwords() -> frozenset[str]:
    """Return the shipped list of common passwords, lower case."""
    lines = _LIST.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


def _repeats(text: str) -> bool:
    """Whether `text` is a unit of 1 to 4 characters repeated ("aaaa", "abab", "1231231")."""
    return any(
        len(text) > unit * 2 and all(text[i] == text[i % unit] for i in range(len(text)))
        for unit in range(1, 5)
    )


def _sequence(text: str) -> bool:
    """Whether `text` runs through consecutive characters, up or down, or along a keyboard row."""
    steps = {ord(b) - ord(a) for a, b in zip(text, text[1:], strict=False)}
    if len(steps) == 1 and steps <= {1, -1}:
        return True
    return any(text in row or text in row[::-1] for row in _ROWS)


def check(password: str, *, username: str = "") -> str:
    """Return `password` if the policy accepts it; raise InvalidInput saying why not."""
    folded = unicodedata.normalize("NFC", password).casefold()
    compact = "".join(folded.split())
    if len(password) < MIN_LENGTH:
        raise InvalidInput(N_("The password must have at least %(n)s characters."), n=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        raise InvalidInput(N_("The password must have at most %(n)s characters."), n=MAX_LENGTH)
    if not compact or _repeats(compact) or _sequence(compact):
        raise InvalidInput(
            N_(
                "This password is too easy to guess (a repeated character or a run such as "
                "“1234567890”). A few unrelated words make a good password."
            )
        )
    if folded in common_passwords() or compact in common_passwords():
        raise InvalidInput(
            N_(
                "This password is one of the most common passwords. A few unrelated words "
                "make a good password."
            )
        )
    name = username.strip().casefold()
    name = "".join(name.split())
    if name and (compact == name or (len(name) >= 4 and name in compact)):
        raise InvalidInput(N_("The password must not be or contain your user name."))
    return password
