"""`drafter demo --scale N [--units M]`: the demo with a consultation of N generated comments
(Vietnamese texts, proposals, agreements, submissions, answers), built through the store; the
generator's HTML is what the Markdown renderer makes of its texts."""

from __future__ import annotations

import random
import re

from click.testing import CliRunner

from drafter import consulting, markup
from drafter.cli import cli
from drafter.storage import open_store
from drafter.synthetic import comment_text, paragraphs_html, question_text

from .consultation_fixture import make_app


def test_the_generated_html_is_the_renderers():
    rng = random.Random(7)
    texts = [comment_text(rng) for _ in range(400)] + [question_text(rng) for _ in range(50)]
    assert any("*Lưu ý:*" in t for t in texts)  # the emphasis is among them
    for text in texts:
        assert paragraphs_html(text) == markup.to_html(text), text


def test_demo_scale_builds_a_consultation_of_generated_comments(tmp_path):
    db = tmp_path / "scale.sqlite"
    result = CliRunner().invoke(
        cli, ["--db", str(db), "demo", "--scale", "3000", "--units", "6"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    assert "3,000 generated comment(s) from 6 unit(s)" in result.output
    login = re.search(r"^\s+(tinh001-1)\s+(\S+)\s+lead, .*\(submitted\)$", result.output, re.M)
    assert login, result.output
    store = open_store(db, migrate=False)
    try:
        (consultation,) = [c for c in store.list_consultations() if "3.000 ý kiến" in c.title]
        progress = {p.unit.name: p for p in store.unit_progress(consultation.id)}
        assert len(progress) == 6
        assert sum(p.live_comments for p in progress.values()) == 3000
        assert sum(1 for p in progress.values() if p.latest) == 5  # the last one drafts
        comments = store.list_comments(consultation.id, submitted_only=True)
        assert 2000 < len(comments) < 3000  # 5 units of 6
        kinds = {c.kind for c in comments}
        assert {"comment", "question", "agree", "new_wording"} <= kinds
        assert all(c.html == markup.stored_html(c.text) for c in comments[:300])
        proposals = [c for c in comments if c.kind == "new_wording"]
        assert all(c.proposed_text for c in proposals)
        answered = [c for c in comments if c.answer]
        assert len(answered) > 300
        assert any(c.published_answer for c in answered)
        assert any(c.answer and not c.answer.published_at for c in answered)
        assert any("Đề nghị" in c.text for c in comments)  # Vietnamese, with its diacritics
        assert store.search("đề nghị")  # the search index holds them
        # Placed in groups of similar comments as submissions place them, so the first real
        # submission places its own comments, not every generated one.
        groups = store.comment_groups(consultation.id)
        where = {m.comment_id: g for g in groups for m in g.members}
        assert set(where) == {c.id for c in comments}
        assert all(where[c.id].node_id == c.node_id for c in comments)
        units_of = {c.id: c.unit_id for c in comments}
        assert any(len({units_of[m.comment_id] for m in g.members}) > 1 for g in groups)
        assert any(m.copied for g in groups for m in g.members)  # proposals of the same words
        audit = store.list_audit(consultation_id=consultation.id, limit=5000)
        assert [a.details for a in audit if a.action == "group.place"] == [
            f"{len(comments)} comments"
        ]
        drafting = next(p for p in progress.values() if not p.latest)
        lead = next(u for u in store.list_users(drafting.unit.id) if u.is_lead)
        consulting.submit(store, lead, consultation, no_comments=False, now=consulting.utc_now())
        after = {m.comment_id: g.id for g in store.comment_groups(consultation.id)
                 for m in g.members}  # fmt: skip
        assert {i: g.id for i, g in where.items()}.items() <= after.items()
        mine = store.list_comments(consultation.id, unit_id=drafting.unit.id, submitted_only=True)
        assert mine
        assert all(c.id in after for c in mine)
    finally:
        store.close()
    # The organizer reads its busiest article a page at a time.
    app = make_app(db)
    client = app.test_client()
    response = client.post("/login", data={"username": login[1], "password": login[2]})
    assert response.status_code == 302
    page = client.get(f"/c/{consultation.id}").get_data(as_text=True)
    assert "Tỉnh ủy" in page
