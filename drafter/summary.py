"""The summary table ("bảng tổng hợp, tiếp thu, giải trình ý kiến góp ý") as DOCX, CSV and Markdown."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from . import grouping, markup, responses, tracing, xlsx
from .diff import condensed
from .docx.summary_table import summary_table_docx
from .export_md import provision_text
from .labels import DEFAULT_BODY, KIND_LABELS, STATUS_LABELS, provision_name
from .model import Comment, Consultation
from .storage import Store

#: Added to the content of a comment whose unit also agrees with the article as drafted.
CONTRADICTS = " (Mâu thuẫn: đơn vị đồng thời nhất trí với dự thảo điều này.)"

#: The last column: where each proposal's wording is in the next version (:mod:`tracing`).
TRACE_COLUMN = "Thể hiện trong dự thảo sau"

COLUMNS = (
    "STT",
    "Điều, khoản, điểm",
    "Đơn vị góp ý",
    "Nội dung góp ý",
    "Đề xuất sửa đổi",
    "Ý kiến tiếp thu, giải trình",
    TRACE_COLUMN,
)


@dataclass
class Group:
    """The comments on one article (or on the whole draft), in document order."""

    heading: str
    rows: list[tuple[str, ...]] = field(default_factory=list)
    #: A proposal's changes against the consulted text, by row index: (op, words) with
    #: op "equal", "insert" or "delete", long unchanged stretches shortened to "…".
    changes: dict[int, list[tuple[str, str]]] = field(default_factory=dict)
    agreed: list[str] = field(default_factory=list)
    #: Units that agree as drafted AND comment or propose: not counted as agreeing.
    contradictory: list[str] = field(default_factory=list)


@dataclass
class Summary:
    title: str
    groups: list[Group]
    silent: list[str]  # units that did not respond
    totals: dict[str, int]


def _proposal_changes(
    store: Store, consultation: Consultation, comment: Comment, cache: dict[str, str]
) -> list[tuple[str, str]] | None:
    if not comment.proposed_text:
        return None
    if comment.kind == "add_after" or not comment.node_key:
        return [("insert", comment.proposed_text)]
    if comment.node_key not in cache:
        node = store.get_node(consultation.version_id, comment.node_key)
        cache[comment.node_key] = provision_text(node)
    return condensed(cache[comment.node_key], comment.proposed_text)


def _where(comment: Comment) -> str:
    return provision_name(comment.node_key, separator=" ", smallest_first=True)


def _answer_text(comment: Comment) -> str:
    if not comment.answer:
        return ""
    explanation = " ".join(comment.answer.explanation.split())
    return f"{STATUS_LABELS[comment.answer.status]}: {explanation}".rstrip(": ")


def _similar(
    store: Store, consultation_id: int, comments: list[Comment]
) -> dict[int, list[Comment]]:
    """Return the stored groups of similar comments that make one row each (comments of two
    or more units that are rows, agreements without text being counted apart), by member id."""
    rows = {c.id: c for c in comments if not (c.kind == "agree" and not c.text)}
    found: dict[int, list[Comment]] = {}
    for group in {
        id(g): g for g in grouping.consultation_groups(store, consultation_id).values()
    }.values():
        members = [rows[c.id] for c in group.comments if c.id in rows]
        if len({c.unit_id for c in members}) >= 2:
            for member in members:
                found[member.id] = members
    return found


def _units_cell(members: list[Comment]) -> str:
    """The units of a row: one unit, or "N đơn vị: A, B, C" for a group of similar comments."""
    units = list(dict.fromkeys(c.unit_name for c in members))
    if len(members) == 1:
        return units[0]
    return f"{len(units)} đơn vị: {', '.join(units)}"


def _answers_cell(members: list[Comment]) -> str:
    """The answer of a row: the one answer when all comments share it, else each unit's."""
    answers = [_answer_text(c) for c in members]
    if len(set(answers)) == 1:
        return answers[0]
    return "\n".join(f"{c.unit_name}: {a or '—'}" for c, a in zip(members, answers, strict=True))


