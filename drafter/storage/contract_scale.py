"""The parts of the store contract that keep pages and exports of a large consultation cheap:
an article's comments and the comment list a page at a time, and the background export jobs (joined into
:class:`drafter.storage.contract.Store`)."""

from __future__ import annotations

from typing import Protocol

from .contract_jobs import ExportJobStore
from .contract_lists import CommentListStore
from .contract_pages import ArticlePageStore


class ScaleStore(ArticlePageStore, CommentListStore, ExportJobStore, Protocol):
    """Article pages, the comment list's pages and export jobs."""
