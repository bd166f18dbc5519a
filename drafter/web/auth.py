"""Blueprint "auth": sign in and out, invitation links, the language switch."""

from __future__ import annotations

import contextlib
import time
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from .. import accounts, people
from ..errors import InvalidInput, StorageError, TooManyAttempts
from . import LANGUAGES, current_user, devices, get_store, login_required, signed_in, translate

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str | None:
    """Return `target` when it is a path on this site (never another host, never a header
    break): None for anything else, and the caller goes to a safe default."""
    if not target or len(target) > 2000:
        return None
    if any(ord(c) < 32 or ord(c) == 127 for c in target) or "\\" in target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def _sign_in(user_id: int) -> None:
    """Start a new session for the user (no fixation), keeping the chosen language."""
    lang = session.get("lang")
    session.clear()
    session.permanent = True
    session["user_id"] = user_id
    session["epoch"] = get_store().session_epoch(user_id)
    session["signed_in_at"] = int(time.time())  # the absolute lifetime counts from here
    if lang:
        session["lang"] = lang


@bp.get("/")
def home():
    user = current_user()
    if user is None:
        return redirect(url_for("auth.login"))
    return redirect(url_for("organize.home" if user.is_organizer else "consult.index"))


@bp.get("/healthz")
def healthz():
    """For a load balancer or a monitor: 200 "ok" when the database answers, else 503."""
    try:
        version = get_store().schema_version()
    except StorageError:
        return {"status": "unavailable"}, 503
    return {"status": "ok", "schema": version}


@bp.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "POST":
        username = request.form.get("username", "")
        try:
            user = accounts.sign_in(
                get_store(),
                username,
                request.form.get("password", ""),
                request.remote_addr or "",
                trusted_device=devices.trusted(username),
            )
        except TooManyAttempts as exc:
            flash(translate(exc), "error")
            page = render_template("auth/login.html", username=request.form.get("username", ""))
            return page, 429, {"Retry-After": str(exc.retry_after)}
        if user is None:
            flash(_("Wrong user name or password."), "error")
            return render_template(
                "auth/login.html", username=request.form.get("username", "")
            ), 401
        _sign_in(user.id)
        response = redirect(_safe_next(request.args.get("next")) or url_for("auth.home"))
        devices.remember(response, user.username)
        return response
    return render_template("auth/login.html", username="")


@bp.post("/logout")
def logout():
    user = current_user()
    lang = session.get("lang")
    session.clear()  # this browser is signed out whatever happens next
    if lang:
        session["lang"] = lang
    try:
        if user is not None:
            accounts.sign_out(get_store(), user.id)
    except StorageError:
        flash(
            _(
                "You are signed out here, but other copies of this session could not be "
                "ended: the database cannot be written right now."
            ),
            "error",
        )
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/invite/<token>", methods=["GET", "POST"])
def invitation(token: str):
    store = get_store()
    user = accounts.invitation_user(store, token)  # 404 when used, expired or unknown
    if request.method == "POST":
        try:
            user = accounts.accept_invitation(
                store, token, request.form.get("password", ""), request.form.get("confirm", "")
            )
        except InvalidInput as exc:
            flash(translate(exc), "error")
            return render_template("auth/invitation.html", user=user), 400
        _sign_in(user.id)
        flash(_("Your password is set. Welcome."), "info")
        return redirect(url_for("auth.home"))
    return render_template("auth/invitation.html", user=user)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    if request.method == "POST":
        try:
            user = accounts.change_password(
                get_store(),
                signed_in(),
                request.form.get("current", ""),
                request.form.get("password", ""),
                request.form.get("confirm", ""),
                address=request.remote_addr or "",
            )
        except TooManyAttempts as exc:
            flash(translate(exc), "error")
            page = render_template("auth/password.html")
            return page, 429, {"Retry-After": str(exc.retry_after)}
        except (InvalidInput, StorageError) as exc:
            flash(translate(exc), "error")
            return render_template("auth/password.html"), exc.status
        _sign_in(user.id)  # this browser stays signed in; every other session has ended
        flash(_("Your password is changed. Your other sessions are signed out."), "info")
        return redirect(url_for("auth.home"))
    return render_template("auth/password.html")


@bp.get("/lang/<code>")
def language(code: str):
    if code in LANGUAGES:
        session["lang"] = code
        user = current_user()
        if user is not None:
            # The language of their e-mail too; a full disk must not break the switch.
            with contextlib.suppress(StorageError):
                people.set_language(get_store(), user, code)
    return redirect(_safe_next(request.args.get("next")) or url_for("auth.home"))
