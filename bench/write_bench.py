"""Write-path benchmark: the server's CPU for one comment POST, on consultations of --sizes
stored comments (1,000 and 100,000 by default; 1,000,000 with --sizes 1000,100000,1000000).

For each size it builds the consultation of `drafter demo --scale` (drafter.scale) with 50
units, signs a delegate of the unit still drafting in through /login (CSRF on), and sends
--posts comment POSTs through the app (Flask's test client, in this process).  The time is
the CPU time of the thread inside the app's WSGI call only (time.thread_time around
app.wsgi_app: the session, CSRF, the use case and its transaction, the response), not the
test client's work; beside it, a bare WSGI "ok" timed the same way.  Then a cProfile of the
same POSTs, its own time summed by area (session, CSRF, SQLite, Markdown, Flask and the
rest), to show where the time goes.  The target (issue 13): ≤ 2 ms, the same at every size.

Run: `.venv/bin/python bench/write_bench.py [--sizes 1000,100000] [--posts 300] [--db PATH]`
(--db: also on an existing database built by `drafter demo --scale N`, e.g. a million comments,
which gains the posts: a SQLite file or a PostgreSQL URL, e.g. after `drafter copy-db`).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import re
import tempfile
import time
from pathlib import Path

from _common import PASSWORD, machine, median, percentile, table

from drafter import create_app, scale
from drafter.importing import import_file
from drafter.storage import open_store

ROOT = Path(__file__).resolve().parent.parent
TARGET_MS = 2.0
AREAS = (
    ("session cookie", ("flask/sessions.py", "itsdangerous", "flask/json/tag.py")),
    ("CSRF", ("flask_wtf/csrf.py",)),
    ("SQLite statements", ("sqlite3.Connection", "sqlite3.Cursor")),
    ("Markdown", ("markdown_it", "nh3", "drafter/markup.py")),
    ("search index text", ("drafter/normalize.py",)),
    ("drafter (rest)", ("drafter/",)),
    ("Flask, Werkzeug, Jinja", ("flask/", "werkzeug/", "jinja2/", "flask_babel")),
)


def build(folder: Path, size: int) -> tuple[Path, int, str, str]:
    db = folder / f"w{size}.sqlite"
    store = open_store(db)
    v1 = import_file(store, ROOT / "drafts" / "quy-dinh-dang-doan-v1.md")
    with store.transaction():
        organizer = store.create_user(
            "organizer", "Ban Tổ chức", "organizer", password_hash=None, now="2026-01-01"
        )
    built = scale.build_consultation(
        store, v1.version.id, organizer, comments=size, units=50, password=PASSWORD
    )
    store.close()
    return db, built.consultation_id, built.units[-1][2][0][1], "chuong-1/dieu-3"


def existing(db: str) -> tuple[int, int, str, int]:
    """In a database built by `drafter demo --scale N`: the consultation with the most comments,
    the lead of a unit still drafting (signed in by session: no password is known), the most
    commented article, and the number of comments stored."""
    store = open_store(db)

    def submitted(consultation_id: int) -> dict[str, dict[str, int]]:
        return store.article_counts(consultation_id, submitted_only=True)  # the kept counts

    best = max(
        store.list_consultations(),
        key=lambda c: sum(sum(kinds.values()) for kinds in submitted(c.id).values()),
    )
    units = store.unit_progress(best.id)
    drafting = next(u for u in units if u.latest is None or u.latest.withdrawn_at)
    lead = next(u for u in store.list_users(drafting.unit.id) if u.is_lead)
    figures = submitted(best.id)
    key = max((k for k in figures if k), key=lambda k: sum(figures[k].values()))
    stored = sum(u.live_comments for u in units)
    store.close()
    return best.id, lead.id, key, stored


def _name(db: str) -> str:
    """A database's short name: a file's name, a PostgreSQL URL's database."""
    if "://" in db:
        return "PostgreSQL " + db.split("://", 1)[1].split("/", 1)[1].split("?", 1)[0]
    return Path(db).name


