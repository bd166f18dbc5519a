"""Property tests of the importer: whatever the bytes, drafter.reading.parse_bytes returns a
ParsedDraft or raises DraftImportError, nothing else; and a draft it returns has at least one
article, unique keys, and a Markdown export (drafter.export_md.to_markdown) that imports again.

Inputs: text built from the structural fragments of Vietnamese drafts; random bytes; and the
bytes of a real DOCX, mutated (bytes flipped, truncated, zip entries reordered, dropped or
duplicated, word/document.xml replaced by random XML-ish text).  The runs are derandomized
(the same examples every time) and keep no example database, so they write no file.
"""

from __future__ import annotations

import io
import zipfile

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context

from drafter.errors import DraftImportError
from drafter.export_md import to_markdown
from drafter.model import ParsedDraft
from drafter.reading import parse_bytes

from .hostile_helpers import REAL_DOCX, build_zip, zip_parts

REAL = REAL_DOCX.read_bytes()
PARTS = zip_parts(REAL)
DOCUMENT = PARTS["word/document.xml"]


def fuzz_settings(examples: int):
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


def check(data: bytes, name: str, *, same_structure: bool = False) -> ParsedDraft | None:
    """The property: a ParsedDraft or DraftImportError; a draft is sound and re-imports.
    With `same_structure`, the re-imported export must also have the same tree."""
    try:
        parsed = parse_bytes(data, name)
    except DraftImportError as exc:
        refused = str(exc)
    else:
        refused = None
    if refused is not None:
        assert refused.strip(), "an import error without a message"
        _event(f"refused: {refused.split(': ', 1)[-1][:40]}")
        return None
    _event("parsed")
    assert isinstance(parsed, ParsedDraft)
    assert parsed.articles(), "a draft without articles was returned"
    keys = [node.key for node in parsed.walk()]
    assert all(keys), "a node without a key"
    duplicates = sorted({k for k in keys if keys.count(k) > 1})
    assert not duplicates, f"duplicate keys {duplicates[:5]}"
    markdown = to_markdown(parsed.nodes)
    try:
        again = parse_bytes(markdown.encode("utf-8"), "export.md")
    except DraftImportError as exc:  # pragma: no cover - reported with the input
        raise AssertionError(f"the Markdown export does not import again: {exc}") from exc
    assert again.articles()
    if same_structure:
        assert structure(again) == structure(parsed), markdown[:2000]
    return parsed


def structure(parsed: ParsedDraft) -> list[tuple[str, str]]:
    """The tree as (kind, key) in document order."""
    return [(node.kind, node.key) for node in parsed.walk()]


def _event(text: str) -> None:
    if currently_in_test_context():
        event(text)


# -- 1. text made of structural fragments -----------------------------------------------------
STRUCTURE = [
    "Điều 5.", "Điều 1.", "Điều 12a.", "Điều", "Chương II", "Chương I", "CHƯƠNG III", "Chương",
    "Mục 1", "Mục 2.", "Tiểu mục 1", "Phần thứ nhất", "PHẦN I", "1.", "2.", "10.", "1)", "(1)",
    "a)", "b)", "đ)", "dd)", "z)", "“", "”", "\"", "- ", "+ ", "* ", "• ", "PHỤ LỤC",
    "Phụ lục I", "Nơi nhận:", "T/M BAN CHẤP HÀNH", "KT. BÍ THƯ", "I- ", "II.", "IV -", "#",
    "##", "####", "|", "| a | b |", "|---|---|", "\\", "\\*", "**", "*", "_", "`", "```", ">",
    "[", "](", ")", "<", ">", "&amp;", "Article 1.", "Chapter II", "Section 3", "Done at",
]  # fmt: skip
WORDS = [
    "Phạm vi điều chỉnh", "Đối tượng áp dụng", "Đảng đoàn", "Ban cán sự đảng", "nhiệm vụ",
    "quyền hạn", "Quy định này", "có hiệu lực", "kể từ ngày ký", "theo quy định tại khoản 2",
    "Điều lệ Đảng", "tổ chức", "thực hiện", "và", "của", "các", "được", "không",
]  # fmt: skip
ODD = [
    "\x00", "\x01", "\x07", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\u00a0", "\u00ad",
    "\u200b", "\u200d", "\u2028", "\u2029", "\u202e", "\u2066", "\ufeff", "\ufffd", "\ufffe",
    "\uffff", "\U0001f600", "\U0001f468\u200d\U0001f469\u200d\U0001f467", "e\u0301",
    "\u0110", "\u0111", "\u1ec1", "\t", "\r", "\r\n", "\u3000", "\U000e0001", "\u0300",
]  # fmt: skip

