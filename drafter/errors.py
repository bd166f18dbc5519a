"""The errors drafter can explain to a user; each carries its HTTP status."""

from __future__ import annotations

from collections.abc import Callable


def N_(message: str) -> str:
    """Mark a message for the translation catalogue without translating it here."""
    return message


class DrafterError(Exception):
    """A problem we can explain to the user; `status` is its HTTP equivalent.

    The message is an English template with ``%(name)s`` fields filled from `params`; the
    web layer translates the template, then fills it, so that users read their language.
    """

    status = 400

    def __init__(self, message: str = "", **params: object) -> None:
        self.template = message
        self.params = params
        super().__init__(message % params if params else message)


class NotFound(DrafterError):
    """A draft, version or article that does not exist."""

    status = 404


class DraftImportError(DrafterError):
    """A file that cannot be imported as a draft: not a DOCX, broken, empty, no articles.

    Its `template` and `params` are the message, as for every DrafterError; `source` names the
    file and `where`, a template filled from the same `params` (such as ``line %(line)s``),
    the place in it. ``str(exc)`` is the English line "file.docx:line 12: message".
    """

    status = 422

    def __init__(
        self, message: str, *, source: str = "", where: str = "", **params: object
    ) -> None:
        super().__init__(message, **params)
        self.source = source
        self.where = where
        place = self.place()
        if place:
            self.args = (f"{place}: {self.args[0]}",)

    def place(self, gettext: Callable[[str], str] = str) -> str:
        """Return "file.docx:line 12", the file and the place in it ("" when unknown), with
        the place's words passed through `gettext`."""
        where = gettext(self.where) % self.params if self.where else ""
        return ":".join(p for p in (self.source, where) if p)


class Forbidden(DrafterError):
    """The signed-in user may not do this (another unit's comment, an organizer page…)."""

    status = 403


class InvalidInput(DrafterError):
    """A form or request that cannot be accepted as sent; the message says why."""

    status = 400


class Conflict(DrafterError):
    """The request is valid but not now: after the deadline, after submission, …"""

    status = 409


class TooManyAttempts(DrafterError):
    """Too many failed sign-ins for an account from an address: wait `retry_after` seconds."""

    status = 429

    def __init__(self, message: str = "", *, retry_after: int = 60, **params: object) -> None:
        self.retry_after = retry_after
        super().__init__(message, **params)


class StorageError(DrafterError):
    """The database cannot be written now (disk full, read-only, locked too long): the
    action was not saved, and nothing of it was kept."""

    status = 503

    def __init__(self, cause: object = None) -> None:
        self.cause = cause
        super().__init__(
            N_(
                "Your change was not saved: the database cannot be written right now (the "
                "disk may be full or read-only). Nothing else was changed; try again later."
            )
        )


class DatabaseUnreachable(StorageError):
    """The database server cannot be reached (down, wrong address, refused sign-in)."""

    def __init__(self, reason: str) -> None:
        self.cause = reason
        DrafterError.__init__(self, N_("The database cannot be reached: %(reason)s"), reason=reason)
