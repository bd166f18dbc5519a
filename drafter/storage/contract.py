"""The store contract: what every database backend implements, split by area.

Use cases and the web and CLI edges speak only to these protocols; SQLite
(:mod:`drafter.storage.sqlite`) implements them today, and another backend implements the same
methods with the same arguments and results, returning the model's dataclasses.

Methods never commit: whoever owns the unit of work wraps it in ``with store.transaction():``,
which commits or rolls back as one; a ``transaction()`` inside another is a savepoint, whose
failure undoes only itself.  Methods that find nothing raise
:class:`~drafter.errors.NotFound` (``get_*``) or return None (``find_*``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Protocol

from ..model import (
    ArticleMatch,
    Comment,
    Consultation,
    Credentials,
    Draft,
    Invitation,
    LoginFailures,
    Node,
    Revision,
    Submission,
    Unit,
    UnitProgress,
    User,
    Version,
)
from .contract_audit import AuditStore
from .contract_figures import FigureStore
from .contract_followup import FollowUpStore
from .contract_groups import GroupStore
from .contract_letters import LetterStore
from .contract_mail import OutboxStore
from .contract_review import ReviewStore
from .contract_scale import ScaleStore
from .contract_settings import SettingStore
from .contract_trace import TraceStore
from .people_contract import PeopleStore

#: (old node id, new node id, how they match), as stored for a new version.
MatchRow = tuple[int | None, int | None, ArticleMatch]


class UnitOfWork(Protocol):
    """Transactions, schema and the connection itself."""

    read_only: bool

    def transaction(
        self, *, serialized: bool = True, unit: int | None = None
    ) -> AbstractContextManager[None]:
        """Return a context manager running its block as one unit of work.  `serialized`
        False is for a block whose writes guard themselves row by row (the claims of
        background work): on PostgreSQL it does not wait for the other writers' lock.  With
        `unit`, a block that reads and writes only that unit's own comments and state (a
        delegate's comment writes): on PostgreSQL it runs beside such blocks of other units,
        and one at a time with those of the same unit and with every other writer.  SQLite
        serializes every write transaction all the same; `unit` and `serialized` only matter
        for the outermost block."""
        ...

    def migrate(self) -> int:
        """Bring the schema up to date; return the schema version."""
        ...

    def schema_version(self) -> int:
        """Return the schema version of the database."""
        ...

    def backup(self, target: str | Path) -> None:
        """Write a consistent copy of the database to `target` while others keep writing."""
        ...

    def integrity(self) -> str:
        """Return the database's own integrity check: "ok" when sound (on PostgreSQL maybe
        followed by what could not be checked, in parentheses), else the problems found."""
        ...

    def close(self) -> None:
        """Close the connection."""
        ...


class DraftStore(Protocol):
    """Drafts, their versions, each version's tree of nodes, and article matches."""

    def create_draft(self, title: str) -> int:
        """Create a draft; return its id."""
        ...

    def get_draft(self, draft_id: int) -> Draft:
        """Return draft `draft_id`."""
        ...

    def list_drafts(self) -> list[Draft]:
        """Return every draft, oldest first."""
        ...

    def add_version(
        self,
        draft_id: int,
        title: str,
        nodes: list[Node],
        *,
        source_name: str,
        source_sha256: str,
        warnings: list[str],
        progress: Callable[[int, int], None] | None = None,
    ) -> Version:
        """Store `nodes` as the next version of a draft, set each node's id, index its
        articles for search; `progress(done, total)` is called after each node."""
        ...

    def get_version(self, draft_id: int, number: int | None = None) -> Version:
        """Return version `number` of a draft (the latest when None)."""
        ...

    def get_version_by_id(self, version_id: int) -> Version:
        """Return the version with this id."""
        ...

    def list_versions(self, draft_id: int) -> list[Version]:
        """Return every version of a draft, oldest first."""
        ...

    def get_tree(self, version_id: int) -> list[Node]:
        """Return the top-level nodes of a version, each with its whole subtree."""
        ...

    def get_node(self, version_id: int, key: str) -> Node:
        """Return the node with `key` in a version, with its subtree."""
        ...

    def get_node_by_id(self, node_id: int) -> Node:
        """Return the node with this id, with its subtree."""
        ...

    def find_articles(self, version_id: int, number: str) -> list[Node]:
        """Return the articles numbered `number` in a version (usually one)."""
        ...

    def iter_articles(self, version_id: int) -> Iterator[Node]:
        """Yield every article of a version with its subtree, in document order."""
        ...

    def add_matches(self, version_id: int, matches: Sequence[MatchRow]) -> None:
        """Store how the articles of `version_id` match those of the previous version."""
        ...

    def get_matches(self, version_id: int) -> list[ArticleMatch]:
        """Return the article matches recorded for a version, in the new version's order."""
        ...


