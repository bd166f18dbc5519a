"""The DOCX reader: a Word file -> blocks for the parser, with Word's numbering made visible.

python-docx opens the package; paragraphs, runs (bold and italic become Markdown), tables
(kept as Markdown tables) and tracked insertions are read with lxml below it, because
python-docx skips runs inside revision marks.  Automatic numbering is computed to the
number the reader sees in Word.  The zip is checked before anything is parsed: a broken,
oversized or hostile file raises DraftImportError and nothing else.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib

import docx
from docx.oxml.ns import qn

from ..blocks import STARTER, Block
from ..errors import N_, DraftImportError
from ..normalize import clean
from .numbering import Numbering
from .numbering import val as _val

#: Limits on the package, checked before python-docx reads it (zip bombs, entity tricks).
MAX_ENTRIES = 2000
MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 200
# "<!DOCTYPE" and "<!ENTITY" in every encoding an XML parser would accept.
_DTD_MARKERS = tuple(
    word.encode(encoding)
    for word in ("<!DOCTYPE", "<!ENTITY")
    for encoding in ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
)
_MARKDOWN_SPECIALS = re.compile(r"([\\*_`|<])")
#: A run of text: (text, bold, italic, "sup" / "sub" / "").
Segment = tuple[str, bool, bool, str]


def read_docx(data: bytes, *, source: str = "<docx>") -> list[Block]:
    """Return the blocks of a DOCX file's body, in order."""
    check_package(data, source=source)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml errors…
        raise DraftImportError(
            N_("not a readable Word document (%(reason)s)"), source=source, reason=_reason(exc)
        ) from exc
    try:
        return _Reader(document).blocks()
    except DraftImportError:
        raise
    except Exception as exc:
        raise DraftImportError(
            N_("the Word document is damaged (%(reason)s)"), source=source, reason=_reason(exc)
        ) from exc


def _reason(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}"[:200] if text else type(exc).__name__


def check_package(data: bytes, *, source: str) -> None:
    """Raise DraftImportError unless `data` is a sane, safe DOCX zip package."""
    if not data:
        raise DraftImportError(N_("the file is empty"), source=source)
    if not data.startswith(b"PK"):
        raise DraftImportError(N_("not a DOCX file (it is not a zip package)"), source=source)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, EOFError, ValueError, zlib.error) as exc:
        raise DraftImportError(
            N_("the DOCX package is broken (%(reason)s)"), source=source, reason=str(exc)
        ) from exc
    if len(infos) > MAX_ENTRIES:
        raise DraftImportError(
            N_("the DOCX package has %(parts)s parts (limit %(limit)s)"),
            source=source,
            parts=len(infos),
            limit=MAX_ENTRIES,
        )
    total = sum(info.file_size for info in infos)
    if total > MAX_UNCOMPRESSED:
        raise DraftImportError(
            N_("the DOCX package unpacks to %(size)s MB (limit %(limit)s MB)"),
            source=source,
            size=total // 2**20,
            limit=MAX_UNCOMPRESSED // 2**20,
        )
    for info in infos:
        if info.file_size > 1_000_000 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise DraftImportError(
                N_("the part %(part)s is compressed %(ratio)s+ times (a zip bomb?)"),
                source=source,
                part=info.filename,
                ratio=MAX_RATIO,
            )
    names = {info.filename for info in infos}
    for required in ("[Content_Types].xml", "word/document.xml"):
        if required not in names:
            raise DraftImportError(
                N_("the DOCX package has no %(part)s"), source=source, part=required
            )
    for info in infos:
        # Every part, whatever its name: the relationships, not the name, say which part is the
        # main document, and Word never writes a DTD anywhere.
        if not info.is_dir():
            try:
                head = archive.read(info)
            except (
                zipfile.BadZipFile,
                EOFError,
                ValueError,
                OSError,
                zlib.error,
                RuntimeError,
                NotImplementedError,
            ) as exc:  # encrypted, unknown compression
                raise DraftImportError(
                    N_("the part %(part)s is broken (%(reason)s)"),
                    source=source,
                    part=info.filename,
                    reason=str(exc),
                ) from exc
            if any(marker in head for marker in _DTD_MARKERS):
                raise DraftImportError(
                    N_("the part %(part)s declares a DTD or entities, which Word never writes"),
                    source=source,
                    part=info.filename,
                )


