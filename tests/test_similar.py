"""The similar-comments measure on the labelled set (comments/labelled/similar-pairs.json): precision and
recall above floors set from bench/similar_bench.py, agree-style formulas, copied wording, and
grouping per provision."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from drafter import similar

PAIRS = Path(__file__).resolve().parent.parent / "comments" / "labelled" / "similar-pairs.json"
POSITIVE = {"same", "agree", "copied"}
# bench/similar_bench.py at THRESHOLD 0.38: precision 0.835, recall 0.935 (2026-12-04)
PRECISION_FLOOR = 0.80
RECALL_FLOOR = 0.90


def _pairs() -> list[dict]:
    return json.loads(PAIRS.read_text(encoding="utf-8"))["pairs"]


def test_the_labelled_set_is_large_nfc_and_labelled() -> None:
    pairs = _pairs()
    assert len(pairs) >= 150
    labels = {p["label"] for p in pairs}
    assert labels == {"same", "related", "unrelated", "agree", "copied"}
    for p in pairs:
        for text in (p["a"], p["b"]):
            assert text == unicodedata.normalize("NFC", text)
            assert text.strip()


def test_precision_and_recall_stay_above_their_floors() -> None:
    tp = fp = fn = 0
    for p in _pairs():
        grouped = similar.similarity(p["a"], p["b"]) >= similar.THRESHOLD
        positive = p["label"] in POSITIVE
        tp += grouped and positive
        fp += grouped and not positive
        fn += positive and not grouped
    assert tp / (tp + fp) >= PRECISION_FLOOR
    assert tp / (tp + fn) >= RECALL_FLOOR


def test_unrelated_pairs_are_never_grouped() -> None:
    unrelated = [p for p in _pairs() if p["label"] == "unrelated"]
    assert all(similar.similarity(p["a"], p["b"]) < similar.THRESHOLD for p in unrelated)


def test_agree_formulas_group_together_and_not_with_proposals() -> None:
    formulas = ["Nhất trí như dự thảo.", "Thống nhất với dự thảo", "Cơ bản nhất trí.",
                "Tỉnh ủy đồng ý với nội dung dự thảo."]  # fmt: skip
    assert all(similar.is_agree_formula(f) for f in formulas)
    assert not similar.is_agree_formula("Nhất trí, nhưng đề nghị bỏ khoản 3.")
    assert not similar.is_agree_formula("Chưa thống nhất với dự thảo.")
    groups = similar.group(
        [(i, f, "comment") for i, f in enumerate(formulas)]
        + [(10, "", "agree"), (11, "Đề nghị bỏ khoản 3 vì trùng với Điều 2.", "comment")]
    )
    assert groups == [[0, 1, 2, 3, 10], [11]]


def test_copied_wording_is_found_and_only_for_copies() -> None:
    pairs = _pairs()
    copies = [p for p in pairs if p["label"] == "copied"]
    assert all(similar.is_copied(p["a"], p["b"]) for p in copies)
    others = [p for p in pairs if p["label"] in ("same", "unrelated", "agree")]
    assert not any(similar.is_copied(p["a"], p["b"]) for p in others)


def test_grouping_is_per_provision() -> None:
    text = "Đề nghị quy định cụ thể số lượng biên chế của bộ phận giúp việc đảng đoàn."
    grouped = similar.group_by_provision(
        [(1, "5", text, "comment"), (2, "6", text, "comment"), (3, "5", text + " ", "comment"),
         (4, "5", "Đề nghị rà soát lỗi chính tả.", "comment")]
    )  # fmt: skip
    assert grouped == {"5": [[1, 3], [4]], "6": [[2]]}


def test_copied_among_finds_the_pairs_of_every_pair_comparison() -> None:
    """copied_among (buckets of equal texts, compared only between distinct ones) marks the
    same items as comparing every pair of items from different units with is_copied."""
    import random

    rng = random.Random(7)
    wordings = [
        "Đề nghị bổ sung trách nhiệm của ủy viên đảng đoàn.",
        "Đề nghị bổ sung trách nhiệm của các ủy viên đảng đoàn.",
        "đề nghị bổ sung TRÁCH NHIỆM của ủy viên đảng đoàn",
        "Đề nghị làm rõ thẩm quyền của bí thư.",
        "Nhất trí như dự thảo.",
        "Nhất trí như dự thảo.",
        "Cần quy định thời hạn gửi báo cáo cụ thể hơn, ví dụ 15 ngày.",
        "Cần quy định thời hạn gửi báo cáo cụ thể hơn, ví dụ 10 ngày.",
        "",
    ]
    for _round in range(40):
        items = [(n, rng.randint(1, 4), rng.choice(wordings)) for n in range(rng.randint(2, 14))]
        both, either = set(), set()
        for a in items:
            for b in items:
                if a[0] != b[0] and a[1] != b[1]:
                    if similar.is_copied(a[2], b[2]) and similar.is_copied(b[2], a[2]):
                        both.add(a[0])
                    if similar.is_copied(a[2], b[2]) or similar.is_copied(b[2], a[2]):
                        either.add(a[0])
        found = similar.copied_among(items)
        assert both <= found <= either, (items, found)
    # A big group saying one thing in two wordings: two comparisons, not a million.
    big = [(n, n % 50, wordings[n % 2]) for n in range(3000)]
    assert similar.copied_among(big) == {n for n, _u, _t in big}


def test_copied_among_a_large_group_finds_copies_in_linear_work(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Past EVERY_PAIR wordings, each is compared with its sorted neighbours only: copies
    that differ in a word (at the start, in the middle or at the end) are still found, and
    the comparisons grow with the group, not with its square."""
    import random

    rng = random.Random(3)
    words = "tổ chức đảng đoàn trách nhiệm quyền hạn báo cáo thời hạn ủy viên bí thư".split()
    originals = [" ".join(rng.choice(words) for _ in range(14)) for _ in range(600)]
    items = [(n, 1, text) for n, text in enumerate(originals)]
    copies = {}
    for n in range(0, 600, 10):  # another unit copies one in ten, changing one word
        changed = originals[n].split()
        changed[rng.choice((0, 7, 13))] = "sửa"
        copies[600 + n] = " ".join(changed)
    items += [(i, 2, text) for i, text in copies.items()]
    calls = [0]
    real = similar._same_wording

    def counted(a: str, b: str) -> bool:
        calls[0] += 1
        return real(a, b)

    monkeypatch.setattr(similar, "_same_wording", counted)
    found = similar.copied_among(items)
    monkeypatch.undo()
    checked = [i for i, text in copies.items() if similar.is_copied(text, originals[i - 600])]
    assert len(checked) > 40
    for copy_id in checked:
        assert copy_id in found
        assert copy_id - 600 in found
    assert calls[0] < 2 * similar.NEIGHBOURS * len(items)  # not len(items) ** 2 / 2


