"""The unit's final steps and what came back (views on the "consult" blueprint): the submit
and "no comments" confirmation pages, and "what became of our comments" with its DOCX."""

from __future__ import annotations

import io

from flask import current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _

from .. import consulting, correspondence, exports, feedback, responses
from ..errors import Conflict, InvalidInput, StorageError
from . import get_store, login_required, signed_in, site, translate
from .consult import bp
from .downloads import send_download

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _confirm(consultation_id: int, *, no_comments: bool):
    """GET: the confirmation page, saying exactly what will be sent; POST: send it."""
    user, store = signed_in(), get_store()
    back = redirect(url_for("consult.consultation", consultation_id=consultation_id))
    if request.method == "GET":
        try:
            preview = responses.submit_preview(
                store, user, consultation_id, no_comments=no_comments, now=consulting.utc_now()
            )
        except (InvalidInput, Conflict) as exc:
            flash(translate(exc), "error")
            return back
        return render_template("consult/confirm_submit.html", preview=preview)
    consultation = consulting.get_readable(store, user, consultation_id)
    try:
        consulting.submit(
            store,
            user,
            consultation,
            no_comments=no_comments,
            now=consulting.utc_now(),
            expected=request.form.get("expected") or None,
            site=site(),
        )
    except (InvalidInput, Conflict, StorageError) as exc:
        flash(translate(exc), "error")
        return back
    if no_comments:
        flash(_("Your unit's answer “no comments” is sent to the organizers."), "info")
    else:
        flash(_("Your unit's response is submitted to the organizers."), "info")
    return back


@bp.route("/<int:consultation_id>/submit", methods=["GET", "POST"])
@login_required
def submit(consultation_id: int):
    # The older form posted no_comments=1 here; it still means "no comments".
    return _confirm(consultation_id, no_comments=request.form.get("no_comments") == "1")


@bp.route("/<int:consultation_id>/no-comments", methods=["GET", "POST"])
@login_required
def no_comments(consultation_id: int):
    return _confirm(consultation_id, no_comments=True)


@bp.get("/<int:consultation_id>/answers")
@login_required
def answers(consultation_id: int):
    shown = feedback.unit_feedback(get_store(), signed_in(), consultation_id)
    return render_template("consult/answers.html", shown=shown, preview=False)


@bp.get("/<int:consultation_id>/draft.docx")
@login_required
def draft_docx(consultation_id: int):
    """The consulted version as a clean DOCX, to read and print."""
    return send_download(
        exports.consulted_draft_file(
            get_store(),
            signed_in(),
            consultation_id,
            zone=current_app.config["TIMEZONE"],
            body=current_app.config["CONSULTING_BODY"],
        )  # fmt: skip
    )


@bp.get("/<int:consultation_id>/letter.docx")
@login_required
def letter_docx(consultation_id: int):
    """The unit's response as an official letter, to sign, stamp and file."""
    return send_download(
        correspondence.response_letter(
            get_store(), signed_in(), consultation_id,
            body=current_app.config["CONSULTING_BODY"], zone=current_app.config["TIMEZONE"],
        )
    )  # fmt: skip


@bp.get("/<int:consultation_id>/answers.docx")
@login_required
def answers_docx(consultation_id: int):
    data, name = feedback.feedback_docx(get_store(), signed_in(), consultation_id)
    return send_file(io.BytesIO(data), mimetype=DOCX, as_attachment=True, download_name=name)
