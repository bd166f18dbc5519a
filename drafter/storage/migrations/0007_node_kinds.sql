-- Appendices and closing blocks become node kinds of their own.  Until now an appendix was a
-- top-level 'paragraph' with a title (its "PHỤ LỤC I …" heading) and the closing block
-- (place and date, "Nơi nhận", signature) a top-level 'paragraph' keyed `ket-thuc`.  Keys
-- and ids stay as they are, so comments, matches and the search index keep pointing at the
-- same rows.
--
-- The CHECK on node.kind has to allow the two kinds.  The usual rebuild (create node_new,
-- copy, drop node, rename) cannot run here: migrations run inside one transaction with
-- foreign keys enforced, and dropping `node` would delete the article_match rows (ON DELETE
-- CASCADE) and count every comment as a violation.  So the table's definition is edited in
-- place, SQLite's documented way to change a CHECK constraint that existing rows satisfy
-- (https://sqlite.org/lang_altertable.html, "otheralter"): no row moves.
-- begin sqlite only
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
   SET sql = replace(sql, '''point'', ''paragraph'')', '''point'', ''paragraph'', ''appendix'', ''closing'')')
 WHERE type = 'table' AND name = 'node';
PRAGMA writable_schema = RESET;  -- off again, and this connection reloads the schema

-- Stop here if the definition was not the one 0001 wrote (the replacement found nothing).
CREATE TEMP TABLE migration_0007_guard (edited INTEGER NOT NULL CHECK (edited = 1));
INSERT INTO migration_0007_guard
SELECT count(*) FROM sqlite_schema
 WHERE type = 'table' AND name = 'node' AND sql LIKE '%''appendix'', ''closing''%';
DROP TABLE migration_0007_guard;
-- end sqlite only
-- postgresql: ALTER TABLE node DROP CONSTRAINT node_kind_check;
-- postgresql: ALTER TABLE node ADD CONSTRAINT node_kind_check CHECK (kind IN ('preamble', 'part',
-- postgresql:     'chapter', 'section', 'subsection', 'article', 'clause', 'point', 'paragraph',
-- postgresql:     'appendix', 'closing'));

-- Rebuilding an index changes the schema cookie: other connections reload the schema too.
DROP INDEX node_article;
CREATE INDEX node_article ON node (version_id, kind, number);

-- The stored nodes, as the parser of schema 6 made them.
-- begin sqlite only
UPDATE node SET kind = 'closing'
 WHERE kind = 'paragraph' AND parent_id IS NULL
   AND (key = 'ket-thuc' OR key GLOB '*/ket-thuc' OR key GLOB 'ket-thuc-[0-9]*'
        OR key GLOB '*/ket-thuc-[0-9]*');
-- end sqlite only
-- postgresql: UPDATE node SET kind = 'closing'
-- postgresql:  WHERE kind = 'paragraph' AND parent_id IS NULL
-- postgresql:    AND key ~ '(^|/)ket-thuc(-[0-9].*)?$';
UPDATE node SET kind = 'appendix'
 WHERE kind = 'paragraph' AND parent_id IS NULL AND title <> '';
