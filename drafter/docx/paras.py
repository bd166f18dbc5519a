"""The laid-out paragraph, and how the blocks around the articles are laid out: the header
block, the title block and the closing block, as the source had them or, for a text typed
line by line, as Decree 30/2020 (Appendix I) sets them out."""

from __future__ import annotations

from dataclasses import dataclass

from docx.enum.text import WD_ALIGN_PARAGRAPH

from ..blocks import plain_text
from ..normalize import is_upper_title

CENTER, JUSTIFY, RIGHT, LEFT = (
    WD_ALIGN_PARAGRAPH.CENTER,
    WD_ALIGN_PARAGRAPH.JUSTIFY,
    WD_ALIGN_PARAGRAPH.RIGHT,
    WD_ALIGN_PARAGRAPH.LEFT,
)


@dataclass(frozen=True)
class Para:
    """One paragraph of the laid-out document: Markdown text, how it looks, and the keys of
    the provisions (article, clause, point) it belongs to."""

    text: str
    align: object = JUSTIFY
    bold: bool = False
    indent: bool = True
    owners: tuple[str, ...] = ()
    table: bool = False
    borderless: bool = False  # a layout table (header or signature block), not a data table

    @property
    def plain(self) -> str:
        return plain_text(self.text) if not self.table else self.text


def preamble_paras(texts: list[str]) -> list[Para]:
    """Lay out the paragraphs before the first article.  A preamble typed as plain text gets
    Decree 30's layout: its header block as a two-column borderless table, its document type
    (in capitals) and summary line centred and bold.  A preamble that carries its own
    emphasis or header table (a Word file's, a Markdown author's) keeps exactly that."""
    if any("*" in text or text.startswith("|") for text in texts):
        return [_preamble_para(text) for text in texts]
    header, start = _header_block(texts)
    out = header + [_preamble_para(text) for text in texts[start:]]
    for i, para in enumerate(out):
        plain = para.plain
        if para.table or not (is_upper_title(plain) and _short(plain)):
            continue
        out[i] = Para(para.text, CENTER, bold=True)
        following = out[i + 1] if i + 1 < len(out) else None
        if following is not None and _summary(following.plain):
            out[i + 1] = Para(following.text, CENTER, bold=True)
        break
    return out


_MOTTOS = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "ĐẢNG CỘNG SẢN VIỆT NAM")


def _header_block(texts: list[str]) -> tuple[list[Para], int]:
    """Return the header block of a preamble typed line by line (issuing body, number / the
    national motto, place and date) as Decree 30's two-column borderless table, and where
    the rest begins; ([], 0) when the preamble has no such block or already has its table."""
    plains = [plain_text(text) for text in texts[:10]]
    motto = next((i for i, p in enumerate(plains) if p.upper().startswith(_MOTTOS)), None)
    if motto is None:
        return [], 0
    left: list[str] = []
    right: list[str] = []
    end = 0
    for i, (text, plain) in enumerate(zip(texts, plains, strict=False)):
        if i == motto or plain.startswith("Độc lập"):
            right.append(f"**{text}**")
        elif "ngày" in plain and _short(plain):
            right.append(f"*{text}*")
        elif plain.startswith("Số") or _rule(plain) or (i < motto and _agency(plain)):
            left.append(text)
        else:
            break
        end = i + 1
    if not left or not right:
        return [], 0
    # The issuing body (the last line in capitals) bold; a parent body above it plain.
    upper = [k for k, text in enumerate(left) if _agency(plain_text(text))]
    if upper:
        left[upper[-1]] = f"**{left[upper[-1]]}**"
    row = f"| {'<br>'.join(left)} | {'<br>'.join(right)} |\n|---|---|"
    return [Para(row, table=True, borderless=True)], end


def _rule(plain: str) -> bool:
    """Whether a line is only a drawn rule ("_______")."""
    return bool(plain) and set(plain) <= set("_-")


def _agency(plain: str) -> bool:
    return _short(plain) and is_upper_title(plain) and not plain.startswith("Số")


def _short(plain: str) -> bool:
    return len(plain.split()) <= 20 and not plain.startswith(("-", "Căn cứ", "Xét"))


def _summary(plain: str) -> bool:
    """Whether a line after the document type reads as its summary ("Về công tác văn thư")."""
    return _short(plain) and not plain.startswith(("Số", "Hà Nội", "ngày", "_", "<"))


def _preamble_para(text: str) -> Para:
    # Only the alignment is the writer's: the text keeps exactly the emphasis it was given,
    # so that the file imports back to the same tree.
    if text.startswith("|"):
        return Para(text, table=True, borderless=True)  # the header block
    plain = plain_text(text)
    short = _short(plain)
    if short and (is_upper_title(plain) or text.startswith("**") or plain.startswith("Số")):
        return Para(text, CENTER)
    if short and plain.startswith(("Hà Nội", "ngày")):
        return Para(text, RIGHT)
    if short and _rule(plain):  # the short rule under a title
        return Para(text, CENTER, indent=False)
    return Para(text, indent=not plain.startswith("-"))


def closing_para(text: str) -> Para:
    if text.startswith("|"):
        return Para(text, table=True, borderless=True)  # "Nơi nhận | signature" block
    plain = text.replace("*", "")
    if is_upper_title(plain) and len(plain.split()) <= 8:
        return Para(text, RIGHT)
    return Para(text, LEFT, indent=False)
