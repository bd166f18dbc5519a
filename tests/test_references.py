"""Cross-references: recognised in the text, resolved against the version's own tree (an
import warning for a provision that does not exist), references to other acts left alone,
and references still using an article's old number after a new version renumbers, moves
or removes it (generated texts)."""

from __future__ import annotations

import pytest

from drafter import references
from drafter.importing import import_bytes
from drafter.model import Node
from drafter.reading import parse_bytes


def _refs(text: str):
    return [
        (r.text, r.external, [t.name() for t in r.targets])
        for r in references.find(Node("clause", text=text))
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("theo Điều 12.", [("Điều 12", False, ["Điều 12"])]),
        ("tại khoản 2 Điều 5", [("khoản 2 Điều 5", False, ["khoản 2 Điều 5"])]),
        ("điểm a khoản 1 Điều 3 của Quy định này",
         [("điểm a khoản 1 Điều 3", False, ["điểm a khoản 1 Điều 3"])]),
        ("Chương II", [("Chương II", False, ["Chương II"])]),
        ("các Điều 5, 6 và 7", [("các Điều 5, 6 và 7", False, ["Điều 5", "Điều 6", "Điều 7"])]),
        ("các khoản 1 và 2 Điều này",
         [("các khoản 1 và 2 Điều này", False, ["khoản 1 Điều này", "khoản 2 Điều này"])]),
        ("Article 6(1)(a)", [("Article 6(1)(a)", False, ["điểm a khoản 1 Điều 6"])]),
        ("clause 2 of Article 5 of this Regulation",
         [("clause 2 of Article 5", False, ["khoản 2 Điều 5"])]),
        ("Điều 5 Luật Cán bộ, công chức", [("Điều 5", True, ["Điều 5"])]),
        ("khoản 2 Điều 5 của Nghị định số 30/2020/NĐ-CP", [("khoản 2 Điều 5", True, ["khoản 2 Điều 5"])]),
        ("Article 5 of the Civil Code", [("Article 5", True, ["Điều 5"])]),
        ("Điều 5 của Luật này", [("Điều 5", False, ["Điều 5"])]),
        # A list shares the act named after its last item.
        ("Điều 13, Điều 14 và khoản 2 Điều 15 của Luật Khiếu nại",
         [("Điều 13", True, ["Điều 13"]), ("Điều 14", True, ["Điều 14"]),
          ("khoản 2 Điều 15", True, ["khoản 2 Điều 15"])]),
        # Amending provisions name the amended act's provisions; quoted wording is its own.
        ("Sửa đổi, bổ sung khoản 2 Điều 5 như sau: “2. Theo Điều 9.”",
         [("khoản 2 Điều 5", True, ["khoản 2 Điều 5"])]),
        ("Nghị định số 30/2020/NĐ-CP; Điều lệ Đảng; thời điểm ký", []),
    ],
)  # fmt: skip
def test_references_recognised(text, expected):
    assert _refs(text) == expected


OWN = """# Quy định thử

## Chương I

CHUNG

### Điều 1. Phạm vi

1. Quy định này áp dụng theo Điều 2 và khoản 2 Điều 2 của Quy định này.

2. Trường hợp quy định tại điểm a khoản 1 Điều 3 và Chương II thì thực hiện theo khoản 1.

### Điều 2. Nguyên tắc

1. Thực hiện theo Điều 5 Luật Cán bộ, công chức và Nghị định số 30/2020/NĐ-CP.

2. Theo các Điều 1, 2 và 9 của Quy định này; Điều 12; khoản 4 Điều 2; khoản 3.

### Điều 3. Trách nhiệm

1. Cơ quan:

a) Thực hiện theo điểm c khoản 1 Điều 3 và Chương III;

b) Báo cáo theo Điều 5 của Luật này.
"""


def test_references_to_missing_provisions_are_import_warnings():
    parsed = parse_bytes(OWN.encode(), "own.md")
    messages = [(w.where, w.message) for w in parsed.warnings]
    missing = references.MISSING
    assert messages == [
        ("line 11", f"“Chương II” {missing} (there is no Chương II)"),
        ("line 17", f"“các Điều 1, 2 và 9” {missing} (there is no Điều 9)"),
        ("line 17", f"“Điều 12” {missing} (there is no Điều 12)"),
        ("line 17", f"“khoản 4 Điều 2” {missing} (Điều 2 has no khoản 4)"),
        ("line 17", f"“khoản 3” {missing} (Điều 2 has no khoản 3)"),
        ("line 23", f"“điểm c khoản 1 Điều 3” {missing} (khoản 1 Điều 3 has no điểm c)"),
        ("line 23", f"“Chương III” {missing} (there is no Chương III)"),
        ("line 25", f"“Điều 5” {missing} (there is no Điều 5)"),
    ]
    # "Điều 5 Luật Cán bộ, công chức" (line 15) names another act: not checked.
    assert not any(w.where == "line 15" for w in parsed.warnings)


