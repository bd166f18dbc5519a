-- Guards against a hostile insider: invitations can be revoked (one live link per account),
-- accounts can be disabled, and sign-in failures are counted per account and address pair.
ALTER TABLE invitation ADD COLUMN revoked_at TEXT;
ALTER TABLE user ADD COLUMN disabled_at TEXT;
CREATE INDEX invitation_user ON invitation (user_id);
CREATE INDEX login_failure_pair ON login_failure (username, address, at);
