"""SQLite queries of the organizer's comment list: one page of a consultation's submitted
comments, filtered in SQL (their ids chosen by a narrow query, then only those rows read in
full), shared with PostgreSQL through :class:`~.queries.Queries`."""

from __future__ import annotations

from typing import Any

from ...model import Comment
from ..contract_lists import ListFilter
from .article_pages import _HELD, _SHOWN
from .connection import Connected
from .consultations import _COMMENT, _comment


class CommentListQueries(Connected):
    """:class:`drafter.storage.contract_lists.CommentListStore` on SQLite."""

    def submitted_comment_page(
        self, consultation_id: int, wanted: ListFilter, *, limit: int | None, offset: int = 0
    ) -> list[Comment]:
        where = [f"c.consultation_id = ? AND {_SHOWN}"]
        args: list[Any] = [consultation_id]
        if wanted.unit_id is not None:
            where.append("c.unit_id = ?")
            args.append(wanted.unit_id)
        if wanted.kind is not None:
            where.append("r.kind = ?")
            args.append(wanted.kind)
        if wanted.answered is not None:
            where.append(
                f"{'' if wanted.answered else 'NOT '}EXISTS "
                "(SELECT 1 FROM answer WHERE comment_id = c.id)"
            )
        if wanted.traced is not None:
            where.append(
                "EXISTS (SELECT 1 FROM comment_trace t WHERE t.comment_id = c.id AND t.state = ?)"
            )
            args.append(wanted.traced)
        if wanted.general:
            where.append("c.article_id IS NULL AND c.node_id IS NULL")
        order = "ORDER BY n.position IS NOT NULL, n.position, c.id"
        if limit is None:  # all of them (the traced filter): one query, no list of ids
            rows = self.conn.execute(
                f"{_COMMENT.format(revision=_HELD)} WHERE {' AND '.join(where)} {order}", args
            )
            return [_comment(r) for r in rows]
        ids = [
            row[0]
            for row in self.conn.execute(
                f"SELECT c.id FROM comment c JOIN comment_revision r ON r.id = {_HELD} "
                f"LEFT JOIN node n ON n.id = c.node_id WHERE {' AND '.join(where)} "
                f"{order} LIMIT ? OFFSET ?",
                [*args, limit, offset],
            )
        ]
        if not ids:
            return []
        marks = ", ".join("?" * len(ids))
        rows = self.conn.execute(
            f"{_COMMENT.format(revision=_HELD)} WHERE c.id IN ({marks}) {order}", ids
        )
        return [_comment(r) for r in rows]

    def submitted_comments(self, consultation_id: int, comment_ids: list[int]) -> list[Comment]:
        found: list[Comment] = []
        ids = list(dict.fromkeys(comment_ids))
        for start in range(0, len(ids), 500):  # well under every bound on parameters
            chunk = ids[start : start + 500]
            marks = ", ".join("?" * len(chunk))
            rows = self.conn.execute(
                f"{_COMMENT.format(revision=_HELD)} WHERE c.consultation_id = ? AND {_SHOWN} "
                f"AND c.id IN ({marks})",
                [consultation_id, *chunk],
            )
            found.extend(_comment(r) for r in rows)
        return found
