-- A pending upload's or roster's number is never given again once it is confirmed or
-- discarded (AUTOINCREMENT): a preview left open in another tab can never confirm a file
-- uploaded later under the same number.
CREATE TABLE pending_upload_new (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     INTEGER NOT NULL REFERENCES user (id),
    draft_id    INTEGER REFERENCES draft (id),
    name        TEXT NOT NULL,
    data        BLOB NOT NULL,
    title       TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
);
INSERT INTO pending_upload_new SELECT id, user_id, draft_id, name, data, title, created_at
    FROM pending_upload;
DROP TABLE pending_upload;
ALTER TABLE pending_upload_new RENAME TO pending_upload;

CREATE TABLE pending_roster_new (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     INTEGER NOT NULL REFERENCES user (id),
    name        TEXT NOT NULL,
    data        BLOB NOT NULL,
    created_at  TEXT NOT NULL
);
INSERT INTO pending_roster_new SELECT id, user_id, name, data, created_at FROM pending_roster;
DROP TABLE pending_roster;
ALTER TABLE pending_roster_new RENAME TO pending_roster;
