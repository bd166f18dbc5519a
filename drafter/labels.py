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
