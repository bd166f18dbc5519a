"""User text as drafter keeps it: NFC, no control characters, within a length limit."""

from __future__ import annotations

import re
import unicodedata

from .errors import N_, InvalidInput

MAX_TEXT = 20_000  # characters in a comment or a proposal
# Control characters, and what XML cannot hold (surrogates, U+FFFE, U+FFFF): a comment is
# written into DOCX files later, and one such character would break the whole export.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def clean_text(text: str | None, *, field: str, required: bool = False) -> str:
    """Return user text in NFC without control characters; refuse it when too long or when a
    required field is empty."""
    text = unicodedata.normalize(
        "NFC", _CONTROL.sub("", (text or "").replace("\r\n", "\n"))
    ).strip()
    if len(text) > MAX_TEXT:
        raise InvalidInput(
            N_("The %(field)s is %(n)s characters long; the limit is %(limit)s."),
            field=field,
            n=f"{len(text):,}",
            limit=f"{MAX_TEXT:,}",
        )
    if required and not text:
        raise InvalidInput(N_("The %(field)s is empty."), field=field)
    return text
