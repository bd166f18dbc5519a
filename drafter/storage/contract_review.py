"""The review part of the store contract: Word files returned by units, and their items."""

from __future__ import annotations

from typing import Protocol

from ..model_review import ReviewItemRow, ReviewUpload


class ReviewStore(Protocol):
    """Returned Word files, pending and confirmed, and what their items became."""

    def add_review_upload(
        self,
        consultation_id: int,
        unit_id: int,
        user_id: int,
        *,
        name: str,
        sha256: str,
        data: bytes,
        now: str,
    ) -> int:
        """Keep a returned file until its uploader confirms it; return its id."""
        ...

    def get_review_upload(self, upload_id: int, user_id: int) -> tuple[ReviewUpload, bytes]:
        """Return a pending upload of this user and its bytes (NotFound otherwise)."""
        ...

    def delete_review_upload(self, upload_id: int) -> None:
        """Forget a pending upload (a confirmed one is kept)."""
        ...

    def confirm_review_upload(self, upload_id: int, *, now: str) -> None:
        """Mark a pending upload confirmed and drop its bytes."""
        ...

    def add_review_item(
        self, upload_id: int, item_key: str, comment_id: int, *, word_author: str, word_date: str
    ) -> None:
        """Record that an item of a confirmed upload is (or became) a comment."""
        ...

    def review_items(
        self, consultation_id: int, unit_id: int, *, latest_only: bool = False
    ) -> list[ReviewItemRow]:
        """Return the items of a unit's confirmed uploads (`latest_only`: of the last one)."""
        ...
