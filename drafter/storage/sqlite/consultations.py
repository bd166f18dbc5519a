"""SQLite queries of consultations: invited units, comments and their revisions, submissions,
answers."""

from __future__ import annotations

import sqlite3

from ...errors import N_, NotFound
from ...model import (
    Answer,
    Comment,
    Consultation,
    Revision,
    Submission,
    Unit,
)
from ...normalize import fold_diacritics
from .accounts import _unit
from .connection import Connected, _id
from .held import (
    count_live,
    count_unpublished,
    hold_submission,
    mark_withdrawn,
    release_submission,
)

_CONSULTATION_COLUMNS = "SELECT c.*, v.draft_id, v.number AS version_number, d.title AS draft_title"
_CONSULTATION_FROM = (
    "FROM consultation c JOIN version v ON v.id = c.version_id JOIN draft d ON d.id = v.draft_id"
)
_CONSULTATION = f"{_CONSULTATION_COLUMNS} {_CONSULTATION_FROM}"
_COMMENT = """
SELECT c.id, c.consultation_id, c.unit_id, u.name AS unit_name, c.node_id, n.key AS node_key,
       a.key AS article_key, r.kind, r.text, r.proposed_text, au.display_name AS author,
       (SELECT cu.role FROM user cu WHERE cu.id = c.created_by) = 'organizer' AS by_organizer,
       c.created_at, r.created_at AS updated_at, r.id AS revision_id, c.withdrawn_at,
       (SELECT COUNT(*) FROM comment_revision x WHERE x.comment_id = c.id) AS revisions,
       ans.status AS answer_status, ans.explanation AS answer_explanation,
       ans.answered_at AS answer_answered_at, ab.display_name AS answer_by, r.html,
       ans.html AS answer_html,
       ans.published_at AS answer_published_at, pub.status AS pub_status,
       pub.explanation AS pub_explanation, pub.answered_at AS pub_answered_at,
       pb.display_name AS pub_by, pub.html AS pub_html, pub.published_at AS pub_published_at
FROM comment c
JOIN unit u ON u.id = c.unit_id
JOIN comment_revision r ON r.id = {revision}
JOIN user au ON au.id = r.author_id
LEFT JOIN node n ON n.id = c.node_id
LEFT JOIN node a ON a.id = c.article_id
LEFT JOIN answer ans ON ans.id = (SELECT MAX(id) FROM answer WHERE comment_id = c.id)
LEFT JOIN user ab ON ab.id = ans.answered_by
LEFT JOIN answer pub ON pub.id = (SELECT MAX(id) FROM answer WHERE comment_id = c.id
                                  AND published_at IS NOT NULL)
LEFT JOIN user pb ON pb.id = pub.answered_by
"""
_LATEST = "(SELECT MAX(id) FROM comment_revision WHERE comment_id = c.id)"


def _answer(row: sqlite3.Row, prefix: str) -> Answer | None:
    """Return the answer in the columns named `prefix`_*: "answer" the latest, "pub" the
    latest published one."""
    if not row[f"{prefix}_status"]:
        return None
    return Answer(
        row[f"{prefix}_status"],
        row[f"{prefix}_explanation"],
        row[f"{prefix}_by"],
        row[f"{prefix}_answered_at"],
        row[f"{prefix}_html"],
        row[f"{prefix}_published_at"],
    )


def consultation_of(row: sqlite3.Row) -> Consultation:
    """Build a consultation from a row of :data:`_CONSULTATION`'s columns."""
    return Consultation(
        row["id"], row["version_id"], row["draft_id"], row["version_number"],
        row["draft_title"], row["title"], row["opens_at"], row["deadline"], row["closed_at"],
        bool(row["share_submitted"]), row["created_at"],
    )  # fmt: skip


def _comment(row: sqlite3.Row) -> Comment:
    answer = _answer(row, "answer")
    return Comment(
        row["id"], row["consultation_id"], row["unit_id"], row["unit_name"], row["node_id"],
        row["node_key"], row["article_key"], row["kind"], row["text"], row["proposed_text"],
        row["author"], row["created_at"], row["updated_at"], row["revision_id"], row["revisions"],
        row["withdrawn_at"], answer, row["html"], _answer(row, "pub"), bool(row["by_organizer"]),
    )  # fmt: skip


