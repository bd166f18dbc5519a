"""Synthetic consultations: realistic Vietnamese unit names, delegates' comments, questions,
proposed wordings and organizers' answers, from a seeded random generator (core: imports
nothing of drafter).  `drafter demo --scale N` and the benchmarks share it.

The generated texts are plain paragraphs (and an emphasised "*Lưu ý:*"), so that their HTML
is known without running the Markdown renderer (`paragraphs_html`, equal to what
:func:`drafter.markup.to_html` makes of them: a test holds it so)."""

from __future__ import annotations

import random
import re

PROVINCES = (
    "Hà Giang", "Cao Bằng", "Lào Cai", "Bắc Kạn", "Lạng Sơn", "Tuyên Quang", "Yên Bái",
    "Thái Nguyên", "Phú Thọ", "Bắc Giang", "Quảng Ninh", "Bắc Ninh", "Hải Dương", "Hưng Yên",
    "Thái Bình", "Nam Định", "Ninh Bình", "Thanh Hóa", "Nghệ An", "Hà Tĩnh", "Quảng Bình",
    "Quảng Trị", "Thừa Thiên Huế", "Quảng Nam", "Quảng Ngãi", "Bình Định", "Phú Yên",
    "Khánh Hòa", "Ninh Thuận", "Bình Thuận", "Kon Tum", "Gia Lai", "Đắk Lắk", "Đắk Nông",
    "Lâm Đồng", "Bình Phước", "Tây Ninh", "Bình Dương", "Đồng Nai", "Bà Rịa - Vũng Tàu",
    "Long An", "Tiền Giang", "Bến Tre", "Trà Vinh", "Vĩnh Long", "Đồng Tháp", "An Giang",
    "Kiên Giang", "Cần Thơ", "Hậu Giang", "Sóc Trăng", "Bạc Liêu", "Cà Mau", "Điện Biên",
    "Lai Châu", "Sơn La", "Hòa Bình", "Vĩnh Phúc", "Hà Nam", "Hải Phòng", "Đà Nẵng",
    "Hà Nội", "Thành phố Hồ Chí Minh",
)  # fmt: skip
GIVEN = (
    "Nguyễn Văn",
    "Trần Thị",
    "Lê Văn",
    "Phạm Thị",
    "Hoàng Văn",
    "Vũ Thị",
    "Đặng Văn",
    "Bùi Thị",
)
NAMES = ("An", "Bình", "Cường", "Dung", "Hà", "Hùng", "Lan", "Minh", "Nga", "Phúc", "Sơn", "Thảo")

