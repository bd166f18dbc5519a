"""SQLite queries of the write path's first reads (:mod:`..contract_write_path`), each one
statement: shared by both backends, as every query class is."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from ...errors import N_, NotFound
from ...model import Consultation, Node
from ..contract_write_path import SessionAccount, UnitStanding
from .accounts import _user
from .connection import Connected
from .consultations import _CONSULTATION_COLUMNS, _CONSULTATION_FROM, consultation_of
from .drafts import node_alone

#: Where a unit stands (of `consultation_unit cu`): its deadline, its comments created and
#: whether its latest submission stands.
_STANDING = (
    "cu.deadline AS unit_deadline, cu.comments_created, (SELECT s.withdrawn_at IS NULL "
    "FROM submission s WHERE s.consultation_id = cu.consultation_id "
    "AND s.unit_id = cu.unit_id ORDER BY s.id DESC LIMIT 1) AS submitted"
)


def _standing(row: sqlite3.Row) -> UnitStanding:
    return UnitStanding(row["unit_deadline"], int(row["comments_created"]), bool(row["submitted"]))


class WritePathQueries(Connected):
    """:class:`drafter.storage.contract_write_path.WritePathStore` on SQLite."""

    def unit_standing(self, consultation_id: int, unit_id: int) -> UnitStanding | None:
        row = self.conn.execute(
            f"SELECT {_STANDING} FROM consultation_unit cu "
            "WHERE cu.consultation_id = ? AND cu.unit_id = ?",
            (consultation_id, unit_id),
        ).fetchone()
        return None if row is None else _standing(row)

    def write_standing(
        self, consultation_id: int, unit_id: int | None
    ) -> tuple[Consultation, UnitStanding | None]:
        row = self.conn.execute(
            f"{_CONSULTATION_COLUMNS}, cu.unit_id AS invited, {_STANDING} {_CONSULTATION_FROM} "
            "LEFT JOIN consultation_unit cu ON cu.consultation_id = c.id AND cu.unit_id = ? "
            "WHERE c.id = ?",
            (unit_id, consultation_id),
        ).fetchone()
        if row is None:
            raise NotFound(N_("There is no consultation %(id)s."), id=consultation_id)
        return consultation_of(row), None if row["invited"] is None else _standing(row)

    def session_account(self, user_id: int) -> SessionAccount | None:
        row = self.conn.execute(
            "SELECT u.*, n.disabled_at AS unit_disabled_at FROM user u "
            "LEFT JOIN unit n ON n.id = u.unit_id WHERE u.id = ?",
            (user_id,),
        ).fetchone()
        if row is None:
            return None
        return SessionAccount(
            _user(row), int(row["session_epoch"]), row["unit_disabled_at"] is not None
        )

    def provisions_alone(self, version_id: int, keys: Sequence[str]) -> dict[str, Node]:
        wanted = list(dict.fromkeys(keys))
        if not wanted:
            return {}
        marks = ", ".join("?" for _ in wanted)
        rows = self.conn.execute(
            "SELECT id, kind, number, title, text, key, source_line FROM node "
            f"WHERE version_id = ? AND key IN ({marks})",
            (version_id, *wanted),
        )
        return {row["key"]: node_alone(row) for row in rows}
