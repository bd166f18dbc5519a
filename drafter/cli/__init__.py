"""The ``drafter`` command line: import drafts, browse them, export them, serve the web app.

`main` holds the group and what commands share; the commands are in `drafts`, `files`,
`mail`, `admin` and `serving`, each parsing its arguments, calling one use case and printing the result."""

from __future__ import annotations

from . import admin, analysis, database, drafts, files, mail, review, roster, serving
from .main import cli

__all__ = [
    "admin", "analysis", "cli", "database", "drafts", "files", "mail", "review", "roster", "serving",
]  # fmt: skip
