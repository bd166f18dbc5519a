"""The files organizers take away: the consolidated redline, one redline per unit, and the
comparison of two versions.  Each reads the store and returns DOCX bytes."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from . import summary
from .blocks import plain_text
from .config import DEFAULT_TIMEZONE
from .consolidate import CHANGING_KINDS, Plan, author_of, plan
from .consulting import as_units_see, get_readable
from .docx import ooxml
from .docx.anchors import ReviewMeta, add_anchors
from .docx.compare import write_comparison
from .docx.layout import (
    Para,
    Redliner,
    Rendered,
    comment_initials,
    layout,
    new_document,
    to_bytes,
    xml_safe,
)
from .errors import N_, Forbidden, InvalidInput, NotFound
from .labels import DEFAULT_BODY, KIND_LABELS, STATUS_LABELS
from .model import Comment, User
from .normalize import file_stem, slug
from .storage import Store

APPLIED = ("accepted", "partly")
#: Told (steps done, steps in all) as a long export goes: see :mod:`drafter.export_jobs`.
Progress = Callable[[int, int], None]
PROGRESS_EVERY = 200  # comments between two reports of a redline
ORGANIZER_AUTHOR = DEFAULT_BODY


def _comment_paragraphs(comment: Comment, plan_: Plan, applied_ids: set[int]) -> list[str]:
    lines = [f"[{KIND_LABELS[comment.kind]}] {plain_text(comment.text)}".rstrip()]
    applied = comment.id in applied_ids
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
    paras: list[Para],
    comments: list[Comment],
    applies: Callable[[Comment], bool],
    zone: str,
    rendered: Rendered | None = None,
    *,
    unit: str | None = None,
    body: str = "",
    anchors: ReviewMeta | None = None,
    progress: Progress | None = None,
) -> bytes:
    """Return the draft laid out as `paras` with `comments` as Word comments and the
    proposals `applies` accepts as tracked changes; `rendered` reuses the paragraphs
    written for an earlier document of the same export.  A `unit`'s redline names it at
    the top of its first page (a header, outside the text) and as the file's author; the
    organizers' files have the consulting `body` as their author."""
    document = new_document(title, author=unit or body or ORGANIZER_AUTHOR)
    if unit:
        ooxml.first_page_note(document, xml_safe(f"Ý kiến góp ý của {unit}"))
    ooxml.add_comment_styles(document)
    plan_ = plan(comments, applies=applies)
    applied_ids = {c.comment_id for changes in plan_.changes.values() for c in changes}
    redliner = Redliner(document, zone=zone, rendered=rendered)
    redliner.write(paras, plan_)
    if anchors is not None:  # a review copy: a bookmark per provision, and what it is
        add_anchors(document, redliner.by_key, anchors)
    first = document.paragraphs[0]
    word_comments = ooxml.Comments(document)
    for number, comment in enumerate(comments):
        if progress is not None and number % PROGRESS_EVERY == 0:
            progress(number, len(comments))
        if comment.kind == "agree" and not comment.text:
            text = [f"[{KIND_LABELS['agree']}]"]
        else:
            text = _comment_paragraphs(comment, plan_, applied_ids)
        targets = redliner.by_key.get(comment.node_key or "", [first])
        ooxml.anchor_comment(
            word_comments,
            targets,
            text,
            author=author_of(comment),
            initials=comment_initials(comment.unit_name),
            date=ooxml.word_date(comment.created_at, zone),
        )
    return to_bytes(document)


def consolidated(
    store: Store,
    consultation_id: int,
    *,
    zone: str = DEFAULT_TIMEZONE,
    body: str = "",
    progress: Progress | None = None,
) -> bytes:
    """Return the consolidated draft: every submitted comment as a Word comment, every
    accepted or partly accepted proposal as tracked changes by its unit (`progress` is told
    the comments written so far, of all)."""
    consultation = store.get_consultation(consultation_id)
    nodes = store.get_tree(consultation.version_id)
    comments = store.list_comments(consultation_id, submitted_only=True)
    return _redline(
        consultation.draft_title,
        layout(nodes),
        comments,
        lambda c: c.answer is not None and c.answer.status in APPLIED,
        zone,
        body=body,
        progress=progress,
    )


def draft(
    store: Store,
    draft_id: int,
    number: int | None = None,
    *,
    zone: str = DEFAULT_TIMEZONE,
    body: str = "",
) -> bytes:
    """Return a version (default: the latest) as a clean DOCX: the same renderer as the
    consolidated draft, with no comment and no change, so that rejecting every change of a
    consultation's redline gives exactly this file's text."""
    found = store.get_draft(draft_id)
    version = store.get_version(draft_id, number or found.latest_version)
    paras = layout(store.get_tree(version.id))
    return _redline(found.title, paras, [], lambda _c: False, zone, body=body)


