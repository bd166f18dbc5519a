"""Diff benchmark: drafter.diff.word_diff against difflib on realistic article texts.

Builds 1,000 pairs of Vietnamese article texts (150–400 words, made of sentences of the sample
draft drafts/quy-dinh-dang-doan-v1.md, with "1." clauses and "a)" points), the new text having
a handful (2–8) of word edits, and times per pair:

- drafter.diff.word_diff (diff-match-patch on words mapped to characters), and
- difflib.SequenceMatcher(None, old_words, new_words, autojunk=False).get_opcodes() on the
  same words and punctuation marks (without word_diff's runs-of-spaces tokens: with them,
  autojunk=False makes difflib quadratic on the thousands of identical " " tokens), and
- drafter.diff.similarity (difflib's ratio on lower-cased words: what version matching uses),

printing the median, p95 and total of each, the ratio, and how many words each marks as
changed.  Then one long case (20,000 words with 500 edits by default) and a few sizes in
between: word_diff's time and whether it degraded (its diff-match-patch run reached the
timeout, so it returns "delete everything, insert everything"), against difflib.

Run: `.venv/bin/python bench/diff_bench.py [--pairs N] [--long-words N] [--long-edits N]
[--timeout S] [--repeats N]`.
"""

from __future__ import annotations

import argparse
import random
import re
import time
from difflib import SequenceMatcher
from pathlib import Path

from _common import edit_words, machine, median, percentile, table

from drafter.diff import similarity, word_diff
from drafter.model import VIETNAMESE_LETTERS

SAMPLE = Path(__file__).resolve().parent.parent / "drafts" / "quy-dinh-dang-doan-v1.md"
TOKENS = re.compile(r"\w+|\s+|[^\w\s]")  # the tokens word_diff compares
WORDS = re.compile(r"\w+|[^\w\s]")  # the same without the runs of spaces, for difflib


def sentences() -> list[str]:
    """Return the clause-sized sentences of the sample draft (no headings, no labels)."""
    text = SAMPLE.read_text(encoding="utf-8")
    out = []
    for line in text.splitlines():
        line = re.sub(r"^(\d+\.|[a-zđ]\)|-)\s+", "", line.strip()).replace("*", "")
        if not line or line.startswith("#") or len(line.split()) < 8:
            continue
        out.extend(s.strip() for s in re.split(r"(?<=[;.:])\s+", line) if len(s.split()) >= 6)
    return out


def article_text(rng: random.Random, pool: list[str], words: int) -> str:
    """Return an article body of about `words` words: clauses "1." with points "a)"."""
    lines, count, clause = [], 0, 0
    while count < words:
        clause += 1
        sentence = rng.choice(pool)
        lines.append(f"{clause}. {sentence}")
        count += len(sentence.split())
        for p in range(rng.choice((0, 0, 2, 3))):
            if count >= words:
                break
            sentence = rng.choice(pool)
            lines.append(f"{VIETNAMESE_LETTERS[p]}) {sentence}")
            count += len(sentence.split())
    return "\n".join(lines)


def changed_tokens_dmp(changes) -> int:
    return sum(len(WORDS.findall(c.text)) for c in changes if c.op != "equal")


def changed_tokens_difflib(opcodes) -> int:
    return sum((i2 - i1) + (j2 - j1) for op, i1, i2, j1, j2 in opcodes if op != "equal")


def degraded(changes, old: str, new: str) -> bool:
    """True when the diff is "delete all, insert all" although the texts share words."""
    return not any(c.op == "equal" for c in changes) and bool(set(old.split()) & set(new.split()))


