"""Messages rendered in the recipient's language, as plain text and as HTML.

Templates live in ``templates/mail/<kind>.txt`` and ``<kind>.html`` (the HTML autoescaped);
they use ``_()`` as the pages do.  The catalogues are read here, without Flask, so that the
command line (reminders, the sender) renders exactly what the web does."""

from __future__ import annotations

import functools
import io
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
CATALOGUES = Path(__file__).resolve().parent / "translations"
LANGUAGES = ("vi", "en")


@functools.lru_cache(maxsize=8)
def _catalogue(language: str, mtime: float) -> NullTranslations:
    """Return the translations of `language` (English: the message ids themselves)."""
    po_path = CATALOGUES / language / "LC_MESSAGES" / "messages.po"
    if language == "en" or not po_path.exists():
        return NullTranslations()
    with po_path.open("rb") as handle:
        catalog = read_po(handle)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer)


def translations(language: str) -> NullTranslations:
    """Return the catalogue of `language` ('vi' when unknown), re-read when its file changes."""
    language = language if language in LANGUAGES else "vi"
    po_path = CATALOGUES / language / "LC_MESSAGES" / "messages.po"
    return _catalogue(language, po_path.stat().st_mtime if po_path.exists() else 0.0)


@functools.lru_cache(maxsize=4)
def _environment(language: str, mtime: float) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES / "mail")),
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.install_gettext_translations(translations(language), newstyle=True)  # type: ignore[attr-defined]
    return env


def gettext(language: str, message: str, **params: Any) -> str:
    """Return `message` translated to `language`, with its %(name)s parameters filled."""
    text = translations(language).gettext(message)
    return text % params if params else text


def render(kind: str, language: str, **context: Any) -> tuple[str, str]:
    """Return (plain text, HTML) of the message `kind` in `language`."""
    language = language if language in LANGUAGES else "vi"
    po_path = CATALOGUES / language / "LC_MESSAGES" / "messages.po"
    env = _environment(language, po_path.stat().st_mtime if po_path.exists() else 0.0)
    context = {"language": language, **context}
    text = env.get_template(f"{kind}.txt").render(context)
    html = env.get_template(f"{kind}.html").render(context)
    return text, html
