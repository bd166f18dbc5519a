"""The shipped samples: drafts/ (both formats, both versions) and comments/."""

from __future__ import annotations

import json

import pytest

from drafter.docx.layout import render_version
from drafter.reading import parse_bytes, parse_file

from .conftest import COMMENTS, DRAFTS

COMMENT_KINDS = {"agree", "comment", "new_wording", "delete", "add_after", "question"}


def _tree(parsed):
    return [(n.kind, n.number, n.title, n.text, n.key) for n in parsed.walk()]


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_sample_has_4_chapters_16_articles_in_both_formats(version):
    markdown = parse_file(DRAFTS / f"quy-dinh-dang-doan-{version}.md")
    word = parse_file(DRAFTS / f"quy-dinh-dang-doan-{version}.docx")
    for parsed in (markdown, word):
        assert parsed.count("chapter") == 4
        assert [a.number for a in parsed.articles()] == [str(n) for n in range(1, 17)]
        assert parsed.warnings == []
        assert parsed.title.startswith("Quy định về chức năng, nhiệm vụ, quyền hạn")
    assert _tree(markdown) == _tree(word)


def test_sample_v1_clauses_and_points():
    parsed = parse_file(DRAFTS / "quy-dinh-dang-doan-v1.md")
    assert parsed.count("clause") == 59
    assert parsed.count("point") == 26
    shape = {
        a.number: [
            len([p for p in c.children if p.kind == "point"])
            for c in a.children
            if c.kind == "clause"
        ]
        for a in parsed.articles()
    }
    assert shape["7"] == []  # an article with no clauses
    article4 = next(a for a in parsed.articles() if a.number == "4")
    letters = [p.number for p in article4.children[0].children]
    assert letters == ["a", "b", "c", "d", "đ", "e"]
    keys = [p.key for p in article4.children[0].children]
    assert "chuong-2/dieu-4/khoan-1/diem-d" in keys
    assert "chuong-2/dieu-4/khoan-1/diem-dd" in keys
    # Inline emphasis of the source is kept as Markdown.
    assert "*đảng đoàn, ban cán sự đảng cấp tỉnh*" in parsed.articles()[0].children[0].text
    # The signature block after Điều 16 is not part of it.
    assert parsed.nodes[-1].key == "ket-thuc"
    assert "TỔNG BÍ THƯ" not in parsed.articles()[-1].full_text()


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_committed_docx_is_what_the_writer_makes(version):
    """drafts/*.docx come from scripts/make_sample_docx.py: regenerating gives the same tree."""
    parsed = parse_file(DRAFTS / f"quy-dinh-dang-doan-{version}.md")
    fresh = parse_bytes(render_version(parsed.nodes, title=parsed.title), "fresh.docx")
    committed = parse_file(DRAFTS / f"quy-dinh-dang-doan-{version}.docx")
    assert _tree(fresh) == _tree(committed) == _tree(parsed)


def test_sample_docx_read_by_pandoc(pandoc):
    """An independent reader sees the same 16 articles and the point đ) in our DOCX."""
    text = pandoc("-t", "plain", "--wrap=none", str(DRAFTS / "quy-dinh-dang-doan-v1.docx"))
    lines = text.splitlines()
    assert [line.split(".")[0] for line in lines if line.startswith("Điều ")] == [
        f"Điều {n}" for n in range(1, 17)
    ]
    assert sum(1 for line in lines if line.startswith("Chương ")) == 4
    assert any(line.startswith("đ) ") for line in lines)


def test_sample_comments_are_valid_and_target_existing_provisions():
    data = json.loads((COMMENTS / "gop-y-du-thao-1.json").read_text(encoding="utf-8"))
    draft = parse_file(DRAFTS / data["consultation"]["draft"])
    articles = {a.number: a for a in draft.articles()}
    units = {u["code"]: u for u in data["units"]}
    assert len(units) >= 5
    for unit in units.values():
        assert [d["role"] for d in unit["delegates"]].count("lead") == 1
    assert len(data["comments"]) >= 30
    for comment in data["comments"]:
        assert comment["kind"] in COMMENT_KINDS
        unit = units[comment["unit"]]
        assert comment["author"] in {d["name"] for d in unit["delegates"]}
        if comment["kind"] == "new_wording":
            assert comment["proposed_text"]
        if comment["article"] is None:
            continue
        target = articles[comment["article"]]
        if comment["clause"]:
            target = next(
                c for c in target.children if c.kind == "clause" and c.number == comment["clause"]
            )
        if comment["point"]:
            target = next(
                p for p in target.children if p.kind == "point" and p.number == comment["point"]
            )
        assert target is not None
    assert {c["kind"] for c in data["comments"]} == COMMENT_KINDS
