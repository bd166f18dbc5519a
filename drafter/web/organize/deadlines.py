"""Deadlines: extending for every unit or one, closing after a confirmation page, reopening."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ... import consulting, organizing
from ...errors import Conflict, InvalidInput, NotFound, StorageError
from ...organizing import deadlines as deadline_cases
from .. import get_store, organizer_required, signed_in, site, translate
from ..forms import optional_id
from . import bp


def _page(consultation_id: int, status: int = 200, form=None):
    shown = deadline_cases.deadlines(
        get_store(), signed_in(), consultation_id, consulting.utc_now()
    )
    return render_template("organize/deadlines.html", shown=shown, form=form or {}), status


@bp.get("/c/<int:consultation_id>/deadlines")
@organizer_required
def deadlines(consultation_id: int):
    return _page(consultation_id)


@bp.post("/c/<int:consultation_id>/deadline")
@organizer_required
def extend(consultation_id: int):
    unit_id = request.form.get("unit_id")
    try:
        deadline_cases.extend_deadline(
            get_store(), signed_in(), consultation_id, deadline=request.form.get("deadline", ""),
            unit_id=optional_id(unit_id), zone=current_app.config["TIMEZONE"], now=consulting.utc_now(),
            send=site(),
        )  # fmt: skip
    except (InvalidInput, Conflict, NotFound, StorageError) as exc:
        flash(translate(exc), "error")
        return _page(consultation_id, exc.status, request.form)
    flash(_("The deadline is extended."), "info")
    return redirect(url_for("organize.deadlines", consultation_id=consultation_id))


@bp.post("/c/<int:consultation_id>/reopen")
@organizer_required
def reopen(consultation_id: int):
    try:
        deadline_cases.reopen_consultation(
            get_store(), signed_in(), consultation_id, deadline=request.form.get("deadline", ""),
            zone=current_app.config["TIMEZONE"], now=consulting.utc_now(), send=site(),
        )  # fmt: skip
    except (InvalidInput, Conflict, StorageError) as exc:
        flash(translate(exc), "error")
        return _page(consultation_id, exc.status, request.form)
    flash(_("The consultation is open again until the new deadline."), "info")
    return redirect(url_for("organize.dashboard", consultation_id=consultation_id))


@bp.route("/c/<int:consultation_id>/close", methods=["GET", "POST"])
@organizer_required
def close(consultation_id: int):
    if request.method == "GET":
        shown = deadline_cases.deadlines(
            get_store(), signed_in(), consultation_id, consulting.utc_now()
        )
        return render_template("organize/confirm_close.html", shown=shown)
    organizing.close_consultation(get_store(), signed_in(), consultation_id, consulting.utc_now())
    flash(_("The consultation is closed: everything is read-only."), "info")
    return redirect(url_for("organize.dashboard", consultation_id=consultation_id))
