"""What each unit's active submission holds, kept as it changes (migration 0022): the rows of
``held_comment`` (one per comment its unit's standing latest submission holds, with the
revision held) and their counts per consultation, article, provision, unit, kind and withdrawn
(``held_count``), and the same without the provision (``held_article_count``).  The store's
writes call these in their own transaction: a submission replaces its unit's rows,
withdrawing it removes them, withdrawing a comment marks its row; each costs the unit's own
comments at most, never the consultation's."""

from __future__ import annotations

import sqlite3

#: The key columns of the counts per provision and per article, in their primary keys' order.
_KEY = "consultation_id, article_id, node_id, unit_id, kind, withdrawn"
_ARTICLE_KEY = "consultation_id, article_id, unit_id, kind, withdrawn"


def hold_submission(
    conn: sqlite3.Connection, submission_id: int, consultation_id: int, unit_id: int
) -> None:
    """Make the unit's new submission `submission_id` (just stored with its items) the one
    whose comments are held, in place of its previous one."""
    conn.execute(
        "DELETE FROM held_comment WHERE consultation_id = ? AND unit_id = ?",
        (consultation_id, unit_id),
    )
    conn.execute(
        "INSERT INTO held_comment (comment_id, consultation_id, unit_id, submission_id, "
        "revision_id, article_id, node_id, position, kind, withdrawn) "
        "SELECT c.id, c.consultation_id, c.unit_id, si.submission_id, r.id, c.article_id, "
        "c.node_id, n.position, r.kind, CASE WHEN c.withdrawn_at IS NULL THEN 0 ELSE 1 END "
        "FROM submission_item si JOIN comment_revision r ON r.id = si.revision_id "
        "JOIN comment c ON c.id = r.comment_id LEFT JOIN node n ON n.id = c.node_id "
        "WHERE si.submission_id = ?",
        (submission_id,),
    )
    recount(conn, consultation_id, unit_id)


def release_submission(conn: sqlite3.Connection, submission_id: int) -> None:
    """The submission `submission_id` was withdrawn: when it was its unit's active one, its
    comments are held no more."""
    row = conn.execute(
        "SELECT consultation_id, unit_id FROM submission WHERE id = ?", (submission_id,)
    ).fetchone()
    if row is None:
        return
    consultation_id, unit_id = row[0], row[1]
    conn.execute(
        "DELETE FROM held_comment WHERE consultation_id = ? AND unit_id = ? AND submission_id = ?",
        (consultation_id, unit_id, submission_id),
    )
    recount(conn, consultation_id, unit_id)


def recount(conn: sqlite3.Connection, consultation_id: int, unit_id: int) -> None:
    """Count the unit's held comments again (its rows of the count tables replaced)."""
    unit = (consultation_id, unit_id)
    conn.execute("DELETE FROM held_count WHERE consultation_id = ? AND unit_id = ?", unit)
    conn.execute(
        f"INSERT INTO held_count ({_KEY}, comments) "
        "SELECT consultation_id, COALESCE(article_id, 0), COALESCE(node_id, 0), unit_id, kind, "
        "withdrawn, COUNT(*) FROM held_comment WHERE consultation_id = ? AND unit_id = ? "
        "GROUP BY consultation_id, COALESCE(article_id, 0), COALESCE(node_id, 0), unit_id, "
        "kind, withdrawn",
        unit,
    )
    conn.execute("DELETE FROM held_article_count WHERE consultation_id = ? AND unit_id = ?", unit)
    conn.execute(
        f"INSERT INTO held_article_count ({_ARTICLE_KEY}, comments) "
        f"SELECT {_ARTICLE_KEY}, SUM(comments) FROM held_count "
        "WHERE consultation_id = ? AND unit_id = ? "
        f"GROUP BY {_ARTICLE_KEY}",
        unit,
    )


def mark_withdrawn(conn: sqlite3.Connection, comment_id: int) -> None:
    """The comment was withdrawn (it was not before): when it is held, its row says so and
    its counts move from the live comments to the withdrawn ones (four rows touched)."""
    row = conn.execute(
        "SELECT consultation_id, COALESCE(article_id, 0), COALESCE(node_id, 0), unit_id, kind "
        "FROM held_comment WHERE comment_id = ? AND withdrawn = 0",
        (comment_id,),
    ).fetchone()
    if row is None:
        return
    conn.execute("UPDATE held_comment SET withdrawn = 1 WHERE comment_id = ?", (comment_id,))
    consultation_id, article_id, node_id, unit_id, kind = tuple(row)
    for table, columns, key in (
        ("held_count", _KEY, (consultation_id, article_id, node_id, unit_id, kind)),
        ("held_article_count", _ARTICLE_KEY, (consultation_id, article_id, unit_id, kind)),
    ):
        names = columns.split(", ")[:-1]  # all but withdrawn
        where = " AND ".join(f"{name} = ?" for name in names) + " AND withdrawn = 0"
        conn.execute(f"UPDATE {table} SET comments = comments - 1 WHERE {where}", key)
        conn.execute(f"DELETE FROM {table} WHERE {where} AND comments = 0", key)
        conn.execute(
            f"INSERT INTO {table} ({columns}, comments) VALUES "
            f"({', '.join('?' * len(names))}, 1, 1) "
            f"ON CONFLICT ({columns}) DO UPDATE SET comments = {table}.comments + 1",
            key,
        )


def count_live(conn: sqlite3.Connection, consultation_id: int, unit_id: int, change: int) -> None:
    """Add `change` (1 or -1) to the unit's number of live comments in the consultation."""
    conn.execute(
        "UPDATE consultation_unit SET live_comments = live_comments + ? "
        "WHERE consultation_id = ? AND unit_id = ?",
        (change, consultation_id, unit_id),
    )


def count_unpublished(conn: sqlite3.Connection, comment_id: int) -> None:
    """A new answer to the comment is about to be stored, not published: its unit has one
    more comment whose latest answer waits to be published, unless its latest one already
    did."""
    latest = conn.execute(
        "SELECT published_at FROM answer WHERE comment_id = ? ORDER BY id DESC LIMIT 1",
        (comment_id,),
    ).fetchone()
    if latest is not None and latest[0] is None:
        return
    conn.execute(
        "UPDATE consultation_unit SET unpublished_answers = unpublished_answers + 1 "
        "WHERE consultation_id = (SELECT consultation_id FROM comment WHERE id = ?) "
        "AND unit_id = (SELECT unit_id FROM comment WHERE id = ?)",
        (comment_id, comment_id),
    )
