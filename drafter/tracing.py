"""Answers traced into a later version: is each proposal's wording in the new text?

Pure checks first (:func:`normalised`, :func:`found_in`), then the use case :func:`trace`
that follows each comment's article through the versions' article matching (the matches
stored when each version was imported) and checks its proposal against the provisions of
the matching article."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .blocks import plain_text
from .diff import word_diff
from .errors import N_, InvalidInput, NotFound
from .export_md import provision_text
from .labels import provision_name
from .model import TARGET_KINDS, Comment, Consultation, Node
from .model_trace import TRACE_STATES, Traced, trace_state
from .storage import Store

_WORDS = re.compile(r"\w+")
#: A provision's printed label at the start of a line: "Điều 7.", "4.", "đ)", "(a)".
_LABEL = re.compile(r"^\s*(?:(?:Điều|Article)\s+\w+\s*[.:]?|\d{1,3}[.)]|[a-zđ]\)|\(\w{1,3}\))\s*")


@functools.lru_cache(maxsize=8192)
def normalised(text: str) -> str:
    """Return `text` as its words only: Markdown marks, labels at the start of lines,
    punctuation and case dropped, one space between words (and one at each end, so that
    a containment test matches whole words).  Remembered: the new version's provisions are
    normalised again for each comment on their article."""
    words: list[str] = []
    for line in text.replace("\r\n", "\n").split("\n"):
        words.extend(_WORDS.findall(_LABEL.sub("", plain_text(line)).lower()))
    return " " + " ".join(words) + " " if words else ""


def inserted_words(consulted: str, proposed: str) -> list[str]:
    """Return the stretches of words a proposal adds to the consulted text (word diff),
    each normalised; punctuation-only changes are left out."""
    stretches = [normalised(c.text) for c in word_diff(consulted, proposed) if c.op == "insert"]
    return [s for s in stretches if s]


def found_in(consulted: str, proposed: str, candidates: Sequence[tuple[str, str]]) -> str | None:
    """Return the key of the first candidate (key, text) that holds the proposal, or None.

    A candidate holds it when its normalised text contains the whole proposed wording, or
    when every stretch of words the proposal inserts into the consulted text is there at
    least as often as in the proposal (so words that were already there do not count).
    Candidates come smallest provision first, so the answer is the most precise place."""
    wanted = normalised(proposed)
    if not wanted:
        return None
    texts = [(key, normalised(text)) for key, text in candidates]
    for key, text in texts:
        if wanted in text:
            return key
    inserted = inserted_words(consulted, proposed) if consulted else []
    if not inserted:
        return None
    old = normalised(consulted)
    for key, text in texts:
        if all(text.count(s) >= wanted.count(s) and text.count(s) > old.count(s) for s in inserted):
            return key
    return None


@functools.lru_cache(maxsize=4096)
def found_cached(
    consulted: str, proposed: str, candidates: tuple[tuple[str, str], ...]
) -> str | None:
    """Return :func:`found_in`, remembered: texts never change once stored (a version and
    a comment's revision are immutable), so the dashboard and the lists reuse the diffs."""
    return found_in(consulted, proposed, candidates)


def smallest_first(article: Node, key: str | None) -> tuple[tuple[str, str], ...]:
    """Return the provisions of a new article as (key, text) to look in: the one at `key`
    first (the clause or point at the same place), then every other provision, deepest
    first, and the whole article last."""
    nodes = [n for n in article.walk() if n.kind in TARGET_KINDS]
    nodes.sort(key=lambda n: (n.key != key, -n.key.count("/")))
    return tuple((n.key, provision_text(n)) for n in nodes)


def where_name(key: str | None, version: int) -> str:
    """Return where a wording was found, as the summary table writes it: "Thể hiện tại
    Điều 5, khoản 2 của dự thảo 2"."""
    if not key:
        return ""
    return f"Thể hiện tại {provision_name(key)} của dự thảo {version}"


def document_cell(traced: Traced | None) -> str:
    """Return what the summary table's last column says of a traced comment (Vietnamese,
    as documents are): where its wording is, or why it is not checked or not there."""
    if traced is None:
        return ""
    where = where_name(traced.where, traced.version)
    return {
        "applied": where,
        "applied_rejected": f"Không tiếp thu nhưng đã {where[0].lower()}{where[1:]}"
        if where
        else "",
        "accepted_not_applied": f"Tiếp thu nhưng chưa thể hiện trong dự thảo {traced.version}",
        "rejected_not_applied": f"Không thể hiện trong dự thảo {traced.version}",
        "unanswered": "Chưa trả lời",
    }.get(traced.state, "")


@dataclass(frozen=True)
class Trace:
    """A consultation's comments traced into version `version` (None: there is no later
    version yet): each comment's trace by comment id, and how many are in each state."""

    consultation: Consultation
    version: int | None
    comments: list[Comment] = field(default_factory=list)
    items: dict[int, Traced] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    def state_of(self, comment_id: int) -> str | None:
        traced = self.items.get(comment_id)
        return traced.state if traced else None


def _key_map(store: Store, draft_id: int, start: int, end: int) -> dict[str, str | None]:
    """Return where each article of version `start` went in version `end` (None: removed),
    following the article matching stored with each version in between."""
    versions = {v.number: v for v in store.list_versions(draft_id)}
    mapping: dict[str, str | None] | None = None
    for number in range(start + 1, end + 1):
        step = {m.old_key: m.new_key for m in store.get_matches(versions[number].id) if m.old_key}
        if mapping is None:
            mapping = dict(step)
        else:
            mapping = {k: (step.get(v) if v else None) for k, v in mapping.items()}
    return mapping or {}


def later_version(store: Store, consultation: Consultation, to_version: int | None) -> int | None:
    """Return the number of the version to trace into: `to_version` (checked), or the
    latest one; None when the draft has no version after the consulted one."""
    numbers = [v.number for v in store.list_versions(consultation.draft_id)]
    if to_version is None:
        latest = max(numbers)
        return latest if latest > consultation.version_number else None
    if to_version not in numbers or to_version <= consultation.version_number:
        raise InvalidInput(
            N_("Choose a version after version %(n)s of the draft."),
            n=consultation.version_number,
        )
    return to_version


def trace_comments(
    store: Store, consultation: Consultation, comments: Iterable[Comment], to_version: int | None
) -> Trace:
    """Return `comments` traced into version `to_version` (None: the latest, if any) —
    with the answers the comments carry (units pass the published ones)."""
    comments = list(comments)
    number = later_version(store, consultation, to_version)
    if number is None:
        return Trace(consultation, None, comments)
    new_version = store.get_version(consultation.draft_id, number)
    key_map = _key_map(store, consultation.draft_id, consultation.version_number, number)
    ordered = list(store.iter_articles(new_version.id))
    articles = {a.key: a for a in ordered}
    following = {a.key: b for a, b in zip(ordered, ordered[1:], strict=False)}
    consulted: dict[str, str] = {}
    items: dict[int, Traced] = {}
    for comment in comments:
        status = comment.answer.status if comment.answer else None
        where = None
        if trace_state(comment.kind, comment.proposed_text, status, False) not in (
            "no_wording",
            "unanswered",
        ):
            new_article = articles.get(key_map.get(comment.article_key or "") or "")
            if new_article is not None and comment.node_key and comment.article_key:
                if comment.node_key not in consulted:
                    node = store.get_node(consultation.version_id, comment.node_key)
                    consulted[comment.node_key] = provision_text(node)
                same_place = new_article.key + comment.node_key[len(comment.article_key) :]
                old_text = "" if comment.kind == "add_after" else consulted[comment.node_key]
                candidates = smallest_first(new_article, same_place)
                if comment.kind == "add_after" and comment.node_key == comment.article_key:
                    # A new article proposed after this one: look in the next article too.
                    after = following.get(new_article.key)
                    candidates += smallest_first(after, None) if after else ()
                where = found_cached(old_text, comment.proposed_text or "", candidates)
        state = trace_state(comment.kind, comment.proposed_text, status, where is not None)
        items[comment.id] = Traced(comment.id, state, number, where)
    counts = {state: 0 for state in TRACE_STATES}
    for traced in items.values():
        counts[traced.state] += 1
    return Trace(consultation, number, comments, items, counts)


def trace(store: Store, consultation_id: int, to_version: int | None = None) -> Trace:
    """Return every submitted comment of a consultation traced into version `to_version`
    of the draft (the latest when None), with the organizers' latest answers."""
    consultation = store.get_consultation(consultation_id)
    if later_version(store, consultation, to_version) is None:
        # Nothing to trace into: the comments are not read (the dashboard asks on every view).
        return Trace(consultation, None)
    comments = store.list_comments(consultation_id, submitted_only=True)
    return trace_comments(store, consultation, comments, to_version)


def rows(store: Store, consultation_id: int, to_version: int | None = None) -> list[dict]:
    """Return the trace as plain rows for the CLI (text, JSON, CSV): one per submitted
    comment, in document order."""
    traced = trace(store, consultation_id, to_version)
    if traced.version is None:
        raise NotFound(N_("The draft has no version after the consulted one yet."))
    out = []
    for comment in traced.comments:
        item = traced.items[comment.id]
        out.append(
            {
                "comment_id": comment.id,
                "unit": comment.unit_name,
                "provision": comment.node_key,
                "kind": comment.kind,
                "answer": comment.answer.status if comment.answer else None,
                "state": item.state,
                "version": item.version,
                "where": item.where,
                "where_name": where_name(item.where, item.version),
            }
        )
    return out
