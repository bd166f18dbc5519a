"""The demo database: the sample draft's versions from drafts/ and a consultation on version 1
loaded from comments/, with accounts whose fresh passwords are printed once."""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from . import accounts, answering, consulting, scale, traces
from .config import is_postgres
from .errors import N_, InvalidInput
from .importing import import_file
from .model import User
from .storage import Store, open_store

PROJECT_DIR = Path(__file__).resolve().parent.parent
_VERSIONED = re.compile(r"^(?P<stem>.+)-v(?P<number>\d+)$")
ORGANIZER = "bantochuc"


def sample_series(drafts_dir: Path) -> dict[str, list[Path]]:
    """Return the Markdown drafts of a folder grouped by draft, versions in order:
    ``name-v1.md``, ``name-v2.md`` are two versions of ``name``."""
    series: dict[str, list[tuple[int, Path]]] = {}
    for path in sorted(drafts_dir.glob("*.md")):
        match = _VERSIONED.match(path.stem)
        stem, number = (match["stem"], int(match["number"])) if match else (path.stem, 1)
        series.setdefault(stem, []).append((number, path))
    return {stem: [p for _, p in sorted(items)] for stem, items in series.items()}


def _password() -> str:
    return secrets.token_urlsafe(9)


def build(
    db_path: Path | str,
    *,
    drafts_dir: Path | None = None,
    comments_dir: Path | None = None,
    echo: Callable[[str], None] = print,
    scale: int = 0,
    units: int = 60,
) -> str:
    """Build a fresh demo database at `db_path`; print the accounts; return a summary.  With
    `scale`, also a consultation with `scale` generated comments from `units` units
    (:mod:`drafter.scale`)."""
    drafts_dir = drafts_dir or PROJECT_DIR / "drafts"
    comments_dir = comments_dir or PROJECT_DIR / "comments"
    for folder in (drafts_dir, comments_dir):  # checked before the old database is removed
        if not folder.is_dir():
            raise InvalidInput(N_("The folder %(path)s does not exist."), path=str(folder))
    if not is_postgres(str(db_path)):  # a PostgreSQL database is emptied by the caller
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    store = open_store(db_path)
    try:
        versions_by_source: dict[str, int] = {}
        drafts = 0
        for paths in sample_series(drafts_dir).values():
            draft_id = None
            for path in paths:
                result = import_file(store, path, draft_id=draft_id)
                draft_id = result.draft.id
                versions_by_source[path.name] = result.version.id
                echo(
                    f"  {path.name}: draft {draft_id} version {result.version.number}, "
                    f"{result.parsed.count('article')} articles"
                )
            drafts += 1
        password = _password()
        organizer_id = accounts.create_organizer(
            store, ORGANIZER, "Ban Tổ chức Trung ương", password
        )
        logins = [(ORGANIZER, password, "organizer")]
        loaded = 0
        for path in sorted(comments_dir.glob("*.json")):
            data = json.loads(path.read_text(encoding="utf-8"))
            loaded += load_consultation(
                store, data, versions_by_source, store.get_user(organizer_id), logins
            )
        generated = ""
        if scale:
            generated = _build_scale(
                store, versions_by_source, organizer_id, scale, units, logins, echo
            )
        echo("Demo accounts (passwords are new at each build):")
        for username, password, role in logins:
            echo(f"  {username:<22} {password:<14} {role}")
    finally:
        store.close()
    return (
        f"Demo database {db_path}: {drafts} draft(s), {len(versions_by_source)} version(s), "
        f"{loaded} comment(s){generated}."
    )


def _build_scale(
    store: Store,
    versions_by_source: dict[str, int],
    organizer_id: int,
    comments: int,
    units: int,
    logins: list[tuple[str, str, str]],
    echo: Callable[[str], None],
) -> str:
    """Add the generated consultation on the first version of the first sample draft."""
    version_id = next(iter(versions_by_source.values()))
    password = _password()
    echo(f"Generating a consultation with {comments:,} comments from {units} units:")
    built = scale.build_consultation(
        store, version_id, organizer_id, comments=comments, units=units, password=password,
        echo=echo,
    )  # fmt: skip
    first, last = built.units[0], built.units[-1]
    logins.append((first[2][0][1], password, f"lead, {first[1]} (submitted)"))
    logins.append((last[2][0][1], password, f"lead, {last[1]} (drafting)"))
    logins.append(("tinhNNN-1, -2", password, f"every generated delegate ({2 * units})"))
    return f", and {comments:,} generated comment(s) from {units} unit(s)"


