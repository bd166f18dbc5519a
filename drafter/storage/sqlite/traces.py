"""Queries of the stored traces of answers into a later version (portable SQL, shared by
SQLite and PostgreSQL through :class:`~.queries.Queries`).  Each change of the rows of
``comment_trace`` adjusts ``consultation_trace_count`` in the same statement group, so that
the counts by state are read, never aggregated."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence

from ...model_trace import TRACE_STATES, Traced
from .connection import Connected

#: Comment ids per statement (SQLite allows 32,766 parameters since 3.32, older builds 999).
CHUNK = 500


def _chunks(ids: Sequence[int]) -> Iterable[tuple[list[int], str]]:
    """Yield the ids by CHUNK with their placeholders ("?, ?, ?")."""
    for start in range(0, len(ids), CHUNK):
        chunk = list(ids[start : start + CHUNK])
        yield chunk, ", ".join("?" * len(chunk))


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
        for table in ("comment_trace", "consultation_trace", "consultation_trace_count"):
            self.conn.execute(f"DELETE FROM {table} WHERE consultation_id = ?", (consultation_id,))
        counts: Counter[str] = Counter()

        def counted() -> Iterator[Traced]:  # rows streamed to the database, counted on the way
            for traced in traces:
                counts[traced.state] += 1
                yield traced

        self._insert(consultation_id, counted())
        self.conn.execute(
            "INSERT INTO consultation_trace (consultation_id, version_number, traced_at) "
            "VALUES (?, ?, ?)",
            (consultation_id, version, now),
        )
        self.conn.executemany(
            "INSERT INTO consultation_trace_count (consultation_id, state, comments) "
            "VALUES (?, ?, ?)",
            [(consultation_id, state, counts[state]) for state in TRACE_STATES],
        )

    def replace_traces(self, consultation_id: int, traces: Sequence[Traced]) -> None:
        ids = list(dict.fromkeys(t.comment_id for t in traces))
        gone: Counter[str] = Counter()
        for chunk, marks in _chunks(ids):
            gone.update(self._states(f"comment_id IN ({marks})", chunk))
            self.conn.execute(f"DELETE FROM comment_trace WHERE comment_id IN ({marks})", chunk)
        self._insert(consultation_id, traces)
        self._adjust(consultation_id, gone, Counter(t.state for t in traces))

    def drop_unit_traces(self, consultation_id: int, unit_id: int) -> None:
        # By the comment_unit index: the unit's comments only, never the whole consultation.
        mine = "comment_id IN (SELECT id FROM comment WHERE consultation_id = ? AND unit_id = ?)"
        gone = self._states(mine, [consultation_id, unit_id])
        self.conn.execute(f"DELETE FROM comment_trace WHERE {mine}", (consultation_id, unit_id))
        self._adjust(consultation_id, gone, Counter())

    def _states(self, where: str, params: Sequence[int]) -> Counter[str]:
        rows = self.conn.execute(
            f"SELECT state, COUNT(*) FROM comment_trace WHERE {where} GROUP BY state", params
        )
        return Counter({row[0]: int(row[1]) for row in rows})

    def _insert(self, consultation_id: int, traces: Iterable[Traced]) -> None:
        self.conn.executemany(
            "INSERT INTO comment_trace (comment_id, consultation_id, version_number, state, "
            "where_key) VALUES (?, ?, ?, ?, ?)",
            ((t.comment_id, consultation_id, t.version, t.state, t.where) for t in traces),
        )

    def _adjust(self, consultation_id: int, gone: Counter[str], added: Counter[str]) -> None:
        changes = [
            (added[s] - gone[s], consultation_id, s)
            for s in set(gone) | set(added)
            if added[s] != gone[s]
        ]
        if changes:
            self.conn.executemany(
                "UPDATE consultation_trace_count SET comments = comments + ? "
                "WHERE consultation_id = ? AND state = ?",
                changes,
            )

    def traces_of(self, comment_ids: Sequence[int]) -> dict[int, Traced]:
        found: dict[int, Traced] = {}
        for chunk, marks in _chunks(list(dict.fromkeys(comment_ids))):
            rows = self.conn.execute(
                "SELECT comment_id, state, version_number, where_key FROM comment_trace "
                f"WHERE comment_id IN ({marks})",
                chunk,
            )
            for row in rows:
                found[int(row[0])] = Traced(int(row[0]), row[1], int(row[2]), row[3])
        return found

    def trace_counts(self, consultation_id: int) -> dict[str, int]:
        rows = self.conn.execute(
            "SELECT state, comments FROM consultation_trace_count "
            "WHERE consultation_id = ? AND comments > 0",
            (consultation_id,),
        )
        return {row[0]: int(row[1]) for row in rows}
