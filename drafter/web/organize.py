"""Blueprint "organize": the organizer's pages: uploads, units, consultations, answers, search."""

from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _

from .. import accounts, consulting, exports, organizing, summary
from ..errors import N_, Conflict, DrafterError, DraftImportError, InvalidInput, NotFound
from ..export_md import provision_text
from ..model import ANSWER_STATUSES, UNIT_KINDS
from ..normalize import slug
from . import current_user, get_store, organizer_required, translate

bp = Blueprint("organize", __name__, url_prefix="/admin")


def _audit(action: str, consultation_id: int, details: str = "") -> None:
    """Record an organizer's change in the audit log (inside the caller's transaction)."""
    get_store().add_audit(
        current_user().id,
        action,
        f"consultation {consultation_id}",
        now=consulting.utc_now(),
        consultation_id=consultation_id,
        details=details,
    )


@bp.get("/audit")
@organizer_required
def audit():
    store = get_store()
    consultation_id = request.args.get("c", type=int)
    consultation = store.get_consultation(consultation_id) if consultation_id else None
    entries = store.list_audit(consultation_id=consultation_id)
    return render_template("organize/audit.html", entries=entries, consultation=consultation)


@bp.get("/")
@organizer_required
def home():
    store = get_store()
    drafts = [(d, store.list_versions(d.id)) for d in store.list_drafts()]
    now = consulting.utc_now()
    consultations = [(c, consulting.phase(c, now)) for c in store.list_consultations()]
    return render_template(
        "organize/home.html", drafts=drafts, consultations=consultations, units=store.list_units()
    )


# -- uploads: parse, preview, confirm ---------------------------------------------------------
@bp.route("/upload", methods=["GET", "POST"])
@organizer_required
def upload():
    store = get_store()
    drafts = store.list_drafts()
    if request.method == "GET":
        return render_template(
            "organize/upload.html",
            drafts=drafts,
            draft_id=request.args.get("draft", type=int),
            title="",
        )
    file = request.files.get("file")
    draft_id = request.form.get("draft_id", type=int)
    title = request.form.get("title", "").strip()
    try:
        upload_id = organizing.stage_upload(
            store,
            current_user(),
            file.filename if file is not None else "",
            file.read() if file is not None and file.filename else b"",
            draft_id=draft_id,
            title=title,
            now=consulting.utc_now(),
        )
    except (DraftImportError, InvalidInput, NotFound) as exc:
        flash(translate(exc), "error")
        return render_template(
            "organize/upload.html", drafts=drafts, draft_id=draft_id, title=title
        ), exc.status
    return redirect(url_for("organize.preview", upload_id=upload_id))


@bp.get("/uploads/<int:upload_id>")
@organizer_required
def preview(upload_id: int):
    shown = organizing.preview_upload(get_store(), current_user(), upload_id)
    return render_template(
        "organize/preview.html", pending=shown.pending, parsed=shown.parsed, draft=shown.draft
    )


@bp.post("/uploads/<int:upload_id>/confirm")
@organizer_required
def confirm(upload_id: int):
    result = organizing.confirm_upload(get_store(), current_user(), upload_id, consulting.utc_now())
    flash(_("Imported as version %(n)s.", n=result.version.number), "info")
    return redirect(
        url_for("drafts.draft", draft_id=result.draft.id, version=result.version.number)
    )


@bp.post("/uploads/<int:upload_id>/discard")
@organizer_required
def discard(upload_id: int):
    organizing.discard_upload(get_store(), current_user(), upload_id)
    flash(_("The upload is discarded; nothing was imported."), "info")
    return redirect(url_for("organize.upload"))


# -- units and delegates ----------------------------------------------------------------------
@bp.route("/units", methods=["GET", "POST"])
@organizer_required
def units():
    store = get_store()
    status = 200
    if request.method == "POST":
        try:
            accounts.create_unit(
                store,
                request.form.get("code", ""),
                request.form.get("name", ""),
                request.form.get("kind", ""),
                actor=current_user().id,
            )
        except (InvalidInput, Conflict) as exc:
            flash(translate(exc), "error")
            status = exc.status
        else:
            flash(_("The unit is created."), "info")
            return redirect(url_for("organize.units"))
    rows = [(unit, store.list_users(unit.id)) for unit in store.list_units()]
    return render_template(
        "organize/units.html", rows=rows, kinds=UNIT_KINDS, form=request.form
    ), status