def by_unit(
    store: Store,
    consultation_id: int,
    *,
    only: int | None = None,
    zone: str = DEFAULT_TIMEZONE,
    progress: Progress | None = None,
) -> dict[str, bytes]:
    """Return, per unit code, the draft with all of that unit's submitted proposals as
    tracked changes and its comments as Word comments (`only`: one unit's id).  A unit's
    redline may be sent to it: its answers are the PUBLISHED ones only.  `progress` is told
    the units done so far, of all."""
    consultation = store.get_consultation(consultation_id)
    paras = layout(store.get_tree(consultation.version_id))  # laid out and written once
    rendered = Rendered()
    files = {}
    units = [u for u in store.consultation_units(consultation_id) if only is None or u.id == only]
    for number, unit in enumerate(units):
        if progress is not None:
            progress(number, len(units))
        comments = [
            as_units_see(c)
            for c in store.list_comments(consultation_id, unit_id=unit.id, submitted_only=True)
        ]
        if comments:
            files[unit.code] = _redline(
                f"{consultation.draft_title} — {unit.name}",
                paras,
                comments,
                lambda c: c.kind in CHANGING_KINDS,
                zone,
                rendered,
                unit=unit.name,
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
    body: str = "",
) -> bytes:
    """Return version `new_number` against `old_number` as tracked changes by `author`:
    reject all gives the old version, accept all the new one.  Articles are paired by the
    version matching, so a renumbered article is a small diff, and one moved to another
    place is a Word move (w:moveFrom / w:moveTo) with its edits inside."""
    draft = store.get_draft(draft_id)
    old = store.get_tree(store.get_version(draft_id, old_number).id)
    new = store.get_tree(store.get_version(draft_id, new_number).id)
    version = store.get_version(draft_id, new_number)
    document = new_document(
        f"{draft.title}: so sánh phiên bản {old_number} và {new_number}", author=body or author
    )
    write_comparison(
        document, old, new, author=author, date=ooxml.word_date(version.imported_at, zone)
    )
    return to_bytes(document)


@dataclass(frozen=True)
class Download:
    """A file to hand to the user: its bytes and its name (whose suffix gives its type)."""

    data: bytes
    name: str
    title: str | None = None  # the full name, in Vietnamese, for Content-Disposition


SUMMARY_FORMATS = ("docx", "xlsx", "csv", "md")


def consultation_file(
    store: Store,
    user: User,
    consultation_id: int,
    name: str,
    *,
    zone: str,
    body: str = "",
    progress: Progress | None = None,
) -> Download:
    """Return one of a consultation's exports by its name: consolidated.docx, by-unit.zip,
    or summary.docx / .xlsx / .csv / .md; file names start with the draft's title.  The
    consulting `body` is the author of the consolidated draft and of the summary
    (`progress`: see :data:`Progress`)."""
    if not user.is_organizer:
        raise Forbidden(N_("Only organizers can do this."))
    consultation = store.get_consultation(consultation_id)
    stem = file_stem(consultation.draft_title)
    title = consultation.draft_title
    if name == "consolidated.docx":
        data = consolidated(store, consultation_id, zone=zone, body=body, progress=progress)
        return Download(data, f"{stem}-gop-y.docx",
                        f"{title} (góp ý).docx")  # fmt: skip
    if name == "by-unit.zip":
        files = by_unit(store, consultation_id, zone=zone, progress=progress)
        return Download(zip_files(files), f"{stem}-theo-don-vi.zip",
                        f"{title} (theo đơn vị).zip")  # fmt: skip
    base, _dot, suffix = name.partition(".")
    if base == "summary" and suffix in SUMMARY_FORMATS:
        if progress is not None:
            progress(0, 2)
        table = summary.build(store, consultation_id)
        if progress is not None:
            progress(1, 2)
        writers: dict[str, Callable[[summary.Summary], bytes]] = {
            "docx": lambda t: summary.to_docx(t, body=body),
            "xlsx": summary.to_xlsx,
            "csv": summary.to_csv,
            "md": lambda t: summary.to_markdown(t).encode("utf-8"),
        }
        return Download(writers[suffix](table), f"{stem}-tong-hop.{suffix}",
                        f"{title} (bảng tổng hợp).{suffix}")  # fmt: skip
    raise NotFound(N_("There is no export called “%(name)s”."), name=name)


def comparison_file(
    store: Store,
    user: User,
    draft_id: int,
    old: int | None,
    new: int | None,
    *,
    zone: str,
    body: str = "",
) -> Download:
    """Return version `new` (default: the latest) against `old` (default: the one before) as
    tracked changes in a DOCX."""
    if not user.is_organizer:
        raise Forbidden(N_("Only organizers can do this."))
    draft = store.get_draft(draft_id)
    new = new or draft.latest_version
    old = old or new - 1
    store.get_version(draft_id, old)
    store.get_version(draft_id, new)
    if old >= new:
        raise InvalidInput(N_("Compare an earlier version with a later one."))
    data = compare(store, draft_id, old, new, zone=zone, body=body)
    return Download(data, f"{file_stem(draft.title)}-so-sanh-{old}-{new}.docx",
                    f"{draft.title} (so sánh {old} và {new}).docx")  # fmt: skip


def draft_file(
    store: Store, user: User, draft_id: int, number: int | None, *, zone: str, body: str = ""
) -> Download:
    """A version of a draft as a clean DOCX, for organizers."""
    if not user.is_organizer:
        raise Forbidden(N_("Only organizers can do this."))
    found = store.get_draft(draft_id)
    number = number or found.latest_version
    data = draft(store, draft_id, number, zone=zone, body=body)
    return Download(data, f"{file_stem(found.title)}-v{number}.docx",
                    f"{found.title} (phiên bản {number}).docx")  # fmt: skip


def consulted_draft_file(
    store: Store, user: User, consultation_id: int, *, zone: str, body: str = ""
) -> Download:
    """The version a consultation is on, as a clean DOCX, for everyone who may read the
    consultation: its organizers and the delegates of its invited units."""
    consultation = get_readable(store, user, consultation_id)
    version = store.get_version_by_id(consultation.version_id)
    data = draft(store, version.draft_id, version.number, zone=zone, body=body)
    return Download(data, f"{file_stem(consultation.draft_title)}-v{version.number}.docx",
                    f"{consultation.draft_title} (phiên bản {version.number}).docx")  # fmt: skip
