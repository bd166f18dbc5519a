"""The PostgreSQL backend: :class:`PostgresStore`, the query mixins of the SQLite backend
(their SQL is the shared dialect, rewritten where PostgreSQL spells it otherwise by
:mod:`.dialect`) over a pooled psycopg connection (:mod:`.connection`), with the few
methods whose SQL cannot be shared replaced (:mod:`.search`)."""

from __future__ import annotations

from ..contract import Store
from ..sqlite.accounts import AccountQueries
from ..sqlite.article_pages import ArticlePageQueries
from ..sqlite.audit import AuditQueries
from ..sqlite.consultations import ConsultationQueries
from ..sqlite.drafts import DraftQueries
from ..sqlite.figures import FigureQueries
from ..sqlite.followup import FollowUpQueries
from ..sqlite.groups import GroupQueries
from ..sqlite.jobs import ExportJobQueries
from ..sqlite.letters import LetterQueries
from ..sqlite.outbox import OutboxQueries
from ..sqlite.people import PeopleQueries
from ..sqlite.review import ReviewQueries
from ..sqlite.settings import SettingQueries
from .connection import PostgresConnection
from .search import PostgresSearch

__all__ = ["PostgresStore", "is_postgres_url"]


def is_postgres_url(location: str) -> bool:
    """Whether `location` names a PostgreSQL database (``postgresql://`` or ``postgres://``)."""
    return location.startswith(("postgresql://", "postgres://"))


class PostgresStore(
    PostgresSearch,
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
    PostgresConnection,
    Store,
):
    """A store in one PostgreSQL database, given by its URL."""
