-- Consultations: units and their delegates, comments with revisions, unit submissions,
-- the organizer's answers, pending uploads, and a diacritics-free full-text index.
CREATE TABLE unit (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL DEFAULT 'province'
                CHECK (kind IN ('province', 'ministry', 'organisation', 'other'))
);

CREATE TABLE user (
    id             INTEGER PRIMARY KEY,
    username       TEXT NOT NULL UNIQUE COLLATE NOCASE,
    display_name   TEXT NOT NULL,
    password_hash  TEXT,                         -- NULL until an invitation is used
    role           TEXT NOT NULL CHECK (role IN ('organizer', 'delegate')),
    unit_id        INTEGER REFERENCES unit (id),
    is_lead        INTEGER NOT NULL DEFAULT 0,
    created_at     TEXT NOT NULL,
    CHECK ((role = 'delegate') = (unit_id IS NOT NULL))
);

CREATE TABLE invitation (
    token_hash  TEXT PRIMARY KEY,                -- sha256 of the token in the link
    user_id     INTEGER NOT NULL REFERENCES user (id) ON DELETE CASCADE,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    used_at     TEXT
);

CREATE TABLE consultation (
    id               INTEGER PRIMARY KEY,
    version_id       INTEGER NOT NULL REFERENCES version (id),
    title            TEXT NOT NULL,
    opens_at         TEXT NOT NULL,
    deadline         TEXT NOT NULL,
    closed_at        TEXT,
    share_submitted  INTEGER NOT NULL DEFAULT 0,  -- units may read each other's submitted comments
    created_at       TEXT NOT NULL
);

CREATE TABLE consultation_unit (
    consultation_id  INTEGER NOT NULL REFERENCES consultation (id) ON DELETE CASCADE,
    unit_id          INTEGER NOT NULL REFERENCES unit (id),
    invited_at       TEXT NOT NULL,
    PRIMARY KEY (consultation_id, unit_id)
);

CREATE TABLE comment (
    id               INTEGER PRIMARY KEY,
    consultation_id  INTEGER NOT NULL REFERENCES consultation (id) ON DELETE CASCADE,
    unit_id          INTEGER NOT NULL REFERENCES unit (id),
    node_id          INTEGER REFERENCES node (id),    -- NULL: the draft as a whole
    article_id       INTEGER REFERENCES node (id),    -- the article holding node_id
    created_by       INTEGER NOT NULL REFERENCES user (id),
    created_at       TEXT NOT NULL,
    withdrawn_at     TEXT
);
CREATE INDEX comment_unit ON comment (consultation_id, unit_id);
CREATE INDEX comment_article ON comment (consultation_id, article_id);

-- Every edit is a new revision; the latest one is the comment's content.
CREATE TABLE comment_revision (
    id             INTEGER PRIMARY KEY,
    comment_id     INTEGER NOT NULL REFERENCES comment (id) ON DELETE CASCADE,
    kind           TEXT NOT NULL CHECK (kind IN ('agree', 'comment', 'new_wording', 'delete',
                                                  'add_after', 'question')),
    text           TEXT NOT NULL DEFAULT '',
    proposed_text  TEXT,
    author_id      INTEGER NOT NULL REFERENCES user (id),
    created_at     TEXT NOT NULL
);
CREATE INDEX comment_revision_comment ON comment_revision (comment_id, id);

CREATE TABLE submission (
    id               INTEGER PRIMARY KEY,
    consultation_id  INTEGER NOT NULL REFERENCES consultation (id) ON DELETE CASCADE,
    unit_id          INTEGER NOT NULL REFERENCES unit (id),
    submitted_by     INTEGER NOT NULL REFERENCES user (id),
    submitted_at     TEXT NOT NULL,
    no_comments      INTEGER NOT NULL DEFAULT 0,
    withdrawn_at     TEXT,
    withdrawn_by     INTEGER REFERENCES user (id)
);
CREATE INDEX submission_unit ON submission (consultation_id, unit_id, id);

-- What a submission contained: the revision of each comment at the time.
CREATE TABLE submission_item (
    submission_id  INTEGER NOT NULL REFERENCES submission (id) ON DELETE CASCADE,
    revision_id    INTEGER NOT NULL REFERENCES comment_revision (id),
    PRIMARY KEY (submission_id, revision_id)
);

CREATE TABLE answer (
    id           INTEGER PRIMARY KEY,
    comment_id   INTEGER NOT NULL REFERENCES comment (id) ON DELETE CASCADE,
    status       TEXT NOT NULL CHECK (status IN ('accepted', 'partly', 'rejected', 'noted')),
    explanation  TEXT NOT NULL DEFAULT '',
    answered_by  INTEGER NOT NULL REFERENCES user (id),
    answered_at  TEXT NOT NULL
);
CREATE INDEX answer_comment ON answer (comment_id, id);

-- An uploaded file waiting for the organizer to confirm its parsed structure.
CREATE TABLE pending_upload (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES user (id),
    draft_id    INTEGER REFERENCES draft (id),      -- NULL: a new draft
    name        TEXT NOT NULL,
    data        BLOB NOT NULL,
    title       TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
);

-- Search: article texts and comments, lower-cased and without diacritics (đ → d).
-- begin sqlite only
CREATE VIRTUAL TABLE search_index USING fts5 (
    body,
    kind UNINDEXED,        -- 'article' or 'comment'
    ref_id UNINDEXED,      -- node id or comment id
    version_id UNINDEXED,
    tokenize = 'unicode61 remove_diacritics 2'
);
-- end sqlite only
-- PostgreSQL: a plain table with the same columns (rowid: the row's key, as FTS5 has it) and
-- its words for full text search, a phrase of whole words as FTS5's unicode61 splits them.
-- postgresql: CREATE TABLE search_index (
-- postgresql:     rowid       BIGINT PRIMARY KEY,
-- postgresql:     body        TEXT NOT NULL,
-- postgresql:     kind        TEXT NOT NULL,
-- postgresql:     ref_id      BIGINT NOT NULL,
-- postgresql:     version_id  BIGINT,
-- postgresql:     words       tsvector GENERATED ALWAYS AS
-- postgresql:                 (to_tsvector('simple', regexp_replace(body, '[^[:alnum:]]+', ' ', 'g')))
-- postgresql:                 STORED
-- postgresql: );
-- postgresql: CREATE INDEX search_index_words ON search_index USING gin (words);