PHRASES = (
    "đảng đoàn, ban cán sự đảng", "ban thường vụ tỉnh ủy", "cơ quan tham mưu, giúp việc",
    "tổ chức chính trị - xã hội", "hội đồng nhân dân cấp tỉnh", "ủy ban nhân dân cấp tỉnh",
    "công tác cán bộ", "chế độ báo cáo định kỳ", "quy chế làm việc", "nguyên tắc tập trung dân chủ",
    "trách nhiệm người đứng đầu", "kiểm tra, giám sát", "vấn đề quan trọng, nhạy cảm",
    "thường trực tỉnh ủy", "cấp ủy cấp trên", "Điều lệ Đảng", "văn bản quy phạm pháp luật",
)  # fmt: skip
OPENERS = (
    "Đề nghị", "Đề nghị Ban soạn thảo", "Đơn vị đề nghị", "Đề nghị nghiên cứu, cân nhắc",
    "Qua thảo luận, đơn vị thống nhất đề nghị", "Đề nghị xem xét",
)  # fmt: skip
ASKS = (
    "bổ sung cụm từ “{a}” sau cụm từ “{b}”",
    "làm rõ khái niệm “{a}” để bảo đảm cách hiểu thống nhất khi tổ chức thực hiện",
    "thay cụm từ “{a}” bằng “{b}” cho phù hợp với quy định hiện hành",
    "quy định cụ thể hơn trách nhiệm của {a} trong mối quan hệ với {b}",
    "chuyển nội dung về {a} lên khoản trước cho chặt chẽ",
    "tách nội dung về {a} thành một điểm riêng",
    "bỏ cụm từ “{a}” vì trùng lặp với nội dung đã quy định tại {b}",
    "thống nhất cách dùng từ “{a}” trong toàn bộ dự thảo",
)  # fmt: skip
REASONS = (
    "vì thực tiễn ở địa phương thời gian qua cho thấy còn nhiều cách hiểu khác nhau.",
    "để phù hợp với Quy định số 24-QĐ/TW về thi hành Điều lệ Đảng.",
    "nhằm bảo đảm tính khả thi khi triển khai ở cơ sở.",
    "để tránh chồng chéo về chức năng, nhiệm vụ giữa các cơ quan.",
    "cho thống nhất với Quy chế làm việc của Ban Chấp hành Trung ương khóa XIII.",
    "bởi quy định như dự thảo chưa rõ ai là người chịu trách nhiệm cuối cùng.",
)  # fmt: skip
QUESTIONS = (
    "Đề nghị Ban soạn thảo giải thích rõ “{a}” bao gồm những cơ quan nào?",
    "Trường hợp {a} không thống nhất với {b} thì xử lý như thế nào?",
    "Quy định này có áp dụng đối với {a} ở cấp huyện hay không?",
)  # fmt: skip
EXPLANATIONS = {
    "accepted": ("Ban soạn thảo tiếp thu, đã chỉnh sửa tại dự thảo 2.", ""),
    "partly": (
        "Tiếp thu một phần: đã làm rõ {a}; giữ nguyên phần còn lại để bảo đảm thống nhất với {b}.",
    ),
    "rejected": (
        "Xin giữ như dự thảo vì nội dung về {a} đã được quy định tại {b}.",
        "Không tiếp thu: đề xuất chưa phù hợp với nguyên tắc tập trung dân chủ.",
    ),
    "noted": ("Ban soạn thảo ghi nhận ý kiến để nghiên cứu khi xây dựng văn bản hướng dẫn.", ""),
}
WORDS = " ".join(PHRASES).replace(",", "").split()


def fill(rng: random.Random, template: str) -> str:
    a, b = rng.sample(PHRASES, 2)
    return template.format(a=a, b=b)


def comment_text(rng: random.Random) -> str:
    """Return a delegate's comment: 1 to 3 sentences, sometimes with Markdown emphasis."""
    sentences = [
        f"{rng.choice(OPENERS)} {fill(rng, rng.choice(ASKS))} {rng.choice(REASONS)}"
        for _ in range(rng.choice((1, 1, 2, 3)))
    ]
    text = " ".join(sentences)
    if rng.random() < 0.15:
        text += f"\n\n*Lưu ý:* {fill(rng, 'cần thống nhất với {a}.')}"
    return text


def question_text(rng: random.Random) -> str:
    return fill(rng, rng.choice(QUESTIONS))


def explanation(rng: random.Random, status: str) -> str:
    return fill(rng, rng.choice(EXPLANATIONS[status]))


_TOKEN = re.compile(r"\s+|[^\s]+")


def edit_words(rng: random.Random, text: str, edits: int) -> str:
    """Return `text` with about `edits` word edits (replace, insert or delete), keeping the
    first word of each line (its "1." or "a)" label) and the line structure."""
    lines = text.split("\n")
    for _ in range(edits):
        index = rng.randrange(len(lines))
        tokens = _TOKEN.findall(lines[index])
        words = [i for i, t in enumerate(tokens) if not t.isspace()][1:]
        if not words:
            continue
        i = rng.choice(words)
        roll = rng.random()
        if roll < 0.6:
            tokens[i] = rng.choice(WORDS)
        elif roll < 0.85:
            tokens[i] = f"{tokens[i]} {rng.choice(PHRASES)}"
        else:
            tokens[i] = ""
        lines[index] = re.sub(r" {2,}", " ", "".join(tokens)).rstrip()
    return "\n".join(lines)


def paragraphs_html(text: str) -> str:
    """Return the HTML of a generated text: its blank-line separated paragraphs, a leading
    "*Lưu ý:*" emphasised (the only Markdown the generator writes)."""
    out = []
    for paragraph in text.split("\n\n"):
        body = paragraph.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        if body.startswith("*Lưu ý:*"):
            body = "<em>Lưu ý:</em>" + body[len("*Lưu ý:*") :]
        out.append(f"<p>{body}</p>\n")
    return "".join(out)
