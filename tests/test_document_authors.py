"""Who each document says it comes from (its core properties' author): the consulting body
(CONSULTING_BODY) for the organizers' documents, the unit for a unit's own documents."""

from __future__ import annotations

import io

import docx
import pytest
from click.testing import CliRunner

from drafter.cli import cli
from drafter.storage import open_store

from .consultation_fixture import build_world, login, make_app

BODY = "Ban Tổ chức Trung ương"


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    world = build_world(tmp_path_factory.mktemp("authors") / "authors.sqlite")
    store = open_store(world.db_path)
    try:
        consultation = store.get_consultation(world.consultation_id)
        from drafter import consulting

        lead = store.get_user(world.users["tn-lead"])
        consulting.add_comment(
            store, lead, consultation, key="chuong-1/dieu-3", kind="comment", text="Rõ hơn.",
            proposed_text=None, now=consulting.utc_now(),
        )  # fmt: skip
        consulting.submit(store, lead, consultation, no_comments=False, now=consulting.utc_now())
    finally:
        store.close()
    return world


def _author(data: bytes) -> str:
    return docx.Document(io.BytesIO(data)).core_properties.author


def test_the_organizers_documents_come_from_the_consulting_body(world):
    app = make_app(world.db_path, CONSULTING_BODY=BODY)
    organizer = login(app, "organizer")
    c, d = world.consultation_id, world.draft_id
    for url in (
        f"/admin/c/{c}/export/consolidated.docx",
        f"/admin/c/{c}/export/summary.docx",
        f"/admin/c/{c}/request-letter.docx",
        f"/admin/drafts/{d}/v1/draft.docx",
        f"/admin/drafts/{d}/compare?from=1&to=2",
    ):
        response = organizer.get(url)
        assert response.status_code == 200, url
        assert _author(response.data) == BODY, url


def test_a_units_documents_come_from_the_unit(world):
    app = make_app(world.db_path, CONSULTING_BODY=BODY)
    c, unit = world.consultation_id, world.units["thai-nguyen"]
    organizer = login(app, "organizer")
    for url in (f"/admin/c/{c}/units/{unit}/letter.docx", f"/admin/c/{c}/export/by-unit.zip"):
        response = organizer.get(url)
        assert response.status_code == 200, url
    letter = organizer.get(f"/admin/c/{c}/units/{unit}/letter.docx").data
    assert _author(letter) == "Tỉnh ủy Thái Nguyên"
    delegate = login(app, "tn-lead")
    assert _author(delegate.get(f"/c/{c}/letter.docx").data) == "Tỉnh ủy Thái Nguyên"
    # The draft a delegate downloads is the organizers' document.
    assert _author(delegate.get(f"/c/{c}/draft.docx").data) == BODY


def test_the_cli_writes_the_configured_body(world, tmp_path, monkeypatch):
    monkeypatch.setenv("DRAFTER_CONSULTING_BODY", BODY)
    out = tmp_path / "c.docx"
    result = CliRunner().invoke(
        cli, ["--db", str(world.db_path), "export", "consolidated", str(world.consultation_id),
              "-o", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert _author(out.read_bytes()) == BODY
    monkeypatch.delenv("DRAFTER_CONSULTING_BODY")
    result = CliRunner().invoke(
        cli, ["--db", str(world.db_path), "export", "draft", str(world.draft_id), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert _author(out.read_bytes()) == "Cơ quan chủ trì soạn thảo"  # none configured
