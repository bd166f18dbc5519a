"""A unit's signed and stamped letter, as a file: what drafter accepts (PDF, PNG, JPEG, told by
their first bytes, never by the name the browser sends) and how large."""

from __future__ import annotations

import re
import unicodedata

from .errors import N_, InvalidInput

MAX_LETTER_BYTES = 10 * 1024 * 1024

#: First bytes of each accepted kind of file, and the type it is served as.
SIGNATURES = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
)


def check_letter(name: str | None, data: bytes) -> tuple[str, str]:
    """Return (a clean file name, the content type) for a letter, or refuse it (400)."""
    if not data:
        raise InvalidInput(N_("Choose the letter's file (PDF, PNG or JPEG)."))
    if len(data) > MAX_LETTER_BYTES:
        raise InvalidInput(
            N_("The letter is larger than %(mb)s MB: scan it at a lower resolution."),
            mb=MAX_LETTER_BYTES // (1024 * 1024),
        )
    found = next(((t, s) for magic, t, s in SIGNATURES if data.startswith(magic)), None)
    if found is None:
        raise InvalidInput(N_("A letter must be a PDF, PNG or JPEG file."))
    content_type, suffix = found
    stem = unicodedata.normalize("NFC", (name or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1])
    stem = re.sub(r"[\x00-\x1f\x7f\"]", "", stem).strip()[:120]
    stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", stem) or "cong-van"
    return stem + suffix, content_type
