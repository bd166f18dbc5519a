"""Cross-references inside a draft: recognised, resolved against the version's own tree, and
followed across a renumbering.

Pure: nodes in, warnings out.  A reference names a chapter, an article, a clause or a point
("Điều 12", "khoản 2 Điều 5", "điểm a khoản 1 Điều 3 của Quy định này", "Chương II",
"các Điều 5, 6 và 7", "Article 6(1)(a)", "clause 2 of Article 5").  One followed by the name
of another act ("Điều 5 Luật Cán bộ, công chức", "Article 5 of the Civil Code") is not
checked; one to the act itself ("Điều 5 của Luật này", a bare "Điều 5") is.  A clause or
point without its article ("khoản 2", "khoản 2 Điều này") is one of the article it is in.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .model import ArticleMatch, Node, Warning_

_NUM = r"\d{1,3}[a-z]?"
_LET = r"[a-zđ]"
_ROMAN = r"[IVXLC]+"


def _list(item: str) -> str:
    """A list of items: "5", "5, 6 và 7", "1 hoặc 2", "5 and 6"."""
    return rf"{item}(?:\s*,\s*{item})*(?:,?\s+(?:và|hoặc|and|or)\s+{item})?"


_VI = re.compile(
    rf"""(?<![\w/])(?:
      (?P<points>điểm\s+{_list(_LET)})
        (?:\s+(?P<pclauses>khoản\s+{_list(_NUM)}))?
        (?:\s+(?P<particle>(?:các\s+)?[Đđ]iều\s+(?:{_list(_NUM)}|này)))?
    | (?P<clauses>(?:các\s+)?khoản\s+{_list(_NUM)})
        (?:\s+(?P<carticle>[Đđ]iều\s+(?:{_NUM}|này)))?
    | (?P<articles>(?:các\s+)?[Đđ]iều\s+{_list(_NUM)})
    | (?P<chapters>(?:các\s+)?Chương\s+{_list(_ROMAN)})
    )(?![\w/])""",
    re.VERBOSE,
)
_EN = re.compile(
    rf"""(?<![\w/])(?:
      (?:point\s+\((?P<epoint>{_LET})\)\s+of\s+)?(?:(?:clause|paragraph)\s+(?P<eclause>{_NUM})\s+of\s+)?
        (?P<earticles>Articles?\s+{_list(_NUM)})(?P<brackets>(?:\(\w{{1,3}}\)){{0,2}})
    | (?P<echapters>Chapters?\s+{_list(_ROMAN)})
    )(?![\w/])""",
    re.VERBOSE,
)
#: What follows a reference to another act: its name, capitalised ("Luật Cán bộ, công chức",
#: "Nghị định số 30/2020/NĐ-CP"); the act itself is "… này" in any case.
_ACTS = (
    r"Bộ\s+luật|Luật|Nghị\s+định|Nghị\s+quyết|Thông\s+tư|Quyết\s+định|Hiến\s+pháp|Pháp\s+lệnh|"
    r"Quy\s+định|Quy\s+chế|Điều\s+lệ|Chỉ\s+thị|Kết\s+luận|Hướng\s+dẫn|Văn\s+bản|Công\s+ước|"
    r"Hiệp\s+định|Điều\s+ước"
)
_OTHER_VI = re.compile(rf"\s*,?\s*(?:của\s+|tại\s+)?(?:{_ACTS})(?!\w)(?!\s+này)")
_OTHER_EN = re.compile(r"\s+of\s+(?!this\b|these\b)(?:the\s+)?[A-Z]")
_NUMBERS = {
    "point": re.compile(rf"(?<!\w){_LET}(?!\w)"),
    "number": re.compile(rf"(?<!\w){_NUM}(?!\w)"),
    "roman": re.compile(rf"(?<!\w){_ROMAN}(?!\w)"),
}
_DOCUMENT_PARTS = re.compile(
    r"(phan|chuong|muc|tieu-muc|dieu|khoan|diem|doan|mo-dau|ket-thuc|phu-luc)(-|$)"
)


@dataclass(frozen=True)
class Target:
    """One provision a reference names: a chapter, or an article with an optional clause and
    point (None: the article the reference is in)."""

    chapter: str | None = None
    article: str | None = None
    clause: str | None = None
    point: str | None = None

    def name(self, english: bool = False) -> str:
        """Return the provision's name as written in the language of the text."""
        if self.chapter:
            return f"{'Chapter' if english else 'Chương'} {self.chapter}"
        if english:
            parts = [f"point ({self.point})" if self.point else "",
                     f"clause {self.clause}" if self.clause else "",
                     f"Article {self.article}" if self.article else "this Article"]  # fmt: skip
            return " of ".join(p for p in parts if p)
        parts = [f"điểm {self.point}" if self.point else "",
                 f"khoản {self.clause}" if self.clause else "",
                 f"Điều {self.article}" if self.article else "Điều này"]  # fmt: skip
        return " ".join(p for p in parts if p)


