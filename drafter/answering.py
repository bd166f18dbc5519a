"""The organizer's answers to units: answering one or several submitted comments at once,
publishing answers to units (all or one unit's), answer templates, and the filtered list of a
consultation's submitted comments to answer.

Answers stay internal until published.  An answer row is never changed: answering again
adds a row, and units read the latest PUBLISHED row of each comment, so an answer written or
edited after a publication stays internal (units keep seeing the previous published one, or
none) until the organizer publishes again.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from . import markup, notices, traces
from .errors import N_, Forbidden, InvalidInput, NotFound
from .model import (
    ANSWER_STATUSES,
    COMMENT_KINDS,
    Answer,
    Comment,
    Consultation,
    Unit,
    User,
)
from .model_followup import AnswerTemplate
from .model_trace import TRACE_STATES
from .notices import Site
from .storage import Store
from .storage.contract_lists import ListFilter
from .texts import clean_text
from .tracing import Trace

MAX_TEMPLATE_TITLE = 200


def _organizer(user: User) -> None:
    if not user.is_organizer:
        raise Forbidden(N_("Only organizers answer comments."))


def answer_many(
    store: Store,
    consultation_id: int,
    comment_ids: list[int],
    status: str,
    text: str,
    actor: User,
    *,
    now: str,
) -> list[Comment]:
    """Give the same answer (`status` and explanation `text`) to each of `comment_ids`, all
    submitted comments of one consultation; return them.  All are answered or none: one
    comment that is not a submitted comment of the consultation refuses the whole set."""
    _organizer(actor)
    if status not in ANSWER_STATUSES:
        raise InvalidInput(N_("Choose accepted, partly accepted, not accepted or noted."))
    text = clean_text(text, field=N_("explanation"), required=status in ("rejected", "partly"))
    ids = list(dict.fromkeys(comment_ids))
    if not ids:
        raise InvalidInput(N_("Choose at least one comment to answer."))
    html = markup.stored_html(text)
    with store.transaction():
        consultation = store.get_consultation(consultation_id)
        # Only the chosen comments, by id: answering costs the same however many there are.
        submitted = {c.id: c for c in store.submitted_comments(consultation_id, ids)}
        for comment_id in ids:
            if comment_id not in submitted:
                raise NotFound(N_("There is no submitted comment %(id)s."), id=comment_id)
        for comment_id in ids:
            store.add_answer(
                comment_id, actor.id, status=status, explanation=text, now=now, html=html
            )
            store.add_audit(
                actor.id, "comment.answer", f"comment {comment_id}", now=now,
                consultation_id=consultation_id, details=status,
            )  # fmt: skip
        # The stored trace into the next version follows the new answer, in this transaction.
        given = Answer(status, text, actor.display_name, now, html)
        traces.answered(store, consultation, [submitted[i] for i in ids], given)
    return [submitted[i] for i in ids]


def publish_answers(
    store: Store,
    user: User,
    consultation_id: int,
    *,
    unit_id: int | None,
    now: str,
    send: Site | None = None,
) -> int:
    """Publish every unpublished answer of a consultation (or of one invited unit) to the
    units; return how many were published (0: nothing was waiting).  With `send` (where links
    point), each unit whose answers were published is told by e-mail, in this transaction."""
    _organizer(user)
    with store.transaction():
        consultation = store.get_consultation(consultation_id)
        waiting = store.unpublished_answers(consultation_id)
        unit = None
        if unit_id is not None:
            if not store.is_invited(consultation_id, unit_id):
                raise NotFound(N_("There is no unit %(id)s in this consultation."), id=unit_id)
            unit = store.get_unit(unit_id)
        published = store.publish_answers(consultation_id, user.id, unit_id=unit_id, now=now)
        store.add_audit(
            user.id, "answers.publish", f"consultation {consultation_id}", now=now,
            consultation_id=consultation_id,
            details=f"{published} answers" + (f": {unit.name}" if unit else ""),
        )  # fmt: skip
        if send is not None:
            for to_unit, answered in waiting.items():
                if answered and unit_id in (None, to_unit):
                    notices.answers_published(
                        store, send, consultation, to_unit, answered=answered, now=now
                    )
    return published


def add_template(
    store: Store, user: User, *, title: str, text: str, status: str | None, now: str
) -> int:
    """Store an answer template; return its id."""
    _organizer(user)
    title = clean_text(title, field=N_("title"), required=True)
    if len(title) > MAX_TEMPLATE_TITLE:
        raise InvalidInput(N_("The title is too long."))
    text = clean_text(text, field=N_("template text"), required=True)
    if status is not None and status not in ANSWER_STATUSES:
        raise InvalidInput(N_("Choose accepted, partly accepted, not accepted or noted."))
    with store.transaction():
        template_id = store.add_answer_template(title, text, status, user.id, now=now)
        store.add_audit(
            user.id, "template.create", f"template {template_id}", now=now, details=title
        )
    return template_id


def delete_template(store: Store, user: User, template_id: int, now: str) -> None:
    """Remove an answer template (answers written with it keep their text)."""
    _organizer(user)
    with store.transaction():
        template = store.get_answer_template(template_id)
        store.delete_answer_template(template_id)
        store.add_audit(
            user.id, "template.delete", f"template {template_id}", now=now, details=template.title
        )


def templates(store: Store, user: User) -> list[AnswerTemplate]:
    """Return the answer templates."""
    _organizer(user)
    return store.list_answer_templates()


#: How many comments a page of the comment list shows.
LIST_PAGE = 50


@dataclass(frozen=True)
class CommentFilter:
    """Which submitted comments to list: answered ("yes"/"no"/None), a unit, a kind, the
    state of their answers traced into the latest version (``traced``), only those on the
    draft as a whole, and which page of them."""

    answered: str | None = None
    unit_id: int | None = None
    kind: str | None = None
    traced: str | None = None
    general: bool = False  # only the comments on the draft as a whole
    page: int = 1


@dataclass(frozen=True)
class CommentList:
    """One page of a consultation's submitted comments, filtered, with what the filters can
    choose and where the page is."""

    consultation: Consultation
    comments: list[Comment]
    units: list[Unit]
    unpublished: dict[int, int]  # unit id -> answers waiting for publication
    templates: list[AnswerTemplate]
    trace: Trace | None = None  # the page's comments traced into the latest version, if any
    page: int = 1
    has_next: bool = False
    total: int | None = None  # every submitted comment, when no filter is set

    @property
    def first(self) -> int:
        """The number of the page's first comment in the whole list (1-based)."""
        return (self.page - 1) * LIST_PAGE + 1


