"""Word-level diffs and similarity."""

from __future__ import annotations

import unicodedata

import pytest

from drafter.diff import similarity, word_diff


def _apply(changes, side):
    return "".join(c.text for c in changes if c.op in ("equal", side))


def test_word_diff_keeps_syllables_whole():
    old = "Cơ quan, tổ chức có trách nhiệm lập hồ sơ về công việc được giao."
    new = "Cơ quan, tổ chức, cá nhân có trách nhiệm lập hồ sơ điện tử về công việc được giao."
    changes = word_diff(old, new)
    assert [(c.op, c.text) for c in changes if c.op != "equal"] == [
        ("insert", ", cá nhân"),
        ("insert", "điện tử "),
    ]
    assert _apply(changes, "delete") == old
    assert _apply(changes, "insert") == new


def test_word_diff_normalises_nfd_first():
    nfc = "Tiếp thu ý kiến góp ý"
    nfd = unicodedata.normalize("NFD", nfc)
    assert [c.op for c in word_diff(nfd, nfc)] == ["equal"]


@pytest.mark.parametrize(
    ("old", "new", "low", "high"),
    [
        ("a b c d", "a b c d", 1.0, 1.0),
        ("đảng đoàn lãnh đạo", "ban cán sự đảng", 0.0, 0.3),
        ("Đảng đoàn có nhiệm vụ lãnh đạo", "Đảng đoàn có nhiệm vụ chỉ đạo", 0.8, 0.9),
    ],
)
def test_similarity(old, new, low, high):
    assert low <= similarity(old, new) <= high
