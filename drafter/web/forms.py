"""One way to answer a form that cannot be accepted: say why, and show it again."""

from __future__ import annotations

from typing import Any

from flask import flash, render_template

from ..errors import N_, DrafterError, InvalidInput
from . import translate


def form_error(
    exc: DrafterError, template: str, *, status: int | None = None, **context: Any
) -> tuple[str, int]:
    """Flash `exc`'s message in the page's language and render `template` again with
    `context` (what was typed stays in the form), answering `status` or the error's own."""
    flash(translate(exc), "error")
    return render_template(template, **context), status or exc.status


def optional_id(value: str | None) -> int | None:
    """Return a form's optional id field: None when empty, the number when it is one; any
    other value is refused (400), never read as "none given"."""
    value = (value or "").strip()
    if not value:
        return None
    if not is_id(value):
        raise InvalidInput(N_("Choose from the list."))
    return int(value)


def is_id(value: str) -> bool:
    """Whether a form value is a row id: ASCII digits only ("²" and "٣" are digits to
    `str.isdigit` but not to `int`), few enough for a database integer."""
    return value.isascii() and value.isdigit() and len(value) <= 18


def form_ids(values: list[str]) -> list[int]:
    """Return the ids among a form's repeated field (check boxes); other values are left out."""
    return [int(v) for v in values if is_id(v)]
