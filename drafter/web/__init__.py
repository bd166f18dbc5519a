"""The web layer: per-request store, sign-in, CSRF, languages, errors and template filters."""

from __future__ import annotations

import functools
import os
import threading
import time
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import (
    Flask,
    abort,
    current_app,
    g,
    has_request_context,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import Babel, get_locale
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError, CSRFProtect
from markupsafe import Markup, escape

from .. import accounts, highlight, markup, traces
from ..config import is_postgres
from ..diff import word_diff
from ..errors import N_, DrafterError, DraftImportError
from ..labels import provision_name
from ..model import User, is_commentable
from ..notices import Site
from ..storage import Store, open_store
from . import i18n

LANGUAGES = {"vi": "Tiếng Việt", "en": "English"}
MAX_FLASHES = 5  # messages kept for the next page, the latest
csrf = CSRFProtect()


def get_store() -> Store:
    """Return this request's store: the connection of this worker thread, opened on its
    first request and kept for the next ones (opening and closing one per request cost 1.4 +
    5.3 ms of a 16.9 ms comment POST, the close waiting on a WAL checkpoint)."""
    if "store" not in g:
        g.store = thread_store(current_app)
    return g.store


#: Where links in mail point when BASE_URL is not set (`drafter serve` sets it to the address
#: it serves); never the Host header of a request, which anyone can forge.
LOCAL_BASE_URL = "http://127.0.0.1:5000"


def thread_store(app: Flask) -> Store:
    """Return the store of the calling thread for `app`'s database, opening it if needed.
    SQLite connections are not shared between threads: each waitress worker has its own."""
    stores = app.extensions.setdefault("drafter.stores", threading.local())
    store = getattr(stores, "store", None)
    path = app.config["DATABASE"]
    if store is not None and path != ":memory:" and not is_postgres(path):
        # A disk that became read-only (or writable again) since the connection was opened:
        # open it again, so that reads go on and writes are refused clearly (one syscall).
        writable = os.access(path.removeprefix("sqlite:///"), os.W_OK)
        if writable == getattr(store, "read_only", False):
            del stores.store
            store.close()
            store = None
    if store is None:
        store = stores.store = open_store(path, migrate=False)
    return store


def release_store(app: Flask, failed: bool) -> None:
    """End the request's use of the thread's store.  Nothing is left open: a transaction is
    one block (committed or rolled back when it ends), and statements in autocommit mode
    each see the latest commits.  After a failure the connection is closed and the next
    request opens a new one, so that no broken state carries over."""
    store = g.pop("store", None)
    if store is None:
        return
    stores = app.extensions.get("drafter.stores")
    if failed or stores is None:
        if stores is not None and getattr(stores, "store", None) is store:
            del stores.store
        store.close()


def site() -> Site:
    """Return where links in e-mail point: the configured BASE_URL."""
    return Site(
        current_app.config.get("BASE_URL") or LOCAL_BASE_URL, current_app.config["TIMEZONE"]
    )


def current_user() -> User | None:
    """Return the signed-in user, or None."""
    if "user" not in g:
        user_id = session.get("user_id")
        g.user = None
        if user_id is not None:
            # A session older than the absolute lifetime is over, however busy it was; so is
            # one opened before the account signed out (a copied cookie), or whose account or
            # unit is gone or disabled.
            started = session.get("signed_in_at")
            lifetime = current_app.config["SESSION_ABSOLUTE_LIFETIME"]
            if isinstance(started, int) and time.time() - started <= lifetime:
                g.user = accounts.session_user(get_store(), user_id, session.get("epoch"))
            if g.user is None:
                session.clear()
    return g.user


def signed_in() -> User:
    """Return the signed-in user of a view behind `login_required` or `organizer_required`."""
    user = current_user()
    if user is None:
        abort(401)
    return user


def login_required(view):
    """Send anonymous visitors to the sign-in page."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if current_user() is None:
            return redirect(url_for("auth.login", next=request.full_path))
        return view(*args, **kwargs)

    return wrapped


def organizer_required(view):
    """Allow organizers only: anonymous visitors sign in, delegates get 403."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        user = current_user()
        if user is None:
            return redirect(url_for("auth.login", next=request.full_path))
        if not user.is_organizer:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def translate(exc: DrafterError) -> str:
    """Return an error's message in the page's language (English when not catalogued); an
    import error's starts with the file's name and the place in it."""
    if not getattr(exc, "template", ""):
        return str(exc)
    if not exc.params:
        text = _(exc.template)
    else:
        # String values that are catalogued words ("comment", "deadline") are translated too.
        params = {k: _(v) if isinstance(v, str) and v else v for k, v in exc.params.items()}
        text = _(exc.template, **params)
    if isinstance(exc, DraftImportError):
        place = exc.place(_)
        return f"{place}: {text}" if place else text
    return text


@functools.lru_cache(maxsize=512)
def redline(new: str, old: str) -> Markup:
    """Return a proposal's wording as its word changes against the provision's text (HTML).
    A pure function of the two texts, kept for the latest 512 pairs: the same proposals are
    shown on every view of a page, and a word diff costs milliseconds."""
    parts = []
    for change in word_diff(old or "", new or ""):
        text = escape(change.text)
        if change.op == "insert":
            parts.append(Markup(f"<ins>{text}</ins>"))
        elif change.op == "delete":
            parts.append(Markup(f"<del>{text}</del>"))
        else:
            parts.append(text)
    return Markup('<div class="redline">') + Markup("").join(parts) + Markup("</div>")


def local_time(moment: str, fmt: str = "%d/%m/%Y %H:%M") -> str:
    """Return an ISO moment in the configured zone, as pages show it."""
    zone = ZoneInfo(current_app.config["TIMEZONE"])
    return datetime.fromisoformat(moment).astimezone(zone).strftime(fmt)


def provision_words(key: str | None) -> str:
    """Return "Điều 4, khoản 1, điểm đ" (or its English) for a node key."""
    return _provision_words(key, str(get_locale()))


@functools.lru_cache(maxsize=4096)
def _provision_words(key: str | None, locale: str) -> str:
    """:func:`provision_words` in `locale` (the request's: `_` translates into it), kept: a
    page names the same few provisions on every card, four translations each."""
    names = {
        "dieu": _("Article %(n)s"),
        "khoan": _("clause %(n)s"),
        "diem": _("point %(n)s"),
        "y": _("item %(n)s"),
    }
    return provision_name(key, words=names, whole=_("The whole draft"))


def labels() -> dict[str, dict[str, str]]:
    """Return the translated names of comment kinds, answers, unit states and phases."""
    return {
        "kind": {
            "agree": _("Agree as drafted"), "comment": _("Comment"),
            "new_wording": _("New wording"), "delete": _("Delete this provision"),
            "add_after": _("Add a provision after this one"), "question": _("Question"),
        },
        "status": {
            "accepted": _("Accepted"), "partly": _("Partly accepted"),
            "rejected": _("Not accepted"), "noted": _("Noted"),
        },
        "state": {
            "not_started": _("Not started"), "drafting": _("Drafting"),
            "submitted": _("Submitted"), "no_comments": _("No comments"),
        },
        "phase": {
            "upcoming": _("Not open yet"), "open": _("Open"),
            "past_deadline": _("Deadline passed"), "closed": _("Closed"),
        },
        "unit_kind": {
            "province": _("Province"), "ministry": _("Ministry"),
            "organisation": _("Organisation"), "other": _("Other"),
        },
        "match": {
            "unchanged": _("unchanged"), "changed": _("changed"), "added": _("new"),
            "removed": _("removed"),
        },
        "trace": {
            "applied": _("Applied"), "accepted_not_applied": _("Accepted, not applied"),
            "applied_rejected": _("Applied, answered not accepted"),
            "rejected_not_applied": _("Not accepted, not applied"),
            "unanswered": _("Unanswered"), "no_wording": _("No wording to check"),
        },
    }  # fmt: skip


def select_locale() -> str:
    return session.get("lang") or "vi"


def init_app(app: Flask) -> None:
    """Register blueprints, extensions, the error handlers and filters."""
    from . import auth, consult, drafts, organize, resets, review, security

    store = open_store(app.config["DATABASE"])  # migrate once at start-up
    try:
        traces.fill_all(store)  # after an upgrade: the stored traces, before any page
    finally:
        store.close()
    i18n.compile_catalogues()
    Babel(app, locale_selector=select_locale, default_translation_directories=str(i18n.DIRECTORY))
    csrf.init_app(app)
    security.init_app(app)
    zone = ZoneInfo(app.config["TIMEZONE"])

    @app.after_request
    def _bounded_flashes(response):
        # A message waits in the session cookie for the next page; a client that never reads
        # that page (a script, many tabs) would grow the cookie past what browsers keep (4 KB,
        # then the session is lost) and make every request re-sign all of it.
        flashes = session.get("_flashes") if "_flashes" in session else None
        if flashes and len(flashes) > MAX_FLASHES:
            session["_flashes"] = flashes[-MAX_FLASHES:]
        return response

    @app.teardown_appcontext
    def _release(exc):
        release_store(app, exc is not None)

    @app.context_processor
    def _globals():
        return {
            "current_user": current_user(),
            "lang": select_locale(),
            "languages": LANGUAGES,
            "labels": labels(),
            # the words searched for, marked on the page opened from a search result
            "search_query": request.args.get("q", "")[:200] if has_request_context() else "",
        }

    def _error(message: str, status: int):
        return render_template("error.html", message=message, status=status), status

    @app.errorhandler(DrafterError)
    def _drafter_error(exc: DrafterError):
        return _error(translate(exc), exc.status)

    @app.errorhandler(OverflowError)
    def _too_large_number(_exc: OverflowError):
        # An id past SQLite's 64-bit integers (…/c/99999999999999999999): nothing has it.
        return _error(_("This page does not exist."), 404)

    @app.errorhandler(CSRFError)
    def _csrf_error(exc):
        return _error(
            _(
                "The form expired or was sent from elsewhere. Go back, reload the page and try again."
            ),
            400,
        )

    for status, message in (
        (401, N_("Sign in to see this page.")),
        (403, N_("You may not see or do this.")),
        (404, N_("This page does not exist.")),
        (405, N_("This page does not accept that request.")),
        (413, N_("The file is too large.")),
        (
            500,
            N_(
                "Something went wrong on our side. What you sent may not have been saved: "
                "go back, check, and try again; tell the organizers if it happens again."
            ),
        ),
    ):
        app.register_error_handler(
            status, functools.partial(lambda m, s, _e: _error(_(m), s), message, status)
        )

    @app.template_filter("localtime")
    def _localtime(text: str | None, fmt: str = "%d/%m/%Y %H:%M") -> str:
        if not text:
            return ""
        return datetime.fromisoformat(text).astimezone(zone).strftime(fmt)

    app.template_filter("redline")(redline)

    app.template_filter("provision")(provision_words)

    def _note() -> str:
        return _("Shown as typed: this text could not be formatted.")

    @app.template_filter("markdown")
    def _markdown(text: str) -> Markup:
        """Render Markdown (article texts, history) for the page, never raising."""
        return markup.render(text, note=_note())

    @app.template_filter("shown")
    def _shown(html: str | None, text: str) -> Markup:
        """Show a comment's or answer's HTML rendered when it was written."""
        return markup.shown(html, text, note=_note())

    @app.template_filter("marked")
    def _marked(html: str, query: str) -> Markup:
        """Mark the searched words inside rendered HTML."""
        return highlight.mark_html(html, query) if query else Markup(html)

    app.jinja_env.globals["zone_name"] = app.config["TIMEZONE"]
    # "node is commentable": an article, or a guidance text's item (the units of comment).
    app.jinja_env.tests["commentable"] = lambda node: is_commentable(node.kind)
    app.register_blueprint(auth.bp)
    app.register_blueprint(resets.bp)
    app.register_blueprint(drafts.bp)
    app.register_blueprint(consult.bp)
    app.register_blueprint(review.bp)
    app.register_blueprint(organize.bp)
