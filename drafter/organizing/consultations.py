"""The organizer's consultations: opening one, inviting, sharing, closing, and the figures and
views the organizer reads (dashboard, an article with its comments)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from .. import consulting, responses, traces
from ..errors import N_, Conflict, InvalidInput
from ..model import (
    Comment,
    Consultation,
    Draft,
    Node,
    Submission,
    Unit,
    User,
    Version,
)
from ..model_followup import AnswerTemplate
from ..storage import Store
from ..tracing import Trace
from .rules import audit, require_organizer

#: Comment kinds counted as amendments and as remarks on the dashboard.
AMENDMENTS = ("new_wording", "add_after", "delete")
REMARKS = ("comment", "question")
#: The dashboard lists the comments on the draft as a whole this many at a time.
GENERAL_PER_PAGE = 50


@dataclass(frozen=True)
class Choices:
    """What a new consultation can be about and who can be invited."""

    versions: list[tuple[Draft, Version]]
    units: list[Unit]


def choices(store: Store, user: User) -> Choices:
    """Return the versions and the units a new consultation can choose from."""
    require_organizer(user)
    versions = [(d, v) for d in store.list_drafts() for v in store.list_versions(d.id)]
    return Choices(versions, store.list_units())


def to_utc(local: str, field: str, zone: str) -> str:
    """Return a wall-clock time typed in `zone` ("2026-12-04T17:00") as stored UTC text."""
    try:
        value = datetime.fromisoformat(local)
        if value.tzinfo is None:
            value = value.replace(tzinfo=ZoneInfo(zone))
        return value.astimezone(ZoneInfo("UTC")).isoformat()
    except (ValueError, OverflowError) as exc:  # not a date, or past year 1 or 9999
        raise InvalidInput(N_("The %(field)s is not a date and time."), field=field) from exc


def create_consultation(
    store: Store,
    user: User,
    *,
    version_id: int | None,
    title: str | None,
    opens: str,
    deadline: str,
    unit_ids: list[int],
    zone: str,
    now: str,
) -> int:
    """Open a consultation on a version for the chosen units; times are typed in `zone`.
    Return its id; raise InvalidInput naming the first problem of the form."""
    require_organizer(user)
    offered = choices(store, user)
    if version_id not in {v.id for _d, v in offered.versions}:
        raise InvalidInput(N_("Choose the version to consult on."))
    clean_title = consulting.clean_text(title, field=N_("title"), required=True)
    opens_at = to_utc(opens, N_("opening time"), zone)
    deadline_at = to_utc(deadline, N_("deadline"), zone)
    if deadline_at <= opens_at:
        raise InvalidInput(N_("The deadline must come after the opening time."))
    if not unit_ids or not set(unit_ids) <= {u.id for u in offered.units}:
        raise InvalidInput(N_("Invite at least one unit."))
    assert version_id is not None
    with store.transaction():
        consultation_id = store.create_consultation(
            version_id,
            clean_title,
            opens_at=opens_at,
            deadline=deadline_at,
            unit_ids=unit_ids,
            now=now,
        )
        audit(store, user, "consultation.create", consultation_id, now, clean_title)
        traces.opened(store, consultation_id, now=now)  # on an old version: traced, empty
    return consultation_id


def close_consultation(store: Store, user: User, consultation_id: int, now: str) -> None:
    """Close a consultation: everything in it becomes read-only."""
    require_organizer(user)
    with store.transaction():
        if store.get_consultation(consultation_id).closed_at:
            raise Conflict(N_("The consultation is already closed."))
        store.close_consultation(consultation_id, now=now)
        audit(store, user, "consultation.close", consultation_id, now)


def invite_unit(store: Store, user: User, consultation_id: int, unit_id: int, now: str) -> Unit:
    """Invite one more unit to a consultation; return the unit."""
    require_organizer(user)
    with store.transaction():
        store.get_consultation(consultation_id)
        unit = store.get_unit(unit_id)
        store.invite_unit(consultation_id, unit.id, now=now)
        audit(store, user, "consultation.invite", consultation_id, now, unit.name)
    return unit


def share_submitted(store: Store, user: User, consultation_id: int, share: bool, now: str) -> None:
    """Let invited units read each other's submitted comments, or stop it."""
    require_organizer(user)
    with store.transaction():
        store.get_consultation(consultation_id)
        store.set_share_submitted(consultation_id, share)
        audit(store, user, "consultation.share", consultation_id, now, "1" if share else "0")


@dataclass(frozen=True)
class ArticleFigures:
    """How many submitted remarks, amendments and agreements an article received."""

    article: Node
    remarks: int
    amendments: int
    agreements: int  # units agreeing as drafted, without contradicting themselves
    contradictions: int = 0  # units agreeing AND commenting or proposing on it


@dataclass(frozen=True)
class Dashboard:
    """What the organizer sees of a consultation at a glance."""

    consultation: Consultation
    phase: str
    progress: list[tuple[Unit, consulting.UnitState, Submission | None]]
    articles: list[ArticleFigures]
    top: int  # the most remarks and amendments any article received (at least 1)
    general: list[Comment]
    unpublished: dict[int, int]  # unit id -> answers not yet published to it
    deadlines: dict[int, str]  # unit id -> its own later deadline
    templates: list[AnswerTemplate]
    trace: Trace | None = None  # the answers traced into the latest version, if any
    general_total: int = 0  # submitted comments on the draft as a whole, all pages
    general_page: int = 1  # `general` is this page of them (GENERAL_PER_PAGE a page)
    general_pages: int = 1


def dashboard(
    store: Store,
    user: User,
    consultation_id: int,
    *,
    most_first: bool,
    now: str,
    general_page: int | None = None,
) -> Dashboard:
    """Return the units' progress and the figures per article (in draft order, or the most
    commented first), and a page of the comments on the draft as a whole (`general_page`,
    from 1; the last when past it)."""
    require_organizer(user)
    consultation = store.get_consultation(consultation_id)
    units = store.unit_progress(consultation_id)
    progress = [
        (item.unit, consulting.state_of(item.live_comments, item.latest), item.latest)
        for item in units
    ]
    # Counted by the database (aggregate queries over kept counts), not by reading comments.
    counts = store.article_counts(consultation_id, submitted_only=True)
    flagged = responses.contradicting_units(store, consultation_id)
    articles = []
    for article in store.iter_articles(consultation.version_id):
        bucket = counts.get(article.key, {})
        articles.append(
            ArticleFigures(
                article,
                sum(bucket.get(k, 0) for k in REMARKS),
                sum(bucket.get(k, 0) for k in AMENDMENTS),
                bucket.get("agree", 0) - flagged.get(article.key, 0),
                flagged.get(article.key, 0),
            )
        )
    if most_first:
        articles.sort(key=lambda a: (-(a.remarks + a.amendments), -a.agreements))
    top = max([a.remarks + a.amendments for a in articles] + [1])
    # A page of them, counted by the kept counts: never every comment on the draft as a whole.
    general_total = sum(counts.get("", {}).values())
    pages = max(1, -(-general_total // GENERAL_PER_PAGE))
    page = min(max(1, general_page or 1), pages)
    general = store.general_comment_page(
        consultation_id, limit=GENERAL_PER_PAGE, offset=(page - 1) * GENERAL_PER_PAGE
    )
    return Dashboard(
        consultation, consulting.phase(consultation, now), progress, articles, top, general,
        store.unpublished_answers(consultation_id),
        {i.unit.id: i.deadline for i in units if i.deadline},
        store.list_answer_templates(),
        traces.current(store, consultation),  # counts by state, stored (drafter.traces)
        general_total, page, pages,
    )  # fmt: skip
