-- Word files returned by units (the review round trip).  A file waits here, with its bytes,
-- between preview and confirmation; once confirmed its bytes are dropped and its items are
-- kept: what each item became (a comment of the unit), and its original Word author and date.
CREATE TABLE review_upload (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    consultation_id  INTEGER NOT NULL REFERENCES consultation (id),
    unit_id          INTEGER NOT NULL REFERENCES unit (id),
    user_id          INTEGER NOT NULL REFERENCES user (id),
    name             TEXT NOT NULL,
    sha256           TEXT NOT NULL,
    data             BLOB,
    created_at       TEXT NOT NULL,
    confirmed_at     TEXT
);
CREATE INDEX review_upload_unit ON review_upload (consultation_id, unit_id);

CREATE TABLE review_item (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    upload_id    INTEGER NOT NULL REFERENCES review_upload (id),
    item_key     TEXT NOT NULL,
    comment_id   INTEGER NOT NULL REFERENCES comment (id),
    word_author  TEXT NOT NULL,
    word_date    TEXT NOT NULL
);
CREATE INDEX review_item_upload ON review_item (upload_id);
CREATE INDEX review_item_comment ON review_item (comment_id);