class ConsultationStore(Protocol):
    """Consultations, invited units, comments with revisions, submissions and answers."""

    def create_consultation(
        self,
        version_id: int,
        title: str,
        *,
        opens_at: str,
        deadline: str,
        unit_ids: list[int],
        now: str,
    ) -> int:
        """Create a consultation on a version, inviting `unit_ids`; return its id."""
        ...

    def get_consultation(self, consultation_id: int) -> Consultation:
        """Return consultation `consultation_id`."""
        ...

    def list_consultations(self, unit_id: int | None = None) -> list[Consultation]:
        """Return every consultation (or those a unit is invited to), newest first."""
        ...

    def consultation_units(self, consultation_id: int) -> list[Unit]:
        """Return the units invited to a consultation, by name."""
        ...

    def invite_unit(self, consultation_id: int, unit_id: int, *, now: str) -> None:
        """Invite a unit (again: nothing changes)."""
        ...

    def is_invited(self, consultation_id: int, unit_id: int | None) -> bool:
        """Whether a unit is invited to a consultation."""
        ...

    def close_consultation(self, consultation_id: int, *, now: str) -> None:
        """Close a consultation (once)."""
        ...

    def set_share_submitted(self, consultation_id: int, share: bool) -> None:
        """Let units read each other's submitted comments, or not."""
        ...

    def add_comment(
        self,
        consultation_id: int,
        unit_id: int,
        user_id: int,
        *,
        node_id: int | None,
        article_id: int | None,
        kind: str,
        text: str,
        proposed_text: str | None,
        now: str,
        html: str | None = None,
    ) -> int:
        """Add a comment with its first revision (`html`: its rendered text); return its id."""
        ...

    def revise_comment(
        self,
        comment_id: int,
        user_id: int,
        *,
        kind: str,
        text: str,
        proposed_text: str | None,
        now: str,
        html: str | None = None,
    ) -> int:
        """Add a revision to a comment; return the revision's id."""
        ...

    def withdraw_comment(self, comment_id: int, *, now: str) -> None:
        """Withdraw a comment (its revisions are kept)."""
        ...

    def get_comment(self, comment_id: int) -> Comment:
        """Return a comment at its latest revision."""
        ...

    def list_comments(
        self,
        consultation_id: int,
        *,
        unit_id: int | None = None,
        article_key: str | None = None,
        general: bool = False,
        submitted_only: bool = False,
        include_withdrawn: bool = False,
    ) -> list[Comment]:
        """Return comments in document order; with `submitted_only`, each at the revision
        its unit's active submission holds, and only those."""
        ...

    def comment_history(self, comment_id: int) -> list[Revision]:
        """Return every revision of a comment, oldest first."""
        ...

    def article_counts(
        self, consultation_id: int, *, unit_id: int | None = None, submitted_only: bool = False
    ) -> dict[str, dict[str, int]]:
        """Return, per article key, how many comments of each kind there are."""
        ...

    def count_unit_comments(self, consultation_id: int, unit_id: int) -> int:
        """Return how many comments a unit has created in a consultation (withdrawn too)."""
        ...

    def has_standing_submission(self, consultation_id: int, unit_id: int) -> bool:
        """Return whether the unit's latest submission stands (submitted, not withdrawn)."""
        ...

    def list_submissions(self, consultation_id: int, unit_id: int) -> list[Submission]:
        """Return a unit's submissions, oldest first."""
        ...

    def add_submission(
        self, consultation_id: int, unit_id: int, user_id: int, *, no_comments: bool, now: str
    ) -> int:
        """Submit the unit's live comments at their latest revisions; return the id."""
        ...

    def withdraw_submission(self, submission_id: int, user_id: int, *, now: str) -> None:
        """Withdraw a submission (once)."""
        ...

    def unit_progress(
        self, consultation_id: int, *, unit_id: int | None = None
    ) -> list[UnitProgress]:
        """Return each invited unit (or just `unit_id`) with its live comments and its
        latest submission."""
        ...

    def add_answer(
        self,
        comment_id: int,
        user_id: int,
        *,
        status: str,
        explanation: str,
        now: str,
        html: str | None = None,
    ) -> None:
        """Record an answer to a comment (the latest one counts)."""
        ...


