"""Uploading a draft's file: stage it, check its structure, confirm or discard."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ... import consulting, organizing
from ...errors import DraftImportError, InvalidInput, NotFound, StorageError
from .. import get_store, organizer_required, signed_in
from ..forms import form_error
from . import bp


@bp.route("/upload", methods=["GET", "POST"])
@organizer_required
def upload():
    store = get_store()
    drafts = store.list_drafts()
    if request.method == "GET":
        draft_id = request.args.get("draft", type=int)
        return render_template("organize/upload.html", drafts=drafts, draft_id=draft_id, title="")
    file = request.files.get("file")
    draft_id = request.form.get("draft_id", type=int)
    title = request.form.get("title", "")
    try:
        upload_id = organizing.stage_upload(
            store,
            signed_in(),
            file.filename or "" if file is not None else "",
            file.read() if file is not None and file.filename else b"",
            draft_id=draft_id,
            title=title,
            now=consulting.utc_now(),
        )
    except (DraftImportError, InvalidInput, NotFound, StorageError) as exc:
        return form_error(
            exc, "organize/upload.html", drafts=drafts, draft_id=draft_id, title=title
        )
    return redirect(url_for("organize.preview", upload_id=upload_id))


@bp.get("/uploads/<int:upload_id>")
@organizer_required
def preview(upload_id: int):
    shown = organizing.preview_upload(get_store(), signed_in(), upload_id)
    return render_template(
        "organize/preview.html", pending=shown.pending, parsed=shown.parsed, draft=shown.draft
    )


@bp.post("/uploads/<int:upload_id>/confirm")
@organizer_required
def confirm(upload_id: int):
    result = organizing.confirm_upload(get_store(), signed_in(), upload_id, consulting.utc_now())
    flash(_("Imported as version %(n)s.", n=result.version.number), "info")
    return redirect(
        url_for("drafts.draft", draft_id=result.draft.id, version=result.version.number)
    )


@bp.post("/uploads/<int:upload_id>/discard")
@organizer_required
def discard(upload_id: int):
    organizing.discard_upload(get_store(), signed_in(), upload_id)
    flash(_("The upload is discarded; nothing was imported."), "info")
    return redirect(url_for("organize.upload"))
