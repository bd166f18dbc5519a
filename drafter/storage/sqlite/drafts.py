"""SQLite queries of drafts: drafts, versions, node trees, article matches, article search rows."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator, Sequence

from ...errors import N_, NotFound
from ...model import ArticleMatch, Draft, Node, Version, is_commentable
from ...normalize import fold_diacritics
from ..contract import MatchRow
from .connection import Connected, _id, now

_NODE_COLUMNS = "id, parent_id, kind, number, title, text, key, source_line"


def _stored(node: Node) -> int:
    """Return the id of a node that was just stored."""
    assert node.id is not None
    return node.id


def node_alone(row: sqlite3.Row) -> Node:
    """Return the node of a row of ``node`` (with its id, kind, number, title, text, key and
    source line), without its children."""
    return Node(
        row["kind"], row["number"], row["title"], row["text"], key=row["key"],
        source_line=row["source_line"], id=row["id"],
    )  # fmt: skip


class DraftQueries(Connected):
    """The drafts part of :class:`drafter.storage.contract.DraftStore`."""

    def create_draft(self, title: str) -> int:
        cursor = self.conn.execute(
            "INSERT INTO draft (title, created_at) VALUES (?, ?)", (title, now())
        )
        return _id(cursor)

    def get_draft(self, draft_id: int) -> Draft:
        row = self.conn.execute(
            "SELECT d.id, d.title, d.created_at, COALESCE(MAX(v.number), 0) AS latest "
            "FROM draft d LEFT JOIN version v ON v.draft_id = d.id WHERE d.id = ? GROUP BY d.id",
            (draft_id,),
        ).fetchone()
        if row is None:
            raise NotFound(N_("There is no draft %(id)s."), id=draft_id)
        return Draft(row["id"], row["title"], row["created_at"], row["latest"])

    def list_drafts(self) -> list[Draft]:
        rows = self.conn.execute(
            "SELECT d.id, d.title, d.created_at, COALESCE(MAX(v.number), 0) AS latest "
            "FROM draft d LEFT JOIN version v ON v.draft_id = d.id GROUP BY d.id ORDER BY d.id"
        )
        return [Draft(r["id"], r["title"], r["created_at"], r["latest"]) for r in rows]

    def add_version(
        self,
        draft_id: int,
        title: str,
        nodes: list[Node],
        *,
        source_name: str,
        source_sha256: str,
        warnings: list[str],
        progress: Callable[[int, int], None] | None = None,
    ) -> Version:
        number = self.conn.execute(
            "SELECT COALESCE(MAX(number), 0) + 1 FROM version WHERE draft_id = ?", (draft_id,)
        ).fetchone()[0]
        imported_at = now()
        cursor = self.conn.execute(
            "INSERT INTO version (draft_id, number, title, source_name, source_sha256, "
            "imported_at, warnings) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                draft_id,
                number,
                title,
                source_name,
                source_sha256,
                imported_at,
                json.dumps(warnings, ensure_ascii=False),
            ),
        )
        version_id = _id(cursor)
        position = 0
        total = sum(1 for node in nodes for _ in node.walk())
        stack: list[tuple[Node, int | None]] = [(node, None) for node in reversed(nodes)]
        while stack:
            node, parent_id = stack.pop()
            position += 1
            node.id = _id(
                self.conn.execute(
                    "INSERT INTO node (version_id, parent_id, position, kind, number, title, text, "
                    "key, source_line) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        version_id,
                        parent_id,
                        position,
                        node.kind,
                        node.number,
                        node.title,
                        node.text,
                        node.key,
                        node.source_line,
                    ),
                )
            )
            stack.extend((child, node.id) for child in reversed(node.children))
            if progress is not None:
                progress(position, total)
        self.index_articles(
            version_id,
            [
                (_stored(node), f"{node.heading()}\n{node.full_text()}")
                for top in nodes
                for node in top.walk()
                if is_commentable(node.kind)
            ],
        )
        return Version(version_id, draft_id, number, source_name, imported_at, tuple(warnings))

    def _version(self, row: sqlite3.Row) -> Version:
        return Version(
            row["id"],
            row["draft_id"],
            row["number"],
            row["source_name"],
            row["imported_at"],
            tuple(json.loads(row["warnings"])),
        )

    def get_version(self, draft_id: int, number: int | None = None) -> Version:
        self.get_draft(draft_id)
        if number is None:
            row = self.conn.execute(
                "SELECT * FROM version WHERE draft_id = ? ORDER BY number DESC LIMIT 1",
                (draft_id,),
            ).fetchone()
        else:
            row = self.conn.execute(
                "SELECT * FROM version WHERE draft_id = ? AND number = ?", (draft_id, number)
            ).fetchone()
        if row is None:
            if number is None:
                raise NotFound(N_("Draft %(id)s has no version."), id=draft_id)
            raise NotFound(N_("Draft %(id)s has no version %(n)s."), id=draft_id, n=number)
        return self._version(row)

    def get_version_by_id(self, version_id: int) -> Version:
        row = self.conn.execute("SELECT * FROM version WHERE id = ?", (version_id,)).fetchone()
        if row is None:
            raise NotFound(N_("There is no version %(id)s."), id=version_id)
        return self._version(row)

    def list_versions(self, draft_id: int) -> list[Version]:
        self.get_draft(draft_id)
        rows = self.conn.execute(
            "SELECT * FROM version WHERE draft_id = ? ORDER BY number", (draft_id,)
        )
        return [self._version(r) for r in rows]

    @staticmethod
    def _build(rows: list[sqlite3.Row], root_id: int | None = None) -> list[Node]:
        """Return the nodes of `rows` (in document order) as trees under `root_id`."""
        by_id: dict[int, Node] = {}
        roots: list[Node] = []
        for row in rows:
            node = node_alone(row)
            by_id[row["id"]] = node
            parent = by_id.get(row["parent_id"]) if row["id"] != root_id else None
            (parent.children if parent is not None else roots).append(node)
        return roots

    def get_tree(self, version_id: int) -> list[Node]:
        rows = self.conn.execute(
            f"SELECT {_NODE_COLUMNS} FROM node WHERE version_id = ? ORDER BY position",
            (version_id,),
        ).fetchall()
        return self._build(rows)

    def _subtree(self, node_id: int) -> Node:
        rows = self.conn.execute(
            f"WITH RECURSIVE sub(id) AS (SELECT ? UNION ALL "
            f"SELECT n.id FROM node n JOIN sub ON n.parent_id = sub.id) "
            f"SELECT {_NODE_COLUMNS} FROM node WHERE id IN (SELECT id FROM sub) ORDER BY position",
            (node_id,),
        ).fetchall()
        return self._build(rows, root_id=node_id)[0]

    def get_node(self, version_id: int, key: str) -> Node:
        row = self.conn.execute(
            "SELECT id FROM node WHERE version_id = ? AND key = ?", (version_id, key)
        ).fetchone()
        if row is None:
            raise NotFound(N_("This version has no provision “%(key)s”."), key=key)
        return self._subtree(row["id"])

    def get_node_by_id(self, node_id: int) -> Node:
        if self.conn.execute("SELECT 1 FROM node WHERE id = ?", (node_id,)).fetchone() is None:
            raise NotFound(N_("There is no provision %(id)s."), id=node_id)
        return self._subtree(node_id)

    def find_articles(self, version_id: int, number: str) -> list[Node]:
        rows = self.conn.execute(
            "SELECT id FROM node WHERE version_id = ? AND kind IN ('article', 'item') AND number = ? "
            "ORDER BY position",
            (version_id, number),
        ).fetchall()
        return [self._subtree(r["id"]) for r in rows]

    def iter_articles(self, version_id: int) -> Iterator[Node]:
        for node in self.get_tree(version_id):
            for inner in node.walk():
                if is_commentable(inner.kind):
                    yield inner

    def add_matches(self, version_id: int, matches: Sequence[MatchRow]) -> None:
        self.conn.executemany(
            "INSERT INTO article_match (version_id, old_node_id, new_node_id, status, similarity, "
            "renumbered, moved) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (version_id, old, new, m.status, m.similarity, int(m.renumbered), int(m.moved))
                for old, new, m in matches
            ],
        )

    def get_matches(self, version_id: int) -> list[ArticleMatch]:
        rows = self.conn.execute(
            "SELECT m.status, m.similarity, m.renumbered, m.moved, "
            "o.key AS old_key, o.number AS old_number, o.position AS old_position, "
            "n.key AS new_key, n.number AS new_number, n.position AS new_position "
            "FROM article_match m LEFT JOIN node o ON o.id = m.old_node_id "
            "LEFT JOIN node n ON n.id = m.new_node_id WHERE m.version_id = ? ORDER BY m.id",
            (version_id,),
        ).fetchall()
        return [
            ArticleMatch(
                r["status"],
                r["old_key"],
                r["new_key"],
                r["old_number"],
                r["new_number"],
                r["similarity"],
                bool(r["renumbered"]),
                bool(r["moved"]),
            )
            for r in rows
        ]

    def index_articles(self, version_id: int, texts: list[tuple[int, str]]) -> None:
        self.conn.executemany(
            "INSERT INTO search_index (rowid, body, kind, ref_id, version_id) "
            "VALUES (?, ?, 'article', ?, ?)",
            [(node_id, fold_diacritics(text), node_id, version_id) for node_id, text in texts],
        )
