"""SQLite queries of the audit log, uploads waiting for confirmation, and search."""

from __future__ import annotations

import re
import time

from ...errors import N_, NotFound
from ...model import AuditEntry, PendingUpload, SearchHit
from ...normalize import fold_diacritics
from .connection import Connected, _id

#: FTS5 lists its words only by reading its whole index (0.2–0.35 s at 100,000 rows): the list
#: is kept this many seconds per database file, so a word indexed meanwhile is offered as a
#: correction only after that (the rows holding a word are always counted afresh).
VOCABULARY_SECONDS = 300.0
_vocabularies: dict[str, tuple[float, list[str]]] = {}

#: The search rows a search may show: articles, and comments that their unit's latest
#: submission holds and that is not withdrawn: the rows kept in held_comment (one primary key
#: lookup a hit; shared by every backend's search).
SEARCH_VISIBLE = (
    "(s.kind = 'article' OR EXISTS (SELECT 1 FROM held_comment h WHERE h.comment_id = s.ref_id))"
)


#: The newest first, by rowid: an article's search row has its node's id (a later version's
#: nodes have higher ids), a comment's the comment's id negated (the newest, the lowest).
NEWEST_ARTICLES = "AND s.rowid > 0 ORDER BY s.rowid DESC"
NEWEST_COMMENTS = "AND s.rowid < 0 ORDER BY s.rowid"


class AuditQueries(Connected):
    """The audit, uploads and search part of :class:`drafter.storage.contract.AuditStore`."""

    def add_audit(
        self,
        user_id: int | None,
        action: str,
        target: str,
        *,
        now: str,
        consultation_id: int | None = None,
        details: str = "",
    ) -> None:
        self.conn.execute(
            "INSERT INTO audit (at, user_id, action, target, consultation_id, details) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (now, user_id, action, target, consultation_id, details),
        )

    def list_audit(
        self, *, consultation_id: int | None = None, limit: int = 500
    ) -> list[AuditEntry]:
        """Return the newest audit entries first, with the acting user's name and unit."""
        where, args = "", []
        if consultation_id is not None:
            where, args = "WHERE a.consultation_id = ?", [consultation_id]
        rows = self.conn.execute(
            "SELECT a.at, a.action, a.target, a.details, a.consultation_id, u.display_name AS who, "
            "u.username, n.name AS unit FROM audit a LEFT JOIN user u ON u.id = a.user_id "
            f"LEFT JOIN unit n ON n.id = u.unit_id {where} ORDER BY a.id DESC LIMIT ?",
            (*args, limit),
        )
        return [
            AuditEntry(
                r["at"], r["action"], r["target"], r["details"], r["consultation_id"], r["who"],
                r["username"], r["unit"],
            )
            for r in rows
        ]  # fmt: skip

    def add_pending_upload(
        self, user_id: int, name: str, data: bytes, *, draft_id: int | None, title: str, now: str
    ) -> int:
        return _id(
            self.conn.execute(
                "INSERT INTO pending_upload (user_id, draft_id, name, data, title, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (user_id, draft_id, name, data, title, now),
            )
        )

    def get_pending_upload(self, upload_id: int, user_id: int) -> PendingUpload:
        row = self.conn.execute(
            "SELECT * FROM pending_upload WHERE id = ? AND user_id = ?", (upload_id, user_id)
        ).fetchone()
        if row is None:
            raise NotFound(N_("There is no pending upload %(id)s."), id=upload_id)
        return PendingUpload(
            row["id"], row["user_id"], row["draft_id"], row["name"], bytes(row["data"]),
            row["title"], row["created_at"],
        )  # fmt: skip

    def delete_pending_upload(self, upload_id: int) -> None:
        self.conn.execute("DELETE FROM pending_upload WHERE id = ?", (upload_id,))

    def search(self, query: str, *, limit: int = 50, newest_first: bool = False) -> list[SearchHit]:
        """Return the article texts and submitted comments holding the words of `query` (at
        most 8) as whole words in that order, ignoring case and Vietnamese diacritics.

        Visibility is decided inside the query, before ranking and the limit: a comment
        counts only while its unit's latest submission holds it and is not withdrawn, so
        unsubmitted drafts can never push real results out of the first `limit`."""
        words = re.findall(r"\w+", fold_diacritics(query))[:8]
        if not words:
            return []
        # One phrase: whole words, in this order, next to each other ("quy che" is not
        # "quyết … chế độ"); FTS5 quotes need no escaping as words hold no quote.
        match = '"' + " ".join(words) + '"'
        select = (
            "SELECT s.kind, s.ref_id, s.version_id FROM search_index s "
            f"WHERE search_index MATCH ? AND {SEARCH_VISIBLE} "
        )
        if newest_first:  # read in rowid order, each kind stopping at its page
            rows = [
                *self.conn.execute(f"{select}{NEWEST_ARTICLES} LIMIT ?", (match, limit)),
                *self.conn.execute(f"{select}{NEWEST_COMMENTS} LIMIT ?", (match, limit)),
            ]
        else:
            rows = list(self.conn.execute(f"{select}ORDER BY rank LIMIT ?", (match, limit)))
        return [SearchHit(r["kind"], r["ref_id"], r["version_id"]) for r in rows]

    def word_candidates(self, word: str, *, limit: int = 100) -> list[str]:
        key = str(getattr(self, "path", ":memory:"))  # the database file
        now = time.monotonic()
        kept = _vocabularies.get(key) if key != ":memory:" else None
        if kept is None or now - kept[0] > VOCABULARY_SECONDS:
            kept = (now, [r[0] for r in self.conn.execute("SELECT term FROM search_vocab")])
            if key != ":memory:":
                _vocabularies[key] = kept
        return [term for term in kept[1] if abs(len(term) - len(word)) <= 2]

    def word_rows(self, words: list[str], *, cap: int = 1000) -> dict[str, int]:
        counts = dict.fromkeys(words, 0)
        for word in counts:
            row = self.conn.execute(
                "SELECT doc FROM search_vocab WHERE term = ?", (word,)
            ).fetchone()
            counts[word] = min(int(row[0]), cap) if row else 0
        return counts