def test_copied_among_with_fresh_items_compares_only_their_pairs() -> None:
    """With `fresh`, a pair of two older items is not compared (their marks are kept by the
    caller), and a fresh item copying an older one marks both."""
    old_a, old_b = (
        "Đề nghị bổ sung trách nhiệm của ủy viên.",
        "Đề nghị bổ sung trách nhiệm của ủy viên!",
    )
    new = "Đề nghị làm rõ thẩm quyền của bí thư đảng đoàn."
    copy = "Đề nghị làm rõ thẩm quyền của bí thư đảng đoàn tỉnh."
    items = [(1, 1, old_a), (2, 2, old_b + " thêm"), (3, 3, new), (4, 4, copy)]
    assert similar.copied_among(items, fresh={4}) == {3, 4}
    assert {1, 2} <= similar.copied_among(items)  # compared when nothing is fresh


def test_copied_wording_is_symmetric_and_measured_on_whole_texts() -> None:
    """Copied wording is the share of both texts' characters in a longest common subsequence
    (from COPIED = 0.9): the same either way round, reached by a copy with a word changed,
    not by a text with a sentence added or by the same words in another order."""
    text = (
        "Đề nghị quy định rõ thời hạn ban thường vụ tỉnh ủy gửi báo cáo về việc thực hiện "
        "nghị quyết của đảng đoàn, chậm nhất là ngày 15 tháng 12 hằng năm."
    )
    one_word = text.replace("chậm nhất", "muộn nhất")
    longer = text + " Đồng thời bổ sung trách nhiệm của ủy viên đảng đoàn phụ trách lĩnh vực."
    shuffled = " ".join(reversed(text.split()))
    assert similar.is_copied(text, one_word)
    assert similar.is_copied(one_word, text)
    assert not similar.is_copied(text, longer)
    assert not similar.is_copied(longer, text)
    assert not similar.is_copied(text, shuffled)


def test_copied_wording_counts_a_longest_common_subsequence_not_difflibs_blocks() -> None:
    """The measure is 2·LCS / total length: a pair whose longest common subsequence reaches
    COPIED is copied even where difflib's greedy matching blocks fall short of it."""
    from difflib import SequenceMatcher

    one = "bí hạn thư chức đảng báo đảng rõ định đề định báo chức định ủy nghị nghị"
    other = "bí hạn thư chức đảng báo đảng rõ định đề định chức định quyền nghị"
    assert SequenceMatcher(None, one, other, autojunk=False).ratio() < similar.COPIED
    assert similar.is_copied(one, other)
    assert similar.is_copied(other, one)
    assert similar.copied_among([(1, 1, one), (2, 2, other)]) == {1, 2}
