"""Real-browser test of the Word round trip (Playwright + Chromium, the app served over HTTP,
CSRF on): a delegate downloads the unit's review copy, uploads it edited, reads the preview
and saves the items as drafts.  The fixtures and helpers are tests/test_browser.py's."""

# ruff: noqa: F811  (the fixtures imported from test_browser are the tests' arguments)
from __future__ import annotations

import pytest

pytest.importorskip("playwright.sync_api")
from playwright.sync_api import expect  # noqa: E402

from .review_edits import Editor, open_copy, save  # noqa: E402
from .test_browser import (  # noqa: E402, F401  (fixtures, used by name)
    base_url,
    browser,
    comments,
    log_in,
    new_page,
    path_of,
    pytestmark,
)


def test_a_delegate_brings_back_a_word_file(new_page, world, tmp_path):
    page = new_page()
    log_in(page, "tn-member")
    c = world.consultation_id
    page.goto(f"/c/{c}")
    with page.expect_download() as download:
        page.click("#word-round-trip a")
    copy = tmp_path / "copy.docx"
    download.value.save_as(copy)
    document = open_copy(copy.read_bytes())
    editor = Editor(document, tracked=True)
    editor.replace("1. Quy định này quy định", "tổ chức bộ", "cơ cấu tổ chức bộ")
    edited = tmp_path / "gop-y.docx"
    edited.write_bytes(save(document))
    page.set_input_files("#review-file", str(edited))
    page.click("#word-round-trip button[type=submit]")
    page.wait_for_load_state()
    assert path_of(page).startswith(f"/c/{c}/review/")
    expect(page.locator(".redline ins")).to_have_text("cơ cấu")
    assert comments(world, unit_id=world.units["thai-nguyen"]) == []
    page.click("button[value=confirm]")
    page.wait_for_load_state()
    assert path_of(page) == f"/c/{c}"
    saved = comments(world, unit_id=world.units["thai-nguyen"])
    assert [(x.kind, x.node_key) for x in saved] == [("new_wording", "chuong-1/dieu-1/khoan-1")]
