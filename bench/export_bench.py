"""Export benchmark: the organizer's downloads on a large consultation.

Builds, in a temporary SQLite file, a generated draft (300 articles, ~150,000 words, imported
from Markdown) and a second version with edited, removed, added and moved articles; 60 units
with 2 delegates each; one consultation with 5,000 comments on articles, clauses and points
(1,000 of them proposals: new wording derived from the provision's text, additions and
deletions), every unit's response submitted, and answers on about half of the comments.

Then runs each export once in a new forked process (--jobs 2 at a time: the machine has two
cores) and prints its time, output size, peak resident memory (ru_maxrss of that process, and
its growth over the process's starting size) and peak Python memory (tracemalloc, in a second
run, for the exports whose traced run, ~2.5× slower, fits in --budget seconds):
exports.consolidated, exports.by_unit (all units, zipped as the download is), summary.build
and its DOCX/CSV/Markdown forms, and exports.compare of version 1 with version 2.  Setup time
is printed separately.  An export still running when --budget seconds are spent is stopped
and reported as such, so that the run stays under 3 minutes on a busy machine.

Run: `.venv/bin/python bench/export_bench.py [--articles N] [--units N] [--comments N]
[--proposals N] [--jobs N] [--budget S] [--no-tracemalloc] [--skip by_unit,…]`.

`--scale [--sizes 1000,5000] [--baseline GIT-REF]` instead times the consolidated export at
each size and the per-unit export (all units) at the largest, one at a time, each in a new
process, beside the same exports run by drafter as it is at GIT-REF (same database, same
run) and beside issue 13's figures and targets (bench/_export_scale.py).
"""

from __future__ import annotations

import argparse
import copy
import multiprocessing
import random
import sys
import tempfile
import time
import traceback
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

from _common import (
    PASSWORD_HASH,
    add_units,
    bulk_comments,
    comment_text,
    edit_words,
    explanation,
    iso,
    machine,
    maxrss_mib,
    open_window,
    question_text,
    rss_mib,
    table,
    targets,
)
from import_bench import generate

from drafter import exports, summary
from drafter.export_md import provision_text, to_markdown
from drafter.headings import assign_keys
from drafter.importing import import_bytes
from drafter.model import Node
from drafter.storage import open_store


