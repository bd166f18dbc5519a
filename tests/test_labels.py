"""One naming of a provision from its key, for documents and (with translated words) pages."""

from __future__ import annotations

import pytest

from drafter.labels import provision_name


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        (None, "Toàn bộ dự thảo"),
        ("chuong-1/dieu-4", "Điều 4"),
        ("chuong-1/dieu-4/khoan-1/diem-dd", "Điều 4, khoản 1, điểm đ"),
        ("phu-luc-2/dieu-3/khoan-2", "Điều 3, khoản 2"),
    ],
)
def test_vietnamese_names(key, expected):
    assert provision_name(key) == expected


def test_smallest_first_and_other_words():
    key = "chuong-2/dieu-7/khoan-3/diem-dd"
    assert provision_name(key, separator=" ", smallest_first=True) == "điểm đ khoản 3 Điều 7"
    words = {"dieu": "Article %(n)s", "khoan": "clause %(n)s", "diem": "point %(n)s"}
    assert provision_name(key, words=words) == "Article 7, clause 3, point đ"
    assert provision_name("", words=words, whole="The whole draft") == "The whole draft"


def test_file_stems_are_cut_at_a_word_boundary():
    from drafter.normalize import file_stem

    title = "Quy định về chức năng, nhiệm vụ, quyền hạn, tổ chức bộ máy của đảng đoàn"
    stem = file_stem(title, 40)
    assert stem == "quy-dinh-ve-chuc-nang-nhiem-vu-quyen-han"
    assert file_stem(title, 41) == stem  # "…-quyen-han-t" would cut a word
    assert file_stem("Ngắn") == "ngan"
    assert file_stem("!!!") == "du-thao"
    assert file_stem("a" * 80, 60) == "a" * 60  # one word longer than the limit
