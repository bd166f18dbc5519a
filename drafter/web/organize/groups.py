"""Similar comments: an article's stored groups, splitting a group, moving a comment to
another group, and answering a group at once (:mod:`drafter.grouping`)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ... import consulting, grouping
from ...errors import InvalidInput, NotFound, StorageError
from ...model import ANSWER_STATUSES
from .. import get_store, organizer_required, signed_in, translate
from ..forms import form_ids, is_id
from . import bp


def _page(consultation_id: int, key: str, *, status: int = 200, form=None):
    shown = grouping.article_groups(get_store(), signed_in(), consultation_id, key)
    return render_template(
        "organize/groups.html",
        shown=shown,
        consultation=shown.consultation,
        article=shown.article,
        statuses=ANSWER_STATUSES,
        form=form or {},
    ), status


def _back(consultation_id: int, anchor: str | None = None):
    return redirect(
        url_for(
            "organize.groups",
            consultation_id=consultation_id,
            key=request.form.get("key", ""),
            _anchor=anchor,
        )
    )


def _ids(name: str) -> list[int]:
    return form_ids(request.form.getlist(name))


@bp.get("/c/<int:consultation_id>/groups/<path:key>")
@organizer_required
def groups(consultation_id: int, key: str):
    return _page(consultation_id, key)


@bp.post("/c/<int:consultation_id>/groups/<int:group_id>/answer")
@organizer_required
def answer_group(consultation_id: int, group_id: int):
    try:
        answered = grouping.answer_group(
            get_store(), signed_in(), consultation_id, group_id,
            status=request.form.get("status", ""),
            explanation=request.form.get("explanation", ""), now=consulting.utc_now(),
        )  # fmt: skip
    except (InvalidInput, NotFound, StorageError) as exc:
        flash(translate(exc), "error")
        return _page(
            consultation_id, request.form.get("key", ""), status=exc.status,
            form={"group": group_id, "status": request.form.get("status", ""),
                  "explanation": request.form.get("explanation", "")},
        )  # fmt: skip
    flash(_("%(n)s comments are answered (not published yet).", n=len(answered)), "info")
    return _back(consultation_id, f"group-{group_id}")


@bp.post("/c/<int:consultation_id>/groups/<int:group_id>/split")
@organizer_required
def split_group(consultation_id: int, group_id: int):
    try:
        new_id = grouping.split_group(
            get_store(), signed_in(), consultation_id, group_id, _ids("comment_ids"),
            now=consulting.utc_now(),
        )  # fmt: skip
    except (InvalidInput, NotFound, StorageError) as exc:
        flash(translate(exc), "error")
        return _page(consultation_id, request.form.get("key", ""), status=exc.status)
    flash(_("The chosen comments are a group of their own now."), "info")
    return _back(consultation_id, f"group-{new_id}")


@bp.post("/c/<int:consultation_id>/comments/<int:comment_id>/group")
@organizer_required
def move_comment(consultation_id: int, comment_id: int):
    chosen = request.form.get("group", "")
    target = None if chosen == "new" else int(chosen) if is_id(chosen) else 0  # 0: none
    try:
        group_id = grouping.move_comment(
            get_store(), signed_in(), consultation_id, comment_id, target,
            now=consulting.utc_now(),
        )  # fmt: skip
    except (InvalidInput, NotFound, StorageError) as exc:
        flash(translate(exc), "error")
        return _page(consultation_id, request.form.get("key", ""), status=exc.status)
    flash(_("The comment is moved."), "info")
    return _back(consultation_id, f"group-{group_id}")


@bp.post("/c/<int:consultation_id>/place-groups")
@organizer_required
def place_groups(consultation_id: int):
    count = grouping.place_ungrouped(
        get_store(), signed_in(), consultation_id, now=consulting.utc_now()
    )
    flash(_("%(n)s comments are placed in groups.", n=count), "info")
    return _back(consultation_id)
