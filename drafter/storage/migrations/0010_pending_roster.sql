-- A roster file (CSV or XLSX) an organizer uploaded, kept until they confirm or discard its
-- preview: nothing of it is in the unit and user tables before the confirmation.
CREATE TABLE pending_roster (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES user (id),
    name        TEXT NOT NULL,
    data        BLOB NOT NULL,
    created_at  TEXT NOT NULL
);
