"""Similar comments grouped per provision: placed when a unit's response is submitted (in the
submission's transaction, :func:`group_submitted`), stored, and shown, split, moved and
answered at once by organizers.  Never computed on a page view.

The grouping (:mod:`drafter.similar`) only ever places comments that are not pinned: a
comment an organizer split off or moved keeps its group when new comments arrive (they join
existing groups, the pinned comments' too, or form new ones).
"""

from __future__ import annotations

from dataclasses import dataclass

from . import answering, similar
from .errors import N_, Forbidden, InvalidInput, NotFound
from .model import Comment, Consultation, Node, User, is_commentable
from .model_groups import CommentGroup, GroupMember
from .storage import Store


def _organizer(user: User) -> None:
    if not user.is_organizer:
        raise Forbidden(N_("Only organizers group comments."))


def _said(comment: Comment) -> str:
    """What a comment says, for comparing: its text and its proposed wording."""
    return " ".join(t for t in (comment.text, comment.proposed_text) if t)


def _submitted_near(store: Store, consultation_id: int, mine: list[Comment]) -> list[Comment]:
    """Return the submitted comments of every article (or the general part) of `mine`."""
    found: dict[int, Comment] = {}
    for key in sorted({c.article_key for c in mine}, key=lambda k: (k is None, k or "")):
        for comment in store.list_comments(
            consultation_id, article_key=key, general=key is None, submitted_only=True
        ):
            found[comment.id] = comment
    return list(found.values())


def _refresh_copied(
    store: Store,
    group_id: int,
    members: list[GroupMember],
    said: dict[int, Comment],
    now: str,
    fresh: set[int] | None = None,
) -> None:
    """Mark the members whose wording (nearly) repeats another unit's member as copied.
    With `fresh` (the members just placed), only pairs with a fresh member are compared and
    the others keep their mark: a unit's submission costs its own comments' comparisons, not
    the whole group's again."""
    copied = similar.copied_among(
        ((m.comment_id, said[m.comment_id].unit_id, _said(said[m.comment_id]))
         for m in members if m.comment_id in said),
        fresh=fresh,
    )  # fmt: skip
    if fresh is not None:
        copied |= {m.comment_id for m in members if m.copied and m.comment_id not in fresh}
    for member in members:
        if member.comment_id in said and (member.comment_id in copied) != member.copied:
            store.put_in_group(
                member.comment_id, group_id, pinned=member.pinned,
                copied=member.comment_id in copied, now=now,
            )  # fmt: skip


def group_submitted(store: Store, consultation_id: int, unit_id: int, *, now: str) -> None:
    """Place a unit's submitted comments in the groups of their provisions (in the caller's
    transaction): each joins the group holding its most similar submitted comment, or starts
    one.  Pinned comments stay where an organizer put them; submitted comments of the same
    provisions that have no group yet (stored before grouping existed) are placed too."""
    mine = store.list_comments(consultation_id, unit_id=unit_id, submitted_only=True)
    _place(store, consultation_id, mine, unit_id, now)


def place_ungrouped(store: Store, user: User, consultation_id: int, *, now: str) -> int:
    """Place the submitted comments that have no group (submitted before grouping existed)
    in groups; return how many were placed.  Audited."""
    _organizer(user)
    with store.transaction():
        store.get_consultation(consultation_id)
        placed = {m.comment_id for g in store.comment_groups(consultation_id) for m in g.members}
        waiting = [
            c
            for c in store.list_comments(consultation_id, submitted_only=True)
            if c.id not in placed
        ]
        _place(store, consultation_id, waiting, None, now)
        store.add_audit(
            user.id, "group.place", f"consultation {consultation_id}", now=now,
            consultation_id=consultation_id, details=f"{len(waiting)} comments",
        )  # fmt: skip
    return len(waiting)


