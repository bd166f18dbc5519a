"""The one writer of raw WordprocessingML, for what python-docx has no API for.

Today: page-number fields and the document-level settings they need.  Tracked changes
(w:ins / w:del) belong here too when they are written.
"""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def add_field(paragraph, instruction: str, placeholder: str = "1") -> None:
    """Append a simple field (``PAGE``, ``NUMPAGES``…) to a python-docx paragraph."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), f" {instruction} ")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = placeholder
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def set_font_all_scripts(style, name: str) -> None:
    """Set a style's font for every script slot; python-docx sets only ascii and hAnsi, and
    Vietnamese text marked eastAsia or cs would otherwise fall back to another font."""
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), name)


def set_title_page(section) -> None:
    """Mark a section as having a distinct first page (no page number on page 1)."""
    section.different_first_page_header_footer = True
