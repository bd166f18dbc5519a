"""The message catalogues: English message ids, Vietnamese translations (the default).

The .po files are the source; each is compiled to its .mo when the app starts, if the .mo
is missing or older, so no build step is needed and no binary file is committed.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

DIRECTORY = Path(__file__).resolve().parent.parent / "translations"


def compile_catalogues() -> None:
    """Write messages.mo beside every messages.po that is newer than it."""
    for po_path in DIRECTORY.glob("*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as handle:
            catalog = read_po(handle)
        temporary = mo_path.with_suffix(".mo.tmp")
        with temporary.open("wb") as handle:
            write_mo(handle, catalog)
        temporary.replace(mo_path)  # atomic, so that two workers starting together agree
