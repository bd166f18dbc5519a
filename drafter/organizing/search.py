"""The organizer's search over article texts and submitted comments."""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup

from .. import highlight, markup, spelling
from ..errors import NotFound
from ..model import Comment, Node, User, Version
from ..storage import Store
from .rules import require_organizer

#: Hits ranked by relevance when the query's rarest word is in at most this many rows.
RANKED_AT_MOST = 5_000


@dataclass(frozen=True)
class SearchResults:
    """Articles (with their version) and submitted comments matching a query."""

    query: str
    articles: list[tuple[Version, Node]] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    #: A marked snippet of each result's text, by ("article", node id) or ("comment", id).
    snippets: dict[tuple[str, int], Markup] = field(default_factory=dict)
    #: When `query` found nothing: the words searched instead, its typos corrected.
    corrected: str | None = None
    #: Its words are so common that the hits are listed newest first, not by relevance.
    newest_first: bool = False

    @property
    def searched(self) -> str:
        """The words the results hold: the corrected ones, or the query."""
        return self.corrected or self.query


def search(store: Store, user: User, query: str) -> SearchResults:
    """Return what holds the words of `query`, whole and in order, ignoring case and
    Vietnamese accents, each with a snippet around the match.

    Only submitted comments can match (the store decides inside its query, before ranking
    and the limit, so that drafts cannot crowd real results out).  Words in more than
    RANKED_AT_MOST rows are listed newest first (`newest_first`), not ranked.  When nothing matches, the
    words the index does not hold are corrected to the nearest ones it holds
    (:mod:`drafter.spelling`) and those are searched: `corrected` says so, and is set only
    when they find something (a word of an unsubmitted draft is never shown)."""
    require_organizer(user)
    query = query.strip()
    results = SearchResults(query)
    if not query:
        return results
    # Ranking every hit costs in proportion to the hits (seconds at a million comments): when
    # even the rarest word of the query is in more rows than RANKED_AT_MOST, the latest hits.
    counts = store.word_rows(spelling.query_words(query), cap=RANKED_AT_MOST + 1)
    newest_first = bool(counts) and min(counts.values()) > RANKED_AT_MOST
    hits = store.search(query, newest_first=newest_first)
    if newest_first and hits:
        results = SearchResults(query, newest_first=True)
    if not hits:
        for corrected in spelling.corrections(query, store):
            hits = store.search(corrected)
            if hits:
                results = SearchResults(query, corrected=corrected)
                break
    query = results.searched
    for hit in hits:
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
