"""A unit's review copy: the consulted version as the clean DOCX export, plus a bookmark per
provision and the properties naming the consultation, version and unit, so that the file a
unit sends back can be read provision by provision (``review_import``)."""

from __future__ import annotations

import hashlib

from .config import DEFAULT_TIMEZONE
from .consulting import get_readable
from .docx.anchors import ReviewMeta
from .docx.layout import layout
from .errors import N_, Forbidden, NotFound
from .exports import Download, _redline
from .model import Consultation, Node, Unit, User
from .normalize import file_stem
from .storage import Store


def fingerprint(nodes: list[Node]) -> str:
    """Return a digest of a version's tree: its keys, kinds, numbers, titles and texts."""
    digest = hashlib.sha256()
    for root in nodes:
        for node in root.walk():
            for part in (node.key, node.kind, node.number, node.title, node.text):
                digest.update(part.encode("utf-8") + b"\x00")
    return digest.hexdigest()[:24]


def meta_of(consultation: Consultation, nodes: list[Node], unit: Unit) -> ReviewMeta:
    return ReviewMeta(consultation.id, consultation.version_id, unit.code, fingerprint(nodes))


def render(
    consultation: Consultation, nodes: list[Node], unit: Unit, *, zone: str = DEFAULT_TIMEZONE
) -> bytes:
    """Return the review copy of `consultation` (on the version whose tree is `nodes`) for
    `unit`: the clean export's renderer, with anchors."""
    return _redline(
        consultation.draft_title,
        layout(nodes),
        [],
        lambda _c: False,
        zone,
        anchors=meta_of(consultation, nodes, unit),
    )


def invited_unit(store: Store, user: User, consultation_id: int, unit_code: str):
    """Return (consultation, unit) when `user` may act for the unit `unit_code` in the
    consultation: an organizer for any invited unit, a delegate for their own."""
    consultation = get_readable(store, user, consultation_id)
    unit = store.find_unit(unit_code)
    if unit is None:
        raise NotFound(N_("There is no unit with the code “%(code)s”."), code=unit_code)
    if not user.is_organizer and user.unit_id != unit.id:
        raise Forbidden(N_("You can act only for your own unit."))
    if not store.is_invited(consultation.id, unit.id):
        raise Forbidden(N_("This unit is not invited to this consultation."))
    return consultation, unit


def unit_copy(store: Store, consultation_id: int, unit_code: str, *, zone: str) -> Download:
    """Return a unit's review copy for the operator (the CLI): any invited unit."""
    consultation = store.get_consultation(consultation_id)
    unit = store.find_unit(unit_code)
    if unit is None:
        raise NotFound(N_("There is no unit with the code “%(code)s”."), code=unit_code)
    if not store.is_invited(consultation.id, unit.id):
        raise Forbidden(N_("This unit is not invited to this consultation."))
    return _download(store, consultation, unit, zone)


def _download(store: Store, consultation: Consultation, unit: Unit, zone: str) -> Download:
    data = render(consultation, store.get_tree(consultation.version_id), unit, zone=zone)
    stem = file_stem(consultation.draft_title)
    return Download(data, f"{stem}-gop-y-{file_stem(unit.code)}.docx",
                    f"{consultation.draft_title} (bản góp ý của {unit.name}).docx")  # fmt: skip


def review_copy_file(
    store: Store, user: User, consultation_id: int, unit_code: str, *, zone: str
) -> Download:
    """Return the unit's review copy of the consultation as a download."""
    consultation, unit = invited_unit(store, user, consultation_id, unit_code)
    return _download(store, consultation, unit, zone)