class ConsultationQueries(Connected):
    """The consultations part of :class:`drafter.storage.contract.ConsultationStore`."""

    def create_consultation(
        self,
        version_id: int,
        title: str,
        *,
        opens_at: str,
        deadline: str,
        unit_ids: list[int],
        now: str,
    ) -> int:
        consultation_id = _id(
            self.conn.execute(
                "INSERT INTO consultation (version_id, title, opens_at, deadline, created_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (version_id, title, opens_at, deadline, now),
            )
        )
        self.conn.executemany(
            "INSERT INTO consultation_unit (consultation_id, unit_id, invited_at) VALUES (?, ?, ?)",
            [(consultation_id, unit_id, now) for unit_id in unit_ids],
        )
        return consultation_id

    def get_consultation(self, consultation_id: int) -> Consultation:
        row = self.conn.execute(f"{_CONSULTATION} WHERE c.id = ?", (consultation_id,)).fetchone()
        if row is None:
            raise NotFound(N_("There is no consultation %(id)s."), id=consultation_id)
        return consultation_of(row)

    def list_consultations(self, unit_id: int | None = None) -> list[Consultation]:
        if unit_id is None:
            rows = self.conn.execute(f"{_CONSULTATION} ORDER BY c.id DESC")
        else:
            rows = self.conn.execute(
                f"{_CONSULTATION} JOIN consultation_unit cu ON cu.consultation_id = c.id "
                "WHERE cu.unit_id = ? ORDER BY c.id DESC",
                (unit_id,),
            )
        return [consultation_of(r) for r in rows]

    def consultation_units(self, consultation_id: int) -> list[Unit]:
        rows = self.conn.execute(
            "SELECT u.* FROM unit u JOIN consultation_unit cu ON cu.unit_id = u.id "
            "WHERE cu.consultation_id = ? ORDER BY u.name",
            (consultation_id,),
        )
        return [_unit(r) for r in rows]

    def invite_unit(self, consultation_id: int, unit_id: int, *, now: str) -> None:
        self.conn.execute(
            "INSERT OR IGNORE INTO consultation_unit (consultation_id, unit_id, invited_at, "
            "live_comments) VALUES (?, ?, ?, (SELECT COUNT(*) FROM comment WHERE "
            "consultation_id = ? AND unit_id = ? AND withdrawn_at IS NULL))",
            (consultation_id, unit_id, now, consultation_id, unit_id),
        )

    def is_invited(self, consultation_id: int, unit_id: int | None) -> bool:
        return (
            self.conn.execute(
                "SELECT 1 FROM consultation_unit WHERE consultation_id = ? AND unit_id = ?",
                (consultation_id, unit_id),
            ).fetchone()
            is not None
        )

    def close_consultation(self, consultation_id: int, *, now: str) -> None:
        self.conn.execute(
            "UPDATE consultation SET closed_at = ? WHERE id = ? AND closed_at IS NULL",
            (now, consultation_id),
        )

    def set_share_submitted(self, consultation_id: int, share: bool) -> None:
        self.conn.execute(
            "UPDATE consultation SET share_submitted = ? WHERE id = ?",
            (int(share), consultation_id),
        )

    def add_comment(
        self,
        consultation_id: int,
        unit_id: int,
        user_id: int,
        *,
        node_id: int | None,
        article_id: int | None,
        kind: str,
        text: str,
        proposed_text: str | None,
        now: str,
        html: str | None = None,
    ) -> int:
        comment_id = _id(
            self.conn.execute(
                "INSERT INTO comment (consultation_id, unit_id, node_id, article_id, created_by, "
                "created_at) VALUES (?, ?, ?, ?, ?, ?)",
                (consultation_id, unit_id, node_id, article_id, user_id, now),
            )
        )
        self.conn.execute(  # one more created, one more live: one statement
            "UPDATE consultation_unit SET comments_created = comments_created + 1, "
            "live_comments = live_comments + 1 WHERE consultation_id = ? AND unit_id = ?",
            (consultation_id, unit_id),
        )
        self.revise_comment(
            comment_id, user_id, kind=kind, text=text, proposed_text=proposed_text, now=now,
            html=html, new=True,
        )  # fmt: skip
        return comment_id

    def revise_comment(
        self,
        comment_id: int,
        user_id: int,
        *,
        kind: str,
        text: str,
        proposed_text: str | None,
        now: str,
        html: str | None = None,
        new: bool = False,
    ) -> int:
        """Store a revision and the comment's search row (`new`, from add_comment: the
        comment has none yet — comments are never deleted, so no id is ever taken again)."""
        revision_id = _id(
            self.conn.execute(
                "INSERT INTO comment_revision (comment_id, kind, text, proposed_text, author_id, "
                "created_at, html) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (comment_id, kind, text, proposed_text, user_id, now, html),
            )
        )
        # A comment's search row has rowid = -comment id (an article's, its node id), so that
        # replacing it is a rowid probe, not a scan of the whole index.
        if not new:
            self.conn.execute("DELETE FROM search_index WHERE rowid = ?", (-comment_id,))
        self.conn.execute(
            "INSERT INTO search_index (rowid, body, kind, ref_id, version_id) "
            "VALUES (?, ?, 'comment', ?, NULL)",
            (-comment_id, fold_diacritics(f"{text}\n{proposed_text or ''}"), comment_id),
        )
        return revision_id

    def withdraw_comment(self, comment_id: int, *, now: str) -> None:
        changed = self.conn.execute(
            "UPDATE comment SET withdrawn_at = ? WHERE id = ? AND withdrawn_at IS NULL",
            (now, comment_id),
        ).rowcount
        if changed:  # live until now: one fewer live comment, and its held row withdrawn
            row = self.conn.execute(
                "SELECT consultation_id, unit_id FROM comment WHERE id = ?", (comment_id,)
            ).fetchone()
            count_live(self.conn, row[0], row[1], -1)
            mark_withdrawn(self.conn, comment_id)
        self.conn.execute("DELETE FROM search_index WHERE rowid = ?", (-comment_id,))

    def get_comment(self, comment_id: int) -> Comment:
        row = self.conn.execute(
            _COMMENT.format(revision=_LATEST) + " WHERE c.id = ?", (comment_id,)
        ).fetchone()
        if row is None:
            raise NotFound(N_("There is no comment %(id)s."), id=comment_id)
        return _comment(row)

    def list_comments(
        self,
        consultation_id: int,
        *,
        unit_id: int | None = None,
        article_key: str | None = None,
        general: bool = False,
        submitted_only: bool = False,
        include_withdrawn: bool = False,
    ) -> list[Comment]:
        """Return comments in document order.  With `submitted_only`, each comment is shown at
        the revision its unit's active submission holds, and only those comments."""
        # Submitted: the comments the units' standing submissions hold (held_comment, by its
        # index), never a walk over every comment of the consultation.
        alias = "h" if submitted_only else "c"
        where, args = [f"{alias}.consultation_id = ?"], [consultation_id]
        if not submitted_only and not include_withdrawn:
            where.append("c.withdrawn_at IS NULL")
        if unit_id is not None:
            where.append(f"{alias}.unit_id = ?")
            args.append(unit_id)
        if article_key is not None:
            # By the article's node id, so that an index on (consultation_id, article_id)
            # narrows the scan to that article.
            row = self.conn.execute(
                "SELECT n.id FROM node n JOIN consultation k ON k.version_id = n.version_id "
                "WHERE k.id = ? AND n.key = ?",
                (consultation_id, article_key),
            ).fetchone()
            where.append(f"{alias}.article_id = ?")
            args.append(row[0] if row else -1)
        if general:  # a comment on no provision is on no article either
            where.append(f"{alias}.node_id IS NULL")
            if submitted_only:
                where.append("h.article_id IS NULL")
        condition = " AND ".join(where)
        if submitted_only:
            sql = _COMMENT.format(
                revision="(SELECT h.revision_id FROM held_comment h WHERE h.comment_id = c.id)"
            )
            condition = f"c.id IN (SELECT h.comment_id FROM held_comment h WHERE {condition})"
        else:
            sql = _COMMENT.format(revision=_LATEST)
        rows = self.conn.execute(
            f"{sql} WHERE {condition} ORDER BY n.position IS NOT NULL, n.position, c.id", args
        )
        return [_comment(r) for r in rows]

    def comment_history(self, comment_id: int) -> list[Revision]:
        """Return every revision of a comment, oldest first."""
        rows = self.conn.execute(
            "SELECT r.kind, r.text, r.proposed_text, u.display_name, r.created_at "
            "FROM comment_revision r JOIN user u ON u.id = r.author_id WHERE r.comment_id = ? "
            "ORDER BY r.id",
            (comment_id,),
        )
        return [Revision(r[0], r[1], r[2], r[3], r[4]) for r in rows]

    def count_unit_comments(self, consultation_id: int, unit_id: int) -> int:
        """Return how many comments a unit has created in a consultation, withdrawn ones too:
        the counter add_comment keeps (one row read, whatever the number of comments)."""
        row = self.conn.execute(
            "SELECT comments_created FROM consultation_unit WHERE consultation_id = ? "
            "AND unit_id = ?",
            (consultation_id, unit_id),
        ).fetchone()
        return int(row[0]) if row else 0

    def has_standing_submission(self, consultation_id: int, unit_id: int) -> bool:
        """Return whether the unit's latest submission stands (not withdrawn): one index
        probe, not the unit's progress."""
        row = self.conn.execute(
            "SELECT withdrawn_at FROM submission WHERE consultation_id = ? AND unit_id = ? "
            "ORDER BY id DESC LIMIT 1",
            (consultation_id, unit_id),
        ).fetchone()
        return row is not None and row[0] is None

    def _submission(self, row: sqlite3.Row) -> Submission:
        return Submission(
            row["id"],
            row["unit_id"],
            row["submitted_by_name"],
            row["submitted_at"],
            bool(row["no_comments"]),
            row["withdrawn_at"],
            row["items"],
        )

    def list_submissions(self, consultation_id: int, unit_id: int) -> list[Submission]:
        rows = self.conn.execute(
            "SELECT s.*, u.display_name AS submitted_by_name "
            "FROM submission s JOIN user u ON u.id = s.submitted_by "
            "WHERE s.consultation_id = ? AND s.unit_id = ? ORDER BY s.id",
            (consultation_id, unit_id),
        )
        return [self._submission(r) for r in rows]

    def add_submission(
        self, consultation_id: int, unit_id: int, user_id: int, *, no_comments: bool, now: str
    ) -> int:
        submission_id = _id(
            self.conn.execute(
                "INSERT INTO submission (consultation_id, unit_id, submitted_by, submitted_at, "
                "no_comments) VALUES (?, ?, ?, ?, ?)",
                (consultation_id, unit_id, user_id, now, int(no_comments)),
            )
        )
        self.conn.execute(
            "INSERT INTO submission_item (submission_id, revision_id) "
            f"SELECT ?, {_LATEST} FROM comment c WHERE c.consultation_id = ? AND c.unit_id = ? "
            "AND c.withdrawn_at IS NULL",
            (submission_id, consultation_id, unit_id),
        )
        self.conn.execute(
            "UPDATE submission SET items = (SELECT COUNT(*) FROM submission_item "
            "WHERE submission_id = ?) WHERE id = ?",
            (submission_id, submission_id),
        )
        hold_submission(self.conn, submission_id, consultation_id, unit_id)
        return submission_id

    def withdraw_submission(self, submission_id: int, user_id: int, *, now: str) -> None:
        self.conn.execute(
            "UPDATE submission SET withdrawn_at = ?, withdrawn_by = ? WHERE id = ? "
            "AND withdrawn_at IS NULL",
            (now, user_id, submission_id),
        )
        release_submission(self.conn, submission_id)

    def add_answer(
        self,
        comment_id: int,
        user_id: int,
        *,
        status: str,
        explanation: str,
        now: str,
        html: str | None = None,
    ) -> None:
        count_unpublished(self.conn, comment_id)
        self.conn.execute(
            "INSERT INTO answer (comment_id, status, explanation, answered_by, answered_at, html) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (comment_id, status, explanation, user_id, now, html),
        )
