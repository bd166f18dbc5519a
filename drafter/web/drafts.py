"""Blueprint "drafts": organizers read drafts: the versions, a table of contents, an article."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from ..errors import N_, NotFound
from ..model import is_commentable
from ..references import STALE
from . import get_store, organizer_required

bp = Blueprint("drafts", __name__, url_prefix="/drafts")


@bp.get("/")
@organizer_required
def index():
    store = get_store()
    return render_template("drafts/index.html", drafts=store.list_drafts())


@bp.get("/<int:draft_id>")
@organizer_required
def draft(draft_id: int):
    store = get_store()
    draft = store.get_draft(draft_id)
    version = store.get_version(draft_id, request.args.get("version", type=int))
    return render_template(
        "drafts/draft.html",
        draft=draft,
        version=version,
        versions=store.list_versions(draft_id),
        tree=store.get_tree(version.id),
        matches=store.get_matches(version.id),
        stale=[w for w in version.warnings if STALE in w],
        consultations=[c for c in store.list_consultations() if c.version_id == version.id],
    )


@bp.get("/<int:draft_id>/v<int:number>/articles/<path:key>")
@organizer_required
def article(draft_id: int, number: int, key: str):
    store = get_store()
    draft = store.get_draft(draft_id)
    version = store.get_version(draft_id, number)
    node = store.get_node(version.id, key)
    if not is_commentable(node.kind):
        raise NotFound(N_("“%(key)s” is not an article."), key=key)
    articles = list(store.iter_articles(version.id))
    index = next(i for i, a in enumerate(articles) if a.key == key)
    # The counterpart in the previous version, and the consultations on that version, so
    # that the comments made on the old text are one click away.
    earlier = None
    match = next((m for m in store.get_matches(version.id) if m.new_key == key), None)
    if match is not None and number > 1:
        old_version = store.get_version(draft_id, number - 1)
        consultations = [c for c in store.list_consultations() if c.version_id == old_version.id]
        earlier = (old_version, match, consultations)
    return render_template(
        "drafts/article.html",
        draft=draft,
        version=version,
        article=node,
        earlier=earlier,
        previous=articles[index - 1] if index > 0 else None,
        following=articles[index + 1] if index + 1 < len(articles) else None,
    )
