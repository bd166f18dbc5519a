-- What each unit's active submission holds, stored (drafter/storage/sqlite/held.py keeps it),
-- so that the organizer's article page and the dashboard read it instead of deriving it per
-- request from every comment: for each comment, the revision its unit's latest submission
-- holds when that submission stands (not withdrawn); rows only for such comments.
CREATE TABLE held_comment (
    comment_id       INTEGER PRIMARY KEY REFERENCES comment (id) ON DELETE CASCADE,
    consultation_id  INTEGER NOT NULL REFERENCES consultation (id) ON DELETE CASCADE,
    unit_id          INTEGER NOT NULL REFERENCES unit (id),
    submission_id    INTEGER NOT NULL REFERENCES submission (id) ON DELETE CASCADE,
    revision_id      INTEGER NOT NULL REFERENCES comment_revision (id),
    article_id       INTEGER REFERENCES node (id),   -- NULL: the draft as a whole
    node_id          INTEGER REFERENCES node (id),
    position         INTEGER,                        -- node_id's document order
    kind             TEXT NOT NULL,                  -- the held revision's
    withdrawn        INTEGER NOT NULL DEFAULT 0      -- the comment withdrawn since
);
-- An article's page: an index range in document order, the first 50 rows read and no more.
CREATE INDEX held_comment_page ON held_comment (consultation_id, article_id, position, comment_id);
CREATE INDEX held_comment_unit ON held_comment (consultation_id, unit_id);

-- The same rows counted per provision (the article page), and per article (the dashboard):
-- article_id and node_id 0 for the draft as a whole (a primary key column cannot be NULL on
-- PostgreSQL).  On SQLite the rows are stored in the key's order (WITHOUT ROWID): an
-- article's counts are one range read, no lookup per row.
CREATE TABLE held_count (
    consultation_id  INTEGER NOT NULL REFERENCES consultation (id) ON DELETE CASCADE,
    article_id       INTEGER NOT NULL,
    node_id          INTEGER NOT NULL,
    unit_id          INTEGER NOT NULL REFERENCES unit (id),
    kind             TEXT NOT NULL,
    withdrawn        INTEGER NOT NULL,
    comments         INTEGER NOT NULL,
    PRIMARY KEY (consultation_id, article_id, node_id, unit_id, kind, withdrawn)
-- begin sqlite only
) WITHOUT ROWID;
-- end sqlite only
-- postgresql: );
CREATE INDEX held_count_unit ON held_count (consultation_id, unit_id);

CREATE TABLE held_article_count (
    consultation_id  INTEGER NOT NULL REFERENCES consultation (id) ON DELETE CASCADE,
    article_id       INTEGER NOT NULL,
    unit_id          INTEGER NOT NULL REFERENCES unit (id),
    kind             TEXT NOT NULL,
    withdrawn        INTEGER NOT NULL,
    comments         INTEGER NOT NULL,
    PRIMARY KEY (consultation_id, article_id, unit_id, kind, withdrawn)
-- begin sqlite only
) WITHOUT ROWID;
-- end sqlite only
-- postgresql: );
CREATE INDEX held_article_count_unit ON held_article_count (consultation_id, unit_id);

-- The dashboard's progress per unit: its live comments counted as they are written and
-- withdrawn, its comments whose latest answer is not published yet as answers are written
-- and published, and each submission's number of items as it is made.
ALTER TABLE consultation_unit ADD COLUMN live_comments INTEGER NOT NULL DEFAULT 0;
ALTER TABLE consultation_unit ADD COLUMN unpublished_answers INTEGER NOT NULL DEFAULT 0;
ALTER TABLE submission ADD COLUMN items INTEGER NOT NULL DEFAULT 0;
-- A group of similar comments keeps its size (the article page reads sizes, not members).
ALTER TABLE comment_group ADD COLUMN members INTEGER NOT NULL DEFAULT 0;

-- Filled from what is stored (the derivations the queries ran until now).
INSERT INTO held_comment (comment_id, consultation_id, unit_id, submission_id, revision_id,
                          article_id, node_id, position, kind, withdrawn)
SELECT c.id, c.consultation_id, c.unit_id, s.id, r.id, c.article_id, c.node_id, n.position,
       r.kind, CASE WHEN c.withdrawn_at IS NULL THEN 0 ELSE 1 END
  FROM submission s
  JOIN submission_item si ON si.submission_id = s.id
  JOIN comment_revision r ON r.id = si.revision_id
  JOIN comment c ON c.id = r.comment_id
  LEFT JOIN node n ON n.id = c.node_id
 WHERE s.withdrawn_at IS NULL
   AND s.id = (SELECT MAX(x.id) FROM submission x
                WHERE x.consultation_id = s.consultation_id AND x.unit_id = s.unit_id);

INSERT INTO held_count (consultation_id, article_id, node_id, unit_id, kind, withdrawn, comments)
SELECT consultation_id, COALESCE(article_id, 0), COALESCE(node_id, 0), unit_id, kind, withdrawn,
       COUNT(*)
  FROM held_comment
 GROUP BY consultation_id, COALESCE(article_id, 0), COALESCE(node_id, 0), unit_id, kind,
          withdrawn;

INSERT INTO held_article_count (consultation_id, article_id, unit_id, kind, withdrawn,
                                comments)
SELECT consultation_id, article_id, unit_id, kind, withdrawn, SUM(comments)
  FROM held_count
 GROUP BY consultation_id, article_id, unit_id, kind, withdrawn;

UPDATE consultation_unit
   SET live_comments = (SELECT COUNT(*) FROM comment c
                         WHERE c.consultation_id = consultation_unit.consultation_id
                           AND c.unit_id = consultation_unit.unit_id
                           AND c.withdrawn_at IS NULL),
       unpublished_answers = (SELECT COUNT(*) FROM comment c JOIN answer a
                                ON a.id = (SELECT MAX(x.id) FROM answer x
                                            WHERE x.comment_id = c.id)
                               WHERE c.consultation_id = consultation_unit.consultation_id
                                 AND c.unit_id = consultation_unit.unit_id
                                 AND a.published_at IS NULL);

UPDATE submission
   SET items = (SELECT COUNT(*) FROM submission_item si WHERE si.submission_id = submission.id);

UPDATE comment_group
   SET members = (SELECT COUNT(*) FROM comment_group_member m WHERE m.group_id = comment_group.id);
