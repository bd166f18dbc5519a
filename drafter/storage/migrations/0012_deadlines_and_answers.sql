-- Deadlines and answers back to units: a later deadline for one unit, every change of a
-- deadline (and every reopening) recorded, answers published to units, answer templates.

-- A later deadline for this unit only (NULL: the consultation's); the later of the two counts.
ALTER TABLE consultation_unit ADD COLUMN deadline TEXT;

CREATE TABLE deadline_change (
    id               INTEGER PRIMARY KEY,
    consultation_id  INTEGER NOT NULL REFERENCES consultation (id) ON DELETE CASCADE,
    unit_id          INTEGER REFERENCES unit (id),   -- NULL: the deadline of every unit
    old_deadline     TEXT NOT NULL,
    new_deadline     TEXT NOT NULL,
    reopened         INTEGER NOT NULL DEFAULT 0,     -- 1: a closed consultation was reopened
    changed_by       INTEGER NOT NULL REFERENCES user (id),
    changed_at       TEXT NOT NULL
);
CREATE INDEX deadline_change_consultation ON deadline_change (consultation_id, id);

-- An answer row is written once; units read the latest PUBLISHED row of a comment, so an
-- answer written or edited after publication stays internal until published again.
ALTER TABLE answer ADD COLUMN published_at TEXT;
ALTER TABLE answer ADD COLUMN published_by INTEGER REFERENCES user (id);

-- Short texts the organizers reuse when answering ("Tiếp thu", "Xin giữ như dự thảo vì …").
CREATE TABLE answer_template (
    id          INTEGER PRIMARY KEY,
    title       TEXT NOT NULL,
    text        TEXT NOT NULL,
    status      TEXT CHECK (status IS NULL OR status IN ('accepted', 'partly', 'rejected', 'noted')),
    created_by  INTEGER NOT NULL REFERENCES user (id),
    created_at  TEXT NOT NULL
);
