"""Importing a unit's returned Word file: its tracked changes become proposals and its Word
comments become comments, provision by provision, as the unit's internal drafts.

`stage` keeps the file (server-side, in a pending row) once it reads as a copy of the
draft; `preview` reads it again and says what confirming would add, what is already there
and what could not be placed; `confirm` adds the new items in one transaction, credited to
the uploading delegate (or entered by the organizer for the unit), with each item's Word
author and date kept.  Nothing is submitted.  An item is known by its provision and content:
the same file twice adds nothing, and a revised file lists what disappeared since the last.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from . import consulting, review_copy
from .docx.review_reader import read_review
from .errors import N_, Conflict, InvalidInput, NotFound
from .model import Comment, Consultation, Node, Unit, User
from .organizing import on_behalf
from .review_map import Item, NotACopy, Placement, Unplaced, place
from .storage import Store
from .texts import MAX_TEXT

#: An item drafter could not save as a comment (consulting.validate would refuse it): listed
#: with what could not be placed, so that the rest of the file can still be confirmed.
TOO_LONG = N_("too long: a comment or proposal holds at most 20,000 characters")

NOT_A_COPY = N_(
    "This Word file is not a copy of this consultation's draft: download the unit's review "
    "copy from the consultation page, edit it and upload it again."
)


@dataclass(frozen=True)
class ReviewPreview:
    """What confirming a returned file would do."""

    upload_id: int | None
    name: str
    consultation: Consultation
    unit: Unit
    new: list[Item]  # to add
    known: list[Item]  # already added by an earlier upload
    unplaced: list[Unplaced]
    disappeared: list[Comment]  # from the last upload, not in this file (still live)
    anchored: bool


def read_placement(
    consultation: Consultation, nodes: list[Node], unit: Unit, data: bytes, name: str
) -> Placement:
    """Return the items of a returned file placed on the consulted version; refuse a file
    that is not a copy of it (InvalidInput) or not a readable DOCX (DraftImportError)."""
    actual = read_review(data, source=name)
    said = actual.properties
    meta = review_copy.meta_of(consultation, nodes, unit)
    if said.get("drafter.consultation") or said.get("drafter.fingerprint"):
        if said.get("drafter.fingerprint") != meta.fingerprint:
            raise InvalidInput(NOT_A_COPY)
        if said.get("drafter.unit") not in (None, unit.code):
            raise InvalidInput(
                N_("This Word file is the review copy of another unit (%(code)s)."),
                code=said.get("drafter.unit"),
            )
    expected = read_review(review_copy.render(consultation, nodes, unit), source="review copy")
    try:
        return place(expected, actual, nodes)
    except NotACopy as exc:
        raise InvalidInput(NOT_A_COPY) from exc


def _pending_in(consultation_id: int | None, found: int, upload_id: int) -> None:
    """Refuse a pending file reached through another consultation's address."""
    if consultation_id is not None and found != consultation_id:
        raise NotFound(N_("There is no pending Word file %(id)s."), id=upload_id)


def discard(
    store: Store, user: User, upload_id: int, now: str, *, consultation_id: int | None = None
) -> None:
    """Forget the user's pending file without adding anything."""
    with store.transaction():
        upload, _data = store.get_review_upload(upload_id, user.id)
        _pending_in(consultation_id, upload.consultation_id, upload_id)
        store.delete_review_upload(upload_id)
        store.add_audit(
            user.id, "review.discard", f"review {upload_id}", now=now,
            consultation_id=upload.consultation_id, details=upload.name,
        )  # fmt: skip


def _check(store: Store, user: User, consultation: Consultation, unit: Unit, now: str) -> None:
    """Refuse unless the user may add drafts to the unit's response now."""
    if user.is_organizer:
        on_behalf._not_closed(consultation, now)
        if store.has_standing_submission(consultation.id, unit.id):
            raise Conflict(N_("The unit's response is submitted: nothing can be added to it."))
    else:
        consulting._writable(store, user, consultation, now)


def stage(
    store: Store,
    user: User,
    consultation_id: int,
    unit_code: str,
    name: str,
    data: bytes,
    *,
    now: str,
) -> int:
    """Keep a returned file for preview once it reads as a copy; return its pending id."""
    consultation, unit = review_copy.invited_unit(store, user, consultation_id, unit_code)
    if not name or not data:
        raise InvalidInput(N_("Choose the Word file (.docx) to upload."))
    _check(store, user, consultation, unit, now)
    read_placement(consultation, store.get_tree(consultation.version_id), unit, data, name)
    with store.transaction():
        upload_id = store.add_review_upload(
            consultation.id, unit.id, user.id, name=name[:200],
            sha256=hashlib.sha256(data).hexdigest(), data=data, now=now,
        )  # fmt: skip
        store.add_audit(
            user.id, "review.upload", f"review {upload_id}", now=now,
            consultation_id=consultation.id, details=f"{unit.name}: {name[:200]}",
        )  # fmt: skip
    return upload_id


