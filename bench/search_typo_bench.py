"""The correction of typos in search (drafter/spelling.py), measured: how often it finds the
intended words, and what it costs at scale on PostgreSQL (pg_trgm) and SQLite (FTS5's
vocabulary), against the plain search it follows.

Builds `drafter demo --scale N` in a private PostgreSQL server (tests/pg_server.py) and, with
--sqlite, in a SQLite file; then for each of the typo queries below (written by hand: letters
swapped, missing, added or changed; missing diacritics are NOT typos and are listed apart, to
show they match as typed): the plain search (finds nothing), the correction, the search of
the corrected words (up to four corrections in turn, as organizing.search does).  Prints precision (corrected to the intended words / typo queries),
corrections that went wrong, and p50/p95 times in ms.  Figures only: nothing is asserted.

Run: `.venv/bin/python bench/search_typo_bench.py [--comments 100000] [--units 20] [--sqlite]`.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from _common import percentile, table  # noqa: E402

from drafter import spelling  # noqa: E402
from drafter.storage import open_store  # noqa: E402
from tests.pg_server import Server as PgServer  # noqa: E402

#: (typed, intended): typos of words of the sample drafts and of the generated comments.
TYPOS = [
    ("quy ceh", "quy che"),
    ("qy che", "quy che"),
    ("quyy dinh", "quy dinh"),
    ("qui dinh", "quy dinh"),
    ("thamm quyen", "tham quyen"),
    ("tham quyne", "tham quyen"),
    ("trahc nhiem", "trach nhiem"),
    ("trach nhiemm", "trach nhiem"),
    ("trach nhem", "trach nhiem"),
    ("de nghi bo xung", "de nghi bo sung"),
    ("de ngi bo sung", "de nghi bo sung"),
    ("ban chap hanhh", "ban chap hanh"),
    ("ban cahp hanh", "ban chap hanh"),
    ("dang doan", None),
    ("dang doann", "dang doan"),
    ("dnag uy", "dang uy"),
    ("nhiem vu quyen hna", "nhiem vu quyen han"),
    ("nhiem vuu", "nhiem vu"),
    ("chuc nagn", "chuc nang"),
    ("cuhc nang", "chuc nang"),
    ("to chuc thuc hien", None),
    ("to chuc thuc hein", "to chuc thuc hien"),
    ("thcu hien", "thuc hien"),
    ("hieu lucc thi hanh", "hieu luc thi hanh"),
    ("hieu luc thi hnah", "hieu luc thi hanh"),
    ("co quan", None),
    ("co quann", "co quan"),
    ("lien quna", "lien quan"),
    ("dieu chinh", None),
    ("dieu chnih", "dieu chinh"),
    ("sua doi bo sung", None),
    ("sua doii", "sua doi"),
    ("sau doi", "sua doi"),
    ("phap luat", None),
    ("van bn", "van ban"),
    ("phap luatt", "phap luat"),
    ("phap luta", "phap luat"),
    ("hoi dong nhan dna", "hoi dong nhan dan"),
    ("uy ban nhan dan", None),
    ("uy ban nhna dan", "uy ban nhan dan"),
]
#: Missing or wrong diacritics: found as typed, never "corrected".
ACCENTS = ["Quy chế", "quy che", "trach nhiem", "thẩm quyen", "Đảng đoàn", "dang doan"]


def build(location: str, comments: int, units: int) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "drafter", "--db", location, "demo", "--force",
         "--scale", str(comments), "--units", str(units)],
        check=True, capture_output=True, cwd=ROOT,
    )  # fmt: skip
    return time.perf_counter() - start


def fill(location: str, rows: int) -> int:
    """Copy the index rows of the stored comments until the index holds `rows` comment rows
    (the copies point at the same, submitted, comments: the search finds them); return the
    number of comment rows.  Much faster than generating them: the index, not the comments,
    is what the search and its correction read."""
    store = open_store(location)
    try:
        conn = store.conn
        have = conn.execute("SELECT count(*) FROM search_index WHERE kind = 'comment'")
        have = int(have.fetchone()[0])
        missing = rows - have
        if missing > 0 and have:
            with store.transaction():
                conn.execute(
                    "INSERT INTO search_index (rowid, body, kind, ref_id, version_id) "
                    "SELECT -10000000 - n, body, 'comment', ref_id, version_id FROM "
                    "(SELECT body, ref_id, version_id, "
                    " row_number() OVER (ORDER BY s.rowid) AS n FROM search_index s, "
                    " (WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k "
                    "  WHERE i < ?) SELECT i FROM k) AS copies "
                    " WHERE s.kind = 'comment') AS c WHERE n <= ?",
                    (missing // have + 1, missing),
                )
        return int(
            conn.execute("SELECT count(*) FROM search_index WHERE kind = 'comment'").fetchone()[0]
        )
    finally:
        store.close()


def timed(function, *args) -> tuple[float, object]:
    start = time.perf_counter()
    value = function(*args)
    return (time.perf_counter() - start) * 1000, value


def measure(location: str, repeat: int) -> dict:
    store = open_store(location)
    try:
        plain, fixing, fixed = [], [], []
        right = wrong = none = 0
        mistakes = []
        typos = [(t, e) for t, e in TYPOS if e is not None]
        for typed, intended in typos:
            for _ in range(repeat):
                ms, hits = timed(store.search, typed)
                plain.append(ms)
                ms, tried = timed(spelling.corrections, typed, store)
                fixing.append(ms)
                corrected = None
                start = time.perf_counter()
                for phrase in tried:  # as the use case does: the first that finds something
                    if store.search(phrase):
                        corrected = phrase
                        break
                fixed.append((time.perf_counter() - start) * 1000)
            if hits:
                mistakes.append(f"{typed!r} found as typed")
            if corrected == intended:
                right += 1
            elif corrected is None:
                none += 1
                mistakes.append(f"{typed!r} not corrected")
            else:
                wrong += 1
                mistakes.append(f"{typed!r} -> {corrected!r} (meant {intended!r})")
        exact = [t for t, e in TYPOS if e is None] + ACCENTS
        missing = [q for q in exact if not store.search(q)]
        return {
            "typos": len(typos),
            "right": right,
            "wrong": wrong,
            "none": none,
            "mistakes": mistakes,
            "exact_missing": missing,
            "plain": plain,
            "fixing": fixing,
            "fixed": fixed,
        }
    finally:
        store.close()


def write_cost(url: str, rows: int = 2000) -> tuple[float, float]:
    """The cost of the vocabulary on writes (PostgreSQL's trigger): ms per search_index row
    inserted (copies of stored comment bodies), with the trigger and without; rolled back."""
    store = open_store(url)
    raw = store.pg.raw  # type: ignore[attr-defined]
    try:
        bodies = [
            r[0]
            for r in raw.execute(
                "SELECT body FROM search_index WHERE kind = 'comment' LIMIT %s", (rows,)
            ).fetchall()
        ]
        costs = []
        for trigger in (True, False):
            raw.execute("BEGIN")
            if not trigger:
                raw.execute("ALTER TABLE search_index DISABLE TRIGGER search_index_words")
            start = time.perf_counter()
            for n, body in enumerate(bodies):
                raw.execute(
                    "INSERT INTO search_index (rowid, body, kind, ref_id, version_id) "
                    "VALUES (%s, %s, 'comment', %s, NULL)",
                    (-50_000_000 - n, body, 50_000_000 + n),
                )
            costs.append((time.perf_counter() - start) * 1000 / max(len(bodies), 1))
            raw.execute("ROLLBACK")
        return costs[0], costs[1]
    finally:
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--units", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--sqlite", action="store_true", help="Measure SQLite too.")
    parser.add_argument(
        "--fill",
        type=int,
        default=0,
        help="Copy the comments' index rows until the index holds this many (see fill()).",
    )
    args = parser.parse_args()
    locations: list[tuple[str, str]] = []
    pg = PgServer()
    try:
        locations.append(("postgresql", pg.fresh_database()))
        if args.sqlite:
            folder = Path(tempfile.mkdtemp(prefix="typo-bench-"))
            locations.append(("sqlite", str(folder / "drafter.sqlite")))
        results = {}
        for name, location in locations:
            seconds = build(location, args.comments, args.units)
            print(f"{name}: demo with {args.comments:,} comments built in {seconds:.0f} s")
            if args.fill:
                start = time.perf_counter()
                count = fill(location, args.fill)
                print(
                    f"{name}: search index filled to {count:,} comment rows (copies of the "
                    f"generated comments) in {time.perf_counter() - start:.0f} s"
                )
            results[name] = measure(location, args.repeat)
            if name == "postgresql":
                with_trigger, without = write_cost(location)
                print(
                    f"postgresql: one search_index row written: {with_trigger:.3f} ms with the "
                    f"vocabulary's trigger, {without:.3f} ms without "
                    f"(ratio {with_trigger / max(without, 1e-9):.2f})"
                )
    finally:
        pg.stop()
    rows = []
    for name, r in results.items():
        rows.append(
            [name, f"{r['right']}/{r['typos']}", r["wrong"], r["none"],
             f"{percentile(r['plain'], .5):.1f}", f"{percentile(r['plain'], .95):.1f}",
             f"{percentile(r['fixing'], .5):.1f}", f"{percentile(r['fixing'], .95):.1f}",
             f"{percentile(r['fixed'], .5):.1f}", f"{percentile(r['fixed'], .95):.1f}"]
        )  # fmt: skip
    print(
        table(
            [
                "backend",
                "right",
                "wrong",
                "uncorrected",
                "search p50",
                "p95",
                "correction p50",
                "p95",
                "corrected search p50",
                "p95",
            ],
            rows,
        )  # fmt: skip
    )
    for name, r in results.items():
        for mistake in r["mistakes"]:
            print(f"{name}: {mistake}")
        if r["exact_missing"]:
            print(f"{name}: not found as typed: {r['exact_missing']}")
    if len(results) == 2:
        pg_r, lite = results["postgresql"], results["sqlite"]
        ratio = percentile(pg_r["fixing"], 0.5) / max(percentile(lite["fixing"], 0.5), 1e-9)
        print(f"correction time, PostgreSQL / SQLite (p50): {ratio:.2f}")


if __name__ == "__main__":
    main()