class _Reader:
    def __init__(self, document) -> None:
        self.document = document
        self.numbering = Numbering(document)
        self.paragraph_number = 0
        self.out: list[Block] = []
        self.style_cache: dict[str, tuple[tuple[str, int] | None, bool]] = {}
        self.format_cache: dict[str, tuple[bool | None, bool | None, str | None]] = {}

    def blocks(self) -> list[Block]:
        self.walk(self.document.element.body)
        return self.out

    def walk(self, container) -> None:
        for child in container.iterchildren():
            if child.tag == qn("w:p"):
                self.paragraph(child)
            elif child.tag == qn("w:tbl"):
                self.paragraph_number += 1
                self.table(child)
            elif child.tag in (qn("w:sdt"), qn("w:customXml")):
                content = child.find(qn("w:sdtContent"))
                self.walk(content if content is not None else child)

    # -- paragraphs ---------------------------------------------------------------------
    def paragraph(self, p) -> None:
        self.paragraph_number += 1
        where = f"paragraph {self.paragraph_number}"
        style_id, style_num, style_bold = self.style_info(p)
        segments = list(_runs(p, self.run_format))
        label = self.auto_label(p, style_num)
        lines = _split_lines(segments)
        for i, line in enumerate(lines):
            markdown, plain, bold_prefix, all_bold = _markdown(line, style_bold)
            if i == 0 and label:
                markdown = f"{label} {markdown}".strip()
                plain = f"{label} {plain}".strip()
                bold_prefix = -1 if not bold_prefix else bold_prefix + len(label) + 1
            if not plain:
                continue
            heading_style = bool(style_id) and (style_id or "").lower().startswith(
                ("heading", "title")
            )
            self.out.append(
                Block(
                    markdown,
                    where,
                    plain=plain,
                    bold_prefix=bold_prefix,
                    emphasised=all_bold or heading_style,
                )
            )

    def style_info(self, p) -> tuple[str | None, tuple[str, int] | None, bool]:
        ppr = p.find(qn("w:pPr"))
        style_id = _val(ppr, "w:pStyle", "") if ppr is not None else ""
        return (style_id, *self._style_props(style_id))

    def _style_props(self, style_id: str) -> tuple[tuple[str, int] | None, bool]:
        """Return (numPr from the style chain, bold from the style chain)."""
        if style_id in self.style_cache:
            return self.style_cache[style_id]
        num, bold, seen = None, False, set()
        styles = self.document.styles.element
        current = style_id
        bold_known = False
        while current and current not in seen:
            seen.add(current)
            style = styles.find(f"{qn('w:style')}[@{qn('w:styleId')}='{current}']")
            if style is None:
                break
            ppr = style.find(qn("w:pPr"))
            if num is None and ppr is not None and ppr.find(qn("w:numPr")) is not None:
                numpr = ppr.find(qn("w:numPr"))
                num = (_val(numpr, "w:numId", ""), int(_val(numpr, "w:ilvl", "0") or 0))
            rpr = style.find(qn("w:rPr"))
            if not bold_known and rpr is not None and rpr.find(qn("w:b")) is not None:
                bold = _on(rpr.find(qn("w:b")))
                bold_known = True
            current = _val(style, "w:basedOn", "")
        self.style_cache[style_id] = (num, bold)
        return num, bold

    def run_format(self, p, rpr) -> tuple[bool, bool, str]:
        """Return a run's (bold, italic, script) as Word shows it: set on the run, else by
        its character style, else by its paragraph's style (each with its basedOn chain)."""
        ppr = p.find(qn("w:pPr"))
        layers = [_direct_format(rpr)]
        if rpr is not None and rpr.find(qn("w:rStyle")) is not None:
            layers.append(self.style_format(_val(rpr, "w:rStyle", "")))
        layers.append(self.style_format(_val(ppr, "w:pStyle", "") if ppr is not None else ""))
        bold = next((layer[0] for layer in layers if layer[0] is not None), False)
        italic = next((layer[1] for layer in layers if layer[1] is not None), False)
        script = next((layer[2] for layer in layers if layer[2] is not None), "")
        return bool(bold), bool(italic), script or ""

    def style_format(self, style_id: str) -> tuple[bool | None, bool | None, str | None]:
        """Return (bold, italic, script) a style sets, through its basedOn chain."""
        if style_id in self.format_cache:
            return self.format_cache[style_id]
        found: list[bool | str | None] = [None, None, None]
        styles, current, seen = self.document.styles.element, style_id, set()
        while current and current not in seen:
            seen.add(current)
            style = styles.find(f"{qn('w:style')}[@{qn('w:styleId')}='{current}']")
            if style is None:
                break
            for k, value in enumerate(_direct_format(style.find(qn("w:rPr")))):
                if found[k] is None:
                    found[k] = value
            current = _val(style, "w:basedOn", "")
        result = (found[0], found[1], found[2])
        self.format_cache[style_id] = result  # type: ignore[assignment]
        return result  # type: ignore[return-value]

    def auto_label(self, p, style_num) -> str:
        ppr = p.find(qn("w:pPr"))
        numpr = ppr.find(qn("w:numPr")) if ppr is not None else None
        if numpr is not None and numpr.find(qn("w:numId")) is not None:
            num_id = _val(numpr, "w:numId", "")
            ilvl = int(_val(numpr, "w:ilvl", "0") or 0)
        elif style_num is not None:
            num_id, ilvl = style_num
            if numpr is not None and numpr.find(qn("w:ilvl")) is not None:
                ilvl = int(_val(numpr, "w:ilvl", "0") or 0)
        else:
            return ""
        if num_id in ("", "0"):
            return ""
        label, _fmt = self.numbering.label(num_id, ilvl)
        return label

    # -- tables -------------------------------------------------------------------------
    def table(self, tbl) -> None:
        rows = []
        for tr in tbl.iter(qn("w:tr")):
            if tr.getparent() is not tbl:
                continue  # rows of nested tables are read as their cell's text
            cells = []
            for tc in tr.findall(qn("w:tc")):
                tcpr = tc.find(qn("w:tcPr"))
                merged = (
                    tcpr is not None
                    and tcpr.find(qn("w:vMerge")) is not None
                    and tcpr.find(qn("w:vMerge")).get(qn("w:val")) in (None, "continue")
                )
                text = "" if merged else _cell_text(tc, self.run_format)
                span = int(_val(tcpr, "w:gridSpan", "1") or 1) if tcpr is not None else 1
                cells.extend([text] + [""] * (span - 1))
            rows.append(cells)
        rows = [r for r in rows if any(r)]
        if not rows:
            return
        width = max(len(r) for r in rows)
        lines = []
        for i, row in enumerate(rows):
            row = row + [""] * (width - len(row))
            lines.append("| " + " | ".join(row) + " |")
            if i == 0:
                lines.append("|" + "---|" * width)
        markdown = "\n".join(lines)
        self.out.append(
            Block(markdown, f"paragraph {self.paragraph_number}", plain=markdown, table=True)
        )


