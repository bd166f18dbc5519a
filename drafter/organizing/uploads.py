"""The organizer's uploads: staging a file, previewing its structure, confirming or discarding."""

from __future__ import annotations

from dataclasses import dataclass

from ..consulting import clean_text
from ..errors import N_, InvalidInput
from ..importing import ImportResult, import_parsed
from ..matching import match_articles, with_containers
from ..model import Draft, ParsedDraft, PendingUpload, User
from ..reading import parse_bytes
from ..references import stale
from ..storage import Store
from .rules import require_organizer as _organizer


@dataclass(frozen=True)
class UploadPreview:
    """A pending upload as the organizer checks it before confirming."""

    pending: PendingUpload
    parsed: ParsedDraft
    draft: Draft | None


def stage_upload(
    store: Store,
    user: User,
    name: str,
    data: bytes,
    *,
    draft_id: int | None,
    title: str,
    now: str,
) -> int:
    """Keep an uploaded file for preview once it parses; return the pending upload's id.

    Raise InvalidInput without a file, NotFound for an unknown draft, DraftImportError for a
    file that cannot be read as a draft (nothing is kept then)."""
    _organizer(user)
    if not name:
        raise InvalidInput(N_("Choose a file to upload (.docx, .md or .txt)."))
    if draft_id is not None:
        store.get_draft(draft_id)
    parse_bytes(data, name)  # refuse unreadable files before keeping anything
    with store.transaction():
        return store.add_pending_upload(
            user.id,
            name,
            data,
            draft_id=draft_id,
            title=clean_text(title, field=N_("title")),
            now=now,
        )


def preview_upload(store: Store, user: User, upload_id: int) -> UploadPreview:
    """Return the user's pending upload, parsed for display, and the draft it would extend."""
    _organizer(user)
    pending = store.get_pending_upload(upload_id, user.id)
    parsed = parse_bytes(pending.data, pending.name)
    draft = store.get_draft(pending.draft_id) if pending.draft_id else None
    if draft is not None:  # what the import will say of references left on old numbers
        old_tree = store.get_tree(store.get_version(draft.id).id)
        pairs = match_articles(with_containers(old_tree), with_containers(parsed.nodes))
        parsed.warnings.extend(stale(old_tree, parsed.nodes, pairs))
    return UploadPreview(pending, parsed, draft)


def confirm_upload(store: Store, user: User, upload_id: int, now: str) -> ImportResult:
    """Import the user's pending upload as a new version; return what was stored.

    The import, its audit row and the removal of the pending upload are one transaction: a
    failure leaves no new version and the upload still pending, and a second confirmation
    finds no pending upload (NotFound) instead of importing the same file again."""
    _organizer(user)
    with store.transaction():
        pending = store.get_pending_upload(upload_id, user.id)
        parsed = parse_bytes(pending.data, pending.name)
        result = import_parsed(
            store,
            parsed,
            pending.data,
            pending.name,
            draft_id=pending.draft_id,
            title=pending.title or None,
        )
        store.add_audit(
            user.id,
            "version.import",
            f"draft {result.draft.id}",
            now=now,
            details=f"version {result.version.number}: {pending.name}",
        )
        store.delete_pending_upload(upload_id)
    return result


def discard_upload(store: Store, user: User, upload_id: int) -> None:
    """Delete the user's pending upload without importing it."""
    _organizer(user)
    with store.transaction():
        store.get_pending_upload(upload_id, user.id)
        store.delete_pending_upload(upload_id)
