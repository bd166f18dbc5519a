-- Each invited unit's count of the comments it has created in a consultation (withdrawn ones
-- too: the quota counts them), kept by Store.add_comment in the comment's transaction, so a
-- new comment's quota check reads one row instead of counting the unit's comments.
ALTER TABLE consultation_unit ADD COLUMN comments_created INTEGER NOT NULL DEFAULT 0;
UPDATE consultation_unit SET comments_created = (
    SELECT COUNT(*) FROM comment c
    WHERE c.consultation_id = consultation_unit.consultation_id
      AND c.unit_id = consultation_unit.unit_id
);
