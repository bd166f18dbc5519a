"""Markdown rendering: safe HTML, bounded cost on hostile texts, never an exception."""

from __future__ import annotations

import time

import pytest

from drafter import markup

LIMIT = 20_000  # the longest comment a unit can send (consulting.MAX_TEXT)

# Texts that cost Python-Markdown from seconds to minutes, or raised RecursionError.
PATHOLOGICAL = {
    "brackets": "[" * LIMIT,
    "image-brackets": "![" * (LIMIT // 2),
    "nested-brackets": "[" * (LIMIT // 2 - 1) + "a" + "]" * (LIMIT // 2 - 1),
    "unclosed-links": "[a](" * (LIMIT // 4),
    "setext-headings": "a\n=\n" * (LIMIT // 4),
    "nested-lists": "- " * (LIMIT // 2 - 1) + "x",
    "nested-quotes": "> " * (LIMIT // 2 - 1) + "x",
    "emphasis": "*_" * (LIMIT // 2),
    "backticks": "`" * LIMIT,
    "entities": "&#" * (LIMIT // 2),
    "html-tags": "<a " * (LIMIT // 3),
    "table-rows": "|a|b|\n|-|-|\n" * (LIMIT // 12),
}


@pytest.mark.parametrize("name", PATHOLOGICAL)
def test_pathological_text_renders_in_bounded_time(name):
    text = PATHOLOGICAL[name]
    assert len(text) <= LIMIT
    started = time.process_time()  # this process's CPU: other processes cannot slow it
    html = markup.render(text)
    elapsed = time.process_time() - started
    # A denial-of-service regression guard: today the worst of these costs 0.45 s of CPU
    # (most 0.02-0.2 s); Python-Markdown took 37-80 s on them.  5 s is 10x above the one and
    # 7-16x below the other, so only a return to super-linear parsing fails it.
    assert elapsed < 5.0, f"{name}: {elapsed:.2f} s"
    # Nothing typed is lost: either rendered, or (nested too deep) shown as typed.
    if "unrendered" in html:
        assert name in ("nested-lists", "nested-quotes")
        assert html.count("x") == 1


def test_nesting_past_the_limit_is_shown_as_typed_not_cut():
    html = markup.render("- " * 12 + "cuối", note="nguyên văn")
    assert 'class="unrendered"' in html
    assert "cuối" in html
    assert "nguyên văn" in html
    assert "<ul>" in markup.render("- " * 3 + "cuối")


def test_the_recursion_error_input_is_shown_with_its_text():
    html = markup.render("- " * 500 + "x")
    assert "x" in html


def test_markdown_becomes_safe_html():
    html = markup.render(
        "**đậm** _nghiêng_ ~~bỏ~~ [liên kết](https://example.org) [x](javascript:alert(1))\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n<script>alert(1)</script>"
    )
    assert "<strong>đậm</strong>" in html
    assert "<em>nghiêng</em>" in html
    assert "<s>bỏ</s>" in html
    assert '<a href="https://example.org" rel="noopener noreferrer nofollow">' in html
    assert "<table>" in html
    assert "<td>2</td>" in html
    assert "<script" not in html
    assert "&lt;script&gt;" in html
    assert 'href="javascript' not in html


def test_a_text_the_parser_cannot_render_is_shown_as_typed(monkeypatch):
    def broken(_text):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(markup, "to_html", broken)
    html = markup.render("<b>a</b>\nhai", note="Hiển thị nguyên văn")
    assert html == (
        '<div class="unrendered"><p class="note">Hiển thị nguyên văn</p>'
        "<p>&lt;b&gt;a&lt;/b&gt;<br>hai</p></div>"
    )


def test_each_thread_reuses_one_parser():
    assert markup._parser() is markup._parser()
