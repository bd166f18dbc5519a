"""The roster file: upload, check the preview, confirm or discard; download the roster."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ... import roster
from ...errors import Conflict, InvalidInput, StorageError
from .. import get_store, organizer_required, signed_in, site, translate
from . import bp


def _preview_page(preview: roster.Preview, roster_id: int | None, status: int = 200):
    """Render a roster's preview: its problems translated, what each line does, and the
    confirmation form (only for a kept file without problems)."""
    problems = [(p.line, p.column, translate(p.error)) for p in preview.problems]
    consultations = [c for c in get_store().list_consultations() if c.closed_at is None]
    page = render_template(
        "organize/roster_preview.html",
        preview=preview,
        problems=problems,
        roster_id=roster_id,
        consultations=consultations,
    )
    return page, status


@bp.route("/roster", methods=["GET", "POST"])
@organizer_required
def roster_upload():
    if request.method == "GET":
        return render_template("organize/roster.html")
    file = request.files.get("file")
    name = file.filename or "" if file is not None else ""
    try:
        preview, roster_id = roster.stage(
            get_store(), signed_in(), name, file.read() if file is not None and name else b""
        )
    except (InvalidInput, StorageError) as exc:
        flash(translate(exc), "error")
        return render_template("organize/roster.html"), exc.status
    if roster_id is None:  # problems: shown on the preview, nothing kept
        return _preview_page(preview, None, 422)
    return redirect(url_for("organize.roster_preview", roster_id=roster_id))


@bp.get("/roster/<int:roster_id>")
@organizer_required
def roster_preview(roster_id: int):
    return _preview_page(roster.pending(get_store(), signed_in(), roster_id), roster_id)


@bp.post("/roster/<int:roster_id>/confirm")
@organizer_required
def roster_confirm(roster_id: int):
    store = get_store()
    consultation_id = request.form.get("consultation_id", type=int)
    try:
        result = roster.confirm(
            store,
            signed_in(),
            roster_id,
            consultation_id=consultation_id,
            invite=request.form.get("invite") == "1",
            send=site() if request.form.get("send") == "1" else None,
        )
    except (InvalidInput, Conflict, StorageError) as exc:
        flash(translate(exc), "error")
        return _preview_page(roster.pending(store, signed_in(), roster_id), roster_id, exc.status)
    links = [
        (user, url_for("auth.invitation", token=token, _external=True))
        for user, token in result.invitations
    ]
    flash(_("The roster is imported."), "info")
    return render_template("organize/roster_done.html", result=result, links=links)


@bp.post("/roster/<int:roster_id>/discard")
@organizer_required
def roster_discard(roster_id: int):
    roster.discard(get_store(), signed_in(), roster_id)
    flash(_("The roster file is discarded; nothing was imported."), "info")
    return redirect(url_for("organize.roster_upload"))


@bp.get("/roster/export.<fmt>")
@organizer_required
def roster_export(fmt: str):
    if fmt not in ("csv", "xlsx"):
        abort(404)
    data = roster.export_as(get_store(), signed_in(), fmt)
    mimetype = (
        "text/csv"  # Flask adds the charset
        if fmt == "csv"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return Response(
        data,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="roster.{fmt}"'},
    )