def _preview(
    store: Store,
    consultation: Consultation,
    unit: Unit,
    data: bytes,
    name: str,
    upload_id: int | None,
) -> ReviewPreview:
    placement = read_placement(
        consultation, store.get_tree(consultation.version_id), unit, data, name
    )
    live = {c.id: c for c in store.list_comments(consultation.id, unit_id=unit.id)}
    rows = store.review_items(consultation.id, unit.id)
    known_keys = {row.item_key for row in rows}  # withdrawn ones too: the unit let them go
    new: list[Item] = []
    known: list[Item] = []
    seen: set[str] = set()
    unplaced = list(placement.unplaced)
    for item in placement.items:
        if item.identity in seen:
            continue
        seen.add(item.identity)
        if max(len(item.text), len(item.proposed)) > MAX_TEXT:
            where = f"{item.heading}: " if item.heading else ""
            unplaced.append(Unplaced(f"{where}{(item.text or item.proposed)[:300]}…", TOO_LONG))
            continue
        (known if item.identity in known_keys else new).append(item)
    latest = store.review_items(consultation.id, unit.id, latest_only=True)
    gone = [live[r.comment_id] for r in latest if r.item_key not in seen and r.comment_id in live]
    return ReviewPreview(
        upload_id, name, consultation, unit, new, known, unplaced, gone,
        placement.anchored,
    )  # fmt: skip


def preview(store: Store, user: User, upload_id: int) -> ReviewPreview:
    """Return what confirming the user's pending file would add."""
    upload, data = store.get_review_upload(upload_id, user.id)
    consultation = store.get_consultation(upload.consultation_id)
    unit = store.get_unit(upload.unit_id)
    review_copy.invited_unit(store, user, consultation.id, unit.code)
    return _preview(store, consultation, unit, data, upload.name, upload_id)


def preview_bytes(
    store: Store, user: User, consultation_id: int, unit_code: str, name: str, data: bytes
) -> ReviewPreview:
    """Return what importing `data` would add, without keeping anything (the CLI's dry run)."""
    consultation, unit = review_copy.invited_unit(store, user, consultation_id, unit_code)
    return _preview(store, consultation, unit, data, name, None)


def _add(
    store: Store, user: User, preview_: ReviewPreview, item: Item, now: str, quota: int | None
) -> int:
    kind = item.kind
    text = item.text
    proposed = item.proposed if kind == "new_wording" else None
    if user.is_organizer:
        return on_behalf.add_comment_for_unit(
            store, user, preview_.consultation.id, preview_.unit.id, key=item.key, kind=kind,
            text=text, proposed_text=proposed, now=now,
        )  # fmt: skip
    return consulting.add_comment(
        store, user, preview_.consultation, key=item.key, kind=kind, text=text,
        proposed_text=proposed, now=now, quota=quota,
    )  # fmt: skip


@dataclass(frozen=True)
class ReviewResult:
    added: int
    known: int
    preview: ReviewPreview


def confirm(
    store: Store,
    user: User,
    upload_id: int,
    now: str,
    *,
    quota: int | None = None,
    consultation_id: int | None = None,
) -> ReviewResult:
    """Add the new items of the user's pending file as the unit's drafts, all or none
    (`quota`: the most comments a unit may write, as for comments typed in drafter;
    `consultation_id`: the consultation the file must belong to, when the address names it)."""
    with store.transaction():
        shown = preview(store, user, upload_id)
        _pending_in(consultation_id, shown.consultation.id, upload_id)
        _check(store, user, shown.consultation, shown.unit, now)
        by_identity = {
            row.item_key: row.comment_id
            for row in store.review_items(shown.consultation.id, shown.unit.id)
        }
        for item in shown.new:
            comment_id = _add(store, user, shown, item, now, quota)
            store.add_review_item(
                upload_id, item.identity, comment_id, word_author=item.author, word_date=item.date
            )
        for item in shown.known:
            store.add_review_item(
                upload_id, item.identity, by_identity[item.identity],
                word_author=item.author, word_date=item.date,
            )  # fmt: skip
        store.confirm_review_upload(upload_id, now=now)
        store.add_audit(
            user.id, "review.import", f"review {upload_id}", now=now,
            consultation_id=shown.consultation.id,
            details=f"{shown.unit.name}: {len(shown.new)} added, {len(shown.known)} known",
        )  # fmt: skip
    return ReviewResult(len(shown.new), len(shown.known), shown)


def _operator(store: Store, unit_code: str, username: str | None) -> User:
    """Return the account the CLI acts as: `username`, or else the first organizer."""
    users = store.list_users()
    if username:
        for user in users:
            if user.username == username and not user.disabled:
                return user
        raise NotFound(N_("There is no active account called “%(name)s”."), name=username)
    for user in users:
        if user.is_organizer and not user.disabled:
            return user
    raise NotFound(N_("There is no organizer account: name one with --as."))


def import_file(
    store: Store,
    consultation_id: int,
    unit_code: str,
    name: str,
    data: bytes,
    *,
    username: str | None,
    dry_run: bool,
    now: str,
) -> ReviewResult:
    """Import a returned file at once as `username` (the CLI): the preview, then the new
    items saved (none with `dry_run`)."""
    user = _operator(store, unit_code, username)
    if dry_run:
        return ReviewResult(
            0, 0, preview_bytes(store, user, consultation_id, unit_code, name, data)
        )
    upload_id = stage(store, user, consultation_id, unit_code, name, data, now=now)
    return confirm(store, user, upload_id, now)
