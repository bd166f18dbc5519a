"""The rules of a consultation: who may read and write what, and when.

Every function takes the store, the acting user and the current time, checks the role, the
unit, the deadline and the unit's submission state, then makes one change.  The web layer
calls these and nothing else writes comments, submissions or answers.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from . import grouping, markup, notices, traces
from .answering import answer, answer_many  # noqa: F401  (answer: re-exported)
from .errors import N_, Conflict, Forbidden, InvalidInput, NotFound
from .model import (
    COMMENT_KINDS,
    PROPOSAL_KINDS,
    TARGET_KINDS,
    Comment,
    Consultation,
    Node,
    User,
    is_commentable,
    unit_key,
)
from .notices import Site
from .storage import Store
from .storage.contract_write_path import UnitStanding
from .texts import MAX_TEXT, clean_text  # noqa: F401  (MAX_TEXT: the comment limit, here too)

MAX_REVISIONS = 100  # saved versions of one comment (each is kept)


def utc_now() -> str:
    """Return the current time as the ISO text stored in the database."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def moment(text: str) -> datetime:
    """Return stored ISO time text as an aware datetime (UTC when it names no zone)."""
    value = datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


@dataclass(frozen=True)
class UnitState:
    """Where a unit stands: not_started, drafting, submitted or no_comments."""

    name: str
    live_comments: int
    submitted_at: str | None = None


def phase(consultation: Consultation, now: str, deadline: str | None = None) -> str:
    """Return "upcoming", "open", "past_deadline" or "closed" (`deadline`: a unit's own,
    from :func:`unit_deadline`; by default the consultation's)."""
    if consultation.closed_at:
        return "closed"
    if moment(now) < moment(consultation.opens_at):
        return "upcoming"
    if moment(now) >= moment(deadline or consultation.deadline):
        return "past_deadline"
    return "open"


def unit_deadline(store: Store, consultation: Consultation, unit_id: int) -> str:
    """Return a unit's effective deadline: its own when one was given and is later than the
    consultation's, else the consultation's (extending everyone's never shortens a unit's)."""
    return effective_deadline(consultation, store.unit_deadline(consultation.id, unit_id))


def effective_deadline(consultation: Consultation, own: str | None) -> str:
    """Return a unit's own deadline `own` when later than the consultation's, else that."""
    return own if own and moment(own) > moment(consultation.deadline) else consultation.deadline


def unit_phase(store: Store, consultation: Consultation, unit_id: int, now: str) -> str:
    """Return the phase of a consultation for one unit, by its effective deadline.  Every
    rule asking "is the consultation open for this unit" asks this."""
    return phase(consultation, now, unit_deadline(store, consultation, unit_id))


def state_of(live: int, latest) -> UnitState:
    """Return a unit's state from its live comments and its latest submission."""
    if latest is not None and latest.withdrawn_at is None:
        return UnitState(
            "no_comments" if latest.no_comments else "submitted", live, latest.submitted_at
        )
    return UnitState("drafting" if live else "not_started", live)


def unit_state(store: Store, consultation: Consultation, unit_id: int) -> UnitState:
    for progress in store.unit_progress(consultation.id, unit_id=unit_id):
        return state_of(progress.live_comments, progress.latest)
    raise Forbidden(N_("Your unit is not invited to this consultation."))


def _unit(user: User) -> int:
    """Return the user's unit; organizers have none (403)."""
    if user.unit_id is None:
        raise Forbidden(N_("Only a delegate of an invited unit can do this."))
    return user.unit_id


def get_readable(store: Store, user: User, consultation_id: int) -> Consultation:
    """Return a consultation the user may read: organizers read all, delegates their unit's."""
    consultation = store.get_consultation(consultation_id)
    if not user.is_organizer and not store.is_invited(consultation.id, user.unit_id):
        raise Forbidden(N_("Your unit is not invited to this consultation."))
    return consultation


