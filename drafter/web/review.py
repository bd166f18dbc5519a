"""Blueprint "review": the Word round trip on the web.  A unit's review copy to download, and
a returned file uploaded (kept server-side), previewed, then confirmed as the unit's drafts.
Delegates act for their own unit; organizers for any invited unit."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from .. import consulting, review_copy, review_import
from ..errors import N_, NotFound
from . import get_store, login_required, signed_in
from .downloads import send_download

bp = Blueprint("review", __name__, url_prefix="/c")


@bp.get("/<int:consultation_id>/units/<code>/review-copy.docx")
@login_required
def review_copy_docx(consultation_id: int, code: str):
    download = review_copy.review_copy_file(
        get_store(), signed_in(), consultation_id, code, zone=current_app.config["TIMEZONE"]
    )
    return send_download(download)


@bp.post("/<int:consultation_id>/units/<code>/review")
@login_required
def upload(consultation_id: int, code: str):
    sent = request.files.get("file")
    name, data = (sent.filename or "", sent.read()) if sent is not None else ("", b"")
    upload_id = review_import.stage(
        get_store(), signed_in(), consultation_id, code, name, data, now=consulting.utc_now()
    )
    return redirect(url_for("review.preview", consultation_id=consultation_id, upload_id=upload_id))


@bp.get("/<int:consultation_id>/review/<int:upload_id>")
@login_required
def preview(consultation_id: int, upload_id: int):
    shown = review_import.preview(get_store(), signed_in(), upload_id)
    if shown.consultation.id != consultation_id:
        raise NotFound(N_("There is no pending Word file %(id)s."), id=upload_id)
    return render_template("review/preview.html", p=shown)


@bp.post("/<int:consultation_id>/review/<int:upload_id>")
@login_required
def confirm(consultation_id: int, upload_id: int):
    user = signed_in()
    if request.form.get("action") == "discard":
        review_import.discard(
            get_store(), user, upload_id, consulting.utc_now(), consultation_id=consultation_id
        )
        flash(_("The Word file is discarded: nothing was saved."), "info")
        return redirect(url_for("consult.consultation", consultation_id=consultation_id))
    result = review_import.confirm(
        get_store(), user, upload_id, consulting.utc_now(),
        quota=None if user.is_organizer else current_app.config["COMMENT_QUOTA"],
        consultation_id=consultation_id,
    )  # fmt: skip
    flash(_("%(n)s new items are saved as your unit's drafts; nothing is submitted.",
            n=result.added), "info")  # fmt: skip
    if user.is_organizer:
        return redirect(url_for("organize.unit_response", consultation_id=consultation_id,
                                unit_id=result.preview.unit.id))  # fmt: skip
    return redirect(url_for("consult.consultation", consultation_id=consultation_id))
