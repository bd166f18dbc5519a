"""Which proposals a consolidated file applies, and the texts it must give when every change
is accepted or rejected.  Pure: comments in, plans out; the DOCX writer follows the plan."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .blocks import plain_text
from .model import Comment

#: Proposal kinds that change the text when applied.
CHANGING_KINDS = ("new_wording", "add_after", "delete")


@dataclass(frozen=True)
class Change:
    """One proposal applied as tracked changes: replace a provision, insert after it, or
    delete it.  `lines` are the new paragraphs (plain text)."""

    key: str
    kind: str  # "replace", "insert_after" or "delete"
    lines: tuple[str, ...]
    author: str
    date: str
    comment_id: int


@dataclass
class Plan:
    """The changes to apply, by target key, and the proposals left as comments only (with why)."""

    changes: dict[str, list[Change]] = field(default_factory=dict)
    not_applied: dict[int, str] = field(default_factory=dict)


def author_of(comment: Comment) -> str:
    """Return the author shown in Word: the unit, and the delegate who wrote it."""
    return f"{comment.unit_name} ({comment.author})"


def proposal_lines(text: str) -> tuple[str, ...]:
    """Return a proposed wording as plain paragraphs (Markdown emphasis removed)."""
    return tuple(
        plain_text(line) for line in text.replace("\r\n", "\n").split("\n") if line.strip()
    )


def plan(comments: list[Comment], *, applies) -> Plan:
    """Return the plan for `comments` (in document order); `applies(comment)` says whether a
    proposal is to be applied.  A proposal that overlaps one already applied (the same
    provision, or one inside the other) stays a comment: revisions cannot be nested."""
    result = Plan()
    taken: list[str] = []
    for comment in comments:
        if comment.kind not in CHANGING_KINDS or not comment.node_key or not applies(comment):
            continue
        key = comment.node_key
        if comment.kind == "add_after":
            lines = proposal_lines(comment.proposed_text or "")
            if lines:
                result.changes.setdefault(key, []).append(
                    Change(
                        key,
                        "insert_after",
                        lines,
                        author_of(comment),
                        comment.updated_at,
                        comment.id,
                    )
                )
            continue
        if any(_overlaps(key, other) for other in taken):
            result.not_applied[comment.id] = "overlap"
            continue
        lines = () if comment.kind == "delete" else proposal_lines(comment.proposed_text or "")
        kind = "delete" if comment.kind == "delete" or not lines else "replace"
        result.changes.setdefault(key, []).insert(
            0, Change(key, kind, lines, author_of(comment), comment.updated_at, comment.id)
        )
        taken.append(key)
    return result


_LABEL = re.compile(r"\d{1,3}\.|[a-zđ]\)|\(\w{1,3}\)")


def complete(old_first: str, lines: tuple[str, ...]) -> tuple[str, ...]:
    """Return proposed lines with the provision's label kept: delegates often write only the
    new wording of "4. …" or "đ) …", or an article's body without its "Điều 3. Title" line."""
    if not lines:
        return lines
    if old_first.startswith(("Điều ", "Article ")):
        return lines if lines[0].startswith(("Điều ", "Article ")) else (old_first, *lines)
    label = old_first.split(" ", 1)[0]
    if _LABEL.fullmatch(label) and not lines[0].startswith(label):
        return (f"{label} {lines[0]}", *lines[1:])
    return lines


def _overlaps(a: str, b: str) -> bool:
    return a == b or a.startswith(b + "/") or b.startswith(a + "/")