def _writable(
    store: Store, user: User, consultation: Consultation | int, now: str, quota: int | None = None
) -> tuple[Consultation, UnitStanding]:
    """Refuse unless the user's unit may write now (and, with `quota`, has created fewer
    comments: withdrawn ones count, so withdrawing and writing again cannot get round it);
    return the consultation (read with the standing when given by id: one query) and where
    the unit stands."""
    standing: UnitStanding | None = None
    if isinstance(consultation, int):
        consultation, standing = store.write_standing(consultation, user.unit_id)
    elif user.unit_id is not None:
        standing = store.unit_standing(consultation.id, user.unit_id)
    if user.is_organizer:
        raise Forbidden(N_("Organizers answer comments; only delegates of a unit write them."))
    if standing is None:
        raise Forbidden(N_("Your unit is not invited to this consultation."))
    state = phase(consultation, now, effective_deadline(consultation, standing.deadline))
    if state != "open":
        raise Conflict(
            {
                "upcoming": N_("The consultation has not opened yet."),
                "past_deadline": N_("The deadline has passed: comments are read-only."),
                "closed": N_("The consultation is closed: comments are read-only."),
            }[state]
        )
    if standing.submitted:
        raise Conflict(N_("Your unit has submitted its response: withdraw the submission to edit."))
    if quota is not None and standing.comments_created >= quota:
        raise Conflict(
            N_(
                "Your unit has written %(n)s comments in this consultation, the most it may. "
                "Edit or withdraw some, or ask the organizers."
            ),
            n=quota,
        )
    return consultation, standing


def target(
    store: Store, consultation: Consultation, key: str | None
) -> tuple[Node | None, Node | None]:
    """Return (node, its article) for a comment target key; (None, None) for the whole draft."""
    if not key:
        return None, None
    article_key = unit_key(key)
    found = store.provisions_alone(consultation.version_id, [key, article_key or key])
    if key not in found:
        raise NotFound(N_("This version has no provision “%(key)s”."), key=key)
    node = found[key]
    if node.kind not in TARGET_KINDS or article_key not in found:
        raise InvalidInput(N_("Comments target an article, a clause or a point."))
    return node, node if is_commentable(node.kind) else found[article_key]


def add_comment(
    store: Store,
    user: User,
    consultation: Consultation | int,
    *,
    key: str | None,
    kind: str,
    text: str,
    proposed_text: str | None,
    now: str,
    quota: int | None = None,
) -> int:
    """Add a comment of the user's unit on `key` (None: the whole draft); return its id.

    `quota` (see :func:`_writable`): one unit cannot fill the database for everyone."""
    # Checks and write in one write transaction: a submission or a closing at the same moment
    # cannot slip between them; other units' comment writes may run alongside (`unit`).
    with store.transaction(unit=user.unit_id):  # read again inside it; who, then what:
        wanted = consultation if isinstance(consultation, int) else consultation.id
        consultation, _standing = _writable(store, user, wanted, now, quota)
        kind, text, proposed = validate(kind, text, proposed_text, general=key is None)
        node, article = target(store, consultation, key)
        comment_id = store.add_comment(
            consultation.id, _unit(user), user.id, node_id=node.id if node else None,
            article_id=article.id if article else None, kind=kind, text=text,
            proposed_text=proposed, now=now, html=markup.stored_html(text),
        )  # fmt: skip
        _audit(
            store, user, "comment.create", comment_id, consultation.id, now, f"{kind} {key or ''}"
        )
        return comment_id


def _audit(
    store: Store,
    user: User,
    action: str,
    comment_id: int,
    consultation_id: int,
    now: str,
    details: str = "",
) -> None:
    store.add_audit(
        user.id,
        action,
        f"comment {comment_id}",
        now=now,
        consultation_id=consultation_id,
        details=details.strip(),
    )


