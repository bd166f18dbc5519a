"""Invisible anchors of a review copy: one Word bookmark per provision, and the properties
that name the consultation, version and unit the copy was made for.

Bookmark names must be at most 40 characters, start with a letter and hold only letters,
digits and underscores, so a provision key (``chuong-2/dieu-7/khoan-3/diem-dd``) is mapped
to ``drafter_`` and 12 hex digits of its SHA-1: the mapping is recomputed from the consulted
version's keys, and also kept in a custom XML part.  The properties are custom document
properties (``docProps/custom.xml``), which Word and LibreOffice both keep.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from .ooxml import enclose

PREFIX = "drafter_"
CUSTOM_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
MAP_NS = "urn:drafter:review-copy:1"
#: The custom properties of a review copy, by the name they carry in the file.
PROPERTIES = ("drafter.consultation", "drafter.version", "drafter.unit", "drafter.fingerprint")


def bookmark_name(key: str) -> str:
    """Return the Word bookmark name of a provision key (22 characters, Word-safe)."""
    return PREFIX + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class ReviewMeta:
    """What a review copy says about itself."""

    consultation_id: int
    version_id: int
    unit_code: str
    fingerprint: str

    def properties(self) -> dict[str, str]:
        return dict(
            zip(
                PROPERTIES,
                (str(self.consultation_id), str(self.version_id), self.unit_code, self.fingerprint),
                strict=True,
            )
        )


def add_anchors(document, by_key: dict[str, list], meta: ReviewMeta) -> None:
    """Bookmark every provision of `by_key` (key → its python-docx paragraphs, in order) and
    write `meta` as custom properties plus the key ↔ bookmark mapping as a custom XML part."""
    next_id = 900_000  # far above the ids of the renderer's revisions and comments
    for key, paragraphs in by_key.items():
        name = bookmark_name(key)
        start = OxmlElement("w:bookmarkStart")
        start.set(qn("w:id"), str(next_id))
        start.set(qn("w:name"), name)
        end = OxmlElement("w:bookmarkEnd")
        end.set(qn("w:id"), str(next_id))
        next_id += 1
        enclose(paragraphs, start, end)
    _custom_properties(document, meta.properties())
    _mapping_part(document, meta, by_key)


def _custom_properties(document, values: dict[str, str]) -> None:
    items = "".join(
        f'<property fmtid="{FMTID}" pid="{pid}" name={quoteattr(name)}>'
        f"<vt:lpwstr>{escape(value)}</vt:lpwstr></property>"
        for pid, (name, value) in enumerate(values.items(), start=2)
    )
    xml = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Properties xmlns="{CUSTOM_NS}" xmlns:vt="{VT_NS}">{items}</Properties>'
    )
    package = document.part.package
    part = Part(PackURI("/docProps/custom.xml"), CUSTOM_CONTENT_TYPE, xml.encode("utf-8"), package)
    package.relate_to(part, RT.CUSTOM_PROPERTIES)


def _mapping_part(document, meta: ReviewMeta, by_key: dict[str, list]) -> None:
    attributes = " ".join(
        f"{name.split('.')[1]}={quoteattr(value)}" for name, value in meta.properties().items()
    )
    anchors = "".join(
        f"<anchor key={quoteattr(key)} bookmark={quoteattr(bookmark_name(key))}/>" for key in by_key
    )
    xml = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<review xmlns="{MAP_NS}" {attributes}>{anchors}</review>'
    )
    package = document.part.package
    name = package.next_partname("/customXml/item%d.xml")
    part = Part(name, "application/xml", xml.encode("utf-8"), package)
    document.part.relate_to(part, RT.CUSTOM_XML)
