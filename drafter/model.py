"""The document model: drafts, versions, and the tree of nodes a version is made of.

Model objects hold no connection and do no I/O.  Parsers build them, the storage layer
stores and returns them, exporters consume them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

#: Kinds that group articles.
DIVISIONS = ("part", "chapter", "section", "subsection")

#: Key prefixes for each kind, in Vietnamese as printed in Vietnamese drafts.
KEY_PREFIX = {
    "preamble": "mo-dau",
    "part": "phan",
    "chapter": "chuong",
    "section": "muc",
    "subsection": "tieu-muc",
    "article": "dieu",
    "item": "y",
    "clause": "khoan",
    "point": "diem",
    "paragraph": "doan",
    "appendix": "phu-luc",
    "closing": "ket-thuc",
}

#: Every kind of node (the storage's CHECK on node.kind lists the same).  ``appendix`` is a
#: "PHỤ LỤC" after the signature (its printed heading is its title, its body its text);
#: ``closing`` is the block after the last article (place and date, "Nơi nhận", signature).
NODE_KINDS = (
    "preamble",
    *DIVISIONS,
    "article",
    "item",
    "clause",
    "point",
    "paragraph",
    "closing",
    "appendix",
)

#: The units of comment: delegates comment article by article in a legal text, item by item
#: ("1.", "2." under the Roman parts) in a guidance text that has no "Điều".
COMMENTABLE_KINDS = ("article", "item")
#: What a comment may target: a unit of comment, or a clause (a sub-item "1.1.") or point in it.
TARGET_KINDS = (*COMMENTABLE_KINDS, "clause", "point")


def is_commentable(kind: str) -> bool:
    """Whether nodes of `kind` are units of comment (articles, or a guidance text's items)."""
    return kind in COMMENTABLE_KINDS


def unit_key(key: str) -> str | None:
    """Return the key of the unit of comment that holds node `key` ("chuong-1/dieu-3" for
    "chuong-1/dieu-3/khoan-2", "phan-2/y-1" for "phan-2/y-1/khoan-1-1"); None outside any."""
    parts = key.split("/")
    prefixes = tuple(f"{KEY_PREFIX[kind]}-" for kind in COMMENTABLE_KINDS)
    for i, part in enumerate(parts):
        if part.startswith(prefixes):
            return "/".join(parts[: i + 1])
    return None


#: Vietnamese point letters: the Latin alphabet without f, j, w, z, with đ after d.
VIETNAMESE_LETTERS = [
    "a",
    "b",
    "c",
    "d",
    "đ",
    "e",
    "g",
    "h",
    "i",
    "k",
    "l",
    "m",
    "n",
    "o",
    "p",
    "q",
    "r",
    "s",
    "t",
    "u",
    "v",
    "x",
    "y",
]
#: The Latin sequence, as Word's automatic lower-letter numbering and English texts use it.
LATIN_LETTERS = list("abcdefghijklmnopqrstuvwxyz")


@dataclass
class Node:
    """One element of a version's tree: a chapter, an article, a clause, a point…

    ``number`` is the number as printed ("II", "7a", "đ"); ``text`` is Markdown (bold and
    italic kept); ``key`` is the stable path key, such as ``chuong-2/dieu-7/khoan-3/diem-dd``.
    """

    kind: str
    number: str = ""
    title: str = ""
    text: str = ""
    children: list[Node] = field(default_factory=list)
    key: str = ""
    #: Where the node starts in its source ("line 41", "paragraph 12"), for messages.
    source_line: str = ""
    id: int | None = None

    def walk(self) -> Iterator[Node]:
        """Yield this node and every descendant, in document order."""
        yield self
        for child in self.children:
            yield from child.walk()

    def label(self) -> str:
        """Return the number as a reader sees it: "Chương II", "Điều 7", "3.", "đ)"."""
        return node_label(self.kind, self.number)

    def heading(self) -> str:
        """Return the label and title on one line, as a table of contents shows it (an
        appendix's title already begins with its printed label, "PHỤ LỤC I")."""
        if self.kind in ("appendix", "closing"):
            return self.title
        label = self.label()
        if self.title:
            if label.endswith("."):  # an item: "2. Nhiệm vụ"
                return f"{label} {self.title}"
            return f"{label}. {self.title}" if label else self.title
        return label

    def full_text(self) -> str:
        """Return the plain text of the node and everything below it, one line a node."""
        lines = []
        for node in self.walk():
            parts = [node.label() if node.kind in ("clause", "point") else node.heading()]
            parts.append(node.text)
            line = " ".join(p for p in parts if p)
            if line:
                lines.append(line)
        return "\n".join(lines)

    def to_dict(self) -> dict[str, object]:
        """Return the node as the documented JSON schema (kind, number, title, text, key,
        children)."""
        return {
            "kind": self.kind,
            "number": self.number,
            "title": self.title,
            "text": self.text,
            "key": self.key,
            "children": [child.to_dict() for child in self.children],
        }


def node_label(kind: str, number: str) -> str:
    """Return how a node's number is printed in a Vietnamese draft."""
    if not number:
        return ""
    return {
        "part": f"Phần {number}",
        "chapter": f"Chương {number}",
        "section": f"Mục {number}",
        "subsection": f"Tiểu mục {number}",
        "article": f"Điều {number}",
        "item": f"{number}.",
        "clause": f"{number}.",
        "point": f"{number})",
        "appendix": f"Phụ lục {number}",
    }.get(kind, number)


@dataclass
class Warning_:
    """A problem the importer noticed but could work around, with its place in the source."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


@dataclass
class ParsedDraft:
    """The result of parsing one file: the top-level nodes, a suggested title, warnings."""

    nodes: list[Node]
    title: str = ""
    warnings: list[Warning_] = field(default_factory=list)
    source: str = ""

    def walk(self) -> Iterator[Node]:
        """Yield every node of the tree, in document order."""
        for node in self.nodes:
            yield from node.walk()

    def articles(self) -> list[Node]:
        """Return every unit of comment (article, or item of a guidance text), in order."""
        return [n for n in self.walk() if is_commentable(n.kind)]

    def count(self, kind: str) -> int:
        """Return how many nodes of `kind` the tree holds."""
        return sum(1 for n in self.walk() if n.kind == kind)


@dataclass(frozen=True)
class Draft:
    """A draft regulation: the thing being consulted on, across its versions."""

    id: int
    title: str
    created_at: str
    latest_version: int = 0


@dataclass(frozen=True)
class Version:
    """One imported version of a draft."""

    id: int
    draft_id: int
    number: int
    source_name: str
    imported_at: str
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class ArticleMatch:
    """How an article of one version relates to its counterpart in the previous version.

    ``status`` is one of ``unchanged``, ``changed``, ``added`` and ``removed``;
    ``renumbered`` and ``moved`` say whether the number or the chapter/section changed.
    """

    status: str
    old_key: str | None
    new_key: str | None
    old_number: str | None
    new_number: str | None
    similarity: float
    renumbered: bool = False
    moved: bool = False


# -- consultations ------------------------------------------------------------------------

COMMENT_KINDS = ("agree", "comment", "new_wording", "delete", "add_after", "question")
#: Kinds that carry proposed text, shown as a redline.
PROPOSAL_KINDS = ("new_wording", "add_after")
ANSWER_STATUSES = ("accepted", "partly", "rejected", "noted")
UNIT_KINDS = ("province", "ministry", "organisation", "other")


@dataclass(frozen=True)
class LoginFailures:
    """Failed sign-ins within a window: for one account from one address, and from one
    address for any account, each with the time of the latest (ISO text, or None)."""

    pair: int
    pair_last: str | None
    address: int
    address_last: str | None


@dataclass(frozen=True)
class Unit:
    """A consulted body: a province, a ministry, an organisation."""

    id: int
    code: str
    name: str
    kind: str
    disabled: bool = False


@dataclass(frozen=True)
class User:
    """An account: an organizer, or a delegate of one unit (``is_lead`` may submit for it)."""

    id: int
    username: str
    display_name: str
    role: str
    unit_id: int | None
    is_lead: bool
    has_password: bool
    disabled: bool = False
    email: str | None = None
    language: str = "vi"  # of the messages sent to this account

    @property
    def is_organizer(self) -> bool:
        return self.role == "organizer"


@dataclass(frozen=True)
class Consultation:
    """A consultation on one version of a draft, open from ``opens_at`` to ``deadline``."""

    id: int
    version_id: int
    draft_id: int
    version_number: int
    draft_title: str
    title: str
    opens_at: str
    deadline: str
    closed_at: str | None
    share_submitted: bool
    created_at: str


@dataclass(frozen=True)
class Answer:
    """The organizer's answer to a comment."""

    status: str
    explanation: str
    answered_by: str
    answered_at: str
    html: str | None = None  # the explanation rendered when it was written
    published_at: str | None = None  # None: internal, units do not see it


@dataclass(frozen=True)
class Comment:
    """A unit's comment at its latest revision (``revision_id``), with its target."""

    id: int
    consultation_id: int
    unit_id: int
    unit_name: str
    node_id: int | None
    node_key: str | None
    article_key: str | None
    kind: str
    text: str
    proposed_text: str | None
    author: str
    created_at: str
    updated_at: str
    revision_id: int
    revisions: int
    withdrawn_at: str | None = None
    answer: Answer | None = None  # the latest answer (organizers see it)
    html: str | None = None  # the text rendered when this revision was written
    published_answer: Answer | None = None  # the latest published one (what the unit sees)
    by_organizer: bool = False  # entered by an organizer on the unit's behalf (paper, e-mail)


@dataclass(frozen=True)
class Submission:
    """A unit's official response (or its explicit "no comments")."""

    id: int
    unit_id: int
    submitted_by: str
    submitted_at: str
    no_comments: bool
    withdrawn_at: str | None
    items: int = 0


@dataclass(frozen=True)
class Credentials:
    """An account with its password hash (None until an invitation is used)."""

    user: User
    password_hash: str | None


@dataclass(frozen=True)
class Invitation:
    """A live invitation link (stored by the hash of its token)."""

    user_id: int
    expires_at: str
    used_at: str | None


@dataclass(frozen=True)
class UnitProgress:
    """An invited unit, its live (not withdrawn) comments and its latest submission."""

    unit: Unit
    live_comments: int
    latest: Submission | None
    deadline: str | None = None  # a later deadline for this unit only


@dataclass(frozen=True)
class Revision:
    """One revision of a comment, as its author saved it."""

    kind: str
    text: str
    proposed_text: str | None
    author: str
    created_at: str


@dataclass(frozen=True)
class PendingUpload:
    """An uploaded draft file waiting for the organizer to confirm its parsed structure."""

    id: int
    user_id: int
    draft_id: int | None
    name: str
    data: bytes
    title: str
    created_at: str


@dataclass(frozen=True)
class AuditEntry:
    """One line of the audit log: who did what, to what, and when."""

    at: str
    action: str
    target: str
    details: str
    consultation_id: int | None
    who: str | None
    username: str | None
    unit: str | None = None  # the acting delegate's unit


@dataclass(frozen=True)
class SearchHit:
    """A search result: an article (``ref_id`` is its node id) or a comment."""

    kind: str
    ref_id: int
    version_id: int | None
