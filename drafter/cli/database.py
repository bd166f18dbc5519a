"""Commands for a PostgreSQL database: ``copy-db`` (a SQLite database into PostgreSQL,
checked table by table), ``check-db`` (the integrity check, of either backend), and the PostgreSQL side of ``backup`` and ``restore``
(pg_dump/pg_restore; the commands themselves are in `files`)."""

from __future__ import annotations

from pathlib import Path

import click

from .. import config
from ..storage import open_store
from .main import Spinner, cli


def _postgres(url: str, *, migrate: bool = True):
    """Return the PostgreSQL store of `url` (the CLI checked that it is one)."""
    from ..storage.postgres import PostgresStore

    store = open_store(url, migrate=migrate)
    assert isinstance(store, PostgresStore)
    return store


@cli.command("copy-db")
@click.option(
    "--to", "target", required=True, metavar="URL", help="The PostgreSQL database (empty)."
)
@click.pass_context
def copy_db(ctx, target):
    """Copy the SQLite database (--db) into the empty PostgreSQL database --to, ids kept;
    print each table's rows and checksum on both sides, and fail on any difference."""
    from ..storage.postgres import transfer

    source = ctx.obj["db"]
    if config.is_postgres(source) or not Path(source).is_file():
        raise click.UsageError(f"--db must be an existing SQLite file, not {source}.")
    if not config.is_postgres(config.check_database(target)):
        raise click.UsageError("--to must be a postgresql:// address.")
    open_store(source).close()  # brought to the latest schema, like every command does
    store = _postgres(target)
    try:
        with Spinner("Copying"):
            checks = transfer.copy_from_sqlite(source, store)
    except transfer.CopyRefused as exc:
        raise click.ClickException(f"Nothing copied: {exc}.") from exc
    except transfer.CopyMismatch as exc:
        checks = exc.checks
        _print(checks)
        raise click.ClickException("The copy differs from the source; nothing was kept.") from exc
    finally:
        store.close()
    _print(checks)
    click.echo(f"Copied {sum(c.source_rows for c in checks):,} rows in {len(checks)} tables.")


@cli.command("check-db")
@click.pass_context
def check_db(ctx):
    """Check the database: SQLite's integrity check; on PostgreSQL, the schema against the
    migrations and the indexes against their tables (amcheck). Exits 1 on a problem."""
    store = open_store(ctx.obj["db"], migrate=False)  # as it is: a missed migration shows
    try:
        with Spinner(f"Checking {config.hide_password(ctx.obj['db'])}"):
            result = store.integrity()
    finally:
        store.close()
    click.echo(f"Integrity: {result}")
    if not result.startswith("ok"):
        ctx.exit(1)


def _print(checks) -> None:
    click.echo(f"{'table':<24} {'rows':>9} {'copied':>9}  {'checksum':<16} result")
    for c in checks:
        mark = "ok" if c.ok else f"MISMATCH (copied {c.target_sum[:16]})"
        click.echo(
            f"{c.table:<24} {c.source_rows:>9,} {c.target_rows:>9,}  {c.source_sum[:16]} {mark}"
        )


def backup_postgres(url: str, target: Path) -> None:
    """`drafter backup` on PostgreSQL: pg_dump to the file `target`, then read it back."""
    from ..storage.postgres import connection, transfer

    store = _postgres(url)
    try:
        with Spinner(f"Backing up {config.hide_password(url)}"):
            store.backup(target)
        check = transfer.check_dump(target)
    except connection.ToolFailed as exc:
        target.unlink(missing_ok=True)
        raise click.ClickException(str(exc)) from exc
    finally:
        store.close()
    click.echo(f"Backup written to {target} ({target.stat().st_size:,} bytes, integrity: {check}).")


def restore_postgres(url: str, source: Path, force: bool) -> None:
    """`drafter restore` on PostgreSQL: pg_restore of a pg_dump file, in one transaction."""
    from ..storage.postgres import connection, transfer

    if transfer.is_sqlite_file(source):
        raise click.ClickException(
            f"{source} is a SQLite database: use `drafter --db {source} copy-db --to URL`."
        )
    # As it is: an empty database stays empty for the dump (migrated, it would hold the
    # newest tables, which a dump of an older schema does not drop).
    store = _postgres(url, migrate=False)
    try:
        transfer.check_dump(source)
        if not transfer.is_empty(store) and not force:
            raise click.ClickException(
                "The database is not empty; use --force to replace it with the backup."
            )
        with Spinner(f"Restoring {source}"):
            transfer.restore(store, source)
        store.migrate()  # a backup taken by an older version
        version = store.schema_version()
        with Spinner("Checking the restored database"):
            check = store.integrity()
    except connection.ToolFailed as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        store.close()
    click.echo(
        f"Restored {config.hide_password(url)} from {source} (schema version {version}, "
        f"integrity: {check})."
    )
    if not check.startswith("ok"):
        raise click.ClickException(f"The restored database has problems: {check}")


def empty_for_demo(url: str, force: bool) -> None:
    """`drafter demo` on PostgreSQL: the database must hold no rows, or with --force every
    table of drafter is emptied first."""
    from ..storage.postgres import transfer

    store = _postgres(url)
    try:
        if not transfer.is_empty(store):
            if not force:
                raise click.ClickException(
                    f"{config.hide_password(url)} holds data; use --force to rebuild it."
                )
            transfer.clear(store)
    finally:
        store.close()
