-- Contacts for e-mail: a delegate's or organizer's address and the language of the messages
-- sent to them; units can be deactivated (their delegates cannot sign in, comments stay).
ALTER TABLE user ADD COLUMN email TEXT;
ALTER TABLE user ADD COLUMN language TEXT NOT NULL DEFAULT 'vi' CHECK (language IN ('vi', 'en'));
ALTER TABLE unit ADD COLUMN disabled_at TEXT;
