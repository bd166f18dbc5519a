"""The organizer's home, files (exports and comparisons), search and audit log."""

from __future__ import annotations

from flask import current_app, redirect, render_template, request, url_for

from ... import consulting, exports, organizing
from .. import audit_log, get_store, organizer_required, signed_in
from ..downloads import send_download as _send
from . import bp


@bp.get("/")
@organizer_required
def home():
    shown = organizing.overview(get_store(), signed_in(), consulting.utc_now())
    return render_template(
        "organize/home.html",
        drafts=shown.drafts,
        consultations=shown.consultations,
        units=shown.units,
    )


@bp.get("/drafts/<int:draft_id>/v<int:number>/draft.docx")
@organizer_required
def draft_docx(draft_id: int, number: int):
    return _send(
        exports.draft_file(
            get_store(),
            signed_in(),
            draft_id,
            number,
            zone=current_app.config["TIMEZONE"],
            body=current_app.config["CONSULTING_BODY"],
        )
    )


@bp.get("/drafts/<int:draft_id>/compare")
@organizer_required
def compare(draft_id: int):
    return _send(
        exports.comparison_file(
            get_store(), signed_in(), draft_id, request.args.get("from", type=int),
            request.args.get("to", type=int), zone=current_app.config["TIMEZONE"],
            body=current_app.config["CONSULTING_BODY"],
        )
    )  # fmt: skip


@bp.get("/search")
@organizer_required
def search():
    results = organizing.search(get_store(), signed_in(), request.args.get("q", ""))
    return render_template(
        "organize/search.html",
        query=results.query,
        searched=results.searched,
        corrected=results.corrected,
        newest_first=results.newest_first,
        articles=results.articles,
        comments=results.comments,
        snippets=results.snippets,
    )


@bp.get("/audit")
@organizer_required
def audit():
    consultation, entries = organizing.audit_log(
        get_store(), signed_in(), request.args.get("c", type=int)
    )
    return render_template(
        "organize/audit.html",
        entries=audit_log.present_all(entries),
        consultation=consultation,
    )


@bp.get("/comments/<int:comment_id>")
@organizer_required
def comment(comment_id: int):
    """Where a comment is read: its article's page, at the comment (audit log links)."""
    consultation_id, key = organizing.comment_place(get_store(), signed_in(), comment_id)
    if key is None:
        target = url_for("organize.dashboard", consultation_id=consultation_id)
    else:
        target = url_for(
            "organize.article", consultation_id=consultation_id, key=key, comment=comment_id
        )
    return redirect(f"{target}#comment-{comment_id}")