def build(store: Store, consultation_id: int) -> Summary:
    """Return the summary of a consultation's submitted comments."""
    consultation = store.get_consultation(consultation_id)
    comments = store.list_comments(consultation_id, submitted_only=True)
    groups: dict[str, Group] = {"": Group("Ý kiến chung về dự thảo")}
    for article in store.iter_articles(consultation.version_id):
        groups[article.key] = Group(article.heading())
    number = 0
    flagged = responses.contradictions(comments)
    texts: dict[str, str] = {}
    similar = _similar(store, consultation_id, comments)
    traced = tracing.trace_comments(store, consultation, comments, None)
    for comment in comments:
        if comment.id in similar and similar[comment.id][0].id != comment.id:
            continue  # its group's row is written at the group's first comment
        group = groups[comment.article_key or ""]
        torn = (comment.unit_id, comment.article_key or "") in flagged
        if torn and comment.unit_name not in group.contradictory:
            group.contradictory.append(comment.unit_name)
        if comment.kind == "agree" and not comment.text:
            if not torn:
                group.agreed.append(comment.unit_name)
            continue
        number += 1
        changes = _proposal_changes(store, consultation, comment, texts)
        if changes is not None:
            group.changes[len(group.rows)] = changes
        members = similar.get(comment.id, [comment])
        group.rows.append(
            (
                str(number),
                "; ".join(dict.fromkeys(_where(c) for c in members)),
                _units_cell(members),
                f"[{KIND_LABELS[comment.kind]}] {comment.text}".strip()
                + (CONTRADICTS if torn else ""),
                comment.proposed_text or "",
                _answers_cell(members),
                "\n".join(
                    dict.fromkeys(tracing.document_cell(traced.items.get(c.id)) for c in members)
                ),
            )
        )
    responded, no_comments = set(), 0
    for progress in store.unit_progress(consultation_id):
        latest = progress.latest
        if latest is not None and latest.withdrawn_at is None:
            responded.add(progress.unit.name)
            no_comments += int(latest.no_comments)
    units = [u.name for u in store.consultation_units(consultation_id)]
    totals = {
        "units": len(units), "responded": len(responded),
        "comments": number + sum(len(m) - 1 for c, m in similar.items() if m[0].id == c),
        "answered": sum(1 for c in comments if c.answer and not (c.kind == "agree" and not c.text)),
        "agreements": sum(len(g.agreed) for g in groups.values()),
        "contradictions": sum(len(g.contradictory) for g in groups.values()),
        "no_comments": no_comments,
    }  # fmt: skip
    ordered = [groups[""], *(g for k, g in groups.items() if k)]
    return Summary(
        consultation.draft_title,
        [g for g in ordered if g.rows or g.agreed or g.contradictory],
        [u for u in units if u not in responded],
        totals,
    )


def _agreed_line(group: Group) -> str:
    return f"Nhất trí với dự thảo: {len(group.agreed)} đơn vị ({', '.join(group.agreed)})"


def _contradictory_line(group: Group) -> str:
    return (
        f"Vừa nhất trí vừa góp ý (mâu thuẫn, không tính là nhất trí): "
        f"{len(group.contradictory)} đơn vị ({', '.join(group.contradictory)})"
    )


def _notes(group: Group) -> list[str]:
    """Return the lines under an article's rows: who agrees, who contradicts themselves."""
    lines = [_agreed_line(group)] if group.agreed else []
    if group.contradictory:
        lines.append(_contradictory_line(group))
    return lines


def _totals_lines(summary: Summary) -> list[str]:
    t = summary.totals
    lines = [
        f"Số đơn vị được lấy ý kiến: {t['units']}; đã gửi ý kiến: {t['responded']}.",
        f"Số ý kiến góp ý: {t['comments']}; đã trả lời: {t['answered']}; "
        f"lượt nhất trí với dự thảo: {t['agreements']}; "
        f"lượt vừa nhất trí vừa góp ý (mâu thuẫn): {t['contradictions']}.",
    ]
    if summary.silent:
        lines.append("Đơn vị chưa gửi ý kiến: " + ", ".join(summary.silent) + ".")
    return lines


