"""Commands of the roster: import units and delegates from a CSV or XLSX file, export them."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .. import roster
from .mail import site_of
from .main import cli, store_of, write


@cli.group("roster")
def roster_group():
    """Import or export the units and their delegates (columns unit_code, unit_name,
    username, full_name, email, role)."""


@roster_group.command("import")
@click.argument("file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option(
    "--consultation",
    "consultation_id",
    type=int,
    default=None,
    help="Also invite every unit of the file to this consultation.",
)
@click.option("--invite", is_flag=True, help="Make and print invitation links for new delegates.")
@click.option("--dry-run", is_flag=True, help="Check the file and say what would change.")
@click.option(
    "--send", is_flag=True, help="With --invite: also e-mail each link (queued in the outbox)."
)
@click.pass_context
def import_roster(ctx, file, consultation_id, invite, dry_run, send):
    """Import FILE.csv or FILE.xlsx: all lines or none.  Importing again updates unit names,
    delegates' full names, e-mail addresses and roles; it never duplicates.  Exits 1 when a
    line has a problem (each is printed; nothing is written then)."""
    links = site_of(ctx) if invite and not dry_run else None  # says once if BASE_URL is unset
    outcome = roster.import_file(
        store_of(ctx), file.name, file.read_bytes(), consultation_id=consultation_id,
        invite=invite, dry_run=dry_run, send=links if send else None,
    )  # fmt: skip
    preview, result = outcome.preview, outcome.result
    for problem in preview.problems:
        place = ":".join(str(p) for p in (file.name, problem.line, problem.column) if p)
        click.echo(f"{place}: {problem.error}", err=True)
    if not preview.ok:
        click.echo(f"{len(preview.problems)} problem(s): nothing was imported.", err=True)
        sys.exit(1)
    if result is None:
        click.echo(
            "Dry run, nothing written. Would create {} unit(s), update {}; create {} "
            "delegate(s), update {}.".format(
                preview.count("unit", "create"),
                preview.count("unit", "update"),
                preview.count("delegate", "create"),
                preview.count("delegate", "update"),
            )  # fmt: skip
        )
        return
    click.echo(
        f"Units: {result.units_created} created, {result.units_updated} updated. "
        f"Delegates: {result.delegates_created} created, {result.delegates_updated} updated."
    )
    if consultation_id is not None:
        click.echo(
            f"{result.units_invited} unit(s) newly invited to consultation {consultation_id}."
        )
    for user, token in result.invitations:
        click.echo(f"{user.username}\t{links.link(f'/invite/{token}') if links else token}")


@roster_group.command("export")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The file to write: .csv or .xlsx (default: CSV on standard output).",
)
@click.pass_context
def export_roster(ctx, output):
    """Write the roster in the columns `drafter roster import` reads."""
    fmt = "xlsx" if output is not None and output.suffix.lower() == ".xlsx" else "csv"
    data = roster.export(store_of(ctx), fmt)
    if output is None:
        click.echo(data.decode("utf-8-sig"), nl=False)
    else:
        write(output, data)
