"""drafter: run a written consultation on a draft regulation, article by article."""

from __future__ import annotations

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
    app.config.from_mapping(DATABASE="drafter.sqlite", MAX_CONTENT_LENGTH=20 * 1024 * 1024)
    if test_config is None:
        app.config.from_prefixed_env("DRAFTER")  # DRAFTER_DATABASE, DRAFTER_SECRET_KEY…
        import os

        if os.environ.get("DRAFTER_DB"):
            app.config["DATABASE"] = os.environ["DRAFTER_DB"]
    else:
        app.config.update(test_config)
    web.init_app(app)
    return app
