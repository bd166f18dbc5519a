"""The parser on the layouts real Vietnamese drafts use, each as text and as DOCX.

Every behaviour is checked on the exact tree (kinds, numbers, titles, keys, texts) from a
Markdown file (paragraphs separated by blank lines), a plain-text file (one paragraph a line)
and a Word file written with python-docx the way Vietnamese drafts are written: headings are
bold centred Normal paragraphs, never Heading styles.  The documents are built by
``docx_factory`` from one list of paragraphs, so the three formats say the same thing.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile

import pytest

from drafter.errors import DraftImportError
from drafter.export_md import to_markdown
from drafter.normalize import slug
from drafter.reading import parse_bytes
from drafter.references import about_references
from tests.docx_factory import (
    Auto,
    H,
    Lines,
    R,
    Table,
    docx_bytes,
    md_bytes,
    numbering_xml,
    txt_bytes,
)

FORMATS = ("md", "txt", "docx")


# -- helpers ---------------------------------------------------------------------------------
def build(items, fmt: str) -> bytes:
    return {"md": md_bytes, "txt": txt_bytes, "docx": docx_bytes}[fmt](items)


def parse(items, fmt: str):
    return parse_bytes(build(items, fmt), f"draft.{fmt}")


def unbold(text: str) -> str:
    """The text without the bold markers that the Markdown and DOCX versions add."""
    return text.replace("**", "")


def outline(parsed, *, kinds=None):
    """(key, kind, number, title, text) of every node but the preamble, in order."""
    return [
        (n.key, n.kind, n.number, n.title, unbold(n.text))
        for n in parsed.walk()
        if n.kind != "preamble" and (kinds is None or n.kind in kinds)
    ]


def messages(parsed):
    return [(w.where, w.message) for w in parsed.warnings]


def round_trips(parsed) -> None:
    """The Markdown export re-imports to the same tree."""
    again = parse_bytes(to_markdown(parsed.nodes).encode(), "export.md")
    assert [n.to_dict() for n in again.nodes] == [n.to_dict() for n in parsed.nodes]


# -- 1. Roman-numeral parts -------------------------------------------------------------------
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("sep", ["- ", " – ", ". "])
def test_roman_parts_instead_of_chapters(fmt, sep):
    items = [
        H("QUY ĐỊNH"),
        "về tổ chức cơ sở đảng",
        H(f"I{sep}QUY ĐỊNH CHUNG"),
        H("Điều 1. Phạm vi điều chỉnh"),
        "1. Quy định này quy định về tổ chức cơ sở đảng.",
        "2. Áp dụng đối với các tổ chức cơ sở đảng.",
        H("Điều 2. Đối tượng áp dụng"),
        "Các tổ chức cơ sở đảng trong toàn Đảng.",
        H(f"II{sep}TỔ CHỨC CƠ SỞ ĐẢNG"),
        H("Điều 3. Tổ chức"),
        "1. Tổ chức cơ sở đảng gồm chi bộ cơ sở và đảng bộ cơ sở.",
        H(f"III{sep}ĐIỀU KHOẢN THI HÀNH"),
        H("Điều 4. Hiệu lực thi hành"),
        "Quy định này có hiệu lực từ ngày ký.",
    ]
    parsed = parse(items, fmt)
    assert outline(parsed) == [
        ("phan-1", "part", "I", "QUY ĐỊNH CHUNG", ""),
        ("phan-1/dieu-1", "article", "1", "Phạm vi điều chỉnh", ""),
        ("phan-1/dieu-1/khoan-1", "clause", "1", "", "Quy định này quy định về tổ chức cơ sở đảng."),
        ("phan-1/dieu-1/khoan-2", "clause", "2", "", "Áp dụng đối với các tổ chức cơ sở đảng."),
        ("phan-1/dieu-2", "article", "2", "Đối tượng áp dụng", "Các tổ chức cơ sở đảng trong toàn Đảng."),
        ("phan-2", "part", "II", "TỔ CHỨC CƠ SỞ ĐẢNG", ""),
        ("phan-2/dieu-3", "article", "3", "Tổ chức", ""),
        ("phan-2/dieu-3/khoan-1", "clause", "1", "", "Tổ chức cơ sở đảng gồm chi bộ cơ sở và đảng bộ cơ sở."),
        ("phan-3", "part", "III", "ĐIỀU KHOẢN THI HÀNH", ""),
        ("phan-3/dieu-4", "article", "4", "Hiệu lực thi hành", "Quy định này có hiệu lực từ ngày ký."),
    ]  # fmt: skip
    assert parsed.count("chapter") == 0
    assert parsed.warnings == []
    assert parsed.title == "Quy định về tổ chức cơ sở đảng"
    round_trips(parsed)


# -- 2. A decision with its own articles, then the regulation it issues ----------------------
DECISION = [
    H("QUYẾT ĐỊNH"),
    "ban hành Quy chế làm việc của Ban Chấp hành Trung ương",
    "Căn cứ Điều lệ Đảng;",
    "BAN CHẤP HÀNH TRUNG ƯƠNG QUYẾT ĐỊNH:",
    R(
        ("Điều 1.", "b"),
        (" Ban hành kèm theo Quyết định này Quy chế làm việc của Ban Chấp hành Trung ương.", ""),
    ),
    R(("Điều 2.", "b"), (" Quyết định này có hiệu lực thi hành kể từ ngày ký.", "")),
    R(
        ("Điều 3.", "b"),
        (" Các cấp ủy, tổ chức đảng chịu trách nhiệm thi hành Quyết định này.", ""),
    ),
]
DECISION_CLOSING = [
    "Nơi nhận:",
    "- Như Điều 3,",
    "- Lưu Văn phòng Trung ương Đảng.",
    H("TM. BAN CHẤP HÀNH TRUNG ƯƠNG"),
    H("TỔNG BÍ THƯ"),
    H("Nguyễn Văn An"),
]
REGULATION = [
    H("QUY CHẾ"),
    "làm việc của Ban Chấp hành Trung ương",
    H("Chương I"),
    H("NHỮNG QUY ĐỊNH CHUNG"),
    H("Điều 1. Phạm vi điều chỉnh"),
    "1. Quy chế này quy định nguyên tắc, chế độ làm việc.",
    "2. Quy chế này áp dụng đối với Ban Chấp hành Trung ương.",
    H("Điều 2. Nguyên tắc làm việc"),
    "Bảo đảm nguyên tắc tập trung dân chủ.",
]
DECISION_TEXTS = [
    "Ban hành kèm theo Quyết định này Quy chế làm việc của Ban Chấp hành Trung ương.",
    "Quyết định này có hiệu lực thi hành kể từ ngày ký.",
    "Các cấp ủy, tổ chức đảng chịu trách nhiệm thi hành Quyết định này.",
]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("closing", [True, False], ids=["with-closing", "without-closing"])
def test_decision_then_the_regulation_it_issues(fmt, closing):
    items = DECISION + (DECISION_CLOSING if closing else []) + REGULATION
    parsed = parse(items, fmt)
    prefix = slug("Quyết định") + "/"
    assert [a.number for a in parsed.articles()] == ["1", "2", "3", "1", "2"]
    assert parsed.warnings == []  # article numbers restart with the second document
    keys = [n.key for n in parsed.walk()]
    assert len(keys) == len(set(keys))
    decision = outline(parsed)[: 3 + closing]
    assert decision[:3] == [
        (f"{prefix}dieu-{i}", "article", str(i), "", text)
        for i, text in enumerate(DECISION_TEXTS, start=1)
    ]
    if closing:
        key, kind, _, title, text = decision[3]
        assert (key, kind, title) == (f"{prefix}ket-thuc", "closing", "")
        assert text.split("\n\n") == [
            "Nơi nhận:",
            "- Như Điều 3,",
            "- Lưu Văn phòng Trung ương Đảng.",
            "TM. BAN CHẤP HÀNH TRUNG ƯƠNG",
            "TỔNG BÍ THƯ",
            "Nguyễn Văn An",
        ]
    # The main document is the regulation: unprefixed keys, its title is the draft's title.
    assert outline(parsed)[3 + closing :] == [
        ("chuong-1", "chapter", "I", "NHỮNG QUY ĐỊNH CHUNG", ""),
        ("chuong-1/dieu-1", "article", "1", "Phạm vi điều chỉnh", ""),
        ("chuong-1/dieu-1/khoan-1", "clause", "1", "", "Quy chế này quy định nguyên tắc, chế độ làm việc."),
        ("chuong-1/dieu-1/khoan-2", "clause", "2", "", "Quy chế này áp dụng đối với Ban Chấp hành Trung ương."),
        ("chuong-1/dieu-2", "article", "2", "Nguyên tắc làm việc", "Bảo đảm nguyên tắc tập trung dân chủ."),
    ]  # fmt: skip
    preambles = [n for n in parsed.nodes if n.kind == "preamble"]
    assert [n.key for n in preambles] == [f"{prefix}mo-dau", "mo-dau"]
    assert unbold(preambles[1].text) == "QUY CHẾ\n\nlàm việc của Ban Chấp hành Trung ương"
    assert parsed.title == "Quy chế làm việc của Ban Chấp hành Trung ương"
    round_trips(parsed)


# -- 3. Untitled articles: "Điều 5." alone, the body on the next paragraph -------------------
@pytest.mark.parametrize("fmt", FORMATS)
def test_untitled_article_body_on_next_paragraph(fmt):
    items = [
        H("Điều 1. Phạm vi điều chỉnh"),
        "Quy định này quy định về công tác kiểm tra.",
        H("Điều 2."),
        "Quy định này áp dụng đối với mọi tổ chức đảng và đảng viên.",
        H("Điều 3."),
        "1. Cấp ủy các cấp lãnh đạo công tác kiểm tra.",
        "2. Ủy ban kiểm tra các cấp tham mưu cho cấp ủy.",
        H("Điều 4"),
        H("Hiệu lực thi hành"),
        "Quy định này có hiệu lực từ ngày ký.",
    ]
    parsed = parse(items, fmt)
    assert outline(parsed) == [
        ("dieu-1", "article", "1", "Phạm vi điều chỉnh", "Quy định này quy định về công tác kiểm tra."),
        ("dieu-2", "article", "2", "", "Quy định này áp dụng đối với mọi tổ chức đảng và đảng viên."),
        ("dieu-3", "article", "3", "", ""),
        ("dieu-3/khoan-1", "clause", "1", "", "Cấp ủy các cấp lãnh đạo công tác kiểm tra."),
        ("dieu-3/khoan-2", "clause", "2", "", "Ủy ban kiểm tra các cấp tham mưu cho cấp ủy."),
        # "Điều 4" without a period: the next line is its title.
        ("dieu-4", "article", "4", "Hiệu lực thi hành", "Quy định này có hiệu lực từ ngày ký."),
    ]  # fmt: skip
    assert parsed.warnings == []
    round_trips(parsed)


# -- 4. The body on the heading line, no title -------------------------------------------------
BODY_SENTENCE = "Các cơ quan, tổ chức, cá nhân có liên quan có trách nhiệm thực hiện Quy định này."


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("bold_label", [True, False], ids=["bold-label", "plain"])
def test_article_body_on_heading_line(fmt, bold_label):
    heading = (
        R(("Điều 2.", "b"), (" " + BODY_SENTENCE, "")) if bold_label else f"Điều 2. {BODY_SENTENCE}"
    )
    items = [
        H("Điều 1. Hiệu lực thi hành"),
        "1. Quy định này có hiệu lực từ ngày ký.",
        "2. Quy định số 01-QĐ/TW hết hiệu lực từ ngày Quy định này có hiệu lực.",
        heading,
    ]
    parsed = parse(items, fmt)
    assert outline(parsed) == [
        ("dieu-1", "article", "1", "Hiệu lực thi hành", ""),
        ("dieu-1/khoan-1", "clause", "1", "", "Quy định này có hiệu lực từ ngày ký."),
        ("dieu-1/khoan-2", "clause", "2", "", items[2][3:]),
        ("dieu-2", "article", "2", "", BODY_SENTENCE),
    ]
    assert parsed.articles()[1].text == BODY_SENTENCE  # no bold markers left over either
    assert parsed.warnings == []
    round_trips(parsed)


SHORT_TXT = (
    f"Điều 1. Hiệu lực thi hành\nQuy định này có hiệu lực từ ngày ký.\nĐiều 2. {BODY_SENTENCE}"
)


@pytest.mark.parametrize(
    "ending",
    [
        "",
        pytest.param(
            "\n",
        ),
    ],
    ids=["no-final-newline", "final-newline"],
)
def test_short_plain_text_file_is_read_one_paragraph_a_line(ending):
    parsed = parse_bytes((SHORT_TXT + ending).encode(), "short.txt")
    assert outline(parsed) == [
        ("dieu-1", "article", "1", "Hiệu lực thi hành", "Quy định này có hiệu lực từ ngày ký."),
        ("dieu-2", "article", "2", "", BODY_SENTENCE),
    ]


# -- 5. Points "a." and "a)" mixed -------------------------------------------------------------
@pytest.mark.parametrize("fmt", FORMATS)
def test_points_with_period_and_parenthesis(fmt):
    items = [
        H("Điều 1. Đối tượng áp dụng"),
        "1. Quy định này áp dụng đối với:",
        "a. Tổ chức đảng;",
        "b) Đảng viên;",
        "c. Cơ quan, đơn vị có liên quan.",
        "2. Trường hợp đặc biệt do Ban Bí thư quyết định.",
    ]
    parsed = parse(items, fmt)
    assert outline(parsed) == [
        ("dieu-1", "article", "1", "Đối tượng áp dụng", ""),
        ("dieu-1/khoan-1", "clause", "1", "", "Quy định này áp dụng đối với:"),
        ("dieu-1/khoan-1/diem-a", "point", "a", "", "Tổ chức đảng;"),
        ("dieu-1/khoan-1/diem-b", "point", "b", "", "Đảng viên;"),
        ("dieu-1/khoan-1/diem-c", "point", "c", "", "Cơ quan, đơn vị có liên quan."),
        ("dieu-1/khoan-2", "clause", "2", "", "Trường hợp đặc biệt do Ban Bí thư quyết định."),
    ]
    assert parsed.warnings == []
    round_trips(parsed)


# -- 6. Dash items inside a clause ----------------------------------------------------------------
@pytest.mark.parametrize("fmt", FORMATS)
def test_dash_items_stay_in_the_clause_text(fmt):
    items = [
        H("Điều 1. Hồ sơ"),
        "1. Hồ sơ gồm:",
        "- Tờ trình;",
        "- Dự thảo văn bản;",
        "+ Báo cáo tiếp thu ý kiến.",
        "2. Hồ sơ gửi về Văn phòng.",
    ]
    parsed = parse(items, fmt)
    assert outline(parsed) == [
        ("dieu-1", "article", "1", "Hồ sơ", ""),
        (
            "dieu-1/khoan-1",
            "clause",
            "1",
            "",
            "Hồ sơ gồm:\n\n- Tờ trình;\n\n- Dự thảo văn bản;\n\n+ Báo cáo tiếp thu ý kiến.",
        ),
        ("dieu-1/khoan-2", "clause", "2", "", "Hồ sơ gửi về Văn phòng."),
    ]
    assert parsed.count("point") == 0
    assert parsed.warnings == []
    round_trips(parsed)


# -- 7. The header table -------------------------------------------------------------------------
HEADER = Table(
    [
        ["BAN CHẤP HÀNH TRUNG ƯƠNG", "ĐẢNG CỘNG SẢN VIỆT NAM"],
        ["Số: 99-QĐ/TW", "Hà Nội, ngày 10 tháng 5 năm 2023"],
    ]
)
HEADER_MARKDOWN = (
    "| BAN CHẤP HÀNH TRUNG ƯƠNG | ĐẢNG CỘNG SẢN VIỆT NAM |\n"
    "|---|---|\n"
    "| Số: 99-QĐ/TW | Hà Nội, ngày 10 tháng 5 năm 2023 |"
)
SHORT_BODY = [
    H("QUY ĐỊNH"),
    H("về công tác kiểm tra"),
    H("Chương I"),
    H("QUY ĐỊNH CHUNG"),
    H("Điều 1. Phạm vi điều chỉnh"),
    "1. Quy định này quy định về công tác kiểm tra.",
    "2. Quy định này áp dụng đối với tổ chức đảng.",
    H("Điều 2. Hiệu lực thi hành"),
    "1. Quy định này có hiệu lực từ ngày ký.",
    "2. Các cấp ủy chịu trách nhiệm thi hành.",
]
SHORT_BODY_OUTLINE = [
    ("chuong-1", "chapter", "I", "QUY ĐỊNH CHUNG", ""),
    ("chuong-1/dieu-1", "article", "1", "Phạm vi điều chỉnh", ""),
    ("chuong-1/dieu-1/khoan-1", "clause", "1", "", "Quy định này quy định về công tác kiểm tra."),
    ("chuong-1/dieu-1/khoan-2", "clause", "2", "", "Quy định này áp dụng đối với tổ chức đảng."),
    ("chuong-1/dieu-2", "article", "2", "Hiệu lực thi hành", ""),
    ("chuong-1/dieu-2/khoan-1", "clause", "1", "", "Quy định này có hiệu lực từ ngày ký."),
    ("chuong-1/dieu-2/khoan-2", "clause", "2", "", "Các cấp ủy chịu trách nhiệm thi hành."),
]  # fmt: skip


@pytest.mark.parametrize("fmt", FORMATS)
def test_header_table_is_the_preamble(fmt):
    parsed = parse([HEADER, *SHORT_BODY], fmt)
    preamble = parsed.nodes[0]
    assert (preamble.kind, preamble.key, preamble.children) == ("preamble", "mo-dau", [])
    paragraphs = unbold(preamble.text).split("\n\n")
    if fmt == "txt":  # a copied header arrives as its lines, one column after the other
        assert paragraphs == [
            "BAN CHẤP HÀNH TRUNG ƯƠNG",
            "Số: 99-QĐ/TW",
            "ĐẢNG CỘNG SẢN VIỆT NAM",
            "Hà Nội, ngày 10 tháng 5 năm 2023",
            "QUY ĐỊNH",
            "về công tác kiểm tra",
        ]
    else:  # a real table stays a Markdown table
        assert paragraphs == [HEADER_MARKDOWN, "QUY ĐỊNH", "về công tác kiểm tra"]
    assert outline(parsed) == SHORT_BODY_OUTLINE
    assert parsed.title == "Quy định về công tác kiểm tra"
    assert parsed.warnings == []
    round_trips(parsed)


def test_header_table_cell_with_line_break_keeps_words_apart():
    import docx

    document = docx.Document()
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "BAN CHẤP HÀNH TRUNG ƯƠNG\nSố: 99-QĐ/TW"  # "\n" is a w:br
    table.cell(0, 1).text = "ĐẢNG CỘNG SẢN VIỆT NAM\nHà Nội, ngày 10 tháng 5 năm 2023"
    document.add_paragraph("Điều 1. Phạm vi")
    document.add_paragraph("Quy định này quy định về công tác kiểm tra.")
    buffer = io.BytesIO()
    document.save(buffer)
    preamble = parse_bytes(buffer.getvalue(), "header.docx").nodes[0]
    assert preamble.kind == "preamble"
    assert re.search(r"TRUNG ƯƠNG(\s|<br\s*/?>)+Số: 99-QĐ/TW", preamble.text), preamble.text
    assert re.search(r"VIỆT NAM(\s|<br\s*/?>)+Hà Nội", preamble.text), preamble.text


# -- 8. Nơi nhận and the signature ------------------------------------------------------------------
CLOSING = [
    "Nơi nhận:",
    "- Các tỉnh ủy, thành ủy,",
    "- Lưu Văn phòng Trung ương Đảng.",
    H("TM. BAN CHẤP HÀNH TRUNG ƯƠNG"),
    H("TỔNG BÍ THƯ"),
    H("Nguyễn Văn An"),
]
CLOSING_LINES = [
    "Nơi nhận:",
    "- Các tỉnh ủy, thành ủy,",
    "- Lưu Văn phòng Trung ương Đảng.",
    "TM. BAN CHẤP HÀNH TRUNG ƯƠNG",
    "TỔNG BÍ THƯ",
    "Nguyễn Văn An",
]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("with_list", [True, False], ids=["noi-nhan", "signature-only"])
def test_closing_block_is_not_part_of_the_last_article(fmt, with_list):
    closing = CLOSING if with_list else CLOSING[3:]
    parsed = parse([*SHORT_BODY, *closing], fmt)
    assert outline(parsed, kinds=("chapter", "article", "clause", "point")) == SHORT_BODY_OUTLINE
    last = parsed.nodes[-1]
    assert (last.kind, last.key, last.title, last.children) == ("closing", "ket-thuc", "", [])
    assert unbold(last.text).split("\n\n") == (CLOSING_LINES if with_list else CLOSING_LINES[3:])
    assert [n.kind for n in parsed.nodes] == ["preamble", "chapter", "closing"]
    assert parsed.warnings == []
    round_trips(parsed)


def test_closing_block_in_a_two_column_table_docx():
    import docx

    document = docx.Document()
    for paragraph in SHORT_BODY[4:]:  # Điều 1, its clauses, Điều 2, its clauses
        if isinstance(paragraph, H):
            document.add_paragraph().add_run(paragraph.text).bold = True
        else:
            document.add_paragraph(paragraph)
    table = document.add_table(rows=1, cols=2)
    left, right = table.cell(0, 0), table.cell(0, 1)
    left.text = "Nơi nhận:"
    left.add_paragraph("- Các tỉnh ủy, thành ủy,")
    left.add_paragraph("- Lưu Văn phòng Trung ương Đảng.")
    right.text = "TM. BAN CHẤP HÀNH TRUNG ƯƠNG"
    right.add_paragraph("TỔNG BÍ THƯ")
    right.add_paragraph("Nguyễn Văn An")
    buffer = io.BytesIO()
    document.save(buffer)
    parsed = parse_bytes(buffer.getvalue(), "closing-table.docx")
    last_article = parsed.articles()[-1]
    assert [c.text for c in last_article.children] == [
        "Quy định này có hiệu lực từ ngày ký.",
        "Các cấp ủy chịu trách nhiệm thi hành.",
    ]
    assert all("Nơi nhận" not in n.text for n in last_article.walk())
    assert parsed.nodes[-1].key == "ket-thuc"
    assert "Nơi nhận" in parsed.nodes[-1].text
    assert "TỔNG BÍ THƯ" in parsed.nodes[-1].text


# -- 9. An appendix after the signature ----------------------------------------------------------
@pytest.mark.parametrize("fmt", FORMATS)
def test_appendix_after_signature(fmt):
    appendix = [
        H("PHỤ LỤC I"),
        H("DANH MỤC CÁC CƠ QUAN THAM MƯU"),
        "1. Ban Tổ chức Trung ương.",
        "2. Ủy ban Kiểm tra Trung ương.",
        "3. Văn phòng Trung ương Đảng.",
    ]
    parsed = parse([*SHORT_BODY, *CLOSING, *appendix], fmt)
    without = parse([*SHORT_BODY, *CLOSING], fmt)
    assert len(parsed.articles()) == len(without.articles()) == 2
    assert parsed.count("clause") == without.count("clause") == 4
    assert outline(parsed, kinds=("chapter", "article", "clause", "point")) == SHORT_BODY_OUTLINE
    assert [n.key for n in parsed.nodes] == ["mo-dau", "chuong-1", "ket-thuc", "phu-luc-1"]
    node = parsed.nodes[-1]
    assert (node.kind, node.number, node.title, node.children) == (
        "appendix",
        "I",
        "PHỤ LỤC I DANH MỤC CÁC CƠ QUAN THAM MƯU",  # the heading and its title in capitals
        [],
    )
    assert unbold(node.text).split("\n\n") == [
        "1. Ban Tổ chức Trung ương.",
        "2. Ủy ban Kiểm tra Trung ương.",
        "3. Văn phòng Trung ương Đảng.",
    ]
    assert unbold(parsed.nodes[-2].text).split("\n\n") == CLOSING_LINES
    assert parsed.warnings == []
    round_trips(parsed)


# -- 10. Cross-references at the start of a wrapped line --------------------------------------------
WRAPPED = [
    H("Điều 1. Xử lý vi phạm"),
    "1. Việc xử lý vi phạm được thực hiện theo quy định tại",
    "Điều 12 của Luật này quy định về trình tự, thủ tục và thẩm quyền",
    "xử lý; trường hợp khác thực hiện theo quy định tại Điều 5 của Quy định này.",
    "2. Việc khiếu nại thực hiện theo quy định tại",
    "Điều 13, Điều 14 và khoản 2",
    "Điều 15 của Luật Khiếu nại.",
    H("Điều 2. Hiệu lực thi hành"),
    "Quy định này có hiệu lực từ ngày ký.",
]


@pytest.mark.parametrize("fmt", FORMATS)
def test_cross_reference_starting_a_line_is_not_an_article(fmt):
    if fmt == "md":  # hard-wrapped Markdown: the lines of a paragraph follow each other
        data = (
            "**Điều 1. Xử lý vi phạm**\n\n"
            + "\n".join(WRAPPED[1:4])
            + "\n\n"
            + "\n".join(WRAPPED[4:7])
            + "\n\n**Điều 2. Hiệu lực thi hành**\n\nQuy định này có hiệu lực từ ngày ký.\n"
        ).encode()
    else:  # one line a paragraph (text copied from a PDF)
        data = build(WRAPPED, fmt)
    parsed = parse_bytes(data, f"wrapped.{fmt}")
    assert [(a.key, a.title) for a in parsed.articles()] == [
        ("dieu-1", "Xử lý vi phạm"),
        ("dieu-2", "Hiệu lực thi hành"),
    ]
    clauses = parsed.articles()[0].children
    assert [(c.kind, c.number) for c in clauses] == [("clause", "1"), ("clause", "2")]
    joiner = " " if fmt == "md" else "\n\n"
    assert clauses[0].text == joiner.join([WRAPPED[1][3:], WRAPPED[2], WRAPPED[3]])
    assert clauses[1].text == joiner.join([WRAPPED[4][3:], WRAPPED[5], WRAPPED[6]])
    assert parsed.articles()[1].text == "Quy định này có hiệu lực từ ngày ký."
    # No numbering fault; the references to the act itself name articles it does not have
    # (see drafter/references.py), those to the Law on complaints are not checked.
    assert [w.message for w in parsed.warnings] == [
        "“Điều 12” refers to a provision that does not exist (there is no Điều 12)",
        "“Điều 5” refers to a provision that does not exist (there is no Điều 5)",
    ]


def _soft_wrapped_docx() -> bytes:
    return docx_bytes(
        [
            H("Điều 1. Xử lý vi phạm"),
            Lines(*WRAPPED[1:4]),  # one paragraph, lines ended by soft breaks (Shift+Enter)
            Lines(*WRAPPED[4:7]),
            H("Điều 2. Hiệu lực thi hành"),
            "Quy định này có hiệu lực từ ngày ký.",
        ]
    )


def test_cross_reference_after_soft_line_break_is_not_an_article_docx():
    parsed = parse_bytes(_soft_wrapped_docx(), "soft.docx")
    assert [a.key for a in parsed.articles()] == ["dieu-1", "dieu-2"]
    assert [c.key for c in parsed.articles()[0].walk()][1:] == ["dieu-1/khoan-1", "dieu-1/khoan-2"]
    # No numbering fault; the text's "Điều 12 của Luật này" and "Điều 5 của Quy định này"
    # name articles this two-article text lacks (drafter/references.py).
    assert [w.message for w in parsed.warnings if not about_references(w)] == []
    assert len(parsed.warnings) == 2


def test_soft_wrapped_sentence_stays_one_paragraph_docx():
    parsed = parse_bytes(_soft_wrapped_docx(), "soft.docx")
    clauses = parsed.articles()[0].children
    assert clauses[0].text == " ".join([WRAPPED[1][3:], WRAPPED[2], WRAPPED[3]])
    assert clauses[1].text == " ".join([WRAPPED[4][3:], WRAPPED[5], WRAPPED[6]])


# -- 11. Amending provisions quoting whole articles --------------------------------------------------
AMENDING = [
    H("Điều 1. Sửa đổi, bổ sung một số điều của Quy định số 01-QĐ/TW"),
    "1. Sửa đổi Điều 3 như sau:",
    "“Điều 3. Nguyên tắc",
    "Bảo đảm nguyên tắc tập trung dân chủ.”",
    "2. Bổ sung Điều 7a như sau:",
    "“Điều 7a. Trách nhiệm của cấp ủy",
    "1. Cấp ủy chịu trách nhiệm:",
    "a) Lãnh đạo công tác kiểm tra;",
    "b) Kiểm tra việc thi hành.",
    "2. Người đứng đầu chịu trách nhiệm cá nhân.”.",
    "3. Bãi bỏ Điều 9.",
    H("Điều 2. Hiệu lực thi hành"),
    "Quy định này có hiệu lực từ ngày ký.",
]


@pytest.mark.parametrize("fmt", FORMATS)
def test_quoted_articles_belong_to_the_amending_clause(fmt):
    parsed = parse(AMENDING, fmt)
    assert outline(parsed) == [
        ("dieu-1", "article", "1", "Sửa đổi, bổ sung một số điều của Quy định số 01-QĐ/TW", ""),
        (
            "dieu-1/khoan-1",
            "clause",
            "1",
            "",
            "Sửa đổi Điều 3 như sau:\n\n“Điều 3. Nguyên tắc\n\n"
            "Bảo đảm nguyên tắc tập trung dân chủ.”",
        ),
        ("dieu-1/khoan-2", "clause", "2", "", "\n\n".join(["Bổ sung Điều 7a như sau:", *AMENDING[5:10]])),
        ("dieu-1/khoan-3", "clause", "3", "", "Bãi bỏ Điều 9."),
        ("dieu-2", "article", "2", "Hiệu lực thi hành", "Quy định này có hiệu lực từ ngày ký."),
    ]  # fmt: skip
    assert parsed.count("point") == 0
    assert parsed.warnings == []
    round_trips(parsed)


@pytest.mark.parametrize("fmt", FORMATS)
def test_inner_quoted_term_does_not_end_the_amendment(fmt):
    items = [
        H("Điều 1. Sửa đổi, bổ sung một số điều"),
        "1. Sửa đổi Điều 3 như sau:",
        "“Điều 3. Giải thích từ ngữ",
        "1. Chi bộ, đảng bộ sau đây gọi chung là “tổ chức đảng”.",
        "2. Đảng viên là thành viên của tổ chức đảng.”",
        "2. Bãi bỏ Điều 9.",
        H("Điều 2. Hiệu lực thi hành"),
        "Quy định này có hiệu lực từ ngày ký.",
    ]
    parsed = parse(items, fmt)
    assert outline(parsed) == [
        ("dieu-1", "article", "1", "Sửa đổi, bổ sung một số điều", ""),
        ("dieu-1/khoan-1", "clause", "1", "", "\n\n".join(["Sửa đổi Điều 3 như sau:", *items[2:5]])),
        ("dieu-1/khoan-2", "clause", "2", "", "Bãi bỏ Điều 9."),
        ("dieu-2", "article", "2", "Hiệu lực thi hành", "Quy định này có hiệu lực từ ngày ký."),
    ]  # fmt: skip
    assert parsed.warnings == []


# -- 12. Division titles: capitals, two lines, stray periods, inline forms -------------------
TITLES = [
    H("Chương I"),
    H("TỔ CHỨC ĐẢNG"),
    H("Điều 1. Phạm vi"),
    "Quy định này quy định về tổ chức đảng.",
    H("Chương II"),
    H("TỔ CHỨC ĐẢNG TRONG QUÂN ĐỘI"),
    H("VÀ CÔNG AN NHÂN DÂN"),
    H("Mục 1."),
    H("TỔ CHỨC ĐẢNG TRONG QUÂN ĐỘI"),
    H("Điều 2. ĐẢNG BỘ QUÂN ĐỘI"),
    "Mục đích của việc tổ chức là bảo đảm sự lãnh đạo tuyệt đối của Đảng.",
    "Chương trình: gồm ba phần.",
    "Mục tiêu: bảo đảm sự thống nhất.",
    H("Mục 2."),
    H("TỔ CHỨC ĐẢNG TRONG CÔNG AN"),
    H("Điều 3. Đảng bộ Công an"),
    "Đảng bộ Công an Trung ương trực thuộc Ban Chấp hành Trung ương.",
    H("CHƯƠNG III: ĐIỀU KHOẢN THI HÀNH"),
    H("Điều 4. Hiệu lực"),
    "Quy định này có hiệu lực từ ngày ký.",
    H("Chương IV. Tổ chức thực hiện"),
    H("Điều 5. Trách nhiệm thi hành"),
    "Các cấp ủy thi hành Quy định này.",
]


@pytest.mark.parametrize("fmt", FORMATS)
def test_division_titles(fmt):
    parsed = parse(TITLES, fmt)
    assert outline(parsed) == [
        ("chuong-1", "chapter", "I", "TỔ CHỨC ĐẢNG", ""),
        ("chuong-1/dieu-1", "article", "1", "Phạm vi", "Quy định này quy định về tổ chức đảng."),
        ("chuong-2", "chapter", "II", "TỔ CHỨC ĐẢNG TRONG QUÂN ĐỘI VÀ CÔNG AN NHÂN DÂN", ""),
        ("chuong-2/muc-1", "section", "1", "TỔ CHỨC ĐẢNG TRONG QUÂN ĐỘI", ""),
        (
            "chuong-2/muc-1/dieu-2",
            "article",
            "2",
            "ĐẢNG BỘ QUÂN ĐỘI",
            "Mục đích của việc tổ chức là bảo đảm sự lãnh đạo tuyệt đối của Đảng.\n\n"
            "Chương trình: gồm ba phần.\n\nMục tiêu: bảo đảm sự thống nhất.",
        ),
        ("chuong-2/muc-2", "section", "2", "TỔ CHỨC ĐẢNG TRONG CÔNG AN", ""),
        ("chuong-2/muc-2/dieu-3", "article", "3", "Đảng bộ Công an", "Đảng bộ Công an Trung ương trực thuộc Ban Chấp hành Trung ương."),
        ("chuong-3", "chapter", "III", "ĐIỀU KHOẢN THI HÀNH", ""),
        ("chuong-3/dieu-4", "article", "4", "Hiệu lực", "Quy định này có hiệu lực từ ngày ký."),
        ("chuong-4", "chapter", "IV", "Tổ chức thực hiện", ""),
        ("chuong-4/dieu-5", "article", "5", "Trách nhiệm thi hành", "Các cấp ủy thi hành Quy định này."),
    ]  # fmt: skip
    assert parsed.warnings == []
    round_trips(parsed)


# -- 13. Numbering checks ------------------------------------------------------------------------
def _articles(*numbers):
    items = []
    for n in numbers:
        items += [H(f"Điều {n}. Nội dung điều {n}"), f"Văn bản của điều {n}."]
    return items


def _points(*letters):
    return [
        H("Điều 1. Đối tượng"),
        "1. Áp dụng đối với:",
        *[f"{letter}) Đối tượng {letter};" for letter in letters],
        "2. Khoản hai.",
    ]


NUMBERING = [
    # id, items, expected numbers (articles, or the points/clauses of Điều 1),
    # expected warnings: (index of the paragraph in `items`, words the message holds)
    ("article-gap", _articles(1, 2, 3, 4, 6), ["1", "2", "3", "4", "6"], [(8, ["Điều 6", "Điều 4", "5"])]),
    ("article-repeat", _articles(1, 2, 3, 4, 4, 5), ["1", "2", "3", "4", "4", "5"], [(8, ["Điều 4", "twice"])]),
    ("articles-in-order", _articles(1, 2, 3), ["1", "2", "3"], []),
    (
        "clause-gap",
        [H("Điều 1. Phạm vi"), "1. Khoản một.", "3. Khoản ba.", "4. Khoản bốn."],
        ["1", "3", "4"],
        [(2, ["khoản 3", "khoản 1", "khoản 2"])],
    ),
    ("points-a-to-dd-to-h", _points(*"abcd", "đ", *"eghi"), [*"abcd", "đ", *"eghi"], []),
    ("points-skipping-dd", _points(*"abcde"), list("abcde"), [(6, ["e)", "đ"])]),
    ("point-f-after-e", _points(*"abcd", "đ", "e", "f"), [*"abcd", "đ", "e", "f"], [(8, ["f)", "g"])]),
]  # fmt: skip


def _place_of_index(items, fmt: str, index: int) -> str:
    """Where the parser says paragraph `index` of `items` (one line each) is."""
    if fmt == "docx":
        return f"paragraph {index + 1}"
    if fmt == "txt":
        return f"line {index + 1}"
    return f"line {2 * index + 1}"  # Markdown: a blank line between paragraphs


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("items", "numbers", "expected"), [c[1:] for c in NUMBERING], ids=[c[0] for c in NUMBERING]
)
def test_numbering_checks(fmt, items, numbers, expected):
    parsed = parse(items, fmt)
    round_trips(parsed)
    warnings = messages(parsed)
    assert [place for place, _ in warnings] == [_place_of_index(items, fmt, i) for i, _ in expected]
    for (_, message), (_, words) in zip(warnings, expected, strict=True):
        for word in words:
            assert word in message, (word, message)
    if sum(isinstance(item, H) for item in items) > 1:  # a list of articles
        assert [a.number for a in parsed.articles()] == numbers
        assert all(not a.children for a in parsed.articles())
        return
    first = parsed.articles()[0]
    assert len(parsed.articles()) == 1
    if numbers[0].isalpha():
        clause = first.children[0]
        assert [(p.kind, p.number) for p in clause.children] == [("point", n) for n in numbers]
        assert [p.key for p in clause.children] == [
            f"dieu-1/khoan-1/diem-{n.replace('đ', 'dd')}" for n in numbers
        ]
        assert [(c.number, c.text) for c in first.children[1:]] == [("2", "Khoản hai.")]
    else:
        assert [(c.kind, c.number) for c in first.children] == [("clause", n) for n in numbers]


@pytest.mark.parametrize("fmt", FORMATS)
def test_article_repeat_keeps_distinct_keys(fmt):
    parsed = parse(_articles(1, 2, 3, 4, 4, 5), fmt)
    assert [(a.number, a.key) for a in parsed.articles()] == [
        ("1", "dieu-1"), ("2", "dieu-2"), ("3", "dieu-3"),
        ("4", "dieu-4"), ("4", "dieu-4-2"), ("5", "dieu-5"),
    ]  # fmt: skip


@pytest.mark.parametrize("fmt", FORMATS)
def test_d_and_dd_are_distinct_points(fmt):
    parsed = parse(_points("a", "b", "c", "d", "đ"), fmt)
    points = [n for n in parsed.walk() if n.kind == "point"]
    assert [(p.number, p.key, p.text) for p in points][-2:] == [
        ("d", "dieu-1/khoan-1/diem-d", "Đối tượng d;"),
        ("đ", "dieu-1/khoan-1/diem-dd", "Đối tượng đ;"),
    ]
    assert parsed.warnings == []


# -- 14. Heading-only clauses and text after points ------------------------------------------
@pytest.mark.parametrize("fmt", FORMATS)
def test_unnumbered_paragraphs_under_clauses(fmt):
    items = [
        H("Điều 1. Nguyên tắc hoạt động"),
        "1. Nguyên tắc",
        "Tổ chức đảng hoạt động theo nguyên tắc tập trung dân chủ.",
        "Tập thể lãnh đạo, cá nhân phụ trách.",
        "2. Chế độ làm việc:",
        "a) Làm việc theo chế độ tập thể;",
        "b) Họp định kỳ mỗi tháng một lần.",
        "Trường hợp cần thiết có thể họp bất thường.",
        "3. Chế độ báo cáo.",
        H("Điều 2. Hiệu lực"),
        "Quy định này có hiệu lực từ ngày ký.",
    ]
    parsed = parse(items, fmt)
    assert outline(parsed) == [
        ("dieu-1", "article", "1", "Nguyên tắc hoạt động", ""),
        (
            "dieu-1/khoan-1",
            "clause",
            "1",
            "",
            "Nguyên tắc\n\nTổ chức đảng hoạt động theo nguyên tắc tập trung dân chủ.\n\n"
            "Tập thể lãnh đạo, cá nhân phụ trách.",
        ),
        ("dieu-1/khoan-2", "clause", "2", "", "Chế độ làm việc:"),
        ("dieu-1/khoan-2/diem-a", "point", "a", "", "Làm việc theo chế độ tập thể;"),
        ("dieu-1/khoan-2/diem-b", "point", "b", "", "Họp định kỳ mỗi tháng một lần."),
        ("dieu-1/khoan-2/doan-1", "paragraph", "", "", "Trường hợp cần thiết có thể họp bất thường."),
        ("dieu-1/khoan-3", "clause", "3", "", "Chế độ báo cáo."),
        ("dieu-2", "article", "2", "Hiệu lực", "Quy định này có hiệu lực từ ngày ký."),
    ]  # fmt: skip
    assert parsed.warnings == []
    round_trips(parsed)


# -- 15. Text normalisation ---------------------------------------------------------------------------
def _nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


ODD_LINES = [
    _nfd("Chương I"),
    _nfd("QUY ĐỊNH\u00a0 CHUNG"),
    _nfd("Điều\u00a01.\tPhạm vi\u200b điều   chỉnh"),
    _nfd("1.\u00a0Quy\u200b định   này\tquy định\u2003về công tác kiểm tra."),
    _nfd("a)\u00a0Tổ chức\u2060 đảng\u00ad;"),
]


@pytest.mark.parametrize("fmt", FORMATS)
def test_text_normalisation(fmt):
    if fmt == "docx":
        data = docx_bytes(ODD_LINES)
    else:
        joiner = "\n\n" if fmt == "md" else "\n"
        data = ("\ufeff" + joiner.join(ODD_LINES) + "\n").encode()
    assert not unicodedata.is_normalized("NFC", "".join(ODD_LINES))
    parsed = parse_bytes(data, f"odd.{fmt}")
    assert outline(parsed) == [
        ("chuong-1", "chapter", "I", "QUY ĐỊNH CHUNG", ""),
        ("chuong-1/dieu-1", "article", "1", "Phạm vi điều chỉnh", ""),
        ("chuong-1/dieu-1/khoan-1", "clause", "1", "", "Quy định này quy định về công tác kiểm tra."),
        ("chuong-1/dieu-1/khoan-1/diem-a", "point", "a", "", "Tổ chức đảng;"),
    ]  # fmt: skip
    for node in parsed.walk():
        for text in (node.title, node.text):
            assert unicodedata.is_normalized("NFC", text)
            assert not re.search("[\u00a0\u200b\u2060\u00ad\ufeff\t\u2003]|  ", text)


@pytest.mark.parametrize("fmt", FORMATS)
def test_chapter_title_on_two_lines_joined(fmt):
    """DOCX: one paragraph with soft line breaks (Shift+Enter); text: the lines as written."""
    items = [
        Lines("Chương I", "TỔ CHỨC ĐẢNG TRONG QUÂN ĐỘI", "VÀ CÔNG AN NHÂN DÂN", bold=True),
        H("Điều 1. Phạm vi"),
        "Quy định này quy định về tổ chức đảng.",
    ]
    parsed = parse(items, fmt)
    assert outline(parsed) == [
        ("chuong-1", "chapter", "I", "TỔ CHỨC ĐẢNG TRONG QUÂN ĐỘI VÀ CÔNG AN NHÂN DÂN", ""),
        ("chuong-1/dieu-1", "article", "1", "Phạm vi", "Quy định này quy định về tổ chức đảng."),
    ]
    assert parsed.warnings == []


# -- 16. Word automatic numbering ---------------------------------------------------------------------
AUTO_TYPED = [
    H("Điều 1. Phạm vi"),
    "1. Quy định này quy định về công tác kiểm tra.",
    "2. Quy định này áp dụng đối với tổ chức đảng.",
    "3. Trường hợp khác do Ban Bí thư quyết định.",
    H("Điều 2. Hiệu lực"),
    "Quy định này có hiệu lực từ ngày ký.",
]


@pytest.mark.parametrize("fmt", FORMATS)
def test_word_list_number_style_gives_clauses(fmt):
    if fmt == "docx":  # the numbers are Word's ("List Number"), not typed
        items = [AUTO_TYPED[0], *[Auto(t[3:]) for t in AUTO_TYPED[1:4]], *AUTO_TYPED[4:]]
        data = docx_bytes(items)
        assert b"1. Quy" not in zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
    else:
        data = build(AUTO_TYPED, fmt)
    parsed = parse_bytes(data, f"auto.{fmt}")
    assert outline(parsed) == [
        ("dieu-1", "article", "1", "Phạm vi", ""),
        ("dieu-1/khoan-1", "clause", "1", "", "Quy định này quy định về công tác kiểm tra."),
        ("dieu-1/khoan-2", "clause", "2", "", "Quy định này áp dụng đối với tổ chức đảng."),
        ("dieu-1/khoan-3", "clause", "3", "", "Trường hợp khác do Ban Bí thư quyết định."),
        ("dieu-2", "article", "2", "Hiệu lực", "Quy định này có hiệu lực từ ngày ký."),
    ]
    assert parsed.warnings == []


def test_word_multilevel_numbering_gives_clauses_and_points_docx():
    numbering = numbering_xml([("decimal", "%1."), ("lowerLetter", "%2)")])
    items = [
        H("Điều 1. Đối tượng áp dụng"),
        Auto("Quy định này áp dụng đối với:"),
        Auto("Tổ chức đảng;", level=1),
        Auto("Đảng viên;", level=1),
        Auto("Các cơ quan có liên quan gồm:"),
        Auto("Cơ quan một;", level=1),
        Auto("Cơ quan hai;", level=1),
        Auto("Cơ quan ba;", level=1),
        Auto("Cơ quan bốn;", level=1),
        Auto("Cơ quan năm.", level=1),
        H("Điều 2. Hiệu lực"),
        "Quy định này có hiệu lực từ ngày ký.",
    ]
    parsed = parse_bytes(docx_bytes(items, numbering=numbering), "multilevel.docx")
    assert outline(parsed) == [
        ("dieu-1", "article", "1", "Đối tượng áp dụng", ""),
        ("dieu-1/khoan-1", "clause", "1", "", "Quy định này áp dụng đối với:"),
        ("dieu-1/khoan-1/diem-a", "point", "a", "", "Tổ chức đảng;"),
        ("dieu-1/khoan-1/diem-b", "point", "b", "", "Đảng viên;"),
        ("dieu-1/khoan-2", "clause", "2", "", "Các cơ quan có liên quan gồm:"),
        ("dieu-1/khoan-2/diem-a", "point", "a", "", "Cơ quan một;"),
        ("dieu-1/khoan-2/diem-b", "point", "b", "", "Cơ quan hai;"),
        ("dieu-1/khoan-2/diem-c", "point", "c", "", "Cơ quan ba;"),
        ("dieu-1/khoan-2/diem-d", "point", "d", "", "Cơ quan bốn;"),
        # Word's lowerLetter goes d, e: read as Word shows it, warned about.
        ("dieu-1/khoan-2/diem-e", "point", "e", "", "Cơ quan năm."),
        ("dieu-2", "article", "2", "Hiệu lực", "Quy định này có hiệu lực từ ngày ký."),
    ]  # fmt: skip
    assert len(parsed.warnings) == 1
    assert parsed.warnings[0].where == "paragraph 10"
    assert "e)" in parsed.warnings[0].message
    assert "đ" in parsed.warnings[0].message


# -- 17. Inline bold and italic -------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["md", "docx"])
def test_inline_emphasis_kept_as_markdown(fmt):
    items = [
        H("Điều 1. Giải thích từ ngữ"),
        R(
            ("1. ", ""),
            ("Đảng đoàn", "b"),
            (" là tổ chức đảng do ", ""),
            ("cấp ủy", "i"),
            (" lập ra; ", ""),
            ("rất quan trọng", "bi"),
            (".", ""),
        ),
        R(("2.", "b"), (" Khoản có số in đậm và ", ""), ("từ", "b"), (" in đậm:", "")),
        R(("a) ", ""), ("điểm", "i"), (" a.", "")),
    ]
    parsed = parse(items, fmt)
    assert [(n.key, n.text) for n in parsed.walk()] == [
        ("dieu-1", ""),
        (
            "dieu-1/khoan-1",
            "**Đảng đoàn** là tổ chức đảng do *cấp ủy* lập ra; ***rất quan trọng***.",
        ),
        ("dieu-1/khoan-2", "Khoản có số in đậm và **từ** in đậm:"),
        ("dieu-1/khoan-2/diem-a", "*điểm* a."),
    ]
    assert parsed.warnings == []
    round_trips(parsed)


# -- 18. Files that cannot be imported -------------------------------------------------------------------
def _good_docx() -> bytes:
    return docx_bytes([H("Điều 1. Phạm vi"), "Quy định này quy định về công tác kiểm tra."])


def _rezip(data: bytes, *, drop: str = "", change=None) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename == drop:
                continue
            body = source.read(info)
            if change and info.filename == "word/document.xml":
                body = change(body)
            target.writestr(info.filename, body)
    return out.getvalue()


def _with_doctype(body: bytes) -> bytes:
    dtd = b'<!DOCTYPE w:document [<!ENTITY lol "Dieu 9. Bom">]>'
    return body.replace(b"?>", b"?>\n" + dtd, 1)


def _corrupt_deflate(data: bytes) -> bytes:
    """Flip bytes inside the compressed word/document.xml (the zip directory stays intact)."""
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    damaged = bytearray(data)
    for i in range(start + 10, start + 40):
        damaged[i] ^= 0x5A
    return bytes(damaged)


def _cp1258(text: str) -> bytes:
    """`text` in Windows-1258 (base letters precomposed, tone marks combining)."""
    out = b""
    for char in text:
        try:
            out += char.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", char)
        base = decomposed[0]
        marks = sorted(decomposed[1:], key=lambda m: m not in "\u0302\u0306\u031b")
        while marks:
            composed = unicodedata.normalize("NFC", base + marks[0])
            try:
                composed.encode("cp1258")
            except UnicodeEncodeError:
                break
            base, marks = composed, marks[1:]
        out += (base + "".join(marks)).encode("cp1258")
    return out


ERRORS = [
    ("empty.md", lambda: b"", "empty"),
    ("empty.docx", lambda: b"", "empty"),
    ("blank.txt", lambda: b"  \n\t\n \r\n", "empty"),
    ("blank.docx", lambda: b" \n ", "empty"),
    ("invisible.md", lambda: "\ufeff\u200b\n\u00a0\n".encode(), "no text"),
    ("no-words.docx", lambda: docx_bytes(["", " ", "\u00a0"]), "no text"),
    ("not-a-zip.docx", lambda: "Điều 1. Phạm vi\nNội dung.".encode(), "zip"),
    ("truncated.docx", lambda: _good_docx()[: len(_good_docx()) // 2], "broken"),
    ("truncated-end.docx", lambda: _good_docx()[:-10], "broken"),
    (
        "no-document.docx",
        lambda: _rezip(_good_docx(), drop="word/document.xml"),
        "word/document.xml",
    ),
    ("doctype.docx", lambda: _rezip(_good_docx(), change=_with_doctype), "DTD"),
    ("bad-xml.docx", lambda: _rezip(_good_docx(), change=lambda b: b[: len(b) // 2]), "Word"),
    pytest.param(
        "damaged-deflate.docx",
        lambda: _corrupt_deflate(_good_docx()),
        "broken",
        id="damaged-deflate.docx",
    ),
    ("no-articles.md", lambda: "QUY ĐỊNH\n\nVề việc gì đó.\n\n1. Một.\n".encode(), "no article"),
    ("no-articles.txt", lambda: "QUY ĐỊNH\nChương I\nQUY ĐỊNH CHUNG\n".encode(), "no article"),
    ("no-articles.docx", lambda: docx_bytes([H("QUY ĐỊNH"), "Không có điều nào."]), "no article"),
    ("windows-1258.md", lambda: _cp1258("Điều 1. Phạm vi\n\nNội dung điều chỉnh."), "UTF-8"),
    ("latin-1.md", lambda: "Article 1. Scope\n\nCafé crème.".encode("latin-1"), "UTF-8"),
]


@pytest.mark.parametrize(
    ("name", "make", "words"),
    [pytest.param(*e, id=e[0]) if type(e) is tuple else e for e in ERRORS],
)
def test_unreadable_files_raise_one_line_errors(name, make, words):
    data = make()
    with pytest.raises(DraftImportError) as caught:
        parse_bytes(data, name)
    message = str(caught.value)
    assert "\n" not in message
    assert "\r" not in message
    assert message.startswith(name)
    assert words.lower() in message.lower()


def test_windows_1258_sample_really_is_not_utf8():
    data = _cp1258("Điều 1. Phạm vi")
    assert unicodedata.normalize("NFC", data.decode("cp1258")) == "Điều 1. Phạm vi"
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")


def test_many_paragraphs_under_one_article_keep_their_order():
    paragraphs = [f"Đoạn {i}." for i in range(2_000)]
    source = "Điều 1. Dài\n\n" + "\n\n".join(paragraphs) + "\n\nĐiều 2. Ngắn\n\nXong.\n"
    parsed = parse_bytes(source.encode(), "long.md")
    first, second = parsed.articles()
    assert first.text == "\n\n".join(paragraphs)
    assert second.text == "Xong."
