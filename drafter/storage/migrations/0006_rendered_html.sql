-- Markdown is rendered once, when a comment or an answer is written, and kept beside its
-- source; pages show the stored HTML (NULL: rendered when shown, as before).
ALTER TABLE comment_revision ADD COLUMN html TEXT;
ALTER TABLE answer ADD COLUMN html TEXT;
