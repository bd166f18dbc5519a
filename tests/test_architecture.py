"""The layer rules of docs/architecture.md, checked on the source so that they stay true."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "drafter"
MODULES = sorted(PACKAGE.rglob("*.py"))


def _imports(path: Path) -> set[str]:
    """Return the absolute names a module imports (relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1])
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                names.add(".".join([*base, node.module] if node.module else base))
            else:
                names.add(node.module or "")
    return names


def _inside(path: Path, folder: str) -> bool:
    return (PACKAGE / folder) in path.parents


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_layer_rules(path):
    imports = _imports(path)
    source = path.read_text(encoding="utf-8")
    if not _inside(path, "storage"):
        assert "sqlite3" not in imports, "only drafter/storage talks to the database"
        assert not re.search(r"\.execute(many)?\(", source), "SQL outside drafter/storage"
    if not _inside(path, "docx"):
        assert not {i for i in imports if i == "docx" or i.startswith(("docx.", "lxml"))}, (
            "only drafter/docx touches python-docx and lxml"
        )
    core = path.name in ("model.py", "errors.py") or path.name.startswith("model_")
    if core and path.parent == PACKAGE:
        assert not {i for i in imports if i.startswith("drafter")}, "the core imports nothing"
    if _inside(path, "web"):
        # Views call use cases; they never write to the store or open a transaction.
        writes = re.findall(r"store\.(add|create|set|delete|revise|withdraw|close|invite|"
                            r"use|revoke|end)_\w+\(|\.transaction\(\)", source)  # fmt: skip
        assert not writes, f"a view writes to the store: {writes}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_modules_stay_small(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= 450, f"{lines} lines: split it by concern"
