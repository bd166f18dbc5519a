"""Blueprint "drafts": the list of drafts, a version's table of contents, an article."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from ..errors import NotFound
from . import get_store

bp = Blueprint("drafts", __name__)


@bp.get("/")
def index():
    store = get_store()
    drafts = store.list_drafts()
    return render_template("drafts/index.html", drafts=drafts)


@bp.get("/drafts/<int:draft_id>")
def draft(draft_id: int):
    store = get_store()
    draft = store.get_draft(draft_id)
    number = request.args.get("version", type=int)
    version = store.get_version(draft_id, number)
    versions = store.list_versions(draft_id)
    tree = store.get_tree(version.id)
    matches = store.get_matches(version.id)
    return render_template(
        "drafts/draft.html",
        draft=draft,
        version=version,
        versions=versions,
        tree=tree,
        matches=matches,
    )


@bp.get("/drafts/<int:draft_id>/v<int:number>/articles/<path:key>")
def article(draft_id: int, number: int, key: str):
    store = get_store()
    draft = store.get_draft(draft_id)
    version = store.get_version(draft_id, number)
    node = store.get_node(version.id, key)
    if node.kind != "article":
        raise NotFound(f"“{key}” is not an article.")
    articles = list(store.iter_articles(version.id))
    index = next(i for i, a in enumerate(articles) if a.key == key)
    previous = articles[index - 1] if index > 0 else None
    following = articles[index + 1] if index + 1 < len(articles) else None
    return render_template(
        "drafts/article.html",
        draft=draft,
        version=version,
        article=node,
        previous=previous,
        following=following,
    )
