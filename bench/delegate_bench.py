"""Delegate article page benchmark: /c/<id>/a/<key> for two delegates, with and without the
other units' submitted comments shared, on the world of pages_bench.py (`drafter.scale`:
--comments comments, 50 units, every unit's response submitted but the last one's).

The delegates: one of the unit still drafting (pages_bench's), and one of the first unit
(submitted: its own comments sit among the shared ones and are left out of them).  For each
page: status, HTML size, the first request, then median and p95 of --requests requests
(Flask test client, CSRF on), and the SQL statements of one request (sqlite3's trace
callback).  With --keep PATH the database is built once into PATH (and PATH.json) and reused
by later runs, so that two versions of drafter can be timed on the same data.

Run: `PYTHONPATH=. .venv/bin/python bench/delegate_bench.py [--comments N] [--keep PATH]`.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import pages_bench
from _common import PASSWORD, csrf_token, machine, median, percentile, table

from drafter import create_app
from drafter.storage import open_store


def world_at(path: Path, args) -> dict:
    """Return the world kept at `path` (built there first when absent)."""
    kept = Path(f"{path}.json")
    if not kept.exists():
        timings: list = []
        world = pages_bench.build(path, args, timings)
        world.pop("add_comment")
        kept.write_text(json.dumps(world))
        print(f"built {args.comments:,} comments in {sum(t for _, t in timings):.0f} s")
    return json.loads(kept.read_text())


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--comments", type=int, default=25_000)
    parser.add_argument("--units", type=int, default=50)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--budget", type=float, default=60.0, help="seconds per page, at most")
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="build into (or reuse) this database file")
    args = parser.parse_args()
    print(machine(), "at start")
    with tempfile.TemporaryDirectory(prefix="drafter-delegate-bench-") as folder:
        path = args.keep or Path(folder) / "bench.sqlite"
        world = world_at(path, args)
        cid, key = world["consultation_id"], world["key"]
        app = create_app({"DATABASE": str(path), "SECRET_KEY": "bench"})  # CSRF on
        rows = []
        for username in (world["delegate_name"], "tinh001-1"):
            client = app.test_client()
            token = csrf_token(client.get("/login").data)
            client.post(
                "/login", data={"csrf_token": token, "username": username, "password": PASSWORD}
            )
            for sharing in (False, True):
                store = open_store(path, migrate=False)
                with store.transaction():
                    store.set_share_submitted(cid, sharing)
                store.close()
                pages_bench.TRACE = []
                started = time.perf_counter()
                response = client.get(f"/c/{cid}/a/{key}")
                first = time.perf_counter() - started
                statements, pages_bench.TRACE = len(pages_bench.TRACE), None
                times: list[float] = []
                while len(times) < args.requests and sum(times) < args.budget:
                    started = time.perf_counter()
                    response = client.get(f"/c/{cid}/a/{key}")
                    times.append(time.perf_counter() - started)
                rows.append(
                    (username, "yes" if sharing else "no", response.status_code,
                     len(response.data) / 1024, first * 1e3, len(times), median(times) * 1e3,
                     percentile(times, 0.95) * 1e3, statements)
                )  # fmt: skip
        print(
            f"{args.comments:,} comments; article {key}: {world['submitted_on_article']:,} "
            f"submitted comments of other units, {world['own_on_article']} drafts of "
            f"{world['delegate_name']}'s unit"
        )
        headers = ["delegate", "shared", "status", "KiB", "first ms", "requests", "median ms"]
        print(table([*headers, "p95 ms", "statements"], rows))
    print(machine(), "at the end")


if __name__ == "__main__":
    sys.exit(main())