@bp.post("/units/<int:unit_id>/delegates")
@organizer_required
def add_delegate(unit_id: int):
    store = get_store()
    try:
        _user_id, token = accounts.create_delegate(
            store,
            unit_id,
            request.form.get("username", ""),
            request.form.get("display_name", ""),
            is_lead=request.form.get("is_lead") == "1",
            actor=current_user().id,
        )
    except (InvalidInput, Conflict) as exc:
        flash(translate(exc), "error")
        return redirect(url_for("organize.units"))
    link = url_for("auth.invitation", token=token, _external=True)
    flash(
        _(
            "Delegate created. Send them this single-use link to set a password: %(link)s",
            link=link,
        ),
        "link",
    )
    return redirect(url_for("organize.units"))


@bp.post("/users/<int:user_id>/invitation")
@organizer_required
def reinvite(user_id: int):
    store = get_store()
    user = store.get_user(user_id)
    if user.is_organizer:
        raise InvalidInput(N_("Organizer accounts are made with `drafter create-organizer`."))
    token = accounts.new_invitation(store, user_id, actor=current_user().id)
    link = url_for("auth.invitation", token=token, _external=True)
    flash(
        _("New single-use link for %(name)s: %(link)s", name=user.display_name, link=link), "link"
    )
    return redirect(url_for("organize.units"))


@bp.post("/users/<int:user_id>/invitation/revoke")
@organizer_required
def revoke_invitation(user_id: int):
    store = get_store()
    user = store.get_user(user_id)
    accounts.revoke_invitation(store, user_id, actor=current_user().id)
    flash(_("The invitation link of %(name)s no longer works.", name=user.display_name), "info")
    return redirect(url_for("organize.units"))


@bp.post("/users/<int:user_id>/disable")
@organizer_required
def disable_user(user_id: int):
    user = accounts.set_disabled(get_store(), user_id, True, actor=current_user().id)
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
    user = accounts.set_disabled(get_store(), user_id, False, actor=current_user().id)
    flash(_("%(name)s can sign in again.", name=user.display_name), "info")
    return redirect(url_for("organize.units"))


# -- consultations ----------------------------------------------------------------------------
def _utc(local: str, field: str) -> str:
    try:
        value = datetime.fromisoformat(local)
    except ValueError as exc:
        raise InvalidInput(N_("The %(field)s is not a date and time."), field=field) from exc
    zone = ZoneInfo(current_app.config["TIMEZONE"])
    return value.replace(tzinfo=zone).astimezone(ZoneInfo("UTC")).isoformat()


@bp.route("/consultations/new", methods=["GET", "POST"])
@organizer_required
def new_consultation():
    store = get_store()
    versions = [(d, v) for d in store.list_drafts() for v in store.list_versions(d.id)]
    units = store.list_units()
    form = request.form if request.method == "POST" else {}
    if request.method == "POST":
        try:
            version_id = request.form.get("version_id", type=int)
            if version_id not in {v.id for _, v in versions}:
                raise InvalidInput(N_("Choose the version to consult on."))
            title = consulting.clean_text(
                request.form.get("title"), field=N_("title"), required=True
            )
            opens = _utc(request.form.get("opens", ""), N_("opening time"))
            deadline = _utc(request.form.get("deadline", ""), N_("deadline"))
            if deadline <= opens:
                raise InvalidInput(N_("The deadline must come after the opening time."))
            unit_ids = [int(u) for u in request.form.getlist("units") if u.isdigit()]
            if not unit_ids or not set(unit_ids) <= {u.id for u in units}:
                raise InvalidInput(N_("Invite at least one unit."))
        except InvalidInput as exc:
            flash(translate(exc), "error")
            return render_template(
                "organize/new_consultation.html",
                versions=versions,
                units=units,
                form=form,
                selected=request.form.getlist("units"),
            ), 400
        with store.transaction():
            consultation_id = store.create_consultation(
                version_id,
                title,
                opens_at=opens,
                deadline=deadline,
                unit_ids=unit_ids,
                now=consulting.utc_now(),
            )
            _audit("consultation.create", consultation_id, title)
        return redirect(url_for("organize.dashboard", consultation_id=consultation_id))
    return render_template(
        "organize/new_consultation.html",
        versions=versions,
        units=units,
        form=form,
        selected=[str(u.id) for u in units],
    )


