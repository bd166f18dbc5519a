"""Stored traces benchmark: the dashboard and the comment list of a consultation whose draft has
a later version, with the answers traced into it computed on each view (as before the stored
traces: drafter.tracing.trace) and read from the store (drafter.traces), in one run; and what
keeping the stored trace current costs each write that makes it stale.

Builds, in a temporary SQLite file, the sample draft's versions 1 and 2 and the consultation of
`drafter demo --scale` on version 1 (drafter.scale, --comments comments from --units units),
without its stored trace.  Then, with the Flask test client (CSRF on), as the organizer:

* the dashboard /admin/c/<id> computing the trace on each view ("before"; the first view with
  the diff cache cold, then warm), and reading it (stored once, as the app does when it starts
  after the upgrade: timed apart);
* the comment list /admin/c/<id>/comments?traced=applied, the same two ways;
* the SQL statements of one dashboard view, read from the store;

and, on the use cases, each write with its stored-trace upkeep and without it: one answer
(answer_many), a new version of the draft (the sample's version 2 imported again as version 3:
every comment traced again); and the upkeep a unit's submission or withdrawal adds, alone.

Run: `.venv/bin/python bench/trace_bench.py [--comments N] [--units N] [--requests N]`.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from _common import PASSWORD, PASSWORD_HASH, csrf_token, iso, machine, median, percentile, table

from drafter import answering, create_app, importing, scale, traces, tracing
from drafter.importing import import_file
from drafter.model import Answer
from drafter.organizing import consultations
from drafter.storage import open_store

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_V1 = ROOT / "drafts" / "quy-dinh-dang-doan-v1.md"
SAMPLE_V2 = ROOT / "drafts" / "quy-dinh-dang-doan-v2.md"


def live_counts(store, consultation):
    """The dashboard's trace as before: every submitted comment traced on each view."""
    return tracing.trace(store, consultation.id)


def live_items(store, consultation, comments):
    """The comment list's trace as before: every listed comment traced on each view."""
    return tracing.trace_comments(store, consultation, comments, None)


def timed(fetch: Callable[[], object], count: int) -> list[float]:
    out = []
    for _ in range(count):
        started = time.perf_counter()
        fetch()
        out.append(time.perf_counter() - started)
    return out


def login(app):
    client = app.test_client()
    token = csrf_token(client.get("/login").data)
    response = client.post(
        "/login", data={"csrf_token": token, "username": "organizer", "password": PASSWORD}
    )
    assert response.status_code == 302, response.status_code
    return client


def page(client, url: str) -> Callable[[], int]:
    def fetch() -> int:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return len(response.data)

    return fetch


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--comments", type=int, default=20_000)
    parser.add_argument("--units", type=int, default=60)
    parser.add_argument("--requests", type=int, default=10)
    args = parser.parse_args()
    print(machine(), "at start")
    with tempfile.TemporaryDirectory(prefix="drafter-trace-bench-") as folder:
        path = Path(folder) / "bench.sqlite"
        store = open_store(path)
        v1 = import_file(store, SAMPLE_V1)
        import_file(store, SAMPLE_V2, draft_id=v1.draft.id)
        with store.transaction():
            organizer_id = store.create_user(
                "organizer", "Ban Tổ chức", "organizer", password_hash=PASSWORD_HASH,
                now=iso(datetime.now(UTC)),
            )  # fmt: skip
        built = scale.build_consultation(
            store, v1.version.id, organizer_id, comments=args.comments, units=args.units,
            password=PASSWORD, store_trace=False,
        )  # fmt: skip
        cid = built.consultation_id
        submitted = len(store.list_comments(cid, submitted_only=True))
        store.close()
        print(
            f"{args.comments:,} comments ({submitted:,} submitted) from {args.units} units, "
            f"{built.answers:,} answers; the draft has a version 2\n"
        )
        tracing.found_cached.cache_clear()
        store = open_store(path)
        started = time.perf_counter()
        traces.fill_all(store)  # what create_app does after the upgrade (cold diff cache)
        fill = time.perf_counter() - started
        store.close()
        app = create_app({"DATABASE": str(path), "SECRET_KEY": "bench"})
        client = login(app)
        dashboard = page(client, f"/admin/c/{cid}")
        listing = page(client, f"/admin/c/{cid}/comments?traced=applied")
        rows = []

        # Before: computed on each view (the code as it was, put back for this run only).
        kept_current, kept_items = traces.current, traces.stored_items
        consultations.traces.current = live_counts  # type: ignore[assignment]
        answering.traces.stored_items = live_items  # type: ignore[assignment]
        for label, fetch in (("dashboard", dashboard), ("comment list, traced=applied", listing)):
            tracing.found_cached.cache_clear()
            cold = timed(fetch, 1)[0]
            warm = timed(fetch, args.requests)
            rows.append((f"{label}: computed (before)", cold * 1e3, median(warm) * 1e3,
                         percentile(warm, 0.95) * 1e3))  # fmt: skip
        consultations.traces.current = kept_current  # type: ignore[assignment]
        answering.traces.stored_items = kept_items  # type: ignore[assignment]

        # After: read from the store.
        for label, fetch in (("dashboard", dashboard), ("comment list, traced=applied", listing)):
            first = timed(fetch, 1)[0]
            warm = timed(fetch, args.requests)
            rows.append((f"{label}: stored (after)", first * 1e3, median(warm) * 1e3,
                         percentile(warm, 0.95) * 1e3))  # fmt: skip
        print("Pages (Flask test client; 'first' = the first view, with a cold diff cache before)")
        print(table(["page", "first ms", "median ms", "p95 ms"], rows))
        print(f"Storing the trace once, when the app starts after the upgrade: {fill:.2f} s")

        store = open_store(path)
        statements: list[str] = []
        store.conn.set_trace_callback(statements.append)  # type: ignore[attr-defined]
        organizer = store.get_user(organizer_id)
        consultations.dashboard(store, organizer, cid, most_first=False, now=iso(datetime.now(UTC)))
        store.conn.set_trace_callback(None)  # type: ignore[attr-defined]
        print(f"One dashboard view runs {len(statements)} SQL statements.")
        consultation = store.get_consultation(cid)
        alone = [
            ("tracing.trace (before)", timed(lambda: tracing.trace(store, cid), 3)),
            ("traces.current (after)", timed(lambda: traces.current(store, consultation), 20)),
        ]
        print("The dashboard's trace alone (use case, warm diff cache)")
        print(table(["call", "median ms"], [(k, median(v) * 1e3) for k, v in alone]) + "\n")
        writes(store, organizer, built, args)
        store.close()
    print(machine(), "at the end")


