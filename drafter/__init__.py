"""drafter: run a written consultation on a draft regulation, article by article."""

from __future__ import annotations

import secrets
from pathlib import Path


def create_app(overrides: dict | None = None, *, config_file: str | None = None):
    """Return the Flask app, configured by :func:`drafter.config.load`: defaults < the config
    file < ``DRAFTER_*`` environment < `overrides` (tests, command-line flags)."""
    from flask import Flask

    from . import config, web

    app = Flask(
        __name__,
        template_folder=str(Path(__file__).resolve().parent.parent / "templates"),
        static_folder="web/static",
    )
    app.config.from_mapping(config.load(overrides, file=config_file))
    if app.config["TRUSTED_PROXIES"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(app.config["DATABASE"])
    web.init_app(app)
    return app


def _secret_key(database: str) -> str:
    """Return the signing key kept in the database (made on first start: :mod:`.signing`), so
    that sessions survive a restart and every process signs alike without a key in the
    environment.  No file is made from the database setting."""
    if database == ":memory:":
        return secrets.token_hex(32)
    from . import config, signing
    from .storage import open_store

    legacy = None
    if not config.is_postgres(database):
        legacy = Path(f"{database.removeprefix('sqlite:///')}.secret")
    store = open_store(database)  # migrated here, before the app's first use
    try:
        return signing.session_secret(store, legacy)
    finally:
        store.close()
