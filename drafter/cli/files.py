"""Commands that write files: a consultation's exports, comparisons, backups and restores."""

from __future__ import annotations

from pathlib import Path

import click

from .. import config, exports, summary
from ..storage import open_store
from . import database
from .main import Spinner, body_of, cli, store_of, write, zone_of


@cli.group()
def export():
    """Export a consultation's files: consolidated redline, per-unit redlines, summary table,
    or a comparison of two versions."""


@export.command("consolidated")
@click.argument("consultation_id", metavar="CONSULTATION", type=int)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The .docx file to write.",
)
@click.pass_context
def export_consolidated(ctx, consultation_id, output):
    """The consulted version with every submitted comment as a Word comment and every accepted
    or partly accepted proposal as tracked changes by its unit."""
    store = store_of(ctx)
    with Spinner("Building the consolidated draft"):
        data = exports.consolidated(store, consultation_id, zone=zone_of(ctx), body=body_of(ctx))
    write(output, data)


@export.command("by-unit")
@click.argument("consultation_id", metavar="CONSULTATION", type=int)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    required=True,
    help="A folder (one .docx per unit) or a .zip file.",
)
@click.pass_context
def export_by_unit(ctx, consultation_id, output):
    """One redline per unit: the draft with that unit's proposals as tracked changes and its
    comments as Word comments."""
    # One call: the draft is laid out once and copied into every unit's file.
    with Spinner("Building the units' redlines"):
        files = exports.by_unit(store_of(ctx), consultation_id, zone=zone_of(ctx))
    if output.suffix.lower() == ".zip":
        write(output, exports.zip_files(files))
    else:
        for code, data in sorted(files.items()):
            write(output / f"{code}.docx", data)
    click.echo(f"{len(files)} unit(s) with submitted comments.")


@export.command("summary")
@click.argument("consultation_id", metavar="CONSULTATION", type=int)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The file to write: .docx, .xlsx, .csv or .md, chosen by its suffix.",
)
@click.pass_context
def export_summary(ctx, consultation_id, output):
    """The summary table (bảng tổng hợp, tiếp thu, giải trình ý kiến góp ý)."""
    writers = {
        ".docx": lambda s: summary.to_docx(s, body=body_of(ctx)),
        ".xlsx": summary.to_xlsx,
        ".csv": summary.to_csv,
        ".md": lambda s: summary.to_markdown(s).encode("utf-8"),
    }
    suffix = output.suffix.lower()
    if suffix not in writers:
        raise click.BadParameter("use a .docx, .xlsx, .csv or .md file name", param_hint="-o")
    store = store_of(ctx)
    write(output, writers[suffix](summary.build(store, consultation_id)))


@export.command("draft")
@click.argument("draft_id", metavar="DRAFT", type=int)
@click.option("--version", "number", type=int, default=None, help="Default: the latest.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.pass_context
def export_draft(ctx, draft_id, number, output):
    """A version of the draft as a clean DOCX, to print or to send."""
    data = exports.draft(store_of(ctx), draft_id, number, zone=zone_of(ctx), body=body_of(ctx))
    write(output, data)


@export.command("compare")
@click.argument("draft_id", metavar="DRAFT", type=int)
@click.option("--from", "old", type=int, required=True, help="The earlier version number.")
@click.option("--to", "new", type=int, required=True, help="The later version number.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option(
    "--author",
    default=exports.ORGANIZER_AUTHOR,
    show_default=True,
    help="The author of the tracked changes.",
)
@click.pass_context
def export_compare(ctx, draft_id, old, new, output, author):
    """Version --to against version --from as tracked changes."""
    store = store_of(ctx)
    with Spinner("Comparing"):
        data = exports.compare(store, draft_id, old, new, author=author, zone=zone_of(ctx))
    write(output, data)


@cli.command()
@click.argument("target", type=click.Path(dir_okay=False))
@click.pass_context
def backup(ctx, target):
    """Write a consistent copy of the database to TARGET, even while the app is serving."""
    # Checked as typed: pathlib would make "postgresql://host/db" a path "postgresql:/host/db".
    if config.is_postgres(config.check_database(target)):
        raise click.UsageError("The backup is a file: give its path, not a database address.")
    target = Path(target.removeprefix("sqlite:///"))
    if target.exists():
        raise click.ClickException(f"{target} exists; choose a new file name.")
    if not target.parent.is_dir():
        raise click.ClickException(f"The folder {target.parent} does not exist.")
    if config.is_postgres(ctx.obj["db"]):
        return database.backup_postgres(ctx.obj["db"], target)
    store = store_of(ctx)
    with Spinner(f"Backing up {ctx.obj['db']}"):
        store.backup(target)
    copy = open_store(target, migrate=False)
    try:
        check = copy.integrity()
    finally:
        copy.close()
    click.echo(f"Backup written to {target} ({target.stat().st_size:,} bytes, integrity: {check}).")


@cli.command()
@click.argument("source", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--force", is_flag=True, help="Replace the existing database.")
@click.pass_context
def restore(ctx, source, force):
    """Replace the database with the backup SOURCE (stop `drafter serve` first)."""
    if config.is_postgres(ctx.obj["db"]):
        return database.restore_postgres(ctx.obj["db"], source, force)
    copy = open_store(source, migrate=False)
    try:
        check = copy.integrity()
        if check != "ok":
            raise click.ClickException(f"{source} is damaged (integrity check: {check}).")
        target = Path(ctx.obj["db"])
        if target.exists() and not force:
            raise click.ClickException(f"{target} exists; use --force to replace it with {source}.")
        copy.backup(target)
    finally:
        copy.close()
    store = store_of(ctx)  # migrates a backup taken by an older version
    click.echo(f"Restored {target} from {source} (schema version {store.schema_version()}).")
