"""The Word round trip on the command line: a unit's review copy, and importing the file it
sends back (a preview, then its proposals and comments saved as the unit's drafts)."""

from __future__ import annotations

from pathlib import Path

import click

from .. import review_copy, review_import
from ..consulting import utc_now
from ..diff import word_diff
from ..review_map import Item
from .files import export
from .main import cli, store_of, write, zone_of


@export.command("review-copy")
@click.argument("consultation_id", metavar="CONSULTATION", type=int)
@click.option("--unit", "unit_code", required=True, help="The unit's code.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.pass_context
def export_review_copy(ctx, consultation_id, unit_code, output):
    """The consulted version for one unit to edit in Word (Track Changes, comments) and send
    back: the clean export with an invisible bookmark on every provision."""
    download = review_copy.unit_copy(store_of(ctx), consultation_id, unit_code, zone=zone_of(ctx))
    write(output, download.data)


def _redline(old: str, new: str) -> str:
    parts = []
    for change in word_diff(old, new):
        if change.op == "equal":
            parts.append(change.text)
        elif change.op == "delete":
            parts.append(f"[-{change.text}-]")
        else:
            parts.append(f"{{+{change.text}+}}")
    return "".join(parts)


def _item(item: Item) -> str:
    where = item.heading or "whole draft"
    by = f" (Word: {item.author or '—'}{', ' + item.date if item.date else ''})"
    note = f" [{item.note}]" if item.note else ""
    if item.kind == "comment":
        body = item.text
    elif item.kind == "delete":
        body = "delete: " + item.old
    else:
        body = _redline(item.old, item.proposed)
    indented = "\n".join("    " + line for line in body.splitlines())
    return f"  [{item.kind}] {where}{by}{note}\n{indented}"


@cli.command("import-review")
@click.argument("consultation_id", metavar="CONSULTATION", type=int)
@click.option("--unit", "unit_code", required=True, help="The unit's code.")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--as", "username", default=None, help="Credit a delegate (default: organizer).")
@click.option("--dry-run", is_flag=True, help="Only show what would be added.")
@click.pass_context
def import_review(ctx, consultation_id, unit_code, file, username, dry_run):
    """Read a unit's returned Word file: tracked changes become proposals and Word comments
    become comments, provision by provision, saved as the unit's drafts (not submitted)."""
    result = review_import.import_file(
        store_of(ctx), consultation_id, unit_code, file.name, file.read_bytes(),
        username=username, dry_run=dry_run, now=utc_now(),
    )  # fmt: skip
    shown = result.preview
    click.echo(f"{file.name}: unit {shown.unit.code}, consultation {shown.consultation.id}")
    if not shown.anchored:
        click.echo("The file has no anchors: placed by matching the text (check each item).")
    click.echo(f"New ({len(shown.new)}):")
    for item in shown.new:
        click.echo(_item(item))
    click.echo(f"Already imported ({len(shown.known)}):")
    for item in shown.known:
        click.echo(_item(item))
    click.echo(f"Not placed ({len(shown.unplaced)}):")
    for unplaced in shown.unplaced:
        click.echo(f"  {unplaced.text} — {unplaced.reason}")
    click.echo(f"Gone since the last upload ({len(shown.disappeared)}):")
    for comment in shown.disappeared:
        click.echo(f"  comment {comment.id}: {comment.kind} {comment.node_key or ''}")
    if dry_run:
        click.echo("Dry run: nothing saved.")
    else:
        click.echo(f"Saved {result.added} new item(s) as the unit's drafts (not submitted).")