def comment_list(
    store: Store, user: User, consultation_id: int, wanted: CommentFilter
) -> CommentList:
    """Return one page of a consultation's submitted comments that pass `wanted`, in
    document order: filtered by the database, so a page costs the same however many
    comments there are (the filter on traced states still traces every comment)."""
    _organizer(user)
    if wanted.answered not in (None, "yes", "no"):
        raise InvalidInput(N_("Choose answered or unanswered comments."))
    if wanted.kind is not None and wanted.kind not in COMMENT_KINDS:
        raise InvalidInput(N_("Choose the kind of comment."))
    if wanted.traced is not None and wanted.traced not in TRACE_STATES:
        raise InvalidInput(N_("Choose what became of the answers in the next version."))
    if wanted.page < 1:
        raise InvalidInput(N_("Choose a page from 1."))
    consultation = store.get_consultation(consultation_id)
    listed = ListFilter(
        wanted.unit_id,
        wanted.kind,
        None if wanted.answered is None else wanted.answered == "yes",
        wanted.general,
        wanted.traced,
    )
    offset = (wanted.page - 1) * LIST_PAGE
    counted = traces.current(store, consultation)  # the stored traces, filled first if needed
    if wanted.traced is not None and counted.items:  # a read-only database: computed live
        everything = store.submitted_comment_page(
            consultation_id, replace(listed, traced=None), limit=None
        )
        comments = [c for c in everything if counted.state_of(c.id) == wanted.traced]
        comments = comments[offset : offset + LIST_PAGE + 1]
    else:
        comments = store.submitted_comment_page(
            consultation_id, listed, limit=LIST_PAGE + 1, offset=offset
        )
    # The stored traces of the listed comments (see drafter.traces), never computed here.
    trace = traces.stored_items(store, consultation, comments[:LIST_PAGE])
    total = None
    if listed == ListFilter():
        counts = store.article_counts(consultation_id, submitted_only=True)
        total = sum(sum(kinds.values()) for kinds in counts.values())
    return CommentList(
        consultation,
        comments[:LIST_PAGE],
        store.consultation_units(consultation_id),
        store.unpublished_answers(consultation_id),
        store.list_answer_templates(),
        trace if trace.version else None,
        wanted.page,
        len(comments) > LIST_PAGE,
        total,
    )


def answer(
    store: Store, user: User, comment_id: int, *, status: str, explanation: str, now: str
) -> Comment:
    """Record the organizer's answer to one submitted comment; return the comment (the rules
    are :func:`answer_many`'s)."""
    if not user.is_organizer:
        raise Forbidden(N_("Only organizers answer comments."))
    comment = store.get_comment(comment_id)
    answer_many(store, comment.consultation_id, [comment_id], status, explanation, user, now=now)
    return comment