def agree(
    store: Store,
    user: User,
    consultation: Consultation,
    article_key: str,
    now: str,
    quota: int | None = None,
) -> int:
    """Record that the user's unit agrees with an article as drafted (once per article)."""
    with store.transaction(unit=user.unit_id):
        consultation, _standing = _writable(store, user, consultation.id, now, quota)
        node, article = target(store, consultation, article_key)
        if node is None or article is None or not is_commentable(node.kind):
            raise InvalidInput(N_("“Agree as drafted” applies to a whole article."))
        for comment in store.list_comments(
            consultation.id, unit_id=user.unit_id, article_key=article.key
        ):
            if comment.kind == "agree" and comment.node_key == article.key:
                return comment.id
        comment_id = store.add_comment(
            consultation.id, _unit(user), user.id, node_id=node.id, article_id=article.id,
            kind="agree", text="", proposed_text=None, now=now,
        )  # fmt: skip
        _audit(
            store, user, "comment.create", comment_id, consultation.id, now, f"agree {article_key}"
        )
        return comment_id


def _own_comment(store: Store, user: User, comment_id: int) -> Comment:
    comment = store.get_comment(comment_id)
    if user.is_organizer or comment.unit_id != user.unit_id:
        raise Forbidden(N_("This comment belongs to another unit."))
    if comment.withdrawn_at:
        raise Conflict(N_("This comment was withdrawn."))
    return comment


def edit_comment(
    store: Store,
    user: User,
    comment_id: int,
    *,
    kind: str,
    text: str,
    proposed_text: str | None,
    now: str,
) -> None:
    """Save a new revision of one of the user's unit's comments; earlier ones are kept."""
    with store.transaction(unit=user.unit_id):
        comment = _own_comment(store, user, comment_id)
        consultation, _standing = _writable(store, user, comment.consultation_id, now)
        kind, text, proposed = validate(kind, text, proposed_text, general=comment.node_id is None)
        if comment.revisions >= MAX_REVISIONS:
            raise Conflict(
                N_(
                    "This comment has been saved %(n)s times, the most it may: write a new "
                    "comment instead."
                ),
                n=MAX_REVISIONS,
            )
        store.revise_comment(
            comment_id, user.id, kind=kind, text=text, proposed_text=proposed, now=now,
            html=markup.stored_html(text),
        )  # fmt: skip
        _audit(store, user, "comment.edit", comment_id, consultation.id, now, kind)


def withdraw_comment(store: Store, user: User, comment_id: int, now: str) -> Comment:
    """Withdraw one of the user's unit's comments; return it."""
    with store.transaction(unit=user.unit_id):
        comment = _own_comment(store, user, comment_id)
        _writable(store, user, comment.consultation_id, now)
        store.withdraw_comment(comment_id, now=now)
        _audit(store, user, "comment.withdraw", comment_id, comment.consultation_id, now)
    return comment


def validate(kind: str, text: str, proposed_text: str | None, *, general: bool):
    """Return (kind, text, proposed wording) cleaned, or refuse them (400)."""
    if kind not in COMMENT_KINDS:
        raise InvalidInput(N_("Choose the kind of comment."))
    if general and kind in ("delete", "add_after", "new_wording"):
        raise InvalidInput(
            N_("A comment on the whole draft is a comment, a question or an agreement.")
        )
    text = clean_text(text, field=N_("comment"), required=kind in ("comment", "question"))
    proposed = (
        clean_text(proposed_text, field=N_("proposed wording"), required=kind in PROPOSAL_KINDS)
        if kind in PROPOSAL_KINDS
        else None
    )
    return kind, text, proposed


def _lead(store: Store, user: User, consultation: Consultation) -> None:
    if user.is_organizer or not store.is_invited(consultation.id, user.unit_id):
        raise Forbidden(N_("Only a delegate of an invited unit can do this."))
    if not user.is_lead:
        raise Forbidden(N_("Only your unit's lead delegate can submit or withdraw its response."))


def fingerprint(comments: list[Comment]) -> str:
    """Return a short digest of comments at their revisions: what a confirmation page showed."""
    items = ",".join(f"{c.id}:{c.revision_id}" for c in sorted(comments, key=lambda c: c.id))
    return hashlib.sha256(items.encode()).hexdigest()[:16]


def may_submit(store: Store, user: User, consultation: Consultation, now: str) -> None:
    """Refuse unless the user is the lead delegate of an invited unit whose consultation is
    open for it and whose response is not submitted yet."""
    _lead(store, user, consultation)
    _writable(store, user, consultation, now)


