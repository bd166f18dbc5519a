"""A unit's response before and after it is sent: what the submit and "no comments"
confirmation pages show, and the contradictions flagged to delegates and organizers (a unit
that agrees with an article as drafted and also comments on it or proposes new wording)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from . import consulting
from .errors import N_, InvalidInput
from .model import Comment, Consultation, User
from .model_figures import KindCount
from .storage import Store

#: Kinds that contradict "agree as drafted" on the same article (a question does not).
CONTRADICTING = ("comment", "new_wording", "delete", "add_after")


def contradictions(comments: Iterable[Comment]) -> set[tuple[int, str]]:
    """Return (unit id, article key) for each article on which a unit both agrees as drafted
    and comments or proposes (withdrawn comments do not count)."""
    kinds: dict[tuple[int, str], set[str]] = {}
    for comment in comments:
        if comment.article_key and not comment.withdrawn_at:
            kinds.setdefault((comment.unit_id, comment.article_key), set()).add(comment.kind)
    return _contradicting(kinds)


def counted_contradictions(counts: Iterable[KindCount]) -> set[tuple[int, str]]:
    """Return what `contradictions` returns, from comments counted by the store."""
    kinds: dict[tuple[int, str], set[str]] = {}
    for figure in counts:
        if figure.article_key and not figure.withdrawn and figure.count:
            kinds.setdefault((figure.unit_id, figure.article_key), set()).add(figure.kind)
    return _contradicting(kinds)


def contradicting_units(store: Store, consultation_id: int) -> dict[str, int]:
    """Return, per article key, how many units both agree with it as drafted and comment or
    propose on it, in their standing submissions (counted by the store)."""
    return store.units_holding_both(consultation_id, "agree", CONTRADICTING)


def _contradicting(kinds: dict[tuple[int, str], set[str]]) -> set[tuple[int, str]]:
    return {
        place
        for place, found in kinds.items()
        if "agree" in found and found.intersection(CONTRADICTING)
    }


@dataclass(frozen=True)
class SubmitPreview:
    """What submitting will send: the unit's comments, counted by kind, the articles where it
    contradicts itself, and the fingerprint the confirmation carries back."""

    consultation: Consultation
    deadline: str
    no_comments: bool
    comments: list[Comment]
    counts: dict[str, int]
    contradictory: list[str]  # article keys, in document order
    fingerprint: str


def submit_preview(
    store: Store, user: User, consultation_id: int, *, no_comments: bool, now: str
) -> SubmitPreview:
    """Return what the lead delegate confirms before submitting (or answering "no
    comments"); refuse, as :func:`drafter.consulting.submit` would, when it cannot be done."""
    consultation = consulting.get_readable(store, user, consultation_id)
    consulting.may_submit(store, user, consultation, now)
    assert user.unit_id is not None
    comments = store.list_comments(consultation.id, unit_id=user.unit_id)
    if no_comments and comments:
        raise InvalidInput(N_("Your unit has comments: withdraw them, or submit them instead."))
    if not no_comments and not comments:
        raise InvalidInput(
            N_("Your unit has no comments yet: write some, or submit “no comments”.")
        )
    flagged = {key for _unit, key in contradictions(comments)}
    ordered = list(dict.fromkeys(c.article_key for c in comments if c.article_key in flagged))
    return SubmitPreview(
        consultation,
        consulting.unit_deadline(store, consultation, user.unit_id),
        no_comments,
        [consulting.as_units_see(c) for c in comments],
        dict(Counter(c.kind for c in comments)),
        [k for k in ordered if k],
        consulting.fingerprint(comments),
    )
