"""The ``drafter`` group: its options, error reporting, and what every command shares."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

import click

from .. import config
from ..config import DEFAULT_DATABASE
from ..errors import DrafterError, DraftImportError, NotFound
from ..storage import Store, open_store


class DrafterGroup(click.Group):
    """Turns every DrafterError into one line on stderr: exit 2 for a bad input file, a
    missing draft, an id too large for any record or a database drafter cannot open, as for
    a usage error."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except DraftImportError as exc:
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(2)
        except DrafterError as exc:
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(2 if isinstance(exc, NotFound | config.UnsupportedDatabase) else 1)
        except OverflowError:
            # An id past the database's 64-bit integers (drafter trace 99999999999999999999):
            # nothing has it, as the web answers 404.
            click.echo("Error: a number given is too large: nothing has that id.", err=True)
            ctx.exit(2)


@click.group(cls=DrafterGroup)
@click.option(
    "--db",
    "--database",
    "database",
    default=None,
    help=f"The database: a SQLite file path (env: DRAFTER_DATABASE; default: {DEFAULT_DATABASE}).",
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, exists=True),
    default=None,
    help="A TOML file of settings (env: DRAFTER_CONFIG); the environment and flags win over it.",
)
@click.version_option(package_name="drafter")
@click.pass_context
def cli(ctx, database, config_file):
    """drafter: run a written consultation on a draft regulation."""
    settings = config.load({"DATABASE": database}, file=config_file)
    ctx.obj = {"db": settings["DATABASE"], "settings": settings, "config_file": config_file}


def body_of(ctx: click.Context) -> str:
    """Return the configured consulting body (the author of the organizers' documents)."""
    return str(ctx.obj["settings"]["CONSULTING_BODY"])


def zone_of(ctx: click.Context) -> str:
    """Return the configured time zone (for dates written into exports)."""
    return str(ctx.obj["settings"]["TIMEZONE"])


def store_of(ctx: click.Context) -> Store:
    """Return the configured database, migrated, closed when the command ends."""
    store = open_store(ctx.obj["db"])
    ctx.call_on_close(store.close)
    return store


def write(path: Path, data: bytes) -> None:
    """Write an export and say where."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    click.echo(f"Wrote {path} ({len(data):,} bytes).", err=True)


class Spinner:
    """Says on stderr what long work is under way and how long it took."""

    def __init__(self, label: str) -> None:
        self.label = label

    def __enter__(self):
        self.started = time.monotonic()
        click.echo(f"{self.label}…", err=True, nl=False)
        return self

    def __exit__(self, *exc_info):
        click.echo(f" {time.monotonic() - self.started:.1f} s", err=True)


class Progress:
    """A progress bar on stderr that learns its length from the first report."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.bar: Any = None  # click's progress bar, made at the first report

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            self.bar = click.progressbar(length=total, label=self.label, file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.bar.pos)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        if self.bar is not None:
            self.bar.__exit__(*exc_info)
