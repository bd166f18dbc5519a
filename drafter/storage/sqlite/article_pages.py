"""SQLite queries of the organizer's article page: one page of an article's submitted comments
and their counts by provision, read from what the units' standing submissions hold
(``held_comment`` and ``held_count``, kept by :mod:`.held`): the page's ids are an index range
in document order (the first page reads 50 index entries), the counts a few rows per provision
and unit, however many comments the article has."""

from __future__ import annotations

from typing import Any

from ...model import Comment
from ...model_figures import KindCount
from .connection import Connected
from .consultations import _COMMENT, _comment

#: The revision of comment c that its unit's active submission holds (NULL: none).
_HELD = "(SELECT h.revision_id FROM held_comment h WHERE h.comment_id = c.id)"


class ArticlePageQueries(Connected):
    """:class:`drafter.storage.contract_pages.ArticlePageStore` on SQLite."""

    def _node(self, consultation_id: int, key: str) -> tuple[int, int]:
        """The id and position of the node `key` of the consultation's version ((-1, -1):
        none, which matches no comment)."""
        row = self.conn.execute(
            "SELECT n.id, n.position FROM node n JOIN consultation k "
            "ON k.version_id = n.version_id WHERE k.id = ? AND n.key = ?",
            (consultation_id, key),
        ).fetchone()
        return (int(row[0]), int(row[1])) if row else (-1, -1)

    def _where(
        self, consultation_id: int, article_key: str, node_key: str | None
    ) -> tuple[str, list[Any]]:
        """The held comments of the article (on the provision `node_key` alone, when given:
        by its position, so that the page index still serves)."""
        where = "h.consultation_id = ? AND h.article_id = ?"
        args: list[Any] = [consultation_id, self._node(consultation_id, article_key)[0]]
        if node_key is not None:
            where += " AND h.position = ?"
            args.append(self._node(consultation_id, node_key)[1])
        return where, args

    def provision_tallies(
        self, consultation_id: int, article_key: str, *, leave_out: int | None = None
    ) -> list[tuple[str, int]]:
        where = "h.consultation_id = ? AND h.article_id = ?"
        args: list[Any] = [consultation_id, self._node(consultation_id, article_key)[0]]
        if leave_out is not None:
            where += " AND h.unit_id <> ?"
            args.append(leave_out)
        rows = self.conn.execute(
            "SELECT n.key, SUM(h.comments) FROM held_count h JOIN node n ON n.id = h.node_id "
            f"WHERE {where} GROUP BY n.position, n.key HAVING SUM(h.comments) > 0 "
            "ORDER BY n.position",
            args,
        )
        return [(str(r[0]), int(r[1])) for r in rows]

    def article_kind_counts(self, consultation_id: int, article_key: str) -> list[KindCount]:
        rows = self.conn.execute(
            "SELECT h.unit_id, h.kind, h.withdrawn, h.comments FROM held_article_count h "
            "WHERE h.consultation_id = ? AND h.article_id = ?",
            (consultation_id, self._node(consultation_id, article_key)[0]),
        )
        return [KindCount(r[0], article_key, r[1], bool(r[2]), int(r[3])) for r in rows]

    def article_comment_page(
        self,
        consultation_id: int,
        article_key: str,
        *,
        node_key: str | None = None,
        limit: int = 50,
        offset: int = 0,
        leave_out: int | None = None,
    ) -> list[Comment]:
        where, args = self._where(consultation_id, article_key, node_key)
        if leave_out is not None:  # filtered along the same index range, in its order
            where += " AND h.unit_id <> ?"
            args.append(leave_out)
        ids = [
            row[0]
            for row in self.conn.execute(
                f"SELECT h.comment_id FROM held_comment h WHERE {where} "
                "ORDER BY h.position, h.comment_id LIMIT ? OFFSET ?",
                [*args, limit, offset],
            )
        ]
        return self._held_comments(ids)

    def general_comment_page(
        self, consultation_id: int, *, limit: int = 50, offset: int = 0
    ) -> list[Comment]:
        ids = [
            row[0]
            for row in self.conn.execute(
                "SELECT h.comment_id FROM held_comment h WHERE h.consultation_id = ? "
                "AND h.article_id IS NULL AND h.node_id IS NULL "
                "ORDER BY h.position, h.comment_id LIMIT ? OFFSET ?",
                (consultation_id, limit, offset),
            )
        ]
        return self._held_comments(ids)

    def _held_comments(self, ids: list[int]) -> list[Comment]:
        """The comments `ids` in full, at the revision held, in document order then by id."""
        if not ids:
            return []
        marks = ", ".join("?" * len(ids))
        rows = self.conn.execute(
            f"{_COMMENT.format(revision=_HELD)} WHERE c.id IN ({marks}) "
            "ORDER BY n.position IS NOT NULL, n.position, c.id",
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
            f"SELECT h.position FROM held_comment h WHERE {where} AND h.comment_id = ?",
            [*args, comment_id],
        ).fetchone()
        if found is None:
            return None
        position = found[0]
        # The comments on the provisions before this one, counted (a few rows each); then
        # those before it on its own provision, by the page index.
        before = 0
        if node_key is None:
            row = self.conn.execute(
                "SELECT COALESCE(SUM(h.comments), 0) FROM held_count h "
                "JOIN node n ON n.id = h.node_id WHERE h.consultation_id = ? "
                "AND h.article_id = ? AND n.position < ?",
                (args[0], args[1], position),
            ).fetchone()
            before = int(row[0])
        row = self.conn.execute(
            "SELECT COUNT(*) FROM held_comment h WHERE h.consultation_id = ? "
            "AND h.article_id = ? AND h.position = ? AND h.comment_id < ?",
            (args[0], args[1], position, comment_id),
        ).fetchone()
        return before + int(row[0])
