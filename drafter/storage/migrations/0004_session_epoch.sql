-- Signing out ends every session of the account, even a copied cookie: sessions carry the
-- epoch they were opened in, and signing out moves the epoch on.
ALTER TABLE user ADD COLUMN session_epoch INTEGER NOT NULL DEFAULT 0;
