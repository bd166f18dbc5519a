"""A private PostgreSQL server for the tests: Debian's binaries (`make test` installs the
``postgresql`` package), a cluster made by ``initdb`` in a temporary folder, listening only
on a Unix socket there, run as an unprivileged user when the tests run as root, stopped at
the end of the session.  Each test gets a fresh database copied from a migrated template."""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg

USER = "drafter"  # the cluster's superuser (trust authentication, socket only)
TEMPLATE = "drafter_template"


def binaries() -> Path:
    """Return the folder of the newest installed PostgreSQL server programs."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not found:
        subprocess.run(
            ["bash", str(Path(__file__).parent.parent / "scripts/system-deps.sh")], check=True
        )
        found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not found:
        raise RuntimeError("PostgreSQL is not installed (Debian: apt install postgresql)")
    return found[-1].parent


class Server:
    """One running cluster; :meth:`fresh_database` returns a new database's URL."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="drafter-pg-"))
        self.data = self.folder / "data"
        self.port = 5432 + os.getpid() % 20000  # only names the socket file
        self._counter = itertools.count(1)
        self._as: list[str] = []
        if os.geteuid() == 0:  # initdb and postgres refuse to run as root
            account = pwd.getpwnam("nobody")
            os.chown(self.folder, account.pw_uid, account.pw_gid)
            self._as = [
                "setpriv",
                f"--reuid={account.pw_uid}",
                f"--regid={account.pw_gid}",
                "--clear-groups",
            ]
        bin_ = binaries()
        self._run(
            [
                str(bin_ / "initdb"),
                "-D",
                str(self.data),
                "-U",
                USER,
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            ]
        )
        options = (
            f"-c listen_addresses='' -c unix_socket_directories={self.folder} "
            f"-p {self.port} -c fsync=off -c max_connections=400 "
            "-c shared_buffers=32MB"
        )
        self._run(
            [
                str(bin_ / "pg_ctl"),
                "-D",
                str(self.data),
                "-o",
                options,
                "-w",
                "-l",
                str(self.folder / "log"),
                "start",
            ]
        )
        self.bin = bin_
        with self.connect("postgres") as conn:
            conn.execute(f"CREATE DATABASE {TEMPLATE}")
        from drafter.storage import open_store

        open_store(self.url(TEMPLATE)).close()  # migrated once; copies are cheap

    def _run(self, command: list[str]) -> None:
        subprocess.run([*self._as, *command], check=True, capture_output=True, cwd=self.folder)

    def url(self, database: str) -> str:
        return f"postgresql://{USER}@/{database}?host={self.folder}&port={self.port}"

    def connect(self, database: str) -> psycopg.Connection:
        return psycopg.connect(self.url(database), autocommit=True)

    def fresh_database(self, template: str = TEMPLATE) -> str:
        """Create a new database (a copy of the migrated template) and return its URL."""
        name = f"test_{next(self._counter)}"
        with self.connect("postgres") as conn:
            conn.execute(f"CREATE DATABASE {name} TEMPLATE {template}")
        return self.url(name)

    def drop(self, url: str) -> None:
        """Drop the database of `url`, ending its connections first."""
        from drafter.storage.postgres.connection import close_pool

        close_pool(url)
        with self.connect("postgres") as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name_of(url)} WITH (FORCE)")

    def empty_database(self) -> str:
        """Create a new, empty database (no schema) and return its URL."""
        name = f"empty_{next(self._counter)}"
        with self.connect("postgres") as conn:
            conn.execute(f"CREATE DATABASE {name} TEMPLATE template0")
        return self.url(name)

    def stop(self) -> None:
        subprocess.run(
            [*self._as, str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"],
            capture_output=True,
            cwd=self.folder,
        )
        shutil.rmtree(self.folder, ignore_errors=True)


def name_of(url: str) -> str:
    """Return the database name of a URL made by :meth:`Server.url`."""
    return url.split("/")[3].split("?")[0]


def server() -> Iterator[Server]:
    """The body of the session fixture `pg_server` (tests/conftest.py)."""
    running = Server()
    try:
        yield running
    finally:
        running.stop()