def _place(
    store: Store, consultation_id: int, mine: list[Comment], unit_id: int | None, now: str
) -> None:
    """Place `mine` (and every submitted comment of their provisions without a group; with
    `unit_id`, that unit's comments that are not pinned, again) in groups."""
    if not mine:
        return
    near = {c.id: c for c in _submitted_near(store, consultation_id, mine)}
    provisions = {c.node_id for c in mine}
    # Every group of the consultation: a pinned comment may sit in a group of another
    # provision of its article, where an organizer moved it.
    everywhere = store.comment_groups(consultation_id)
    placed = {m.comment_id: (g.id, m) for g in everywhere for m in g.members}
    groups = [g for g in everywhere if g.node_id in provisions]
    to_place = [
        c
        for c in near.values()
        if c.node_id in provisions
        and (c.unit_id == unit_id or c.id not in placed)
        and not (c.id in placed and placed[c.id][1].pinned)
    ]
    moving = {c.id for c in to_place}
    touched = {placed[c][0] for c in moving if c in placed}  # groups they leave
    for node_id in sorted(provisions, key=lambda n: (n is None, n or 0)):
        ids: list[int] = []
        clusters: list[similar.Cluster] = []
        for group in (g for g in groups if g.node_id == node_id):
            cluster = similar.Cluster()
            for member in group.members:
                if member.comment_id in near and member.comment_id not in moving:
                    if len(cluster.signatures) >= similar.COMPARED:
                        break  # only a group's first members are compared (similar.place)
                    comment = near[member.comment_id]
                    cluster.add(comment.id, similar.signature(_said(comment), comment.kind))
            ids.append(group.id)
            clusters.append(cluster)
        for comment in sorted((c for c in to_place if c.node_id == node_id), key=lambda c: c.id):
            sig = similar.signature(_said(comment), comment.kind)
            index = similar.place(clusters, sig)
            if index < 0:
                ids.append(store.add_comment_group(consultation_id, node_id, now=now))
                clusters.append(similar.Cluster())
            clusters[index].add(comment.id, sig)
            store.put_in_group(comment.id, ids[index], pinned=False, copied=False, now=now)
            touched.add(ids[index])
    for group in store.comment_groups(consultation_id):
        if group.id in touched:
            _refresh_copied(store, group.id, list(group.members), near, now, fresh=moving)
    store.drop_empty_groups(consultation_id)


@dataclass(frozen=True)
class ShownGroup:
    """A group as the organizer sees it: its submitted comments (the first is representative)
    and which of them are copied wording or pinned by an organizer."""

    id: int
    comments: tuple[Comment, ...]
    copied: frozenset[int] = frozenset()
    pinned: frozenset[int] = frozenset()
    position: int = 0  # of its first comment in document order

    @property
    def representative(self) -> Comment:
        return self.comments[0]

    @property
    def units(self) -> list[str]:
        return list(dict.fromkeys(c.unit_name for c in self.comments))


@dataclass(frozen=True)
class ArticleGroups:
    """One article's groups of similar submitted comments, largest first."""

    consultation: Consultation
    article: Node
    groups: list[ShownGroup]
    ungrouped: list[Comment]  # submitted comments not placed yet (none once submissions group)

    @property
    def by_provision(self) -> list[tuple[str | None, list[ShownGroup]]]:
        """The groups under their provisions (in document order), largest first in each."""
        order: dict[str | None, list[ShownGroup]] = {}
        for group in sorted(self.groups, key=lambda g: g.position):
            order.setdefault(group.representative.node_key, [])
        for group in self.groups:
            order[group.representative.node_key].append(group)
        return list(order.items())


def _shown(groups: list[CommentGroup], comments: list[Comment]) -> list[ShownGroup]:
    by_id = {c.id: c for c in comments}
    place = {c.id: i for i, c in enumerate(comments)}
    shown = []
    for group in groups:
        members = [m for m in group.members if m.comment_id in by_id]
        if members:
            shown.append(
                ShownGroup(
                    group.id,
                    tuple(by_id[m.comment_id] for m in members),
                    frozenset(m.comment_id for m in members if m.copied),
                    frozenset(m.comment_id for m in members if m.pinned),
                    min(place[m.comment_id] for m in members),
                )
            )
    return sorted(shown, key=lambda g: (-len(g.units), g.id))


def article_groups(store: Store, user: User, consultation_id: int, key: str) -> ArticleGroups:
    """Return the stored groups of an article's submitted comments (nothing is computed)."""
    _organizer(user)
    consultation = store.get_consultation(consultation_id)
    article = store.get_node(consultation.version_id, key)
    if not is_commentable(article.kind):  # an article, or a guidance text's item
        raise NotFound(N_("“%(key)s” is not an article."), key=key)
    comments = store.list_comments(consultation_id, article_key=key, submitted_only=True)
    groups = store.comment_groups(consultation_id, node_ids=list({c.node_id for c in comments}))
    shown = _shown(groups, comments)
    grouped = {c.id for g in shown for c in g.comments}
    return ArticleGroups(consultation, article, shown, [c for c in comments if c.id not in grouped])


def consultation_groups(store: Store, consultation_id: int) -> dict[int, ShownGroup]:
    """Return every group of two or more submitted comments of a consultation, by comment id
    of each member (for the summary table; the caller checks the role)."""
    comments = store.list_comments(consultation_id, submitted_only=True)
    found: dict[int, ShownGroup] = {}
    for group in _shown(store.comment_groups(consultation_id), comments):
        if len(group.comments) >= 2:
            for comment in group.comments:
                found[comment.id] = group
    return found


