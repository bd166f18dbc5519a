"""The dashboard shows the first comments on the draft as a whole, not all of them (a
consultation with thousands would print thousands of cards), says how many there are, and links
to the comment list filtered to them (Flask's test client on a real SQLite file)."""

from __future__ import annotations

import re
from html import unescape

from drafter import consulting
from drafter.organizing.consultations import GENERAL_SHOWN
from drafter.storage import open_store

from .consultation_fixture import login


def _general(world, n: int) -> list[int]:
    store = open_store(world.db_path)
    try:
        consultation = store.get_consultation(world.consultation_id)
        now = consulting.utc_now()
        ids = []
        for name in ("tn-lead", "qn-lead"):
            lead = store.get_user(world.users[name])
            for i in range(n):
                ids.append(
                    consulting.add_comment(
                        store,
                        lead,
                        consultation,
                        key=None,
                        kind="comment",
                        text=f"Ý kiến chung {name} số {i}",
                        proposed_text=None,
                        now=now,
                    )  # fmt: skip
                )
            consulting.add_comment(
                store, lead, consultation, key="chuong-1/dieu-3", kind="comment",
                text=f"Ý kiến về Điều 3 của {name}", proposed_text=None, now=now,
            )  # fmt: skip
            consulting.submit(store, lead, consultation, no_comments=False, now=now)
    finally:
        store.close()
    return ids


def test_the_dashboard_shows_the_first_general_comments_and_counts_them_all(app, world):
    ids = _general(world, GENERAL_SHOWN)  # twice GENERAL_SHOWN, over two units
    client = login(app, "organizer")
    c = world.consultation_id
    page = unescape(client.get(f"/admin/c/{c}").get_data(as_text=True))
    section = page.split('id="general-heading"', 1)[1]
    shown = {int(i) for i in re.findall(r'id="comment-(\d+)"', section)}
    assert len(shown) == GENERAL_SHOWN
    assert shown == set(ids[:GENERAL_SHOWN])  # document order: the first ones
    assert f"{GENERAL_SHOWN} / {2 * GENERAL_SHOWN}" in section or (
        f"{2 * GENERAL_SHOWN}" in section.split("</p>", 1)[0]
    )
    link = f"/admin/c/{c}/comments?scope=general"
    assert f'href="{link}"' in section
    listed = unescape(client.get(link).get_data(as_text=True))
    rows = {int(i) for i in re.findall(r'id="row-(\d+)"', listed)}
    assert rows == set(ids)  # every general comment, and no comment on an article


def test_a_few_general_comments_are_all_shown_without_a_link(app, world):
    ids = _general(world, 2)
    page = unescape(login(app, "organizer").get(f"/admin/c/{world.consultation_id}").get_data(
        as_text=True
    ))  # fmt: skip
    section = page.split('id="general-heading"', 1)[1]
    assert {int(i) for i in re.findall(r'id="comment-(\d+)"', section)} == set(ids)
    assert "scope=general" not in section
