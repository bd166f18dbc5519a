"""Load benchmark: delegates commenting at once on the real app served by waitress.

Builds a consultation world in a temporary SQLite file (the sample draft, versions 1 and 2, an
organizer, --units invited units with --delegates delegate accounts spread over them), starts
the real app (drafter.create_app, CSRF on) under waitress (--threads 8) in a subprocess on
127.0.0.1, and runs --clients client threads (http.client, keep-alive) from this process.
Each client signs in once through /login, reads the CSRF token from an article page, then,
until --duration seconds have passed, loops: GET an article page (20% of iterations) or POST
a comment on an article, clause or point of it, and after a saved comment sometimes edits
(15%) or withdraws (5%) one of its own.

Prints: acknowledged comment POSTs (302) per second, p50/p95 latency of each kind of request
(the GET article page under that load in particular), every status outside 2xx/3xx, any 5xx,
any "database is locked" in a response or in the server's log, and the CPU seconds the server
and the clients used.  Then it checks in the database that every acknowledged comment is there
exactly once, with the text of its last acknowledged revision (and withdrawn when that was
acknowledged).

Baselines in the same run: (a) a bare WSGI endpoint returning "ok" mounted in the same waitress
server (same threads), hammered by the same clients for the same duration; (b) as many
comment inserts as the app acknowledged, done directly with sqlite3 on a copy of the starting
database, one BEGIN IMMEDIATE transaction per comment, with the statements Store.add_comment
runs.  It prints the ratios app/bare and app/direct against the target (700 comment POSTs/s
and at least half the bare rate), and when the app falls short, a cProfile of one server
worker's request handling during a further --profile-seconds of the same load (top 15
functions by cumulative time).

Run: `.venv/bin/python bench/load_bench.py [--duration S] [--clients N] [--threads N]
[--units N] [--delegates N] [--profile-seconds S] [--no-profile]`.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from _common import (
    PASSWORD_HASH,
    HttpClient,
    add_units,
    comment_text,
    csrf_token,
    http_login,
    iso,
    machine,
    median,
    open_window,
    percentile,
    table,
    targets,
)

from drafter.importing import import_file
from drafter.normalize import fold_diacritics
from drafter.storage import open_store

ROOT = Path(__file__).resolve().parent.parent
TARGET_RATE = 700.0
MARKER = re.compile(r"\[bench (t\d+-n\d+)\]")


# -- the server (a subprocess running this file with --serve) ----------------------------------
def serve(args) -> None:
    """Serve drafter plus /__bench/ok and the profiling switch; print the port; run until
    SIGTERM."""
    import cProfile
    import io
    import logging
    import pstats

    from waitress.server import create_server

    from drafter import create_app

    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(message)s")
    app = create_app({"DATABASE": args.db, "SECRET_KEY": "load-bench"})  # CSRF on
    # Two workers are profiled: the first to take a request after /__bench/profile/start with
    # the wall clock (waiting for the GIL, SQLite's lock and its busy-timeout sleeps count),
    # the second with its own CPU clock (time.thread_time: only the work it does).
    state = {"armed": False, "profiles": {}}
    clocks = [("wall clock", time.perf_counter), ("thread CPU time", time.thread_time)]
    lock = threading.Lock()

    def reply(start_response, text: str, status: str = "200 OK"):
        body = text.encode()
        start_response(status, [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
        return [body]

    def report() -> str:
        out = io.StringIO()
        for ident, (label, profiler, count) in state["profiles"].items():
            out.write(f"\n=== PROFILE {label}: thread {ident}, {count[0]} requests\n")
            stats = pstats.Stats(profiler, stream=out)
            stats.sort_stats("cumulative").print_stats(args.profile_top)
            out.write("\n=== BY OWN TIME\n")
            stats.sort_stats("tottime").print_stats(10)
        return out.getvalue()

    def dispatch(environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path == "/__bench/ok":
            return reply(start_response, "ok")
        if path == "/__bench/profile/start":
            with lock:
                state.update(armed=True, profiles={})
            return reply(start_response, "armed")
        if path == "/__bench/profile/stop":
            with lock:
                state["armed"] = False
            return reply(start_response, report())
        ident = threading.get_ident()
        if state["armed"]:
            with lock:
                if ident not in state["profiles"] and len(state["profiles"]) < len(clocks):
                    label, clock = clocks[len(state["profiles"])]
                    state["profiles"][ident] = (label, cProfile.Profile(clock), [0])
            entry = state["profiles"].get(ident)
            if entry is not None and state["armed"]:
                _label, profiler, count = entry
                profiler.enable()
                try:
                    result = app(environ, start_response)
                    body = list(result)  # the body is part of the work
                    if hasattr(result, "close"):
                        result.close()
                finally:
                    profiler.disable()
                count[0] += 1
                return body
        return app(environ, start_response)

    server = create_server(dispatch, host="127.0.0.1", port=0, threads=args.threads)

    def stop(_signum, _frame):
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    print(f"PORT {server.effective_port}", flush=True)
    server.run()


class Server:
    """The --serve subprocess: started, its CPU time read from /proc, stopped by its pid."""

    def __init__(self, db: Path, threads: int, log: Path) -> None:
        self.log = log
        self.log_handle = log.open("w")
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--serve", "--db", str(db), "--threads", str(threads)],
            stdout=subprocess.PIPE,
            stderr=self.log_handle,
            text=True,
        )
        line = self.process.stdout.readline()
        if not line.startswith("PORT "):
            self.stop()
            raise RuntimeError(f"the server did not start; see {log}:\n{log.read_text()}")
        self.port = int(line.split()[1])

    def cpu_seconds(self) -> float:
        with open(f"/proc/{self.process.pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log_handle.close()


# -- the world -----------------------------------------------------------------------------------
def build(path: Path, args) -> dict:
    store = open_store(path)
    v1 = import_file(store, ROOT / "drafts" / "quy-dinh-dang-doan-v1.md")
    import_file(store, ROOT / "drafts" / "quy-dinh-dang-doan-v2.md", draft_id=v1.draft.id)
    per_unit = -(-args.delegates // args.units)
    units = add_units(store, args.units, per_unit)
    delegates = [u for _unit, _name, users in units for u in users][: args.delegates]
    with store.transaction():
        store.create_user(
            "organizer", "Ban Tổ chức", "organizer", password_hash=PASSWORD_HASH,
            now=iso(datetime.now(UTC)),
        )  # fmt: skip
        opens, deadline = open_window()
        consultation_id = store.create_consultation(
            v1.version.id,
            "Lấy ý kiến Dự thảo 1",
            opens_at=opens,
            deadline=deadline,
            unit_ids=[u[0] for u in units],
            now=opens,
        )
    places = [(node.key, article.key) for node, article in targets(store.get_tree(v1.version.id))]
    store.close()
    return {
        "consultation_id": consultation_id,
        "delegates": [name for _id, name in delegates],
        "places": places,
        "articles": sorted({a for _n, a in places}),
    }


# -- the clients -----------------------------------------------------------------------------------
@dataclass
class Own:
    text: str
    withdrawn: bool = False
    edits: int = 0


@dataclass
class Worker:
    number: int
    client: HttpClient
    token: str = ""
    rng: random.Random = field(default_factory=random.Random)
    own: dict[int, Own] = field(default_factory=dict)  # acknowledged comments
    sent: int = 0


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    statuses: Counter = field(default_factory=Counter)  # (operation, status)
    locked: int = 0  # responses that say "database is locked"
    errors: Counter = field(default_factory=Counter)  # exceptions by type
    acknowledged: int = 0  # comment POSTs answered 302
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, operation: str, status: int, seconds: float, body: bytes) -> None:
        with self.lock:
            self.latencies.setdefault(operation, []).append(seconds)
            self.statuses[(operation, status)] += 1
            if b"database is locked" in body:
                self.locked += 1


def timed(tally: Tally, operation: str, call):
    started = time.perf_counter()
    status, headers, body = call()
    tally.add(operation, status, time.perf_counter() - started, body)
    return status, headers, body


def app_iteration(worker: Worker, world: dict, tally: Tally) -> None:
    rng, client, cid = worker.rng, worker.client, world["consultation_id"]
    if rng.random() < 0.2:
        article = rng.choice(world["articles"])
        status, _h, body = timed(
            tally, "GET article page", lambda: client.get(f"/c/{cid}/a/{article}")
        )
        if status == 200:
            worker.token = csrf_token(body)
        return
    key, article = rng.choice(world["places"])
    worker.sent += 1
    marker = f"t{worker.number}-n{worker.sent}"
    text = f"{comment_text(rng)} [bench {marker}]"
    form = {"csrf_token": worker.token, "article": article, "target": key, "kind": "comment",
            "text": text, "proposed_text": ""}  # fmt: skip
    status, headers, _b = timed(
        tally, "POST comment", lambda: client.post(f"/c/{cid}/comments", form)
    )
    if status != 302:
        return
    found = re.search(r"#comment-(\d+)$", headers.get("Location", ""))
    if found is None:
        raise RuntimeError(f"no comment id in the redirect {headers.get('Location')!r}")
    with tally.lock:
        tally.acknowledged += 1
    worker.own[int(found.group(1))] = Own(text)
    live = [i for i, o in worker.own.items() if not o.withdrawn]
    roll = rng.random()
    if roll < 0.15 and live:
        comment_id = rng.choice(live)
        own = worker.own[comment_id]
        new_text = f"{own.text} (sửa lần {own.edits + 1})"
        form = {"csrf_token": worker.token, "kind": "comment", "text": new_text,
                "proposed_text": ""}  # fmt: skip
        status, _h, _b = timed(
            tally,
            "POST edit",
            lambda: client.post(f"/c/{cid}/comments/{comment_id}/edit", form),
        )
        if status == 302:
            own.text, own.edits = new_text, own.edits + 1
    elif roll < 0.20 and live:
        comment_id = rng.choice(live)
        status, _h, _b = timed(
            tally,
            "POST withdraw",
            lambda: client.post(
                f"/c/{cid}/comments/{comment_id}/withdraw", {"csrf_token": worker.token}
            ),
        )
        if status == 302:
            worker.own[comment_id].withdrawn = True


def bare_iteration(worker: Worker, _world: dict, tally: Tally) -> None:
    timed(tally, "GET /__bench/ok", lambda: worker.client.get("/__bench/ok"))


def run_phase(workers, world, iteration, duration: float) -> tuple[Tally, float, float]:
    """Run `iteration` in one thread per worker for `duration` seconds; return the tally,
    the wall seconds and this process's CPU seconds."""
    tally = Tally()
    start = threading.Barrier(len(workers) + 1)
    deadline = [0.0]

    def loop(worker: Worker) -> None:
        start.wait()
        while time.perf_counter() < deadline[0]:
            try:
                iteration(worker, world, tally)
            except Exception as exc:  # counted, then a fresh connection
                with tally.lock:
                    tally.errors[type(exc).__name__] += 1
                worker.client.close()

    threads = [threading.Thread(target=loop, args=(w,), daemon=True) for w in workers]
    for thread in threads:
        thread.start()
    cpu = time.process_time()
    began = time.perf_counter()
    deadline[0] = began + duration
    start.wait()
    for thread in threads:
        thread.join(timeout=duration + 180)
    return tally, time.perf_counter() - began, time.process_time() - cpu


