"""A property of the Word round trip: random word edits applied to a review copy's provisions
(through python-docx, with Track Changes markup or without) come back as proposals whose
texts are exactly the edited provisions, on exactly those provisions."""

from __future__ import annotations

import re

import pytest
from docx.oxml.ns import qn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drafter import review_copy, review_import
from drafter.docx.anchors import bookmark_name
from drafter.storage import open_store

from .review_edits import Editor, open_copy, save

WORDS = ["cơ cấu", "tỉnh", "thường trực", "ủy ban", "đảng đoàn", "phối hợp", "mới"]


@pytest.fixture(scope="module")
def setup(template_world, tmp_path_factory):
    from .consultation_fixture import copy_world

    world = copy_world(template_world, tmp_path_factory.mktemp("property"))
    store = open_store(world.db_path)
    organizer = store.get_user(world.users["organizer"])
    delegate = store.get_user(world.users["tn-member"])
    consultation = store.get_consultation(world.consultation_id)
    data = review_copy.review_copy_file(
        store, organizer, world.consultation_id, "thai-nguyen", zone="UTC"
    ).data
    # Leaf provisions written as one paragraph: a point, or a clause without points.
    leaves = [
        node
        for root in store.get_tree(consultation.version_id)
        for node in root.walk()
        if node.kind in ("clause", "point")
        and not node.children
        and "\n" not in node.text
        and not node.text.startswith("|")
    ]
    yield store, world, delegate, data, leaves
    store.close()


def _bookmarked(document, key: str):
    name = bookmark_name(key)
    for p in document.paragraphs:
        if any(b.get(qn("w:name")) == name for b in p._p.iter(qn("w:bookmarkStart"))):
            return p
    raise AssertionError(key)


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data(), tracked=st.booleans())
def test_random_edits_come_back_as_the_edited_provisions(setup, data, tracked):
    store, world, delegate, copy_bytes, leaves = setup
    document = open_copy(copy_bytes)
    editor = Editor(document, tracked=tracked)
    chosen = data.draw(
        st.lists(st.sampled_from(leaves), min_size=1, max_size=3, unique_by=lambda n: n.key)
    )
    picks = [
        (data.draw(st.integers(0, 99)), data.draw(st.integers(0, 2)), data.draw(st.integers(0, 6)))
        for _node in chosen
    ]
    expected = {}
    for node, (which, op, new) in zip(chosen, picks, strict=True):
        p = _bookmarked(document, node.key)
        label = f"{node.label()} "
        run = p.runs[0]  # a leaf written from plain text: its label opens the first run
        words = [w for w in run.text[len(label) :].split(" ") if w]
        if not run.text.startswith(label) or not words:
            continue
        word = words[which % len(words)]
        new_word = WORDS[new]
        replacement = (new_word, f"{new_word} {word}", "")[op]
        full = p.text
        edited = label + run.text[len(label) :].replace(word, replacement, 1)
        after = _norm(edited + full[len(run.text) :])
        if after == _norm(full):
            continue
        editor.replace_in(p, word, replacement, skip=len(label))
        expected[node.key] = after
    shown = review_import.preview_bytes(
        store, delegate, world.consultation_id, "thai-nguyen", "x.docx", save(document)
    )
    assert {i.key: i.proposed for i in shown.new} == expected
    assert all(i.kind == "new_wording" for i in shown.new)
    assert shown.unplaced == []
