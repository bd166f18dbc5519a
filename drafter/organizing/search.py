"""The organizer's search over article texts and submitted comments."""

from __future__ import annotations

from dataclasses import dataclass, field

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


def search(store: Store, user: User, query: str) -> SearchResults:
    """Return what matches every word of `query`, ignoring case and Vietnamese accents.

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
                results.articles.append((version, store.get_node_by_id(hit.ref_id)))
            elif hit.kind == "comment":
                results.comments.append(store.get_comment(hit.ref_id))
        except NotFound:  # removed since it was indexed
            continue
    return results
