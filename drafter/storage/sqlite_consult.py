"""The SQLite queries of consultations: units, accounts, comments, submissions, answers."""

from __future__ import annotations

import re
import sqlite3

from ..errors import N_, NotFound
from ..model import Answer, Comment, Consultation, LoginFailures, Submission, Unit, User
from ..normalize import fold_diacritics

_CONSULTATION = (
    "SELECT c.*, v.draft_id, v.number AS version_number, d.title AS draft_title "
    "FROM consultation c JOIN version v ON v.id = c.version_id JOIN draft d ON d.id = v.draft_id"
)
# A comment at a given revision, with its target's keys, its author and its latest answer.
_COMMENT = """
SELECT c.id, c.consultation_id, c.unit_id, u.name AS unit_name, c.node_id, n.key AS node_key,
       a.key AS article_key, r.kind, r.text, r.proposed_text, au.display_name AS author,
       c.created_at, r.created_at AS updated_at, r.id AS revision_id, c.withdrawn_at,
       (SELECT COUNT(*) FROM comment_revision x WHERE x.comment_id = c.id) AS revisions,
       ans.status AS answer_status, ans.explanation AS answer_explanation,
       ans.answered_at, ab.display_name AS answered_by, r.html, ans.html AS answer_html
FROM comment c
JOIN unit u ON u.id = c.unit_id
JOIN comment_revision r ON r.id = {revision}
JOIN user au ON au.id = r.author_id
LEFT JOIN node n ON n.id = c.node_id
LEFT JOIN node a ON a.id = c.article_id
LEFT JOIN answer ans ON ans.id = (SELECT MAX(id) FROM answer WHERE comment_id = c.id)
LEFT JOIN user ab ON ab.id = ans.answered_by
"""
_LATEST = "(SELECT MAX(id) FROM comment_revision WHERE comment_id = c.id)"
_ACTIVE_SUBMISSION = (
    "(SELECT MAX(s.id) FROM submission s WHERE s.consultation_id = c.consultation_id "
    "AND s.unit_id = c.unit_id)"
)


def _comment(row: sqlite3.Row) -> Comment:
    answer = None
    if row["answer_status"]:
        answer = Answer(
            row["answer_status"],
            row["answer_explanation"],
            row["answered_by"],
            row["answered_at"],
            row["answer_html"],
        )
    return Comment(
        row["id"], row["consultation_id"], row["unit_id"], row["unit_name"], row["node_id"],
        row["node_key"], row["article_key"], row["kind"], row["text"], row["proposed_text"],
        row["author"], row["created_at"], row["updated_at"], row["revision_id"], row["revisions"],
        row["withdrawn_at"], answer, row["html"],
    )  # fmt: skip


def _user(row: sqlite3.Row) -> User:
    return User(
        row["id"],
        row["username"],
        row["display_name"],
        row["role"],
        row["unit_id"],
        bool(row["is_lead"]),
        row["password_hash"] is not None,
        row["disabled_at"] is not None,
    )


