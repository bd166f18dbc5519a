"""The organizer's article page: an article of a consultation with its submitted comments,
grouped by provision with their counts, a page at a time (at most PER_PAGE comments), so
that its cost does not grow with the comments it does not show."""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import responses
from ..comment_pages import PER_PAGE, ProvisionTally, submitted_page
from ..errors import N_, NotFound
from ..export_md import provision_text
from ..model import ArticleMatch, Comment, Consultation, Node, User, is_commentable
from ..model_followup import AnswerTemplate
from ..storage import Store
from .rules import require_organizer

__all__ = ["PER_PAGE", "ArticleView", "ProvisionTally", "article_view"]


@dataclass(frozen=True)
class ArticleView:
    """One page of an article's submitted comments, for answering: the comments of this page
    grouped by provision (in document order), every provision's count, and the pages."""

    consultation: Consultation
    article: Node
    groups: list[tuple[ProvisionTally, list[Comment]]]  # this page's comments by provision
    provisions: list[ProvisionTally]  # every provision with comments, all pages counted
    total: int  # comments shown on all pages (of `provision` when chosen)
    page: int
    pages: int
    provision: str | None  # only the comments on this provision, when chosen
    texts: dict[str, str]  # provision key -> its text, for redlines
    later: tuple[int, ArticleMatch] | None  # (next version's number, the article's match)
    previous: Node | None
    following: Node | None
    contradictory: tuple[str, ...] = ()  # units that agree AND comment or propose
    templates: tuple[AnswerTemplate, ...] = ()
    #: Groups of two or more similar comments on the article: how many, and their sizes
    #: (largest first); and for each comment of this page in such a group, (group id, size).
    similar_sizes: tuple[int, ...] = ()
    similar: dict[int, tuple[int, int]] = field(default_factory=dict)


def article_view(
    store: Store,
    user: User,
    consultation_id: int,
    key: str,
    *,
    page: int | None = None,
    provision: str | None = None,
    comment_id: int | None = None,
) -> ArticleView:
    """Return one page of an article of a consultation: `page` (from 1), or the page that
    holds `comment_id` when no page is asked, else the first; only the comments on
    `provision` when it is one of the article's; its neighbours, and what became of it in
    the next version (when there is one)."""
    require_organizer(user)
    consultation = store.get_consultation(consultation_id)
    node = store.get_node(consultation.version_id, key)
    if not is_commentable(node.kind):
        raise NotFound(N_("“%(key)s” is not an article."), key=key)
    texts = {n.key: provision_text(n) for n in node.walk()}
    shown = submitted_page(
        store, consultation_id, node, page=page, provision=provision,
        comment_id=comment_id,
    )  # fmt: skip
    comments = [c for _tally, group in shown.groups for c in group]
    flagged = responses.counted_contradictions(store.article_kind_counts(consultation_id, key))
    units = {u.id: u.name for u in store.list_units()} if flagged else {}
    names = sorted(units[unit_id] for unit_id, _key in flagged)
    articles = list(store.iter_articles(consultation.version_id))
    index = next(i for i, a in enumerate(articles) if a.key == key)
    return ArticleView(
        consultation, node, shown.groups, shown.provisions, shown.total, shown.page,
        shown.pages, shown.provision, texts, _later_counterpart(store, consultation, key),
        articles[index - 1] if index else None,
        articles[index + 1] if index + 1 < len(articles) else None,
        tuple(names), tuple(store.list_answer_templates()), *_similar(store, consultation_id, node, comments),
    )  # fmt: skip


def _similar(
    store: Store, consultation_id: int, article: Node, comments: list[Comment]
) -> tuple[tuple[int, ...], dict[int, tuple[int, int]]]:
    """The stored groups of similar comments on the article, by their kept sizes (no
    member is read but this page's comments), as the article view shows them."""
    node_ids: list[int | None] = [n.id for n in article.walk() if n.id is not None]
    sizes = dict(store.group_sizes(consultation_id, node_ids))
    similar = {
        comment_id: (group_id, sizes[group_id])
        for comment_id, group_id in store.groups_of([c.id for c in comments]).items()
        if group_id in sizes
    }
    return tuple(sorted(sizes.values(), reverse=True)), similar


def _later_counterpart(
    store: Store, consultation: Consultation, key: str
) -> tuple[int, ArticleMatch] | None:
    following = [
        v
        for v in store.list_versions(consultation.draft_id)
        if v.number == consultation.version_number + 1
    ]
    if not following:
        return None
    for match in store.get_matches(following[0].id):
        if match.old_key == key:
            return following[0].number, match
    return None
