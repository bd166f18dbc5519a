"""`export_bench.py --scale`: how the consolidated and per-unit exports grow with the comments
(not a benchmark by itself).

For each size of --sizes (default 1,000 and 5,000 comments, a fifth of them proposals) it
builds export_bench's world (300 articles, 60 units) and times exports.consolidated, and
exports.by_unit + zip_files (60 units) at the largest size, each in a new process, one at a
time.  With `--baseline REF` the same exports also run with drafter as it is at git REF
(extracted with `git archive` into a temporary folder and run in a subprocess whose
PYTHONPATH puts it first), on the same database file, so that before/after ratios come from
one run on one machine load.  Beside them it prints the figures issue 13 measured before the
change and the targets.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import machine, table

ROOT = Path(__file__).resolve().parent.parent

#: Issue 13's figures before the change (seconds, this 2-core machine) and the targets.
ISSUE = {
    ("consolidated", 1000): ("5.2", "—"),
    ("consolidated", 5000): ("86.5", "< 10"),
    ("by_unit", 5000): ("84–218", "< 30"),
}

JOB = """
import json, sys, time
from drafter import exports
from drafter.storage import open_store
name, path, consultation_id = sys.argv[1], sys.argv[2], int(sys.argv[3])
store = open_store(path, migrate=False)
started = time.perf_counter()
if name == "consolidated":
    size = len(exports.consolidated(store, consultation_id))
else:
    size = len(exports.zip_files(exports.by_unit(store, consultation_id)))
print(json.dumps({"seconds": time.perf_counter() - started, "size": size}))
"""


def run(code_dir: Path, name: str, path: Path, consultation_id: int, budget: float) -> dict:
    """Time one export with the drafter found in `code_dir`, in a new process."""
    env = {**os.environ, "PYTHONPATH": str(code_dir)}
    try:
        done = subprocess.run(
            [sys.executable, "-c", JOB, name, str(path), str(consultation_id)],
            env=env,
            cwd=code_dir,  # `python -c` puts the working folder first on sys.path
            capture_output=True,
            text=True,
            timeout=budget or None,
            check=True,
        )
    except subprocess.TimeoutExpired:
        return {"seconds": None, "note": f"stopped after {budget:g} s"}
    except subprocess.CalledProcessError as exc:
        return {"seconds": None, "note": f"failed: {exc.stderr.strip().splitlines()[-1]}"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def extract(ref: str, folder: Path) -> Path:
    """Return a folder holding drafter as it is at git `ref`."""
    folder.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", ref, "drafter"], capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder


def main(args: argparse.Namespace, build) -> None:
    sizes = sorted(int(s) for s in args.sizes.split(","))
    print(machine(), "at start")
    rows = []
    with tempfile.TemporaryDirectory(prefix="drafter-export-scale-") as folder:
        base = extract(args.baseline, Path(folder) / "baseline") if args.baseline else None
        if base is not None:
            print(f"baseline: drafter at {args.baseline}, extracted to {base}")
        for size in sizes:
            args.comments, args.proposals = size, size // 5
            path = Path(folder) / f"world-{size}.sqlite"
            started = time.perf_counter()
            consultation_id, _draft_id = build(path, args, [])
            print(f"world of {size:,} comments built in {time.perf_counter() - started:.0f} s",
                  file=sys.stderr)  # fmt: skip
            names = ["consolidated"] + (["by_unit"] if size == sizes[-1] else [])
            for name in names:
                now = run(ROOT, name, path, consultation_id, args.budget)
                before = (
                    run(base, name, path, consultation_id, args.budget)
                    if base
                    else {"seconds": None}
                )
                print(f"  {name} {size}: now {now.get('seconds')}, before {before.get('seconds')}",
                      file=sys.stderr)  # fmt: skip
                ratio = (
                    before["seconds"] / now["seconds"]
                    if before.get("seconds") and now.get("seconds")
                    else "—"
                )
                issue, target = ISSUE.get((name, size), ("—", "—"))
                label = "exports.consolidated" if name == "consolidated" else (
                    f"exports.by_unit + zip_files ({args.units} units)"
                )  # fmt: skip
                rows.append(
                    (
                        label,
                        f"{size:,}",
                        now.get("seconds") or now.get("note"),
                        before.get("seconds") or before.get("note") or "not run",
                        ratio,
                        issue,
                        target,
                    )
                )
    print(
        f"Exports by size ({args.articles} articles, {args.units} units, a fifth of the comments "
        "proposals; each export alone in a new process)"
    )
    print(
        table(
            [
                "export",
                "comments",
                "seconds now",
                f"seconds at {args.baseline or 'baseline'}",
                "before / now",
                "issue 13 (before)",
                "target",
            ],
            rows,
        )
    )
    print(machine(), "at the end")
