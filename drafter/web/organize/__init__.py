"""Blueprint "organize": the organizer's pages under /admin.

One blueprint, its views in a module per concern: `uploads` (a draft's new version),
`people` (units, delegates, invitation links, editing and deactivating), `roster` (the
roster file's import and export), `on_behalf` (a unit's response entered by organizers),
`consultations` (opening, the dashboard, an article and its answers, closing), `mail` (the
outbox, reminders), `files` (comparisons, search, the audit log), `jobs` (exports, long ones in the
background), `groups` (similar comments: split, move, answer a group at once).
Each view parses its input, calls one use case (:mod:`drafter.organizing`,
:mod:`drafter.accounts`, :mod:`drafter.exports`, :mod:`drafter.consulting`) and renders.
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("organize", __name__, url_prefix="/admin")

from . import (  # noqa: E402  (the views register on bp)
    answers,
    consultations,
    deadlines,
    files,
    groups,
    jobs,
    mail,
    on_behalf,
    people,
    roster,
    uploads,
)

__all__ = [
    "answers", "bp", "consultations", "deadlines", "files", "groups", "jobs", "mail", "on_behalf",
    "people",
    "roster", "uploads",
]  # fmt: skip
