"""The audit log, uploads waiting for confirmation, and search: part of the store contract
(:class:`drafter.storage.contract.Store`)."""

from __future__ import annotations

from typing import Protocol

from ..model import AuditEntry, PendingUpload, SearchHit


class AuditStore(Protocol):
    """The audit log, uploads waiting for confirmation, and search."""

    def add_audit(
        self,
        user_id: int | None,
        action: str,
        target: str,
        *,
        now: str,
        consultation_id: int | None = None,
        details: str = "",
    ) -> None:
        """Record who did what to what."""
        ...

    def list_audit(
        self, *, consultation_id: int | None = None, limit: int = 500
    ) -> list[AuditEntry]:
        """Return the latest audit entries, newest first."""
        ...

    def add_pending_upload(
        self, user_id: int, name: str, data: bytes, *, draft_id: int | None, title: str, now: str
    ) -> int:
        """Keep an uploaded file until its owner confirms or discards it; return its id."""
        ...

    def get_pending_upload(self, upload_id: int, user_id: int) -> PendingUpload:
        """Return a pending upload of this user."""
        ...

    def delete_pending_upload(self, upload_id: int) -> None:
        """Forget a pending upload."""
        ...

    def search(self, query: str, *, limit: int = 50, newest_first: bool = False) -> list[SearchHit]:
        """Return articles and submitted comments holding the words of `query`, whole and
        in order, ignoring case and accents: the `limit` most relevant; or, with
        `newest_first`, up to `limit` articles (the latest version's first) then up to
        `limit` comments (the newest first), read in index order and stopped there, so
        that the cost does not grow with the number of hits (for words so common that
        ranking every hit would take seconds; a phrase of such words that few rows hold
        is still looked for through the whole index)."""
        ...

    def word_candidates(self, word: str, *, limit: int = 100) -> list[str]:
        """Return words of the search index (lower-case, without diacritics) that `word`
        may be a typo of: `word` itself when indexed, and at least the `limit` nearest
        others (SQLite: every word of a length within two of it; PostgreSQL: the nearest by
        trigrams).  A word may be listed that no row holds any more (see `word_rows`)."""
        ...

    def word_rows(self, words: list[str], *, cap: int = 1000) -> dict[str, int]:
        """Return how many rows of the search index hold each of `words`, counted up to
        `cap` (0 for a word no row holds)."""
        ...
