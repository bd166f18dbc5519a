"""Units, their delegates, and the delegates' invitation links and accounts."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ... import accounts, people
from ...errors import Conflict, InvalidInput, NotFound, StorageError
from ...model import UNIT_KINDS
from .. import get_store, organizer_required, signed_in, site, translate
from ..forms import form_error
from . import bp


@bp.route("/units", methods=["GET", "POST"])
@organizer_required
def units():
    store = get_store()
    if request.method == "POST":
        try:
            accounts.create_unit(
                store,
                request.form.get("code", ""),
                request.form.get("name", ""),
                request.form.get("kind", ""),
                actor=signed_in().id,
            )
        except (InvalidInput, Conflict, StorageError) as exc:
            return form_error(
                exc, "organize/units.html", rows=accounts.roster(store), kinds=UNIT_KINDS,
                form=request.form,
            )  # fmt: skip
        flash(_("The unit is created."), "info")
        return redirect(url_for("organize.units"))
    return render_template(
        "organize/units.html", rows=accounts.roster(store), kinds=UNIT_KINDS, form=request.form
    )


@bp.post("/units/<int:unit_id>/delegates")
@organizer_required
def add_delegate(unit_id: int):
    try:
        _user_id, token = accounts.create_delegate(
            get_store(),
            unit_id,
            request.form.get("username", ""),
            request.form.get("display_name", ""),
            is_lead=request.form.get("is_lead") == "1",
            email=request.form.get("email", ""),
            actor=signed_in().id,
            send_invitation=site() if request.form.get("send") == "1" else None,
        )
    except (InvalidInput, Conflict, StorageError) as exc:
        flash(translate(exc), "error")  # the form is on the units page: go back there
        return redirect(url_for("organize.units"))
    link = url_for("auth.invitation", token=token, _external=True)
    flash(
        _(
            "Delegate created. Send them this single-use link to set a password: %(link)s",
            link=link,
        ),
        "link",
    )
    if request.form.get("send") == "1" and request.form.get("email"):
        flash(_("The link is in the outbox, to be e-mailed to the delegate."), "info")
    return redirect(url_for("organize.units"))


@bp.post("/users/<int:user_id>/invitation")
@organizer_required
def reinvite(user_id: int):
    store = get_store()
    send = request.form.get("send") == "1"
    token = accounts.new_invitation(
        store, user_id, actor=signed_in().id, send=site() if send else None
    )
    link = url_for("auth.invitation", token=token, _external=True)
    name = store.get_user(user_id).display_name
    flash(_("New single-use link for %(name)s: %(link)s", name=name, link=link), "link")
    if send:
        flash(_("The link is in the outbox, to be e-mailed to %(name)s.", name=name), "info")
    return redirect(url_for("organize.units"))


@bp.post("/users/<int:user_id>/invitation/revoke")
@organizer_required
def revoke_invitation(user_id: int):
    user = accounts.revoke_invitation(get_store(), user_id, actor=signed_in().id)
    flash(_("The invitation link of %(name)s no longer works.", name=user.display_name), "info")
    return redirect(url_for("organize.units"))


@bp.post("/users/<int:user_id>/disable")
@organizer_required
def disable_user(user_id: int):
    user = accounts.set_disabled(get_store(), user_id, True, actor=signed_in().id)
    flash(
        _(
            "%(name)s is disabled: they cannot sign in; their comments stay.",
            name=user.display_name,
        ),
        "info",
    )
    return redirect(url_for("organize.units"))


@bp.post("/users/<int:user_id>/enable")
@organizer_required
def enable_user(user_id: int):
    user = accounts.set_disabled(get_store(), user_id, False, actor=signed_in().id)
    flash(_("%(name)s can sign in again.", name=user.display_name), "info")
    return redirect(url_for("organize.units"))


@bp.route("/units/<int:unit_id>/edit", methods=["GET", "POST"])
@organizer_required
def edit_unit(unit_id: int):
    store = get_store()
    unit = store.get_unit(unit_id)
    if request.method == "POST":
        try:
            people.update_unit(
                store,
                unit_id,
                request.form.get("name", ""),
                request.form.get("kind", ""),
                actor=signed_in().id,
            )
        except (InvalidInput, StorageError) as exc:
            return form_error(
                exc, "organize/unit_edit.html", unit=unit, kinds=UNIT_KINDS, form=request.form
            )
        flash(_("The unit is saved."), "info")
        return redirect(url_for("organize.units"))
    return render_template("organize/unit_edit.html", unit=unit, kinds=UNIT_KINDS, form={})


@bp.post("/units/<int:unit_id>/disable")
@organizer_required
def disable_unit(unit_id: int):
    unit = people.set_unit_disabled(get_store(), unit_id, True, actor=signed_in().id)
    flash(
        _(
            "%(name)s is deactivated: none of its delegates can sign in; nothing is lost.",
            name=unit.name,
        ),
        "info",
    )
    return redirect(url_for("organize.units"))


@bp.post("/units/<int:unit_id>/enable")
@organizer_required
def enable_unit(unit_id: int):
    unit = people.set_unit_disabled(get_store(), unit_id, False, actor=signed_in().id)
    flash(_("%(name)s is active again: its delegates can sign in.", name=unit.name), "info")
    return redirect(url_for("organize.units"))


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
@organizer_required
def edit_user(user_id: int):
    store = get_store()
    user = store.get_user(user_id)
    if user.is_organizer:
        abort(404)  # organizers are managed with the command line
    units = store.list_units()
    if request.method == "POST":
        try:
            people.update_delegate(
                store,
                user_id,
                display_name=request.form.get("display_name", ""),
                email=request.form.get("email", ""),
                is_lead=request.form.get("is_lead") == "1",
                unit_id=request.form.get("unit_id", type=int) or 0,
                actor=signed_in().id,
            )
        except (InvalidInput, NotFound, StorageError) as exc:
            return form_error(
                exc, "organize/user_edit.html", user=user, units=units, form=request.form,
                status=400,
            )  # fmt: skip
        flash(_("%(name)s is saved.", name=request.form.get("display_name", "")), "info")
        return redirect(url_for("organize.units"))
    return render_template("organize/user_edit.html", user=user, units=units, form={})