def run_difflib(old: str, new: str):
    return SequenceMatcher(
        None, WORDS.findall(old), WORDS.findall(new), autojunk=False
    ).get_opcodes()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pairs", type=int, default=1_000)
    parser.add_argument("--long-words", type=int, default=20_000)
    parser.add_argument("--long-edits", type=int, default=500)
    parser.add_argument(
        "--timeout", type=float, default=2.0, help="word_diff's timeout (its default: 2 s)"
    )
    parser.add_argument("--repeats", type=int, default=3, help="word_diff runs per long case")
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    pool = sentences()
    print(machine(), "at start")

    pairs = []
    for _ in range(args.pairs):
        old = article_text(rng, pool, rng.randint(150, 400))
        pairs.append((old, edit_words(rng, old, rng.randint(2, 8))))
    words = [len(old.split()) for old, _ in pairs]
    print(
        f"{len(pairs):,} pairs from {len(pool)} sentences of {SAMPLE.name}: "
        f"{min(words)}–{max(words)} words (median {median(words):.0f}), 2–8 word edits each"
    )
    word_diff(*pairs[0])  # warm-up
    run_difflib(*pairs[0])
    dmp_times, difflib_times, ratio_times = [], [], []
    dmp_changed, difflib_changed, dmp_degraded = 0, 0, 0
    for old, new in pairs:
        started = time.perf_counter()
        changes = word_diff(old, new, timeout=args.timeout)
        middle = time.perf_counter()
        opcodes = run_difflib(old, new)
        done = time.perf_counter()
        similarity(old, new)
        ratio_times.append(time.perf_counter() - done)
        dmp_times.append(middle - started)
        difflib_times.append(done - middle)
        dmp_changed += changed_tokens_dmp(changes)
        difflib_changed += changed_tokens_difflib(opcodes)
        dmp_degraded += degraded(changes, old, new)

    def row(label, times, changed):
        return (
            label,
            median(times) * 1e3,
            percentile(times, 0.95) * 1e3,
            max(times) * 1e3,
            sum(times),
            changed / len(pairs) if changed is not None else "—",
        )

    print(
        table(
            ["per pair", "median ms", "p95 ms", "max ms", "total s", "changed words/pair"],
            [
                row("drafter.diff.word_diff", dmp_times, dmp_changed),
                row("difflib SequenceMatcher.get_opcodes", difflib_times, difflib_changed),
                row("drafter.diff.similarity (ratio)", ratio_times, None),
            ],
        )
    )
    print(
        f"ratio word_diff / difflib get_opcodes: median {median(dmp_times) / median(difflib_times):.2f}×, "
        f"total {sum(dmp_times) / sum(difflib_times):.2f}×; "
        f"word_diff degraded on {dmp_degraded} of {len(pairs)} pairs\n"
    )

    # Long texts: where word_diff reaches its timeout and gives up.
    sizes = sorted({2_000, 5_000, 10_000, args.long_words})
    rows = []
    for size in sizes:
        edits = max(1, round(args.long_edits * size / args.long_words))
        old = article_text(rng, pool, size)
        new = edit_words(rng, old, edits)
        runs = []
        for _ in range(args.repeats):
            started = time.perf_counter()
            changes = word_diff(old, new, timeout=args.timeout)
            runs.append((time.perf_counter() - started, degraded(changes, old, new), changes))
        started = time.perf_counter()
        opcodes = run_difflib(old, new)
        difflib_seconds = time.perf_counter() - started
        times = [t for t, _, _ in runs]
        bad = sum(d for _, d, _ in runs)
        rows.append(
            (
                f"{len(old.split()):,} words, {edits} edits",
                len(TOKENS.findall(old)),
                min(times),
                max(times),
                f"{bad} of {len(runs)}" + (" (delete all / insert all)" if bad else ""),
                changed_tokens_dmp(runs[-1][2]),
                difflib_seconds,
                changed_tokens_difflib(opcodes),
            )
        )
    print(
        f"Long texts (word_diff timeout {args.timeout:g} s, {args.repeats} runs each; "
        "changed words of the last run)"
    )
    print(
        table(
            [
                "case",
                "dmp tokens",
                "word_diff min s",
                "max s",
                "degraded runs",
                "changed words",
                "difflib s",
                "difflib changed",
            ],
            rows,
        )
    )
    print(machine(), "at the end")


if __name__ == "__main__":
    main()
