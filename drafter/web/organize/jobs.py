"""Exports that run in the background: asking for one, its page (progress, then the
download or the error), its file."""

from __future__ import annotations

from flask import current_app, redirect, render_template, url_for

from ... import consulting, export_jobs
from .. import get_store, organizer_required, signed_in, translate
from ..downloads import send_download
from . import bp


@bp.get("/c/<int:consultation_id>/export/<name>")
@organizer_required
def export(consultation_id: int, name: str):
    """The file at once, or (a long export of a large consultation) the page to prepare it."""
    found = export_jobs.immediate_file(
        get_store(), signed_in(), consultation_id, name,
        zone=current_app.config["TIMEZONE"], limit=current_app.config["EXPORT_SYNC_LIMIT"],
        body=current_app.config["CONSULTING_BODY"],
    )  # fmt: skip
    if isinstance(found, export_jobs.Offer):
        return render_template("organize/export_prepare.html", offer=found)
    return send_download(found)


@bp.post("/c/<int:consultation_id>/export/<name>/job")
@organizer_required
def export_job_request(consultation_id: int, name: str):
    job_id = export_jobs.request_export(
        get_store(), signed_in(), consultation_id, name, consulting.utc_now()
    )
    return redirect(url_for("organize.export_job", job_id=job_id))


@bp.get("/exports/<int:job_id>")
@organizer_required
def export_job(job_id: int):
    found = export_jobs.job(get_store(), signed_in(), job_id)
    error = export_jobs.error_of(found)
    return render_template(
        "organize/export_job.html", job=found, error=translate(error) if error else None
    )


@bp.get("/exports/<int:job_id>/file")
@organizer_required
def export_job_file(job_id: int):
    return send_download(export_jobs.job_file(get_store(), signed_in(), job_id))