def test_english_references_are_checked():
    text = (
        "# Regulation\n\n### Article 1. Scope\n\n1. As in Article 2(1)(a) and clause 3 of "
        "Article 2 of this Regulation, and Article 9 of the Civil Code.\n\n"
        "### Article 2. Duties\n\n1. Bodies:\n\na) Act;\n\nb) Report.\n"
    )
    parsed = parse_bytes(text.encode(), "en.md")
    assert [w.message for w in parsed.warnings] == [
        f"“clause 3 of Article 2” {references.MISSING} (Article 2 has no clause 3)"
    ]


V1 = """# Quy định thử

## Chương I

CHUNG

### Điều 1. Phạm vi

Quy định này quy định về tổ chức và hoạt động của hội đồng thẩm định; kinh phí theo Điều 5.

### Điều 2. Thành phần hội đồng

1. Hội đồng gồm chủ tịch, phó chủ tịch và các ủy viên.

2. Thư ký hội đồng do chủ tịch chỉ định.

### Điều 3. Nhiệm vụ của hội đồng

1. Thẩm định hồ sơ đề nghị theo quy định.

2. Báo cáo kết quả thẩm định với cơ quan có thẩm quyền.

## Chương II

TỔ CHỨC THỰC HIỆN

### Điều 4. Trách nhiệm thi hành

Thành phần theo Điều 2 và nhiệm vụ theo khoản 1 Điều 3; hồ sơ theo Điều 5 Luật Thẩm định.

### Điều 5. Kinh phí

Kinh phí hoạt động của hội đồng do ngân sách nhà nước bảo đảm theo Điều 1.
"""

# Version 2: a new Điều 2 pushes "Thành phần" to Điều 3 and "Nhiệm vụ" to Điều 4; Điều 4
# (now 5) still says "Điều 2" and "khoản 1 Điều 3"; Điều 5 (now 6, moved to a new Chương
# III) was rewritten to name "Điều 1" correctly.  The reference to the other act stays.
V2 = """# Quy định thử

## Chương I

CHUNG

### Điều 1. Phạm vi

Quy định này quy định về tổ chức và hoạt động của hội đồng thẩm định; kinh phí theo Điều 5.

### Điều 2. Giải thích từ ngữ

Hồ sơ đề nghị là các giấy tờ do tổ chức, cá nhân nộp để được thẩm định.

### Điều 3. Thành phần hội đồng

1. Hội đồng gồm chủ tịch, phó chủ tịch và các ủy viên.

2. Thư ký hội đồng do chủ tịch chỉ định.

### Điều 4. Nhiệm vụ của hội đồng

1. Thẩm định hồ sơ đề nghị theo quy định.

2. Báo cáo kết quả thẩm định với cơ quan có thẩm quyền.

## Chương II

TỔ CHỨC THỰC HIỆN

### Điều 5. Trách nhiệm thi hành

Thành phần theo Điều 2 và nhiệm vụ theo khoản 1 Điều 3; hồ sơ theo Điều 5 Luật Thẩm định.

## Chương III

KINH PHÍ

### Điều 6. Kinh phí

Kinh phí hoạt động của hội đồng do ngân sách nhà nước bảo đảm theo Điều 1.
"""

# Version 3 removes "Thành phần hội đồng" (Điều 3); Điều 5 still names it.
V3 = (
    V2.replace(
        """### Điều 3. Thành phần hội đồng

1. Hội đồng gồm chủ tịch, phó chủ tịch và các ủy viên.

2. Thư ký hội đồng do chủ tịch chỉ định.

### Điều 4. Nhiệm vụ""",
        "### Điều 3. Nhiệm vụ",
    )
    .replace("Điều 5. Trách nhiệm", "Điều 4. Trách nhiệm")
    .replace("Điều 6. Kinh phí", "Điều 5. Kinh phí")
    .replace(
        "theo Điều 2 và nhiệm vụ theo khoản 1 Điều 3", "theo Điều 3 và nhiệm vụ theo khoản 1 Điều 3"
    )
)


def test_references_left_on_old_numbers_after_a_renumbering(store):
    first = import_bytes(store, V1.encode(), "v1.md")
    assert first.version.warnings == ()
    second = import_bytes(store, V2.encode(), "v2.md", draft_id=first.draft.id)
    stale = [w.message for w in second.parsed.warnings if references.STALE in w.message]
    assert stale == [
        # Into the moved (and renumbered) "Kinh phí": Điều 5 now names another article.
        f"{references.STALE}: “Điều 5”: Điều 5 of the previous version is now Điều 6; "
        "write “Điều 6”",
        f"{references.STALE}: “Điều 2”: Điều 2 of the previous version is now Điều 3; "
        "write “Điều 3”",
        f"{references.STALE}: “khoản 1 Điều 3”: Điều 3 of the previous version is now "
        "Điều 4; write “khoản 1 Điều 4”",
    ]
    # Stored with the version, with their line, beside the other import warnings.
    assert [w for w in second.version.warnings if references.STALE in w] == [
        f"line {n}: {m}" for n, m in zip((7, 31, 31), stale, strict=True)
    ]
    # The moved and renumbered "Kinh phí" names Điều 1, which kept its number: no warning;
    # "Điều 5 Luật Thẩm định" names another act: not checked.
    assert not any("Điều 1" in m for m in stale)
    assert not any(w.startswith("line 31") and "“Điều 5”" in w for w in second.version.warnings)


