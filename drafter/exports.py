"""The files organizers take away: the consolidated redline, one redline per unit, and the
comparison of two versions.  Each reads the store and returns DOCX bytes."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from difflib import SequenceMatcher

from . import ooxml
from .blocks import plain_text
from .config import DEFAULT_TIMEZONE
from .consolidate import CHANGING_KINDS, Plan, author_of, plan
from .diff import word_diff
from .export_docx import (
    Para,
    Redliner,
    _empty_para,
    comment_initials,
    layout,
    new_document,
    to_bytes,
    whole_paragraph,
    write_aligned,
    write_para,
)
from .matching import match_articles, with_containers
from .model import Comment, Node
from .normalize import slug
from .storage import Store

KIND_LABELS = {
    "agree": "Nhất trí với dự thảo", "comment": "Ý kiến", "new_wording": "Đề xuất sửa câu chữ",
    "delete": "Đề nghị bỏ quy định này", "add_after": "Đề nghị bổ sung quy định sau quy định này",
    "question": "Câu hỏi",
}  # fmt: skip
STATUS_LABELS = {
    "accepted": "Tiếp thu",
    "partly": "Tiếp thu một phần",
    "rejected": "Không tiếp thu (giải trình)",
    "noted": "Ghi nhận",
}
APPLIED = ("accepted", "partly")
ORGANIZER_AUTHOR = "Cơ quan chủ trì soạn thảo"


def _comment_paragraphs(comment: Comment, plan_: Plan) -> list[str]:
    lines = [f"[{KIND_LABELS[comment.kind]}] {plain_text(comment.text)}".rstrip()]
    applied = any(c.comment_id == comment.id for changes in plan_.changes.values() for c in changes)
    if comment.proposed_text and not applied:
        lines.append("Đề xuất:")
        lines.extend(line for line in comment.proposed_text.splitlines() if line.strip())
    if applied:
        lines.append("(Đề xuất được thể hiện bằng chế độ theo dõi thay đổi.)")
    elif comment.id in plan_.not_applied:
        lines.append("(Chưa thể hiện: trùng với một đề xuất khác đã được áp dụng.)")
    if comment.answer:
        answer = f"Trả lời — {STATUS_LABELS[comment.answer.status]}"
        explanation = plain_text(comment.answer.explanation.replace("\n", " "))
        lines.append(f"{answer}: {explanation}" if explanation else answer)
    return lines


def _redline(
    title: str,
    nodes: list[Node],
    comments: list[Comment],
    applies: Callable[[Comment], bool],
    zone: str,
) -> bytes:
    document = new_document(title)
    ooxml.add_comment_styles(document)
    plan_ = plan(comments, applies=applies)
    redliner = Redliner(document, zone=zone)
    redliner.write(layout(nodes), plan_)
    first = document.paragraphs[0]
    for comment in comments:
        if comment.kind == "agree" and not comment.text:
            text = [f"[{KIND_LABELS['agree']}]"]
        else:
            text = _comment_paragraphs(comment, plan_)
        targets = redliner.by_key.get(comment.node_key or "", [first])
        ooxml.anchor_comment(
            document,
            targets,
            text,
            author=author_of(comment),
            initials=comment_initials(comment.unit_name),
            date=ooxml.word_date(comment.created_at, zone),
        )
    return to_bytes(document)


def consolidated(store: Store, consultation_id: int, *, zone: str = DEFAULT_TIMEZONE) -> bytes:
    """Return the consolidated draft: every submitted comment as a Word comment, every
    accepted or partly accepted proposal as tracked changes by its unit."""
    consultation = store.get_consultation(consultation_id)
    nodes = store.get_tree(consultation.version_id)
    comments = store.list_comments(consultation_id, submitted_only=True)
    return _redline(
        consultation.draft_title,
        nodes,
        comments,
        lambda c: c.answer is not None and c.answer.status in APPLIED,
        zone,
    )


def by_unit(
    store: Store, consultation_id: int, *, only: int | None = None, zone: str = DEFAULT_TIMEZONE
) -> dict[str, bytes]:
    """Return, per unit code, the draft with all of that unit's submitted proposals as
    tracked changes and its comments as Word comments (`only`: one unit's id)."""
    consultation = store.get_consultation(consultation_id)
    nodes = store.get_tree(consultation.version_id)
    files = {}
    for unit in store.consultation_units(consultation_id):
        if only is not None and unit.id != only:
            continue
        comments = store.list_comments(consultation_id, unit_id=unit.id, submitted_only=True)
        if comments:
            files[unit.code] = _redline(
                f"{consultation.draft_title} — {unit.name}",
                nodes,
                comments,
                lambda c: c.kind in CHANGING_KINDS,
                zone,
            )
    return files


def zip_files(files: dict[str, bytes]) -> bytes:
    """Return a zip of `files` (name → DOCX bytes), each as ``<name>.docx``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in sorted(files.items()):
            archive.writestr(f"{slug(name)}.docx", data)
    return buffer.getvalue()


# -- comparing two versions ----------------------------------------------------------------
def compare(
    store: Store,
    draft_id: int,
    old_number: int,
    new_number: int,
    *,
    author: str = ORGANIZER_AUTHOR,
    zone: str = DEFAULT_TIMEZONE,
) -> bytes:
    """Return version `new_number` against `old_number` as tracked changes by `author`:
    reject all gives the old version, accept all the new one.  Articles are paired by the
    version matching, so a renumbered article is a small diff, and one moved to another
    place is a Word move (w:moveFrom / w:moveTo) with its edits inside."""
    draft = store.get_draft(draft_id)
    old = store.get_tree(store.get_version(draft_id, old_number).id)
    new = store.get_tree(store.get_version(draft_id, new_number).id)
    version = store.get_version(draft_id, new_number)
    document = new_document(f"{draft.title}: so sánh phiên bản {old_number} và {new_number}")
    _Comparer(document, author, ooxml.word_date(version.imported_at, zone)).write(old, new)
    return to_bytes(document)


def _items(paras: list[Para]) -> list[tuple[str | None, list[Para]]]:
    """Group paragraphs into (article key, its paragraphs) and (None, [one other paragraph])."""
    items: list[tuple[str | None, list[Para]]] = []
    for para in paras:
        article = para.owners[0] if para.owners else None
        if article is not None and items and items[-1][0] == article:
            items[-1][1].append(para)
        else:
            items.append((article, [para]))
    return items


def _longest_increasing(values: list[int]) -> set[int]:
    """Return the positions of one longest strictly increasing subsequence of `values`."""
    tails: list[int] = []
    previous: list[int] = [-1] * len(values)
    for i, value in enumerate(values):
        lo, hi = 0, len(tails)
        while lo < hi:
            mid = (lo + hi) // 2
            if values[tails[mid]] < value:
                lo = mid + 1
            else:
                hi = mid
        previous[i] = tails[lo - 1] if lo else -1
        if lo == len(tails):
            tails.append(i)
        else:
            tails[lo] = i
    keep, i = set(), tails[-1] if tails else -1
    while i >= 0:
        keep.add(i)
        i = previous[i]
    return keep


class _Comparer:
    def __init__(self, document, author: str, date: str) -> None:
        self.document, self.author, self.date = document, author, date
        self.ids = ooxml.Ids()
        self.moves = 0

    def write(self, old_nodes: list[Node], new_nodes: list[Node]) -> None:
        old_items, new_items = _items(layout(old_nodes)), _items(layout(new_nodes))
        pairs = {}
        for a, b, _match in match_articles(with_containers(old_nodes), with_containers(new_nodes)):
            if a is not None and b is not None:
                pairs[b.key] = a.key
        old_index = {key: i for i, (key, _) in enumerate(old_items) if key}
        matched_new = [
            (j, old_index[pairs[key]])
            for j, (key, _) in enumerate(new_items)
            if key in pairs and pairs[key] in old_index
        ]
        in_order = _longest_increasing([i for _, i in matched_new])
        anchored = {matched_new[k][0] for k in in_order}
        self.moved = {
            pairs[new_items[j][0]]: new_items[j][0] for j, _ in matched_new if j not in anchored
        }

        def signature(key, paras, side):
            if key is None:
                return ("p", paras[0].plain)
            if side == "new" and key in pairs and key not in self.moved.values():
                return ("a", pairs[key])
            if (
                side == "old"
                and key in old_index
                and key not in self.moved
                and key in pairs.values()
            ):
                return ("a", key)
            return (side, key)

        a_sig = [signature(k, p, "old") for k, p in old_items]
        b_sig = [signature(k, p, "new") for k, p in new_items]
        for op, a1, a2, b1, b2 in SequenceMatcher(None, a_sig, b_sig, autojunk=False).get_opcodes():
            if op == "equal":
                for (ka, pa), (_kb, pb) in zip(old_items[a1:a2], new_items[b1:b2], strict=True):
                    self.changed(pa, pb) if ka else write_para(self.document, pb[0])
                continue
            olds, news = old_items[a1:a2], new_items[b1:b2]
            if len(olds) == len(news) == 1 and olds[0][0] is None and news[0][0] is None:
                self.changed(olds[0][1], news[0][1])
                continue
            for key, paras in olds:
                if key in self.moved:
                    self.move_from(key, paras)
                else:
                    for para in paras:
                        self.whole(para, "del")
            for key, paras in news:
                if key in self.moved.values():
                    source = next(p for k, p in old_items if k == pairs[key])
                    self.move_to(pairs[key], source, paras)
                else:
                    for para in paras:
                        self.whole(para, "ins")

    def whole(self, para: Para, kind: str):
        return whole_paragraph(
            self.document, para, kind, author=self.author, date=self.date, ids=self.ids
        )

    def changed(self, old: list[Para], new: list[Para]) -> None:
        """Write paragraphs that exist in both versions, aligned line by line."""
        write_aligned(self.document, old, new, author=self.author, date=self.date, ids=self.ids)

    def move_from(self, key: str, paras: list[Para]) -> None:
        written = []
        for para in paras:
            paragraph = _empty_para(self.document, para)
            ooxml.add_tracked_runs(
                paragraph,
                [("moved_from", para.plain)],
                author=self.author,
                date=self.date,
                ids=self.ids,
                bold=para.bold,
            )
            ooxml.mark_paragraph(
                paragraph, "moveFrom", author=self.author, date=self.date, ids=self.ids
            )
            written.append(paragraph)
        ooxml.move_range(
            written,
            "moveFrom",
            name=f"move{slug(key)}",
            author=self.author,
            date=self.date,
            ids=self.ids,
        )

    def move_to(self, old_key: str, old: list[Para], new: list[Para]) -> None:
        """Write a moved article at its new place: its words wrapped in w:moveTo, words added
        during the move in w:ins; words it lost are only in the moveFrom copy."""
        written = []
        matcher = SequenceMatcher(
            None, [p.plain for p in old], [p.plain for p in new], autojunk=False
        )
        for op, a1, a2, b1, b2 in matcher.get_opcodes():
            for k, para in enumerate(new[b1:b2]):
                paragraph = _empty_para(self.document, para)
                if op == "equal":
                    pieces = [("equal", para.plain)]
                elif op == "replace" and a1 + k < a2:
                    pieces = [
                        (c.op, c.text)
                        for c in word_diff(old[a1 + k].plain, para.plain)
                        if c.op != "delete"
                    ]
                else:
                    pieces = [("insert", para.plain)]
                ooxml.add_tracked_runs(
                    paragraph,
                    pieces,
                    author=self.author,
                    date=self.date,
                    ids=self.ids,
                    bold=para.bold,
                    moved=True,
                )
                mark = "moveTo" if any(op == "equal" for op, _ in pieces) else "ins"
                ooxml.mark_paragraph(
                    paragraph, mark, author=self.author, date=self.date, ids=self.ids
                )
                written.append(paragraph)
        ooxml.move_range(
            written,
            "moveTo",
            name=f"move{slug(old_key)}",
            author=self.author,
            date=self.date,
            ids=self.ids,
        )
