-- Each invited unit's count of the comments it has created in a consultation (withdrawn ones
-- too: the quota counts them), kept by Store.add_comment in the comment's transaction, so a
-- new comment's quota check reads one row instead of counting the unit's comments.
ALTER TABLE consultation_unit ADD COLUMN comments_created INTEGER NOT NULL DEFAULT 0;
UPDATE consultation_unit SET comments_created = (
    SELECT COUNT(*) FROM comment c
    WHERE c.consultation_id = consultation_unit.consultation_id
      AND c.unit_id = consultation_unit.unit_id
);

-- The organizer's comment list, a page at a time in document order (the comments on the draft
-- as a whole first): an index range over what the submissions hold, whatever the total.
-- begin sqlite only
CREATE INDEX held_comment_order ON held_comment (consultation_id, position, comment_id);
-- end sqlite only
-- postgresql: CREATE INDEX held_comment_order ON held_comment (consultation_id, position NULLS FIRST, comment_id);

-- A unit's own comments on one article (the delegate's article page, a page at a time): found
-- among the unit's comments on that article only, not all of the unit's comments.
CREATE INDEX comment_unit_article ON comment (consultation_id, unit_id, article_id, withdrawn_at);
