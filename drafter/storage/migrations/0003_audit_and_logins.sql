-- Who did what and when (visible to organizers), and failed sign-ins for rate limiting.
CREATE TABLE audit (
    id           INTEGER PRIMARY KEY,
    at           TEXT NOT NULL,
    user_id      INTEGER REFERENCES user (id),
    action       TEXT NOT NULL,          -- comment.create, comment.edit, submission.create, …
    target       TEXT NOT NULL DEFAULT '',  -- "comment 12", "consultation 3", …
    consultation_id INTEGER REFERENCES consultation (id) ON DELETE CASCADE,
    details      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_consultation ON audit (consultation_id, id);

CREATE TABLE login_failure (
    id        INTEGER PRIMARY KEY,
    username  TEXT NOT NULL COLLATE NOCASE,
    address   TEXT NOT NULL,
    at        TEXT NOT NULL
);
CREATE INDEX login_failure_username ON login_failure (username, at);
CREATE INDEX login_failure_address ON login_failure (address, at);
