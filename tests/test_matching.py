"""Article matching between two versions: unchanged, changed, renumbered, moved, added and
removed articles, on small trees written for the test."""

from __future__ import annotations

from drafter.headings import assign_keys
from drafter.matching import match_articles, with_containers
from drafter.model import Node

SCOPE = "Quy định này quy định về tổ chức và hoạt động của đảng đoàn cấp tỉnh và các cơ quan."
SUBJECTS = (
    "Quy định này áp dụng đối với đảng đoàn, ban cán sự đảng và đảng viên liên quan trực tiếp."
)
DUTIES = "Đảng đoàn lãnh đạo thực hiện đường lối, chủ trương của Đảng trong cơ quan nhà nước."
POWERS = "Đảng đoàn có quyền đề xuất với cấp ủy về công tác cán bộ thuộc phạm vi quản lý được giao."
NEW = (
    "Văn phòng tỉnh ủy bảo đảm điều kiện làm việc cho đảng đoàn theo kế hoạch hằng năm được duyệt."
)


def _tree(*chapters: tuple[str, str, list[tuple[str, str, str]]]) -> list[Node]:
    nodes = []
    for number, title, articles in chapters:
        chapter = Node("chapter", number, title)
        for article_number, article_title, text in articles:
            chapter.children.append(Node("article", article_number, article_title, text))
        nodes.append(chapter)
    assign_keys(nodes)
    return nodes


def _pairs(old, new):
    return [
        (m.status, m.old_number, m.new_number, m.renumbered, m.moved)
        for _a, _b, m in match_articles(with_containers(old), with_containers(new))
    ]


OLD = _tree(
    ("I", "QUY ĐỊNH CHUNG", [("1", "Phạm vi", SCOPE), ("2", "Đối tượng", SUBJECTS)]),
    ("II", "NHIỆM VỤ", [("3", "Nhiệm vụ", DUTIES), ("4", "Quyền hạn", POWERS)]),
)


def test_the_same_tree_matches_itself_unchanged():
    assert _pairs(OLD, OLD) == [
        ("unchanged", "1", "1", False, False),
        ("unchanged", "2", "2", False, False),
        ("unchanged", "3", "3", False, False),
        ("unchanged", "4", "4", False, False),
    ]


def test_changed_renumbered_moved_added_and_removed():
    new = _tree(
        ("I", "QUY ĐỊNH CHUNG", [("1", "Phạm vi", SCOPE + " Sửa một câu.")]),
        ("II", "NHIỆM VỤ", [("2", "Quyền hạn", POWERS), ("3", "Bảo đảm", NEW)]),
        ("III", "ĐIỀU KHOẢN KHÁC", [("4", "Nhiệm vụ", DUTIES)]),
    )
    assert _pairs(OLD, new) == [
        ("changed", "1", "1", False, False),
        ("removed", "2", None, False, False),
        ("unchanged", "4", "2", True, False),
        ("added", None, "3", False, False),
        ("unchanged", "3", "4", True, True),
    ]


def test_renumbering_chapters_is_not_a_move():
    renamed = _tree(
        ("1", "QUY ĐỊNH CHUNG", [("1", "Phạm vi", SCOPE), ("2", "Đối tượng", SUBJECTS)]),
        ("2", "NHIỆM VỤ", [("3", "Nhiệm vụ", DUTIES), ("4", "Quyền hạn", POWERS)]),
    )
    assert all(not moved for *_rest, moved in _pairs(OLD, renamed))


def test_an_article_rewritten_beyond_recognition_is_removed_and_added():
    new = _tree(("I", "QUY ĐỊNH CHUNG", [("1", "Phạm vi", NEW)]))
    pairs = _pairs(_tree(("I", "QUY ĐỊNH CHUNG", [("1", "Phạm vi", SCOPE)])), new)
    assert pairs == [("added", None, "1", False, False), ("removed", "1", None, False, False)]
