"""Commands that set drafter up: organizer accounts, the demo, the web server."""

from __future__ import annotations

from pathlib import Path

import click

from .. import accounts, config, delivery
from .. import demo as demo_module
from ..notices import Site
from . import database
from .main import cli, store_of


@cli.command("create-organizer")
@click.argument("username")
@click.option("--name", "display_name", help="Full name shown on pages (default: the user name).")
@click.option("--email", default=None, help="For password resets and the daily digest.")
@click.password_option(help="The password (asked twice when not given; at least 10 characters).")
@click.pass_context
def create_organizer(ctx, username, display_name, email, password):
    """Create an organizer account (there is never a default password)."""
    store = store_of(ctx)
    user_id = accounts.create_organizer(
        store, username, display_name or username, password, email=email
    )
    click.echo(f"Organizer {username} created (user {user_id}).")


@cli.command()
@click.option(
    "--drafts",
    "drafts_dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=None,
    help="Folder of sample drafts (default: the project's drafts/).",
)
@click.option(
    "--comments",
    "comments_dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=None,
    help="Folder of sample comments (default: the project's comments/).",
)
@click.option("--force", is_flag=True, help="Replace an existing database file.")
@click.pass_context
def demo(ctx, drafts_dir, comments_dir, force):
    """Build the demo database that `make run` serves, from drafts/ and comments/, and print
    the demo accounts with fresh passwords."""
    location: Path | str = ctx.obj["db"]
    if config.is_postgres(ctx.obj["db"]):
        database.empty_for_demo(ctx.obj["db"], force)
    else:
        location = Path(ctx.obj["db"])
        if location.exists() and not force:
            raise click.ClickException(f"{location} exists; use --force to rebuild it.")
    summary = demo_module.build(
        location, drafts_dir=drafts_dir, comments_dir=comments_dir, echo=click.echo
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

    from .. import create_app

    # The environment (DRAFTER_SESSION_COOKIE_SECURE, DRAFTER_TIMEZONE…) and the config file
    # apply here as everywhere; --db wins over both.
    app = create_app({"DATABASE": ctx.obj["db"]}, config_file=ctx.obj["config_file"])
    click.echo(f"drafter on http://{host}:{port}/ (database {ctx.obj['db']}); Ctrl+C stops.")
    # Links in mail point to BASE_URL, never to the Host header a request claims (a forged
    # one would send a password reset link to another site): unset, the address served here.
    base = app.config["BASE_URL"] or f"http://{host}:{port}"
    if not app.config["BASE_URL"]:
        app.config["BASE_URL"] = base
        click.echo(f"Mail: DRAFTER_BASE_URL is not set; links in messages point to {base}.")
    # Scheduled reminders and the digest are queued in the background either way; delivered
    # when a mail server is configured, else they wait in the outbox (Outbox page).
    sender = delivery.BackgroundSender(app.config, Site(base, app.config["TIMEZONE"]))
    sender.start()
    if app.config["SMTP_URL"]:
        click.echo("Mail: the outbox is delivered in the background.")
    else:
        click.echo("Mail: no DRAFTER_SMTP_URL; messages wait in the outbox (Outbox page).")
    try:
        waitress_serve(app, host=host, port=port, threads=threads, ident="drafter")
    finally:
        sender.stop()