@bp.get("/c/<int:consultation_id>")
@organizer_required
def dashboard(consultation_id: int):
    store = get_store()
    consultation = store.get_consultation(consultation_id)
    now = consulting.utc_now()
    progress = []
    for item in store.unit_progress(consultation_id):
        progress.append(
            (item.unit, consulting.state_of(item.live_comments, item.latest), item.latest)
        )
    counts = store.article_counts(consultation_id, submitted_only=True)
    rows = []
    for article in store.iter_articles(consultation.version_id):
        bucket = counts.get(article.key, {})
        proposals = sum(bucket.get(k, 0) for k in ("new_wording", "add_after", "delete"))
        remarks = sum(bucket.get(k, 0) for k in ("comment", "question"))
        rows.append((article, remarks, proposals, bucket.get("agree", 0)))
    if request.args.get("sort") == "most":
        rows.sort(key=lambda r: (-(r[1] + r[2]), -r[3]))
    top = max([r[1] + r[2] for r in rows] + [1])
    general = store.list_comments(consultation_id, general=True, submitted_only=True)
    return render_template(
        "organize/dashboard.html",
        consultation=consultation,
        phase=consulting.phase(consultation, now),
        progress=progress,
        rows=rows,
        top=top,
        general=general,
        sort=request.args.get("sort"),
        statuses=ANSWER_STATUSES,
    )


@bp.get("/c/<int:consultation_id>/a/<path:key>")
@organizer_required
def article(consultation_id: int, key: str):
    store = get_store()
    consultation = store.get_consultation(consultation_id)
    node = store.get_node(consultation.version_id, key)
    if node.kind != "article":
        raise NotFound(N_("“%(key)s” is not an article."), key=key)
    comments = store.list_comments(consultation_id, article_key=key, submitted_only=True)
    by_unit: dict[str, list] = {}
    for comment in comments:
        by_unit.setdefault(comment.unit_name, []).append(comment)
    texts = {n.key: provision_text(n) for n in node.walk()}
    articles = list(store.iter_articles(consultation.version_id))
    index = next(i for i, a in enumerate(articles) if a.key == key)
    later = _later_counterpart(store, consultation, key)
    return render_template(
        "organize/article.html",
        consultation=consultation,
        article=node,
        by_unit=by_unit,
        texts=texts,
        statuses=ANSWER_STATUSES,
        later=later,
        previous=articles[index - 1] if index else None,
        following=articles[index + 1] if index + 1 < len(articles) else None,
    )


def _later_counterpart(store, consultation, key):
    """Return (version number, article key, match) of the article in the next version, if any."""
    versions = store.list_versions(consultation.draft_id)
    following = [v for v in versions if v.number == consultation.version_number + 1]
    if not following:
        return None
    for match in store.get_matches(following[0].id):
        if match.old_key == key:
            return following[0].number, match
    return None


@bp.post("/comments/<int:comment_id>/answer")
@organizer_required
def answer(comment_id: int):
    store = get_store()
    try:
        comment = consulting.answer(
            store,
            current_user(),
            comment_id,
            status=request.form.get("status", ""),
            explanation=request.form.get("explanation", ""),
            now=consulting.utc_now(),
        )
    except InvalidInput as exc:
        flash(translate(exc), "error")
        comment = store.get_comment(comment_id)
    else:
        flash(_("The answer is saved."), "info")
    if comment.article_key:
        return redirect(
            url_for(
                "organize.article",
                consultation_id=comment.consultation_id,
                key=comment.article_key,
                _anchor=f"comment-{comment_id}",
            )
        )
    return redirect(
        url_for(
            "organize.dashboard",
            consultation_id=comment.consultation_id,
            _anchor=f"comment-{comment_id}",
        )
    )


