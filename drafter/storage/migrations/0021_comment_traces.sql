-- Answers traced into the latest later version of the draft (drafter/tracing.py), stored so
-- that the dashboard and the comment list read them instead of diffing every proposal on each
-- view.  One row per submitted comment of a consultation whose draft has a version after the
-- consulted one; kept current in the transaction of each change that makes it stale (an
-- answer, a unit's submission or its withdrawal, a new version: drafter/traces.py).
CREATE TABLE comment_trace (
    comment_id       INTEGER PRIMARY KEY REFERENCES comment (id) ON DELETE CASCADE,
    consultation_id  INTEGER NOT NULL REFERENCES consultation (id) ON DELETE CASCADE,
    version_number   INTEGER NOT NULL,
    state            TEXT NOT NULL,
    where_key        TEXT
);
-- A consultation's rows (replaced whole on a new version), by state.
CREATE INDEX comment_trace_state ON comment_trace (consultation_id, state);

-- Which version a consultation's stored trace goes into.  No row (databases from before this
-- migration, a consultation not traced yet): the trace is computed and stored once, in a write
-- transaction, by the first page that needs it (drafter.traces.current).
CREATE TABLE consultation_trace (
    consultation_id  INTEGER PRIMARY KEY REFERENCES consultation (id) ON DELETE CASCADE,
    version_number   INTEGER NOT NULL,
    traced_at        TEXT NOT NULL
);

-- How many of a consultation's stored rows are in each state, kept with the rows (every state
-- has its row from the start), so that the dashboard reads six rows by primary key however many
-- comments there are (an aggregate over comment_trace_state takes ~0.5 s at a million).
CREATE TABLE consultation_trace_count (
    consultation_id  INTEGER NOT NULL REFERENCES consultation (id) ON DELETE CASCADE,
    state            TEXT NOT NULL,
    comments         INTEGER NOT NULL,
    PRIMARY KEY (consultation_id, state)
);
