"""The web layer: per-request store, blueprints, error pages and template filters."""

from __future__ import annotations

from flask import Flask, g, render_template

from .. import markup
from ..errors import DrafterError
from ..storage import Store, open_store


def get_store() -> Store:
    """Return this request's store, opened on first use."""
    if "store" not in g:
        g.store = open_store(g.database, migrate=False)
    return g.store


def init_app(app: Flask) -> None:
    """Register blueprints, the error handler, filters, and the store's lifecycle."""
    from . import drafts

    store = open_store(app.config["DATABASE"])  # migrate once at start-up
    store.close()

    @app.before_request
    def _database():
        g.database = app.config["DATABASE"]

    @app.teardown_appcontext
    def _close(_exc):
        store = g.pop("store", None)
        if store is not None:
            store.close()

    @app.errorhandler(DrafterError)
    def _drafter_error(exc: DrafterError):
        return render_template("error.html", message=str(exc), status=exc.status), exc.status

    @app.errorhandler(404)
    def _not_found(_exc):
        return render_template("error.html", message="Không tìm thấy trang này.", status=404), 404

    app.add_template_filter(markup.render, "markdown")
    app.register_blueprint(drafts.bp)