def load_consultation(
    store: Store,
    data: dict,
    versions_by_source: dict[str, int],
    organizer: User,
    logins: list[tuple[str, str, str]],
) -> int:
    """Create the consultation a comments file describes, moved in time so that it is open
    now (the file's dates keep their offsets), with its units, delegates and comments."""
    meta = data["consultation"]
    if meta["draft"] not in versions_by_source:
        raise InvalidInput(
            f"The comments file names a draft that is not in drafts/: {meta['draft']}"
        )
    original_open = datetime.fromisoformat(meta["opens"]).replace(tzinfo=UTC)
    opens = datetime.now(UTC).replace(microsecond=0, second=0) - timedelta(days=21)
    shift = opens - original_open
    deadline = opens + timedelta(days=45)
    units, delegates = {}, {}
    for unit in data["units"]:
        units[unit["code"]] = accounts.create_unit(store, unit["code"], unit["name"], unit["kind"])
        for i, delegate in enumerate(unit["delegates"], start=1):
            username, password = f"{unit['code']}-{i}", _password()
            user_id, _token = accounts.create_delegate(
                store,
                units[unit["code"]],
                username,
                delegate["name"],
                is_lead=delegate["role"] == "lead",
                password=password,
            )
            delegates[(unit["code"], delegate["name"])] = store.get_user(user_id)
            logins.append((username, password, f"{delegate['role']}, {unit['name']}"))
    with store.transaction():
        consultation_id = store.create_consultation(
            versions_by_source[meta["draft"]],
            meta["title"],
            opens_at=opens.isoformat(),
            deadline=deadline.isoformat(),
            unit_ids=list(units.values()),
            now=opens.isoformat(),
        )
    consultation = store.get_consultation(consultation_id)
    count = 0
    answers = []
    for item in sorted(data["comments"], key=lambda c: c["created_at"]):
        when = datetime.fromisoformat(item["created_at"]).astimezone(UTC) + shift
        user = delegates[(item["unit"], item["author"])]
        key = _target_key(store, consultation.version_id, item)
        comment_id = consulting.add_comment(
            store,
            user,
            consultation,
            key=key,
            kind=item["kind"],
            text=item["text"] or "",
            proposed_text=item.get("proposed_text"),
            now=when.isoformat(),
        )
        count += 1
        if item.get("answer"):
            answers.append((comment_id, item["answer"]))
    submit_at = (datetime.now(UTC) - timedelta(days=1)).replace(microsecond=0).isoformat()
    for unit in data["units"]:
        lead = next(d for (code, _), d in delegates.items() if code == unit["code"] and d.is_lead)
        if unit.get("response") in ("submitted", "no_comments"):
            consulting.submit(
                store,
                lead,
                consultation,
                no_comments=unit["response"] == "no_comments",
                now=submit_at,
            )
    for comment_id, item in answers:
        consulting.answer(
            store,
            organizer,
            comment_id,
            status=item["status"],
            explanation=item["explanation"],
            now=submit_at,
        )
    # Published, so that the demo's delegates read the answers to their comments; answers
    # written in the demo from now on wait for the organizer's "Publish".
    answering.publish_answers(store, organizer, consultation_id, unit_id=None, now=submit_at)
    traces.fill(store, consultation_id)  # the answers traced into a later version, stored
    return count


def _target_key(store: Store, version_id: int, item: dict) -> str | None:
    if item.get("article") is None:
        return None
    (article,) = store.find_articles(version_id, str(item["article"]))
    node = article
    if item.get("clause"):
        node = next(
            c for c in node.children if c.kind == "clause" and c.number == str(item["clause"])
        )
    if item.get("point"):
        node = next(p for p in node.children if p.kind == "point" and p.number == item["point"])
    return node.key
