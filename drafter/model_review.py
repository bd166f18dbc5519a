"""The dataclasses of the Word review round trip (core: imports nothing of drafter)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReviewUpload:
    """A Word file a unit returned: pending until confirmed (`confirmed_at`)."""

    id: int
    consultation_id: int
    unit_id: int
    user_id: int
    name: str
    sha256: str
    created_at: str
    confirmed_at: str | None


@dataclass(frozen=True)
class ReviewItemRow:
    """An item of a confirmed file: the comment it became, and its Word author and date."""

    upload_id: int
    item_key: str
    comment_id: int
    word_author: str
    word_date: str
