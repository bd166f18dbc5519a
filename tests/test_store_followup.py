"""The follow-up part of the store contract (drafter.storage.contract_followup: a unit's own
deadline, deadline changes, publishing answers, answer templates), run against every backend of
tests/test_store_contract.py."""

# ruff: noqa: F811  (the backend fixture imported from test_store_contract is an argument)
from __future__ import annotations

import pytest

from drafter import model_followup
from drafter.errors import NotFound

from .test_store_contract import NOW, _world, backend  # noqa: F401

LATER = "2027-02-01T00:00:00+00:00"


def test_a_units_own_deadline_and_the_changes(backend):
    ids = _world(backend)
    c, unit = ids["consultation"], ids["unit"]
    assert backend.unit_deadline(c, unit) is None
    with backend.transaction():
        backend.set_unit_deadline(c, unit, LATER)
        backend.add_deadline_change(
            c, unit, old="2027-01-01T00:00:00+00:00", new=LATER, reopened=False,
            user_id=ids["user"], now=NOW,
        )  # fmt: skip
        backend.close_consultation(c, now=NOW)
        backend.reopen_consultation(c, "2027-03-01T00:00:00+00:00")
        backend.add_deadline_change(
            c, None, old="2027-01-01T00:00:00+00:00", new="2027-03-01T00:00:00+00:00",
            reopened=True, user_id=ids["user"], now=NOW,
        )  # fmt: skip
    assert backend.unit_deadline(c, unit) == LATER
    assert backend.unit_progress(c)[0].deadline == LATER
    consultation = backend.get_consultation(c)
    assert (consultation.closed_at, consultation.deadline) == (None, "2027-03-01T00:00:00+00:00")
    changes = backend.list_deadline_changes(c)
    assert changes == [
        model_followup.DeadlineChange(
            "2027-01-01T00:00:00+00:00", LATER, "Tỉnh ủy Thái Nguyên", False, "Trưởng đoàn", NOW
        ),
        model_followup.DeadlineChange(
            "2027-01-01T00:00:00+00:00",
            "2027-03-01T00:00:00+00:00",
            None,
            True,
            "Trưởng đoàn",
            NOW,
        ),
    ]
    with backend.transaction():
        backend.set_deadline(c, LATER)
    assert backend.get_consultation(c).deadline == LATER


def test_publishing_marks_the_latest_answer_of_each_comment(backend):
    ids = _world(backend)
    c = ids["consultation"]
    with backend.transaction():
        comment = backend.add_comment(
            c, ids["unit"], ids["user"], node_id=None, article_id=None, kind="comment",
            text="Ý kiến", proposed_text=None, now=NOW,
        )  # fmt: skip
        backend.add_answer(comment, ids["user"], status="noted", explanation="Một", now=NOW)
    assert backend.unpublished_answers(c) == {ids["unit"]: 1}
    assert backend.get_comment(comment).published_answer is None
    with backend.transaction():
        assert backend.publish_answers(c, ids["user"], now=LATER) == 1
        backend.add_answer(comment, ids["user"], status="accepted", explanation="Hai", now=LATER)
    found = backend.get_comment(comment)
    assert (found.answer.explanation, found.answer.published_at) == ("Hai", None)
    assert (found.published_answer.explanation, found.published_answer.published_at) == (
        "Một",
        LATER,
    )
    with backend.transaction():
        assert backend.publish_answers(c, ids["user"], unit_id=ids["unit"] + 1, now=LATER) == 0
        assert backend.publish_answers(c, ids["user"], unit_id=ids["unit"], now=LATER) == 1
    assert backend.get_comment(comment).published_answer.explanation == "Hai"
    assert backend.unpublished_answers(c) == {}


def test_answer_templates(backend):
    ids = _world(backend)
    with backend.transaction():
        second = backend.add_answer_template(
            "Xin giữ", "Xin giữ như dự thảo.", None, ids["user"], now=NOW
        )
        first = backend.add_answer_template(
            "Tiếp thu", "Xin tiếp thu.", "accepted", ids["user"], now=NOW
        )
    assert backend.list_answer_templates() == [
        model_followup.AnswerTemplate(first, "Tiếp thu", "Xin tiếp thu.", "accepted"),
        model_followup.AnswerTemplate(second, "Xin giữ", "Xin giữ như dự thảo.", None),
    ]
    assert backend.get_answer_template(first).title == "Tiếp thu"
    with backend.transaction():
        backend.delete_answer_template(first)
    with pytest.raises(NotFound):
        backend.get_answer_template(first)
