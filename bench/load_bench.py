"""Load benchmark: the write path (a delegate's comment POST) on the real server, 1 and N
worker processes, against the bare endpoint of the same server set-up.

Builds, in a temporary SQLite file, the consultation of `drafter demo --scale` (drafter.scale:
--stored comments already submitted, 50 units) and --clients more delegates of units still
drafting, each of whom posts comments.  For each --workers value it starts the server in a
subprocess (this file with --serve: the real app, CSRF on, plus a bare WSGI "ok" at
/__bench/ok; waitress for 1 worker, gunicorn --workers N × --threads T otherwise, as
`drafter serve` runs them) and runs the clients in --procs client PROCESSES (multiprocessing,
each with its share of keep-alive http.client threads), so that the clients' GIL is not the
bottleneck.  Three phases of --duration seconds each:

- bare: every client GETs /__bench/ok (the server's ceiling on this machine);
- flask: every client GETs /__bench/flask, a view of the drafter app that returns "ok" (Flask,
  Werkzeug and drafter's request hooks; no session, no database): what any Flask app costs;
- app: every client POSTs comments (CSRF token, session cookie) and never reads the page it is
  sent to (the write path alone).

Prints, per phase: requests/s, p50/p95 latency, statuses, the server's CPU per request (user +
system time of the server's processes from /proc, over the phase) and, on PostgreSQL, the
database server's (every process named postgres on this machine); then the ratios app/bare and
app/flask and the targets of issue 13 beside the figures (comment POST server CPU ≤ 2 ms;
≥ 400 acknowledged POSTs/s with 2 workers; ≥ 0.5 of bare); last, a check in the database that
every acknowledged comment is there exactly once.

Run: `.venv/bin/python bench/load_bench.py [--workers 1,2] [--threads 8] [--clients 48]
[--procs 4] [--duration 10] [--stored 1000]`.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

from _common import PASSWORD, HttpClient, csrf_token, http_login, machine, percentile, table

ROOT = Path(__file__).resolve().parent.parent
TARGET_CPU_MS = 2.0
TARGET_RATE = 400.0  # acknowledged comment POSTs/s with 2 workers
TARGET_RATIO = 0.5  # of the bare endpoint, same server set-up
MARKER = re.compile(r"\[bench (p\d+-c\d+-n\d+)\]")


# -- the server -----------------------------------------------------------------------------------
def serve(args) -> None:
    """Serve drafter plus /__bench/ok; print the port; run until SIGTERM."""
    import socket

    from drafter import create_app
    from drafter.cli.serving import run_gunicorn

    app = create_app(
        {"DATABASE": args.db, "SECRET_KEY": "load-bench", "BASE_URL": "http://x",
         "COMMENT_QUOTA": 10**9}
    )  # fmt: skip
    app.add_url_rule("/__bench/flask", "bench_flask", lambda: "ok")

    def dispatch(environ, start_response):
        if environ.get("PATH_INFO") == "/__bench/ok":
            start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
            return [b"ok"]
        return app(environ, start_response)

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    print(f"PORT {port}", flush=True)
    if args.workers > 1:
        run_gunicorn(app, "127.0.0.1", port, args.workers, args.threads, wsgi=dispatch)
        return
    from waitress import serve as waitress_serve

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    waitress_serve(dispatch, host="127.0.0.1", port=port, threads=args.threads, _quiet=True)


class Server:
    def __init__(self, db: Path | str, workers: int, threads: int, log: Path) -> None:
        self.workers = workers
        self.log_handle = log.open("w")
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--serve", "--db", str(db), "--workers", str(workers),
             "--threads", str(threads)],
            stdout=subprocess.PIPE, stderr=self.log_handle, text=True, start_new_session=True,
        )  # fmt: skip
        line = self.process.stdout.readline()
        if not line.startswith("PORT "):
            self.stop()
            raise RuntimeError(f"the server did not start; see {log}")
        self.port = int(line.split()[1])
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if HttpClient(self.port).get("/__bench/ok")[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("the server did not answer")

    def pids(self) -> list[int]:
        out = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(self.process.pid)], capture_output=True, text=True
        ).stdout.split()
        return [self.process.pid, *map(int, out)]

    def cpu_seconds(self) -> float:
        return sum(cpu_of(pid) for pid in self.pids())

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log_handle.close()


# -- the world ------------------------------------------------------------------------------------
def build(path: Path, args) -> dict:
    from _common import add_units

    from drafter import scale
    from drafter.importing import import_file
    from drafter.storage import open_store

    store = open_store(path)
    v1 = import_file(store, ROOT / "drafts" / "quy-dinh-dang-doan-v1.md")
    with store.transaction():
        organizer = store.create_user(
            "organizer", "Ban Tổ chức", "organizer", password_hash=None, now="2026-01-01T00:00:00"
        )
    built = scale.build_consultation(
        store, v1.version.id, organizer, comments=args.stored, units=50, password=PASSWORD
    )
    units = add_units(store, max(1, args.clients // 4), 4, prefix="load")  # 4 delegates a unit
    with store.transaction():
        for unit_id, _name, _users in units:
            store.invite_unit(built.consultation_id, unit_id, now="2026-01-01T00:00:00+00:00")
    places = [n.key for n, _a in scale.places(store.get_tree(v1.version.id))]
    store.close()
    return {
        "consultation_id": built.consultation_id,
        "delegates": [name for _u, _n, users in units for _id, name in users][: args.clients],
        "places": places,
    }


# -- the clients (in client processes) ------------------------------------------------------------
def client_process(number, port, world, duration, phase, ready, start, results) -> None:
    """Sign in this process's delegates, wait for `start`, run `phase` for `duration`
    seconds from as many threads, put (latencies, statuses, acknowledged markers) on
    `results`."""
    names = world["delegates"]
    latencies: list[float] = []
    statuses: Counter = Counter()
    acked: list[str] = []
    lock = threading.Lock()
    clients = []
    for name in names:
        client = HttpClient(port)
        token = ""
        if phase == "app":
            http_login(client, name)
            page = client.get(f"/c/{world['consultation_id']}/a/{world['places'][0]}")[2]
            token = csrf_token(page)
        clients.append((name, client, token))
    ready.put(number)
    start.wait()
    stop_at = time.perf_counter() + duration

    def run(slot: int, client: HttpClient, token: str) -> None:
        n = 0
        own_lat, own_status, own_acked = [], Counter(), []
        while time.perf_counter() < stop_at:
            n += 1
            began = time.perf_counter()
            try:
                if phase in ("bare", "flask"):
                    status = client.get(f"/__bench/{'ok' if phase == 'bare' else 'flask'}")[0]
                else:
                    marker = f"p{world['run']}{number}-c{slot}-n{n}"
                    key = world["places"][n % len(world["places"])]
                    status = client.post(
                        f"/c/{world['consultation_id']}/comments",
                        {"csrf_token": token, "target": key, "kind": "comment",
                         "text": f"Đề nghị làm rõ quy định này. [bench {marker}]"},
                    )[0]  # fmt: skip
                    if status == 302:
                        own_acked.append(marker)
            except OSError as exc:
                status = type(exc).__name__
                client.close()
            own_lat.append(time.perf_counter() - began)
            own_status[status] += 1
        with lock:
            latencies.extend(own_lat)
            statuses.update(own_status)
            acked.extend(own_acked)

    threads = [
        threading.Thread(target=run, args=(slot, client, token))
        for slot, (_name, client, token) in enumerate(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    results.put((latencies, dict(statuses), acked))


def cpu_of(pid: int | str) -> float:
    """Return a process's user + system CPU seconds so far (0 once it is gone)."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def database_cpu_seconds() -> float:
    """Return the CPU time of every process named postgres on this machine (the database
    server of a --pg URL on this machine; 0 when there is none)."""
    total = 0.0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/comm") as handle:
                named = handle.read().startswith("postgres")
        except OSError:
            continue
        total += cpu_of(pid) if named else 0.0
    return total