def parallel(workers, job) -> None:
    threads = [threading.Thread(target=job, args=(w,), daemon=True) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)


# -- baseline (b): the same inserts straight into SQLite ------------------------------------------
def direct_inserts(path: Path, consultation_id: int, count: int) -> float:
    """Insert `count` comments as Store.add_comment does, one BEGIN IMMEDIATE each; return
    the seconds."""
    conn = sqlite3.connect(path, timeout=30, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    unit_id, user_id = conn.execute(
        "SELECT unit_id, id FROM user WHERE role = 'delegate' ORDER BY id LIMIT 1"
    ).fetchone()
    nodes = [
        r[0] for r in conn.execute("SELECT id FROM node WHERE kind = 'article' ORDER BY position")
    ]
    rng = random.Random(1)
    texts = [comment_text(rng) for _ in range(200)]
    started = time.perf_counter()
    for i in range(count):
        node = nodes[i % len(nodes)]
        text = texts[i % len(texts)]
        now = iso(datetime.now(UTC))
        conn.execute("BEGIN IMMEDIATE")
        comment_id = conn.execute(
            "INSERT INTO comment (consultation_id, unit_id, node_id, article_id, created_by, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?)",
            (consultation_id, unit_id, node, node, user_id, now),
        ).lastrowid
        conn.execute(
            "INSERT INTO comment_revision (comment_id, kind, text, proposed_text, author_id, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?)",
            (comment_id, "comment", text, None, user_id, now),
        )
        conn.execute(
            "DELETE FROM search_index WHERE kind = 'comment' AND ref_id = ?", (comment_id,)
        )
        conn.execute(
            "INSERT INTO search_index (body, kind, ref_id, version_id) VALUES (?, 'comment', ?, NULL)",
            (fold_diacritics(f"{text}\n"), comment_id),
        )
        conn.execute("COMMIT")
    seconds = time.perf_counter() - started
    conn.close()
    return seconds


# -- verification ---------------------------------------------------------------------------------
def verify(path: Path, workers: list[Worker]) -> list[tuple[str, object]]:
    conn = sqlite3.connect(path)
    rows = conn.execute(
        "SELECT c.id, c.withdrawn_at, "
        "(SELECT text FROM comment_revision WHERE comment_id = c.id ORDER BY id LIMIT 1), "
        "(SELECT text FROM comment_revision WHERE comment_id = c.id ORDER BY id DESC LIMIT 1), "
        "(SELECT COUNT(*) FROM comment_revision WHERE comment_id = c.id) FROM comment c"
    ).fetchall()
    conn.close()
    by_marker: dict[str, list[tuple]] = {}
    for row in rows:
        found = MARKER.search(row[2] or "")
        if found:
            by_marker.setdefault(found.group(1), []).append(row)
    acknowledged = {i: (w, own) for w in workers for i, own in w.own.items()}
    acked_markers = set()
    missing = duplicated = wrong_text = wrong_withdrawn = 0
    for comment_id, (_worker, own) in acknowledged.items():
        marker = MARKER.search(own.text).group(1)
        acked_markers.add(marker)
        stored = by_marker.get(marker, [])
        if not stored:
            missing += 1
            continue
        if len(stored) > 1:
            duplicated += 1
        row = next((r for r in stored if r[0] == comment_id), None)
        if row is None:
            missing += 1
            continue
        if row[3] != own.text:
            wrong_text += 1
        if bool(row[1]) != own.withdrawn:
            wrong_withdrawn += 1
    unacknowledged = sum(1 for m in by_marker if m not in acked_markers)
    edited = sum(own.edits for _w, own in acknowledged.values())
    return [
        ("acknowledged comments checked", len(acknowledged)),
        ("… with acknowledged edits", sum(1 for _w, o in acknowledged.values() if o.edits)),
        ("… acknowledged edits in all", edited),
        ("… acknowledged withdrawn", sum(1 for _w, o in acknowledged.values() if o.withdrawn)),
        ("missing from the database", missing),
        ("stored more than once", duplicated),
        ("latest revision ≠ last acknowledged text", wrong_text),
        ("withdrawn state ≠ acknowledged", wrong_withdrawn),
        ("stored but never acknowledged (errors)", unacknowledged),
    ]


# -- report ---------------------------------------------------------------------------------------
def phase_rows(tally: Tally, seconds: float) -> list[tuple]:
    rows = []
    for operation, times in sorted(tally.latencies.items()):
        statuses = {s: n for (op, s), n in tally.statuses.items() if op == operation}
        rows.append(
            (
                operation,
                len(times),
                len(times) / seconds,
                median(times) * 1e3,
                percentile(times, 0.95) * 1e3,
                max(times) * 1e3,
                " ".join(f"{s}×{n}" for s, n in sorted(statuses.items())),
            )
        )
    return rows


def print_phase(title: str, tally: Tally, seconds: float, client_cpu: float, server_cpu: float):
    count = sum(len(t) for t in tally.latencies.values())
    print(
        f"\n{title}: {seconds:.1f} s, {count:,} requests; CPU: server {server_cpu:.1f} s "
        f"({server_cpu / max(count, 1) * 1e3:.2f} ms a request), clients {client_cpu:.1f} s"
    )
    print(
        table(
            ["requests", "count", "per s", "p50 ms", "p95 ms", "max ms", "statuses"],
            phase_rows(tally, seconds),
        )
    )
    bad = sum(n for (_op, s), n in tally.statuses.items() if not 200 <= s < 400)
    fives = sum(n for (_op, s), n in tally.statuses.items() if s >= 500)
    errors = ", ".join(f"{k} × {n}" for k, n in tally.errors.items()) or "none"
    print(
        f"non-2xx/3xx: {bad}; 5xx: {fives}; 'database is locked' in responses: {tally.locked}; "
        f"client-side errors: {errors}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=float, default=20.0, help="seconds of each phase")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--threads", type=int, default=8, help="waitress threads")
    parser.add_argument("--units", type=int, default=10)
    parser.add_argument("--delegates", type=int, default=50)
    parser.add_argument("--profile-seconds", type=float, default=6.0)
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--profile-top", type=int, default=15, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args)
        return

    print(machine(), "at start")
    with tempfile.TemporaryDirectory(prefix="drafter-load-bench-") as folder:
        folder = Path(folder)
        db, copy, log = folder / "load.sqlite", folder / "direct.sqlite", folder / "server.log"
        world = build(db, args)
        shutil.copy(db, copy)
        server = Server(db, args.threads, log)
        try:
            workers = [
                Worker(i, HttpClient(server.port, timeout=30), rng=random.Random(i))
                for i in range(args.clients)
            ]
            names = world["delegates"]

            def sign_in(worker: Worker) -> None:
                http_login(worker.client, names[worker.number % len(names)])
                _s, _h, page = worker.client.get(
                    f"/c/{world['consultation_id']}/a/{world['articles'][0]}"
                )
                worker.token = csrf_token(page)

            started = time.perf_counter()
            parallel(workers, sign_in)
            print(
                f"{args.clients} clients signed in as {min(len(names), args.clients)} delegates "
                f"of {args.units} units in {time.perf_counter() - started:.1f} s "
                f"(waitress threads: {args.threads})"
            )

            cpu = server.cpu_seconds()
            app, app_seconds, app_client_cpu = run_phase(
                workers, world, app_iteration, args.duration
            )
            app_server_cpu = server.cpu_seconds() - cpu
            print_phase("Phase 1, the app", app, app_seconds, app_client_cpu, app_server_cpu)

            for w in workers:  # waitress accepts 100 connections by default: free them
                w.client.close()
            bare_workers = [Worker(w.number, HttpClient(server.port, timeout=30)) for w in workers]
            cpu = server.cpu_seconds()
            bare, bare_seconds, bare_client_cpu = run_phase(
                bare_workers, world, bare_iteration, args.duration
            )
            bare_server_cpu = server.cpu_seconds() - cpu
            print_phase(
                "Phase 2, baseline (a): bare WSGI 'ok' in the same waitress",
                bare,
                bare_seconds,
                bare_client_cpu,
                bare_server_cpu,
            )
            for w in bare_workers:
                w.client.close()

            app_rate = app.acknowledged / app_seconds
            bare_rate = sum(len(t) for t in bare.latencies.values()) / bare_seconds
            profile = None
            short = app_rate < TARGET_RATE or app_rate < bare_rate / 2
            if short and not args.no_profile:
                control = HttpClient(server.port)
                control.get("/__bench/profile/start")
                run_phase(workers, world, app_iteration, args.profile_seconds)
                _s, _h, profile = control.get("/__bench/profile/stop")
                control.close()
            for w in workers:
                w.client.close()
        finally:
            server.stop()

        log_text = log.read_text(errors="replace")
        direct_seconds = direct_inserts(copy, world["consultation_id"], max(1, app.acknowledged))
        direct_rate = max(1, app.acknowledged) / direct_seconds
        print(
            f"\nBaseline (b): {max(1, app.acknowledged):,} comment inserts straight into SQLite "
            f"(one BEGIN IMMEDIATE each, Store.add_comment's four statements): "
            f"{direct_seconds:.2f} s, {direct_rate:,.0f} per s"
        )
        print("\nServer log: " + (
            f"{log_text.count('Traceback')} tracebacks, "
            f"{log_text.count('database is locked')} 'database is locked', "
            f"{log_text.count('Task queue depth')} 'Task queue depth' warnings, "
            f"{len(log_text.splitlines())} lines"
        ))  # fmt: skip
        for line in [ln for ln in log_text.splitlines() if "Error" in ln or "locked" in ln][:5]:
            print(f"  {line[:160]}")

        print("\nDatabase check after the run")
        print(table(["check", "count"], verify(db, workers)))

        print("\nSummary")
        print(
            table(
                ["figure", "value"],
                [
                    ("app: acknowledged comment POSTs per s", app_rate),
                    ("app: GET article page p50 ms under load",
                     median(app.latencies.get("GET article page", [])) * 1e3),
                    ("app: GET article page p95 ms under load",
                     percentile(app.latencies.get("GET article page", []), 0.95) * 1e3),
                    ("baseline (a): bare 'ok' requests per s", bare_rate),
                    ("baseline (b): direct SQLite inserts per s", direct_rate),
                    ("ratio app POSTs / bare", f"{app_rate / bare_rate:.3f}"),
                    ("ratio app POSTs / direct SQLite", f"{app_rate / direct_rate:.4f}"),
                    ("target: 700 POSTs/s and ≥ 0.5 × bare",
                     "met" if not short else "NOT met"),
                ],
            )
        )  # fmt: skip
        if profile is not None:
            print_profile(profile.decode(errors="replace"), args)
        print(machine(), "at the end")


def print_profile(text: str, args) -> None:
    """Print the server's two profiles, paths shortened."""
    site = str(Path(sys.prefix)) + "/lib/python3.11/site-packages/"
    stdlib = str(Path(os.__file__).parent) + "/"
    for section in text.split("=== PROFILE ")[1:]:
        head, _sep, body = section.partition("\n")
        cumulative, _sep, own = body.partition("=== BY OWN TIME")
        print(
            f"\ncProfile of one waitress worker during {args.profile_seconds:g} s of the same "
            f"load, {head}; top {args.profile_top} by cumulative time"
        )
        for title, part in ((None, cumulative), ("top 10 by own time", own)):
            lines = [ln for ln in part.splitlines() if ln.strip()]
            start = next((i for i, ln in enumerate(lines) if "ncalls" in ln), 0)
            if title:
                print(f"… {title}")
            for line in lines[start:]:
                print(line.replace(str(ROOT) + "/", "").replace(site, "").replace(stdlib, ""))


if __name__ == "__main__":
    main()
