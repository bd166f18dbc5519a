"""Shared helpers for the hostile-input tests: DOCX rewriting, zip bombs, a signed-in client,
row counts, and an HTML checker for "no executable construct"."""

from __future__ import annotations

import html
import io
import re
import struct
import zipfile
from html.parser import HTMLParser
from pathlib import Path

from drafter.storage import open_store

from .consultation_fixture import PASSWORD, make_app

ROOT = Path(__file__).resolve().parent.parent
REAL_DOCX = ROOT / "drafts" / "quy-dinh-dang-doan-v1.docx"


def hostile_app(world, **config):
    """Return the app on `world`'s database, where an unexpected exception is a 500 page, as
    served (not raised into the test)."""
    return make_app(world.db_path, PROPAGATE_EXCEPTIONS=False, **config)


def login(app, username: str):
    client = app.test_client()
    response = client.post("/login", data={"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    client.get("/lang/en")
    return client


TABLES = ("draft", "version", "node", "article_match", "pending_upload", "comment",
          "comment_revision", "search_index")  # fmt: skip


def row_counts(db_path: Path) -> dict[str, int]:
    """Return the number of rows of every table an upload or a comment could write."""
    store = open_store(db_path, migrate=False)
    try:
        return {t: store.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
    finally:
        store.close()


# -- DOCX packages ----------------------------------------------------------------------------
def zip_parts(data: bytes) -> dict[str, bytes]:
    """Return the parts of a zip package in order, name -> bytes."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def build_zip(parts: dict[str, bytes] | list[tuple[str, bytes]]) -> bytes:
    """Return a deflated zip holding `parts` in the order given."""
    items = parts.items() if isinstance(parts, dict) else parts
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in items:
            archive.writestr(name, content)
    return out.getvalue()


def rewrite_docx(
    data: bytes,
    *,
    drop: tuple[str, ...] = (),
    replace: dict[str, bytes] | None = None,
    add: dict[str, bytes] | None = None,
) -> bytes:
    """Return `data` (a DOCX) with parts dropped, replaced or added."""
    parts = zip_parts(data)
    for name in drop:
        parts.pop(name)
    parts.update(replace or {})
    parts.update(add or {})
    return build_zip(parts)


def streamed_bomb(size: int, *, name: str = "word/document.xml", filler: bytes = b" ") -> bytes:
    """Return a small DOCX-looking zip whose `name` part unpacks to `size` bytes of `filler`,
    beside a genuine [Content_Types].xml and _rels/.rels."""
    real = zip_parts(REAL_DOCX.read_bytes())
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", real["[Content_Types].xml"])
        archive.writestr("_rels/.rels", real["_rels/.rels"])
        info = zipfile.ZipInfo(name)
        info.compress_type = zipfile.ZIP_DEFLATED
        chunk = filler * (2**20 // len(filler))
        with archive.open(info, "w") as part:
            left = size
            while left > 0:
                part.write(chunk[: min(left, len(chunk))])
                left -= len(chunk)
    return out.getvalue()


def lie_about_sizes(data: bytes, declared: int) -> bytes:
    """Return the zip `data` with every entry's uncompressed size, in both the local headers
    and the central directory, rewritten to `declared` (a bomb that hides its size)."""
    blob = bytearray(data)
    for match in re.finditer(rb"PK\x03\x04", bytes(blob)):
        struct.pack_into("<I", blob, match.start() + 22, declared)
    for match in re.finditer(rb"PK\x01\x02", bytes(blob)):
        struct.pack_into("<I", blob, match.start() + 24, declared)
    return bytes(blob)


# -- HTML checks ------------------------------------------------------------------------------
DANGEROUS_TAGS = {
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "meta",
    "form", "style", "svg", "math", "link", "img", "video", "audio", "source", "input",
    "button", "textarea", "select", "template", "portal", "noscript", "xmp", "plaintext",
}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster",
                  "background", "srcset", "lowsrc", "dynsrc", "codebase", "cite", "ping"}  # fmt: skip
SAFE_SCHEMES = {"http", "https", "mailto"}
_STRIP = re.compile(r"[\x00-\x20\x7f-\x9f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")


def url_scheme(value: str) -> str | None:
    """Return the scheme a browser would see in an attribute value (entities decoded,
    whitespace and control characters removed), or None for a relative URL."""
    text = _STRIP.sub("", html.unescape(value or "")).lower()
    match = re.match(r"^([a-z][a-z0-9+.\-]*):", text)
    if not match:
        return None
    # A colon after a slash, "?" or "#" is part of a relative URL, not a scheme.
    head = text.split(":", 1)[0]
    if any(c in head for c in "/?#"):
        return None
    return match.group(1)


class _Collector(HTMLParser):
    """Collect the elements inside containers chosen by a predicate, with their attributes."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
            "param", "source", "track", "wbr"}  # fmt: skip

    def __init__(self, is_container) -> None:
        super().__init__(convert_charrefs=True)
        self.is_container = is_container
        self.stack: list[tuple[str, bool]] = []  # (tag, opened a container)
        self.depth = 0  # how many containers are open
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.containers = 0

    def handle_starttag(self, tag, attrs):
        inside = self.depth > 0
        if inside:
            self.found.append((tag, attrs))
        opens = not inside and self.is_container(tag, dict(attrs))
        if opens:
            self.containers += 1
            self.depth += 1
        if tag not in self.VOID:
            self.stack.append((tag, opens))

    def handle_startendtag(self, tag, attrs):
        if self.depth > 0:
            self.found.append((tag, attrs))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                for _tag, opened in self.stack[i:]:
                    if opened:
                        self.depth -= 1
                del self.stack[i:]
                return


def user_content_elements(page: str):
    """Return (containers found, [(tag, attrs)]) for the elements inside the parts of the
    comment cards that hold user text: the rendered comment (.body), the proposal
    (.redline) and the answer (.answer).  The app's own controls inside a card (the
    withdraw form, the answer form) are not user content and are not collected."""

    def is_container(tag, attrs):
        classes = (attrs.get("class") or "").split()
        return tag == "div" and bool({"body", "redline", "answer"} & set(classes))

    collector = _Collector(is_container)
    collector.feed(page)
    collector.close()
    return collector.containers, collector.found


def executable_constructs(page: str) -> list[str]:
    """Return a description of every executable construct in the user content of `page`."""
    _count, elements = user_content_elements(page)
    problems = []
    for tag, attrs in elements:
        if tag in DANGEROUS_TAGS:
            problems.append(f"<{tag}> element")
        for name, value in attrs:
            name = name.lower()
            if name.startswith("on"):
                problems.append(f"{name}= on <{tag}>")
            if name in ("style",):
                problems.append(f"style= on <{tag}>")
            if name in URL_ATTRIBUTES:
                scheme = url_scheme(value or "")
                if scheme is not None and scheme not in SAFE_SCHEMES:
                    problems.append(f"{name}={value!r} ({scheme}:) on <{tag}>")
    return problems


class _PageScan(HTMLParser):
    """Walk a whole page and note everything that could run script."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag, attrs):
        values = {name.lower(): value or "" for name, value in attrs}
        if tag == "script":
            self.in_script = True
            if not values.get("src", "").startswith("/static/"):
                self.problems.append(f"<script src={values.get('src')!r}>")
        # The dashboard's own bar chart is an <svg class="bars"> of <rect>s (no script can
        # live in it: nh3 never lets a comment's <svg> through, and the scan below still
        # checks every attribute); any other <svg> is a problem.
        own_chart = tag == "svg" and values.get("class") == "bars"
        dangerous = ("iframe", "frame", "object", "embed", "base", "applet", "svg", "math")
        if tag in dangerous and not own_chart:
            self.problems.append(f"<{tag}> element")
        if tag == "meta" and "http-equiv" in values:
            self.problems.append(f"<meta http-equiv={values['http-equiv']!r}>")
        if tag == "form" and url_scheme(values.get("action", "")) not in (None, *SAFE_SCHEMES):
            self.problems.append(f"<form action={values['action']!r}>")
        for name, value in values.items():
            if name.startswith("on"):
                self.problems.append(f"{name}= on <{tag}>")
            if name in URL_ATTRIBUTES:
                scheme = url_scheme(value)
                if scheme is not None and scheme not in SAFE_SCHEMES:
                    self.problems.append(f"{name}={value!r} on <{tag}>")
            if name == "style" and re.search(r"expression|javascript|url\(", value, re.I):
                self.problems.append(f"style={value!r} on <{tag}>")

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_script = False

    def handle_data(self, data):
        if self.in_script and data.strip():
            self.problems.append(f"inline script {data.strip()[:60]!r}")


def page_problems(page: str) -> list[str]:
    """Return every executable construct anywhere in a page (the app's own pages have none
    but external scripts under /static/)."""
    scan = _PageScan()
    scan.feed(page)
    scan.close()
    return scan.problems
