-- Similar comments grouped per provision (drafter/similar.py), computed when a unit's
-- response is submitted and stored; an organizer's split or move pins a membership, which the
-- grouping never changes afterwards.  node_id NULL: comments on the draft as a whole.
CREATE TABLE comment_group (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    consultation_id  INTEGER NOT NULL REFERENCES consultation (id) ON DELETE CASCADE,
    node_id          INTEGER REFERENCES node (id),
    created_at       TEXT NOT NULL
);
CREATE INDEX comment_group_provision ON comment_group (consultation_id, node_id);

-- A comment is in one group at most.  pinned = 1: placed by an organizer (split, move);
-- copied = 1: its wording is (nearly) the same as another unit's comment in the group.
CREATE TABLE comment_group_member (
    comment_id  INTEGER PRIMARY KEY REFERENCES comment (id) ON DELETE CASCADE,
    group_id    INTEGER NOT NULL REFERENCES comment_group (id) ON DELETE CASCADE,
    pinned      INTEGER NOT NULL DEFAULT 0,
    copied      INTEGER NOT NULL DEFAULT 0,
    placed_at   TEXT NOT NULL
);
CREATE INDEX comment_group_member_group ON comment_group_member (group_id);
