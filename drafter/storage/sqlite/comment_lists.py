"""SQLite queries of the organizer's comment list: one page of a consultation's submitted
comments, filtered in SQL over what the units' standing submissions hold (``held_comment``,
kept by :mod:`.held`): the page's ids are an index range in document order, then only those
rows are read in full; shared with PostgreSQL through :class:`~.queries.Queries`."""

from __future__ import annotations

from typing import Any

from ...model import Comment
from ..contract_lists import ListFilter
from .article_pages import _HELD
from .connection import Connected
from .consultations import _COMMENT, _comment

#: Document order, the comments on the draft as a whole (no position) first, as the index
#: held_comment_order (migration 0024) holds them on both backends.
_ORDER = "ORDER BY h.position NULLS FIRST, h.comment_id"


class CommentListQueries(Connected):
    """:class:`drafter.storage.contract_lists.CommentListStore` on SQLite."""

    def submitted_comment_page(
        self, consultation_id: int, wanted: ListFilter, *, limit: int | None, offset: int = 0
    ) -> list[Comment]:
        where = ["h.consultation_id = ?"]
        args: list[Any] = [consultation_id]
        if wanted.unit_id is not None:
            where.append("h.unit_id = ?")
            args.append(wanted.unit_id)
        if wanted.kind is not None:
            where.append("h.kind = ?")
            args.append(wanted.kind)
        if wanted.answered is not None:
            where.append(
                f"{'' if wanted.answered else 'NOT '}EXISTS "
                "(SELECT 1 FROM answer WHERE comment_id = h.comment_id)"
            )
        if wanted.traced is not None:
            where.append(
                "EXISTS (SELECT 1 FROM comment_trace t WHERE t.comment_id = h.comment_id "
                "AND t.state = ?)"
            )
            args.append(wanted.traced)
        if wanted.general:
            where.append("h.article_id IS NULL AND h.node_id IS NULL")
        page = "" if limit is None else " LIMIT ? OFFSET ?"
        ids = [
            row[0]
            for row in self.conn.execute(
                f"SELECT h.comment_id FROM held_comment h WHERE {' AND '.join(where)} "
                f"{_ORDER}{page}",
                args if limit is None else [*args, limit, offset],
            )
        ]
        return self._in_order(ids)

    def submitted_comments(self, consultation_id: int, comment_ids: list[int]) -> list[Comment]:
        wanted = list(dict.fromkeys(comment_ids))
        held: list[int] = []
        for start in range(0, len(wanted), 500):  # well under every bound on parameters
            chunk = wanted[start : start + 500]
            marks = ", ".join("?" * len(chunk))
            held += [
                row[0]
                for row in self.conn.execute(
                    "SELECT comment_id FROM held_comment WHERE consultation_id = ? "
                    f"AND comment_id IN ({marks})",
                    [consultation_id, *chunk],
                )
            ]
        return self._in_order(held)

    def _in_order(self, ids: list[int]) -> list[Comment]:
        """The comments `ids` in full, at the revision held, in the order of `ids`."""
        found: dict[int, Comment] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ", ".join("?" * len(chunk))
            rows = self.conn.execute(
                f"{_COMMENT.format(revision=_HELD)} WHERE c.id IN ({marks})", chunk
            )
            found.update((r["id"], _comment(r)) for r in rows)
        return [found[i] for i in ids if i in found]
