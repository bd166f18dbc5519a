"""Comments received outside drafter: an organizer enters a unit's comments on its behalf (a
letter on paper, an e-mail, a unit without an account), submits them for it, and attaches the
unit's signed and stamped letter to its submission.  Such comments are marked as entered by
the organizers wherever they are shown."""

from __future__ import annotations

from dataclasses import dataclass

from .. import consulting, grouping, markup, notices, traces
from ..errors import N_, Conflict, Forbidden
from ..letters import check_letter
from ..model import TARGET_KINDS, Comment, Consultation, Node, Submission, Unit, User
from ..model_followup import Letter
from ..notices import Site
from ..storage import Store
from .rules import require_organizer


@dataclass(frozen=True)
class UnitResponse:
    """What the organizer sees of one unit's response, and may do for it."""

    consultation: Consultation
    unit: Unit
    state: consulting.UnitState
    phase: str
    comments: list[Comment]
    submissions: list[Submission]
    letters: list[Letter]
    targets: list[Node]  # articles, clauses and points, in document order


def _invited(store: Store, user: User, consultation_id: int, unit_id: int):
    require_organizer(user)
    consultation = store.get_consultation(consultation_id)
    unit = store.get_unit(unit_id)
    if not store.is_invited(consultation.id, unit.id):
        raise Forbidden(N_("This unit is not invited to this consultation."))
    return consultation, unit


def _not_closed(consultation: Consultation, now: str) -> None:
    if consulting.phase(consultation, now) == "closed":
        raise Conflict(N_("The consultation is closed: comments are read-only."))


def unit_response(
    store: Store, user: User, consultation_id: int, unit_id: int, now: str
) -> UnitResponse:
    """Return what organizers may see of a unit's response: its submitted comments and the
    ones organizers entered for it, never the drafts its delegates have not submitted."""
    consultation, unit = _invited(store, user, consultation_id, unit_id)
    submitted = store.list_comments(consultation.id, unit_id=unit.id, submitted_only=True)
    entered = [c for c in store.list_comments(consultation.id, unit_id=unit.id) if c.by_organizer]
    seen = {c.id for c in submitted}
    targets = [
        node
        for article in store.iter_articles(consultation.version_id)
        for node in article.walk()
        if node.kind in TARGET_KINDS
    ]
    return UnitResponse(
        consultation,
        unit,
        consulting.unit_state(store, consultation, unit.id),
        consulting.phase(consultation, now),
        submitted + [c for c in entered if c.id not in seen],
        store.list_submissions(consultation.id, unit.id),
        store.list_letters(consultation.id, unit.id),
        targets,
    )


def add_comment_for_unit(
    store: Store,
    user: User,
    consultation_id: int,
    unit_id: int,
    *,
    key: str | None,
    kind: str,
    text: str,
    proposed_text: str | None,
    now: str,
) -> int:
    """Enter a comment received from a unit outside drafter; return its id.  Allowed after the
    deadline (letters arrive late), not once the consultation is closed or while the unit's
    response stands submitted."""
    kind, text, proposed = consulting.validate(kind, text, proposed_text, general=key is None)
    with store.transaction():
        consultation, unit = _invited(store, user, consultation_id, unit_id)
        _not_closed(consultation, now)
        if store.has_standing_submission(consultation.id, unit.id):
            raise Conflict(N_("The unit's response is submitted: nothing can be added to it."))
        node, article = consulting.target(store, consultation, key)
        comment_id = store.add_comment(
            consultation.id, unit.id, user.id, node_id=node.id if node else None,
            article_id=article.id if article else None, kind=kind, text=text,
            proposed_text=proposed, now=now, html=markup.stored_html(text),
        )  # fmt: skip
        store.add_audit(
            user.id,
            "comment.enter",
            f"comment {comment_id}",
            now=now,
            consultation_id=consultation.id,
            details=unit.name,
        )
        return comment_id


def submit_for_unit(
    store: Store,
    user: User,
    consultation_id: int,
    unit_id: int,
    *,
    no_comments: bool,
    letter: tuple[str, bytes] | None,
    now: str,
    site: Site | None = None,
) -> int:
    """Submit a unit's response on its behalf (with its letter, when given); return the
    submission's id.  Letter, submission and audit row are written together or not at all."""
    checked = check_letter(*letter) if letter is not None else None
    with store.transaction():
        consultation, unit = _invited(store, user, consultation_id, unit_id)
        _not_closed(consultation, now)
        state = consulting.unit_state(store, consultation, unit.id)
        if state.name in ("submitted", "no_comments"):
            raise Conflict(N_("This unit's response is already submitted."))
        if no_comments and state.live_comments:
            raise Conflict(N_("This unit has comments: submit them instead of “no comments”."))
        if not no_comments and not state.live_comments:
            raise Conflict(N_("This unit has no comments yet: enter them first."))
        live = store.list_comments(consultation.id, unit_id=unit.id)
        if any(not c.by_organizer for c in live):
            # Its delegates' drafts are theirs to submit: organizers never send them.
            raise Conflict(
                N_("The unit's delegates have comments they have not submitted: only its lead "
                   "can submit its response.")
            )  # fmt: skip
        submission_id = store.add_submission(
            consultation.id, unit.id, user.id, no_comments=no_comments, now=now
        )
        grouping.group_submitted(store, consultation.id, unit.id, now=now)
        traces.unit_changed(store, consultation, unit.id)  # its stored trace, kept current
        if checked is not None and letter is not None:
            store.add_letter(submission_id, checked[0], checked[1], letter[1], user_id=user.id,
                             now=now)  # fmt: skip
        store.add_audit(
            user.id,
            "submission.enter",
            f"submission {submission_id}",
            now=now,
            consultation_id=consultation.id,
            details=unit.name,
        )
        if site is not None:  # the unit's delegates get the receipt, as when they submit
            notices.receipt(
                store, site, consultation, unit.id, submitted_at=now, no_comments=no_comments,
                now=now,
            )  # fmt: skip
        return submission_id


def attach_letter(
    store: Store,
    user: User,
    consultation_id: int,
    unit_id: int,
    letter: tuple[str, bytes],
    now: str,
) -> int:
    """Attach a unit's letter to its current submission; return the letter's id."""
    name, content_type = check_letter(*letter)
    with store.transaction():
        consultation, unit = _invited(store, user, consultation_id, unit_id)
        submissions = store.list_submissions(consultation.id, unit.id)
        if not submissions or submissions[-1].withdrawn_at:
            raise Conflict(N_("This unit has no submitted response to attach a letter to."))
        letter_id = store.add_letter(
            submissions[-1].id, name, content_type, letter[1], user_id=user.id, now=now
        )
        store.add_audit(
            user.id,
            "letter.attach",
            f"submission {submissions[-1].id}",
            now=now,
            consultation_id=consultation.id,
            details=f"{unit.name}: {name}",
        )
        return letter_id


def letter_file(store: Store, user: User, letter_id: int) -> tuple[Letter, bytes]:
    """Return a letter and its bytes: for organizers, and for the delegates of its unit."""
    letter, unit_id, data = store.get_letter(letter_id)
    if not user.is_organizer and user.unit_id != unit_id:
        raise Forbidden(N_("You may not see or do this."))
    return letter, data
