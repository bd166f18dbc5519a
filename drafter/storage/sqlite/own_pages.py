"""SQLite queries of a unit's own comments on an article, a page at a time: the unit's
comments found by the comment_unit index, their ids and kinds ordered by one narrow query,
then only one page's rows read in full (by id)."""

from __future__ import annotations

from ...model import Comment
from .connection import Connected
from .consultations import _COMMENT, _LATEST, _comment

_OWN = (
    "FROM comment c JOIN node n ON n.id = c.node_id "
    f"JOIN comment_revision r ON r.id = {_LATEST} "
    "WHERE c.consultation_id = ? AND c.unit_id = ? AND c.withdrawn_at IS NULL "
    "AND c.article_id = (SELECT a.id FROM node a JOIN consultation k "
    "ON k.version_id = a.version_id WHERE k.id = ? AND a.key = ?) "
    "ORDER BY n.position, c.id"
)


class OwnPageQueries(Connected):
    """:class:`drafter.storage.contract_own_pages.OwnPageStore` on SQLite."""

    def own_article_kinds(
        self, consultation_id: int, unit_id: int, article_key: str
    ) -> list[tuple[int, str]]:
        rows = self.conn.execute(
            f"SELECT c.id, r.kind {_OWN}", (consultation_id, unit_id, consultation_id, article_key)
        )
        return [(int(row[0]), str(row[1])) for row in rows]

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
