"""SQLite queries of the Word files units return (review round trip)."""

from __future__ import annotations

from ...errors import N_, NotFound
from ...model_review import ReviewItemRow, ReviewUpload
from .connection import Connected, _id


class ReviewQueries(Connected):
    """The review part of :class:`drafter.storage.contract_review.ReviewStore`."""

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
        return _id(
            self.conn.execute(
                "INSERT INTO review_upload (consultation_id, unit_id, user_id, name, sha256, "
                "data, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (consultation_id, unit_id, user_id, name, sha256, data, now),
            )
        )

    def get_review_upload(self, upload_id: int, user_id: int) -> tuple[ReviewUpload, bytes]:
        row = self.conn.execute(
            "SELECT id, consultation_id, unit_id, user_id, name, sha256, created_at, "
            "confirmed_at, data FROM review_upload "
            "WHERE id = ? AND user_id = ? AND confirmed_at IS NULL",
            (upload_id, user_id),
        ).fetchone()
        if row is None:
            raise NotFound(N_("There is no pending Word file %(id)s."), id=upload_id)
        upload = ReviewUpload(*(row[i] for i in range(8)))
        return upload, bytes(row["data"])

    def delete_review_upload(self, upload_id: int) -> None:
        self.conn.execute(
            "DELETE FROM review_upload WHERE id = ? AND confirmed_at IS NULL", (upload_id,)
        )

    def confirm_review_upload(self, upload_id: int, *, now: str) -> None:
        self.conn.execute(
            "UPDATE review_upload SET confirmed_at = ?, data = NULL WHERE id = ?",
            (now, upload_id),
        )

    def add_review_item(
        self, upload_id: int, item_key: str, comment_id: int, *, word_author: str, word_date: str
    ) -> None:
        self.conn.execute(
            "INSERT INTO review_item (upload_id, item_key, comment_id, word_author, word_date) "
            "VALUES (?, ?, ?, ?, ?)",
            (upload_id, item_key, comment_id, word_author, word_date),
        )

    def review_items(
        self, consultation_id: int, unit_id: int, *, latest_only: bool = False
    ) -> list[ReviewItemRow]:
        where = "u.consultation_id = ? AND u.unit_id = ? AND u.confirmed_at IS NOT NULL"
        params: tuple[int, ...] = (consultation_id, unit_id)
        if latest_only:
            where += (
                " AND u.id = (SELECT MAX(id) FROM review_upload WHERE consultation_id = ? "
                "AND unit_id = ? AND confirmed_at IS NOT NULL)"
            )
            params += (consultation_id, unit_id)
        rows = self.conn.execute(
            "SELECT i.upload_id, i.item_key, i.comment_id, i.word_author, i.word_date "
            f"FROM review_item i JOIN review_upload u ON u.id = i.upload_id WHERE {where} "
            "ORDER BY i.id",
            params,
        )
        return [ReviewItemRow(*tuple(r)) for r in rows]
