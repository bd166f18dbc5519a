"""``drafter serve``: one process with waitress (the default), or ``--workers N`` processes
with gunicorn (pre-fork, POSIX), each with its threads and its own database connections.

Under gunicorn the app is built once in the master (settings, migrations, catalogues) and
the workers are forked from it; no database connection is open at the fork, and each worker
thread opens its own on its first request (`drafter.web.thread_store`).  Every worker runs
the background loop (the outbox, the calendar) and the export worker: each claims its rows
(messages, export jobs) under the write lock, so two workers never send one message nor run
one job, and a worker that dies leaves the others going."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import click
from flask import Flask

from .. import delivery, export_jobs
from ..notices import Site
from .main import cli


class Background:
    """What a serving process runs beside the requests: the mail loop (the outbox, the
    calendar) and the export worker (long exports asked for on the web)."""

    def __init__(self, app: Flask) -> None:
        base = app.config["BASE_URL"]
        self.sender = delivery.BackgroundSender(
            app.config,
            Site(base, app.config["TIMEZONE"]),
            interval=float(app.config["MAIL_INTERVAL"]),
        )
        self.exports = export_jobs.ExportWorker(
            app.config["DATABASE"], app.config["TIMEZONE"], body=app.config["CONSULTING_BODY"]
        )

    def start(self) -> None:
        self.sender.start()
        self.exports.start()

    def stop(self, timeout: float = 60) -> None:
        self.exports.stop(timeout)
        self.sender.stop(timeout)


def _background(app: Flask) -> Background:
    return Background(app)


def run_gunicorn(
    app: Flask,
    host: str,
    port: int,
    workers: int,
    threads: int,
    *,
    wsgi: Callable[..., Any] | None = None,
) -> None:
    """Serve `app` with gunicorn: `workers` forked processes of `threads` threads each
    (`wsgi`: what to serve instead of the app itself, such as a wrapper; benchmarks)."""
    from gunicorn.app.base import BaseApplication

    def post_fork(_server: Any, _worker: Any) -> None:
        # Nothing of the master's connections crosses the fork: a fresh per-thread cache.
        app.extensions["drafter.stores"] = threading.local()

    def post_worker_init(worker: Any) -> None:
        worker.drafter_background = _background(app)
        worker.drafter_background.start()

    def worker_exit(_server: Any, worker: Any) -> None:
        sender = getattr(worker, "drafter_background", None)
        if sender is not None:
            sender.stop(timeout=10)

    options = {
        "bind": f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread",
        "preload_app": True,
        "timeout": 120,  # a worker whose main thread is silent that long is replaced
        "graceful_timeout": 30,
        "keepalive": 75,  # seconds an idle keep-alive connection (nginx's upstream) stays
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        "proc_name": "drafter",
        "post_fork": post_fork,
        "post_worker_init": post_worker_init,
        "worker_exit": worker_exit,
    }

    class Server(BaseApplication):
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Callable[..., Any]:
            return wsgi or app

    Server().run()


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Processes; more than 1 runs gunicorn (POSIX), 1 runs waitress.",
)
@click.option(
    "--threads",
    default=8,
    show_default=True,
    type=click.IntRange(1, 256),
    help="Threads in each process.",
)
@click.pass_context
def serve(ctx, host, port, workers, threads):
    """Serve the web app: waitress in this process, or gunicorn with --workers N > 1."""
    from .. import create_app

    # The environment (DRAFTER_SESSION_COOKIE_SECURE, DRAFTER_TIMEZONE…) and the config file
    # apply here as everywhere; --db wins over both.
    app = create_app({"DATABASE": ctx.obj["db"]}, config_file=ctx.obj["config_file"])
    # Links in mail point to BASE_URL, never to the Host header a request claims (a forged
    # one would send a password reset link to another site): unset, the address served here.
    base = app.config["BASE_URL"] or f"http://{host}:{port}"
    if not app.config["BASE_URL"]:
        app.config["BASE_URL"] = base
        click.echo(f"Mail: DRAFTER_BASE_URL is not set; links in messages point to {base}.")
    if app.config["SMTP_URL"]:
        click.echo("Mail: the outbox is delivered in the background.")
    else:
        click.echo("Mail: no DRAFTER_SMTP_URL; messages wait in the outbox (Outbox page).")
    where = f"drafter on http://{host}:{port}/ (database {ctx.obj['db']})"
    if workers > 1:
        click.echo(f"{where}, {workers} workers × {threads} threads (gunicorn); Ctrl+C stops.")
        run_gunicorn(app, host, port, workers, threads)
        return
    from waitress import serve as waitress_serve

    click.echo(f"{where}; Ctrl+C stops.")
    # Scheduled reminders and the digest are queued in the background either way; delivered
    # when a mail server is configured, else they wait in the outbox (Outbox page).
    sender = _background(app)
    sender.start()
    try:
        waitress_serve(app, host=host, port=port, threads=threads, ident="drafter")
    finally:
        sender.stop()
