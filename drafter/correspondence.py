"""Letters to print, sign and file: a unit's response to a consultation ("công văn góp ý"),
and the organizer's request for comments ("công văn xin ý kiến") addressed to the units."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from .consulting import get_readable
from .diff import condensed
from .docx.letter import Letter, Section, letter_docx
from .errors import N_, Forbidden
from .export_md import provision_text
from .exports import Download
from .labels import KIND_LABELS, provision_name
from .model import Comment, Consultation, User
from .normalize import file_stem, slug
from .storage import Store

#: Who the letters address, when the settings do not name the consulting body.
DEFAULT_BODY = "Cơ quan chủ trì soạn thảo"


def _when(zone: str) -> datetime:
    return datetime.now(ZoneInfo(zone))


def _response_comments(
    store: Store, user: User, consultation: Consultation, unit_id: int
) -> list[Comment]:
    """The unit's submitted response; for its own delegates before submitting, its drafts
    (organizers never see those)."""
    submitted = store.list_comments(consultation.id, unit_id=unit_id, submitted_only=True)
    if submitted or user.is_organizer:
        return submitted
    return store.list_comments(consultation.id, unit_id=unit_id)


def _sections(store: Store, consultation: Consultation, comments: list[Comment]) -> list[Section]:
    sections: dict[str, Section] = {}
    texts: dict[str, str] = {}
    order = {
        node.key: index
        for index, node in enumerate(
            n for a in store.iter_articles(consultation.version_id) for n in a.walk()
        )
    }
    for comment in sorted(comments, key=lambda c: (order.get(c.node_key or "", -1), c.id)):
        key = comment.node_key or ""
        section = sections.setdefault(key, Section(provision_name(comment.node_key) + ":"))
        label = KIND_LABELS[comment.kind]
        section.paragraphs.append(f"- {label}." + (f" {comment.text}" if comment.text else ""))
        if comment.proposed_text:
            if comment.kind == "new_wording" and comment.node_key:
                if key not in texts:
                    texts[key] = provision_text(store.get_node(consultation.version_id, key))
                section.paragraphs.append(
                    "Đề nghị sửa như sau (phần thêm gạch chân, phần bỏ gạch ngang):"
                )
                section.paragraphs.append(condensed(texts[key], comment.proposed_text))
            else:
                section.paragraphs.append("Nội dung đề xuất:")
                section.paragraphs.append([("insert", comment.proposed_text)])
    return list(sections.values())


def response_letter(
    store: Store,
    user: User,
    consultation_id: int,
    *,
    unit_id: int | None = None,
    body: str = "",
    zone: str,
) -> Download:
    """A unit's response as an official letter: for its delegates (their own unit) and for
    organizers (any invited unit, its submitted response only)."""
    consultation = get_readable(store, user, consultation_id)
    if user.is_organizer:
        if unit_id is None or not store.is_invited(consultation.id, unit_id):
            raise Forbidden(N_("This unit is not invited to this consultation."))
    else:
        unit_id = user.unit_id
    if unit_id is None:
        raise Forbidden(N_("Only a delegate of an invited unit can do this."))
    unit = store.get_unit(unit_id)
    comments = _response_comments(store, user, consultation, unit.id)
    body = body or DEFAULT_BODY
    sections = _sections(store, consultation, comments)
    opening = (
        f"Thực hiện đợt lấy ý kiến “{consultation.title}” đối với dự thảo "
        f"{consultation.draft_title}, {unit.name} góp ý như sau:"
    )
    if not sections:
        opening = (
            f"Thực hiện đợt lấy ý kiến “{consultation.title}” đối với dự thảo "
            f"{consultation.draft_title}, {unit.name} nhất trí với dự thảo, không có ý kiến khác."
        )
    letter = Letter(
        issuer=unit.name,
        subject=f"V/v góp ý dự thảo {consultation.draft_title}",
        addressees=[body],
        opening=opening,
        sections=sections,
        closing=f"Trên đây là ý kiến của {unit.name}, kính gửi {body} tổng hợp./.",
        signer=f"T/M {unit.name}",
        recipients=["Như trên"],
        when=_when(zone),
    )
    name = f"{file_stem(consultation.draft_title, 40)}-gop-y-{slug(unit.code)}.docx"
    title = f"{unit.name} góp ý {consultation.draft_title}.docx"
    return Download(letter_docx(letter), name, title)


def request_letter(
    store: Store,
    user: User,
    consultation_id: int,
    *,
    body: str = "",
    base_url: str = "",
    zone: str,
) -> Download:
    """The organizer's request for comments, addressed to every invited unit, with the
    deadline and how to respond."""
    if not user.is_organizer:
        raise Forbidden(N_("Only organizers can do this."))
    consultation = store.get_consultation(consultation_id)
    body = body or DEFAULT_BODY
    units = store.consultation_units(consultation.id)
    deadline = datetime.fromisoformat(consultation.deadline).astimezone(ZoneInfo(zone))
    where = f" tại {base_url.rstrip('/')}/c/{consultation.id}" if base_url else ""
    how = Section(
        "Cách gửi ý kiến:",
        [
            f"- Trên hệ thống góp ý trực tuyến{where}: đại biểu của đơn vị đăng nhập bằng "
            "tài khoản đã được cấp, góp ý theo từng điều, khoản, điểm; đồng chí phụ trách của "
            "đơn vị gửi ý kiến chính thức của đơn vị.",
            f"- Hoặc bằng văn bản gửi về {body}.",
        ],
    )
    letter = Letter(
        issuer=body,
        subject=f"V/v xin ý kiến góp ý dự thảo {consultation.draft_title}",
        addressees=[u.name for u in units] or ["Các đơn vị"],
        opening=(
            f"Thực hiện kế hoạch xây dựng {consultation.draft_title}, {body} gửi dự thảo "
            "(kèm theo) và đề nghị các đồng chí nghiên cứu, góp ý."
        ),
        sections=[
            Section(
                "Thời hạn gửi ý kiến:",
                [f"Trước {deadline:%H giờ %M} ngày {deadline:%d/%m/%Y}."],
            ),
            how,
        ],
        closing=f"{body} trân trọng đề nghị các đồng chí quan tâm, phối hợp./.",
        signer=f"T/M {body}",
        recipients=["Như trên"],
        when=_when(zone),
    )
    name = f"{file_stem(consultation.draft_title, 40)}-xin-y-kien.docx"
    title = f"Xin ý kiến {consultation.draft_title}.docx"
    return Download(letter_docx(letter), name, title)