@dataclass(frozen=True)
class Reference:
    """A reference as written in node `node` (its text), what it names, and whether it
    names a provision of another act (not checked)."""

    text: str
    targets: tuple[Target, ...]
    node: Node
    english: bool = False
    external: bool = False


def _items(text: str, kind: str) -> list[str]:
    # The list's words ("điểm", "khoản", "Điều", "và") never match an item pattern.
    words = re.sub(r"^(?:các\s+)?\S+\s+", "", text)
    return _NUMBERS[kind].findall(words)


def _vietnamese(match: re.Match[str]) -> tuple[Target, ...]:
    if match["chapters"]:
        return tuple(Target(chapter=c) for c in _items(match["chapters"], "roman"))
    article_text = match["particle"] or match["carticle"] or match["articles"] or ""
    articles: list[str | None] = [None]
    if article_text and not article_text.endswith("này"):
        articles = list(_items(article_text, "number"))
    clause_text = match["pclauses"] or match["clauses"]
    clauses: list[str | None] = list(_items(clause_text, "number")) if clause_text else [None]
    points: list[str | None] = list(_items(match["points"], "point")) if match["points"] else [None]
    return tuple(
        Target(article=a, clause=c, point=p) for a in articles for c in clauses for p in points
    )


def _english(match: re.Match[str]) -> tuple[Target, ...]:
    if match["echapters"]:
        return tuple(Target(chapter=c) for c in _items(match["echapters"], "roman"))
    inside = re.findall(r"\((\w{1,3})\)", match["brackets"] or "")
    clause = match["eclause"] or (inside[0] if inside else None)
    point = match["epoint"] or (inside[1] if len(inside) > 1 else None)
    return tuple(
        Target(article=a, clause=clause, point=point) for a in _items(match["earticles"], "number")
    )


#: The verbs of an amending provision, right before the references they amend.
_AMENDING = re.compile(
    r"(?i)(?:sửa\s+đổi|bổ\s+sung|bãi\s+bỏ|thay\s+thế|bỏ|amend|repeal|replace|insert)"
    r"(?:s|ed)?\s*,?\s*(?:một\s+số\s+|các\s+)?$"
)


def _unquoted(text: str) -> str:
    """Return `text` with what is between curly quotes (nested ones too) blanked out: an
    amending provision quotes the amended act's wording, whose references are its own."""
    out, depth = [], 0
    for char in text:
        if char == "“":
            depth += 1
        elif char == "”" and depth:
            depth -= 1
            out.append(" ")
            continue
        out.append(" " if depth else char)
    return "".join(out)


#: What joins the references of one list: "Điều 13, Điều 14 và khoản 2 Điều 15 của Luật …".
_JOIN = re.compile(r"\s*(?:,|;)?\s*(?:và|hoặc|and|or)?\s*")


def find(node: Node) -> Iterator[Reference]:
    """Yield the references written in one node's title and text.  References joined in a
    list share the act named after the last one."""
    for text in (node.title, node.text):
        text = _unquoted(text)
        for pattern, english in ((_VI, False), (_EN, True)):
            chain: list[re.Match[str]] = []
            for match in pattern.finditer(text):
                gap = text[chain[-1].end() : match.start()] if chain else ""
                if chain and not _JOIN.fullmatch(gap):
                    yield from _chain(chain, text, node, english)
                    chain = []
                chain.append(match)
            yield from _chain(chain, text, node, english)


def _chain(chain: list[re.Match[str]], text: str, node: Node, english: bool) -> Iterator[Reference]:
    if not chain:
        return
    after = text[chain[-1].end() :]
    other = (_OTHER_EN if english else _OTHER_VI).match(after) is not None
    # "Sửa đổi Điều 3", "Bãi bỏ khoản 2 Điều 5": an amending act names the amended act's.
    other = other or _AMENDING.search(text[: chain[0].start()]) is not None
    for match in chain:
        targets = _english(match) if english else _vietnamese(match)
        yield Reference(match[0], targets, node, english, other)


@dataclass
class _Index:
    """One document's chapters and articles by number."""

    chapters: dict[str, Node]
    articles: dict[str, Node]


def document_of(key: str) -> str:
    """Return the document a node belongs to: its key's prefix ("quyet-dinh") or "" for the
    main document (articles restart in each document of a file)."""
    first = key.split("/", 1)[0]
    return "" if _DOCUMENT_PARTS.match(first) else first


def _indexes(tree: list[Node]) -> dict[str, _Index]:
    indexes: dict[str, _Index] = {}
    for top in tree:
        for node in top.walk():
            index = indexes.setdefault(document_of(node.key), _Index({}, {}))
            if node.kind == "chapter":
                index.chapters.setdefault(node.number, node)
            elif node.kind == "article":
                index.articles.setdefault(node.number, node)
    return indexes


def _child(node: Node, kind: str, number: str) -> Node | None:
    return next((c for c in node.children if c.kind == kind and c.number == number), None)


