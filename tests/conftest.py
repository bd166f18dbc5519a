"""Shared fixtures: a throwaway SQLite store, the project's samples, and ../shared."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from drafter.storage import open_store

ROOT = Path(__file__).resolve().parent.parent
DRAFTS = ROOT / "drafts"
COMMENTS = ROOT / "comments"
# CI always has ../shared beside the clone; a user's clone may not.
SHARED = Path(os.environ.get("DRAFTER_SHARED", ROOT.parent / "shared"))
CORPUS = SHARED / "corpus"
REAL_DOCX = SHARED / "real-docx"


@pytest.fixture
def shared() -> Path:
    """Return ../shared, or skip with the reason when this clone has none beside it."""
    if not CORPUS.is_dir() or not REAL_DOCX.is_dir():
        pytest.skip(f"{SHARED} is absent: the real corpus and Word files live there (CI has it)")
    return SHARED


@pytest.fixture
def db_path(tmp_path) -> Path:
    """Return the path of a fresh SQLite file (not yet created)."""
    return tmp_path / "drafter.sqlite"


@pytest.fixture
def store(db_path):
    """A migrated store on a real SQLite file in a temporary folder."""
    store = open_store(db_path)
    yield store
    store.close()


@pytest.fixture
def sample_v1() -> Path:
    return DRAFTS / "quy-dinh-dang-doan-v1.md"


@pytest.fixture
def sample_v2() -> Path:
    return DRAFTS / "quy-dinh-dang-doan-v2.md"


@pytest.fixture
def pandoc():
    """Return a function running pandoc (installed by `make test`) and returning its stdout."""
    if shutil.which("pandoc") is None:
        pytest.skip("pandoc is not installed (`make test` installs it)")

    def run(*args: str) -> str:
        done = subprocess.run(["pandoc", *args], capture_output=True, text=True, check=True)
        return done.stdout

    return run


# -- the consultation world of the web tests --------------------------------------------------
@pytest.fixture(scope="session")
def template_world(tmp_path_factory):
    """Build the consultation fixture's database once; tests work on copies (`world`)."""
    from .consultation_fixture import build_world

    return build_world(tmp_path_factory.mktemp("template") / "drafter.sqlite")


@pytest.fixture
def world(template_world, tmp_path):
    """Return this test's own copy of the consultation world (a real SQLite file)."""
    from .consultation_fixture import copy_world

    return copy_world(template_world, tmp_path)


@pytest.fixture
def app(world):
    """The app on `world` for Flask's test client (CSRF off, fixed secret key)."""
    from .consultation_fixture import make_app

    return make_app(world.db_path)


#: The backends every contract, web-flow and durability test runs against.
BACKENDS = ["sqlite", "postgresql"]


# -- PostgreSQL: a private server for the session (tests/pg_server.py) -------------------------
@pytest.fixture(scope="session")
def pg_server():
    """A private PostgreSQL server, started once for the session and stopped at its end."""
    from . import pg_server as module

    yield from module.server()


@pytest.fixture
def pg_url(pg_server) -> str:
    """The URL of a fresh, migrated PostgreSQL database of this test's own."""
    url = pg_server.fresh_database()
    yield url
    pg_server.drop(url)


@pytest.fixture(scope="session")
def template_world_pg(pg_server):
    """The consultation world built once in a PostgreSQL database; tests work on copies."""
    from .consultation_fixture import build_world
    from .pg_server import name_of

    world = build_world(pg_server.fresh_database())
    return world, name_of(str(world.db_path))


@pytest.fixture(params=BACKENDS)
def backend_world(request, tmp_path):
    """This test's own copy of the consultation world, on each backend in turn (`db_path`
    is a SQLite file, or a PostgreSQL URL)."""
    from .consultation_fixture import World, copy_world

    if request.param == "sqlite":
        yield copy_world(request.getfixturevalue("template_world"), tmp_path)
        return
    server = request.getfixturevalue("pg_server")
    template, name = request.getfixturevalue("template_world_pg")
    url = server.fresh_database(template=name)
    yield World(
        url, template.consultation_id, template.draft_id, dict(template.units), dict(template.users)
    )
    server.drop(url)


@pytest.fixture(params=BACKENDS)
def backend_location(request, tmp_path) -> str:
    """A fresh database of each backend in turn: a SQLite file path, a PostgreSQL URL."""
    if request.param == "sqlite":
        return str(tmp_path / "drafter.sqlite")
    return request.getfixturevalue("pg_url")


@pytest.fixture
def backend_store(backend_location):
    """A migrated store of each backend in turn (see `backend_location`)."""
    store = open_store(backend_location)
    yield store
    store.close()
