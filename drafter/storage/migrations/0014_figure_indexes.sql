-- The dashboard counts each unit's live comments in one grouped query: with withdrawn_at in
-- the index the count reads the index alone, never the comment rows.
DROP INDEX comment_unit;
CREATE INDEX comment_unit ON comment (consultation_id, unit_id, withdrawn_at);
