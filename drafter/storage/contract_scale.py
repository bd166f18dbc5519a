"""The parts of the store contract that keep pages, exports and writes of a large consultation
cheap: an article's comments a page at a time (all units' submitted ones, a unit's own), the
comment list a page at a time, the background export jobs, and the write path's first reads,
one query each (joined into :class:`drafter.storage.contract.Store`)."""

from __future__ import annotations

from typing import Protocol

from .contract_jobs import ExportJobStore
from .contract_lists import CommentListStore
from .contract_own_pages import OwnPageStore
from .contract_pages import ArticlePageStore
from .contract_write_path import WritePathStore


class ScaleStore(
    ArticlePageStore, OwnPageStore, CommentListStore, ExportJobStore, WritePathStore, Protocol
):
    """Article pages (the organizer's, a unit's own comments), the comment list's pages,
    export jobs and the write path's first reads."""
