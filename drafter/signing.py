"""The key that signs sessions and CSRF tokens when ``DRAFTER_SECRET_KEY`` is not set: made
once and kept in the database (the ``setting`` table), so that every process and host using
the database signs with the same key, and sessions survive restarts.

A SQLite database that had its key in a ``<file>.secret`` beside it (before the key moved
into the database) keeps that key: it is stored as the database's one on first start."""

from __future__ import annotations

import secrets
from pathlib import Path

from .errors import StorageError
from .storage import Store

SETTING = "session_secret"


def session_secret(store: Store, legacy_file: Path | None = None) -> str:
    """Return the database's signing key, storing a new one (or the one of `legacy_file`,
    when it exists) if the database has none yet."""
    stored = store.get_setting(SETTING)
    if stored:
        return stored
    legacy = None
    if legacy_file is not None and legacy_file.is_file():
        legacy = legacy_file.read_text().strip() or None
    try:
        with store.transaction():
            return store.add_setting(SETTING, legacy or secrets.token_hex(32))
    except StorageError:
        if legacy:  # a database on a read-only disk: its old key still signs
            return legacy
        raise
