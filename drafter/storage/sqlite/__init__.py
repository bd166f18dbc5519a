"""The SQLite backend: one class, :class:`SQLiteStore`, made of one query mixin per area of
the store contract (:mod:`drafter.storage.contract`).  Every SQL statement that drafter runs on
SQLite is in this package."""

from __future__ import annotations

from ..contract import Store
from .accounts import AccountQueries
from .article_pages import ArticlePageQueries
from .audit import AuditQueries
from .connection import Connection
from .consultations import ConsultationQueries
from .drafts import DraftQueries
from .figures import FigureQueries
from .followup import FollowUpQueries
from .groups import GroupQueries
from .jobs import ExportJobQueries
from .letters import LetterQueries
from .outbox import OutboxQueries
from .people import PeopleQueries
from .review import ReviewQueries
from .settings import SettingQueries

__all__ = ["SQLiteStore"]


class SQLiteStore(
    ExportJobQueries,
    ArticlePageQueries,
    FigureQueries,
    DraftQueries,
    ConsultationQueries,
    AccountQueries,
    AuditQueries,
    LetterQueries,
    ReviewQueries,
    PeopleQueries,
    OutboxQueries,
    FollowUpQueries,
    GroupQueries,
    SettingQueries,
    Connection,
    Store,
):
    """A store in one SQLite file (or ``:memory:``)."""
