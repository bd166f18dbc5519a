"""E-mail commands: deliver the outbox once (for cron), list it, remind late units."""

from __future__ import annotations

import click

from .. import delivery, mailing
from ..notices import Site
from .main import cli, store_of, zone_of

DEFAULT_BASE_URL = "http://127.0.0.1:5000"


def site_of(ctx: click.Context) -> Site:
    """Return where links in messages point (BASE_URL; a local default, with a warning)."""
    base = str(ctx.obj["settings"]["BASE_URL"] or "")
    if not base:
        click.echo(
            f"Warning: DRAFTER_BASE_URL is not set; links in messages point to {DEFAULT_BASE_URL}.",
            err=True,
        )
        base = DEFAULT_BASE_URL
    return Site(base, zone_of(ctx))


@cli.group()
def mail():
    """The outbox: every message drafter sends waits there until it is delivered."""


@mail.command("send")
@click.pass_context
def send(ctx):
    """Try every queued message now, whatever its backoff; exit 1 when one could not be
    delivered (it stays queued)."""
    settings = ctx.obj["settings"]
    target = delivery.target_of(settings)
    report = delivery.deliver(store_of(ctx), target, str(settings["MAIL_FROM"]), everything=True)
    for mail_id, reason in report.failed:
        click.echo(f"Message {mail_id} not delivered: {reason}", err=True)
    click.echo(f"{report.sent} sent, {len(report.failed)} not delivered.")
    if report.failed:
        ctx.exit(1)


@mail.command("list")
@click.option("--waiting", is_flag=True, help="Only the messages not sent yet.")
@click.option("--limit", default=50, show_default=True, type=int)
@click.pass_context
def list_mail(ctx, waiting, limit):
    """List the outbox, newest first: state, recipient, subject, last error."""
    for queued in mailing.list_outbox(store_of(ctx), unsent_only=waiting, limit=limit):
        line = f"{queued.id}\t{queued.state}\t{queued.mail.recipient}\t{queued.mail.subject}"
        if queued.state != "sent" and queued.last_error:
            line += f"\t{queued.last_error}"
        click.echo(line)


@cli.command()
@click.argument("consultation_id", metavar="CONSULTATION", type=int)
@click.pass_context
def remind(ctx, consultation_id):
    """Queue a reminder to every delegate of every unit of CONSULTATION that has not
    responded (`drafter mail send` or the server delivers it)."""
    count = mailing.remind(store_of(ctx), site_of(ctx), consultation_id)
    click.echo(f"{count} reminders queued.")
