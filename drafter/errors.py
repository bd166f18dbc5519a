"""The errors drafter can explain to a user; each carries its HTTP status."""

from __future__ import annotations


class DrafterError(Exception):
    """A problem we can explain to the user; `status` is its HTTP equivalent."""

    status = 400


class NotFound(DrafterError):
    """A draft, version or article that does not exist."""

    status = 404


class DraftImportError(DrafterError):
    """A file that cannot be imported as a draft: not a DOCX, broken, empty, no articles.

    The message names the file and, where known, the place in it, on one line.
    """

    status = 422

    def __init__(self, message: str, *, source: str = "", where: str = ""):
        self.source = source
        self.where = where
        prefix = ":".join(p for p in (source, where) if p)
        super().__init__(f"{prefix}: {message}" if prefix else message)
