"""Answers traced into the next version, stored: each submitted comment's trace into the
latest later version of the draft (:mod:`drafter.tracing` computes it) is kept in the store,
with its count by state, so that the dashboard reads six counts and the comment list the rows
of the comments it shows, instead of diffing every proposal on each view.

The stored trace is made current in the transaction of every change that makes it stale:
an answer (:func:`retrace`), a unit's submission or its withdrawal (:func:`unit_changed`), a
new version of the draft (:func:`version_added`: every consultation on an earlier version,
all its comments again — a rare action whose cost grows with the consultation).

A consultation whose stored trace does not go into the latest version (a database from before
the stored traces) is traced whole, once, when the app starts (:func:`fill_all`, before any
page is served) or else by the first page that needs it (:func:`current`), in a write
transaction that checks again that no other process did it meanwhile; until then the changes
above leave it alone (the whole trace will hold them)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime

from .errors import StorageError
from .model import Answer, Comment, Consultation
from .model_trace import TRACE_STATES, Traced
from .storage import Store
from .tracing import Trace, later_version, trace, trace_comments


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def _current_number(store: Store, consultation: Consultation) -> int | None:
    """Return the latest later version's number when the consultation's stored trace goes
    into it (the rows are to be kept current), else None."""
    number = later_version(store, consultation, None)
    if number is None or store.traced_version(consultation.id) != number:
        return None
    return number


def rebuild(store: Store, consultation: Consultation, *, now: str | None = None) -> Trace:
    """Trace every submitted comment of a consultation into the latest later version and
    store it all, in the caller's transaction; return the counts by state (version None,
    nothing stored: the draft has no later version).  The comments are read and traced one
    unit at a time, so that memory holds one unit's comments, never the consultation's."""
    number = later_version(store, consultation, None)
    if number is None:
        return Trace(consultation, None)
    counts = dict.fromkeys(TRACE_STATES, 0)

    def each_unit() -> Iterator[Traced]:
        for unit in store.consultation_units(consultation.id):
            mine = store.list_comments(consultation.id, unit_id=unit.id, submitted_only=True)
            if mine:
                for traced in trace_comments(store, consultation, mine, number).items.values():
                    counts[traced.state] += 1
                    yield traced

    store.replace_consultation_traces(consultation.id, number, each_unit(), now=now or _now())
    return Trace(consultation, number, counts=counts)


def retrace(store: Store, consultation: Consultation, comments: Iterable[Comment]) -> None:
    """Trace `comments` (submitted ones, carrying their latest answers) again and store them,
    in the caller's transaction."""
    number = _current_number(store, consultation)
    comments = list(comments)
    if number is None or not comments:
        return
    traced = trace_comments(store, consultation, comments, number)
    store.replace_traces(consultation.id, list(traced.items.values()))


def answered(
    store: Store, consultation: Consultation, comments: Iterable[Comment], answer: Answer
) -> None:
    """Store the trace of `comments` (as read before) now that they carry `answer`."""
    retrace(store, consultation, [dataclasses.replace(c, answer=answer) for c in comments])


def unit_changed(store: Store, consultation: Consultation, unit_id: int) -> None:
    """A unit submitted its response or withdrew it: store the trace of its submitted
    comments (none after a withdrawal), in the caller's transaction."""
    if _current_number(store, consultation) is None:
        return
    store.drop_unit_traces(consultation.id, unit_id)
    retrace(
        store,
        consultation,
        store.list_comments(consultation.id, unit_id=unit_id, submitted_only=True),
    )


def version_added(store: Store, draft_id: int, *, now: str | None = None) -> int:
    """A new version of a draft was stored: trace every consultation on an earlier version
    into it again, in the caller's transaction; return how many comments were traced."""
    count = 0
    for consultation in store.list_consultations():
        if consultation.draft_id == draft_id:
            count += sum(rebuild(store, consultation, now=now).counts.values())
    return count


def opened(store: Store, consultation_id: int, *, now: str) -> None:
    """A consultation was opened: when its version has a later one, record its (empty)
    stored trace, so that its submissions and answers keep it current from the start."""
    consultation = store.get_consultation(consultation_id)
    number = later_version(store, consultation, None)
    if number is not None:
        store.replace_consultation_traces(consultation_id, number, [], now=now)


def current(store: Store, consultation: Consultation) -> Trace:
    """Return the consultation's trace counts by state, read from the stored rows (version
    None: no later version).  A stored trace not yet into the latest version is computed and
    stored first, once (see the module); on a database that cannot be written, computed
    live."""
    number = later_version(store, consultation, None)
    if number is None:
        return Trace(consultation, None)
    if store.traced_version(consultation.id) != number:
        try:
            fill(store, consultation.id)
        except StorageError:
            return trace(store, consultation.id)  # read-only: the counts, computed
    stored = store.trace_counts(consultation.id)
    return Trace(consultation, number, counts={s: stored.get(s, 0) for s in TRACE_STATES})


def fill(store: Store, consultation_id: int) -> bool:
    """Compute and store a consultation's trace unless it goes into the latest version
    already (checked inside the write transaction); return whether it was computed."""
    with store.transaction():
        consultation = store.get_consultation(consultation_id)
        number = later_version(store, consultation, None)
        if number is None or store.traced_version(consultation_id) == number:
            return False
        rebuild(store, consultation)
        return True


def fill_all(store: Store) -> int:
    """Store the trace of every consultation whose stored trace does not go into its draft's
    latest version (after an upgrade; run when the app starts, before any page is served, so
    that no request pays for it); return how many were traced.  A database that cannot be
    written is left as it is (its pages compute the trace)."""
    filled = 0
    try:
        for consultation in store.list_consultations():
            number = later_version(store, consultation, None)
            if number is not None and store.traced_version(consultation.id) != number:
                filled += fill(store, consultation.id)
    except StorageError:
        pass
    return filled


def rebuild_now(store: Store, consultation_id: int) -> Trace:
    """Compute and store a consultation's trace again, in its own transaction (``drafter
    trace --rebuild``); return it."""
    with store.transaction():
        return rebuild(store, store.get_consultation(consultation_id))


def stored_items(store: Store, consultation: Consultation, comments: list[Comment]) -> Trace:
    """Return `comments` with their stored traces (filled first when needed, as
    :func:`current`); version None when there is no later version."""
    counted = current(store, consultation)
    if counted.version is None:
        return Trace(consultation, None, comments)
    if counted.items:  # computed live (read-only database)
        items = {c.id: counted.items[c.id] for c in comments if c.id in counted.items}
    else:
        items = store.traces_of([c.id for c in comments])
    return Trace(consultation, counted.version, comments, items, counted.counts)
