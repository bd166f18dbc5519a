"""Queries of the stored traces of answers into a later version (portable SQL, shared by
SQLite and PostgreSQL through :class:`~.queries.Queries`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ...model_trace import Traced
from .connection import Connected

#: Comment ids per statement in :meth:`TraceQueries.traces_of` (SQLite allows 32,766
#: parameters since 3.32, older builds 999).
CHUNK = 500


class TraceQueries(Connected):
    """:class:`drafter.storage.contract_trace.TraceStore`."""

    def traced_version(self, consultation_id: int) -> int | None:
        row = self.conn.execute(
            "SELECT version_number FROM consultation_trace WHERE consultation_id = ?",
            (consultation_id,),
        ).fetchone()
        return int(row[0]) if row else None

    def replace_consultation_traces(
        self, consultation_id: int, version: int, traces: Iterable[Traced], *, now: str
    ) -> None:
        self.conn.execute("DELETE FROM comment_trace WHERE consultation_id = ?", (consultation_id,))
        self._insert(consultation_id, traces)
        self.conn.execute(
            "DELETE FROM consultation_trace WHERE consultation_id = ?", (consultation_id,)
        )
        self.conn.execute(
            "INSERT INTO consultation_trace (consultation_id, version_number, traced_at) "
            "VALUES (?, ?, ?)",
            (consultation_id, version, now),
        )

    def replace_traces(self, consultation_id: int, traces: Sequence[Traced]) -> None:
        ids = [t.comment_id for t in traces]
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            self.conn.execute(
                f"DELETE FROM comment_trace WHERE comment_id IN ({', '.join('?' * len(chunk))})",
                chunk,
            )
        self._insert(consultation_id, traces)

    def _insert(self, consultation_id: int, traces: Iterable[Traced]) -> None:
        self.conn.executemany(
            "INSERT INTO comment_trace (comment_id, consultation_id, version_number, state, "
            "where_key) VALUES (?, ?, ?, ?, ?)",
            [(t.comment_id, consultation_id, t.version, t.state, t.where) for t in traces],
        )

    def drop_unit_traces(self, consultation_id: int, unit_id: int) -> None:
        # By the comment_unit index: the unit's comments only, never the whole consultation.
        self.conn.execute(
            "DELETE FROM comment_trace WHERE comment_id IN (SELECT id FROM comment "
            "WHERE consultation_id = ? AND unit_id = ?)",
            (consultation_id, unit_id),
        )

    def traces_of(self, comment_ids: Sequence[int]) -> dict[int, Traced]:
        ids = list(dict.fromkeys(comment_ids))
        found: dict[int, Traced] = {}
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            rows = self.conn.execute(
                "SELECT comment_id, state, version_number, where_key FROM comment_trace "
                f"WHERE comment_id IN ({', '.join('?' * len(chunk))})",
                chunk,
            )
            for row in rows:
                found[int(row[0])] = Traced(int(row[0]), row[1], int(row[2]), row[3])
        return found

    def trace_counts(self, consultation_id: int) -> dict[str, int]:
        rows = self.conn.execute(
            "SELECT state, COUNT(*) FROM comment_trace WHERE consultation_id = ? GROUP BY state",
            (consultation_id,),
        )
        return {row[0]: int(row[1]) for row in rows}
