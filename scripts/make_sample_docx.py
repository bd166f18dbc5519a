"""Write drafts/*.docx from drafts/*.md with drafter's own DOCX writer.

Run after editing a sample draft: `.venv/bin/python scripts/make_sample_docx.py`.
The test suite checks that each committed DOCX still imports to the same tree as its .md.
"""

from __future__ import annotations

from pathlib import Path

from drafter.docx import render_version
from drafter.reading import parse_file

DRAFTS = Path(__file__).resolve().parent.parent / "drafts"


def main() -> None:
    for source in sorted(DRAFTS.glob("*.md")):
        parsed = parse_file(source)
        target = source.with_suffix(".docx")
        target.write_bytes(render_version(parsed.nodes, title=parsed.title))
        print(f"{source.name} -> {target.name}")


if __name__ == "__main__":
    main()