class AccountStore(Protocol):
    """Units, accounts, sessions, invitation links and failed sign-ins."""

    def create_unit(self, code: str, name: str, kind: str) -> int:
        """Create a unit; return its id."""
        ...

    def get_unit(self, unit_id: int) -> Unit:
        """Return unit `unit_id`."""
        ...

    def find_unit(self, code: str) -> Unit | None:
        """Return the unit with this code, or None."""
        ...

    def list_units(self) -> list[Unit]:
        """Return every unit, by name."""
        ...

    def create_user(
        self,
        username: str,
        display_name: str,
        role: str,
        *,
        unit_id: int | None = None,
        is_lead: bool = False,
        password_hash: str | None = None,
        email: str | None = None,
        language: str = "vi",
        now: str,
    ) -> int:
        """Create an account; return its id."""
        ...

    def get_user(self, user_id: int) -> User:
        """Return account `user_id`."""
        ...

    def find_login(self, username: str) -> Credentials | None:
        """Return the account with this user name (any case) and its password hash."""
        ...

    def list_users(self, unit_id: int | None = None) -> list[User]:
        """Return every account, or a unit's delegates (lead first)."""
        ...

    def session_epoch(self, user_id: int) -> int:
        """Return the account's session epoch (-1 for no such account)."""
        ...

    def end_sessions(self, user_id: int) -> None:
        """End every session of the account (the epoch moves on)."""
        ...

    def set_password(self, user_id: int, password_hash: str) -> None:
        """Set an account's password hash."""
        ...

    def set_disabled(self, user_id: int, disabled_at: str | None) -> None:
        """Disable an account from `disabled_at` (None: enable it again)."""
        ...

    def add_invitation(self, user_id: int, token_hash: str, *, now: str, expires_at: str) -> None:
        """Store an invitation link by its token's hash."""
        ...

    def get_invitation(self, token_hash: str) -> Invitation | None:
        """Return a live (not revoked) invitation by its token's hash, or None."""
        ...

    def use_invitation(self, token_hash: str, *, now: str) -> bool:
        """Spend a live invitation; return False when it was used or revoked."""
        ...

    def revoke_invitations(self, user_id: int, *, now: str) -> int:
        """Revoke every unused invitation of an account; return how many."""
        ...

    def add_login_failure(
        self, username: str, address: str, *, now: str, trusted: bool = False
    ) -> None:
        """Record a failed sign-in (`trusted`: from a browser the account signed in from)."""
        ...

    def login_failures(
        self, *, username: str, address: str, since: str, trusted: bool = False
    ) -> LoginFailures:
        """Return the failed sign-ins since `since` for the pair and for the address, of
        trusted browsers only or of the others only."""
        ...

    def clear_login_failures_from(self, username: str, address: str) -> None:
        """Forget an account's failures from one address."""
        ...


class Store(
    UnitOfWork,
    DraftStore,
    ConsultationStore,
    AccountStore,
    AuditStore,
    LetterStore,
    ReviewStore,
    PeopleStore,
    OutboxStore,
    FollowUpStore,
    FigureStore,
    GroupStore,
    SettingStore,
    ScaleStore,
    TraceStore,
    Protocol,
):
    """Everything a backend offers: the protocols above, together."""
