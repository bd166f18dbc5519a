"""Import benchmark: a generated 300-article law (~150,000 words) as DOCX and Markdown.

Prints the time to parse and to store each format in a fresh SQLite file (best of --repeat
runs, with tracemalloc OFF: tracing makes drafter 2.5-3.5x slower), then the peak Python
memory from one more, separate run with tracemalloc on (and how much slower that run was),
and, when pandoc is installed, pandoc's time to read the same DOCX as plain text, with the
ratio drafter / pandoc.
Run: `.venv/bin/python bench/import_bench.py [--articles N] [--words N] [--repeat N]`.
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import tempfile
import time
import tracemalloc
from pathlib import Path

from drafter.docx import render_version
from drafter.export_md import to_markdown
from drafter.headings import assign_keys
from drafter.importing import import_bytes
from drafter.model import VIETNAMESE_LETTERS, Node
from drafter.normalize import int_to_roman
from drafter.reading import parse_bytes
from drafter.storage import open_store

VOCABULARY = (
    "cơ quan tổ chức cá nhân có trách nhiệm thực hiện quy định này đảng đoàn ban cán sự đảng "
    "lãnh đạo chỉ đạo kiểm tra giám sát việc tổ chức thực hiện nghị quyết chỉ thị kết luận "
    "của cấp ủy cấp trên bảo đảm nguyên tắc tập trung dân chủ tập thể lãnh đạo cá nhân phụ "
    "trách theo quy định của pháp luật và điều lệ đảng trong phạm vi nhiệm vụ quyền hạn được giao"
).split()


def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(VOCABULARY) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def generate(articles: int, total_words: int, seed: int = 7) -> list[Node]:
    """Return a law of `articles` articles in 10 chapters, about `total_words` words."""
    rng = random.Random(seed)
    per_article = total_words // articles
    chapters = [
        Node("chapter", int_to_roman(i + 1), f"CHƯƠNG THỨ {i + 1} VỀ TỔ CHỨC THỰC HIỆN")
        for i in range(10)
    ]
    for number in range(1, articles + 1):
        article = Node("article", str(number), f"Trách nhiệm thực hiện số {number}")
        budget = per_article
        for k in range(1, 5):
            clause = Node("clause", str(k), text=sentence(rng, 18))
            budget -= 18
            for p in range(3 if k % 2 else 0):
                clause.children.append(Node("point", VIETNAMESE_LETTERS[p], text=sentence(rng, 14)))
                budget -= 14
            article.children.append(clause)
        article.text = sentence(rng, max(budget, 5))
        chapters[(number - 1) * 10 // articles].children.append(article)
    nodes = [Node("preamble", text="**LUẬT**\n\nVề tổ chức thực hiện"), *chapters]
    assign_keys(nodes)
    return nodes


def _run(data: bytes, name: str) -> tuple:
    """Parse `data`, then import it (parse again and store) into a fresh SQLite file; return
    (parse seconds, import seconds, the parsed tree)."""
    started = time.perf_counter()
    parsed = parse_bytes(data, name)
    parsed_at = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(Path(folder) / "bench.sqlite")
        import_bytes(store, data, name)
        store.close()
    return parsed_at - started, time.perf_counter() - parsed_at, parsed


def measure(label: str, data: bytes, name: str, repeat: int) -> float:
    """Print the times (best of `repeat` runs, tracemalloc off) and, from one more run with
    tracemalloc on, the peak Python memory and how much slower tracing made it; return the
    best import time (parse + store)."""
    parse_bytes(data, name)  # warm-up: imports, regex compilation
    runs = [_run(data, name) for _ in range(repeat)]
    parse, total = min(r[0] for r in runs), min(r[1] for r in runs)
    parsed = runs[0][2]
    tracemalloc.start()
    _parse, traced, _tree = _run(data, name)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"{label:<9} {len(data) / 1e6:6.2f} MB  parse {parse:6.3f} s  "
        f"import (parse+store) {total:6.3f} s  (best of {repeat}, tracemalloc off)  "
        f"({len(parsed.articles())} articles, {parsed.count('clause')} clauses, "
        f"{parsed.count('point')} points)"
    )
    print(
        f"{'':<9} memory, separate run with tracemalloc: peak {peak / 2**20:6.1f} MiB; "
        f"its import took {traced:6.3f} s ({traced / total:.1f}× the untraced time)"
    )
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--words", type=int, default=150_000)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per format (best)")
    args = parser.parse_args()
    nodes = generate(args.articles, args.words)
    words = sum(len(f"{n.title} {n.text}".split()) for top in nodes for n in top.walk())
    markdown = to_markdown(nodes).encode()
    docx_bytes = render_version(nodes, title="Luật thử nghiệm")
    print(f"Generated law: {args.articles} articles, {words} words.")
    measure("Markdown", markdown, "law.md", args.repeat)
    docx_time = measure("DOCX", docx_bytes, "law.docx", args.repeat)
    if shutil.which("pandoc"):
        with tempfile.NamedTemporaryFile(suffix=".docx") as handle:
            handle.write(docx_bytes)
            handle.flush()
            times = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                subprocess.run(
                    ["pandoc", "-f", "docx", "-t", "plain", handle.name],
                    check=True,
                    capture_output=True,
                )
                times.append(time.perf_counter() - started)
            pandoc = min(times)
            print(
                f"pandoc -f docx -t plain on the same DOCX: {pandoc:.3f} s (best of "
                f"{args.repeat}); drafter's DOCX import (parse+store) / pandoc: "
                f"{docx_time / pandoc:.2f}"
            )
    else:
        print("pandoc is not installed: no comparison.")


if __name__ == "__main__":
    main()
