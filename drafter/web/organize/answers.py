"""Answers: the filtered list of submitted comments with answering several at once, answer
templates, publishing answers to units, and the page each unit sees of its answers."""

from __future__ import annotations

import io

from flask import flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _

from ... import answering, consulting, feedback
from ...errors import Conflict, InvalidInput, NotFound, StorageError
from ...model import ANSWER_STATUSES, COMMENT_KINDS
from ...model_trace import TRACE_STATES
from .. import get_store, organizer_required, signed_in, site, translate
from ..downloads import TYPES
from ..forms import form_ids, optional_id
from . import bp


def _wanted() -> answering.CommentFilter:
    return answering.CommentFilter(
        answered=request.args.get("answered") or None,
        unit_id=request.args.get("unit", type=int) or None,
        kind=request.args.get("kind") or None,
        traced=request.args.get("traced") or None,
        general=request.args.get("scope") == "general",
        page=request.args.get("page", 1, type=int),
    )


def _list_page(consultation_id: int, *, form=None, status: int = 200):
    shown = answering.comment_list(get_store(), signed_in(), consultation_id, _wanted())
    return render_template(
        "organize/comments.html",
        consultation=shown.consultation,
        shown=shown,
        wanted=_wanted(),
        statuses=ANSWER_STATUSES,
        kinds=COMMENT_KINDS,
        trace_states=TRACE_STATES,
        form=form or {},
        selected=set(form_ids([str(i) for i in (form or {}).get("selected", [])])),
    ), status


@bp.route("/c/<int:consultation_id>/comments", methods=["GET", "POST"])
@organizer_required
def comments(consultation_id: int):
    if request.method == "GET":
        return _list_page(consultation_id)
    selected = request.form.getlist("comment_ids")
    status, explanation = request.form.get("status", ""), request.form.get("explanation", "")
    if "fill" in request.form:  # "Use this template": fill the box, save nothing
        template = get_store().get_answer_template(request.form.get("template", type=int) or 0)
        explanation, status = template.text, template.status or status
    form = {"selected": selected, "status": status, "explanation": explanation}
    if "fill" in request.form:
        return _list_page(consultation_id, form=form)
    ids = form_ids(selected)
    try:
        answered = answering.answer_many(
            get_store(), consultation_id, ids, status, explanation, signed_in(),
            now=consulting.utc_now(),
        )  # fmt: skip
    except (InvalidInput, NotFound, StorageError) as exc:
        flash(translate(exc), "error")
        return _list_page(consultation_id, form=form, status=exc.status)
    flash(_("%(n)s comments are answered (not published yet).", n=len(answered)), "info")
    return redirect(request.full_path if request.args else request.path)


@bp.post("/c/<int:consultation_id>/answers/publish")
@organizer_required
def publish(consultation_id: int):
    count = answering.publish_answers(
        get_store(), signed_in(), consultation_id,
        unit_id=optional_id(request.form.get("unit_id")), now=consulting.utc_now(),
        send=site(),
    )  # fmt: skip
    flash(_("%(n)s answers are published to the units.", n=count), "info")
    return redirect(url_for("organize.dashboard", consultation_id=consultation_id))


@bp.route("/answer-templates", methods=["GET", "POST"])
@organizer_required
def answer_templates():
    store, status = get_store(), 200
    form = request.form if request.method == "POST" else {}
    if request.method == "POST":
        try:
            answering.add_template(
                store, signed_in(), title=request.form.get("title", ""),
                text=request.form.get("text", ""), status=request.form.get("status") or None,
                now=consulting.utc_now(),
            )  # fmt: skip
        except (InvalidInput, StorageError) as exc:
            flash(translate(exc), "error")
            status = exc.status
        else:
            flash(_("The answer template is saved."), "info")
            return redirect(url_for("organize.answer_templates"))
    return render_template(
        "organize/answer_templates.html",
        templates=answering.templates(store, signed_in()),
        statuses=ANSWER_STATUSES,
        form=form,
    ), status


@bp.post("/answer-templates/<int:template_id>/delete")
@organizer_required
def delete_answer_template(template_id: int):
    try:
        answering.delete_template(get_store(), signed_in(), template_id, consulting.utc_now())
    except Conflict as exc:
        flash(translate(exc), "error")
    else:
        flash(_("The answer template is removed."), "info")
    return redirect(url_for("organize.answer_templates"))


@bp.get("/c/<int:consultation_id>/units/<int:unit_id>/answers")
@organizer_required
def unit_answers(consultation_id: int, unit_id: int):
    shown = feedback.unit_feedback(get_store(), signed_in(), consultation_id, unit_id)
    return render_template("consult/answers.html", shown=shown, preview=True)


@bp.get("/c/<int:consultation_id>/units/<int:unit_id>/answers.docx")
@organizer_required
def unit_answers_docx(consultation_id: int, unit_id: int):
    data, name = feedback.feedback_docx(get_store(), signed_in(), consultation_id, unit_id)
    return send_file(
        io.BytesIO(data), mimetype=TYPES["docx"], as_attachment=True, download_name=name
    )
