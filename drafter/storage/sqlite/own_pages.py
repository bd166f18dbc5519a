"""SQLite queries of a unit's own comments on an article, a page at a time: the unit's
comments found by the comment_unit_article index, counted by kind in one aggregate query, one
page's ids in order by a narrow query (no revision read), then only that page's rows in full."""

from __future__ import annotations

from ...model import Comment
from .connection import Connected
from .consultations import _COMMENT, _LATEST, _comment

#: Which of the comments c (on node n) are the unit's live ones on the article.
_WHERE_OWN = (
    "WHERE c.consultation_id = ? AND c.unit_id = ? AND c.withdrawn_at IS NULL "
    "AND c.article_id = (SELECT a.id FROM node a JOIN consultation k "
    "ON k.version_id = a.version_id WHERE k.id = ? AND a.key = ?)"
)
_OWN = f"FROM comment c JOIN node n ON n.id = c.node_id {_WHERE_OWN}"
_OWN_KINDS = (
    "FROM comment c JOIN node n ON n.id = c.node_id "
    f"JOIN comment_revision r ON r.id = {_LATEST} {_WHERE_OWN}"
)


class OwnPageQueries(Connected):
    """:class:`drafter.storage.contract_own_pages.OwnPageStore` on SQLite."""

    def own_article_kinds(
        self, consultation_id: int, unit_id: int, article_key: str
    ) -> dict[str, int]:
        rows = self.conn.execute(
            f"SELECT r.kind, COUNT(*) {_OWN_KINDS} GROUP BY r.kind",
            (consultation_id, unit_id, consultation_id, article_key),
        )
        return {str(row[0]): int(row[1]) for row in rows}

    def own_article_ids(
        self, consultation_id: int, unit_id: int, article_key: str, *, limit: int, offset: int
    ) -> list[int]:
        rows = self.conn.execute(
            f"SELECT c.id {_OWN} ORDER BY n.position, c.id LIMIT ? OFFSET ?",
            (consultation_id, unit_id, consultation_id, article_key, limit, offset),
        )
        return [int(row[0]) for row in rows]

    def own_article_place(
        self, consultation_id: int, unit_id: int, article_key: str, comment_id: int
    ) -> int | None:
        args = (consultation_id, unit_id, consultation_id, article_key)
        found = self.conn.execute(
            f"SELECT n.position {_OWN} AND c.id = ?", (*args, comment_id)
        ).fetchone()
        if found is None:
            return None
        row = self.conn.execute(
            f"SELECT COUNT(*) {_OWN} AND (n.position < ? OR (n.position = ? AND c.id < ?))",
            (*args, found[0], found[0], comment_id),
        ).fetchone()
        return int(row[0])

    def latest_comments(self, comment_ids: list[int]) -> list[Comment]:
        if not comment_ids:
            return []
        marks = ", ".join("?" * len(comment_ids))
        rows = self.conn.execute(
            f"{_COMMENT.format(revision=_LATEST)} WHERE c.id IN ({marks}) "
            "ORDER BY n.position IS NOT NULL, n.position, c.id",
            list(comment_ids),
        )
        return [_comment(row) for row in rows]
