"""The real texts of ../shared/corpus and ../shared/real-docx parse to their hand-counted
structure (../shared/corpus/README.md)."""

from __future__ import annotations

import pytest

from drafter.errors import DraftImportError
from drafter.model import Node
from drafter.reading import parse_file

pytestmark = pytest.mark.shared

# file, chapters, sections, articles, first article (number, title), last article
COUNTS = [
    ("nd-30-2020-nd-cp-cong-tac-van-thu.txt", 7, 5, 38, ("1", "Phạm vi điều chỉnh"),
     ("38", "Trách nhiệm thi hành")),
    ("dieu-le-dang-2011.txt", 12, 0, 48, ("1", ""), ("48", "")),
    ("eu-regulation-2016-679-gdpr.txt", 11, 15, 99, ("1", "Subject-matter and objectives"),
     ("99", "Entry into force and application")),
]  # fmt: skip


def _article(parsed, number: str) -> Node:
    (article,) = [a for a in parsed.articles() if a.number == number]
    return article


def _shape(article: Node) -> tuple[int, int, list[str]]:
    clauses = [c for c in article.children if c.kind == "clause"]
    points = [p for p in article.walk() if p.kind == "point"]
    letters = ["".join(p.number for p in c.children if p.kind == "point") for c in clauses]
    return len(clauses), len(points), letters


@pytest.mark.parametrize(("name", "chapters", "sections", "articles", "first", "last"), COUNTS)
def test_corpus_counts(shared, name, chapters, sections, articles, first, last):
    parsed = parse_file(shared / "corpus" / name)
    assert parsed.count("chapter") == chapters
    assert parsed.count("section") == sections
    found = parsed.articles()
    assert len(found) == articles
    assert [a.number for a in found] == [str(n) for n in range(1, articles + 1)]
    assert (found[0].number, found[0].title) == first
    assert (found[-1].number, found[-1].title) == last
    assert parsed.warnings == []  # the real texts have no numbering faults


@pytest.mark.parametrize(
    ("number", "clauses", "points", "letters"),
    [
        ("4", 2, 7, ["", "abcdđeg"]),
        ("8", 4, 13, ["", "abcdđeghi", "abcd", ""]),
        ("29", 4, 9, ["ab", "abc", "", "abcd"]),
    ],
)
def test_nd30_clauses_and_points(shared, number, clauses, points, letters):
    parsed = parse_file(shared / "corpus" / "nd-30-2020-nd-cp-cong-tac-van-thu.txt")
    assert _shape(_article(parsed, number)) == (clauses, points, letters)


def test_nd30_structure_details(shared):
    parsed = parse_file(shared / "corpus" / "nd-30-2020-nd-cp-cong-tac-van-thu.txt")
    without_clauses = [
        a.number for a in parsed.articles() if not any(c.kind == "clause" for c in a.children)
    ]
    assert without_clauses == ["1", "7", "9", "26", "28", "37"]
    chapters = [n for n in parsed.walk() if n.kind == "chapter"]
    assert [len([a for a in c.walk() if a.kind == "article"]) for c in chapters] == [
        6,
        7,
        14,
        4,
        2,
        3,
        2,
    ]
    sections = {
        c.number: [len(list(s.children)) for s in c.children if s.kind == "section"]
        for c in chapters
    }
    assert sections["II"] == [3, 4]
    assert sections["III"] == [6, 5, 3]
    # Điều 4 khoản 1 is the bare heading "Nguyên tắc" followed by an unnumbered paragraph.
    clause = _article(parsed, "4").children[0]
    assert clause.text.startswith("Nguyên tắc\n\n")
    # Điều 29 khoản 3 has no points, one unnumbered paragraph.
    assert _article(parsed, "29").children[2].children == []
    # Header table lines are preamble; Nơi nhận and the signature are not part of Điều 38.
    assert parsed.nodes[0].kind == "preamble"
    assert "Số: 30/2020/NĐ-CP" in parsed.nodes[0].text
    last = _article(parsed, "38")
    assert "Nơi nhận" not in last.full_text()
    assert "Nguyễn Xuân Phúc" not in last.full_text()
    closing = parsed.nodes[-1]
    assert closing.key == "ket-thuc"
    assert closing.text.startswith("Nơi nhận:")
    assert "Nguyễn Xuân Phúc" in closing.text
    assert _article(parsed, "8").key == "chuong-2/muc-1/dieu-8"
    assert [p.key for p in _article(parsed, "4").walk() if p.kind == "point"][
        4
    ] == "chuong-1/dieu-4/khoan-2/diem-dd"


