"""What became of a unit's comments ("Ý kiến của đơn vị đã được tiếp thu, giải trình thế
nào"): its submitted comments with their PUBLISHED answers and, once the draft has a next
version, the new wording of each provision (found by the article matching of that version).
Shown on a page and downloadable as DOCX."""

from __future__ import annotations

from dataclasses import dataclass

from . import consulting, tracing
from .blocks import plain_text
from .docx.unit_answers import unit_answers_docx
from .errors import N_, Forbidden, NotFound
from .export_md import provision_text
from .labels import KIND_LABELS, STATUS_LABELS, provision_name
from .model import ArticleMatch, Comment, Consultation, Unit, User
from .model_trace import Traced
from .normalize import file_stem, slug
from .storage import Store


@dataclass(frozen=True)
class FeedbackItem:
    """One submitted comment as its unit sees it, and its provision in the next version:
    (the new key, the new text), or None (no next version, or the article was removed)."""

    comment: Comment
    match: ArticleMatch | None
    new_wording: tuple[str, str] | None
    traced: Traced | None = None  # the published answer traced into the next version


@dataclass(frozen=True)
class UnitFeedback:
    """A unit's comments in a consultation with their published answers."""

    consultation: Consultation
    unit: Unit
    items: list[FeedbackItem]
    next_version: int | None
    answered: int  # comments with a published answer


def unit_feedback(
    store: Store, user: User, consultation_id: int, unit_id: int | None = None
) -> UnitFeedback:
    """Return what became of a unit's comments: a delegate's own unit, or (for organizers,
    to see what the unit sees) unit `unit_id`.  Only published answers are shown."""
    consultation = consulting.get_readable(store, user, consultation_id)
    if not user.is_organizer:
        unit_id = user.unit_id
    if unit_id is None:
        raise Forbidden(N_("This page is for delegates; organizers use the dashboard."))
    if not store.is_invited(consultation_id, unit_id):
        raise NotFound(N_("There is no unit %(id)s in this consultation."), id=unit_id)
    comments = [
        consulting.as_units_see(c)
        for c in store.list_comments(consultation_id, unit_id=unit_id, submitted_only=True)
    ]
    following = [
        v
        for v in store.list_versions(consultation.draft_id)
        if v.number == consultation.version_number + 1
    ]
    matches: dict[str, ArticleMatch] = {}
    if following:
        matches = {m.old_key: m for m in store.get_matches(following[0].id) if m.old_key}
    trace = None
    if following:
        trace = tracing.trace_comments(store, consultation, comments, following[0].number)
    items = []
    for comment in comments:
        match = matches.get(comment.article_key or "")
        wording = None
        if following and match is not None and match.new_key:
            wording = _new_wording(store, following[0].id, comment, match.new_key)
        traced = trace.items.get(comment.id) if trace else None
        items.append(FeedbackItem(comment, match, wording, traced))
    return UnitFeedback(
        consultation,
        store.get_unit(unit_id),
        items,
        following[0].number if following else None,
        sum(1 for c in comments if c.answer),
    )


def _new_wording(
    store: Store, version_id: int, comment: Comment, new_article: str
) -> tuple[str, str]:
    """Return the provision's key and text in the next version: the clause or point at the
    same place inside the matched article when it still exists, else the whole article."""
    key = new_article
    if comment.node_key and comment.article_key and comment.node_key != comment.article_key:
        key = new_article + comment.node_key[len(comment.article_key) :]
    try:
        return key, provision_text(store.get_node(version_id, key))
    except NotFound:
        return new_article, provision_text(store.get_node(version_id, new_article))


def feedback_docx(
    store: Store, user: User, consultation_id: int, unit_id: int | None = None
) -> tuple[bytes, str]:
    """Return the unit's page as a DOCX file and its file name."""
    shown = unit_feedback(store, user, consultation_id, unit_id)
    rows = []
    for item in shown.items:
        comment, answer = item.comment, item.comment.answer
        said = f"[{KIND_LABELS[comment.kind]}] {plain_text(comment.text)}".strip()
        if comment.proposed_text:
            said += "\nĐề xuất: " + comment.proposed_text
        answered = "Chưa có trả lời."
        if answer:
            explanation = plain_text(answer.explanation)
            answered = f"{STATUS_LABELS[answer.status]}. {explanation}".strip()
        rows.append(
            (
                provision_name(comment.node_key),
                said,
                answered,
                "\n".join(
                    part
                    for part in (
                        tracing.document_cell(item.traced),
                        item.new_wording[1] if item.new_wording else "",
                    )
                    if part
                ),
            )
        )
    data = unit_answers_docx(
        shown.consultation.title, shown.unit.name, rows, next_version=shown.next_version
    )
    name = f"{file_stem(shown.consultation.draft_title, 50)}-{slug(shown.unit.code)}"
    return data, f"{name}-tiep-thu-giai-trinh.docx"
