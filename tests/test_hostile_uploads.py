"""Hostile draft files, through drafter.reading.parse_bytes and through the organizer's upload
page: every unreadable file is refused with one clear message (422; 413 when too large),
nothing is written to the database, and nothing ends in a 500.

Every case is checked both ways: parse_bytes must raise DraftImportError (the one documented
import error) and the web upload must answer 422 with that message in one error flash, leaving
the draft, version, node and pending_upload tables as they were.
"""

from __future__ import annotations

import contextlib
import io
import re
import struct
import time
import unicodedata
import uuid
import warnings
import zipfile

import docx
import pytest

from drafter.errors import DraftImportError
from drafter.reading import parse_bytes

from .consultation_fixture import copy_world
from .docx_factory import Auto, docx_bytes, numbering_xml
from .hostile_helpers import (
    REAL_DOCX,
    build_zip,
    hostile_app,
    lie_about_sizes,
    login,
    rewrite_docx,
    row_counts,
    streamed_bomb,
    zip_parts,
)

REAL = REAL_DOCX.read_bytes()
PASSWD_MARKERS = ("root:x:0:0", "/bin/bash", "/usr/sbin/nologin", "daemon:")


# -- fixtures ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def organizer_cookie(template_world, tmp_path_factory):
    """Sign the organizer in once (scrypt is slow), on a copy of the shared template (an app
    started on the template would write to it); the cookie works in every copy."""
    app = hostile_app(copy_world(template_world, tmp_path_factory.mktemp("cookie")))
    return login(app, "organizer").get_cookie("session").value


def signed_in(app, cookie):
    client = app.test_client()
    client.set_cookie("session", cookie)
    return client


@pytest.fixture
def organizer(world, organizer_cookie):
    return signed_in(hostile_app(world), organizer_cookie)


@pytest.fixture
def no_python_docx(monkeypatch):
    """Record every call of docx.Document (it must not be reached for refused packages)."""
    calls = []
    real = docx.Document

    def spy(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(docx, "Document", spy)
    return calls


@pytest.fixture(scope="module")
def bomb_300mb() -> bytes:
    """300 MB of spaces in word/document.xml, about 300 KB on disk."""
    return streamed_bomb(300 * 2**20)


# -- helpers ----------------------------------------------------------------------------------
def multipart(data: bytes, name: str, form: dict[str, str]) -> tuple[bytes, str]:
    """Return (body, content type) of a form upload, encoded here rather than by the test
    client (which spools large bodies to a temporary file it never closes)."""
    boundary = "----drafter-hostile-" + uuid.uuid4().hex
    quoted = name.replace("\\", "%5C").replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")
    chunks = []
    for key, value in form.items():
        chunks.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n'.encode()
            + str(value).encode("utf-8")
            + b"\r\n"
        )
    chunks.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{quoted}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n".encode()
        + data
        + b"\r\n"
    )
    chunks.append(f"--{boundary}--\r\n".encode())
    return b"".join(chunks), f"multipart/form-data; boundary={boundary}"


def upload(client, data: bytes, name: str, **form):
    body, content_type = multipart(data, name, form)
    return client.post("/admin/upload", data=body, content_type=content_type)


def error_flashes(page: str) -> list[str]:
    return re.findall(r'<p class="flash error"[^>]*>(.*?)</p>', page, re.S)


def assert_refused(world, client, data: bytes, name: str, expected: str, *, status: int = 422):
    """Upload `data` as `name`: the page answers `status` with one error message holding
    `expected` and the file name, and no row is written."""
    before = row_counts(world.db_path)
    response = upload(client, data, name)
    page = response.get_data(as_text=True)
    assert response.status_code == status, page[:2000]
    flashes = error_flashes(page)
    assert len(flashes) == 1, flashes
    assert expected.lower() in flashes[0].lower(), flashes[0]
    assert name in flashes[0]
    assert "Traceback" not in page
    assert row_counts(world.db_path) == before
    return page


def parse_refuses(data: bytes, name: str, expected: str, *, seconds: float = 5.0) -> str:
    started = time.monotonic()
    with pytest.raises(DraftImportError) as caught:
        parse_bytes(data, name)
    elapsed = time.monotonic() - started
    assert elapsed < seconds, f"refusing took {elapsed:.1f} s"
    message = str(caught.value)
    assert expected.lower() in message.lower(), message
    assert "\n" not in message  # one line
    return message


