"""The organizer's search over article texts and submitted comments."""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup

from .. import highlight, markup
from ..errors import NotFound
from ..model import Comment, Node, User, Version
from ..storage import Store
from .rules import require_organizer


@dataclass(frozen=True)
class SearchResults:
    """Articles (with their version) and submitted comments matching a query."""

    query: str
    articles: list[tuple[Version, Node]] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    #: A marked snippet of each result's text, by ("article", node id) or ("comment", id).
    snippets: dict[tuple[str, int], Markup] = field(default_factory=dict)


def search(store: Store, user: User, query: str) -> SearchResults:
    """Return what holds the words of `query`, whole and in order, ignoring case and
    Vietnamese accents, each with a snippet around the match.

    Only submitted comments can match (the store decides inside its query, before ranking
    and the limit, so that drafts cannot crowd real results out)."""
    require_organizer(user)
    query = query.strip()
    results = SearchResults(query)
    if not query:
        return results
    for hit in store.search(query):
        try:
            if hit.kind == "article" and hit.version_id is not None:
                version = store.get_version_by_id(hit.version_id)
                node = store.get_node_by_id(hit.ref_id)
                results.articles.append((version, node))
                text = node.full_text()
                results.snippets["article", hit.ref_id] = highlight.snippet(text, query)
            elif hit.kind == "comment":
                comment = store.get_comment(hit.ref_id)
                results.comments.append(comment)
                text = "\n".join(
                    markup.to_plain(t) for t in (comment.text, comment.proposed_text) if t
                )
                results.snippets["comment", comment.id] = highlight.snippet(text, query)
        except NotFound:  # removed since it was indexed
            continue
    return results
