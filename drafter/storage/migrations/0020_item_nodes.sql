-- Guidance texts (Roman parts "I.", numbered items "1.", sub-items "1.1.", no "Điều") get a
-- node kind of their own: `item`, the unit of comment of such a text as `article` is of a
-- legal one.  The CHECK on node.kind has to allow it.  As in 0007, the table's definition is
-- edited in place (SQLite's documented way to change a CHECK that existing rows satisfy):
-- rebuilding `node` inside the migration's transaction would cascade to article_match and
-- count every comment as a foreign-key violation.  No row changes.
-- begin sqlite only
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
   SET sql = replace(sql, '''article'', ''clause''', '''article'', ''item'', ''clause''')
 WHERE type = 'table' AND name = 'node';
PRAGMA writable_schema = RESET;  -- off again, and this connection reloads the schema

-- Stop here if the definition was not the one 0001 and 0007 wrote (the replacement found
-- nothing).
CREATE TEMP TABLE migration_0020_guard (edited INTEGER NOT NULL CHECK (edited = 1));
INSERT INTO migration_0020_guard
SELECT count(*) FROM sqlite_schema
 WHERE type = 'table' AND name = 'node' AND sql LIKE '%''article'', ''item'', ''clause''%';
DROP TABLE migration_0020_guard;
-- end sqlite only
-- postgresql: ALTER TABLE node DROP CONSTRAINT node_kind_check;
-- postgresql: ALTER TABLE node ADD CONSTRAINT node_kind_check CHECK (kind IN ('preamble', 'part',
-- postgresql:     'chapter', 'section', 'subsection', 'article', 'item', 'clause', 'point',
-- postgresql:     'paragraph', 'appendix', 'closing'));

-- Rebuilding an index changes the schema cookie: other connections reload the schema too.
DROP INDEX node_article;
CREATE INDEX node_article ON node (version_id, kind, number);
