"""SQLite queries of the groups of similar comments (portable SQL)."""

from __future__ import annotations

from collections.abc import Sequence

from ...errors import N_, NotFound
from ...model_groups import CommentGroup, GroupMember, Wording
from .connection import Connected, _id


def _on_nodes(consultation_id: int, node_ids: list[int | None] | None) -> tuple[str, list[int]]:
    """The condition on groups g of the consultation (on `node_ids`, when given)."""
    where, params = "g.consultation_id = ?", [consultation_id]
    if node_ids is not None:
        ids = sorted({n for n in node_ids if n is not None})
        chosen = [f"g.node_id IN ({', '.join('?' * len(ids))})"] if ids else []
        if None in node_ids:
            chosen.append("g.node_id IS NULL")
        where += f" AND ({' OR '.join(chosen) or '1 = 0'})"
        params += ids
    return where, params


class GroupQueries(Connected):
    """The groups part of :class:`drafter.storage.contract_groups.GroupStore`."""

    def comment_groups(
        self, consultation_id: int, *, node_ids: list[int | None] | None = None
    ) -> list[CommentGroup]:
        where, params = _on_nodes(consultation_id, node_ids)
        rows = self.conn.execute(
            "SELECT g.id, g.node_id, m.comment_id, m.pinned, m.copied FROM comment_group g "
            "LEFT JOIN comment_group_member m ON m.group_id = g.id "
            f"WHERE {where} ORDER BY g.id, m.comment_id",
            params,
        ).fetchall()
        nodes: dict[int, int | None] = {}
        members: dict[int, list[GroupMember]] = {}
        for row in rows:
            nodes[row["id"]] = row["node_id"]
            held = members.setdefault(row["id"], [])
            if row["comment_id"] is not None:
                held.append(
                    GroupMember(row["comment_id"], bool(row["pinned"]), bool(row["copied"]))
                )
        return [
            CommentGroup(group_id, consultation_id, node_id, tuple(members[group_id]))
            for group_id, node_id in nodes.items()
        ]

    def submitted_wordings(
        self, consultation_id: int, article_keys: Sequence[str | None]
    ) -> list[Wording]:
        keys = sorted({k for k in article_keys if k is not None})
        select = (
            "SELECT h.comment_id, h.unit_id, h.node_id, a.key AS article_key, r.kind, r.text, "
            "r.proposed_text FROM held_comment h "
            "JOIN comment_revision r ON r.id = h.revision_id "
            "LEFT JOIN node a ON a.id = h.article_id WHERE h.consultation_id = ? AND "
        )
        parts: list[str] = []
        params: list[object] = []
        if keys:  # the articles by node id: the held_comment_page index narrows to each
            parts.append(
                f"{select}h.article_id IN (SELECT n.id FROM node n JOIN consultation k "
                "ON k.version_id = n.version_id WHERE k.id = ? "
                f"AND n.key IN ({', '.join('?' * len(keys))}))"
            )
            params += [consultation_id, consultation_id, *keys]
        if None in article_keys:  # a query of its own: an OR would read every held comment
            parts.append(f"{select}h.article_id IS NULL AND h.node_id IS NULL")
            params.append(consultation_id)
        if not parts:
            return []
        rows = self.conn.execute(
            f"{' UNION ALL '.join(parts)} ORDER BY 1",
            params,  # by comment id
        ).fetchall()
        return [
            Wording(
                int(r["comment_id"]),
                int(r["unit_id"]),
                r["node_id"],
                r["article_key"],
                r["kind"],
                r["text"],
                r["proposed_text"],
            )  # fmt: skip
            for r in rows
        ]

    def group_sizes(
        self, consultation_id: int, node_ids: list[int | None], *, least: int = 2
    ) -> list[tuple[int, int]]:
        where, params = _on_nodes(consultation_id, node_ids)
        rows = self.conn.execute(
            f"SELECT g.id, g.members FROM comment_group g WHERE {where} AND g.members >= ? "
            "ORDER BY g.id",
            [*params, least],
        ).fetchall()
        return [(int(r[0]), int(r[1])) for r in rows]

    def groups_of(self, comment_ids: list[int]) -> dict[int, int]:
        if not comment_ids:
            return {}
        rows = self.conn.execute(
            "SELECT comment_id, group_id FROM comment_group_member "
            f"WHERE comment_id IN ({', '.join('?' * len(comment_ids))})",
            comment_ids,
        ).fetchall()
        return {int(r[0]): int(r[1]) for r in rows}

    def get_comment_group(self, group_id: int) -> CommentGroup:
        row = self.conn.execute(
            "SELECT consultation_id, node_id FROM comment_group WHERE id = ?", (group_id,)
        ).fetchone()
        if row is None:
            raise NotFound(N_("There is no group %(id)s."), id=group_id)
        found = self.comment_groups(row["consultation_id"], node_ids=[row["node_id"]])
        return next(g for g in found if g.id == group_id)

    def add_comment_group(self, consultation_id: int, node_id: int | None, *, now: str) -> int:
        return _id(
            self.conn.execute(
                "INSERT INTO comment_group (consultation_id, node_id, created_at) VALUES (?, ?, ?)",
                (consultation_id, node_id, now),
            )
        )

    def put_in_group(
        self, comment_id: int, group_id: int, *, pinned: bool, copied: bool, now: str
    ) -> None:
        # Each group's size is kept with it (migration 0022): the one left, the one joined.
        self.conn.execute(
            "UPDATE comment_group SET members = members - 1 WHERE id = "
            "(SELECT group_id FROM comment_group_member WHERE comment_id = ?)",
            (comment_id,),
        )
        self.conn.execute("DELETE FROM comment_group_member WHERE comment_id = ?", (comment_id,))
        self.conn.execute(
            "INSERT INTO comment_group_member (comment_id, group_id, pinned, copied, placed_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (comment_id, group_id, int(pinned), int(copied), now),
        )
        self.conn.execute(
            "UPDATE comment_group SET members = members + 1 WHERE id = ?", (group_id,)
        )

    def drop_empty_groups(self, consultation_id: int) -> int:
        return self.conn.execute(
            "DELETE FROM comment_group WHERE consultation_id = ? AND NOT EXISTS "
            "(SELECT 1 FROM comment_group_member m WHERE m.group_id = comment_group.id)",
            (consultation_id,),
        ).rowcount
