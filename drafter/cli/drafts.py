"""Commands on drafts: create the database, import, list, show, write Markdown."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..errors import NotFound
from ..export_md import to_markdown
from ..importing import import_file
from ..model import Node
from .main import Progress, cli, store_of


@cli.command()
@click.pass_context
def init(ctx):
    """Create the database (or bring its schema up to date)."""
    store = store_of(ctx)
    click.echo(f"Database {ctx.obj['db']} is ready (schema version {store.schema_version()}).")


@cli.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--draft", "draft_id", type=int, help="Import as the next version of this draft.")
@click.option("--title", help="Title of the draft (default: read from the document).")
@click.option("--quiet", "-q", is_flag=True, help="Do not list import warnings.")
@click.pass_context
def import_command(ctx, file, draft_id, title, quiet):
    """Import FILE (.docx, .md or .txt) as a new draft or a new version of one."""
    store = store_of(ctx)
    with Progress(f"Storing {file.name}") as progress:
        result = import_file(store, file, draft_id=draft_id, title=title, progress=progress)
    parsed = result.parsed
    if parsed.count("item"):  # a guidance text: parts and numbered items, no "Điều"
        counts_line = (
            f"{parsed.count('part')} parts, {parsed.count('item')} items, "
            f"{parsed.count('clause')} sub-items, {parsed.count('point')} points."
        )
    else:
        counts_line = (
            f"{parsed.count('chapter')} chapters, {parsed.count('article')} articles, "
            f"{parsed.count('clause')} clauses, {parsed.count('point')} points."
        )
    click.echo(
        f"Draft {result.draft.id} version {result.version.number}: “{result.draft.title}” — "
        + counts_line
    )
    if result.matches:
        counts: dict[str, int] = {}
        for match in result.matches:
            counts[match.status] = counts.get(match.status, 0) + 1
        moved = sum(1 for m in result.matches if m.renumbered or m.moved)
        click.echo(
            "Against the previous version: "
            + ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
            + f" ({moved} renumbered or moved)."
        )
    if parsed.warnings and not quiet:
        click.echo(f"{len(parsed.warnings)} warning(s):", err=True)
        for warning in parsed.warnings:
            click.echo(f"  {file.name}:{warning}", err=True)


@cli.command("list")
@click.pass_context
def list_command(ctx):
    """List the drafts and their versions."""
    store = store_of(ctx)
    drafts = store.list_drafts()
    if not drafts:
        click.echo("No drafts yet: use `drafter import FILE`.")
    for draft in drafts:
        click.echo(f"{draft.id}\t{draft.title}")
        for version in store.list_versions(draft.id):
            click.echo(
                f"\tversion {version.number}\t{version.source_name}\t{version.imported_at}"
                + (f"\t{len(version.warnings)} warning(s)" if version.warnings else "")
            )


@cli.command()
@click.argument("draft_id", metavar="DRAFT", type=int)
@click.option("--version", "version_number", type=int, help="Version number (default: latest).")
@click.option("--article", help="Show one article: its number (“7”) or its key.")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.pass_context
def show(ctx, draft_id, version_number, article, fmt):
    """Show the tree of a draft's version, or one article."""
    store = store_of(ctx)
    draft = store.get_draft(draft_id)
    version = store.get_version(draft_id, version_number)
    if article:
        nodes = (
            store.find_articles(version.id, article)
            if "/" not in article and "-" not in article
            else [store.get_node(version.id, article)]
        )
        if not nodes:
            raise NotFound(
                f"Version {version.number} of draft {draft_id} has no article {article}."
            )
        if fmt == "json":
            payload = nodes[0].to_dict() if len(nodes) == 1 else [n.to_dict() for n in nodes]
            click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        else:
            for node in nodes:
                click.echo(_article_text(node))
        return
    tree = store.get_tree(version.id)
    if fmt == "json":
        payload = {
            "schema": 3,
            "draft": {"id": draft.id, "title": draft.title},
            "version": {
                "number": version.number,
                "source": version.source_name,
                "imported_at": version.imported_at,
                "warnings": list(version.warnings),
            },
            "nodes": [n.to_dict() for n in tree],
        }
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    click.echo(f"{draft.title} — version {version.number}")
    for node in tree:
        _echo_tree(node, 0)


def _echo_tree(node: Node, depth: int) -> None:
    if node.kind in ("preamble", "paragraph", "closing"):
        return
    line = (
        node.heading()
        if node.kind not in ("clause", "point")
        else f"{node.label()} {node.text.splitlines()[0] if node.text else ''}"
    )
    if len(line) > 100:
        line = line[:99] + "…"
    click.echo(f"{'  ' * depth}{line}")
    for child in node.children:
        _echo_tree(child, depth + 1)


def _article_text(node: Node) -> str:
    return to_markdown([node]).strip() + "\n"


@cli.command("export-md")
@click.argument("draft_id", metavar="DRAFT", type=int)
@click.option("--version", "version_number", type=int, help="Version number (default: latest).")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file instead of standard output.",
)
@click.pass_context
def export_md(ctx, draft_id, version_number, output):
    """Write a version of a draft as Markdown (which `drafter import` reads back)."""
    store = store_of(ctx)
    version = store.get_version(draft_id, version_number)
    text = to_markdown(store.get_tree(version.id))
    if output:
        output.write_text(text, encoding="utf-8")
        click.echo(f"Wrote {output}.", err=True)
    else:
        click.echo(text, nl=False)
