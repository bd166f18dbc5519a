"""SQLite vs PostgreSQL: the same load on the real server (`drafter serve`, waitress,
--threads 8, in its own process) over each backend in turn.

For each backend: the consultation world of the tests (the sample draft, two invited units)
plus --delegates delegate accounts, a private PostgreSQL server started for the run (as the
tests do: tests/pg_server.py), then --clients client threads (keep-alive, signed in through
/login, CSRF on) that for --duration seconds either GET an article page (30%) or POST a
comment.  Prints acknowledged comment POSTs per second, p50/p95 of each request kind, the
server's CPU milliseconds per request, errors, and the ratio PostgreSQL / SQLite.  Figures
only: nothing is asserted.

Run: `.venv/bin/python bench/backends_bench.py [--duration S] [--clients N] [--delegates N]`.
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from _common import (  # noqa: E402
    PASSWORD_HASH,
    HttpClient,
    comment_text,
    csrf_token,
    http_login,
    machine,
    percentile,
    table,
)

from drafter.storage import open_store  # noqa: E402
from tests.consultation_fixture import build_world  # noqa: E402
from tests.pg_server import Server as PgServer  # noqa: E402

ARTICLES = ["chuong-1/dieu-1", "chuong-1/dieu-3", "chuong-2/dieu-4", "chuong-2/dieu-5"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def prepare(location: str, delegates: int) -> int:
    world = build_world(location)
    store = open_store(location)
    units = [world.units["thai-nguyen"], world.units["quang-nam"]]
    with store.transaction():
        for i in range(delegates):
            store.create_user(f"bench-{i}", f"Đại biểu {i}", "delegate", unit_id=units[i % 2],
                              password_hash=PASSWORD_HASH, now="2026-01-01T00:00:00+00:00")  # fmt: skip
    store.close()
    return world.consultation_id


def run(location: str, args) -> dict:
    cid = prepare(location, args.clients)
    port = free_port()
    env = {**os.environ, "DRAFTER_SECRET_KEY": "bench", "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen(
        [sys.executable, "-m", "drafter", "--db", location, "serve", "--port", str(port),
         "--threads", "8"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        times: dict[str, list[float]] = {"POST comment": [], "GET article page": []}
        errors = [0]
        lock = threading.Lock()
        stop = threading.Event()

        def client(number: int) -> None:
            rng = random.Random(number)
            http = HttpClient(port)
            http_login(http, f"bench-{number}")
            token = csrf_token(http.get(f"/c/{cid}/a/{ARTICLES[0]}")[2])
            ready.release()
            started.wait()
            while not stop.is_set():
                article = rng.choice(ARTICLES)
                begin = time.perf_counter()
                if rng.random() < 0.3:
                    kind, (status, _h, _b) = "GET article page", http.get(f"/c/{cid}/a/{article}")
                else:
                    form = {"csrf_token": token, "article": article, "target": article,
                            "kind": "comment", "text": comment_text(rng), "proposed_text": ""}  # fmt: skip
                    kind, (status, _h, _b) = "POST comment", http.post(f"/c/{cid}/comments", form)
                elapsed = time.perf_counter() - begin
                with lock:
                    if status in (200, 302):
                        times[kind].append(elapsed)
                    else:
                        errors[0] += 1
            http.close()

        started = threading.Event()
        ready = threading.Semaphore(0)
        threads = [threading.Thread(target=client, args=(i,)) for i in range(args.clients)]
        for thread in threads:
            thread.start()
        for _ in threads:  # every client signed in (hashing passwords is not measured)
            ready.acquire()
        cpu0, wall0 = cpu_seconds(server.pid), time.perf_counter()
        started.set()
        time.sleep(args.duration)
        stop.set()
        for thread in threads:
            thread.join()
        cpu, wall = cpu_seconds(server.pid) - cpu0, time.perf_counter() - wall0
    finally:
        server.terminate()
        server.wait(timeout=30)
    requests = sum(len(v) for v in times.values())
    return {
        "posts/s": len(times["POST comment"]) / wall,
        "post p50 ms": 1000 * percentile(times["POST comment"], 0.5),
        "post p95 ms": 1000 * percentile(times["POST comment"], 0.95),
        "page p50 ms": 1000 * percentile(times["GET article page"], 0.5),
        "page p95 ms": 1000 * percentile(times["GET article page"], 0.95),
        "server CPU ms/request": 1000 * cpu / max(requests, 1),
        "errors": errors[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=10)
    parser.add_argument("--clients", type=int, default=20)
    args = parser.parse_args()
    print(machine())
    print(f"{args.clients} clients, {args.duration:g} s per backend, waitress --threads 8\n")
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        results["SQLite"] = run(str(Path(folder) / "bench.sqlite"), args)
    pg = PgServer()
    try:
        results["PostgreSQL"] = run(pg.fresh_database(), args)
    finally:
        pg.stop()
    names = list(results["SQLite"])
    rows = [
        (name, f"{results['SQLite'][name]:.2f}", f"{results['PostgreSQL'][name]:.2f}",
         f"{results['PostgreSQL'][name] / results['SQLite'][name]:.2f}"
         if results["SQLite"][name] else "-")
        for name in names
    ]  # fmt: skip
    print(table(["measure", "SQLite", "PostgreSQL", "PostgreSQL / SQLite"], rows))


if __name__ == "__main__":
    main()
