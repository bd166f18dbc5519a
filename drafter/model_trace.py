"""Answers traced into a later version of the draft: the states and what one trace holds.

Core: imports nothing of drafter."""

from __future__ import annotations

from dataclasses import dataclass

#: The states of a traced comment, in the order the dashboard lists them.
#: ``applied``: accepted (or partly) and its wording is in the new version;
#: ``accepted_not_applied``: accepted (or partly) but its wording is not there;
#: ``applied_rejected``: answered "not accepted" yet its wording is there;
#: ``rejected_not_applied``: answered "not accepted" and its wording is not there;
#: ``unanswered``: a proposal with no answer; ``no_wording``: nothing to check (no proposed
#: wording, or the answer only notes the comment).
TRACE_STATES = (
    "applied",
    "accepted_not_applied",
    "applied_rejected",
    "rejected_not_applied",
    "unanswered",
    "no_wording",
)

#: Comment kinds whose proposed wording can be looked for in the text.
WORDING_KINDS = ("new_wording", "add_after")


def trace_state(kind: str, proposed: str | None, answer: str | None, found: bool) -> str:
    """Return the state of a comment of `kind` with `proposed` wording, answered `answer`
    (an answer status, or None), whose wording was `found` in the new version or not."""
    if kind not in WORDING_KINDS or not (proposed or "").strip() or answer == "noted":
        return "no_wording"
    if answer is None:
        return "unanswered"
    if answer in ("accepted", "partly"):
        return "applied" if found else "accepted_not_applied"
    return "applied_rejected" if found else "rejected_not_applied"


@dataclass(frozen=True)
class Traced:
    """One comment traced into version `version` of the draft: its state and, when its
    wording was found, the key of the smallest provision holding it (``where``)."""

    comment_id: int
    state: str
    version: int
    where: str | None = None