class ConsultationQueries:
    """Mixed into SQLiteStore: every method runs on ``self.conn``."""

    conn: sqlite3.Connection

    # -- units and accounts ---------------------------------------------------------------
    def create_unit(self, code: str, name: str, kind: str) -> int:
        return self.conn.execute(
            "INSERT INTO unit (code, name, kind) VALUES (?, ?, ?)", (code, name, kind)
        ).lastrowid

    def get_unit(self, unit_id: int) -> Unit:
        row = self.conn.execute("SELECT * FROM unit WHERE id = ?", (unit_id,)).fetchone()
        if row is None:
            raise NotFound(N_("There is no unit %(id)s."), id=unit_id)
        return Unit(row["id"], row["code"], row["name"], row["kind"])

    def find_unit(self, code: str) -> Unit | None:
        row = self.conn.execute("SELECT * FROM unit WHERE code = ?", (code,)).fetchone()
        return Unit(row["id"], row["code"], row["name"], row["kind"]) if row else None

    def list_units(self) -> list[Unit]:
        rows = self.conn.execute("SELECT * FROM unit ORDER BY name")
        return [Unit(r["id"], r["code"], r["name"], r["kind"]) for r in rows]

    def create_user(
        self,
        username: str,
        display_name: str,
        role: str,
        *,
        unit_id: int | None = None,
        is_lead: bool = False,
        password_hash: str | None = None,
        now: str,
    ) -> int:
        return self.conn.execute(
            "INSERT INTO user (username, display_name, password_hash, role, unit_id, is_lead, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (username, display_name, password_hash, role, unit_id, int(is_lead), now),
        ).lastrowid

    def get_user(self, user_id: int) -> User:
        row = self.conn.execute("SELECT * FROM user WHERE id = ?", (user_id,)).fetchone()
        if row is None:
            raise NotFound(N_("There is no user %(id)s."), id=user_id)
        return _user(row)

    def find_login(self, username: str) -> tuple[User, str | None] | None:
        row = self.conn.execute("SELECT * FROM user WHERE username = ?", (username,)).fetchone()
        return (_user(row), row["password_hash"]) if row else None

    def list_users(self, unit_id: int | None = None) -> list[User]:
        if unit_id is None:
            rows = self.conn.execute("SELECT * FROM user ORDER BY role DESC, display_name")
        else:
            rows = self.conn.execute(
                "SELECT * FROM user WHERE unit_id = ? ORDER BY is_lead DESC, display_name",
                (unit_id,),
            )
        return [_user(r) for r in rows]

    def session_epoch(self, user_id: int) -> int:
        row = self.conn.execute(
            "SELECT session_epoch FROM user WHERE id = ?", (user_id,)
        ).fetchone()
        return row[0] if row else -1

    def end_sessions(self, user_id: int) -> None:
        """Invalidate every session of the account (signing out, a new password)."""
        self.conn.execute(
            "UPDATE user SET session_epoch = session_epoch + 1 WHERE id = ?", (user_id,)
        )

    def set_password(self, user_id: int, password_hash: str) -> None:
        self.conn.execute(
            "UPDATE user SET password_hash = ? WHERE id = ?", (password_hash, user_id)
        )

    def add_invitation(self, user_id: int, token_hash: str, *, now: str, expires_at: str) -> None:
        self.conn.execute(
            "INSERT INTO invitation (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
            (token_hash, user_id, now, expires_at),
        )

    def get_invitation(self, token_hash: str) -> tuple[int, str, str | None] | None:
        """Return (user id, expiry, used at) of an invitation, or None."""
        row = self.conn.execute(
            "SELECT user_id, expires_at, used_at FROM invitation WHERE token_hash = ? "
            "AND revoked_at IS NULL",
            (token_hash,),
        ).fetchone()
        return (row["user_id"], row["expires_at"], row["used_at"]) if row else None

    def use_invitation(self, token_hash: str, *, now: str) -> bool:
        """Mark an unused invitation used; return False if it was already used."""
        cursor = self.conn.execute(
            "UPDATE invitation SET used_at = ? WHERE token_hash = ? AND used_at IS NULL "
            "AND revoked_at IS NULL",
            (now, token_hash),
        )
        return cursor.rowcount == 1

    # -- consultations ----------------------------------------------------------------------
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
        consultation_id = self.conn.execute(
            "INSERT INTO consultation (version_id, title, opens_at, deadline, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (version_id, title, opens_at, deadline, now),
        ).lastrowid
        self.conn.executemany(
            "INSERT INTO consultation_unit (consultation_id, unit_id, invited_at) VALUES (?, ?, ?)",
            [(consultation_id, unit_id, now) for unit_id in unit_ids],
        )
        return consultation_id

    def _consultation(self, row: sqlite3.Row) -> Consultation:
        return Consultation(
            row["id"], row["version_id"], row["draft_id"], row["version_number"],
            row["draft_title"], row["title"], row["opens_at"], row["deadline"], row["closed_at"],
            bool(row["share_submitted"]), row["created_at"],
        )  # fmt: skip

    def get_consultation(self, consultation_id: int) -> Consultation:
        row = self.conn.execute(f"{_CONSULTATION} WHERE c.id = ?", (consultation_id,)).fetchone()
        if row is None:
            raise NotFound(N_("There is no consultation %(id)s."), id=consultation_id)
        return self._consultation(row)

    def list_consultations(self, unit_id: int | None = None) -> list[Consultation]:
        if unit_id is None:
            rows = self.conn.execute(f"{_CONSULTATION} ORDER BY c.id DESC")
        else:
            rows = self.conn.execute(
                f"{_CONSULTATION} JOIN consultation_unit cu ON cu.consultation_id = c.id "
                "WHERE cu.unit_id = ? ORDER BY c.id DESC",
                (unit_id,),
            )
        return [self._consultation(r) for r in rows]

    def consultation_units(self, consultation_id: int) -> list[Unit]:
        rows = self.conn.execute(
            "SELECT u.* FROM unit u JOIN consultation_unit cu ON cu.unit_id = u.id "
            "WHERE cu.consultation_id = ? ORDER BY u.name",
            (consultation_id,),
        )
        return [Unit(r["id"], r["code"], r["name"], r["kind"]) for r in rows]

    def invite_unit(self, consultation_id: int, unit_id: int, *, now: str) -> None:
        self.conn.execute(
            "INSERT OR IGNORE INTO consultation_unit (consultation_id, unit_id, invited_at) "
            "VALUES (?, ?, ?)",
            (consultation_id, unit_id, now),
        )

    def is_invited(self, consultation_id: int, unit_id: int) -> bool:
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

    # -- comments ---------------------------------------------------------------------------
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
        comment_id = self.conn.execute(
            "INSERT INTO comment (consultation_id, unit_id, node_id, article_id, created_by, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?)",
            (consultation_id, unit_id, node_id, article_id, user_id, now),
        ).lastrowid
        self.revise_comment(
            comment_id, user_id, kind=kind, text=text, proposed_text=proposed_text, now=now,
            html=html,
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
    ) -> int:
        revision_id = self.conn.execute(
            "INSERT INTO comment_revision (comment_id, kind, text, proposed_text, author_id, "
            "created_at, html) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (comment_id, kind, text, proposed_text, user_id, now, html),
        ).lastrowid
        # A comment's search row has rowid = -comment id (an article's, its node id), so that
        # replacing it is a rowid probe, not a scan of the whole index.
        self.conn.execute("DELETE FROM search_index WHERE rowid = ?", (-comment_id,))
        self.conn.execute(
            "INSERT INTO search_index (rowid, body, kind, ref_id, version_id) "
            "VALUES (?, ?, 'comment', ?, NULL)",
            (-comment_id, fold_diacritics(f"{text}\n{proposed_text or ''}"), comment_id),
        )
        return revision_id

    def withdraw_comment(self, comment_id: int, *, now: str) -> None:
        self.conn.execute(
            "UPDATE comment SET withdrawn_at = ? WHERE id = ? AND withdrawn_at IS NULL",
            (now, comment_id),
        )
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
        where, args = ["c.consultation_id = ?"], [consultation_id]
        if submitted_only:
            # The comment's revisions (a handful, by index), the one the unit's active
            # submission holds (a primary-key probe): never a walk over the whole submission.
            sql = _COMMENT.format(
                revision="(SELECT x.id FROM comment_revision x WHERE x.comment_id = c.id AND "
                "EXISTS (SELECT 1 FROM submission_item si WHERE si.revision_id = x.id AND "
                f"si.submission_id = {_ACTIVE_SUBMISSION}))"
            )
            where.append(
                f"(SELECT withdrawn_at FROM submission WHERE id = {_ACTIVE_SUBMISSION}) IS NULL"
            )
        else:
            sql = _COMMENT.format(revision=_LATEST)
            if not include_withdrawn:
                where.append("c.withdrawn_at IS NULL")
        if unit_id is not None:
            where.append("c.unit_id = ?")
            args.append(unit_id)
        if article_key is not None:
            # By the article's node id, so that comment_article (consultation_id, article_id)
            # narrows the scan to that article.
            row = self.conn.execute(
                "SELECT n.id FROM node n JOIN consultation k ON k.version_id = n.version_id "
                "WHERE k.id = ? AND n.key = ?",
                (consultation_id, article_key),
            ).fetchone()
            where.append("c.article_id = ?")
            args.append(row[0] if row else -1)
        if general:
            where.append("c.node_id IS NULL")
        rows = self.conn.execute(
            f"{sql} WHERE {' AND '.join(where)} ORDER BY n.position IS NOT NULL, n.position, c.id",
            args,
        )
        return [_comment(r) for r in rows]

    def comment_history(self, comment_id: int) -> list[tuple[str, str, str, str | None, str]]:
        """Return every revision of a comment: (kind, text, proposed text, author, at)."""
        rows = self.conn.execute(
            "SELECT r.kind, r.text, r.proposed_text, u.display_name, r.created_at "
            "FROM comment_revision r JOIN user u ON u.id = r.author_id WHERE r.comment_id = ? "
            "ORDER BY r.id",
            (comment_id,),
        )
        return [tuple(r) for r in rows]

    def article_counts(
        self, consultation_id: int, *, unit_id: int | None = None, submitted_only: bool = False
    ) -> dict[str, dict[str, int]]:
        """Return, per article key, how many comments of each kind there are."""
        counts: dict[str, dict[str, int]] = {}
        for comment in self.list_comments(
            consultation_id, unit_id=unit_id, submitted_only=submitted_only
        ):
            key = comment.article_key or ""
            bucket = counts.setdefault(key, {})
            bucket[comment.kind] = bucket.get(comment.kind, 0) + 1
        return counts

    # -- submissions ------------------------------------------------------------------------
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
            "SELECT s.*, u.display_name AS submitted_by_name, "
            "(SELECT COUNT(*) FROM submission_item WHERE submission_id = s.id) AS items "
            "FROM submission s JOIN user u ON u.id = s.submitted_by "
            "WHERE s.consultation_id = ? AND s.unit_id = ? ORDER BY s.id",
            (consultation_id, unit_id),
        )
        return [self._submission(r) for r in rows]

    def add_submission(
        self, consultation_id: int, unit_id: int, user_id: int, *, no_comments: bool, now: str
    ) -> int:
        submission_id = self.conn.execute(
            "INSERT INTO submission (consultation_id, unit_id, submitted_by, submitted_at, "
            "no_comments) VALUES (?, ?, ?, ?, ?)",
            (consultation_id, unit_id, user_id, now, int(no_comments)),
        ).lastrowid
        self.conn.execute(
            "INSERT INTO submission_item (submission_id, revision_id) "
            f"SELECT ?, {_LATEST} FROM comment c WHERE c.consultation_id = ? AND c.unit_id = ? "
            "AND c.withdrawn_at IS NULL",
            (submission_id, consultation_id, unit_id),
        )
        return submission_id

    def withdraw_submission(self, submission_id: int, user_id: int, *, now: str) -> None:
        self.conn.execute(
            "UPDATE submission SET withdrawn_at = ?, withdrawn_by = ? WHERE id = ? "
            "AND withdrawn_at IS NULL",
            (now, user_id, submission_id),
        )

    def unit_progress(
        self, consultation_id: int, *, unit_id: int | None = None
    ) -> list[tuple[Unit, int, Submission | None]]:
        """Return each invited unit (or just `unit_id`) with its number of live comments and
        its latest submission."""
        out = []
        for unit in self.consultation_units(consultation_id):
            if unit_id is not None and unit.id != unit_id:
                continue
            live = self.conn.execute(
                "SELECT COUNT(*) FROM comment WHERE consultation_id = ? AND unit_id = ? "
                "AND withdrawn_at IS NULL",
                (consultation_id, unit.id),
            ).fetchone()[0]
            submissions = self.list_submissions(consultation_id, unit.id)
            out.append((unit, live, submissions[-1] if submissions else None))
        return out

    # -- answers ----------------------------------------------------------------------------
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
        self.conn.execute(
            "INSERT INTO answer (comment_id, status, explanation, answered_by, answered_at, html) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (comment_id, status, explanation, user_id, now, html),
        )

    # -- uploads waiting for confirmation -----------------------------------------------------
    def add_pending_upload(
        self, user_id: int, name: str, data: bytes, *, draft_id: int | None, title: str, now: str
    ) -> int:
        return self.conn.execute(
            "INSERT INTO pending_upload (user_id, draft_id, name, data, title, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (user_id, draft_id, name, data, title, now),
        ).lastrowid

    def get_pending_upload(self, upload_id: int, user_id: int) -> dict:
        row = self.conn.execute(
            "SELECT * FROM pending_upload WHERE id = ? AND user_id = ?", (upload_id, user_id)
        ).fetchone()
        if row is None:
            raise NotFound(N_("There is no pending upload %(id)s."), id=upload_id)
        return dict(row)

    def delete_pending_upload(self, upload_id: int) -> None:
        self.conn.execute("DELETE FROM pending_upload WHERE id = ?", (upload_id,))

    # -- audit log and sign-in failures ------------------------------------------------------
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

    def list_audit(self, *, consultation_id: int | None = None, limit: int = 500) -> list[dict]:
        """Return the newest audit entries first, with the acting user's name."""
        where, args = "", []
        if consultation_id is not None:
            where, args = "WHERE a.consultation_id = ?", [consultation_id]
        rows = self.conn.execute(
            "SELECT a.at, a.action, a.target, a.details, a.consultation_id, u.display_name AS who, "
            f"u.username FROM audit a LEFT JOIN user u ON u.id = a.user_id {where} "
            "ORDER BY a.id DESC LIMIT ?",
            (*args, limit),
        )
        return [dict(r) for r in rows]

    def add_login_failure(self, username: str, address: str, *, now: str) -> None:
        self.conn.execute(
            "INSERT INTO login_failure (username, address, at) VALUES (?, ?, ?)",
            (username, address, now),
        )

    # -- search -------------------------------------------------------------------------------
    def index_articles(self, version_id: int, texts: list[tuple[int, str]]) -> None:
        self.conn.executemany(
            "INSERT INTO search_index (rowid, body, kind, ref_id, version_id) "
            "VALUES (?, ?, 'article', ?, ?)",
            [(node_id, fold_diacritics(text), node_id, version_id) for node_id, text in texts],
        )

    def search(self, query: str, *, limit: int = 50) -> list[tuple[str, int, int | None]]:
        """Return (kind, ref id, version id) for article texts and submitted comments matching
        every word of `query` (at most 8 words), ignoring case and Vietnamese diacritics.

        Visibility is decided inside the query, before ranking and the limit: a comment
        counts only while its unit's latest submission holds it and is not withdrawn, so
        unsubmitted drafts can never push real results out of the first `limit`."""
        words = re.findall(r"\w+", fold_diacritics(query))[:8]
        if not words:
            return []
        match = " ".join(f'"{w}"*' for w in words)
        rows = self.conn.execute(
            "SELECT s.kind, s.ref_id, s.version_id FROM search_index s "
            "WHERE search_index MATCH ? AND (s.kind = 'article' OR EXISTS ("
            "  SELECT 1 FROM comment c JOIN submission sub ON sub.id = ("
            "    SELECT MAX(x.id) FROM submission x"
            "    WHERE x.consultation_id = c.consultation_id AND x.unit_id = c.unit_id)"
            "  JOIN submission_item si ON si.submission_id = sub.id"
            "  JOIN comment_revision r ON r.id = si.revision_id AND r.comment_id = c.id"
            "  WHERE c.id = s.ref_id AND sub.withdrawn_at IS NULL)) "
            "ORDER BY rank LIMIT ?",
            (match, limit),
        )
        return [(r["kind"], r["ref_id"], r["version_id"]) for r in rows]

    # -- guards against a hostile insider ---------------------------------------------------
    def revoke_invitations(self, user_id: int, *, now: str) -> int:
        """Revoke every unused invitation of an account; return how many."""
        return self.conn.execute(
            "UPDATE invitation SET revoked_at = ? WHERE user_id = ? AND used_at IS NULL "
            "AND revoked_at IS NULL",
            (now, user_id),
        ).rowcount

    def set_disabled(self, user_id: int, disabled_at: str | None) -> None:
        """Disable an account from `disabled_at` (None: enable it again)."""
        self.conn.execute("UPDATE user SET disabled_at = ? WHERE id = ?", (disabled_at, user_id))

    def login_failures(self, *, username: str, address: str, since: str) -> LoginFailures:
        """Return the failed sign-ins since `since` for this account from this address, and
        from this address for any account."""
        pair = self.conn.execute(
            "SELECT COUNT(*), MAX(at) FROM login_failure WHERE username = ? AND address = ? "
            "AND at >= ?",
            (username, address, since),
        ).fetchone()
        by_address = self.conn.execute(
            "SELECT COUNT(*), MAX(at) FROM login_failure WHERE address = ? AND at >= ?",
            (address, since),
        ).fetchone()
        return LoginFailures(pair[0], pair[1], by_address[0], by_address[1])

    def clear_login_failures_from(self, username: str, address: str) -> None:
        """Forget the failures of an account from one address (after a right password)."""
        self.conn.execute(
            "DELETE FROM login_failure WHERE username = ? AND address = ?", (username, address)
        )

    def count_unit_comments(self, consultation_id: int, unit_id: int) -> int:
        """Return how many comments a unit has created in a consultation, withdrawn ones too."""
        return self.conn.execute(
            "SELECT COUNT(*) FROM comment WHERE consultation_id = ? AND unit_id = ?",
            (consultation_id, unit_id),
        ).fetchone()[0]