def writes(store, organizer, built, args) -> None:
    """Each write that makes the stored trace stale, with its upkeep and without it."""
    cid = built.consultation_id
    comments = [c for c in store.list_comments(cid, submitted_only=True) if c.proposed_text]
    unit_id, _name, users = built.units[0]
    consultation = store.get_consultation(cid)
    now = iso(datetime.now(UTC))
    submitted = len(store.list_comments(cid, submitted_only=True))
    kept_version_added = importing.version_added
    noop = {"answered": lambda *a, **k: None, "unit_changed": lambda *a, **k: None}
    kept = {name: getattr(traces, name) for name in noop}

    def answer(i=[0]) -> None:  # noqa: B006  (a counter across calls)
        i[0] += 1
        answering.answer_many(store, cid, [comments[i[0]].id], "accepted", "Tiếp thu.",
                              organizer, now=now)  # fmt: skip

    def upkeep_of_a_submission() -> None:  # what a unit's submission or withdrawal adds
        with store.transaction():
            traces.unit_changed(store, consultation, unit_id)

    answer_times = {}
    for upkeep in (True, False):
        for name, replacement in noop.items():
            setattr(traces, name, kept[name] if upkeep else replacement)
        answer_times[upkeep] = median(timed(answer, 5))
    for name, original in kept.items():
        setattr(traces, name, original)
    rows = [("one answer (answer_many)", answer_times[False] * 1e3, answer_times[True] * 1e3,
             (answer_times[True] - answer_times[False]) * 1e3)]  # fmt: skip
    answers = iter(comments[-50:])

    def upkeep_of_an_answer() -> None:  # what answer_many adds, alone
        given = Answer("accepted", "Tiếp thu.", organizer.display_name, now)
        with store.transaction():
            traces.answered(store, consultation, [next(answers)], given)

    alone = median(timed(upkeep_of_an_answer, 20))
    rows.append(("one answer: the upkeep alone", 0.0, alone * 1e3, alone * 1e3))
    unit = median(timed(upkeep_of_a_submission, 3))
    mine = len(store.list_comments(cid, unit_id=unit_id, submitted_only=True))
    rows.append((f"a unit's submission or withdrawal ({mine} comments): the upkeep alone", 0.0,
                 unit * 1e3, unit * 1e3))  # fmt: skip
    imported = []
    for upkeep in (True, False):
        tracing.found_cached.cache_clear()
        importing.version_added = kept_version_added if upkeep else (lambda *a, **k: 0)
        started = time.perf_counter()
        imported.append((import_file(store, SAMPLE_V2, draft_id=consultation.draft_id),
                         time.perf_counter() - started))  # fmt: skip
    importing.version_added = kept_version_added
    (third, with_upkeep_s), (_fourth, without_s) = imported
    print(f"Version {third.version.number} imported with the upkeep: {submitted:,} submitted "
          "comments traced into it again (cold diff cache).")  # fmt: skip
    rows.append(("import a new version", without_s * 1e3, with_upkeep_s * 1e3,
                 (with_upkeep_s - without_s) * 1e3))  # fmt: skip
    print(
        "Writes (use cases, median ms; upkeep = with − without the stored trace's upkeep; a "
        "unit's submission itself is not timed: its grouping of similar comments takes minutes "
        "at this size)"
    )
    print(table(["write", "without ms", "with ms", "upkeep ms"], rows))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
