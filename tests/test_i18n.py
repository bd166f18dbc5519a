"""The Vietnamese catalogue covers every message of the code and templates; English is the
second language, switchable on every page."""

from __future__ import annotations

import html
import io
import re

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from drafter import create_app
from drafter.errors import N_, DraftImportError

from .conftest import ROOT
from .consultation_fixture import login

CATALOGUE = ROOT / "drafter" / "translations" / "vi" / "LC_MESSAGES" / "messages.po"
KEYWORDS = {"_": None, "gettext": None, "N_": None}


def _messages():
    found = set()
    for folder, method in (("drafter", "python"), ("templates", "jinja2")):
        mapping = [("**.py", "python")] if method == "python" else [("**.html", "jinja2")]
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / folder, method_map=mapping, keywords=KEYWORDS
        ):
            found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_message_has_a_vietnamese_translation():
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle)
    messages = _messages()
    assert len(messages) > 200
    missing = sorted(m for m in messages if m not in catalogue or not catalogue[m].string)
    assert missing == []
    for message in catalogue:
        if message.id:
            ids = [message.id] if isinstance(message.id, str) else list(message.id)
            strings = [message.string] if isinstance(message.string, str) else message.string
            fields = set(re.findall(r"%\((\w+)\)[sd]", ids[-1]))
            for string in strings:  # every plural form names the same fields
                assert set(re.findall(r"%\((\w+)\)[sd]", string)) == fields, message.id


def test_vietnamese_by_default_english_on_request(tmp_path):
    app = create_app(
        {"TESTING": True, "DATABASE": str(tmp_path / "i18n.sqlite"), "SECRET_KEY": "t"}
    )
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="vi">' in page
    assert "<h1>Đăng nhập</h1>" in page
    assert 'href="/lang/en?next=/login?"' in page
    client.get("/lang/en")
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "<h1>Sign in</h1>" in page
    client.get("/lang/vi")
    assert "<h1>Đăng nhập</h1>" in client.get("/login").get_data(as_text=True)
    assert client.get("/lang/xx").status_code == 302  # unknown language: ignored


def _upload(client, data: bytes, name: str):
    return client.post(
        "/admin/upload",
        data={"file": (io.BytesIO(data), name), "title": ""},
        content_type="multipart/form-data",
    )


def test_import_errors_are_translated_with_the_file_and_place(app):
    organizer = login(app, "organizer")
    organizer.get("/lang/vi")
    response = _upload(organizer, b"not a zip at all", "hong.docx")
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 422
    assert "hong.docx: không phải tệp DOCX (không phải gói zip)" in page
    assert "not a DOCX file" not in page

    response = _upload(organizer, b"Dieu 1. Ph\xe1m vi\n", "cu.txt")
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 422
    assert "cu.txt:dòng 1: văn bản không ở mã UTF-8" in page

    organizer.get("/lang/en")
    page = html.unescape(_upload(organizer, b"PK junk", "hong.docx").get_data(as_text=True))
    assert "hong.docx: the DOCX package is broken (" in page


def test_import_errors_read_as_one_english_line_outside_the_web():
    error = DraftImportError(
        N_("the part %(part)s is broken (%(reason)s)"),
        source="a.docx",
        where=N_("line %(line)s"),
        part="word/document.xml",
        reason="bad CRC",
        line=12,
    )
    assert str(error) == "a.docx:line 12: the part word/document.xml is broken (bad CRC)"
    assert error.template == "the part %(part)s is broken (%(reason)s)"
    assert error.params["part"] == "word/document.xml"
    assert str(DraftImportError(N_("the file is empty"))) == "the file is empty"
