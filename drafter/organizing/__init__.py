"""The organizer's use cases, as `consulting` holds the delegates'.

Each function takes the store, the acting user, the input values and the current time,
checks the role and the input, makes its change in ONE transaction with its audit row, and
returns model objects or small frozen dataclasses for the views to present.  Units,
delegates and invitations are in :mod:`drafter.accounts`; exports in :mod:`drafter.exports`.
"""

from __future__ import annotations

from .article_page import ArticleView, ProvisionTally, article_view
from .consultations import (
    ArticleFigures,
    Choices,
    Dashboard,
    choices,
    close_consultation,
    create_consultation,
    dashboard,
    invite_unit,
    share_submitted,
    to_utc,
)
from .on_behalf import (
    UnitResponse,
    add_comment_for_unit,
    attach_letter,
    letter_file,
    submit_for_unit,
    unit_response,
)
from .overview import Overview, audit_log, comment_place, overview
from .search import SearchResults, search
from .uploads import UploadPreview, confirm_upload, discard_upload, preview_upload, stage_upload

__all__ = [
    "ArticleFigures", "ArticleView", "Choices", "Dashboard", "Overview", "SearchResults",
    "UploadPreview", "article_view", "audit_log", "choices", "close_consultation", "comment_place",
    "confirm_upload", "create_consultation", "dashboard", "discard_upload", "invite_unit",
    "overview", "preview_upload", "search", "share_submitted", "stage_upload", "to_utc",
    "ProvisionTally", "UnitResponse", "add_comment_for_unit", "attach_letter", "letter_file", "submit_for_unit",
    "unit_response",
]  # fmt: skip
