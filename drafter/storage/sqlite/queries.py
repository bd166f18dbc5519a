"""Every query class of the shared SQL, together: both stores are made of :class:`Queries`
over their own connection (SQLite's :class:`~.connection.Connection`, PostgreSQL's adapter), so
a query class added here serves both backends at once."""

from __future__ import annotations

from .accounts import AccountQueries
from .article_pages import ArticlePageQueries
from .audit import AuditQueries
from .comment_lists import CommentListQueries
from .consultations import ConsultationQueries
from .drafts import DraftQueries
from .figures import FigureQueries
from .followup import FollowUpQueries
from .groups import GroupQueries
from .jobs import ExportJobQueries
from .letters import LetterQueries
from .outbox import OutboxQueries
from .own_pages import OwnPageQueries
from .people import PeopleQueries
from .review import ReviewQueries
from .settings import SettingQueries
from .traces import TraceQueries
from .write_path import WritePathQueries

__all__ = ["Queries"]


class Queries(
    WritePathQueries,
    ExportJobQueries,
    ArticlePageQueries,
    CommentListQueries,
    OwnPageQueries,
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
    TraceQueries,
):
    """One query mixin per area of the store contract (:mod:`drafter.storage.contract`)."""
