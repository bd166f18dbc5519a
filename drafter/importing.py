"""Importing a draft file into the store: parse, then store it as one transaction."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .errors import N_, DraftImportError
from .matching import match_articles, with_containers
from .model import ArticleMatch, Draft, ParsedDraft, Version
from .reading import parse_bytes
from .references import stale
from .storage import Store
from .traces import version_added


@dataclass
class ImportResult:
    """What one import stored: the draft, the new version, the parsed tree, the matches
    with the previous version (empty for a first version)."""

    draft: Draft
    version: Version
    parsed: ParsedDraft
    matches: list[ArticleMatch]


def import_file(
    store: Store,
    path: str | Path,
    *,
    draft_id: int | None = None,
    title: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Import the draft file at `path`, as a new draft or as the next version of `draft_id`."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DraftImportError(
            N_("cannot read the file (%(reason)s)"), source=str(path), reason=exc.strerror
        ) from exc
    return import_bytes(store, data, path.name, draft_id=draft_id, title=title, progress=progress)


def import_bytes(
    store: Store,
    data: bytes,
    name: str,
    *,
    draft_id: int | None = None,
    title: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Import a draft file's contents; nothing is written unless the whole import succeeds."""
    parsed = parse_bytes(data, name)
    if draft_id is not None:
        store.get_draft(draft_id)  # NotFound before any work
    return import_parsed(
        store, parsed, data, name, draft_id=draft_id, title=title, progress=progress
    )


def import_parsed(
    store: Store,
    parsed: ParsedDraft,
    data: bytes,
    name: str,
    *,
    draft_id: int | None = None,
    title: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Store an already parsed draft file as a new draft or the next version of `draft_id`;
    return what was stored.  The writes run in `store.transaction()`, so that inside a
    caller's transaction they commit (or roll back) with the caller's other writes."""
    version_title = title or parsed.title or Path(name).stem
    with store.transaction():
        if draft_id is None:
            draft_id = store.create_draft(version_title)
        previous = store.list_versions(draft_id)
        pairs = []
        if previous:
            old_tree = store.get_tree(previous[-1].id)
            pairs = match_articles(with_containers(old_tree), with_containers(parsed.nodes))
            # References left pointing at an article's old number join the import warnings.
            parsed.warnings.extend(stale(old_tree, parsed.nodes, pairs))
        version = store.add_version(
            draft_id,
            version_title,
            parsed.nodes,
            source_name=name,
            source_sha256=hashlib.sha256(data).hexdigest(),
            warnings=[str(w) for w in parsed.warnings],
            progress=progress,
        )
        matches: list[ArticleMatch] = []
        if previous:
            store.add_matches(
                version.id, [(a.id if a else None, b.id if b else None, m) for a, b, m in pairs]
            )
            matches = [m for _, _, m in pairs]
            # The consultations on earlier versions: their answers traced into this one.
            version_added(store, draft_id)
        draft = store.get_draft(draft_id)
    return ImportResult(draft, version, parsed, matches)
