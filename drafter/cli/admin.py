"""Commands that set drafter up: organizer accounts, the demo, the web server."""

from __future__ import annotations

from pathlib import Path

import click

from .. import accounts, config
from .. import demo as demo_module
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
@click.option(
    "--scale",
    type=click.IntRange(0, 10_000_000),
    default=0,
    help="Also a consultation with this many generated comments (submitted, answered).",
)
@click.option(
    "--units",
    type=click.IntRange(2, 2000),
    default=60,
    show_default=True,
    help="Units of the generated consultation (with --scale).",
)
@click.pass_context
def demo(ctx, drafts_dir, comments_dir, force, scale, units):
    """Build the demo database that `make run` serves, from drafts/ and comments/, and print
    the demo accounts with fresh passwords; --scale N adds a consultation with N generated
    comments."""
    location: Path | str = ctx.obj["db"]
    if config.is_postgres(ctx.obj["db"]):
        database.empty_for_demo(ctx.obj["db"], force)
    else:
        location = Path(ctx.obj["db"])
        if location.exists() and not force:
            raise click.ClickException(f"{location} exists; use --force to rebuild it.")
    summary = demo_module.build(
        location,
        drafts_dir=drafts_dir,
        comments_dir=comments_dir,
        echo=click.echo,
        scale=scale,
        units=units,
    )
    click.echo(summary)
