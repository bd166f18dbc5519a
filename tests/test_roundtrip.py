"""Import -> export -> import gives the same tree, for generated drafts (hypothesis)."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drafter.docx.layout import render_version
from drafter.export_md import to_markdown
from drafter.headings import assign_keys
from drafter.model import VIETNAMESE_LETTERS, Node
from drafter.normalize import int_to_roman
from drafter.reading import parse_bytes
from drafter.references import about_references

SYLLABLES = [
    "quy",
    "định",
    "đảng",
    "đoàn",
    "ban",
    "cán",
    "sự",
    "tỉnh",
    "ủy",
    "nhiệm",
    "vụ",
    "quyền",
    "hạn",
    "lãnh",
    "đạo",
    "Điều",
    "khoản",
    "1.",
    "a)",
    "theo",
    "của",
    "và",
    "Chương",
    "“trích”",
    "*nghiêng*",
    "**đậm**",
    "-",
    "Mục",
    "(2)",
    "tổ",
    "chức",
]
words = st.lists(st.sampled_from(SYLLABLES), min_size=1, max_size=14)
sentence = words.map(lambda w: " ".join(w).capitalize() + ".")
# In a Word file nothing marks "1. …" (or "Mục 1.", "Điều 1.") typed at the start of a
# paragraph as not a clause or a heading (a reader would take it for one too), so generated
# DOCX text does not start that way.
_HEADING_START = re.compile(r"^(?:(?:mục|chương|điều)\s+)?(?:1\.|\(2\)|a\))", re.IGNORECASE)
plain_sentence = sentence.filter(lambda s: not _HEADING_START.match(s))
title = st.lists(st.sampled_from(SYLLABLES[:15]), min_size=1, max_size=8).map(
    lambda w: " ".join(w).capitalize()
)


@st.composite
def drafts(draw, sentence=sentence):
    chapters = []
    article_number = 0
    for c in range(draw(st.integers(1, 3))):
        chapter = Node("chapter", int_to_roman(c + 1), draw(title).upper())
        for _ in range(draw(st.integers(1, 3))):
            article_number += 1
            article = Node("article", str(article_number), draw(title))
            if draw(st.booleans()):
                article.text = draw(sentence)
            for k in range(draw(st.integers(0, 3))):
                clause = Node("clause", str(k + 1), text=draw(sentence))
                for p in range(draw(st.integers(0, 6))):
                    clause.children.append(
                        Node("point", VIETNAMESE_LETTERS[p], text=draw(sentence))
                    )
                article.children.append(clause)
            chapter.children.append(article)
        chapters.append(chapter)
    nodes = [Node("preamble", text="**QUY ĐỊNH**\n\n" + draw(sentence)), *chapters]
    assign_keys(nodes)
    return nodes


def _shape(nodes):
    return [(n.kind, n.number, n.title, n.text, n.key) for top in nodes for n in top.walk()]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(drafts())
def test_markdown_round_trip(nodes):
    parsed = parse_bytes(to_markdown(nodes).encode(), "generated.md")
    assert _shape(parsed.nodes) == _shape(nodes)
    # No numbering fault (random words may make a reference to a missing clause).
    assert [w for w in parsed.warnings if not about_references(w)] == []


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(drafts(sentence=plain_sentence))
def test_docx_round_trip(nodes):
    parsed = parse_bytes(render_version(nodes), "generated.docx")
    assert _shape(parsed.nodes) == _shape(nodes)


@settings(max_examples=100, deadline=None)
@given(st.lists(sentence, min_size=1, max_size=30))
def test_markdown_round_trip_of_a_parsed_draft_is_stable(paragraphs):
    """Any text, once parsed, exports to Markdown that parses to the same tree."""
    text = "Điều 1. Phạm vi\n\n" + "\n\n".join(paragraphs)
    first = parse_bytes(text.encode(), "any.md")
    second = parse_bytes(to_markdown(first.nodes).encode(), "again.md")
    assert _shape(second.nodes) == _shape(first.nodes)
