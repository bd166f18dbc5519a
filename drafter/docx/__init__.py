"""The only package that touches python-docx, lxml and raw OOXML.

``reader`` reads an uploaded .docx into blocks; ``layout`` builds the page layout of a new
document and writes versions with tracked changes; ``ooxml`` holds the raw elements
python-docx has no API for (comments, revisions, fields).
"""

from __future__ import annotations

from . import ooxml
from .layout import layout, new_document, render_version, to_bytes
from .reader import read_docx

__all__ = ["layout", "new_document", "ooxml", "read_docx", "render_version", "to_bytes"]
