"""Plain comments skip the Markdown parser: their HTML is exactly what the parser and the
sanitiser make of them (a property over texts made of the characters that matter)."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from drafter import markup
from drafter.synthetic import comment_text, question_text

TRICKY = (
    "aăđ Đề nghị.1)-+=*_`[]()!<>&|~#:;\"'\\/\n\t \u00a0\u2028\r\x00\x0c“”…–—"
    "01234 xyzQUY ĐỊNH\ufeff\u0301"
)


def _slow(text: str) -> str:
    parser = markup._parser()
    html = parser.renderer.render(parser.parse(text, {}), parser.options, {})
    return markup.nh3.clean(
        html,
        tags=markup._TAGS,
        attributes=markup._ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=TRICKY, max_size=40))
def test_the_plain_path_renders_as_the_parser_does(text):
    fast = markup._plain_html(text)
    if fast is not None:
        assert fast == _slow(text), repr(text)


def test_most_comments_take_the_plain_path_and_markdown_does_not():
    rng = random.Random(3)
    texts = [comment_text(rng) for _ in range(200)] + [question_text(rng) for _ in range(50)]
    plain = [t for t in texts if markup._plain_html(t) is not None]
    assert len(plain) > 150
    for text in texts:
        assert markup.to_html(text) == _slow(text)
    for text in ("*Lưu ý:* x", "1. một", "- gạch", "# Tiêu đề", "a\\nb", "Xem [đây](http://x)"):
        assert markup._plain_html(text) is None
        assert markup.to_html(text) == _slow(text)
