"""The listing of a consultation's comments for organizers and scripts (`drafter comments`):
every submitted comment, or with drafts every live comment, as plain records (the JSON
schema is documented in README, "Comments listing")."""

from __future__ import annotations

from .errors import N_, NotFound
from .labels import provision_name
from .model import Comment
from .storage import Store

#: The version of the records' layout; raised when a field changes meaning or goes away.
SCHEMA = 1
#: The columns of the CSV file, in order (the answer's fields flattened).
CSV_COLUMNS = (
    "id", "unit_code", "unit_name", "author", "by_organizer", "provision", "provision_name",
    "kind", "text", "proposed_text", "state", "created_at", "updated_at", "answer_status",
    "answer_explanation", "answered_by", "answered_at", "answer_published", "answer_published_at",
)  # fmt: skip


def _record(comment: Comment, code: str, state: str) -> dict:
    answer = comment.answer
    return {
        "id": comment.id,
        "unit_code": code,
        "unit_name": comment.unit_name,
        "author": comment.author,
        "by_organizer": comment.by_organizer,
        "provision": comment.node_key,
        "provision_name": provision_name(comment.node_key),
        "kind": comment.kind,
        "text": comment.text,
        "proposed_text": comment.proposed_text,
        "state": state,
        "created_at": comment.created_at,
        "updated_at": comment.updated_at,
        "answer": None
        if answer is None
        else {
            "status": answer.status,
            "explanation": answer.explanation,
            "answered_by": answer.answered_by,
            "answered_at": answer.answered_at,
            "published": answer.published_at is not None,
            "published_at": answer.published_at,
        },
    }


def _code(units: dict, comment: Comment) -> str:
    unit = units.get(comment.unit_id)
    return unit.code if unit is not None else ""


def comments(
    store: Store, consultation_id: int, *, unit_code: str | None = None, drafts: bool = False
) -> dict:
    """Return a consultation's comments as the documented JSON object: every submitted
    comment (at the revision its unit submitted) or, with `drafts`, every live comment at
    its latest revision, each with its state: ``submitted`` or ``draft`` (not in its unit's
    active submission: never submitted, or the submission was withdrawn).  `unit_code` keeps one unit's."""
    consultation = store.get_consultation(consultation_id)
    units = {u.id: u for u in store.consultation_units(consultation_id)}
    unit_id = None
    if unit_code is not None:
        unit = store.find_unit(unit_code)
        if unit is None or unit.id not in units:
            raise NotFound(N_("There is no unit “%(code)s” in this consultation."), code=unit_code)
        unit_id = unit.id
    submitted = {
        c.id: c for c in store.list_comments(consultation_id, unit_id=unit_id, submitted_only=True)
    }
    records = []
    if drafts:
        for comment in store.list_comments(consultation_id, unit_id=unit_id):
            # A submitted comment cannot change until its unit withdraws the submission.
            state = "submitted" if comment.id in submitted else "draft"
            records.append(_record(comment, _code(units, comment), state))
    else:
        records = [_record(c, _code(units, c), "submitted") for c in submitted.values()]
    return {
        "schema": SCHEMA,
        "consultation": {
            "id": consultation.id,
            "title": consultation.title,
            "draft": consultation.draft_title,
            "version": consultation.version_number,
        },
        "comments": records,
    }


def csv_rows(listing: dict) -> list[dict]:
    """Return the listing's comments flattened for CSV (the answer's fields as columns)."""
    rows = []
    for record in listing["comments"]:
        answer = record["answer"] or {}
        row = {k: v for k, v in record.items() if k != "answer"}
        row.update(
            answer_status=answer.get("status"),
            answer_explanation=answer.get("explanation"),
            answered_by=answer.get("answered_by"),
            answered_at=answer.get("answered_at"),
            answer_published=answer.get("published"),
            answer_published_at=answer.get("published_at"),
        )
        rows.append({column: row[column] for column in CSV_COLUMNS})
    return rows