def test_references_into_a_removed_article(store):
    first = import_bytes(store, V2.encode(), "v2.md")
    third = import_bytes(store, V3.encode(), "v3.md", draft_id=first.draft.id)
    stale = [w.message for w in third.parsed.warnings if references.STALE in w.message]
    # "khoản 1 Điều 3" was kept though the old Điều 3 is gone and Điều 4 became Điều 3.
    assert stale == [
        f"{references.STALE}: “Điều 5”: Điều 5 of the previous version is now Điều 4; "
        "write “Điều 4”",
        f"{references.STALE}: “khoản 1 Điều 3”: Điều 3 of the previous version was removed",
    ]


def test_a_rewritten_reference_is_not_stale(store):
    fixed = V2.replace(
        "theo Điều 2 và nhiệm vụ theo khoản 1 Điều 3", "theo Điều 3 và nhiệm vụ theo khoản 1 Điều 4"
    ).replace("kinh phí theo Điều 5", "kinh phí theo Điều 6")
    first = import_bytes(store, V1.encode(), "v1.md")
    second = import_bytes(store, fixed.encode(), "v2.md", draft_id=first.draft.id)
    assert second.parsed.warnings == []


def test_renumber_suggestion_keeps_clause_and_point_numbers():
    assert references._renumber("các Điều 5, 6 và 7", {"5": "6", "6": "7", "7": "8"}) == (
        "các Điều 6, 7 và 8"
    )
    assert references._renumber("Article 6(1)(a)", {"6": "7", "1": "9"}) == "Article 7(1)(a)"
    assert references._renumber("điểm a khoản 2 Điều 5", {"2": "3", "5": "6"}) == (
        "điểm a khoản 2 Điều 6"
    )


def test_demo_versions_have_no_reference_warnings(sample_v1, sample_v2, store):
    # The sample's version 2 renumbers most articles and rewrote its references.
    first = import_bytes(store, sample_v1.read_bytes(), sample_v1.name)
    second = import_bytes(store, sample_v2.read_bytes(), sample_v2.name, draft_id=first.draft.id)
    assert first.version.warnings == second.version.warnings == ()


def test_stale_references_on_the_draft_page_and_from_the_cli(tmp_path):
    import subprocess
    import sys
    from html import unescape

    from drafter import accounts
    from drafter.storage import open_store

    from .consultation_fixture import login, make_app

    db = tmp_path / "refs.sqlite"
    (tmp_path / "v1.md").write_text(V1, "utf-8")
    (tmp_path / "v2.md").write_text(V2, "utf-8")

    def drafter(*args):
        return subprocess.run(
            [sys.executable, "-m", "drafter", "--db", str(db), *args],
            capture_output=True, text=True, check=True,
        )  # fmt: skip

    drafter("import", str(tmp_path / "v1.md"))
    printed = drafter("import", str(tmp_path / "v2.md"), "--draft", "1").stderr
    assert "3 warning(s)" in printed
    assert "v2.md:line 31: Reference still uses the old number: “Điều 2”" in printed
    store = open_store(db)
    accounts.create_organizer(store, "organizer", "Ban Tổ chức", "correct horse battery")
    store.close()
    client = login(make_app(db), "organizer")
    page = unescape(client.get("/drafts/1?version=2").get_data(as_text=True))
    section = page.split('id="stale-references"', 1)[1].split("</div>", 1)[0]
    assert "write “khoản 1 Điều 4”" in section
    assert section.count("<li>") == 3
    assert 'id="stale-references"' not in client.get("/drafts/1?version=1").get_data(as_text=True)


def test_stale_references_in_the_upload_preview(tmp_path):
    import io
    from html import unescape

    from drafter import accounts
    from drafter.storage import open_store

    from .consultation_fixture import login, make_app

    db = tmp_path / "preview.sqlite"
    store = open_store(db)
    import_bytes(store, V1.encode(), "v1.md")
    accounts.create_organizer(store, "organizer", "Ban Tổ chức", "correct horse battery")
    store.close()
    client = login(make_app(db), "organizer")
    response = client.post(
        "/admin/upload",
        data={"draft_id": "1", "title": "", "file": (io.BytesIO(V2.encode()), "v2.md")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    page = unescape(client.get(response.headers["Location"]).get_data(as_text=True))
    assert "line 31: Reference still uses the old number: “Điều 2”" in page
    assert "write “khoản 1 Điều 4”" in page
    # Nothing is stored until the organizer confirms.
    store = open_store(db)
    try:
        assert len(store.list_versions(1)) == 1
    finally:
        store.close()
