"""Vietnamese labels written into exported documents: comment kinds and answer statuses."""

from __future__ import annotations

KIND_LABELS = {
    "agree": "Nhất trí với dự thảo", "comment": "Ý kiến", "new_wording": "Đề xuất sửa câu chữ",
    "delete": "Đề nghị bỏ quy định này", "add_after": "Đề nghị bổ sung quy định sau quy định này",
    "question": "Câu hỏi",
}  # fmt: skip
STATUS_LABELS = {
    "accepted": "Tiếp thu",
    "partly": "Tiếp thu một phần",
    "rejected": "Không tiếp thu (giải trình)",
    "noted": "Ghi nhận",
}

# The words naming a provision's levels in documents, each with its number as ``%(n)s``.
PROVISION_WORDS = {
    "dieu": "Điều %(n)s",
    "khoan": "khoản %(n)s",
    "diem": "điểm %(n)s",
    "y": "mục %(n)s",  # a guidance text's item ("mục 2"), its sub-items "mục 2.1"
}
WHOLE_DRAFT = "Toàn bộ dự thảo"
#: Who the organizers' documents come from when CONSULTING_BODY is not configured.
DEFAULT_BODY = "Cơ quan chủ trì soạn thảo"


def provision_name(
    key: str | None,
    *,
    words: dict[str, str] = PROVISION_WORDS,
    whole: str = WHOLE_DRAFT,
    separator: str = ", ",
    smallest_first: bool = False,
) -> str:
    """Return the name of the provision at node `key`: "Điều 4, khoản 1, điểm đ" for
    ``dieu-4/khoan-1/diem-dd`` (the point "đ" is keyed ``dd``), or `whole` without a key.

    `words` gives each level's words (``%(n)s`` for its number): the web passes translated
    ones. With `smallest_first`, the parts read the other way round ("điểm đ khoản 1 Điều 4")."""
    if not key:
        return whole
    parts: list[str] = []
    previous = ""
    for part in key.split("/"):
        prefix, _sep, number = part.partition("-")
        if prefix == "khoan" and previous == "y" and "y" in words:  # sub-item "2.1" of item 2
            parts[-1] = words["y"] % {"n": number.replace("-", ".")}
            previous = "khoan"
            continue
        previous = prefix
        if prefix in words:
            number = "đ" if prefix == "diem" and number == "dd" else number
            parts.append(words[prefix] % {"n": number})
    return separator.join(reversed(parts) if smallest_first else parts)
