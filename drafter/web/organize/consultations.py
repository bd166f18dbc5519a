"""Consultations: opening one, its dashboard, an article and its answers, inviting, sharing,
closing."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ... import consulting, mailing, organizing
from ...errors import InvalidInput, StorageError
from ...model import ANSWER_STATUSES
from ...model_followup import AnswerTemplate
from .. import get_store, organizer_required, signed_in, translate
from ..forms import form_error, form_ids
from . import bp


@bp.route("/consultations/new", methods=["GET", "POST"])
@organizer_required
def new_consultation():
    store = get_store()
    offered = organizing.choices(store, signed_in())
    page: dict[str, Any] = {"versions": offered.versions, "units": offered.units}
    if request.method == "GET":
        return render_template(
            "organize/new_consultation.html",
            form={},
            selected=[str(u.id) for u in offered.units],
            **page,
        )
    try:
        consultation_id = organizing.create_consultation(
            store,
            signed_in(),
            version_id=request.form.get("version_id", type=int),
            title=request.form.get("title"),
            opens=request.form.get("opens", ""),
            deadline=request.form.get("deadline", ""),
            unit_ids=form_ids(request.form.getlist("units")),
            zone=current_app.config["TIMEZONE"],
            now=consulting.utc_now(),
        )
    except (InvalidInput, StorageError) as exc:
        return form_error(
            exc, "organize/new_consultation.html", form=request.form,
            selected=request.form.getlist("units"), **page,
        )  # fmt: skip
    return redirect(url_for("organize.dashboard", consultation_id=consultation_id))


@bp.get("/c/<int:consultation_id>")
@organizer_required
def dashboard(consultation_id: int):
    sort = request.args.get("sort")
    shown = organizing.dashboard(
        get_store(), signed_in(), consultation_id, most_first=sort == "most",
        now=consulting.utc_now(), general_page=request.args.get("general", type=int),
    )  # fmt: skip
    return render_template(
        "organize/dashboard.html",
        consultation=shown.consultation,
        phase=shown.phase,
        progress=shown.progress,
        rows=shown.articles,
        top=shown.top,
        general=shown.general,
        sort=sort,
        statuses=ANSWER_STATUSES,
        reminder_days=mailing.reminder_days(get_store(), consultation_id),
        unpublished=shown.unpublished,
        deadlines=shown.deadlines,
        templates=shown.templates,
        fill=_fill(shown.templates),
        trace=shown.trace,
        general_page=shown.general_page,
        general_pages=shown.general_pages,
    )


@bp.get("/c/<int:consultation_id>/a/<path:key>")
@organizer_required
def article(consultation_id: int, key: str):
    shown = organizing.article_view(
        get_store(), signed_in(), consultation_id, key,
        page=request.args.get("page", type=int),
        provision=request.args.get("p") or None,
        comment_id=request.args.get("comment", type=int),
    )  # fmt: skip
    return render_template(
        "organize/article.html",
        shown=shown,
        consultation=shown.consultation,
        article=shown.article,
        texts=shown.texts,
        statuses=ANSWER_STATUSES,
        templates=shown.templates,
        fill=_fill(shown.templates),
    )


def _fill(templates: Sequence[AnswerTemplate]) -> tuple[int, str, str | None] | None:
    """Return (comment id, template text, its status) when the page was asked to fill one
    comment's answer box from a template (?comment=ID&template=ID), else None."""
    comment_id = request.args.get("comment", type=int)
    template_id = request.args.get("template", type=int)
    chosen = next((t for t in templates if t.id == template_id), None)
    if not comment_id or chosen is None:
        return None
    return comment_id, chosen.text, chosen.status


@bp.post("/comments/<int:comment_id>/answer")
@organizer_required
def answer(comment_id: int):
    store = get_store()
    if "fill" in request.form:  # "Use this template": nothing is saved, the box is filled
        comment = store.get_comment(comment_id)
        asked: dict[str, Any] = {
            "comment": comment_id,
            "template": request.form.get("template", type=int) or 0,
        }
        anchor = f"comment-{comment_id}"
        if comment.article_key:
            return redirect(
                url_for(
                    "organize.article",
                    consultation_id=comment.consultation_id,
                    key=comment.article_key,
                    _anchor=anchor,
                    **asked,
                )  # fmt: skip
            )
        return redirect(
            url_for(
                "organize.dashboard",
                consultation_id=comment.consultation_id,
                _anchor=anchor,
                **asked,
            )  # fmt: skip
        )
    try:
        comment = consulting.answer(
            store,
            signed_in(),
            comment_id,
            status=request.form.get("status", ""),
            explanation=request.form.get("explanation", ""),
            now=consulting.utc_now(),
        )
    except InvalidInput as exc:
        flash(translate(exc), "error")  # the answer form is on the article page: back there
        comment = store.get_comment(comment_id)
    else:
        flash(_("The answer is saved."), "info")
    anchor = f"comment-{comment_id}"
    if comment.article_key:
        return redirect(
            url_for(
                "organize.article",
                consultation_id=comment.consultation_id,
                key=comment.article_key,
                comment=comment_id,  # its page
                _anchor=anchor,
            )
        )
    return redirect(
        url_for("organize.dashboard", consultation_id=comment.consultation_id, _anchor=anchor)
    )


@bp.post("/c/<int:consultation_id>/invite")
@organizer_required
def invite(consultation_id: int):
    unit = organizing.invite_unit(
        get_store(), signed_in(), consultation_id, request.form.get("unit_id", type=int) or 0,
        consulting.utc_now(),
    )  # fmt: skip
    flash(_("%(unit)s is invited.", unit=unit.name), "info")
    return redirect(url_for("organize.dashboard", consultation_id=consultation_id))


@bp.post("/c/<int:consultation_id>/share")
@organizer_required
def share(consultation_id: int):
    organizing.share_submitted(
        get_store(), signed_in(), consultation_id, request.form.get("share") == "1",
        consulting.utc_now(),
    )  # fmt: skip
    flash(_("Sharing between units is updated."), "info")
    return redirect(url_for("organize.dashboard", consultation_id=consultation_id))
