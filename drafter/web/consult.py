"""Blueprint "consult": a delegate reads the consulted draft and comments on it."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from .. import consulting
from ..article_comments import article_comments
from ..errors import N_, Conflict, Forbidden, InvalidInput, NotFound, StorageError
from ..export_md import provision_text
from ..model import COMMENT_KINDS, Node, is_commentable
from . import get_store, login_required, signed_in, translate

bp = Blueprint("consult", __name__, url_prefix="/c")


def _delegate():
    user = signed_in()
    if user.is_organizer:
        raise Forbidden(N_("This page is for delegates; organizers use the dashboard."))
    return user


@bp.get("/")
@login_required
def index():
    user = _delegate()
    store = get_store()
    now = consulting.utc_now()
    rows = []
    for consultation in store.list_consultations(unit_id=user.unit_id):
        counts = store.article_counts(consultation.id, unit_id=user.unit_id)
        rows.append(
            (
                consultation,
                consulting.unit_phase(store, consultation, user.unit_id, now),
                consulting.unit_state(store, consultation, user.unit_id),
                len([k for k in counts if k]),
                consulting.unit_deadline(store, consultation, user.unit_id),
            )
        )
    return render_template("consult/index.html", rows=rows, unit=store.get_unit(user.unit_id))


def _context(consultation_id: int):
    user = signed_in()
    store = get_store()
    consultation = consulting.get_readable(store, user, consultation_id)
    return user, store, consultation


@bp.get("/<int:consultation_id>")
@login_required
def consultation(consultation_id: int):
    return _consultation_page(consultation_id)


def _consultation_page(consultation_id: int, *, form: dict | None = None, status: int = 200):
    user, store, consultation = _context(consultation_id)
    if user.is_organizer:
        return redirect(url_for("organize.dashboard", consultation_id=consultation_id))
    now = consulting.utc_now()
    tree = store.get_tree(consultation.version_id)
    counts = store.article_counts(consultation.id, unit_id=user.unit_id)
    own, others = consulting.visible_comments(store, user, consultation, general=True)
    return render_template(
        "consult/consultation.html",
        consultation=consultation,
        tree=tree,
        counts=counts,
        phase=consulting.unit_phase(store, consultation, user.unit_id, now),
        deadline=consulting.unit_deadline(store, consultation, user.unit_id),
        own=own,
        others=others,
        state=consulting.unit_state(store, consultation, user.unit_id),
        submissions=store.list_submissions(consultation.id, user.unit_id),
        letters=store.list_letters(consultation.id, user.unit_id),
        unit=store.get_unit(user.unit_id),
        kinds=COMMENT_KINDS,
        form=form or {},
    ), status


def _targets(article: Node) -> list[tuple[str, str]]:
    """Return (key, label) for the article and each of its clauses and points."""
    options = [(article.key, _("The whole article"))]
    for clause in article.children:
        if clause.kind != "clause":
            continue
        options.append((clause.key, _("Clause %(n)s", n=clause.number)))
        for point in clause.children:
            if point.kind == "point":
                options.append(
                    (point.key, _("Point %(p)s, clause %(n)s", p=point.number, n=clause.number))
                )
    for point in article.children:
        if point.kind == "point":
            options.append((point.key, _("Point %(p)s", p=point.number)))
    return options


def _article_page(
    consultation_id: int, key: str, *, form: dict | None = None, status: int = 200, editing=None
):
    user, store, consultation = _context(consultation_id)
    article = store.get_node(consultation.version_id, key)
    if not is_commentable(article.kind):
        raise NotFound(N_("“%(key)s” is not an article."), key=key)
    articles = list(store.iter_articles(consultation.version_id))
    index = next(i for i, a in enumerate(articles) if a.key == key)
    listed = article_comments(
        store, user, consultation, article,
        page=request.args.get("page", type=int), provision=request.args.get("p") or None,
        own_page=request.args.get("mine", type=int),
        comment_id=request.args.get("comment", type=int),
    )  # fmt: skip
    texts = {node.key: provision_text(node) for node in article.walk()}
    now = consulting.utc_now()
    state = None if user.is_organizer else consulting.unit_state(store, consultation, user.unit_id)
    phase = (
        consulting.phase(consultation, now)
        if user.unit_id is None
        else consulting.unit_phase(store, consultation, user.unit_id, now)
    )
    editable = (
        not user.is_organizer
        and phase == "open"
        and state is not None
        and state.name in ("not_started", "drafting")
    )
    return render_template(
        "consult/article.html",
        consultation=consultation,
        article=article,
        texts=texts,
        previous=articles[index - 1] if index else None,
        following=articles[index + 1] if index + 1 < len(articles) else None,
        listed=listed,
        own=listed.own,
        shown=listed.others,
        targets=_targets(article),
        kinds=COMMENT_KINDS,
        phase=phase,
        state=state,
        editable=editable,
        contradictory=listed.contradictory,
        form=form or {},
        editing=editing,
    ), status


@bp.get("/<int:consultation_id>/a/<path:key>")
@login_required
def article(consultation_id: int, key: str):
    return _article_page(consultation_id, key)


def _form() -> dict:
    return {
        name: request.form.get(name, "") for name in ("target", "kind", "text", "proposed_text")
    }


@bp.post("/<int:consultation_id>/comments")
@login_required
def create(consultation_id: int):
    form = _form()
    back = request.form.get("article") or ""
    try:
        comment_id = consulting.add_comment(  # reads the consultation and checks the user
            get_store(),
            signed_in(),
            consultation_id,
            key=form["target"] or None,
            kind=form["kind"],
            text=form["text"],
            proposed_text=form["proposed_text"],
            now=consulting.utc_now(),
            quota=current_app.config["COMMENT_QUOTA"],
        )
    except (InvalidInput, Conflict, StorageError) as exc:
        # The form comes back with what was typed, and the reason (a 503 says: not saved).
        flash(translate(exc), "error")
        if back:
            return _article_page(consultation_id, back, form=form, status=exc.status)
        return _consultation_page(consultation_id, form=form, status=exc.status)
    flash(_("Your comment is saved as a draft of your unit."), "info")
    if back:
        return redirect(
            url_for(
                "consult.article",
                consultation_id=consultation_id,
                key=back,
                comment=comment_id,
                _anchor=f"comment-{comment_id}",
            )
        )
    return redirect(url_for("consult.consultation", consultation_id=consultation_id))


@bp.post("/<int:consultation_id>/a/<path:key>/agree")
@login_required
def agree(consultation_id: int, key: str):
    user, store, consultation = _context(consultation_id)
    try:
        consulting.agree(
            store, user, consultation, key, consulting.utc_now(),
            quota=current_app.config["COMMENT_QUOTA"],
        )  # fmt: skip
    except (InvalidInput, Conflict, StorageError) as exc:
        flash(translate(exc), "error")
        return _article_page(consultation_id, key, status=exc.status)
    flash(_("Recorded: your unit agrees with this article as drafted."), "info")
    return redirect(url_for("consult.article", consultation_id=consultation_id, key=key))


def _own_comment(consultation_id: int, comment_id: int):
    user, store, consultation = _context(consultation_id)
    comment = store.get_comment(comment_id)
    if comment.consultation_id != consultation.id:
        raise NotFound(N_("There is no comment %(id)s."), id=comment_id)
    if user.is_organizer or comment.unit_id != user.unit_id:
        raise Forbidden(N_("This comment belongs to another unit."))
    return user, store, consultation, comment


@bp.route("/<int:consultation_id>/comments/<int:comment_id>/edit", methods=["GET", "POST"])
@login_required
def edit(consultation_id: int, comment_id: int):
    user, store, consultation, comment = _own_comment(consultation_id, comment_id)
    if request.method == "POST":
        form = _form()
        try:
            consulting.edit_comment(
                store,
                user,
                comment_id,
                kind=form["kind"],
                text=form["text"],
                proposed_text=form["proposed_text"],
                now=consulting.utc_now(),
            )
        except (InvalidInput, Conflict, StorageError) as exc:
            flash(translate(exc), "error")
            return _edit_page(consultation, comment, form, status=exc.status)
        flash(_("Your comment is updated; the earlier wording is kept in its history."), "info")
        return _back_to(comment)
    form = {
        "kind": comment.kind,
        "text": comment.text,
        "proposed_text": comment.proposed_text or "",
    }
    return _edit_page(consultation, comment, form)


def _edit_page(consultation, comment, form, status=200):
    store = get_store()
    original = (
        provision_text(store.get_node(consultation.version_id, comment.node_key))
        if comment.node_key
        else ""
    )
    return render_template(
        "consult/edit.html",
        consultation=consultation,
        comment=comment,
        form=form,
        kinds=COMMENT_KINDS,
        original=original,
        history=store.comment_history(comment.id),
    ), status


def _back_to(comment):
    if comment.article_key:
        return redirect(
            url_for(
                "consult.article",
                consultation_id=comment.consultation_id,
                key=comment.article_key,
                comment=comment.id,
                _anchor=f"comment-{comment.id}",
            )
        )
    return redirect(url_for("consult.consultation", consultation_id=comment.consultation_id))


@bp.post("/<int:consultation_id>/comments/<int:comment_id>/withdraw")
@login_required
def withdraw(consultation_id: int, comment_id: int):
    user, store, _consultation, comment = _own_comment(consultation_id, comment_id)
    try:
        consulting.withdraw_comment(store, user, comment_id, consulting.utc_now())
    except Conflict as exc:
        flash(translate(exc), "error")
        return _back_to(comment)
    flash(_("The comment is withdrawn."), "info")
    return _back_to(comment)


@bp.post("/<int:consultation_id>/withdraw-submission")
@login_required
def withdraw_submission(consultation_id: int):
    user, store, consultation = _context(consultation_id)
    try:
        consulting.withdraw_submission(store, user, consultation, consulting.utc_now())
    except Conflict as exc:
        flash(translate(exc), "error")
    else:
        flash(_("The submission is withdrawn: your unit can edit and submit again."), "info")
    return redirect(url_for("consult.consultation", consultation_id=consultation_id))


from . import respond  # noqa: E402  (its views register on bp)

__all__ = ["bp", "respond"]
