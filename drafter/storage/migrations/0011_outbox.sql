-- E-mail that is never lost: every message is queued in the outbox in the same transaction as
-- the action that causes it; senders claim a message (claimed_by, claimed_until: a lease, so
-- that two senders never deliver it twice), send it, then mark it sent.
CREATE TABLE outbox (
    id             INTEGER PRIMARY KEY,
    kind           TEXT NOT NULL,            -- invitation, password_reset, reminder, receipt, …
    user_id        INTEGER REFERENCES user (id) ON DELETE SET NULL,
    recipient      TEXT NOT NULL,            -- the e-mail address
    language       TEXT NOT NULL DEFAULT 'vi',
    subject        TEXT NOT NULL,
    body_text      TEXT NOT NULL,
    body_html      TEXT NOT NULL,
    link           TEXT,                     -- the message's main link, to copy by hand
    created_at     TEXT NOT NULL,
    attempts       INTEGER NOT NULL DEFAULT 0,
    next_try_at    TEXT NOT NULL,
    claimed_by     TEXT,
    claimed_until  TEXT,
    sent_at        TEXT,
    last_error     TEXT
);
CREATE INDEX outbox_queue ON outbox (sent_at, next_try_at);

-- Password reset links: the token's hash, an hour to live, single use, one live per account.
CREATE TABLE password_reset (
    token_hash  TEXT PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES user (id) ON DELETE CASCADE,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    used_at     TEXT,
    revoked_at  TEXT
);
CREATE INDEX password_reset_user ON password_reset (user_id, created_at);

-- Reminders a consultation schedules N days before its deadline.
CREATE TABLE consultation_reminder (
    consultation_id  INTEGER PRIMARY KEY REFERENCES consultation (id) ON DELETE CASCADE,
    days_before      INTEGER NOT NULL CHECK (days_before BETWEEN 1 AND 60)
);

-- Mail queued by the calendar (a scheduled reminder of one unit on one day, the daily digest
-- of one day), recorded so that it is never queued twice.
CREATE TABLE mail_schedule (
    key        TEXT PRIMARY KEY,
    queued_at  TEXT NOT NULL
);
