"""The storage interface every backend implements: drafts, versions, node trees, matches."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager

from ..model import ArticleMatch, Draft, Node, Version


class Store(ABC):
    """A database of drafts.  Methods never commit: whoever owns the unit of work wraps it
    in ``with store.transaction():``, which commits or rolls back as one.

    The consultation methods (units, accounts, comments, submissions, answers, search) are
    those of ``sqlite_consult.ConsultationQueries``; another backend implements the same
    names with the same arguments and results."""

    @abstractmethod
    def migrate(self) -> int:
        """Bring the schema up to date; return the schema version."""

    @abstractmethod
    def schema_version(self) -> int:
        """Return the schema version of the database."""

    @abstractmethod
    def transaction(self) -> AbstractContextManager[None]:
        """Return a context manager that runs its block as one write transaction."""

    @abstractmethod
    def close(self) -> None:
        """Close the connection."""

    # drafts and versions
    @abstractmethod
    def create_draft(self, title: str) -> int:
        """Create a draft; return its id."""

    @abstractmethod
    def get_draft(self, draft_id: int) -> Draft:
        """Return draft `draft_id` or raise NotFound."""

    @abstractmethod
    def list_drafts(self) -> list[Draft]:
        """Return every draft, oldest first."""

    @abstractmethod
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
        """Store `nodes` as the next version of draft `draft_id`; set each node's id.

        `progress(done, total)` is called after each node is written."""

    @abstractmethod
    def get_version(self, draft_id: int, number: int | None = None) -> Version:
        """Return version `number` of a draft (the latest when None) or raise NotFound."""

    @abstractmethod
    def get_version_by_id(self, version_id: int) -> Version:
        """Return the version with this id or raise NotFound."""

    @abstractmethod
    def list_versions(self, draft_id: int) -> list[Version]:
        """Return every version of a draft, oldest first."""

    # trees
    @abstractmethod
    def get_tree(self, version_id: int) -> list[Node]:
        """Return the top-level nodes of a version, each with its whole subtree."""

    @abstractmethod
    def get_node(self, version_id: int, key: str) -> Node:
        """Return the node with `key` in a version, with its subtree, or raise NotFound."""

    @abstractmethod
    def get_node_by_id(self, node_id: int) -> Node:
        """Return the node with this id, with its subtree, or raise NotFound."""

    @abstractmethod
    def find_articles(self, version_id: int, number: str) -> list[Node]:
        """Return the articles numbered `number` in a version (usually one), with subtrees."""

    @abstractmethod
    def iter_articles(self, version_id: int) -> Iterator[Node]:
        """Yield every article of a version with its subtree, in document order."""

    # version-to-version article links
    @abstractmethod
    def add_matches(
        self, version_id: int, matches: list[tuple[int | None, int | None, ArticleMatch]]
    ) -> None:
        """Store how the articles of `version_id` match those of the previous version; each
        item is (old node id, new node id, match)."""

    @abstractmethod
    def get_matches(self, version_id: int) -> list[ArticleMatch]:
        """Return the article matches recorded for a version, in the new version's order,
        removed articles after their old neighbours."""