@bp.post("/c/<int:consultation_id>/close")
@organizer_required
def close(consultation_id: int):
    organizing.close_consultation(
        get_store(), current_user(), consultation_id, consulting.utc_now()
    )
    flash(_("The consultation is closed: everything is read-only."), "info")
    return redirect(url_for("organize.dashboard", consultation_id=consultation_id))


@bp.post("/c/<int:consultation_id>/invite")
@organizer_required
def invite(consultation_id: int):
    unit = organizing.invite_unit(
        get_store(),
        current_user(),
        consultation_id,
        request.form.get("unit_id", type=int) or 0,
        consulting.utc_now(),
    )
    flash(_("%(unit)s is invited.", unit=unit.name), "info")
    return redirect(url_for("organize.dashboard", consultation_id=consultation_id))


@bp.post("/c/<int:consultation_id>/share")
@organizer_required
def share(consultation_id: int):
    organizing.share_submitted(
        get_store(),
        current_user(),
        consultation_id,
        request.form.get("share") == "1",
        consulting.utc_now(),
    )
    flash(_("Sharing between units is updated."), "info")
    return redirect(url_for("organize.dashboard", consultation_id=consultation_id))


# Flask adds "; charset=utf-8" to text types itself.
_EXPORT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "zip": "application/zip", "csv": "text/csv", "md": "text/markdown",
}  # fmt: skip


def _download(data: bytes, name: str):
    suffix = name.rsplit(".", 1)[-1]
    return send_file(
        io.BytesIO(data), mimetype=_EXPORT_TYPES[suffix], as_attachment=True, download_name=name
    )


@bp.get("/c/<int:consultation_id>/export/<name>")
@organizer_required
def export(consultation_id: int, name: str):
    store = get_store()
    consultation = store.get_consultation(consultation_id)
    stem = slug(consultation.draft_title)[:60] or "du-thao"
    zone = current_app.config["TIMEZONE"]
    if name == "consolidated.docx":
        return _download(
            exports.consolidated(store, consultation_id, zone=zone), f"{stem}-gop-y.docx"
        )
    if name == "by-unit.zip":
        files = exports.by_unit(store, consultation_id, zone=zone)
        return _download(exports.zip_files(files), f"{stem}-theo-don-vi.zip")
    if name in ("summary.docx", "summary.xlsx", "summary.csv", "summary.md"):
        table = summary.build(store, consultation_id)
        suffix = name.rsplit(".", 1)[-1]
        data = {
            "docx": summary.to_docx,
            "xlsx": summary.to_xlsx,
            "csv": summary.to_csv,
            "md": lambda t: summary.to_markdown(t).encode("utf-8"),
        }[suffix](table)
        return _download(data, f"{stem}-tong-hop.{suffix}")
    raise NotFound(N_("There is no export called “%(name)s”."), name=name)


@bp.get("/drafts/<int:draft_id>/compare")
@organizer_required
def compare(draft_id: int):
    store = get_store()
    draft = store.get_draft(draft_id)
    new = request.args.get("to", type=int) or draft.latest_version
    old = request.args.get("from", type=int) or new - 1
    store.get_version(draft_id, old)
    store.get_version(draft_id, new)
    if old >= new:
        raise InvalidInput(N_("Compare an earlier version with a later one."))
    data = exports.compare(store, draft_id, old, new, zone=current_app.config["TIMEZONE"])
    return _download(data, f"{slug(draft.title)[:60] or 'du-thao'}-so-sanh-{old}-{new}.docx")


@bp.get("/search")
@organizer_required
def search():
    store = get_store()
    query = request.args.get("q", "").strip()
    articles, comments = [], []
    if query:
        for hit in store.search(query):
            ref_id = hit.ref_id
            try:
                if hit.kind == "article" and hit.version_id is not None:
                    articles.append(
                        (store.get_version_by_id(hit.version_id), store.get_node_by_id(ref_id))
                    )
                else:
                    comment = store.get_comment(ref_id)
                    submitted = {
                        c.id
                        for c in store.list_comments(
                            comment.consultation_id, unit_id=comment.unit_id, submitted_only=True
                        )
                    }
                    if ref_id in submitted:
                        comments.append(comment)
            except DrafterError:
                continue
    return render_template(
        "organize/search.html", query=query, articles=articles, comments=comments
    )
