"""Test helper: the text a reader gets after accepting every tracked change of a plan."""

from __future__ import annotations

from drafter.consolidate import Plan, complete


def expected_lines(paragraphs: list[tuple[str, tuple[str, ...]]], plan: Plan) -> list[str]:
    """Return the text a reader gets when accepting every change of `plan`, given the
    document's paragraphs as (plain text, keys of the provisions that own it)."""
    out: list[str] = []
    i = 0
    while i < len(paragraphs):
        text, owners = paragraphs[i]
        replaced = next(
            (
                c
                for key in owners
                for c in plan.changes.get(key, ())
                if c.kind in ("replace", "delete")
            ),
            None,
        )
        if replaced is not None:
            j = i
            while j < len(paragraphs) and replaced.key in paragraphs[j][1]:
                j += 1
            out.extend(complete(text, replaced.lines))
            i = j
        else:
            out.append(text)
            i += 1
        # Insertions after a provision come after its last paragraph.
        last_owners = paragraphs[i - 1][1]
        next_owners = paragraphs[i][1] if i < len(paragraphs) else ()
        for key in reversed(last_owners):  # the innermost provision's insertions first
            if key not in next_owners:
                out.extend(
                    line
                    for c in plan.changes.get(key, ())
                    if c.kind == "insert_after"
                    for line in c.lines
                )
    return out