def _cell_text(tc, run_format) -> str:
    """Return a cell's paragraphs (and the lines of each) as one Markdown line, its line
    breaks written "<br>" (a GFM table cell has no other line break)."""
    lines = []
    for p in tc.iter(qn("w:p")):
        line: list[Segment] = []
        for segment in _runs(p, run_format):
            if segment[0] == "\n":
                lines.append(line)
                line = []
            else:
                line.append(segment)
        lines.append(line)
    parts = [_markdown(line, False)[0] for line in lines]
    return "<br>".join(part for part in parts if part)


def _on(element) -> bool:
    """Return the value of an on/off property element such as <w:b/> or <w:b w:val="0"/>."""
    return element.get(qn("w:val"), "true") not in ("0", "false", "off")


def _runs(p, run_format=None):
    """Yield (text, bold, italic, script) for the visible runs of a paragraph, accepting
    insertions; `run_format(p, rpr)` gives (bold, italic, script) with the styles applied
    (direct properties alone without it).  `script` is "sup", "sub" or ""."""
    run_format = run_format or (lambda _p, rpr: _direct_format(rpr))
    for r in p.iter(qn("w:r")):
        if any(a.tag in (qn("w:del"), qn("w:moveFrom")) for a in r.iterancestors()):
            continue
        bold, italic, script = run_format(p, r.find(qn("w:rPr")))
        for child in r:
            if child.tag == qn("w:t"):
                yield (child.text or "", bold, italic, script)
            elif child.tag in (qn("w:tab"), qn("w:ptab")):
                yield (" ", bold, italic, script)
            elif child.tag in (qn("w:br"), qn("w:cr")):
                yield ("\n", False, False, "")
            elif child.tag == qn("w:noBreakHyphen"):
                yield ("-", bold, italic, script)


