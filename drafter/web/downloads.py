"""Files handed to the browser: the right type, an ASCII name, and the full Vietnamese name
for browsers that read it (RFC 6266 ``filename*``)."""

from __future__ import annotations

import io
import unicodedata
from urllib.parse import quote

from flask import send_file

from ..exports import Download

# Flask adds "; charset=utf-8" to text types itself.
TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "zip": "application/zip", "csv": "text/csv", "md": "text/markdown",
}  # fmt: skip


def send_download(download: Download):
    """Send `download` as an attachment named by its slug and its full title."""
    suffix = download.name.rsplit(".", 1)[-1]
    response = send_file(
        io.BytesIO(download.data),
        mimetype=TYPES[suffix],
        as_attachment=True,
        download_name=download.name,
    )
    if download.title:
        full = quote(unicodedata.normalize("NFC", download.title), safe="")
        response.headers["Content-Disposition"] = (
            f"attachment; filename=\"{download.name}\"; filename*=UTF-8''{full}"
        )
    return response