def _article_comments(store: Store, comment: Comment) -> dict[int, Comment]:
    """Return the submitted comments of a comment's article (or of the general part)."""
    found = store.list_comments(
        comment.consultation_id, article_key=comment.article_key,
        general=comment.article_key is None, submitted_only=True,
    )  # fmt: skip
    return {c.id: c for c in found}


def _member_of(store: Store, consultation_id: int, comment_id: int) -> dict[int, Comment]:
    """Return the submitted comments of the article of `comment_id`, a submitted comment of
    the consultation (NotFound otherwise)."""
    comment = store.get_comment(comment_id)
    near = _article_comments(store, comment) if comment.consultation_id == consultation_id else {}
    if comment_id not in near:
        raise NotFound(N_("There is no submitted comment %(id)s."), id=comment_id)
    return near


def _group_of(store: Store, consultation_id: int, group_id: int) -> CommentGroup:
    group = store.get_comment_group(group_id)
    if group.consultation_id != consultation_id:
        raise NotFound(N_("There is no group %(id)s."), id=group_id)
    return group


def split_group(
    store: Store,
    user: User,
    consultation_id: int,
    group_id: int,
    comment_ids: list[int],
    *,
    now: str,
) -> int:
    """Take the chosen comments out of a group into a new group of their own, pinned (the
    grouping never moves them back); return the new group's id."""
    _organizer(user)
    ids = list(dict.fromkeys(comment_ids))
    if not ids:
        raise InvalidInput(N_("Choose the comments to take out of the group."))
    with store.transaction():
        group = _group_of(store, consultation_id, group_id)
        members = {m.comment_id: m for m in group.members}
        if any(i not in members for i in ids):
            raise InvalidInput(N_("Choose comments of this group."))
        if len(ids) == len(members):
            raise InvalidInput(N_("Leave at least one comment in the group."))
        near = _member_of(store, consultation_id, ids[0])
        new_id = store.add_comment_group(group.consultation_id, group.node_id, now=now)
        for comment_id in ids:
            store.put_in_group(comment_id, new_id, pinned=True, copied=False, now=now)
            store.add_audit(
                user.id, "group.split", f"comment {comment_id}", now=now,
                consultation_id=group.consultation_id, details=f"group {group_id} → {new_id}",
            )  # fmt: skip
        _recheck(store, group.consultation_id, [group_id, new_id], near, now)
    return new_id


def move_comment(
    store: Store,
    user: User,
    consultation_id: int,
    comment_id: int,
    group_id: int | None,
    *,
    now: str,
) -> int:
    """Move a submitted comment to another group of the same article (None: a new group of
    its own), pinned; return the group's id."""
    _organizer(user)
    with store.transaction():
        near = _member_of(store, consultation_id, comment_id)
        comment = near[comment_id]
        before = [g.id for g in store.comment_groups(comment.consultation_id)
                  if any(m.comment_id == comment_id for m in g.members)]  # fmt: skip
        if group_id is None:
            group_id = store.add_comment_group(comment.consultation_id, comment.node_id, now=now)
        else:
            target = _group_of(store, consultation_id, group_id)
            if target.node_id != comment.node_id and not any(
                m.comment_id in near for m in target.members
            ):
                raise InvalidInput(N_("Choose a group of the same article."))
        store.put_in_group(comment_id, group_id, pinned=True, copied=False, now=now)
        store.add_audit(
            user.id, "group.move", f"comment {comment_id}", now=now,
            consultation_id=comment.consultation_id, details=f"group {group_id}",
        )  # fmt: skip
        _recheck(store, comment.consultation_id, [*before, group_id], near, now)
        store.drop_empty_groups(comment.consultation_id)
    return group_id


def _recheck(
    store: Store, consultation_id: int, group_ids: list[int], said: dict[int, Comment], now: str
) -> None:
    """Mark copied wording again in the groups an organizer changed (`said`: the submitted
    comments of their article)."""
    for group in store.comment_groups(consultation_id):
        if group.id in group_ids:
            _refresh_copied(store, group.id, list(group.members), said, now)


def answer_group(
    store: Store,
    user: User,
    consultation_id: int,
    group_id: int,
    *,
    status: str,
    explanation: str,
    now: str,
) -> list[Comment]:
    """Give one answer to every submitted comment of a group, through
    :func:`drafter.answering.answer_many` (then each stays editable on its own)."""
    _organizer(user)
    group = _group_of(store, consultation_id, group_id)
    submitted = {c.id for c in store.list_comments(group.consultation_id, submitted_only=True)}
    ids = [m.comment_id for m in group.members if m.comment_id in submitted]
    return answering.answer_many(
        store, group.consultation_id, ids, status, explanation, user, now=now
    )