def measure(
    db: Path | str, consultation_id: int, username: str | int, key: str, posts: int
) -> dict:
    app = create_app(
        {"DATABASE": str(db), "SECRET_KEY": "write-bench", "BASE_URL": "http://x",
         "COMMENT_QUOTA": 10**9}  # the drafting unit already has size / 50 comments
    )  # fmt: skip
    spent: list[float] = []
    inner = app.wsgi_app

    def timed(environ, start_response):
        began = time.thread_time()
        try:
            return list(inner(environ, start_response))
        finally:
            spent.append(time.thread_time() - began)

    app.wsgi_app = timed  # type: ignore[method-assign]
    client = app.test_client()
    if isinstance(username, int):  # a user id: signed in by setting the session
        store = open_store(str(db))
        with client.session_transaction() as session:
            session["user_id"] = username
            session["epoch"] = store.session_epoch(username)
            session["signed_in_at"] = int(time.time())
        store.close()
    else:
        token = re.search(rb'name="csrf_token" value="([^"]+)"', client.get("/login").data)[1]
        client.post(
            "/login",
            data={"csrf_token": token.decode(), "username": username, "password": PASSWORD},
        )
    page = client.get(f"/c/{consultation_id}/a/{key}").data
    token = re.search(rb'name="csrf_token" value="([^"]+)"', page)[1].decode()

    def post(n: int) -> None:
        response = client.post(
            f"/c/{consultation_id}/comments",
            data={"csrf_token": token, "article": key, "target": key, "kind": "comment",
                  "text": f"Đề nghị làm rõ khái niệm tại khoản này, số {n}."},
        )  # fmt: skip
        assert response.status_code == 302, response.status_code

    for n in range(20):  # warm: the thread's connection, the catalogues
        post(n)
    spent.clear()
    for n in range(posts):
        post(100 + n)
    times = list(spent)
    # the bare endpoint, timed the same way
    bare: list[float] = []

    def ok(environ, start_response):
        began = time.thread_time()
        start_response("200 OK", [("Content-Type", "text/plain")])
        bare.append(time.thread_time() - began)
        return [b"ok"]

    app.wsgi_app = ok  # type: ignore[method-assign]
    for _ in range(posts):
        client.get("/")
    app.wsgi_app = timed  # type: ignore[method-assign]
    profiler = cProfile.Profile(time.thread_time)
    profiler.enable()
    for n in range(posts):
        post(10_000 + n)
    profiler.disable()
    return {"times": times, "bare": bare, "profile": profiler}


def areas(profiler: cProfile.Profile) -> list[tuple[str, float]]:
    stats = pstats.Stats(profiler)
    totals: dict[str, float] = {}
    inside = 0.0
    for (filename, _line, name), (_cc, _nc, own, _cum, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        where = f"{filename}:{name}"
        if "werkzeug/test.py" in where or "flask/testing.py" in where:
            continue  # the test client's side
        inside += own
        for area, marks in AREAS:
            if any(m in where for m in marks):
                totals[area] = totals.get(area, 0.0) + own
                break
        else:
            totals["other (stdlib…)"] = totals.get("other (stdlib…)", 0.0) + own
    return [
        (area, seconds / inside) for area, seconds in sorted(totals.items(), key=lambda x: -x[1])
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,100000")
    parser.add_argument("--posts", type=int, default=300)
    parser.add_argument(
        "--db", action="append", default=[],
        help="also an existing database built by `drafter demo --scale N`, a file or a PostgreSQL "
        "URL (it gains the posts)",
    )  # fmt: skip
    args = parser.parse_args()
    print(machine())
    folder = Path(tempfile.mkdtemp(prefix="drafter-write-"))
    rows, shares = [], {}
    for size in [int(s) for s in args.sizes.split(",")]:
        started = time.perf_counter()
        db, consultation_id, username, key = build(folder, size)
        built = time.perf_counter() - started
        result = measure(db, consultation_id, username, key, args.posts)
        times = result["times"]
        rows.append((
            f"{size:,}", f"{built:.0f} s", median(times) * 1000, percentile(times, 0.95) * 1000,
            median(result["bare"]) * 1000, median(times) / max(1e-9, median(result["bare"])),
            "yes" if median(times) * 1000 <= TARGET_MS else "no",
        ))  # fmt: skip
        shares[size] = areas(result["profile"])
        db.unlink()
    for path in args.db:
        consultation_id, user_id, key, stored = existing(path)
        result = measure(path, consultation_id, user_id, key, args.posts)  # a file or a URL
        times = result["times"]
        rows.append((
            f"{stored:,} ({_name(path)})", "—", median(times) * 1000,
            percentile(times, 0.95) * 1000, median(result["bare"]) * 1000,
            median(times) / max(1e-9, median(result["bare"])),
            "yes" if median(times) * 1000 <= TARGET_MS else "no",
        ))  # fmt: skip
        shares[stored] = areas(result["profile"])
    print()
    print(table(
        ["stored comments", "built in", "POST CPU ms (median)", "p95", "bare ms", "× bare",
         f"≤ {TARGET_MS} ms"], rows,
    ))  # fmt: skip
    for size, share in shares.items():
        print(f"\nWhere a POST's CPU goes at {size:,} stored comments (cProfile, own time):")
        print(table(["area", "share"], [(a, f"{s:.0%}") for a, s in share]))
    print(f"\nTarget (issue 13): comment POST server CPU ≤ {TARGET_MS} ms, the same at 1k, 100k "
          "and 1M stored comments.")  # fmt: skip
    print(machine())


if __name__ == "__main__":
    main()
