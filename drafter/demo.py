"""The demo database: the sample draft's versions from drafts/, ready for `make run`."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from .importing import import_file
from .storage import open_store

PROJECT_DIR = Path(__file__).resolve().parent.parent
_VERSIONED = re.compile(r"^(?P<stem>.+)-v(?P<number>\d+)$")


def sample_series(drafts_dir: Path) -> dict[str, list[Path]]:
    """Return the Markdown drafts of a folder grouped by draft, versions in order:
    ``name-v1.md``, ``name-v2.md`` are two versions of ``name``."""
    series: dict[str, list[tuple[int, Path]]] = {}
    for path in sorted(drafts_dir.glob("*.md")):
        match = _VERSIONED.match(path.stem)
        stem, number = (match["stem"], int(match["number"])) if match else (path.stem, 1)
        series.setdefault(stem, []).append((number, path))
    return {stem: [p for _, p in sorted(items)] for stem, items in series.items()}


def build(
    db_path: Path, *, drafts_dir: Path | None = None, echo: Callable[[str], None] = print
) -> str:
    """Build a fresh demo database at `db_path`; return a one-line summary."""
    drafts_dir = drafts_dir or PROJECT_DIR / "drafts"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    store = open_store(db_path)
    try:
        drafts = versions = 0
        for _stem, paths in sample_series(drafts_dir).items():
            draft_id = None
            for path in paths:
                result = import_file(store, path, draft_id=draft_id)
                draft_id = result.draft.id
                versions += 1
                echo(
                    f"  {path.name}: draft {draft_id} version {result.version.number}, "
                    f"{result.parsed.count('article')} articles"
                )
            drafts += 1 if paths else 0
    finally:
        store.close()
    return f"Demo database {db_path}: {drafts} draft(s), {versions} version(s)."