def run_phase(server: Server, world: dict, args, phase: str) -> dict:
    context = multiprocessing.get_context("fork")
    start = context.Event()
    ready = context.Queue()
    results = context.Queue()
    shares = [world["delegates"][i :: args.procs] for i in range(args.procs)]
    processes = [
        context.Process(
            target=client_process,
            args=(
                i,
                server.port,
                {**world, "delegates": share, "run": server.workers},
                args.duration,
                phase,
                ready,
                start,
                results,
            ),
        )  # fmt: skip
        for i, share in enumerate(shares)
        if share
    ]
    for process in processes:
        process.start()
    for _process in processes:  # every client signed in (scrypt) before the clock starts
        ready.get(timeout=300)
    cpu_before, database_before = server.cpu_seconds(), database_cpu_seconds()
    started = time.perf_counter()
    start.set()
    collected = [results.get(timeout=args.duration + 120) for _ in processes]
    seconds = time.perf_counter() - started
    cpu = server.cpu_seconds() - cpu_before
    database_cpu = database_cpu_seconds() - database_before
    for process in processes:
        process.join(timeout=30)
    latencies = [x for c in collected for x in c[0]]
    statuses: Counter = Counter()
    for c in collected:
        statuses.update(c[1])
    acked = [m for c in collected for m in c[2]]
    count = len(latencies)
    ok = acked if phase == "app" else [1] * statuses.get(200, 0)
    return {
        "phase": phase, "requests": count, "ok": len(ok), "rate": len(ok) / seconds,
        "p50": percentile(latencies, 0.5) * 1000, "p95": percentile(latencies, 0.95) * 1000,
        "cpu_ms": cpu / max(1, count) * 1000, "statuses": dict(statuses), "acked": acked,
        "database_cpu_ms": database_cpu / max(1, count) * 1000,
        "seconds": seconds,
    }  # fmt: skip


