"""Commands for analysing a consultation: answers traced into a later version, and the
listing of its comments (text, JSON, CSV)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence

import click

from .. import listing, traces, tracing
from ..summary import neutral
from .main import cli, store_of

FORMATS = click.Choice(["text", "json", "csv"])


def _csv(rows: Sequence[dict]) -> str:
    buffer = io.StringIO()
    if rows:
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _cell(v) for k, v in row.items()})
    return buffer.getvalue()


def _cell(value: object) -> object:
    """Return a CSV cell: empty for None, true/false, text guarded against spreadsheet
    formulas (a leading apostrophe, as the summary table's CSV does)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return neutral(value) if isinstance(value, str) else value


def _text(rows: Sequence[dict], columns: Sequence[str]) -> str:
    table = [list(columns)] + [["" if r[c] is None else str(r[c]) for c in columns] for r in rows]
    widths = [min(40, max(len(line[i]) for line in table)) for i in range(len(columns))]
    return "\n".join(
        "  ".join(cell[:40].ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in table
    )


@cli.command("trace")
@click.argument("consultation_id", metavar="CONSULTATION", type=int)
@click.option("--to-version", type=int, help="The later version to look in (default: latest).")
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True)
@click.option(
    "--rebuild",
    is_flag=True,
    help="Compute and store again the trace the pages read (drafter keeps it current itself).",
)
@click.pass_context
def trace_command(ctx, consultation_id, to_version, fmt, rebuild):
    """Trace every submitted comment's answer into a later version of the draft: applied,
    accepted but not applied, applied though not accepted, unanswered, no wording to check."""
    if rebuild:
        stored = traces.rebuild_now(store_of(ctx), consultation_id)
        if stored.version is not None:
            click.echo(
                f"Stored the trace of {sum(stored.counts.values())} comments into version "
                f"{stored.version}.",
                err=True,
            )
    rows = tracing.rows(store_of(ctx), consultation_id, to_version)
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        click.echo(_csv(rows), nl=False)
    else:
        click.echo(_text(rows, ("comment_id", "unit", "provision", "answer", "state", "where")))
        counts: dict[str, int] = {}
        for row in rows:
            counts[row["state"]] = counts.get(row["state"], 0) + 1
        click.echo(", ".join(f"{counts[s]} {s}" for s in tracing.TRACE_STATES if s in counts))


@cli.command("comments")
@click.argument("consultation_id", metavar="CONSULTATION", type=int)
@click.option("--unit", "unit_code", metavar="CODE", help="Only this unit's comments.")
@click.option("--all", "drafts", is_flag=True, help="Drafts not yet submitted too.")
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True)
@click.pass_context
def comments_command(ctx, consultation_id, unit_code, drafts, fmt):
    """List a consultation's submitted comments (with --all, drafts not yet submitted too):
    unit, author, provision, kind, text, proposed wording, state and answer."""
    shown = listing.comments(store_of(ctx), consultation_id, unit_code=unit_code, drafts=drafts)
    if fmt == "json":
        click.echo(json.dumps(shown, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        click.echo(_csv(listing.csv_rows(shown)), nl=False)
    else:
        rows = listing.csv_rows(shown)
        for row in rows:
            row["text"] = " ".join(str(row["text"]).split())
        click.echo(
            _text(rows, ("id", "unit_code", "provision_name", "kind", "state", "answer_status",
                         "text"))
        )  # fmt: skip
        click.echo(f"{len(rows)} comment(s).")