def test_dieu_le_details(shared):
    parsed = parse_file(shared / "corpus" / "dieu-le-dang-2011.txt")
    assert parsed.nodes[0].kind == "preamble"
    assert "ĐẢNG VÀ NHỮNG VẤN ĐỀ CƠ BẢN VỀ XÂY DỰNG ĐẢNG" in parsed.nodes[0].text
    assert all(a.title == "" for a in parsed.articles())
    assert _shape(_article(parsed, "4"))[:2] == (4, 0)
    assert _shape(_article(parsed, "11"))[:2] == (7, 0)
    assert _shape(_article(parsed, "36"))[:2] == (6, 0)
    without_clauses = [
        a.number for a in parsed.articles() if not any(c.kind == "clause" for c in a.children)
    ]
    assert without_clauses == ["6", "7", "33", "34", "45", "47", "48"]
    titles = {c.number: c.title for c in parsed.walk() if c.kind == "chapter"}
    assert (
        titles["VI"] == "TỔ CHỨC ĐẢNG TRONG QUÂN ĐỘI NHÂN DÂN VIỆT NAM VÀ CÔNG AN NHÂN DÂN VIỆT NAM"
    )
    assert titles["IX"] == "ĐẢNG LÃNH ĐẠO NHÀ NƯỚC, MẶT TRẬN TỔ QUỐC VÀ ĐOÀN THỂ CHÍNH TRỊ - XÃ HỘI"
    assert titles["X"] == "ĐẢNG LÃNH ĐẠO ĐOÀN THANH NIÊN CỘNG SẢN HỒ CHÍ MINH"
    assert titles["VIII"] == "KHEN THƯỞNG VÀ KỶ LUẬT"
    # Dash items stay inside their clause (Điều 4 has 9 of them, in clauses 1–3).
    article4 = _article(parsed, "4")
    dashes = sum(c.text.count("\n\n- ") + c.text.startswith("- ") for c in article4.walk())
    assert dashes == 9


def test_gdpr_details(shared):
    parsed = parse_file(shared / "corpus" / "eu-regulation-2016-679-gdpr.txt")
    assert _shape(_article(parsed, "2"))[:2] == (4, 4)
    assert _shape(_article(parsed, "6"))[:2] == (4, 13)
    shape9 = _shape(_article(parsed, "9"))
    assert shape9[:2] == (4, 10)
    assert shape9[2][1] == "abcdefghij"
    preamble = parsed.nodes[0]
    assert preamble.kind == "preamble"
    assert "(173)" in preamble.text
    sections = [s for s in parsed.walk() if s.kind == "section"]
    assert [len([a for a in s.walk() if a.kind == "article"]) for s in sections[:5]] == [
        1,
        3,
        5,
        2,
        1,
    ]
    assert "Done at Brussels" not in _article(parsed, "99").full_text()
    assert "OJ C 229" in parsed.nodes[-1].text


def test_real_nd30_docx_matches_its_text(shared):
    from_docx = parse_file(shared / "real-docx" / "nd-30-2020-nd-cp.docx")
    from_text = parse_file(shared / "corpus" / "nd-30-2020-nd-cp-cong-tac-van-thu.txt")
    assert from_docx.count("chapter") == 7
    assert from_docx.count("section") == 5
    assert len(from_docx.articles()) == 38

    def shape(parsed):
        return [
            (n.key, n.kind, n.number, n.title)
            for n in parsed.walk()
            if n.kind in ("chapter", "section", "article", "clause", "point")
        ]

    assert shape(from_docx) == shape(from_text)
    assert from_docx.title == "Nghị định về công tác văn thư"
    # The header is a real table in the DOCX: kept as a Markdown table in the preamble.
    assert from_docx.nodes[0].text.startswith("| ")
    assert from_docx.warnings == []


WORD_FILES = [
    "mammoth__comments.docx", "mammoth__simple-list.docx", "mammoth__tables.docx",
    "pandoc__comments.docx", "pandoc__lists_continuing.docx",
    "pandoc__paragraph_insertion_deletion.docx", "pandoc__table_with_list_cell.docx",
    "pandoc__track_changes_deletion.docx", "pandoc__track_changes_insertion.docx",
    "pandoc__track_changes_move.docx", "pandoc__track_changes_scrubbed_metadata.docx",
    "python-docx__comments-rich-para.docx",
]  # fmt: skip


@pytest.mark.parametrize("name", WORD_FILES)
def test_word_made_files_fail_clearly(shared, name):
    """These Word files hold no article: each is read, then refused with the one clear error."""
    with pytest.raises(DraftImportError) as caught:
        parse_file(shared / "real-docx" / name)
    message = str(caught.value)
    assert name in message
    assert "no article found" in message
    assert "\n" not in message


def test_word_lists_continuing_numbering(shared):
    """Word's automatic numbering is computed as Word shows it: 1–3, a break, then 4."""
    from drafter.docx.reader import read_docx

    blocks = read_docx((shared / "real-docx" / "pandoc__lists_continuing.docx").read_bytes())
    numbered = [b.plain.split()[0] for b in blocks if b.plain[:1].isdigit()]
    assert numbered == ["1.", "2.", "3.", "4."]


@pytest.mark.parametrize("name", [
    "pandoc__track_changes_insertion.docx", "pandoc__track_changes_deletion.docx",
    "pandoc__track_changes_move.docx", "pandoc__track_changes_scrubbed_metadata.docx",
    "pandoc__paragraph_insertion_deletion.docx",
])  # fmt: skip
def test_word_tracked_changes_are_read_accepted(shared, pandoc, name):
    """A draft uploaded with tracked changes is read as if they were accepted, as pandoc
    (an independent reader) reads it with --track-changes=accept."""
    from drafter.docx.reader import read_docx

    path = shared / "real-docx" / name
    ours = " ".join(b.plain for b in read_docx(path.read_bytes()))
    theirs = pandoc("--track-changes=accept", "-t", "plain", str(path))
    assert ours.split() == theirs.split()