# -- 1. too large -----------------------------------------------------------------------------
def test_file_over_the_upload_limit_is_413_with_a_page(world, organizer_cookie):
    app = hostile_app(world, MAX_CONTENT_LENGTH=4096)
    client = signed_in(app, organizer_cookie)
    before = row_counts(world.db_path)
    response = upload(client, b"x" * 20_000, "big.md")
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "<html" in page.lower()
    assert "too large" in page.lower()
    assert row_counts(world.db_path) == before


def test_real_docx_over_the_limit_is_413(world, organizer_cookie):
    app = hostile_app(world, MAX_CONTENT_LENGTH=len(REAL) // 2)
    client = signed_in(app, organizer_cookie)
    before = row_counts(world.db_path)
    response = upload(client, REAL, "real.docx")
    assert response.status_code == 413
    assert row_counts(world.db_path) == before


# -- 2. not a DOCX at all ---------------------------------------------------------------------
BROKEN = [
    pytest.param(b"This is plain text, not a zip.", "notzip.docx", "not a zip", id="not-a-zip"),
    pytest.param(REAL[: len(REAL) // 2], "half.docx", "broken", id="truncated-half"),
    pytest.param(REAL[:-22], "no-eocd.docx", "broken", id="truncated-end-record"),
    pytest.param(REAL[:30], "thirty-bytes.docx", "broken", id="truncated-30-bytes"),
    pytest.param(b"", "empty.docx", "empty", id="empty-docx"),
    pytest.param(b"", "empty.md", "empty", id="empty-md"),
    pytest.param(b" \n\t\r\n  ", "blank.md", "empty", id="whitespace-only"),
    pytest.param(b"PK\x05\x06" + b"\x00" * 18, "empty-zip.docx", "no [Content_Types].xml",
                 id="empty-zip"),
]  # fmt: skip


@pytest.mark.parametrize(("data", "name", "expected"), BROKEN)
def test_broken_files_are_refused(world, organizer, no_python_docx, data, name, expected):
    parse_refuses(data, name, expected)
    assert_refused(world, organizer, data, name, expected)
    assert no_python_docx == []


def test_docx_with_a_damaged_part_is_refused(world, organizer):
    """A part whose compressed bytes were overwritten: the CRC check catches it."""
    info = next(i for i in zipfile.ZipFile(io.BytesIO(REAL)).infolist()
                if i.filename == "word/document.xml")  # fmt: skip
    blob = bytearray(REAL)
    start = info.header_offset + 30 + len(info.filename) + 40
    blob[start : start + 200] = bytes(200)
    data = bytes(blob)
    parse_refuses(data, "damaged.docx", "damaged.docx")
    assert_refused(world, organizer, data, "damaged.docx", "")


def _patch_headers(data: bytes, local_offset: int, central_offset: int, change) -> bytes:
    """Return the zip `data` with the 2-byte field at the given offsets of every local and
    central header replaced by change(old value)."""
    blob = bytearray(data)
    for signature, offset in ((rb"PK\x03\x04", local_offset), (rb"PK\x01\x02", central_offset)):
        for match in re.finditer(signature, bytes(blob)):
            old = struct.unpack_from("<H", blob, match.start() + offset)[0]
            struct.pack_into("<H", blob, match.start() + offset, change(old))
    return bytes(blob)


REBUILT = build_zip(zip_parts(REAL))
ENCRYPTED = _patch_headers(REBUILT, 6, 8, lambda flags: flags | 1)  # "encrypted" flag bit


def test_encrypted_zip_is_refused(world, organizer, no_python_docx):
    """zipfile raises RuntimeError for an encrypted entry: it must become the import error."""
    parse_refuses(ENCRYPTED, "encrypted.docx", "encrypted")
    assert_refused(world, organizer, ENCRYPTED, "encrypted.docx", "encrypted")
    assert no_python_docx == []


@pytest.mark.parametrize("method", [99, 1], ids=["aes-99", "shrink-1"])
def test_unsupported_compression_method_is_refused(world, organizer, no_python_docx, method):
    """zipfile raises NotImplementedError for method 99 (WinZip AES) or 1 (shrink)."""
    data = _patch_headers(REBUILT, 8, 10, lambda _old: method)
    parse_refuses(data, "method.docx", "broken")
    assert_refused(world, organizer, data, "method.docx", "broken")
    assert no_python_docx == []


@pytest.mark.parametrize(
    "compression",
    [zipfile.ZIP_STORED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA],
    ids=["stored", "bzip2", "lzma"],
)
def test_other_supported_compressions_import(world, organizer, compression):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, content in zip_parts(REAL).items():
            archive.writestr(name, content)
    parsed = parse_bytes(out.getvalue(), "packed.docx")
    assert len(parsed.articles()) == len(parse_bytes(REAL, "real.docx").articles())


def test_duplicate_part_names_cannot_smuggle_a_dtd(world, organizer):
    """Two entries named word/document.xml: python-docx reads the last; both are checked."""
    items = list(zip_parts(REAL).items()) + [("word/document.xml", _with_entity(XXE, "&xxe;"))]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns "Duplicate name"
        data = build_zip(items)
    parse_refuses(data, "dup.docx", "declares a DTD")
    assert_refused(world, organizer, data, "dup.docx", "DTD")


# -- 3. zip bombs -----------------------------------------------------------------------------
def test_300mb_bomb_is_refused_before_parsing(world, organizer, no_python_docx, bomb_300mb):
    assert len(bomb_300mb) < 2 * 2**20
    parse_refuses(bomb_300mb, "bomb.docx", "unpacks to 300 MB", seconds=5)
    started = time.monotonic()
    assert_refused(world, organizer, bomb_300mb, "bomb.docx", "limit")
    assert time.monotonic() - started < 5
    assert no_python_docx == []


@pytest.mark.parametrize("megabytes", [5, 150], ids=["5MB", "150MB"])
def test_ratio_bomb_below_the_total_limit_is_refused(world, organizer, no_python_docx, megabytes):
    data = streamed_bomb(megabytes * 2**20)
    parse_refuses(data, "ratio.docx", "zip bomb", seconds=5)
    assert_refused(world, organizer, data, "ratio.docx", "zip bomb")
    assert no_python_docx == []


def test_bomb_with_zeros_in_a_side_part_is_refused(world, organizer, no_python_docx):
    parts = zip_parts(REAL)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
        archive.writestr("word/media/image1.png", b"\x00" * (8 * 2**20))
    data = out.getvalue()
    parse_refuses(data, "side.docx", "zip bomb")
    assert_refused(world, organizer, data, "side.docx", "zip bomb")
    assert no_python_docx == []


def test_bomb_that_lies_about_its_size_is_refused(world, organizer, no_python_docx):
    """The headers claim 1 KB for a part of 50 MB: the reader must not trust them."""
    data = lie_about_sizes(streamed_bomb(50 * 2**20), 1000)
    started = time.monotonic()
    parse_refuses(data, "liar.docx", "liar.docx")
    assert_refused(world, organizer, data, "liar.docx", "")
    assert time.monotonic() - started < 5


def test_too_many_parts_is_refused(world, organizer, no_python_docx):
    parts = list(zip_parts(REAL).items()) + [(f"word/x{i}.bin", b"") for i in range(2100)]
    data = build_zip(parts)
    parse_refuses(data, "many.docx", "parts (limit")
    assert_refused(world, organizer, data, "many.docx", "limit")
    assert no_python_docx == []


# -- 4. DTDs and entities ---------------------------------------------------------------------
DOCUMENT = zip_parts(REAL)["word/document.xml"].decode("utf-8")
BODY = DOCUMENT.split("?>", 1)[1]
LAUGHS = (
    '<!DOCTYPE w:document [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    + "]>"
)
XXE = '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
XXE_PARAM = '<!DOCTYPE w:document [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>'


def _with_entity(doctype: str, reference: str, *, encoding: str = "utf-8") -> bytes:
    body = BODY.replace("</w:t>", f"{reference}</w:t>", 1)
    xml = f'<?xml version="1.0" encoding="{encoding.upper()}" standalone="yes"?>{doctype}{body}'
    return xml.encode(encoding)


ENTITY_CASES = [
    pytest.param({"word/document.xml": _with_entity(LAUGHS, "&lol9;")}, id="billion-laughs"),
    pytest.param({"word/document.xml": _with_entity(XXE, "&xxe;")}, id="xxe-passwd"),
    pytest.param({"word/document.xml": _with_entity(XXE_PARAM, "")}, id="xxe-parameter-entity"),
    pytest.param({"word/styles.xml": b'<?xml version="1.0"?>' + XXE.encode() + b"<x>&xxe;</x>"},
                 id="xxe-in-styles"),
    pytest.param({"_rels/.rels": b'<?xml version="1.0"?>' + LAUGHS.encode()
                  + zip_parts(REAL)["_rels/.rels"].split(b"?>", 1)[1]}, id="laughs-in-rels"),
]  # fmt: skip


def _assert_no_passwd(text: str) -> None:
    for marker in PASSWD_MARKERS:
        assert marker not in text


@pytest.mark.parametrize("replace", ENTITY_CASES)
def test_dtd_and_entities_are_refused(world, organizer, no_python_docx, replace):
    data = rewrite_docx(REAL, replace=replace)
    message = parse_refuses(data, "entities.docx", "declares a DTD or entities")
    _assert_no_passwd(message)
    page = assert_refused(world, organizer, data, "entities.docx", "DTD")
    _assert_no_passwd(page)
    assert no_python_docx == []


def test_billion_laughs_in_a_utf16_part_is_refused(world, organizer):
    """The byte scan misses UTF-16, but libxml2's amplification limit still refuses it."""
    data = rewrite_docx(
        REAL, replace={"word/document.xml": _with_entity(LAUGHS, "&lol9;", encoding="utf-16")}
    )
    parse_refuses(data, "laughs16.docx", "laughs16.docx")
    assert_refused(world, organizer, data, "laughs16.docx", "")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_dtd_in_a_utf16_or_utf32_part_is_refused(world, organizer, no_python_docx, encoding):
    """A byte scan for b'<!DOCTYPE' misses other encodings: they must be refused too."""
    bom = {"utf-16-le": "\ufeff", "utf-16-be": "\ufeff"}.get(encoding, "")
    xml = bom.encode(encoding) + _with_entity(XXE, "&xxe;", encoding=encoding)
    data = rewrite_docx(REAL, replace={"word/document.xml": xml})
    message = parse_refuses(data, "utf16.docx", "DTD")
    _assert_no_passwd(message)
    _assert_no_passwd(assert_refused(world, organizer, data, "utf16.docx", "DTD"))
    assert no_python_docx == []


def test_dtd_in_a_main_part_not_named_xml_is_refused(world, organizer, no_python_docx):
    """The relationships, not the name, say which part is the main document."""
    parts = zip_parts(REAL)
    parts["word/main.bin"] = _with_entity(XXE, "&xxe;")
    parts["_rels/.rels"] = parts["_rels/.rels"].replace(b"word/document.xml", b"word/main.bin")
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"/word/document.xml", b"/word/main.bin"
    )
    data = build_zip(parts)
    message = parse_refuses(data, "renamed.docx", "DTD")
    _assert_no_passwd(message)
    _assert_no_passwd(assert_refused(world, organizer, data, "renamed.docx", "DTD"))
    assert no_python_docx == []


# -- 5. missing parts -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("drop", "expected"),
    [
        (("word/document.xml",), "no word/document.xml"),
        (("[Content_Types].xml",), "no [Content_Types].xml"),
        (("_rels/.rels",), "not a readable Word document"),
    ],
    ids=["no-document", "no-content-types", "no-package-rels"],
)
def test_docx_with_a_missing_part_is_refused(world, organizer, drop, expected):
    data = rewrite_docx(REAL, drop=drop)
    parse_refuses(data, "missing.docx", expected)
    assert_refused(world, organizer, data, "missing.docx", expected)


def test_docx_whose_document_is_not_xml_is_refused(world, organizer):
    data = rewrite_docx(REAL, replace={"word/document.xml": b"<w:document><w:body><oops"})
    parse_refuses(data, "notxml.docx", "not a readable Word document")
    assert_refused(world, organizer, data, "notxml.docx", "not a readable Word document")


def test_docx_without_articles_is_refused(world, organizer):
    data = docx_bytes(["Chỉ có một đoạn văn, không có điều nào."])
    parse_refuses(data, "noarticle.docx", "no article")
    assert_refused(world, organizer, data, "noarticle.docx", "no article")


@pytest.mark.parametrize("fmt", ["upperRoman", "lowerRoman", "lowerLetter", "decimalZero"])
def test_numbering_with_a_huge_start_does_not_hang(fmt):
    """A list whose w:start is 10**22: the number must not be spelled out digit by digit
    (Roman numerals of 10**22 would be 10**19 M's).  Run in a child process, killed at 3 s."""
    import multiprocessing

    xml = numbering_xml([(fmt, "%1.")]).replace(
        '<w:start w:val="1"/>', '<w:start w:val="99999999999999999999999"/>'
    )
    data = docx_bytes(["Điều 1. Phạm vi", Auto("Nội dung")], numbering=xml)
    context = multiprocessing.get_context("fork")
    process = context.Process(target=_parse_quietly, args=(data,))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # fork() beside threads, 3.12+
        process.start()
    process.join(3)
    hung = process.is_alive()
    if hung:
        process.kill()
        process.join()
    assert not hung, "parse_bytes was still running after 3 s"
    assert process.exitcode == 0


def _parse_quietly(data: bytes) -> None:
    with contextlib.suppress(DraftImportError):
        parse_bytes(data, "roman.docx")


# -- 6. text files in the wrong shape ---------------------------------------------------------
VIETNAMESE = "Điều 1. Phạm vi điều chỉnh\n1. Quy định này áp dụng đối với Đảng đoàn.\n"
TCVN3 = b"\xa7i\xd2u 1. Ph\xb9m vi \xae i\xd2u ch\xd8nh\n1. Quy \xae\xfenh n\xb5y\n"


def _cp1258(text: str) -> bytes:
    """Return Vietnamese text as Windows-1258 writes it (base letter + combining tone)."""
    out = b""
    for char in text:
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", char)
            base = unicodedata.normalize("NFC", parts[:2])
            try:
                out += (base + parts[2:]).encode("cp1258")
            except UnicodeEncodeError:
                out += parts.encode("cp1258", errors="replace")
    return out


PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)
TEXT_CASES = [
    pytest.param("Article 1. Scope — café, naïve\n".encode("cp1252"), "cp1252.md", "not UTF-8",
                 id="windows-1252"),
    pytest.param(_cp1258(VIETNAMESE), "cp1258.md", "not UTF-8", id="windows-1258"),
    pytest.param(TCVN3, "tcvn3.md", "TCVN3", id="tcvn3"),
    pytest.param(VIETNAMESE.encode("utf-16-le"), "utf16le.md", "", id="utf16-le-no-bom"),
    pytest.param(VIETNAMESE.encode("utf-16-be"), "utf16be.txt", "", id="utf16-be-no-bom"),
    pytest.param("Article 1. Scope\n".encode("utf-16-le"), "ascii16.md", "binary",
                 id="utf16-ascii-no-bom"),
    pytest.param(b"\xff\xfe" + b"\x00\xd8" + "x".encode("utf-16-le"), "lone.md", "UTF-16",
                 id="utf16-bom-lone-surrogate"),
    pytest.param(b"\x00" * 4096, "nul.md", "binary", id="nul-bytes"),
    pytest.param(PNG, "image.md", "not UTF-8", id="png-renamed-md"),
    pytest.param(PNG, "image.txt", "not UTF-8", id="png-renamed-txt"),
    pytest.param(REAL, "docx-renamed.md", "not UTF-8", id="docx-renamed-md"),
    pytest.param(VIETNAMESE.encode(), "draft.pdf", "unsupported file type", id="pdf-suffix"),
    pytest.param(VIETNAMESE.encode(), "draft.docx", "not a zip", id="md-renamed-docx"),
    pytest.param("Không có điều nào ở đây.".encode(), "none.md", "no article", id="no-article"),
]  # fmt: skip


