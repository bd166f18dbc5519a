"""The outbox page and reminders: mail queued, sent or failing, and reminding late units."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ... import delivery, mailing
from ...errors import InvalidInput
from .. import get_store, organizer_required, signed_in, site, translate
from . import bp


@bp.get("/outbox")
@organizer_required
def outbox():
    shown = mailing.outbox(get_store(), signed_in())
    configured = bool(current_app.config.get("SMTP_URL"))
    return render_template(
        "organize/outbox.html",
        messages=shown.messages,
        waiting=shown.waiting,
        configured=configured,
        backoff=delivery.backoff,
    )


@bp.post("/c/<int:consultation_id>/remind")
@organizer_required
def remind(consultation_id: int):
    try:
        count = mailing.remind(get_store(), site(), consultation_id, user=signed_in())
    except InvalidInput as exc:
        flash(translate(exc), "error")
    else:
        flash(_("%(count)s reminders are in the outbox.", count=count), "info")
    return redirect(url_for("organize.dashboard", consultation_id=consultation_id))


@bp.post("/c/<int:consultation_id>/reminders")
@organizer_required
def reminders(consultation_id: int):
    try:
        days = mailing.set_reminder_days(
            get_store(), signed_in(), consultation_id, request.form.get("days", "")
        )
    except InvalidInput as exc:
        flash(translate(exc), "error")
    else:
        if days:
            flash(_("Reminders go out %(days)s days before the deadline.", days=days), "info")
        else:
            flash(_("No reminders are scheduled."), "info")
    return redirect(url_for("organize.dashboard", consultation_id=consultation_id))
