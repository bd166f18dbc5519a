"""Submission benchmark: what a unit's submission costs once a consultation is large, and what
copied-wording detection costs with difflib's ratio against the Indel similarity in use.

Builds, in a temporary SQLite file, the consultation of `drafter demo --scale N --units M`
(drafter.scale: every unit's response submitted and grouped but the last one's), then times
`consulting.submit` of the unit still drafting (its comments placed in groups of similar
comments and marked when copied, in the submission's transaction), once without a profiler and
once, on a copy, with cProfile to say where the time goes; and, on another copy, with only its
comments on two articles (a unit that comments on a few articles, the usual case).  Then, over the groups the
consultation holds, the pairs of distinct wordings `similar.copied_among` compares: the time of
difflib's `SequenceMatcher(autojunk=False).ratio()` behind its two cheap bounds (the test
before 2026-12-05) and of rapidfuzz's Indel similarity (`similar._same_wording`, now) on the
same pairs, and how many pairs each marks copied (≥ 0.9).

Run: `.venv/bin/python bench/submit_bench.py [--scale 20000] [--units 50] [--pairs 20000]`
(`--scale 100000 --units 2000` for units of 50 comments among 100,000).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import shutil
import sys
import tempfile
import time
from difflib import SequenceMatcher
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _common import machine, table  # noqa: E402

from drafter import consulting, grouping, scale, similar  # noqa: E402
from drafter.importing import import_file  # noqa: E402
from drafter.storage import open_store  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def build(folder: Path, comments: int, units: int) -> tuple[Path, float, float]:
    db = folder / "submit.sqlite"
    store = open_store(db)
    v1 = import_file(store, ROOT / "drafts" / "quy-dinh-dang-doan-v1.md")
    with store.transaction():
        organizer = store.create_user(
            "organizer", "Ban Tổ chức", "organizer", password_hash=None, now="2026-01-01"
        )
    started = time.perf_counter()
    built = scale.build_consultation(
        store, v1.version.id, organizer, comments=comments, units=units, password="x" * 12
    )
    grouped = next(s for label, s in built.steps if "groups" in label)
    store.close()
    return db, time.perf_counter() - started, grouped


def submit_drafting(
    db: Path, profile: bool, articles: int | None = None
) -> tuple[float, int, pstats.Stats | None]:
    """Submit the response of the unit still drafting (with `articles`, only its comments on
    that many articles: the others withdrawn first); return seconds, its comments, stats."""
    store = open_store(db)
    consultation = max(store.list_consultations(), key=lambda c: c.id)
    unit = next(u for u in store.unit_progress(consultation.id) if not u.latest)
    lead = next(u for u in store.list_users(unit.unit.id) if u.is_lead)
    kept = unit.live_comments
    if articles is not None:
        mine = store.list_comments(consultation.id, unit_id=unit.unit.id)
        keys = sorted({c.article_key for c in mine if c.article_key})[:articles]
        with store.transaction():
            for comment in mine:
                if comment.article_key not in keys:
                    store.withdraw_comment(comment.id, now=consulting.utc_now())
        kept = sum(1 for c in mine if c.article_key in keys)
    profiler = cProfile.Profile() if profile else None
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    consulting.submit(store, lead, consultation, no_comments=False, now=consulting.utc_now())
    if profiler:
        profiler.disable()
    spent = time.perf_counter() - started
    store.close()
    return spent, kept, pstats.Stats(profiler) if profiler else None


def where(stats: pstats.Stats) -> list[tuple[str, float]]:
    """Cumulative seconds of the grouping's parts (under cProfile)."""
    wanted = {
        "grouping.py:_submitted_near": "read the submitted comments of its articles",
        "groups.py:comment_groups": "read the groups of its articles",
        "grouping.py:_refresh_copied": "mark copied wording",
        "similar.py:place": "place in groups (likeness)",
        "grouping.py:group_submitted": "the grouping, in all",
        "consulting.py:submit": "the submission, in all",
    }
    found: dict[str, float] = {}
    for (filename, _line, name), (_cc, _nc, _own, cum, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        key = f"{Path(filename).name}:{name}"
        if key in wanted:
            found[wanted[key]] = found.get(wanted[key], 0.0) + cum
    return [(label, found.get(label, 0.0)) for label in wanted.values()]


def copied_pairs(db: Path, limit: int) -> list[tuple[str, str]]:
    """The pairs of distinct normalised wordings copied_among compares, group by group."""
    store = open_store(db)
    consultation = max(store.list_consultations(), key=lambda c: c.id)
    said = {
        c.id: similar.normalize(grouping._said(c))
        for c in store.list_comments(consultation.id, submitted_only=True)
        if c.kind != "agree"
    }
    pairs: list[tuple[str, str]] = []
    for group in sorted(store.comment_groups(consultation.id), key=lambda g: -len(g.members)):
        texts = sorted({said[m.comment_id] for m in group.members if said.get(m.comment_id)})
        pairs.extend(similar._candidate_pairs(texts, None))
        if len(pairs) >= limit:
            break
    store.close()
    return pairs[:limit]


def _difflib_copied(shorter: str, longer: str) -> bool:
    """The copied-wording test before 2026-12-05, with its two cheap bounds first."""
    if 2 * len(shorter) / (len(shorter) + len(longer)) < similar.COPIED:
        return False
    matcher = SequenceMatcher(None, shorter, longer, autojunk=False)
    return matcher.quick_ratio() >= similar.COPIED and matcher.ratio() >= similar.COPIED


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=20_000)
    parser.add_argument("--units", type=int, default=50)
    parser.add_argument("--pairs", type=int, default=20_000, help="copied-wording pairs timed")
    args = parser.parse_args()
    print(machine())
    folder = Path(tempfile.mkdtemp(prefix="drafter-submit-"))
    try:
        db, built, grouped = build(folder, args.scale, args.units)
        print(f"built {args.scale:,} comments from {args.units} units in {built:.1f} s "
              f"(placing them in groups: {grouped:.1f} s)")  # fmt: skip
        copy, few = folder / "profiled.sqlite", folder / "few.sqlite"
        shutil.copyfile(db, copy)
        shutil.copyfile(db, few)
        seconds, comments, _ = submit_drafting(db, profile=False)
        print(f"\nThe drafting unit's submission ({comments:,} comments): {seconds:.2f} s")
        seconds, comments, _ = submit_drafting(few, profile=False, articles=2)
        print(f"The same unit with only its {comments:,} comments on 2 articles: {seconds:.2f} s\n")
        _, _, stats = submit_drafting(copy, profile=True)
        assert stats is not None
        print("Where it goes (cProfile, cumulative; the profiler slows it):")
        print(table(["part", "s"], [(label, f"{s:.2f}") for label, s in where(stats)]))
        pairs = copied_pairs(copy, args.pairs)
        rows = []
        for name, copied in (
            ("difflib ratio (before)", _difflib_copied),
            ("Indel similarity (now)", similar._same_wording),
        ):
            started = time.perf_counter()
            marked = sum(1 for a, b in pairs if copied(*sorted((a, b), key=len)))
            spent = time.perf_counter() - started
            rows.append((name, f"{len(pairs):,}", f"{spent:.2f}", f"{spent / len(pairs) * 1e6:.1f}",
                         f"{marked:,}"))  # fmt: skip
        print(f"\nCopied wording on {len(pairs):,} compared pairs of the largest groups:")
        print(table(["measure", "pairs", "s", "µs a pair", "pairs ≥ 0.9"], rows))
        print(f"difflib / Indel: {float(rows[0][2]) / max(1e-9, float(rows[1][2])):.0f}×")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(machine())


if __name__ == "__main__":
    main()