fragment = st.one_of(
    st.sampled_from(STRUCTURE),
    st.sampled_from(WORDS),
    st.sampled_from(ODD),
    st.integers(min_value=0, max_value=10**6).map(str),
    st.text(max_size=12),
)
line = st.lists(fragment, min_size=0, max_size=8).map(
    lambda parts: "".join(p if i == 0 else (" " + p) for i, p in enumerate(parts))
)
document_text = st.lists(
    st.tuples(line, st.sampled_from(["\n", "\n\n", "\n\n\n", "\r\n", " \n"])),
    min_size=1,
    max_size=40,
).map(lambda pairs: "".join(text + sep for text, sep in pairs))
# Most drafts start with an article heading, so that parsing goes deep.
draft_text = st.one_of(
    document_text,
    st.tuples(
        st.sampled_from(["Điều 1. ", "# Điều 1. ", "Chương I\n\nĐiều 1. "]), document_text
    ).map("".join),
)


@fuzz_settings(1200)
@given(text=draft_text, name=st.sampled_from(["du-thao.md", "du-thao.txt", "du-thao"]))
def test_structural_text(text, name):
    check(text.encode("utf-8"), name)


@fuzz_settings(300)
@given(
    text=draft_text,
    encoding=st.sampled_from(
        ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1252", "latin-1"]
    ),
)
def test_structural_text_in_other_encodings(text, encoding):
    check(text.encode(encoding, errors="replace"), "du-thao.md")


# -- 2. random bytes --------------------------------------------------------------------------
@fuzz_settings(600)
@given(
    data=st.one_of(
        st.binary(max_size=2000),
        st.binary(max_size=200).map(lambda b: b"PK\x03\x04" + b),
        st.binary(max_size=200).map(lambda b: b"\xff\xfe" + b),
        st.binary(max_size=200).map(lambda b: "Điều 1. ".encode() + b),
    ),
    name=st.sampled_from(["x.docx", "x.md", "x.txt", "x", "x.DOCX", "x.bin", "x.Md"]),
)
def test_random_bytes(data, name):
    check(data, name)


# -- 3. a real DOCX, mutated ------------------------------------------------------------------
@fuzz_settings(250)
@given(
    flips=st.lists(
        st.tuples(st.integers(min_value=0, max_value=len(REAL) - 1), st.integers(1, 255)),
        min_size=1,
        max_size=8,
    )
)
def test_docx_with_flipped_bytes(flips):
    blob = bytearray(REAL)
    for position, mask in flips:
        blob[position] ^= mask
    check(bytes(blob), "flipped.docx")


@fuzz_settings(120)
@given(cut=st.integers(min_value=0, max_value=len(REAL)), suffix=st.binary(max_size=30))
def test_truncated_docx(cut, suffix):
    check(REAL[:cut] + suffix, "truncated.docx")


@fuzz_settings(80)
@given(
    order=st.permutations(list(PARTS)),
    drop=st.sets(st.sampled_from(list(PARTS)), max_size=2),
    duplicate=st.sets(st.sampled_from(list(PARTS)), max_size=1),
)
def test_docx_with_reordered_dropped_or_duplicated_entries(order, drop, duplicate):
    items = [(name, PARTS[name]) for name in order if name not in drop]
    items += [(name, b"<x/>") for name in duplicate]
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile: "Duplicate name"
        data = build_zip(items)
    check(data, "reordered.docx")


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
xml_text = st.text(
    alphabet=st.sampled_from(list("Điều 5.Chương II1.a)đ)“”- ") + list("<>/&;\"'=#|\\x")),
    max_size=40,
)
xml_attribute = st.sampled_from([
    "", ' w:val="0"', ' w:val="99999"', ' w:val="-1"', ' w:val="x"', ' xml:space="preserve"',
])  # fmt: skip
run = st.one_of(
    st.builds(lambda t, a: f"<w:r><w:t{a}>{t}</w:t></w:r>",
              xml_text.map(lambda s: s.replace("&", "&amp;").replace("<", "&lt;")), xml_attribute),
    st.builds(lambda a: f"<w:r><w:rPr><w:b{a}/><w:i{a}/></w:rPr><w:t>Điều 3.</w:t></w:r>",
              xml_attribute),
    st.sampled_from(["<w:r><w:br/></w:r>", "<w:r><w:tab/></w:r>", "<w:ins><w:r><w:t>mới</w:t>"
                     "</w:r></w:ins>", "<w:del><w:r><w:delText>cũ</w:delText></w:r></w:del>",
                     "<w:r><w:noBreakHyphen/></w:r>", "<w:r/>", "<w:r><w:t/></w:r>"]),
    xml_text.map(lambda s: s.replace("&", "&amp;").replace("<", "&lt;")),  # bare text
)  # fmt: skip
paragraph = st.builds(
    lambda style, num, runs: (
        f"<w:p><w:pPr>{style}{num}</w:pPr>{''.join(runs)}</w:p>"
    ),
    st.sampled_from(["", '<w:pStyle w:val="Heading1"/>', '<w:pStyle w:val="ListNumber"/>',
                     '<w:pStyle w:val="nope"/>', '<w:pStyle/>']),
    st.sampled_from(["", '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>',
                     '<w:numPr><w:ilvl w:val="9"/><w:numId w:val="3"/></w:numPr>',
                     '<w:numPr><w:ilvl w:val="x"/><w:numId w:val="1"/></w:numPr>',
                     '<w:numPr><w:ilvl w:val="99"/><w:numId w:val="1"/></w:numPr>',
                     '<w:numPr><w:numId w:val="1"/></w:numPr>', "<w:numPr/>"]),
    st.lists(run, max_size=5),
)  # fmt: skip
table = st.builds(
    lambda rows: "<w:tbl>" + "".join(
        "<w:tr>" + "".join(f"<w:tc>{cell}</w:tc>" for cell in row) + "</w:tr>" for row in rows
    ) + "</w:tbl>",
    st.lists(st.lists(st.one_of(paragraph, st.sampled_from([
        '<w:tcPr><w:gridSpan w:val="3"/></w:tcPr><w:p/>',
        '<w:tcPr><w:gridSpan w:val="x"/></w:tcPr><w:p/>',
        '<w:tcPr><w:vMerge/></w:tcPr><w:p/>'])), max_size=3), max_size=3),
)  # fmt: skip
article_paragraph = st.builds(
    lambda n, title: f"<w:p><w:r><w:t>Điều {n}. {title}</w:t></w:r></w:p>",
    st.integers(min_value=0, max_value=30),
    st.sampled_from(["Phạm vi", "", "Đối tượng", "Hiệu lực"]),
)
valid_item = st.one_of(
    paragraph, article_paragraph, table,
    st.builds(lambda ps: f"<w:sdt><w:sdtContent>{''.join(ps)}</w:sdtContent></w:sdt>",
              st.lists(st.one_of(paragraph, article_paragraph), max_size=3)),
    st.builds(lambda ps: f"<w:customXml>{''.join(ps)}</w:customXml>",
              st.lists(paragraph, max_size=2)),
    st.sampled_from(["<w:sdt/>", "<w:bookmarkStart/>", "<w:sectPr/>",
                     "<![CDATA[Điều 9.]]>", "<!-- Điều 8. -->", "<?pi x?>"]),
)  # fmt: skip
broken_item = st.sampled_from(["<w:customXml>", "</w:p>", "<w:p>", "&nbsp;", "&", "<", "]]>"])
XML_HEADS = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>', "", "  ",
             '<?xml version="1.0" encoding="latin-1"?>']  # fmt: skip


