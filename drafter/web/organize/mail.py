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
    waiting_only = request.args.get("waiting") == "1"
    page = min(request.args.get("page", 1, type=int), 100_000)
    shown = mailing.outbox(get_store(), signed_in(), waiting_only=waiting_only, page=page)
    configured = bool(current_app.config.get("SMTP_URL"))
    return render_template(
        "organize/outbox.html",
        messages=shown.messages,
        waiting=shown.waiting,
        page=shown.page,
        more=shown.more,
        waiting_only=waiting_only,
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
