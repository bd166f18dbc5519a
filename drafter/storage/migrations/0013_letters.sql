-- A unit's signed and stamped letter (PDF, PNG or JPEG) attached to its submission, as
-- received on paper or by e-mail; comments entered by an organizer on a unit's behalf are
-- told apart by their author's role, so no column is needed for them.
CREATE TABLE submission_letter (
    id             INTEGER PRIMARY KEY,
    submission_id  INTEGER NOT NULL REFERENCES submission (id) ON DELETE CASCADE,
    name           TEXT NOT NULL,
    content_type   TEXT NOT NULL
                   CHECK (content_type IN ('application/pdf', 'image/png', 'image/jpeg')),
    data           BLOB NOT NULL,
    size           INTEGER NOT NULL,
    added_by       INTEGER NOT NULL REFERENCES user (id),
    added_at       TEXT NOT NULL
);
CREATE INDEX submission_letter_submission ON submission_letter (submission_id);
