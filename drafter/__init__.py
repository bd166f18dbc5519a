"""drafter: run a written consultation on a draft regulation, article by article."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def create_app(test_config: dict | None = None):
    """Return the Flask app; `test_config` replaces the environment's settings."""
    from flask import Flask

    from . import web

    app = Flask(
        __name__,
        template_folder=str(Path(__file__).resolve().parent.parent / "templates"),
        static_folder="web/static",
    )
    app.config.from_mapping(
        DATABASE="drafter.sqlite",
        MAX_CONTENT_LENGTH=20 * 1024 * 1024,
        TIMEZONE="Asia/Ho_Chi_Minh",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=False,  # set DRAFTER_SESSION_COOKIE_SECURE=true behind HTTPS
        PERMANENT_SESSION_LIFETIME=8 * 3600,
        WTF_CSRF_TIME_LIMIT=None,  # tokens live as long as the session
    )
    if test_config is None:
        app.config.from_prefixed_env("DRAFTER")  # DRAFTER_SECRET_KEY, DRAFTER_TIMEZONE…
        if os.environ.get("DRAFTER_DB"):
            app.config["DATABASE"] = os.environ["DRAFTER_DB"]
    else:
        app.config.update(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(app.config["DATABASE"])
    web.init_app(app)
    return app


def _secret_key(database: str) -> str:
    """Return the signing key kept beside the database (made on first start, mode 0600),
    so that sessions survive a restart without a key in the environment."""
    if database == ":memory:":
        return secrets.token_hex(32)
    path = Path(f"{database}.secret")
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass  # made earlier, or just now by another worker
    else:
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip()