def submit(
    store: Store,
    user: User,
    consultation: Consultation,
    *,
    no_comments: bool,
    now: str,
    site: Site | None = None,
    expected: str | None = None,
) -> int:
    """Submit the unit's comments as its official response, or an explicit "no comments";
    with `site`, the unit's delegates are e-mailed a receipt.

    With `expected` (the :func:`fingerprint` of the comments the confirmation page listed),
    a unit whose comments changed since then is refused: what is sent is what was shown."""
    with store.transaction():
        consultation = store.get_consultation(consultation.id)
        may_submit(store, user, consultation, now)
        if expected is not None and expected != fingerprint(
            store.list_comments(consultation.id, unit_id=_unit(user))
        ):
            raise Conflict(
                N_(
                    "Your unit's comments changed after the confirmation page was opened: "
                    "check the list again, then submit."
                )
            )
        state = unit_state(store, consultation, _unit(user))
        if no_comments and state.live_comments:
            raise InvalidInput(N_("Your unit has comments: withdraw them, or submit them instead."))
        if not no_comments and not state.live_comments:
            raise InvalidInput(
                N_("Your unit has no comments yet: write some, or submit “no comments”.")
            )
        submission_id = store.add_submission(
            consultation.id, _unit(user), user.id, no_comments=no_comments, now=now
        )
        grouping.group_submitted(store, consultation.id, _unit(user), now=now)
        traces.unit_changed(store, consultation, _unit(user))  # its stored trace, kept current
        store.add_audit(
            user.id,
            "submission.create",
            f"submission {submission_id}",
            now=now,
            consultation_id=consultation.id,
            details="no comments" if no_comments else f"{state.live_comments} comments",
        )
        if site is not None:
            notices.receipt(
                store, site, consultation, _unit(user), submitted_at=now,
                no_comments=no_comments, now=now,
            )  # fmt: skip
        return submission_id


def withdraw_submission(store: Store, user: User, consultation: Consultation, now: str) -> None:
    """Withdraw the unit's submitted response so that it can be edited and submitted again."""
    with store.transaction():
        consultation = store.get_consultation(consultation.id)
        _lead(store, user, consultation)
        if unit_phase(store, consultation, _unit(user), now) != "open":
            raise Conflict(
                N_("The consultation is no longer open: the response stays as submitted.")
            )
        submissions = store.list_submissions(consultation.id, _unit(user))
        if not submissions or submissions[-1].withdrawn_at:
            raise Conflict(N_("Your unit has no submitted response to withdraw."))
        store.withdraw_submission(submissions[-1].id, user.id, now=now)
        traces.unit_changed(store, consultation, _unit(user))  # no longer submitted: dropped
        store.add_audit(
            user.id,
            "submission.withdraw",
            f"submission {submissions[-1].id}",
            now=now,
            consultation_id=consultation.id,
        )


def visible_comments(
    store: Store,
    user: User,
    consultation: Consultation,
    *,
    article_key: str | None = None,
    general: bool = False,
) -> tuple[list[Comment], list[Comment]]:
    """Return (the user's unit's comments, other units' comments the user may read).

    Delegates see every comment of their unit (drafts included) and, when the organizer
    shares them, other units' submitted comments, each with its PUBLISHED answer only (see
    :func:`as_units_see`).  Organizers see submitted comments only, with the latest answers.
    """
    if user.is_organizer:
        return [], store.list_comments(
            consultation.id, article_key=article_key, general=general, submitted_only=True
        )
    own = store.list_comments(
        consultation.id, unit_id=user.unit_id, article_key=article_key, general=general
    )
    others: list[Comment] = []
    if consultation.share_submitted:
        others = [
            c
            for c in store.list_comments(
                consultation.id, article_key=article_key, general=general, submitted_only=True
            )
            if c.unit_id != user.unit_id
        ]
    return [as_units_see(c) for c in own], [as_units_see(c) for c in others]


def as_units_see(comment: Comment) -> Comment:
    """Return a comment as units may see it: with its latest published answer (or none), so
    that an answer written or edited since the last publication stays internal."""
    return replace(comment, answer=comment.published_answer)