def second_version(nodes: list[Node], rng: random.Random) -> list[Node]:
    """Return a copy of the law with 10% of articles reworded, 3 removed, 3 added and 2 moved
    to another chapter, articles renumbered in order."""
    nodes = copy.deepcopy(nodes)
    chapters = [n for n in nodes if n.kind == "chapter"]
    articles = [(c, a) for c in chapters for a in c.children if a.kind == "article"]
    for _chapter, article in rng.sample(articles, len(articles) // 10):
        article.text = edit_words(rng, article.text, 5)
        for clause in article.children[:2]:
            clause.text = edit_words(rng, clause.text, 2)
    for chapter, article in rng.sample(articles, 3):
        chapter.children.remove(article)
    for i in range(3):
        chapter = rng.choice(chapters)
        new = Node("article", "0", f"Điều khoản mới số {i + 1}")
        new.text = edit_words(rng, chapter.children[0].text, 20)
        new.children = [Node("clause", "1", text=edit_words(rng, chapter.children[0].text, 8))]
        chapter.children.insert(rng.randrange(len(chapter.children) + 1), new)
    for _ in range(2):
        source = rng.choice(chapters)
        moved = source.children.pop(rng.randrange(len(source.children)))
        rng.choice([c for c in chapters if c is not source]).children.insert(0, moved)
    number = 0
    for chapter in chapters:
        for article in chapter.children:
            number += 1
            article.number = str(number)
    for top in nodes:
        for node in top.walk():
            node.id = None
    assign_keys(nodes)
    return nodes


def build(path: Path, args, timings: list[tuple[str, float]]) -> tuple[int, int]:
    """Create the world in `path`; return (consultation id, draft id)."""
    rng = random.Random(args.seed)

    def step(label: str, started: float) -> float:
        now = time.perf_counter()
        timings.append((label, now - started))
        return now

    t = time.perf_counter()
    v1_nodes = generate(args.articles, args.words)
    v2_nodes = second_version(v1_nodes, rng)
    v1_md, v2_md = to_markdown(v1_nodes).encode(), to_markdown(v2_nodes).encode()
    t = step("generate the two versions (Markdown)", t)
    store = open_store(path)
    v1 = import_bytes(store, v1_md, "law-v1.md")
    t = step(f"import version 1 ({args.articles} articles)", t)
    import_bytes(store, v2_md, "law-v2.md", draft_id=v1.draft.id)
    t = step("import version 2 (with article matching)", t)

    units = add_units(store, args.units, 2)
    now = datetime.now(UTC)
    with store.transaction():
        organizer = store.create_user(
            "organizer", "Ban Tổ chức", "organizer", password_hash=PASSWORD_HASH, now=iso(now)
        )
        opens, deadline = open_window(days_before=20)
        consultation_id = store.create_consultation(
            v1.version.id,
            "Lấy ý kiến Dự thảo 1",
            opens_at=opens,
            deadline=deadline,
            unit_ids=[u[0] for u in units],
            now=opens,
        )
    t = step(f"{args.units} units, {2 * args.units} delegates, consultation", t)

    tree = store.get_tree(v1.version.id)
    places = targets(tree)
    articles = [(n, a) for n, a in places if n.kind == "article"]
    inner = [(n, a) for n, a in places if n.kind != "article"]
    texts: dict[int, str] = {}
    kinds = (
        ["new_wording"] * (args.proposals * 80 // 100)
        + ["add_after"] * (args.proposals * 12 // 100)
        + ["delete"] * (args.proposals - args.proposals * 80 // 100 - args.proposals * 12 // 100)
    )
    others = args.comments - len(kinds)
    kinds += ["agree"] * (others * 15 // 100) + ["question"] * (others * 12 // 100)
    kinds += ["comment"] * (args.comments - len(kinds))
    rng.shuffle(kinds)
    start = now - timedelta(days=15)
    rows = []
    for n, kind in enumerate(kinds):
        unit_id, _name, users = rng.choice(units)
        user_id = rng.choice(users)[0]
        if kind == "agree":
            node, article = rng.choice(articles)
        elif kind == "comment" and rng.random() < 0.02:
            node = article = None  # on the draft as a whole
        else:
            node, article = rng.choice(articles if rng.random() < 0.3 else inner)
        text, proposed = "", None
        if kind == "comment":
            text = comment_text(rng)
        elif kind == "question":
            text = question_text(rng)
        elif kind == "new_wording":
            if node.id not in texts:
                texts[node.id] = provision_text(node)
            proposed = edit_words(rng, texts[node.id], rng.randint(2, 6))
            text = comment_text(rng) if rng.random() < 0.7 else ""
        elif kind == "add_after":
            proposed = edit_words(rng, provision_text(rng.choice(inner)[0]), 4)
            text = comment_text(rng)
        elif kind == "delete":
            text = comment_text(rng)
        created = iso(start + timedelta(seconds=n * 200))
        rows.append(
            (
                consultation_id,
                unit_id,
                user_id,
                node.id if node else None,
                article.id if article else None,
                kind,
                text,
                proposed,
                created,
            )
        )
    t = step(f"generate {args.comments:,} comment texts", t)
    comment_ids = bulk_comments(store, rows)
    t = step(f"insert {args.comments:,} comments (executemany, one transaction)", t)

    submitted_at = iso(now - timedelta(days=1))
    with store.transaction():
        for unit_id, _name, users in units:
            store.add_submission(
                consultation_id, unit_id, users[0][0], no_comments=False, now=submitted_at
            )
    t = step(f"{args.units} submissions (Store.add_submission)", t)
    statuses = ["accepted"] * 35 + ["partly"] * 15 + ["rejected"] * 25 + ["noted"] * 25
    answered = 0
    with store.transaction():
        for comment_id, row in zip(comment_ids, rows, strict=True):
            if row[5] == "agree" or rng.random() >= 0.5:
                continue
            status = rng.choice(statuses)
            store.add_answer(
                comment_id,
                organizer,
                status=status,
                explanation=explanation(rng, status),
                now=iso(now),
            )
            answered += 1
    step(f"{answered:,} answers (Store.add_answer, one transaction)", t)
    store.close()
    return consultation_id, v1.draft.id


JOBS = {  # longest first, so that two at a time finish together
    "by_unit": "exports.by_unit + zip_files",
    "consolidated": "exports.consolidated",
    "summary": "summary.build",
    "summary_docx": "summary.build + to_docx",
    "summary_csv": "summary.build + to_csv",
    "summary_md": "summary.build + to_markdown",
    "compare": "exports.compare",
}
TRACE_COST = 2.5  # how much longer a run takes under tracemalloc (measured: 2–2.5×)


def export(name: str, store, consultation_id: int, draft_id: int) -> tuple[int, str]:
    """Run one export; return (bytes produced, a note)."""
    if name == "consolidated":
        return len(exports.consolidated(store, consultation_id)), ""
    if name == "by_unit":
        files = exports.by_unit(store, consultation_id)
        data = exports.zip_files(files)
        return len(data), f"{len(files)} files, {sum(map(len, files.values())) / 1e6:.1f} MB"
    if name == "compare":
        return len(exports.compare(store, draft_id, 1, 2)), "version 1 → 2"
    built = summary.build(store, consultation_id)
    if name == "summary":
        return 0, f"{sum(len(g.rows) for g in built.groups):,} rows"
    if name == "summary_md":
        return len(summary.to_markdown(built).encode()), ""
    return len(getattr(summary, f"to_{name.removeprefix('summary_')}")(built)), ""


def run_job(name: str, trace: bool, path: str, consultation_id: int, draft_id: int) -> dict:
    """Run in a fresh forked worker process: time one export, or trace its allocations."""
    result: dict = {"name": name, "trace": trace}
    try:
        store = open_store(path, migrate=False)
        result["rss_start"] = rss_mib()
        if trace:
            tracemalloc.start()
        started = time.perf_counter()
        result["size"], result["note"] = export(name, store, consultation_id, draft_id)
        result["seconds"] = time.perf_counter() - started
        if trace:
            result["traced_peak"] = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
        result["maxrss"] = maxrss_mib()
        store.close()
    except Exception:  # report it: a crash in drafter is a finding
        result["error"] = traceback.format_exc()
    return result


def run_exports(names, path, consultation_id, draft_id, *, jobs: int, budget: float, trace: bool):
    """Time every export (each in a new process, `jobs` at a time, longest first); then trace
    the allocations of those whose estimated traced run still fits in `budget` seconds
    (0: no limit).  Return (timed results, traced results) by name."""
    deadline = time.perf_counter() + budget if budget else float("inf")
    timed, traced = {}, {}
    args = (str(path), consultation_id, draft_id)
    # A new forked process per export (maxtasksperchild=1), so that ru_maxrss is its own.
    # At the deadline the pool is terminated: unfinished exports are reported as such.
    with multiprocessing.get_context("fork").Pool(jobs, maxtasksperchild=1) as pool:
        running = {pool.apply_async(run_job, (name, False, *args)): name for name in names}
        while running and time.perf_counter() < deadline:
            time.sleep(0.1)
            for job in [j for j in running if j.ready()]:
                result = job.get()
                timed[running.pop(job)] = result
                print(
                    f"  timed {result['name']}: {result.get('seconds', 0):.1f} s", file=sys.stderr
                )
        if running or not trace:
            pool.terminate()
            return timed, traced
        waiting = sorted(
            (n for n in names if "seconds" in timed[n]), key=lambda n: timed[n]["seconds"]
        )
        while (waiting or running) and time.perf_counter() < deadline:
            while waiting and len(running) < jobs:
                name = waiting.pop(0)
                if time.perf_counter() + TRACE_COST * timed[name]["seconds"] > deadline:
                    continue  # skipped: over the budget
                running[pool.apply_async(run_job, (name, True, *args))] = name
            time.sleep(0.1)
            for job in [j for j in running if j.ready()]:
                result = job.get()
                traced[running.pop(job)] = result
                print(f"  traced {result['name']}", file=sys.stderr)
        pool.terminate()
    return timed, traced


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--words", type=int, default=150_000)
    parser.add_argument("--units", type=int, default=60)
    parser.add_argument("--comments", type=int, default=5_000)
    parser.add_argument("--proposals", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument(
        "--no-tracemalloc", action="store_true", help="skip the second (tracemalloc) runs"
    )
    parser.add_argument("--jobs", type=int, default=2, help="exports run at the same time")
    parser.add_argument(
        "--budget",
        type=float,
        default=150.0,
        help="seconds for all the exports: tracemalloc runs that would pass it are skipped, "
        "exports still running then are stopped (0: no limit)",
    )
    parser.add_argument("--skip", default="", help="comma-separated export names to skip")
    parser.add_argument(
        "--scale",
        action="store_true",
        help="instead: time consolidated at each of --sizes and per-unit at the largest, "
        "against --baseline and issue 13's figures (see bench/_export_scale.py)",
    )
    parser.add_argument("--sizes", default="1000,5000", help="comment counts for --scale")
    parser.add_argument(
        "--baseline", default="", help="a git ref whose drafter also runs the --scale exports"
    )
    args = parser.parse_args()
    if args.scale:
        import _export_scale

        _export_scale.main(args, build)
        return
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}

    print(machine(), "at start")
    with tempfile.TemporaryDirectory(prefix="drafter-export-bench-") as folder:
        path = Path(folder) / "bench.sqlite"
        timings: list[tuple[str, float]] = []
        consultation_id, draft_id = build(path, args, timings)
        print("Setup")
        print(table(["step", "seconds"], timings + [("total", sum(t for _, t in timings))]))
        print(f"Database: {path.stat().st_size / 2**20:.1f} MiB\n")

        names = [n for n in JOBS if n not in skip]
        print(
            f"running {len(names)} exports, {args.jobs} at a time, each in a new process …",
            file=sys.stderr,
        )
        started = time.perf_counter()
        timed, traced = run_exports(
            names, path, consultation_id, draft_id, jobs=args.jobs, budget=args.budget,
            trace=not args.no_tracemalloc,
        )  # fmt: skip
        elapsed = time.perf_counter() - started
        rows, errors = [], []
        for name in names:
            if name not in timed:
                rows.append(
                    (JOBS[name], f"> {elapsed:.0f}", "—", "—", "—", "—", "stopped at --budget")
                )
                continue
            run, peak = timed[name], traced.get(name, {})
            if "error" in run or "error" in peak:
                errors.append((JOBS[name], run.get("error") or peak.get("error")))
                rows.append((JOBS[name], "crash", "—", "—", "—", "—", ""))
                continue
            rows.append(
                (
                    JOBS[name],
                    run["seconds"],
                    run["size"] / 1024 if run["size"] else "—",
                    peak.get("traced_peak", "—"),
                    run["maxrss"],
                    run["maxrss"] - run["rss_start"],
                    run["note"],
                )
            )
        print(
            f"Exports ({args.comments:,} comments, {args.proposals:,} proposals, "
            f"{args.units} units, {args.articles} articles; each export in a new forked process, "
            f"{args.jobs} at a time; {elapsed:.0f} s)"
        )
        print(
            table(
                [
                    "export",
                    "seconds",
                    "size KiB",
                    "tracemalloc peak MiB",
                    "maxrss MiB",
                    "RSS growth MiB",
                    "note",
                ],
                rows,
            )
        )
        skipped = [JOBS[n] for n in names if n not in traced and "error" not in timed.get(n, {})]
        if skipped and not args.no_tracemalloc:
            print(
                f"tracemalloc peak not measured (its run would pass --budget {args.budget:g} s): "
                f"{', '.join(skipped)}; `--budget 0` measures all"
            )
        for label, error in errors:
            print(f"\n{label} failed:\n{error}")
        print(machine(), "at the end")


if __name__ == "__main__":
    main()
