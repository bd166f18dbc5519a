"""The roster: units and delegates imported from a CSV or XLSX file, and exported to one.

A file's rows are checked first (:func:`check`): codes, user names, e-mail addresses and
roles (the rules of :mod:`drafter.accounts`), duplicates within the file, and what the
database already holds; the result is a :class:`Preview` saying, per line, what would be
created or updated, and every problem with its line and column.  Nothing is written until
the organizer confirms (web) or unless the command is not a dry run (CLI); the writing is
one transaction with its audit rows, all lines or none.  Importing the same file again
changes nothing; a changed file updates unit names, delegates' full names, e-mail addresses
and roles, and never duplicates a unit or an account.  A cell left blank keeps what is
stored.  New units are provinces (change the kind on the units page). Writing is
:mod:`drafter.rosterwrite`.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import accounts
from .accounts import check_email, check_unit_code, check_username, clean_line
from .consulting import utc_now
from .errors import N_, Conflict, InvalidInput
from .model import Unit, User
from .notices import Site
from .organizing.rules import require_organizer
from .rosterfile import Problem, Table, read, write
from .rosterwrite import Result, write_roster
from .storage import Store


@dataclass(frozen=True)
class Line:
    """One checked line of a roster and what importing it does.

    `unit_action` and `delegate_action` are "create", "update", "same", or "" (the unit was
    named on an earlier line; the line names no delegate)."""

    line: int
    unit_code: str
    unit_name: str
    username: str
    full_name: str
    email: str | None
    role: str
    unit_action: str
    delegate_action: str


@dataclass(frozen=True)
class Preview:
    """A checked roster file: its lines, and its problems (importable only without any)."""

    name: str
    lines: list[Line]
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not self.problems

    def count(self, what: str, action: str) -> int:
        """Return how many units or delegates (`what`) the import would `action`."""
        attribute = "unit_action" if what == "unit" else "delegate_action"
        return sum(1 for line in self.lines if getattr(line, attribute) == action)


@dataclass(frozen=True)
class Outcome:
    """The CLI's import: the preview, and what was written (None: nothing was)."""

    preview: Preview
    result: Result | None


def _bad(line: int, column: str, exc: InvalidInput) -> Problem:
    return Problem(line, column, exc)


def _problem(line: int, column: str, message: str, /, **params: object) -> Problem:
    return Problem(line, column, InvalidInput(message, **params))


def check(store: Store, name: str, data: bytes) -> Preview:
    """Return the preview of a roster file against the database as it is now."""
    table = read(name, data)
    return _plan(store, name, table)


def _plan(store: Store, name: str, table: Table) -> Preview:
    problems = list(table.problems)
    lines: list[Line] = []
    users_seen: dict[str, int] = {}
    unit_only_seen: dict[str, int] = {}
    unit_names: dict[str, tuple[str, int]] = {}  # code → (name, line of that name)
    units_planned: set[str] = set()
    # A unit's name may be on any of its lines: the first one given is the one imported.
    named: dict[str, str] = {}
    for row in table.rows:
        code, text = row.cells["unit_code"].strip().lower(), clean_line(row.cells["unit_name"])
        if text:
            named.setdefault(code, text)
    for row in table.rows:
        cells = row.cells
        found = len(problems)
        try:
            code = check_unit_code(cells["unit_code"])
        except InvalidInput as exc:
            problems.append(_bad(row.line, "unit_code", exc))
            code = ""
        unit_name = clean_line(cells["unit_name"])
        username, full_name = cells["username"].strip(), clean_line(cells["full_name"])
        role = cells["role"].strip().lower()
        email: str | None = None
        if code and unit_name:
            first = unit_names.setdefault(code, (unit_name, row.line))
            if first[0] != unit_name:
                problems.append(
                    _problem(row.line, "unit_name",
                             N_("The unit “%(code)s” has another name on line %(line)s."),
                             code=code, line=first[1])
                )  # fmt: skip
        if username:
            try:
                username = check_username(username)
            except InvalidInput as exc:
                problems.append(_bad(row.line, "username", exc))
            try:
                email = check_email(cells["email"])
            except InvalidInput as exc:
                problems.append(_bad(row.line, "email", exc))
            if role not in accounts.ROLES:
                problems.append(
                    _problem(row.line, "role",
                             N_("The role “%(role)s” is unknown: write “lead” or “member”."),
                             role=cells["role"].strip()[:40])
                )  # fmt: skip
            first_line = users_seen.setdefault(username.casefold(), row.line)
            if first_line != row.line:
                problems.append(
                    _problem(row.line, "username",
                             N_("The user name “%(name)s” is already on line %(line)s."),
                             name=username, line=first_line)
                )  # fmt: skip
        elif full_name or cells["email"] or role:
            problems.append(
                _problem(row.line, "username",
                         N_("This line names a delegate but no user name."))
            )  # fmt: skip
        elif code:
            first_line = unit_only_seen.setdefault(code, row.line)
            if first_line != row.line:
                problems.append(
                    _problem(row.line, "unit_code",
                             N_("The unit “%(code)s” is already on line %(line)s."),
                             code=code, line=first_line)
                )  # fmt: skip
        if len(problems) > found:
            continue
        unit = store.find_unit(code)
        unit_action = _unit_action(unit, code, named.get(code, ""), units_planned)
        if unit_action == "create" and not named.get(code):
            problems.append(
                _problem(row.line, "unit_name", N_("A new unit needs a name."))
            )  # fmt: skip
            continue
        if unit_action in ("create", "update"):
            unit_name = named[code]
        elif unit is not None and not unit_name:
            unit_name = unit.name  # shown in the preview as stored, not as its code
        units_planned.add(code)
        delegate_action = ""
        if username:
            delegate_action, problem = _delegate_action(
                store, row.line, unit, username, full_name, email, role
            )
            if problem is not None:
                problems.append(problem)
                continue
        lines.append(
            Line(row.line, code, unit_name, username, full_name, email, role, unit_action,
                 delegate_action)
        )  # fmt: skip
    problems.sort(key=lambda p: p.line or 0)
    return Preview(name, lines, problems)


