"""SQLite aggregate queries of a consultation's figures: comments counted by unit, article and
kind, and the units' progress, each in a fixed number of statements however many units and
comments there are (the dashboard ran 3 statements a unit and read every comment)."""

from __future__ import annotations

from collections.abc import Collection

from ...model import Submission, UnitProgress
from ...model_figures import KindCount
from .accounts import _unit
from .connection import Connected

#: Each unit's latest submission in a consultation (by the submission_unit index).
_LATEST_SUBMISSIONS = "SELECT MAX(id) FROM submission WHERE consultation_id = ? GROUP BY unit_id"
#: One unit's: the write path asks for it on every comment, never for the other units'.
_LATEST_OF_UNIT = "SELECT MAX(id) FROM submission WHERE consultation_id = ? AND unit_id = ?"


class FigureQueries(Connected):
    """:class:`drafter.storage.contract_figures.FigureStore` and the counting queries of
    :class:`drafter.storage.contract.ConsultationStore` on SQLite."""

    def kind_counts(self, consultation_id: int) -> list[KindCount]:
        # The counts kept with the units' standing submissions (held_article_count): a row
        # per article, unit and kind, never the submitted items themselves.
        rows = self.conn.execute(
            "SELECT h.unit_id, a.key, h.kind, h.withdrawn, h.comments FROM held_article_count h "
            "LEFT JOIN node a ON a.id = h.article_id WHERE h.consultation_id = ?",
            (consultation_id,),
        )
        return [KindCount(r[0], r[1], r[2], bool(r[3]), int(r[4])) for r in rows]

    def units_holding_both(
        self, consultation_id: int, kind: str, others: Collection[str]
    ) -> dict[str, int]:
        if not others:
            return {}
        marks = ", ".join("?" * len(others))
        rows = self.conn.execute(
            "SELECT a.key, COUNT(*) FROM (SELECT h.article_id FROM held_article_count h "
            "WHERE h.consultation_id = ? AND h.withdrawn = 0 AND h.comments > 0 "
            "GROUP BY h.article_id, h.unit_id "
            "HAVING SUM(CASE WHEN h.kind = ? THEN 1 ELSE 0 END) > 0 "
            f"AND SUM(CASE WHEN h.kind IN ({marks}) THEN 1 ELSE 0 END) > 0) x "
            "JOIN node a ON a.id = x.article_id GROUP BY a.key",
            (consultation_id, kind, *others),
        )
        return {str(r[0]): int(r[1]) for r in rows}

    def article_counts(
        self, consultation_id: int, *, unit_id: int | None = None, submitted_only: bool = False
    ) -> dict[str, dict[str, int]]:
        """Return, per article key ("" for the draft as a whole), how many comments of each
        kind there are: live ones at their latest revision, or with `submitted_only` those
        the units' active submissions hold, at the revision they hold."""
        counts: dict[str, dict[str, int]] = {}
        if submitted_only:  # the kept per-article counts, summed here (a row per key and kind)
            unit = "AND h.unit_id = ? " if unit_id is not None else ""
            figures = list(
                self.conn.execute(
                    "SELECT a.key, h.kind, SUM(h.comments) FROM held_article_count h "
                    "LEFT JOIN node a ON a.id = h.article_id "
                    f"WHERE h.consultation_id = ? {unit}GROUP BY a.key, h.kind",
                    (consultation_id, unit_id) if unit_id is not None else (consultation_id,),
                )
            )
        else:
            unit = "AND c.unit_id = ? " if unit_id is not None else ""
            figures = list(
                self.conn.execute(
                    "SELECT a.key, r.kind, COUNT(*) FROM comment c "
                    "JOIN comment_revision r ON r.id = "
                    "(SELECT MAX(id) FROM comment_revision WHERE comment_id = c.id) "
                    "LEFT JOIN node a ON a.id = c.article_id "
                    f"WHERE c.consultation_id = ? {unit}AND c.withdrawn_at IS NULL "
                    "GROUP BY a.key, r.kind",
                    (consultation_id, unit_id) if unit_id is not None else (consultation_id,),
                )
            )
        for key, kind, count in figures:
            bucket = counts.setdefault(key or "", {})
            bucket[kind] = bucket.get(kind, 0) + count
        return counts

    def unit_progress(
        self, consultation_id: int, *, unit_id: int | None = None
    ) -> list[UnitProgress]:
        """Return each invited unit (or just `unit_id`), by name, with its number of live
        comments, its latest submission and its own deadline: two statements."""
        one = unit_id is not None
        args = (consultation_id, unit_id) if one else (consultation_id,)
        units = list(
            self.conn.execute(
                "SELECT u.*, cu.deadline AS own_deadline, cu.live_comments FROM unit u "
                "JOIN consultation_unit cu ON cu.unit_id = u.id "
                f"WHERE cu.consultation_id = ? {'AND u.id = ? ' if one else ''}ORDER BY u.name",
                args,
            )
        )
        latest = {
            r["unit_id"]: Submission(
                r["id"],
                r["unit_id"],
                r["submitted_by_name"],
                r["submitted_at"],
                bool(r["no_comments"]),
                r["withdrawn_at"],
                r["items"],
            )  # fmt: skip
            for r in self.conn.execute(
                "SELECT s.*, u.display_name AS submitted_by_name FROM submission s "
                "JOIN user u ON u.id = s.submitted_by "
                f"WHERE s.id IN ({_LATEST_OF_UNIT if one else _LATEST_SUBMISSIONS})",
                args,
            )
        }
        return [
            # live_comments: counted as comments are written and withdrawn
            UnitProgress(_unit(r), r["live_comments"], latest.get(r["id"]), r["own_deadline"])
            for r in units
        ]