def copy_to_postgres(db: Path, url: str) -> str:
    """Copy the built SQLite world into a new database on the PostgreSQL server of `url`
    (drafter copy-db's code: counts and checksums checked) and return the new one's URL."""
    import psycopg

    from drafter.storage import open_store
    from drafter.storage.postgres import transfer

    name = f"load_{os.getpid()}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")
    head, _, query = url.partition("?")
    target = f"{head.rsplit('/', 1)[0]}/{name}" + (f"?{query}" if query else "")
    store = open_store(target)
    try:
        transfer.copy_from_sqlite(db, store)  # type: ignore[arg-type]
    finally:
        store.close()
    return target


def verify(db: Path | str, acked: list[str]) -> tuple[int, int, int]:
    """Return (acknowledged, found once, found more than once) by their markers."""
    if str(db).startswith("postgresql://"):
        import psycopg

        conn = psycopg.connect(str(db))
    else:
        import sqlite3

        conn = sqlite3.connect(db)  # type: ignore[assignment]
    found = Counter()
    for (text,) in conn.execute("SELECT text FROM comment_revision WHERE text LIKE '%[bench %'"):
        match = MARKER.search(text)
        if match:
            found[match.group(1)] += 1
    conn.close()
    return len(acked), sum(1 for m in acked if found[m] == 1), sum(1 for m in acked if found[m] > 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--workers", default="1,2", help="server processes to try, e.g. 1,2")
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--clients", type=int, default=48)
    parser.add_argument("--procs", type=int, default=4, help="client processes")
    parser.add_argument("--duration", type=float, default=10)
    parser.add_argument("--stored", type=int, default=1000, help="comments stored beforehand")
    parser.add_argument(
        "--pg", metavar="URL", help="also on PostgreSQL: a server's URL (a new database is made)"
    )
    args = parser.parse_args()
    if args.serve:
        args.workers = int(args.workers)
        serve(args)
        return
    print(machine())
    folder = Path(tempfile.mkdtemp(prefix="drafter-load-"))
    db = folder / "load.sqlite"
    started = time.perf_counter()
    world = build(db, args)
    print(f"built: {args.stored:,} stored comments, {len(world['delegates'])} posting delegates "
          f"in {time.perf_counter() - started:.1f} s ({db})")  # fmt: skip
    rows: list[tuple] = []
    acked_all: dict[str, list[str]] = {}
    backends: list[tuple[str, Path | str]] = [("SQLite", db)]
    if args.pg:
        backends.append(("PostgreSQL", copy_to_postgres(db, args.pg)))
    for (backend, location), workers in [
        (b, int(w)) for b in backends for w in args.workers.split(",")
    ]:
        server = Server(location, workers, args.threads, folder / f"server-{backend}-{workers}.log")
        try:
            bare = run_phase(server, world, args, "bare")
            flask = run_phase(server, world, args, "flask")
            app = run_phase(server, world, args, "app")
        finally:
            server.stop()
        acked_all.setdefault(backend, []).extend(app["acked"])
        kind = "waitress" if workers == 1 else "gunicorn"
        for result in (bare, flask, app):
            rows.append((
                backend, f"{workers} × {args.threads} ({kind})", result["phase"], result["ok"],
                result["rate"], result["p50"], result["p95"], result["cpu_ms"],
                f"{result['database_cpu_ms']:.2f}" if backend == "PostgreSQL" else "—",
                result["rate"] / bare["rate"], result["rate"] / flask["rate"],
                ", ".join(f"{k}: {v}" for k, v in sorted(result["statuses"].items(), key=str)),
            ))  # fmt: skip
        print(f"  {backend}, {workers} worker(s) done; load average {os.getloadavg()[0]:.2f}")
    print()
    print(table(
        ["database", "server", "phase", "ok", "per s", "p50 ms", "p95 ms", "server CPU ms/req",
         "database CPU ms/req", "of bare", "of flask", "statuses"], rows,
    ))  # fmt: skip
    print()
    print(f"Targets (issue 13): comment POST server CPU ≤ {TARGET_CPU_MS} ms; ≥ {TARGET_RATE:.0f} "
          f"acknowledged POSTs/s with 2 workers, 0 errors; ≥ {TARGET_RATIO} of the bare endpoint "
          "on the same server set-up.  (\"of flask\": against a Flask view that does nothing,"
          " in the same app.)")  # fmt: skip
    for backend, location in backends:
        acked, once, twice = verify(location, acked_all.get(backend, []))
        print(
            f"Database check, {backend}: {acked} acknowledged comments, {once} found exactly "
            f"once, {twice} more than once, {acked - once - twice} missing."
        )
    print(machine())


if __name__ == "__main__":
    main()
