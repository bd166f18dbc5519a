"""drafter: run a written consultation on a draft regulation, article by article."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def create_app(overrides: dict | None = None):
    """Return the Flask app configured by `config.load_settings`: defaults < config file <
    DRAFTER_* environment < `overrides` (command-line flags, tests; other Flask keys in
    `overrides`, such as TESTING, are set as given)."""
    from flask import Flask

    from . import web
    from .config import SETTING_KEYS, load_settings

    app = Flask(
        __name__,
        template_folder=str(Path(__file__).resolve().parent.parent / "templates"),
        static_folder="web/static",
    )
    app.config.from_mapping(load_settings(overrides).flask_config())
    app.config.update(
        {key: value for key, value in (overrides or {}).items() if key not in SETTING_KEYS}
    )
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
