"""Markdown -> safe HTML: rendered by a CommonMark parser, then cleaned by an allow-list sanitiser.

The renderer is markdown-it-py (CommonMark): its cost grows linearly with the text whatever
the text holds, where Python-Markdown took minutes on 20,000 opening brackets and raised
``RecursionError`` on 500 nested list markers.  Raw HTML in the source is not passed through
(it is shown as text), and nh3 keeps only the tags below.  Whatever happens, :func:`render`
returns something a page can show: a text that fails to render comes back as escaped text.

One parser is made per thread and reused (building one costs more than rendering a comment).
"""

from __future__ import annotations

import re
import threading

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markupsafe import Markup, escape

_TAGS = {
    "p", "br", "strong", "em", "b", "i", "u", "s", "del", "ins", "ul", "ol", "li",
    "blockquote", "code", "pre", "table", "thead", "tbody", "tr", "th", "td", "a", "hr",
    "h3", "h4", "h5", "h6", "sup", "sub",
}  # fmt: skip
_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
#: The parser's nesting limit (CommonMark preset's): a text that reaches it (lists nested
#: nine deep, quotes in quotes…) is shown as typed rather than cut.  Deeper limits make
#: nested brackets cost more (0.07 s at 20, 0.9 s at 100 for 20,000 characters).
MAX_NESTING = 20

_local = threading.local()

#: The only marks of HTML a text may hold, raw HTML being off: a line break inside a table
#: cell (GFM tables have no other way to write one; a Word header block's cells are several
#: lines) and superscript / subscript (the short rules under a Word header block, "m<sup>2</sup>").
LINE_MARKS = re.compile(r"<br\s*/?>|<(/?)(sup|sub)>", re.IGNORECASE)


def _line_marks(state: StateCore) -> None:
    """Turn the exact marks of LINE_MARKS in text into line breaks and sup/sub tokens (an
    escaped "\\<br>" stays text: it is not a text token until text_join, which runs after)."""
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children: list[Token] = []
        open_tags: list[str] = []  # never nested, always closed: no tower of <sup> from a text
        for token in block.children:
            if token.type != "text" or "<" not in token.content:
                children.append(token)
                continue
            position = 0
            for match in LINE_MARKS.finditer(token.content):
                tag = (match.group(2) or "br").lower()
                closing = bool(match.group(1))
                if tag != "br" and (closing != (open_tags == [tag]) or (open_tags and not closing)):
                    continue  # a stray close, or an open inside another: left as text
                if match.start() > position:
                    children.append(_text(token.content[position : match.start()]))
                position = match.end()
                if tag == "br":
                    children.append(Token("hardbreak", "br", 0))
                elif closing:
                    children.append(Token(f"{tag}_close", tag, -1))
                    open_tags.clear()
                else:
                    children.append(Token(f"{tag}_open", tag, 1))
                    open_tags.append(tag)
            if position < len(token.content):
                children.append(_text(token.content[position:]))
        children.extend(Token(f"{tag}_close", tag, -1) for tag in open_tags)
        block.children = children


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


def _parser() -> MarkdownIt:
    parser = getattr(_local, "parser", None)
    if parser is None:
        parser = MarkdownIt(
            "commonmark", {"html": False, "linkify": False, "maxNesting": MAX_NESTING}
        )
        parser.enable(["table", "strikethrough"])
        parser.core.ruler.before("text_join", "line_marks", _line_marks)
        _local.parser = parser
    return parser


class TooDeep(ValueError):
    """The text nests lists or quotes deeper than the parser renders (it would drop the rest)."""


#: A character that may start or end some Markdown (or an entity, a tag, an escape) anywhere
#: in a line, or that the sanitiser writes as an entity (a no-break space); a paragraph
#: without any, on one line, that does not start like a block (a list "1." "- " "+ ", a
#: setext or thematic line, an indented code block), renders as itself in <p>…</p>.
_MARKUP_CHARS = frozenset("\\`*_[]<>&|~#\u00a0")
_PLAIN = re.compile(r"[^\s\d+=-][^\n]*(?<!\s)|[^\s\d+=-]")
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")


def _plain_html(text: str) -> str | None:
    """Return the HTML of a text of plain one-line paragraphs (most comments) without
    parsing it, or None when it may hold Markdown: equal to what the parser and the
    sanitiser make of it (a property test holds it so)."""
    if _MARKUP_CHARS.intersection(text) or _CONTROL.search(text):
        return None
    paragraphs = text.split("\n\n")
    if not all(_PLAIN.fullmatch(p) for p in paragraphs):
        return None
    return "".join(f"<p>{p}</p>\n" for p in paragraphs)


def to_html(text: str) -> str:
    """Return `text` (Markdown, untrusted) as sanitised HTML; raise when the parser fails or
    when the nesting reaches the parser's limit, past which markdown-it drops the rest."""
    plain = _plain_html(text or "")
    if plain is not None:
        return plain
    parser = _parser()
    env: dict[str, object] = {}
    tokens = parser.parse(text or "", env)
    if any(token.level >= MAX_NESTING - 1 for token in tokens):
        raise TooDeep(f"nesting reaches {MAX_NESTING}")
    html = parser.renderer.render(tokens, parser.options, env)
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


def stored_html(text: str) -> str | None:
    """Return the HTML to keep beside a text when it is written (None when the text cannot
    be rendered: it is then shown as typed, with a note in the reader's language)."""
    try:
        return to_html(text) if text else ""
    except Exception:  # noqa: BLE001 - the text is kept; the page shows it as typed
        return None


def render(text: str, *, note: str = "") -> Markup:
    """Return `text` as HTML that is safe to put in a page, never raising.

    When the parser fails (a bug or a limit of the library), the text is shown escaped, as
    written, in a ``<div class="unrendered">`` with `note` (say, "shown as typed") before it.
    """
    try:
        return Markup(to_html(text))
    except Exception:  # noqa: BLE001 - one comment must never break a page
        return fallback(text, note=note)


def shown(html: str | None, text: str, *, note: str = "") -> Markup:
    """Return the stored `html` of `text` for a page, or render `text` when none was kept."""
    return Markup(html) if html is not None else render(text, note=note)


def fallback(text: str, *, note: str = "") -> Markup:
    """Return `text` escaped, line breaks kept, with an optional note: the unrendered form."""
    body = Markup("<br>").join(escape(line) for line in (text or "").split("\n"))
    head = Markup('<p class="note">{}</p>').format(note) if note else Markup("")
    return Markup('<div class="unrendered">{}<p>{}</p></div>').format(head, body)


_PLAIN_CHILDREN = ("text", "code_inline", "html_inline")


def to_plain(text: str) -> str:
    """Return Markdown as plain text, line by line: emphasis and link marks removed, every
    literal character kept ("*" that marks nothing stays); for CSV and spreadsheet cells."""
    lines = []
    for line in text.split("\n"):
        try:
            tokens = _parser().parseInline(line)
        except RecursionError:  # past the parser's nesting: as typed
            lines.append(line)
            continue
        lines.append(
            "".join(
                "\n" if child.type == "hardbreak" else child.content
                for token in tokens
                for child in token.children or []
                if child.type in _PLAIN_CHILDREN or child.type == "hardbreak"
            )
        )
    return "\n".join(lines)
