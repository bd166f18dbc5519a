"""The ``drafter`` command line: import drafts, browse them, export them, serve the web app."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from . import accounts, config, exports, summary
from . import demo as demo_module
from .config import DEFAULT_DATABASE
from .errors import DrafterError, DraftImportError, NotFound
from .export_md import to_markdown
from .importing import import_file
from .model import Node
from .storage import open_store


class DrafterGroup(click.Group):
    """Turns every DrafterError into one line on stderr: exit 2 for a bad input file or a
    missing draft, as for a usage error."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except DraftImportError as exc:
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(2)
        except DrafterError as exc:
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(2 if isinstance(exc, NotFound) else 1)


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


def _zone(ctx) -> str:
    """Return the configured time zone (for dates written into exports)."""
    return ctx.obj["settings"]["TIMEZONE"]


class _Spinner:
    """Says on stderr what long work is under way and how long it took."""

    def __init__(self, label: str) -> None:
        self.label = label

    def __enter__(self):
        import time

        self.started = time.monotonic()
        click.echo(f"{self.label}…", err=True, nl=False)
        return self

    def __exit__(self, *exc_info):
        import time

        click.echo(f" {time.monotonic() - self.started:.1f} s", err=True)


class _Progress:
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


def _store(ctx):
    store = open_store(ctx.obj["db"])
    ctx.call_on_close(store.close)
    return store


@cli.command()
@click.pass_context
def init(ctx):
    """Create the database (or bring its schema up to date)."""
    store = _store(ctx)
    click.echo(f"Database {ctx.obj['db']} is ready (schema version {store.schema_version()}).")


@cli.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--draft", "draft_id", type=int, help="Import as the next version of this draft.")
@click.option("--title", help="Title of the draft (default: read from the document).")
@click.option("--quiet", "-q", is_flag=True, help="Do not list import warnings.")
@click.pass_context
def import_command(ctx, file, draft_id, title, quiet):
    """Import FILE (.docx, .md or .txt) as a new draft or a new version of one."""
    store = _store(ctx)
    with _Progress(f"Storing {file.name}") as progress:
        result = import_file(store, file, draft_id=draft_id, title=title, progress=progress)
    parsed = result.parsed
    click.echo(
        f"Draft {result.draft.id} version {result.version.number}: “{result.draft.title}” — "
        f"{parsed.count('chapter')} chapters, {parsed.count('article')} articles, "
        f"{parsed.count('clause')} clauses, {parsed.count('point')} points."
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
    store = _store(ctx)
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
    store = _store(ctx)
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
            "schema": 2,
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
    store = _store(ctx)
    version = store.get_version(draft_id, version_number)
    text = to_markdown(store.get_tree(version.id))
    if output:
        output.write_text(text, encoding="utf-8")
        click.echo(f"Wrote {output}.", err=True)
    else:
        click.echo(text, nl=False)


@cli.group()
def export():
    """Export a consultation's files: consolidated redline, per-unit redlines, summary table,
    or a comparison of two versions."""


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    click.echo(f"Wrote {path} ({len(data):,} bytes).", err=True)


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
    store = _store(ctx)
    with _Spinner("Building the consolidated draft"):
        data = exports.consolidated(store, consultation_id, zone=_zone(ctx))
    _write(output, data)


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
    store = _store(ctx)
    units = store.consultation_units(consultation_id)
    files = {}
    with click.progressbar(units, label="Building the units' redlines", file=sys.stderr) as bar:
        for unit in bar:
            files.update(exports.by_unit(store, consultation_id, only=unit.id, zone=_zone(ctx)))
    if output.suffix.lower() == ".zip":
        _write(output, exports.zip_files(files))
    else:
        for code, data in sorted(files.items()):
            _write(output / f"{code}.docx", data)
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
        ".docx": summary.to_docx,
        ".xlsx": summary.to_xlsx,
        ".csv": summary.to_csv,
        ".md": lambda s: summary.to_markdown(s).encode("utf-8"),
    }
    suffix = output.suffix.lower()
    if suffix not in writers:
        raise click.BadParameter("use a .docx, .xlsx, .csv or .md file name", param_hint="-o")
    store = _store(ctx)
    _write(output, writers[suffix](summary.build(store, consultation_id)))


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
    store = _store(ctx)
    with _Spinner("Comparing"):
        data = exports.compare(store, draft_id, old, new, author=author, zone=_zone(ctx))
    _write(output, data)


@cli.command()
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
def backup(ctx, target):
    """Write a consistent copy of the database to TARGET, even while the app is serving."""
    if target.exists():
        raise click.ClickException(f"{target} exists; choose a new file name.")
    store = _store(ctx)
    with _Spinner(f"Backing up {ctx.obj['db']}"):
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
    store = _store(ctx)  # migrates a backup taken by an older version
    click.echo(f"Restored {target} from {source} (schema version {store.schema_version()}).")


@cli.command("create-organizer")
@click.argument("username")
@click.option("--name", "display_name", help="Full name shown on pages (default: the user name).")
@click.password_option(help="The password (asked twice when not given; at least 10 characters).")
@click.pass_context
def create_organizer(ctx, username, display_name, password):
    """Create an organizer account (there is never a default password)."""
    store = _store(ctx)
    user_id = accounts.create_organizer(store, username, display_name or username, password)
    click.echo(f"Organizer {username} created (user {user_id}).")


@cli.command()
@click.option(
    "--drafts",
    "drafts_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder of sample drafts (default: the project's drafts/).",
)
@click.option(
    "--comments",
    "comments_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder of sample comments (default: the project's comments/).",
)
@click.option("--force", is_flag=True, help="Replace an existing database file.")
@click.pass_context
def demo(ctx, drafts_dir, comments_dir, force):
    """Build the demo database that `make run` serves, from drafts/ and comments/, and print
    the demo accounts with fresh passwords."""
    path = Path(ctx.obj["db"])
    if path.exists() and not force:
        raise click.ClickException(f"{path} exists; use --force to rebuild it.")
    summary = demo_module.build(
        path, drafts_dir=drafts_dir, comments_dir=comments_dir, echo=click.echo
    )
    click.echo(summary)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--threads", default=8, show_default=True, type=int)
@click.pass_context
def serve(ctx, host, port, threads):
    """Serve the web app with the waitress WSGI server."""
    from waitress import serve as waitress_serve

    from . import create_app

    # The environment (DRAFTER_SESSION_COOKIE_SECURE, DRAFTER_TIMEZONE…) and the config file
    # apply here as everywhere; --db wins over both.
    app = create_app({"DATABASE": ctx.obj["db"]}, config_file=ctx.obj["config_file"])
    click.echo(f"drafter on http://{host}:{port}/ (database {ctx.obj['db']}); Ctrl+C stops.")
    waitress_serve(app, host=host, port=port, threads=threads, ident="drafter")
