-- Settings the application keeps in the database, shared by every process and host that
-- uses it: the session signing key when DRAFTER_SECRET_KEY is not set.
CREATE TABLE setting (
    name   TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
