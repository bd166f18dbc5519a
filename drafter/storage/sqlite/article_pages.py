"""SQLite queries of the organizer's article page: one page of an article's submitted comments
(their ids chosen by a narrow query, then only those rows read in full) and their counts by
provision, by the comment_article index."""

from __future__ import annotations

from typing import Any

from ...model import Comment
from ...model_figures import ProvisionCount
from .connection import Connected
from .consultations import _ACTIVE_SUBMISSION, _COMMENT, _comment

#: The revision of comment c that its unit's active submission holds (NULL: none).
_HELD = (
    "(SELECT x.id FROM comment_revision x WHERE x.comment_id = c.id AND EXISTS ("
    "SELECT 1 FROM submission_item si WHERE si.revision_id = x.id "
    f"AND si.submission_id = {_ACTIVE_SUBMISSION}))"
)
#: Comment c is shown: its unit's active submission stands and holds one of its revisions.
_SHOWN = f"(SELECT withdrawn_at FROM submission WHERE id = {_ACTIVE_SUBMISSION}) IS NULL"


class ArticlePageQueries(Connected):
    """:class:`drafter.storage.contract_pages.ArticlePageStore` on SQLite."""

    def _article_id(self, consultation_id: int, article_key: str) -> int:
        row = self.conn.execute(
            "SELECT n.id FROM node n JOIN consultation k ON k.version_id = n.version_id "
            "WHERE k.id = ? AND n.key = ?",
            (consultation_id, article_key),
        ).fetchone()
        return int(row[0]) if row else -1

    def _where(
        self, consultation_id: int, article_key: str, node_key: str | None
    ) -> tuple[str, list[Any]]:
        where = f"c.consultation_id = ? AND c.article_id = ? AND {_SHOWN} AND {_HELD} IS NOT NULL"
        args: list[Any] = [consultation_id, self._article_id(consultation_id, article_key)]
        if node_key is not None:
            where += " AND n.key = ?"
            args.append(node_key)
        return where, args

    def provision_counts(self, consultation_id: int, article_key: str) -> list[ProvisionCount]:
        where, args = self._where(consultation_id, article_key, None)
        rows = self.conn.execute(
            "SELECT n.key, c.unit_id, r.kind, c.withdrawn_at IS NOT NULL AS withdrawn, COUNT(*) "
            "FROM comment c "
            "JOIN node n ON n.id = c.node_id "
            f"JOIN comment_revision r ON r.id = {_HELD} "
            f"WHERE {where} GROUP BY n.position, n.key, c.unit_id, r.kind, withdrawn "
            "ORDER BY n.position, c.unit_id, r.kind",
            args,
        )
        return [ProvisionCount(r[0], r[1], r[2], bool(r[3]), r[4]) for r in rows]

    def article_comment_page(
        self,
        consultation_id: int,
        article_key: str,
        *,
        node_key: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[Comment]:
        where, args = self._where(consultation_id, article_key, node_key)
        ids = [
            row[0]
            for row in self.conn.execute(
                f"SELECT c.id FROM comment c JOIN node n ON n.id = c.node_id WHERE {where} "
                "ORDER BY n.position, c.id LIMIT ? OFFSET ?",
                [*args, limit, offset],
            )
        ]
        if not ids:
            return []
        marks = ", ".join("?" * len(ids))
        rows = self.conn.execute(
            f"{_COMMENT.format(revision=_HELD)} WHERE c.id IN ({marks}) ORDER BY n.position, c.id",
            ids,
        )
        return [_comment(r) for r in rows]

    def article_comment_offset(
        self,
        consultation_id: int,
        article_key: str,
        comment_id: int,
        *,
        node_key: str | None = None,
    ) -> int | None:
        where, args = self._where(consultation_id, article_key, node_key)
        found = self.conn.execute(
            f"SELECT n.position FROM comment c JOIN node n ON n.id = c.node_id "
            f"WHERE {where} AND c.id = ?",
            [*args, comment_id],
        ).fetchone()
        if found is None:
            return None
        row = self.conn.execute(
            f"SELECT COUNT(*) FROM comment c JOIN node n ON n.id = c.node_id WHERE {where} "
            "AND (n.position < ? OR (n.position = ? AND c.id < ?))",
            [*args, found[0], found[0], comment_id],
        ).fetchone()
        return int(row[0])
