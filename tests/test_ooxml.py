"""The raw OOXML helpers of drafter.docx.ooxml, checked on the XML they write."""

from __future__ import annotations

import docx
from docx.oxml.ns import qn

from drafter.docx import ooxml


def test_ids_never_repeat_and_start_above_comment_ids():
    ids = ooxml.Ids()
    first, second = ids(), ids()
    assert first != second
    assert int(first) > 1000


def test_word_date_is_local_wall_clock_with_z():
    assert ooxml.word_date("2026-01-01T00:00:00+00:00") == "2026-01-01T07:00:00Z"


def test_tracked_runs_wrap_insertions_and_deletions():
    document = docx.Document()
    paragraph = document.add_paragraph()
    ids = ooxml.Ids()
    pieces = [("equal", "Điều "), ("delete", "5"), ("insert", "6")]
    ooxml.add_tracked_runs(paragraph, pieces, author="A", date="2026-01-01T00:00:00Z", ids=ids)
    p = paragraph._p
    deleted = p.find(qn("w:del"))
    inserted = p.find(qn("w:ins"))
    assert deleted.get(qn("w:author")) == "A"
    assert deleted.find(qn("w:r")).find(qn("w:delText")).text == "5"
    assert inserted.find(qn("w:r")).find(qn("w:t")).text == "6"
    assert deleted.get(qn("w:id")) != inserted.get(qn("w:id"))


def test_mark_paragraph_marks_the_paragraph_mark():
    document = docx.Document()
    paragraph = document.add_paragraph("x")
    ooxml.mark_paragraph(paragraph, "ins", author="A", date="d", ids=ooxml.Ids())
    rpr = paragraph._p.find(qn("w:pPr")).find(qn("w:rPr"))
    assert rpr[0].tag == qn("w:ins")


def test_move_range_brackets_the_paragraphs_with_one_id():
    document = docx.Document()
    paras = [document.add_paragraph("a"), document.add_paragraph("b")]
    ooxml.move_range(paras, "moveFrom", name="move1", author="A", date="d", ids=ooxml.Ids())
    start = paras[0]._p.find(qn("w:moveFromRangeStart"))
    end = paras[1]._p.find(qn("w:moveFromRangeEnd"))
    assert start.get(qn("w:name")) == "move1"
    assert start.get(qn("w:id")) == end.get(qn("w:id"))
