-- Drafts, their versions, and each version's tree of nodes (one row per chapter, article,
-- clause, point…), plus the links between the articles of consecutive versions.
CREATE TABLE draft (
    id          INTEGER PRIMARY KEY,
    title       TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE TABLE version (
    id             INTEGER PRIMARY KEY,
    draft_id       INTEGER NOT NULL REFERENCES draft (id) ON DELETE CASCADE,
    number         INTEGER NOT NULL CHECK (number >= 1),
    title          TEXT NOT NULL,
    source_name    TEXT NOT NULL,
    source_sha256  TEXT NOT NULL,
    imported_at    TEXT NOT NULL,
    warnings       TEXT NOT NULL DEFAULT '[]',   -- JSON list of "where: message"
    UNIQUE (draft_id, number)
);

CREATE TABLE node (
    id           INTEGER PRIMARY KEY,
    version_id   INTEGER NOT NULL REFERENCES version (id) ON DELETE CASCADE,
    parent_id    INTEGER REFERENCES node (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,              -- document order within the version
    kind         TEXT NOT NULL CHECK (kind IN ('preamble', 'part', 'chapter', 'section',
                     'subsection', 'article', 'clause', 'point', 'paragraph')),
    number       TEXT NOT NULL DEFAULT '',
    title        TEXT NOT NULL DEFAULT '',
    text         TEXT NOT NULL DEFAULT '',
    key          TEXT NOT NULL,
    source_line  TEXT NOT NULL DEFAULT '',
    UNIQUE (version_id, key),
    UNIQUE (version_id, position)
);
CREATE INDEX node_parent ON node (parent_id);
CREATE INDEX node_article ON node (version_id, kind, number);

CREATE TABLE article_match (
    id           INTEGER PRIMARY KEY,
    version_id   INTEGER NOT NULL REFERENCES version (id) ON DELETE CASCADE,  -- the newer one
    old_node_id  INTEGER REFERENCES node (id) ON DELETE CASCADE,
    new_node_id  INTEGER REFERENCES node (id) ON DELETE CASCADE,
    status       TEXT NOT NULL CHECK (status IN ('unchanged', 'changed', 'added', 'removed')),
    similarity   REAL NOT NULL,
    renumbered   INTEGER NOT NULL DEFAULT 0,
    moved        INTEGER NOT NULL DEFAULT 0,
    CHECK (old_node_id IS NOT NULL OR new_node_id IS NOT NULL)
);
CREATE INDEX article_match_version ON article_match (version_id);
CREATE INDEX article_match_old ON article_match (old_node_id);
CREATE INDEX article_match_new ON article_match (new_node_id);
