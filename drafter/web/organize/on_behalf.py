"""A unit's response as the organizer handles it: comments received outside drafter entered on
the unit's behalf, submitted for it, and its signed letter attached."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from flask import current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _

from ... import correspondence, organizing
from ...consulting import COMMENT_KINDS, utc_now
from ...errors import N_, Conflict, InvalidInput, NotFound, StorageError
from .. import get_store, login_required, organizer_required, signed_in, site
from ..downloads import send_download
from ..forms import form_error
from . import bp

_FAILURES = (InvalidInput, Conflict, NotFound, StorageError)


def _page(consultation_id: int, unit_id: int, *, status: int = 200, exc=None):
    response = organizing.unit_response(
        get_store(), signed_in(), consultation_id, unit_id, utc_now()
    )
    context: dict[str, Any] = {"r": response, "kinds": COMMENT_KINDS, "form": request.form}
    if exc is not None:
        return form_error(exc, "organize/unit_response.html", **context)
    return render_template("organize/unit_response.html", **context), status


def _letter() -> tuple[str, bytes] | None:
    upload = request.files.get("letter")
    if upload is None or not upload.filename:
        return None
    return upload.filename, upload.read()


@bp.get("/c/<int:consultation_id>/units/<int:unit_id>")
@organizer_required
def unit_response(consultation_id: int, unit_id: int):
    return _page(consultation_id, unit_id)


def _act(consultation_id: int, unit_id: int, action: Callable[[], object], done: str):
    """Run one use case for the unit; on success say `done` and show the unit's page again,
    on failure show it with the reason and what was typed."""
    try:
        action()
    except _FAILURES as exc:
        return _page(consultation_id, unit_id, exc=exc)
    flash(done, "info")
    return redirect(url_for("organize.unit_response", consultation_id=consultation_id,
                            unit_id=unit_id))  # fmt: skip


@bp.post("/c/<int:consultation_id>/units/<int:unit_id>/comments")
@organizer_required
def enter_comment(consultation_id: int, unit_id: int):
    form = request.form
    return _act(
        consultation_id, unit_id,
        lambda: organizing.add_comment_for_unit(
            get_store(), signed_in(), consultation_id, unit_id,
            key=form.get("target") or None, kind=form.get("kind", ""),
            text=form.get("text", ""), proposed_text=form.get("proposed_text"), now=utc_now(),
        ),
        _("The comment is entered for the unit."),
    )  # fmt: skip


def _submit(consultation_id: int, unit_id: int) -> int:
    if request.form.get("confirm") != "1":
        raise InvalidInput(N_("Tick the box to confirm that the unit sent this response."))
    return organizing.submit_for_unit(
        get_store(), signed_in(), consultation_id, unit_id,
        no_comments=request.form.get("no_comments") == "1", letter=_letter(), now=utc_now(),
        site=site(),
    )  # fmt: skip


@bp.post("/c/<int:consultation_id>/units/<int:unit_id>/submit")
@organizer_required
def submit_for_unit(consultation_id: int, unit_id: int):
    return _act(
        consultation_id, unit_id, lambda: _submit(consultation_id, unit_id),
        _("The unit's response is submitted on its behalf."),
    )  # fmt: skip


def _attach(consultation_id: int, unit_id: int) -> int:
    letter = _letter()
    if letter is None:
        raise InvalidInput(N_("Choose the letter's file (PDF, PNG or JPEG)."))
    return organizing.attach_letter(
        get_store(), signed_in(), consultation_id, unit_id, letter, utc_now()
    )


@bp.post("/c/<int:consultation_id>/units/<int:unit_id>/letter")
@organizer_required
def attach_letter(consultation_id: int, unit_id: int):
    return _act(
        consultation_id, unit_id, lambda: _attach(consultation_id, unit_id),
        _("The letter is attached to the unit's response."),
    )  # fmt: skip


@bp.get("/c/<int:consultation_id>/units/<int:unit_id>/letter.docx")
@organizer_required
def response_letter(consultation_id: int, unit_id: int):
    """A unit's submitted response as an official letter (as the unit would send it)."""
    return send_download(
        correspondence.response_letter(
            get_store(), signed_in(), consultation_id, unit_id=unit_id,
            body=current_app.config["CONSULTING_BODY"], zone=current_app.config["TIMEZONE"],
        )
    )  # fmt: skip


@bp.get("/c/<int:consultation_id>/request-letter.docx")
@organizer_required
def request_letter(consultation_id: int):
    """The request for comments addressed to the invited units."""
    return send_download(
        correspondence.request_letter(
            get_store(), signed_in(), consultation_id,
            body=current_app.config["CONSULTING_BODY"],
            base_url=current_app.config.get("BASE_URL") or "",
            zone=current_app.config["TIMEZONE"],
        )
    )  # fmt: skip


@bp.get("/letters/<int:letter_id>")
@login_required
def letter(letter_id: int):
    """A letter, for organizers and for the delegates of its unit."""
    found, data = organizing.letter_file(get_store(), signed_in(), letter_id)
    return send_file(
        io.BytesIO(data), mimetype=found.content_type, as_attachment=True,
        download_name=found.name,
    )  # fmt: skip