@pytest.mark.parametrize(("data", "name", "expected"), TEXT_CASES)
def test_text_in_a_wrong_encoding_is_refused(world, organizer, data, name, expected):
    parse_refuses(data, name, expected)
    assert_refused(world, organizer, data, name, expected)


def test_missing_file_is_a_clear_400(world, organizer):
    before = row_counts(world.db_path)
    response = organizer.post("/admin/upload", data={}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert len(error_flashes(response.get_data(as_text=True))) == 1
    assert row_counts(world.db_path) == before


def test_unknown_target_draft_is_404_and_nothing_written(world, organizer):
    before = row_counts(world.db_path)
    response = upload(organizer, VIETNAMESE.encode(), "ok.md", draft_id="9999")
    assert response.status_code == 404
    assert row_counts(world.db_path) == before


def test_hostile_file_name_is_escaped(world, organizer):
    name = '<img src=x onerror="alert(1)"><script>alert(1)</script>.md'
    response = upload(organizer, b"", name)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "<script>alert(1)" not in page
    assert "<img src=x" not in page
    # Accepted then previewed: the name shows on the preview page, escaped too.
    response = upload(organizer, VIETNAMESE.encode(), name, title="<script>alert(2)</script>")
    assert response.status_code == 302
    page = organizer.get(response.location).get_data(as_text=True)
    assert "<script>alert(" not in page
    assert "<img src=x" not in page


@pytest.mark.parametrize("char", ["\uffff", "\ufffe"], ids=["U+FFFF", "U+FFFE"])
def test_noncharacter_in_a_draft_is_refused_or_exportable(world, organizer, char):
    data = f"Điều 1. Phạm vi\n\n1. Nội{char}dung mới.\n".encode()
    response = upload(organizer, data, "noncharacter.md", draft_id=str(world.draft_id))
    if response.status_code == 422:
        return  # refused with a message: fine
    assert response.status_code == 302
    upload_id = int(response.location.rstrip("/").split("/")[-1])
    assert organizer.post(f"/admin/uploads/{upload_id}/confirm").status_code == 302
    compare = organizer.get(f"/admin/drafts/{world.draft_id}/compare?from=2&to=3")
    assert compare.status_code == 200


# -- 7. malformed Markdown that still parses --------------------------------------------------
MALFORMED = [
    pytest.param("Điều 1. **Phạm vi [điều chỉnh](\n\n1. Nội **dung [a]( ** ]] [[ ((\n\n"
                 "Điều 2. *x* ** [`\n", id="unbalanced-emphasis-and-links"),
    pytest.param("Điều 1. Trích dẫn\n\n" + ">" * 5000 + " lồng nhau\n", id="5000-nested-quotes"),
    pytest.param("Điều 1. Dòng dài\n\n" + "chữ " * 262_144 + "\n", id="one-megabyte-line"),
    pytest.param("Điều 1. Bảng hỏng\n\n| a | b\n|---|\n| 1 | 2 | 3 | 4 |\n", id="broken-table"),
    pytest.param("# Điều 1. <script>alert(1)</script>\n\n1. <img src=x onerror=alert(1)>\n",
                 id="html-in-markdown"),
    pytest.param("Điều 1. Một\n\nĐiều 1. Một lần nữa\n\nĐiều 1. Ba lần\n", id="duplicate-numbers"),
    pytest.param("\ufeff\u202eĐiều 1.\u200b Phạm vi\r\n1.\tNội dung\r\n", id="bom-rlo-crlf"),
]  # fmt: skip


@pytest.mark.parametrize("text", MALFORMED)
def test_malformed_markdown_imports_or_is_refused_clearly(world, organizer, text):
    data = text.encode("utf-8")
    before = row_counts(world.db_path)
    try:
        parsed = parse_bytes(data, "malformed.md")
    except DraftImportError:
        assert_refused(world, organizer, data, "malformed.md", "")
        return
    assert parsed.articles()
    response = upload(organizer, data, "malformed.md")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert row_counts(world.db_path)["pending_upload"] == before["pending_upload"] + 1
    preview = organizer.get(response.location)
    assert preview.status_code == 200
    assert "<script>alert(1)" not in preview.get_data(as_text=True)
    upload_id = int(response.location.rstrip("/").split("/")[-1])
    confirmed = organizer.post(f"/admin/uploads/{upload_id}/confirm")
    assert confirmed.status_code == 302, confirmed.get_data(as_text=True)[:2000]
    after = row_counts(world.db_path)
    assert after["draft"] == before["draft"] + 1
    assert after["version"] == before["version"] + 1
    assert after["pending_upload"] == before["pending_upload"]
    page = organizer.get(confirmed.location)
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "<script>alert(1)" not in body
    assert "<img src=x" not in body