def _rows(summary: Summary) -> list[tuple[str, ...]]:
    """Return the table's rows after the column titles, as plain text (Markdown marks
    removed): a heading row per article, its comments, its agreements, then a blank row and
    the totals."""
    rows: list[tuple[str, ...]] = []
    for group in summary.groups:
        rows.append(("", group.heading, "", "", "", "", ""))
        rows.extend(tuple(_plain(cell) for cell in row) for row in group.rows)
        rows.extend(("", group.heading, line, "", "", "", "") for line in _notes(group))
    rows.append(())
    rows.extend(("", line, "", "", "", "", "") for line in _totals_lines(summary))
    return rows


def _plain(cell: str) -> str:
    """Return a cell as plain text (Markdown marks removed, literal characters kept)."""
    return markup.to_plain(cell)


#: Characters that make a spreadsheet read a cell as a formula (OWASP, "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutral(cell: str) -> str:
    """Return `cell` with a leading apostrophe when it starts like a formula, so that a
    spreadsheet opening the CSV shows it as text (OWASP's guard); other cells unchanged."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def to_csv(summary: Summary) -> bytes:
    """Return the table as CSV in UTF-8 with a BOM, so that Excel reads Vietnamese right.

    A cell that starts with = + - @ TAB or CR gets a leading apostrophe (see :func:`neutral`);
    for sorting and filtering, the XLSX file keeps every cell exactly as typed."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for row in _rows(summary):
        writer.writerow([neutral(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(summary: Summary) -> bytes:
    """Return the table as an XLSX workbook, every cell text (no formula can exist)."""
    return xlsx.table(
        "Tổng hợp ý kiến",
        COLUMNS,
        _rows(summary),
        widths=(6, 22, 24, 60, 45, 45, 30),
        heading_rows=(
            "BẢNG TỔNG HỢP, TIẾP THU, GIẢI TRÌNH Ý KIẾN GÓP Ý",
            f"Đối với: {summary.title}",
        ),
    )


def _cell(text: str) -> str:
    return " ".join(text.replace("|", "\\|").split())


def to_markdown(summary: Summary) -> str:
    """Return the table as Markdown (one pipe table, a heading row per article)."""
    lines = [
        "# BẢNG TỔNG HỢP, TIẾP THU, GIẢI TRÌNH Ý KIẾN GÓP Ý",
        "",
        f"Đối với: {summary.title}",
        "",
        "| " + " | ".join(COLUMNS) + " |",
        "|" + "---|" * len(COLUMNS),
    ]
    for group in summary.groups:
        lines.append(f"| | **{_cell(group.heading)}** | | | | | |")
        for row in group.rows:
            lines.append("| " + " | ".join(_cell(c) for c in row) + " |")
        lines.extend(f"| | | {_cell(line)} | | | | |" for line in _notes(group))
    lines.append("")
    lines.extend(_totals_lines(summary))
    return "\n".join(lines) + "\n"


def to_docx(summary: Summary, *, body: str = "") -> bytes:
    """Return the table as a landscape DOCX: Markdown as runs, each proposal as its changes
    (inserted words underlined, deleted ones struck through); the consulting `body` is the
    file's author."""
    groups = [
        (group.heading, group.rows, "\n".join(_notes(group)) or None, group.changes)
        for group in summary.groups
    ]
    t = summary.totals
    counts = (
        f"Số đơn vị được lấy ý kiến: {t['units']}; đã gửi ý kiến: {t['responded']} "
        f"(trong đó không có ý kiến: {t['no_comments']}); chưa gửi: {len(summary.silent)}."
    )
    return summary_table_docx(
        summary.title, COLUMNS, groups, _totals_lines(summary), counts=counts,
        author=body or DEFAULT_BODY,
    )  # fmt: skip
