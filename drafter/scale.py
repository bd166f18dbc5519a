"""A consultation at scale, for `drafter demo --scale N` and the benchmarks: `units` units of
two delegates, `comments` generated comments (remarks, questions, agreements, proposed
wordings) on the articles, clauses and points of a version, every unit's response submitted
but the last one's (still drafting), the submitted comments placed in groups of similar
comments as submissions place them, and answers on about a third of the submitted comments
(published to half of the units).

Everything goes through the store, in a few large transactions (batches of BATCH comments),
with the HTML of each text made once as it is stored (the generated texts are plain
paragraphs: :func:`drafter.synthetic.paragraphs_html`)."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from . import grouping, markup, traces
from .accounts import hash_password
from .export_md import provision_text
from .model import Node
from .storage import Store
from .synthetic import (
    GIVEN,
    NAMES,
    PROVINCES,
    comment_text,
    edit_words,
    explanation,
    paragraphs_html,
    question_text,
)

BATCH = 20_000
#: Kinds of the generated comments, in proportion: 20% proposals, 12% agreements.
KINDS = (
    ["comment"] * 58 + ["question"] * 10 + ["agree"] * 12
    + ["new_wording"] * 16 + ["add_after"] * 2 + ["delete"] * 2
)  # fmt: skip
STATUSES = ("accepted", "partly", "rejected", "noted")


@dataclass(frozen=True)
class ScaleReport:
    """What was built: the consultation, its units (id, name, [(user id, username)]), the
    unit still drafting, the counts and the seconds of each step."""

    consultation_id: int
    units: list[tuple[int, str, list[tuple[int, str]]]]
    drafting_unit: int
    comments: int
    answers: int
    steps: list[tuple[str, float]]


def _iso(moment: datetime) -> str:
    return moment.replace(microsecond=0).isoformat()


def places(nodes: list[Node]) -> list[tuple[Node, Node]]:
    """Return (node, its article) for every article, clause and point of a tree."""
    out: list[tuple[Node, Node]] = []
    for top in nodes:
        for article in top.walk():
            if article.kind != "article":
                continue
            out.extend(
                (n, article) for n in article.walk() if n.kind in ("article", "clause", "point")
            )
    return out


def build_consultation(
    store: Store,
    version_id: int,
    organizer_id: int,
    *,
    comments: int,
    units: int = 60,
    password: str,
    seed: int = 13,
    prefix: str = "tinh",
    title: str | None = None,
    echo: Callable[[str], None] = lambda _line: None,
    store_trace: bool = True,
) -> ScaleReport:
    """Build the consultation on `version_id` (see the module); every generated delegate
    signs in with `password` (``<prefix>NNN-1`` the lead, ``-2`` a member).  With
    `store_trace`, and when the draft has a later version, the answers traced into it are
    stored as the use cases would have (:mod:`drafter.traces`)."""
    rng = random.Random(seed)
    steps: list[tuple[str, float]] = []
    clock = time.perf_counter()

    def step(label: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        steps.append((label, now - clock))
        echo(f"  {label}: {now - clock:.1f} s")
        clock = now

    now = datetime.now(UTC)
    password_hash = hash_password(password)  # once: every generated account shares it
    made: list[tuple[int, str, list[tuple[int, str]]]] = []
    with store.transaction():
        for u in range(units):
            province = PROVINCES[u % len(PROVINCES)]
            suffix = f" ({u // len(PROVINCES) + 1})" if u >= len(PROVINCES) else ""
            name = f"Tỉnh ủy {province}{suffix}"
            unit_id = store.create_unit(f"{prefix}{u + 1:03d}", name, "province")
            users = []
            for d in (1, 2):
                username = f"{prefix}{u + 1:03d}-{d}"
                display = f"{GIVEN[(u + d) % len(GIVEN)]} {NAMES[(u * 3 + d) % len(NAMES)]}"
                user_id = store.create_user(
                    username, display, "delegate", unit_id=unit_id, is_lead=d == 1,
                    password_hash=password_hash, now=_iso(now),
                )  # fmt: skip
                users.append((user_id, username))
            made.append((unit_id, name, users))
        opens, deadline = now - timedelta(days=20), now + timedelta(days=25)
        consultation_id = store.create_consultation(
            version_id, title or f"Lấy ý kiến Dự thảo 1 ({comments:,} ý kiến)".replace(",", "."),
            opens_at=_iso(opens), deadline=_iso(deadline), unit_ids=[u[0] for u in made],
            now=_iso(opens),
        )  # fmt: skip
    step(f"{units} units, {2 * units} delegates, the consultation")

    targets = places(store.get_tree(version_id))
    texts: dict[str, str] = {}
    start = now - timedelta(days=15)
    spacing = timedelta(days=14).total_seconds() / max(1, comments)
    drafting_unit = made[-1][0]
    answerable: list[int] = []
    for first in range(0, comments, BATCH):
        with store.transaction():
            for n in range(first, min(comments, first + BATCH)):
                unit_id, _name, users = made[n % len(made)]
                kind = rng.choice(KINDS)
                node, article = rng.choice(targets)
                if kind == "agree":
                    node = article
                text, proposed = "", None
                if kind in ("comment", "delete", "add_after"):
                    text = comment_text(rng)
                elif kind == "question":
                    text = question_text(rng)
                if kind == "new_wording":
                    if node.key not in texts:
                        texts[node.key] = provision_text(node)
                    proposed = edit_words(rng, texts[node.key], rng.randint(2, 6))
                elif kind == "add_after":
                    proposed = edit_words(rng, provision_text(rng.choice(targets)[0]), 4)
                comment_id = store.add_comment(
                    consultation_id, unit_id, rng.choice(users)[0], node_id=node.id,
                    article_id=article.id, kind=kind, text=text, proposed_text=proposed,
                    now=_iso(start + timedelta(seconds=n * spacing)),
                    html=paragraphs_html(text) if text else "",
                )  # fmt: skip
                if unit_id != drafting_unit and kind != "agree":
                    answerable.append(comment_id)
        step(f"{min(comments, first + BATCH):,} comments")
    submitted_at = _iso(now - timedelta(days=1))
    with store.transaction():
        for unit_id, _name, users in made[:-1]:
            store.add_submission(
                consultation_id, unit_id, users[0][0], no_comments=False, now=submitted_at
            )
    step(f"{len(made) - 1} submissions")
    organizer = store.get_user(organizer_id)
    placed = grouping.place_ungrouped(store, organizer, consultation_id, now=_iso(now))
    step(f"{placed:,} submitted comments placed in groups of similar comments")
    rendered: dict[str, str | None] = {}
    answered = 0
    with store.transaction():
        for comment_id in answerable:
            if rng.random() >= 0.33:
                continue
            status = rng.choice(STATUSES)
            words = explanation(rng, status)
            if words not in rendered:
                rendered[words] = markup.stored_html(words)
            store.add_answer(
                comment_id, organizer_id, status=status, explanation=words, now=submitted_at,
                html=rendered[words],
            )  # fmt: skip
            answered += 1
        for unit_id, _name, _users in made[: len(made) // 2]:
            store.publish_answers(consultation_id, organizer_id, unit_id=unit_id, now=submitted_at)
        store.add_audit(
            organizer_id, "demo.scale", f"consultation {consultation_id}", now=_iso(now),
            consultation_id=consultation_id, details=f"{comments} comments, {units} units",
        )  # fmt: skip
    step(f"{answered:,} answers, half of them published")
    if store_trace and traces.fill(store, consultation_id):
        step("answers traced into the later version, stored")
    return ScaleReport(consultation_id, made, drafting_unit, comments, answered, steps)
