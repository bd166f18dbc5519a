"""Similar-comments benchmark: precision and recall of drafter.similar on the labelled pairs of
comments/labelled/similar-pairs.json, and the time to group 10,000 and 100,000 comments.

1. Each pair is predicted "same group" when drafter.similar.similarity reaches the threshold;
   the pairs labelled same / agree / copied should be, related / unrelated should not.  Prints
   precision, recall and F1 at thresholds 0.20–0.70 and at the chosen drafter.similar.THRESHOLD,
   beside a character n-gram TF-IDF cosine (3-grams and words, IDF over the labelled texts,
   standard library) at its own best threshold, for comparison.
2. Generates N comments (variations of the labelled texts: a unit's name in front, a word
   dropped, punctuation changed) spread over --provisions provisions, and times
   drafter.similar.group_by_provision on them (blocking by provision: one provision's comments
   are compared only with each other), then the worst case of one provision holding
   --crowded comments.

Run: `.venv/bin/python bench/similar_bench.py [--sizes 10000,100000] [--provisions N]
[--crowded N]`.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import time
from collections import Counter
from pathlib import Path

from drafter import similar

PAIRS = Path(__file__).resolve().parent.parent / "comments" / "labelled" / "similar-pairs.json"
POSITIVE = {"same", "agree", "copied"}


def load() -> list[dict]:
    return json.loads(PAIRS.read_text(encoding="utf-8"))["pairs"]


def scores(pairs: list[dict]) -> list[tuple[float, bool]]:
    return [(similar.similarity(p["a"], p["b"]), p["label"] in POSITIVE) for p in pairs]


def measure(scored: list[tuple[float, bool]], threshold: float) -> tuple[float, float, float]:
    """Return precision, recall and F1 of "score ≥ threshold" against the labels."""
    tp = sum(1 for s, y in scored if s >= threshold and y)
    fp = sum(1 for s, y in scored if s >= threshold and not y)
    fn = sum(1 for s, y in scored if s < threshold and y)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall, 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def tfidf_scores(pairs: list[dict]) -> list[tuple[float, bool]]:
    """Character 3-gram + word TF-IDF cosine (IDF over the labelled texts), agree formulas
    handled as drafter.similar does: the comparison baseline."""
    texts = sorted({p["a"] for p in pairs} | {p["b"] for p in pairs})

    def features(text: str) -> Counter[str]:
        if similar.is_agree_formula(text):
            return Counter({"\x00agree": 1})
        words = similar.normalize(text).split()
        counted = Counter(words)
        for word in words:
            padded = f" {word} "
            counted.update(padded[i : i + 3] for i in range(len(padded) - 2))
        return counted

    feats = {t: features(t) for t in texts}
    df: Counter[str] = Counter()
    for f in feats.values():
        df.update(set(f))
    n = len(texts)
    vectors = {}
    for text, f in feats.items():
        v = {k: (1 + math.log(c)) * (math.log((n + 1) / (df[k] + 1)) + 0.01) for k, c in f.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        vectors[text] = {k: x / norm for k, x in v.items()}
    return [
        (
            sum(x * vectors[p["b"]].get(k, 0.0) for k, x in vectors[p["a"]].items()),
            p["label"] in POSITIVE,
        )
        for p in pairs
    ]


def quality() -> None:
    pairs = load()
    print(f"labelled pairs: {len(pairs)} {dict(Counter(p['label'] for p in pairs))}")
    scored = scores(pairs)
    print("threshold  precision  recall   F1")
    for t in [x / 100 for x in range(20, 71, 5)]:
        p, r, f = measure(scored, t)
        print(f"  {t:.2f}      {p:.3f}     {r:.3f}   {f:.3f}")
    p, r, f = measure(scored, similar.THRESHOLD)
    print(
        f"drafter.similar at THRESHOLD {similar.THRESHOLD}: precision {p:.3f}, "
        f"recall {r:.3f}, F1 {f:.3f}"
    )
    for label in ("same", "related", "unrelated", "agree", "copied"):
        got = [s for (s, _y), q in zip(scored, pairs, strict=True) if q["label"] == label]
        hits = sum(1 for s in got if s >= similar.THRESHOLD)
        print(
            f"  {label:9} {hits:3}/{len(got):3} grouped, median score {sorted(got)[len(got) // 2]:.2f}"
        )
    copied = [(similar.is_copied(q["a"], q["b"]), q["label"] == "copied") for q in pairs]
    print(
        f"copied wording: {sum(1 for c, y in copied if c and y)}/{sum(1 for _c, y in copied if y)}"
        f" copied pairs marked, {sum(1 for c, y in copied if c and not y)} other pairs marked"
    )
    tfidf = tfidf_scores(pairs)
    best = max((measure(tfidf, t / 100)[2], t / 100) for t in range(5, 95))
    p, r, f = measure(tfidf, best[1])
    print(
        f"TF-IDF cosine (char 3-grams + words) at its best threshold {best[1]:.2f}: "
        f"precision {p:.3f}, recall {r:.3f}, F1 {f:.3f}"
    )


def variants(rng: random.Random, count: int) -> list[tuple[str, str]]:
    """Return `count` (text, kind) comments varied from the labelled texts."""
    pairs = load()
    base = sorted({p["a"] for p in pairs} | {p["b"] for p in pairs})
    out = []
    for _ in range(count):
        text = rng.choice(base)
        words = text.split()
        roll = rng.random()
        if roll < 0.3 and len(words) > 6:
            del words[rng.randrange(len(words))]
        elif roll < 0.5:
            words.insert(0, rng.choice(["Tỉnh ủy", "Thành ủy", "Đơn vị", "Bộ"]))
        text = " ".join(words)
        out.append((text, "agree" if rng.random() < 0.05 else "comment"))
    return out


def timing(sizes: list[int], provisions: int, crowded: int) -> None:
    rng = random.Random(14)
    for size in sizes:
        made = variants(rng, size)
        items = [(i, f"p{rng.randrange(provisions)}", t, k) for i, (t, k) in enumerate(made)]
        start = time.perf_counter()
        grouped = similar.group_by_provision(items)
        took = time.perf_counter() - start
        groups = sum(len(g) for g in grouped.values())
        print(
            f"{size:>7} comments over {provisions} provisions: {took:.2f} s "
            f"({groups} groups, {size / max(took, 1e-9):,.0f} comments/s)"
        )
    made = variants(rng, crowded)
    start = time.perf_counter()
    groups = similar.group([(i, t, k) for i, (t, k) in enumerate(made)])
    print(
        f"worst case, one provision with {crowded} comments: "
        f"{time.perf_counter() - start:.2f} s ({len(groups)} groups)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--provisions", type=int, default=1000)
    parser.add_argument("--crowded", type=int, default=2000)
    args = parser.parse_args()
    quality()
    timing([int(s) for s in args.sizes.split(",")], args.provisions, args.crowded)


if __name__ == "__main__":
    main()
