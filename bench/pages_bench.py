"""Pages benchmark: the organizer's and a delegate's pages on a consultation with many comments.

Builds, in a temporary SQLite file, the sample draft drafts/quy-dinh-dang-doan-v1.md (and its
version 2, as the organizer's article page links to it), 50 units of 2 delegates, one
consultation with --comments comments on its 16 articles and their clauses and points (bulk
inserts; 20% proposals), the responses of 49 units submitted (the last unit is still drafting), and
answers on about a third of the comments.

Then times, with the Flask test client (CSRF on), the organizer's article page
/admin/c/<id>/a/<key> (the most commented article), the dashboard /admin/c/<id> and the
drafting delegate's article page /c/<id>/a/<key> (also with sharing on, when the delegate also
reads the other units' submitted comments): median and p95 over up to 20 requests each, fewer
when a page is so slow that it would pass --page-budget seconds.  Then the same pages over
real HTTP (waitress on 127.0.0.1, a few requests each).

For the dashboard and the article pages it prints the SQL statements one request runs
(captured with sqlite3's trace callback, installed by wrapping SQLiteStore.__init__ in this
process only), grouped by shape, with their count and the time each takes when replayed
alone, and EXPLAIN QUERY PLAN of the heaviest; then that heaviest statement rewritten two ways
(run here only, to show what an index-friendly form would cost).  Last, the time of
Store.add_comment on the empty and on the full database.

Run: `.venv/bin/python bench/pages_bench.py [--comments N] [--units N] [--requests N]
[--page-budget S] [--no-http]`.  The default is 25,000 comments, so that the run stays under
3 minutes; `--comments 100000` is the full case (about 10 minutes: a few requests per page).
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path

from _common import (
    PASSWORD,
    PASSWORD_HASH,
    HttpClient,
    ThreadedServer,
    csrf_token,
    http_login,
    iso,
    machine,
    median,
    percentile,
    table,
)

from drafter import create_app, scale
from drafter.importing import import_file
from drafter.storage import open_store
from drafter.storage.sqlite import SQLiteStore

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_V1 = ROOT / "drafts" / "quy-dinh-dang-doan-v1.md"
SAMPLE_V2 = ROOT / "drafts" / "quy-dinh-dang-doan-v2.md"

# -- SQL capture: every SQLiteStore opened in this process reports its statements here ---------
TRACE: list[str] | None = None
_original_init = SQLiteStore.__init__


def _traced_init(self, path: str) -> None:
    _original_init(self, path)

    def record(statement: str) -> None:
        if TRACE is not None:
            TRACE.append(statement)

    self.conn.set_trace_callback(record)


SQLiteStore.__init__ = _traced_init


def shape(statement: str) -> str:
    """Return a statement with its literal values replaced by ?."""
    statement = re.sub(r"'(?:[^']|'')*'", "?", statement)
    statement = re.sub(r"\b\d+(?:\.\d+)?\b", "?", statement)
    return " ".join(statement.split())


def build(path: Path, args, timings) -> dict:
    """The consultation of `drafter demo --scale` (drafter.scale, the one generator), on the
    sample draft; then the cost of Store.add_comment on an empty and on this full one."""
    started = time.perf_counter()

    def step(label):
        nonlocal started
        now = time.perf_counter()
        timings.append((label, now - started))
        started = now

    empty_cost = empty_add_comment(path.with_name("empty.sqlite"))
    step("time Store.add_comment on an empty consultation (20 inserts)")
    store = open_store(path)
    v1 = import_file(store, SAMPLE_V1)
    import_file(store, SAMPLE_V2, draft_id=v1.draft.id)
    step("import the sample draft, versions 1 and 2")
    with store.transaction():
        organizer = store.create_user(
            "organizer", "Ban Tổ chức", "organizer", password_hash=PASSWORD_HASH,
            now=iso(datetime.now(UTC)),
        )  # fmt: skip
    built = scale.build_consultation(
        store, v1.version.id, organizer, comments=args.comments, units=args.units,
        password=PASSWORD, seed=args.seed,
    )  # fmt: skip
    timings.extend((f"drafter.scale: {label}", seconds) for label, seconds in built.steps)
    step(f"drafter.scale.build_consultation, {args.comments:,} comments in all")
    consultation_id = built.consultation_id
    drafting_unit, _name, drafting_users = built.units[-1]
    places = scale.places(store.get_tree(v1.version.id))
    full_cost = time_add_comment(store, consultation_id, drafting_unit, drafting_users, places)
    step("time Store.add_comment (20 inserts)")
    per_article = Counter(
        dict(
            store.conn.execute(
                "SELECT article_id, COUNT(*) FROM comment WHERE consultation_id = ? "
                "AND unit_id != ? GROUP BY article_id",
                (consultation_id, drafting_unit),
            ).fetchall()
        )
    )
    top_article = per_article.most_common(1)[0][0]
    key = next(a.key for a in store.iter_articles(v1.version.id) if a.id == top_article)
    own = store.conn.execute(
        "SELECT COUNT(*) FROM comment WHERE consultation_id = ? AND unit_id = ? AND article_id = ?",
        (consultation_id, drafting_unit, top_article),
    ).fetchone()[0]
    store.close()
    return {
        "consultation_id": consultation_id,
        "key": key,
        "organizer": organizer,
        "delegate": drafting_users[0][0],
        "delegate_name": drafting_users[0][1],
        "submitted_on_article": per_article[top_article],
        "own_on_article": own,
        "articles": len(per_article),
        "add_comment": (empty_cost, full_cost),
    }


def empty_add_comment(path: Path) -> float:
    """Return the mean seconds of Store.add_comment on a consultation without comments."""
    store = open_store(path)
    v1 = import_file(store, SAMPLE_V1)
    with store.transaction():
        organizer = store.create_user(
            "organizer", "Ban Tổ chức", "organizer", password_hash=PASSWORD_HASH,
            now=iso(datetime.now(UTC)),
        )  # fmt: skip
    built = scale.build_consultation(
        store, v1.version.id, organizer, comments=0, units=2, password=PASSWORD
    )
    unit_id, _name, users = built.units[-1]
    places = scale.places(store.get_tree(v1.version.id))
    try:
        return time_add_comment(store, built.consultation_id, unit_id, users, places)
    finally:
        store.close()


def time_add_comment(store, consultation_id, unit_id, users, places, count: int = 20) -> float:
    """Return the mean seconds of one Store.add_comment in its own transaction."""
    started = time.perf_counter()
    for i in range(count):
        node, article = places[i % len(places)]
        with store.transaction():
            store.add_comment(
                consultation_id, unit_id, users[0][0], node_id=node.id, article_id=article.id,
                kind="comment", text=f"Ý kiến đo thời gian số {i}.", proposed_text=None,
                now=iso(datetime.now(UTC)),
            )  # fmt: skip
    return (time.perf_counter() - started) / count


def client_login(app, username: str):
    """Return a Flask test client signed in through /login (CSRF on)."""
    client = app.test_client()
    token = csrf_token(client.get("/login").data)
    response = client.post(
        "/login", data={"csrf_token": token, "username": username, "password": PASSWORD}
    )
    if response.status_code != 302:
        raise RuntimeError(f"sign-in of {username} answered {response.status_code}")
    return client


def time_requests(fetch, count: int, budget: float, least: int) -> tuple[list[float], int, int]:
    """Return (seconds of each request, last status, last response size): `count` requests,
    or fewer (but at least `least`) when the next one would pass `budget` seconds."""
    times: list[float] = []
    status = size = 0
    spent_from = time.perf_counter()
    while len(times) < count:
        if len(times) >= least and time.perf_counter() - spent_from + median(times) > budget:
            break
        started = time.perf_counter()
        status, size = fetch()
        times.append(time.perf_counter() - started)
    return times, status, size


def replay(path: Path, statements: list[str]) -> list[tuple[str, float]]:
    """Run each captured SELECT again on a fresh connection; return (statement, seconds)."""
    store = open_store(path, migrate=False)
    out = []
    for statement in statements:
        if not statement.lstrip().upper().startswith(("SELECT", "WITH")):
            continue
        started = time.perf_counter()
        store.conn.execute(statement).fetchall()
        out.append((statement, time.perf_counter() - started))
    store.close()
    return out


def explain(path: Path, statement: str) -> list[str]:
    store = open_store(path, migrate=False)
    rows = store.conn.execute(f"EXPLAIN QUERY PLAN {statement}").fetchall()
    store.close()
    depth = {0: 0}
    lines = []
    for row in rows:
        level = depth.get(row["parent"], 0) + 1
        depth[row["id"]] = level
        lines.append("  " * level + row["detail"])
    return lines


def sql_report(label: str, path: Path, statements: list[str], request_seconds: float) -> str:
    timed = replay(path, statements)
    groups: dict[str, list] = defaultdict(lambda: [0, 0.0, None, 0.0])
    for statement in statements:
        groups[shape(statement)][0] += 1
    for statement, seconds in timed:
        group = groups[shape(statement)]
        group[1] += seconds
        if seconds >= group[3]:
            group[2], group[3] = statement, seconds
    total_sql = sum(s for _, s in timed)
    print(
        f"\nSQL of one request to {label}: {len(statements):,} statements, "
        f"{len(groups)} shapes; replayed alone they take {total_sql:.3f} s "
        f"of the request's {request_seconds:.3f} s"
    )
    ordered = sorted(groups.items(), key=lambda item: -item[1][1])
    heaviest = ordered[0][1][2] if ordered else ""
    rows = [
        (
            count,
            seconds * 1e3,
            (seconds / count) * 1e3,
            text[:150] + ("…" if len(text) > 150 else ""),
        )
        for text, (count, seconds, _slowest, _s) in ordered
    ]
    print(table(["count", "total ms", "ms each", "statement (values as ?)"], rows[:12]))
    if len(rows) > 12:
        print(f"… and {len(rows) - 12} more shapes, {sum(r[0] for r in rows[12:])} statements")
    for text, (count, seconds, slowest, _s) in ordered[:2]:
        if slowest is None or seconds < 0.005:
            continue
        print(f"\nEXPLAIN QUERY PLAN ({count} × {seconds * 1e3 / count:.1f} ms) of: {text[:200]}…")
        for line in explain(path, slowest):
            print(line)
    return heaviest


REVISION_AS_WRITTEN = (
    "(SELECT si.revision_id FROM submission_item si JOIN comment_revision x "
    "ON x.id = si.revision_id WHERE x.comment_id = c.id AND si.submission_id = {active})"
)
REVISION_REWRITTEN = (
    "(SELECT x.id FROM comment_revision x JOIN submission_item si ON si.revision_id = x.id "
    "AND si.submission_id = {active} WHERE x.comment_id = c.id)"
)
ACTIVE = (
    "(SELECT MAX(s.id) FROM submission s WHERE s.consultation_id = c.consultation_id "
    "AND s.unit_id = c.unit_id)"
)


def what_if(path: Path, statement: str, version_id: int) -> None:
    """Time the heaviest statement as written and with two rewrites (bench-side only)."""
    written = REVISION_AS_WRITTEN.format(active=ACTIVE)
    if written not in statement:
        print("(what-if skipped: the statement is not the one this benchmark knows)")
        return
    variants = [("as drafter runs it", statement)]
    rewritten = statement.replace(written, REVISION_REWRITTEN.format(active=ACTIVE))
    variants.append(("revision subquery driven by comment_revision(comment_id)", rewritten))
    by_id = re.sub(
        r"a\.key = ('(?:[^']|'')*')",
        rf"c.article_id = (SELECT id FROM node WHERE version_id = {version_id} AND key = \1)",
        rewritten,
    )
    if by_id != rewritten:
        variants.append(("… and c.article_id = (node id of the key)", by_id))
    store = open_store(path, migrate=False)
    rows = []
    for label, sql in variants:
        started = time.perf_counter()
        count = len(store.conn.execute(sql).fetchall())
        rows.append((label, count, time.perf_counter() - started))
    store.close()
    print(table(["variant", "rows", "seconds"], rows))


def main() -> None:
    global TRACE
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--comments", type=int, default=25_000)
    parser.add_argument("--units", type=int, default=50)
    parser.add_argument("--requests", type=int, default=20, help="timed requests per page")
    parser.add_argument("--min-requests", type=int, default=3, help="even over the budget")
    parser.add_argument(
        "--page-budget", type=float, default=12.0, help="stop timing a page after ~S seconds"
    )
    parser.add_argument("--http-requests", type=int, default=5)
    parser.add_argument("--no-http", action="store_true", help="skip the waitress run")
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()

    print(machine(), "at start")
    with tempfile.TemporaryDirectory(prefix="drafter-pages-bench-") as folder:
        path = Path(folder) / "bench.sqlite"
        timings: list[tuple[str, float]] = []
        world = build(path, args, timings)
        print("Setup")
        print(table(["step", "seconds"], timings + [("total", sum(t for _, t in timings))]))
        print(
            f"Database: {path.stat().st_size / 2**20:.1f} MiB; {args.comments:,} comments on "
            f"{world['articles']} articles by {args.units} units; timed article "
            f"{world['key']}: {world['submitted_on_article']:,} submitted comments, "
            f"{world['own_on_article']} drafts of the delegate's unit\n"
        )
        cid, key = world["consultation_id"], world["key"]
        app = create_app({"DATABASE": str(path), "SECRET_KEY": "bench"})  # CSRF on
        organizer = client_login(app, "organizer")
        delegate = client_login(app, world["delegate_name"])

        def share(on: bool) -> None:
            store = open_store(path, migrate=False)
            with store.transaction():
                store.set_share_submitted(cid, on)
            store.close()

        pages = [
            ("organizer article page", organizer, f"/admin/c/{cid}/a/{key}", False),
            ("dashboard", organizer, f"/admin/c/{cid}", False),
            ("delegate article page", delegate, f"/c/{cid}/a/{key}", False),
            ("delegate article page, sharing on", delegate, f"/c/{cid}/a/{key}", True),
        ]
        rows, traces = [], {}
        for label, client, url, sharing in pages:
            print(f"timing {label} …", file=sys.stderr, flush=True)
            share(sharing)

            def fetch(client=client, url=url):
                response = client.get(url)
                return response.status_code, len(response.data)

            TRACE = []  # the first request: warm-up, and its SQL is recorded
            started = time.perf_counter()
            fetch()
            first = time.perf_counter() - started
            traces[label], TRACE = (TRACE, first), None
            times, status, size = time_requests(
                fetch, args.requests, args.page_budget - first, args.min_requests
            )
            rows.append(
                (label, status, size / 1024, first * 1e3, len(times), median(times) * 1e3,
                 percentile(times, 0.95) * 1e3, max(times) * 1e3)
            )  # fmt: skip
        share(False)
        print("Pages (Flask test client, CSRF on; the first request is the traced warm-up)")
        print(
            table(
                ["page", "status", "KiB", "first ms", "requests", "median ms", "p95 ms", "max ms"],
                rows,
            )
        )

        if not args.no_http:
            print("timing over HTTP …", file=sys.stderr, flush=True)
            http_pages(app, world, args, pages[:3])

        heaviest = {}
        for label, _client, url, _sharing in pages[:3]:
            statements, seconds = traces[label]
            heaviest[label] = sql_report(f"{label} ({url})", path, statements, seconds)

        store = open_store(path, migrate=False)
        version_id = store.get_consultation(cid).version_id
        store.close()
        for label in ("organizer article page", "dashboard"):
            print(
                f"\nWhat-if for the heaviest statement of the {label} (rewritten here, run on "
                "the benchmark's copy; drafter unchanged):"
            )
            what_if(path, heaviest[label], version_id)

        empty, full = world["add_comment"]
        print(
            f"\nStore.add_comment in its own transaction: {empty * 1e3:.2f} ms on the empty "
            f"consultation, {full * 1e3:.2f} ms with {args.comments:,} comments stored "
            f"({full / empty:.0f}×)."
        )
        store = open_store(path, migrate=False)
        plan = store.conn.execute(
            "EXPLAIN QUERY PLAN DELETE FROM search_index WHERE kind = 'comment' AND ref_id = 1"
        ).fetchall()
        store.close()
        print(
            "Its DELETE FROM search_index WHERE kind = 'comment' AND ref_id = ? (revise_comment) "
            f"is planned as: {'; '.join(r['detail'] for r in plan)}"
        )
        print(machine(), "at the end")


def http_pages(app, world, args, pages) -> None:
    """Time the pages over real HTTP: waitress (4 threads) in a thread of this process."""
    server = ThreadedServer(app, threads=4)
    try:
        organizer, delegate = HttpClient(server.port), HttpClient(server.port)
        http_login(organizer, "organizer")
        http_login(delegate, world["delegate_name"])
        rows = []
        for label, _client, url, _sharing in pages:
            http = organizer if url.startswith("/admin/") else delegate

            def fetch(http=http, url=url):
                status, _headers, body = http.get(url)
                return status, len(body)

            times, status, size = time_requests(
                fetch, args.http_requests, args.page_budget / 2, min(2, args.min_requests)
            )
            rows.append(
                (label, status, size / 1024, len(times), median(times) * 1e3,
                 percentile(times, 0.95) * 1e3)
            )  # fmt: skip
        print(
            "\nPages over HTTP (waitress, 4 threads, one keep-alive client, signed in via /login)"
        )
        print(table(["page", "status", "KiB", "requests", "median ms", "p95 ms"], rows))
        organizer.close()
        delegate.close()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
