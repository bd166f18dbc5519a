"""A small consultation for web tests: the sample draft, two invited units and one not invited,
an organizer, delegates with known passwords, and a consultation open now."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from drafter import accounts
from drafter.importing import import_file
from drafter.storage import open_store

PASSWORD = "correct horse battery"
ROOT = Path(__file__).resolve().parent.parent


@dataclass
class World:
    db_path: Path
    consultation_id: int
    draft_id: int
    units: dict[str, int]
    users: dict[str, int]


def build_world(db_path: Path) -> World:
    """Create the database and return its ids; every account's password is PASSWORD."""
    store = open_store(db_path)
    v1 = import_file(store, ROOT / "drafts" / "quy-dinh-dang-doan-v1.md")
    import_file(store, ROOT / "drafts" / "quy-dinh-dang-doan-v2.md", draft_id=v1.draft.id)
    users = {"organizer": accounts.create_organizer(store, "organizer", "Ban Tổ chức", PASSWORD)}
    units = {}
    for code, name in (
        ("thai-nguyen", "Tỉnh ủy Thái Nguyên"),
        ("quang-nam", "Tỉnh ủy Quảng Nam"),
        ("lao-cai", "Tỉnh ủy Lào Cai"),
    ):
        units[code] = accounts.create_unit(store, code, name, "province")
    for username, unit, lead in (
        ("tn-lead", "thai-nguyen", True),
        ("tn-member", "thai-nguyen", False),
        ("qn-lead", "quang-nam", True),
        ("lc-lead", "lao-cai", True),
    ):
        users[username], _ = accounts.create_delegate(
            store, units[unit], username, username.upper(), is_lead=lead, password=PASSWORD
        )
    now = datetime.now(UTC).replace(microsecond=0)
    with store.transaction():
        consultation_id = store.create_consultation(
            v1.version.id,
            "Lấy ý kiến Dự thảo 1",
            opens_at=(now - timedelta(days=1)).isoformat(),
            deadline=(now + timedelta(days=30)).isoformat(),
            unit_ids=[units["thai-nguyen"], units["quang-nam"]],
            now=now.isoformat(),
        )
    store.close()
    return World(db_path, consultation_id, v1.draft.id, units, users)


def copy_world(template: World, tmp_path: Path) -> World:
    """Return a copy of a built world on its own database file."""
    db = tmp_path / "drafter.sqlite"
    shutil.copyfile(template.db_path, db)
    return World(
        db, template.consultation_id, template.draft_id, dict(template.units), dict(template.users)
    )


def make_app(db_path, **config):
    """Return the app on `db_path` for Flask's test client (CSRF off unless asked)."""
    from drafter import create_app

    settings = {
        "TESTING": True,
        "DATABASE": str(db_path),
        "WTF_CSRF_ENABLED": False,
        "SECRET_KEY": "test",
        "BASE_URL": "http://localhost",  # the test client's own address, for links in mail
    }
    return create_app(settings | config)


def login(app, username):
    """Return a test client signed in as `username`."""
    client = app.test_client()
    response = client.post("/login", data={"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client