def _document(head: str, items: list[str], tail: str) -> str:
    return f"{head}<w:document {W}><w:body>{''.join(items)}</w:body></w:document>{tail}"


xmlish_document = st.one_of(
    # well-formed (the run texts are escaped; raw text runs may still break it)
    st.builds(_document, st.sampled_from(XML_HEADS[:1]), st.lists(valid_item, max_size=25),
              st.just("")),
    st.builds(_document, st.sampled_from(XML_HEADS[:1]), st.lists(valid_item, max_size=25),
              st.just("")),
    # anything goes
    st.builds(_document, st.sampled_from(XML_HEADS),
              st.lists(st.one_of(valid_item, broken_item), max_size=25),
              st.sampled_from(["", "garbage", "<w:p/>"])),
)  # fmt: skip


@fuzz_settings(300)
@given(document=xmlish_document, with_numbering=st.booleans())
def test_docx_with_random_xmlish_document(document, with_numbering):
    parts = dict(PARTS)
    parts["word/document.xml"] = document.encode("utf-8")
    if not with_numbering:
        parts["word/numbering.xml"] = b"<w:numbering " + W.encode() + b"/>"
    check(build_zip(parts), "xmlish.docx")


@fuzz_settings(120)
@given(noise=st.binary(max_size=400), at=st.integers(min_value=0, max_value=len(DOCUMENT)))
def test_docx_with_bytes_spliced_into_the_document_part(noise, at):
    parts = dict(PARTS)
    parts["word/document.xml"] = DOCUMENT[:at] + noise + DOCUMENT[at:]
    check(build_zip(parts), "spliced.docx")


# -- 4. the Markdown export keeps the structure ----------------------------------------------
@fuzz_settings(600)
@given(text=draft_text)
def test_markdown_export_keeps_the_structure_of_text_drafts(text):
    check(text.encode("utf-8"), "du-thao.md", same_structure=True)


def _bold_runs_paragraph(*texts: str) -> bytes:
    runs = "".join(f"<w:r><w:rPr><w:b/></w:rPr><w:t>{t}</w:t></w:r>" for t in texts)
    parts = dict(PARTS)
    parts["word/document.xml"] = _document(XML_HEADS[0], [f"<w:p>{runs}</w:p>"], "").encode()
    return build_zip(parts)


def test_bold_label_in_article_text_survives_the_markdown_round_trip():
    check(_bold_runs_paragraph("Điều 3.", "Điều 4."), "bold.docx", same_structure=True)


def test_adjacent_bold_labels_survive_the_markdown_round_trip():
    check("**Điều 2.****Điều 3.**\n".encode(), "bold.md", same_structure=True)


# -- 5. sanity: the properties hold on the real samples ---------------------------------------
def test_real_samples_satisfy_the_property():
    assert check(REAL, REAL_DOCX.name, same_structure=True) is not None
    markdown = REAL_DOCX.with_suffix(".md").read_bytes()
    assert check(markdown, "sample.md", same_structure=True) is not None
    with zipfile.ZipFile(io.BytesIO(REAL)) as archive:
        assert "word/document.xml" in archive.namelist()
