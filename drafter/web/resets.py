"""Blueprint "resets": "forgot your password?" and the e-mailed single-use reset link."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from .. import resets
from ..errors import InvalidInput
from . import get_store, site, translate

bp = Blueprint("resets", __name__)


@bp.route("/forgot", methods=["GET", "POST"])
def forgot():
    if request.method == "POST":
        resets.request_reset(
            get_store(), site(), request.form.get("who", ""), address=request.remote_addr or ""
        )
        # The same answer whoever was named: nobody learns which accounts exist.
        flash(
            _(
                "If an account with that user name or e-mail address exists and has an "
                "address, a link to reset its password is on its way. It works for an hour."
            ),
            "info",
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot.html")


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset(token: str):
    store = get_store()
    user = resets.reset_user(store, token)  # 404 when used, expired, revoked or unknown
    if request.method == "POST":
        try:
            resets.reset_password(
                store, token, request.form.get("password", ""), request.form.get("confirm", "")
            )
        except InvalidInput as exc:
            flash(translate(exc), "error")
            return render_template("auth/reset.html", user=user), 400
        flash(_("Your new password is set; every other session is signed out. Sign in."), "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", user=user)
