"""Import cost of one very long article: does it grow linearly with the text?

A hostile or careless upload can put tens of thousands of paragraphs under one article; the
parser once rebuilt the article's text at each paragraph (1.5 MB 4 s, 5.9 MB 36 s, 18.5 MB
733 s).  This prints the parse time of 1, 4 and 16 units of text and the ratio to the
first: about 4 and 16 when linear, 16 and 256 when quadratic.  No tracemalloc.
Run: `.venv/bin/python bench/long_article_bench.py [--paragraphs N]`.
"""

from __future__ import annotations

import argparse
import time

from drafter.reading import parse_bytes


def text(paragraphs: int) -> bytes:
    body = "\n\n".join(f"Đoạn văn số {i} có vài chữ để đọc và để đếm." for i in range(paragraphs))
    return f"Điều 1. Một điều rất dài\n\n{body}\n".encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", type=int, default=5_000, help="the first size")
    args = parser.parse_args()
    base = None
    for factor in (1, 4, 16):
        data = text(args.paragraphs * factor)
        started = time.perf_counter()
        parse_bytes(data, "long.md")
        elapsed = time.perf_counter() - started
        base = base or elapsed
        print(
            f"{len(data) / 1e6:6.1f} MB  {elapsed:6.2f} s  ×{elapsed / base:5.1f} "
            f"(linear: ×{factor}, quadratic: ×{factor * factor})"
        )


if __name__ == "__main__":
    main()
