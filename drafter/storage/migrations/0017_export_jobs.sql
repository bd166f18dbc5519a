-- Exports that take a while (the consolidated redline, one redline per unit, the summary as
-- Word) run as jobs in the background: a worker claims a job (claimed_by, claimed_until, under
-- the write lock, so two processes never run one job), reports its progress (done of total
-- steps) and keeps the file, or the error, when it ends.
CREATE TABLE export_job (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    consultation_id INTEGER NOT NULL REFERENCES consultation (id),
    name            TEXT NOT NULL,
    requested_by    INTEGER NOT NULL REFERENCES user (id),
    requested_at    TEXT NOT NULL,
    claimed_by      TEXT,
    claimed_until   TEXT,
    started_at      TEXT,
    done            INTEGER NOT NULL DEFAULT 0,
    total           INTEGER NOT NULL DEFAULT 0,
    finished_at     TEXT,
    error           TEXT,
    file_name       TEXT,
    file_title      TEXT,
    data            BLOB
);
CREATE INDEX export_job_waiting ON export_job (finished_at, id);
CREATE INDEX export_job_consultation ON export_job (consultation_id, name, id);