def _missing(target: Target, index: _Index, here: Node | None, english: bool) -> str | None:
    """Return why `target` names nothing (the part that is missing), or None if it exists."""
    if target.chapter:
        if target.chapter in index.chapters:
            return None
        return f"there is no {'Chapter' if english else 'Chương'} {target.chapter}"
    article = index.articles.get(target.article) if target.article else here
    if article is None:
        if target.article is None:
            return None  # a clause named outside any article: nothing to resolve it against
        return f"there is no {Target(article=target.article).name(english)}"
    if not target.clause:
        return None
    clause = _child(article, "clause", target.clause)
    if clause is None:
        return (
            f"{Target(article=article.number).name(english)} has no clause {target.clause}"
            if english
            else f"Điều {article.number} has no khoản {target.clause}"
        )  # noqa: E501
    if target.point and _child(clause, "point", target.point) is None:
        where = Target(article=article.number, clause=target.clause).name(english)
        return (
            f"{where} has no point {target.point}"
            if english
            else f"{where} has no điểm {target.point}"
        )  # noqa: E501
    return None


def _walk_with_article(tree: list[Node]) -> Iterator[tuple[Node, Node | None]]:
    """Yield every node that may hold references, with the article it is in."""

    def visit(node: Node, article: Node | None) -> Iterator[tuple[Node, Node | None]]:
        if node.kind in ("preamble", "closing", "appendix"):
            return
        if node.kind == "article":
            article = node
        yield node, article
        for child in node.children:
            yield from visit(child, article)

    for top in tree:
        yield from visit(top, None)


#: What every warning about a reference to a missing provision says.
MISSING = "refers to a provision that does not exist"


def about_references(warning: Warning_ | str) -> bool:
    """Return True for the warnings of this module (missing or renumbered provisions), as
    opposed to the parser's numbering faults."""
    text = str(warning)
    return MISSING in text or STALE in text


def check(tree: list[Node]) -> list[Warning_]:
    """Return a warning for every reference to a provision of the act itself that does not
    exist in `tree` (references to other acts are not checked)."""
    indexes = _indexes(tree)
    warnings = []
    for node, article in _walk_with_article(tree):
        index = indexes[document_of(node.key)]
        if not index.articles:
            continue  # a guidance text (items, no "Điều"): its references name other acts
        for reference in find(node):
            if reference.external:
                continue
            for target in reference.targets:
                why = _missing(target, index, article, reference.english)
                if why:
                    warnings.append(
                        Warning_(
                            node.source_line,
                            f"“{reference.text}” {MISSING} ({why})",
                        )
                    )
    return warnings


#: How every renumbering warning starts, so that pages can show them beside the comparison.
STALE = "Reference still uses the old number"


def stale(
    old_tree: list[Node],
    new_tree: list[Node],
    matches: list[tuple[Node | None, Node | None, ArticleMatch]],
) -> list[Warning_]:
    """Return a warning for every reference of the new version that still points at the old
    number of an article the new version renumbered, moved or removed.

    A reference is stale when the new article holding it matches an old article that held
    the same reference, as written (it was not rewritten), and the article it names by number was,
    in the old version, an article that now has another number (the suggestion gives it) or
    is gone.  Clause and point numbers inside a renumbered article are kept as written."""
    old_numbers = {
        a.number: (a, m) for a, _b, m in matches if a is not None and not document_of(a.key)
    }
    old_of_new = {b.key: a for a, b, _m in matches if a is not None and b is not None}
    warnings = []
    for node, article in _walk_with_article(new_tree):
        if article is None or document_of(node.key) or article.key not in old_of_new:
            continue
        before = {r.text for old_node in old_of_new[article.key].walk() for r in find(old_node)}
        for reference in find(node):
            if reference.external or reference.text not in before:
                continue
            renumbered: dict[str, str] = {}
            reasons = []
            for target in {t.article for t in reference.targets if t.article}:
                old = old_numbers.get(target)
                if old is None:
                    continue
                _old_article, match = old
                if match.new_number is None:
                    reasons.append(f"Điều {target} of the previous version was removed")
                elif match.new_number != target:
                    reasons.append(
                        f"Điều {target} of the previous version is now Điều {match.new_number}"
                    )
                    renumbered[target] = match.new_number
            if reasons:
                suggestion = (
                    f"; write “{_renumber(reference.text, renumbered)}”" if renumbered else ""
                )
                warnings.append(
                    Warning_(
                        node.source_line,
                        f"{STALE}: “{reference.text}”: {', '.join(reasons)}{suggestion}",
                    )
                )
    return warnings


def _renumber(text: str, numbers: dict[str, str]) -> str:
    """Return a reference's text with its article numbers replaced as `numbers` says (the
    article numbers only: those after "Điều"/"Article", and the rest of their list)."""
    head = re.search(r"(?:[Đđ]iều|Articles?)\s", text)
    if head is None:
        return text
    start = head.end()
    tail = re.sub(rf"(?<![\w(]){_NUM}(?![\w)])", lambda m: numbers.get(m[0], m[0]), text[start:])
    return text[:start] + tail