def _unit_action(unit: Unit | None, code: str, name: str, planned: set[str]) -> str:
    if code in planned:
        return ""
    if unit is None:
        return "create"
    return "update" if name and name != unit.name else "same"


def _delegate_action(
    store: Store,
    line: int,
    unit: Unit | None,
    username: str,
    full_name: str,
    email: str | None,
    role: str,
) -> tuple[str, Problem | None]:
    found = store.find_login(username)
    if found is None:
        if not full_name:
            return "", _problem(line, "full_name", N_("A new delegate needs a full name."))
        return "create", None
    user = found.user
    if user.is_organizer:
        return "", _problem(
            line, "username", N_("The user name “%(name)s” is an organizer's."), name=username
        )
    if unit is None or user.unit_id != unit.id:
        current = store.get_unit(user.unit_id).code if user.unit_id else "-"
        return "", _problem(
            line,
            "username",
            N_(
                "“%(name)s” is a delegate of the unit “%(code)s”: move them on the people "
                "page, not by import."
            ),
            name=username,
            code=current,
        )
    same = (
        (not full_name or full_name == user.display_name)
        and (email is None or email == user.email)
        and (role == "lead") == user.is_lead
    )
    return ("same" if same else "update"), None


def _consultation(store: Store, consultation_id: int | None) -> None:
    if consultation_id is not None and store.get_consultation(consultation_id).closed_at:
        raise Conflict(N_("This consultation is closed: no unit can be invited to it."))


def import_file(
    store: Store,
    name: str,
    data: bytes,
    *,
    actor: int | None = None,
    consultation_id: int | None = None,
    invite: bool = False,
    dry_run: bool = False,
    send: Site | None = None,
) -> Outcome:
    """Check a roster file and, when it has no problem and this is no dry run, write it at
    once (all lines or none); return the preview and what was written."""
    if dry_run:
        _consultation(store, consultation_id)
        return Outcome(check(store, name, data), None)
    table = read(name, data)
    with store.transaction():  # planned inside: what it says is what is written
        _consultation(store, consultation_id)
        preview = _plan(store, name, table)
        if not preview.ok:
            return Outcome(preview, None)
        result = write_roster(
            store, preview, actor=actor, consultation_id=consultation_id, invite=invite,
            now=utc_now(), send=send,
        )  # fmt: skip
    return Outcome(preview, result)


# -- the web's two steps: a pending file, then its confirmation --------------------------------
def stage(store: Store, user: User, name: str, data: bytes) -> tuple[Preview, int | None]:
    """Check an uploaded roster file and keep it for confirmation when it has no problem;
    return its preview and the pending file's id (None: nothing was kept)."""
    require_organizer(user)
    if not name:
        raise InvalidInput(N_("Choose a file to upload (.csv or .xlsx)."))
    preview = check(store, name, data)
    if not preview.ok:
        return preview, None
    with store.transaction():
        return preview, store.add_pending_roster(user.id, name, data, now=utc_now())


def pending(store: Store, user: User, roster_id: int) -> Preview:
    """Return the preview of the user's pending roster file against the database now."""
    require_organizer(user)
    file = store.get_pending_roster(roster_id, user.id)
    return check(store, file.name, file.data)


def confirm(
    store: Store,
    user: User,
    roster_id: int,
    *,
    consultation_id: int | None = None,
    invite: bool = False,
    send: Site | None = None,
) -> Result:
    """Import the user's pending roster file (all lines or none) and forget it; raise
    InvalidInput when the database changed since the preview so that a line is now wrong."""
    require_organizer(user)
    with store.transaction():
        _consultation(store, consultation_id)
        file = store.get_pending_roster(roster_id, user.id)
        preview = _plan(store, file.name, read(file.name, file.data))
        if not preview.ok:
            raise InvalidInput(
                N_("The roster has errors now: upload it again to see them. Nothing was saved.")
            )
        result = write_roster(
            store, preview, actor=user.id, consultation_id=consultation_id, invite=invite,
            now=utc_now(), send=send,
        )  # fmt: skip
        store.delete_pending_roster(roster_id)
    return result


def discard(store: Store, user: User, roster_id: int) -> None:
    """Forget the user's pending roster file without importing it."""
    require_organizer(user)
    with store.transaction():
        store.get_pending_roster(roster_id, user.id)
        store.delete_pending_roster(roster_id)


# -- export -------------------------------------------------------------------------------------
def rows(store: Store) -> list[tuple[str, str, str, str, str, str]]:
    """Return the roster as rows of the import's columns: a row per delegate, and a row with
    the unit only for a unit without delegates."""
    out = []
    for unit, users in accounts.roster(store):
        for user in users:
            out.append(
                (unit.code, unit.name, user.username, user.display_name, user.email or "",
                 "lead" if user.is_lead else "member")
            )  # fmt: skip
        if not users:
            out.append((unit.code, unit.name, "", "", "", ""))
    return out


def export(store: Store, fmt: str) -> bytes:
    """Return the roster as a "csv" or "xlsx" file in the columns the import reads."""
    return write(fmt, rows(store))


def export_as(store: Store, user: User, fmt: str) -> bytes:
    """Return the roster export for an organizer (see :func:`export`)."""
    require_organizer(user)
    return export(store, fmt)
