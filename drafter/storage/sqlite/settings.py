"""Settings kept in the database (SQL shared by both backends)."""

from __future__ import annotations

from .connection import Connected


class SettingQueries(Connected):
    """:class:`drafter.storage.contract_settings.SettingStore`."""

    def get_setting(self, name: str) -> str | None:
        row = self.conn.execute("SELECT value FROM setting WHERE name = ?", (name,)).fetchone()
        return None if row is None else str(row[0])

    def add_setting(self, name: str, value: str) -> str:
        self.conn.execute(
            "INSERT INTO setting (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
            (name, value),
        )
        stored = self.get_setting(name)
        assert stored is not None
        return stored
