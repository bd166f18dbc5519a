"""The documents found in one file, and how they become one tree.

A file may hold more than one document: a decision and the regulation it issues, each with
its preamble, articles, closing block and appendices.  The last document with articles is the
draft; the others keep their nodes under a key prefix (``quyet-dinh/dieu-1``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .blocks import Block
from .errors import N_, DraftImportError
from .headings import assign_keys, document_title, first_doc_type, used_prefixes
from .model import Node, ParsedDraft, Warning_
from .normalize import slug


@dataclass
class Segment:
    """One document of a file: a decision and the regulation it issues are two segments."""

    preamble: list[Block] = field(default_factory=list)
    nodes: list[Node] = field(default_factory=list)
    closing: list[Block] = field(default_factory=list)
    appendices: list[Node] = field(default_factory=list)
    doc_type: str = ""
    articles: int = 0
    articles_in_appendices: int = 0  # "Điều" lines of the model forms in its appendices


def assemble(segments: list[Segment], *, warnings: list[Warning_], source: str) -> ParsedDraft:
    """Return the draft the segments make, its nodes keyed; raise DraftImportError when no
    segment has an article."""
    documents = [s for s in segments if s.articles]
    if not documents:
        raise DraftImportError(
            N_("no article found (no line such as “Điều 1.” or “Article 1”)"), source=source
        )
    top: list[Node] = []
    main = documents[-1]
    for segment in segments:
        prefix = ""
        if segment is not main and segment.articles:
            prefix = slug(segment.doc_type or first_doc_type(segment.preamble) or "van-ban")
            prefix = (
                f"{prefix}-{segments.index(segment) + 1}/"
                if prefix in used_prefixes(top)
                else f"{prefix}/"
            )
        nodes = []
        if segment.preamble:
            nodes.append(
                Node(
                    "preamble",
                    text="\n\n".join(b.text for b in segment.preamble),
                    source_line=segment.preamble[0].where,
                )
            )
        nodes.extend(segment.nodes)
        if segment.closing:
            nodes.append(
                Node(
                    "closing",
                    text="\n\n".join(b.text for b in segment.closing),
                    source_line=segment.closing[0].where,
                )
            )
        nodes.extend(segment.appendices)
        assign_keys(nodes, prefix)
        top.extend(nodes)
    title = document_title(main.preamble)
    return ParsedDraft(top, title=title, warnings=warnings, source=source)