def _direct_format(rpr) -> tuple[bool | None, bool | None, str | None]:
    """Return (bold, italic, script) set directly in a w:rPr, None for what it leaves unset."""
    if rpr is None:
        return None, None, None
    b, i, v = rpr.find(qn("w:b")), rpr.find(qn("w:i")), rpr.find(qn("w:vertAlign"))
    script = None
    if v is not None:
        script = {"superscript": "sup", "subscript": "sub"}.get(v.get(qn("w:val"), ""), "")
    return (_on(b) if b is not None else None, _on(i) if i is not None else None, script)


def _split_lines(segments):
    """Split a paragraph at soft line breaks that start a new element; join the others."""
    lines: list[list[Segment]] = []
    current: list[Segment] = []
    for segment in segments:
        if segment[0] == "\n":
            lines.append(current)
            current = []
        else:
            current.append(segment)
    lines.append(current)
    merged = [lines[0]]
    for line in lines[1:]:
        text = "".join(s[0] for s in line)
        if STARTER.match(text.strip()):
            merged.append(line)
        else:
            merged[-1] = merged[-1] + [(" ", False, False, "")] + line
    return merged


def _fold(text: str) -> str:
    """Return run text in NFC with odd spaces folded, keeping its edge spaces."""
    folded = clean(f"x{text.replace(chr(10), ' ')}x")
    return folded[1:-1]


def _markdown(segments, style_bold: bool):
    """Return (markdown, plain, bold prefix length, all bold) for runs of one line."""
    pieces: list[Segment] = []
    for text, bold, italic, script in segments:
        text = _fold(text)
        if pieces and pieces[-1][1:] == (bold, italic, script):
            pieces[-1] = (pieces[-1][0] + text, bold, italic, script)
        else:
            pieces.append((text, bold, italic, script))
    markdown, plain = "", ""
    bold_prefix, prefix_open = 0, True
    for text, bold, italic, script in pieces:
        core = text.strip()
        if not core:
            markdown += " " if text else ""
            plain += " " if text else ""
            continue
        lead = " " if text[:1].isspace() else ""
        trail = " " if text[-1:].isspace() else ""
        escaped = _MARKDOWN_SPECIALS.sub(r"\\\1", core)
        if script:
            escaped = f"<{script}>{escaped}</{script}>"
        marker = ("**" if bold else "") + ("*" if italic else "")
        markdown += f"{lead}{marker}{escaped}{marker[::-1]}{trail}"
        plain += f"{lead}{core}{trail}"
        if prefix_open and (bold or style_bold):
            bold_prefix = len(clean(plain))
        elif core:
            prefix_open = False
    markdown, plain = clean(markdown), clean(plain)
    visible = [p for p in pieces if p[0].strip()]
    all_bold = bool(visible) and (style_bold or all(p[1] for p in visible))
    return (
        markdown,
        plain,
        (bold_prefix if visible and (style_bold or any(p[1] for p in visible)) else 0),
        all_bold,
    )
