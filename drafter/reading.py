"""Reading a draft file of any supported format into a parsed tree (no database)."""

from __future__ import annotations

from pathlib import Path

from .blocks import text_blocks
from .docx.reader import read_docx
from .errors import N_, DraftImportError
from .model import ParsedDraft
from .parse import parse_blocks
from .references import check

TEXT_SUFFIXES = (".md", ".markdown", ".txt", ".text")
DOCX_SUFFIXES = (".docx",)


def parse_bytes(data: bytes, name: str) -> ParsedDraft:
    """Return the parsed tree of a draft file's contents; `name` gives the format and the
    name used in messages.  Raise DraftImportError for anything unreadable."""
    suffix = Path(name).suffix.lower()
    if not data.strip():
        raise DraftImportError(N_("the file is empty"), source=name)
    if suffix in DOCX_SUFFIXES or (suffix not in TEXT_SUFFIXES and data.startswith(b"PK")):
        blocks = read_docx(data, source=name)
        empty = N_("the file has no text (no paragraph with words)")
    elif suffix in TEXT_SUFFIXES or not suffix:
        blocks = text_blocks(decode_text(data, name))
        empty = N_("the file has no text (no line with words)")
    else:
        raise DraftImportError(
            N_("unsupported file type “%(suffix)s” (use .docx, .md or .txt)"),
            source=name,
            suffix=suffix,
        )
    if not blocks:
        raise DraftImportError(empty, source=name)
    parsed = parse_blocks(blocks, source=name)
    parsed.warnings.extend(check(parsed.nodes))  # references to provisions that do not exist
    return parsed


def parse_file(path: str | Path) -> ParsedDraft:
    """Return the parsed tree of the draft file at `path`."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DraftImportError(
            N_("cannot read the file (%(reason)s)"), source=str(path), reason=exc.strerror
        ) from exc
    return parse_bytes(data, str(path))


def decode_text(data: bytes, name: str) -> str:
    """Return the text of a Markdown or plain-text file: UTF-8 (with or without BOM) or UTF-16
    with a BOM; anything else is refused rather than guessed."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise DraftImportError(N_("the UTF-16 text is damaged"), source=name) from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DraftImportError(
            N_(
                "the text is not UTF-8 (save it as “Unicode (UTF-8)”; legacy TCVN3/VNI "
                "encodings are not supported)"
            ),
            source=name,
            where=N_("line %(line)s"),
            line=line,
        ) from exc
    if "\x00" in text:
        raise DraftImportError(N_("the file holds binary data, not text"), source=name)
    return text
