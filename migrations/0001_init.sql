-- Recert schema, version 1.
-- Money is integer cents, credit units and hours are integer hundredths, dates are ISO
-- 'YYYY-MM-DD' text. Append-only: never edit a migration that has shipped; add a new file.

CREATE TABLE credentials (
    id            INTEGER PRIMARY KEY,
    preset_id     TEXT,
    kind          TEXT    NOT NULL CHECK (kind IN ('credential', 'cpr_aed')),
    body          TEXT    NOT NULL,
    body_short    TEXT    NOT NULL,
    name          TEXT    NOT NULL,
    abbreviation  TEXT    NOT NULL,
    number        TEXT,
    earned_on     TEXT    NOT NULL CHECK (earned_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    cycle_start   TEXT    NOT NULL CHECK (cycle_start GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    cycle_end     TEXT    NOT NULL CHECK (cycle_end GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    member        INTEGER NOT NULL DEFAULT 0 CHECK (member IN (0, 1)),
    notes         TEXT,
    -- The editable renewal rules as a JSON document whose amounts are integers (cents,
    -- hundredths): a rule set is copied from a preset and edited as a whole, never queried.
    rules         TEXT    NOT NULL CHECK (json_valid(rules)),
    created_at    TEXT    NOT NULL,
    CHECK (cycle_start <= cycle_end)
);

-- Closed cycles, kept as history.
CREATE TABLE past_cycles (
    id                    INTEGER PRIMARY KEY,
    credential_id         INTEGER NOT NULL REFERENCES credentials(id) ON DELETE CASCADE,
    cycle_start           TEXT    NOT NULL,
    cycle_end             TEXT    NOT NULL,
    renewed_on            TEXT    NOT NULL,
    fee_paid_cents        INTEGER CHECK (fee_paid_cents >= 0),
    units_required        INTEGER,
    units_earned          INTEGER NOT NULL
);
CREATE INDEX past_cycles_by_credential ON past_cycles(credential_id, cycle_end);

CREATE TABLE activities (
    id              INTEGER PRIMARY KEY,
    title           TEXT    NOT NULL,
    provider        TEXT,
    completed_on    TEXT    NOT NULL CHECK (completed_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    hours           INTEGER NOT NULL CHECK (hours > 0),
    cost_cents      INTEGER NOT NULL DEFAULT 0 CHECK (cost_cents >= 0),
    notes           TEXT,
    proof_path      TEXT,
    proof_name      TEXT,
    proof_sha256    TEXT,
    created_at      TEXT    NOT NULL
);
CREATE INDEX activities_by_date ON activities(completed_on);

CREATE TABLE activity_categories (
    activity_id  INTEGER NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    category     TEXT    NOT NULL,
    PRIMARY KEY (activity_id, position)
);

-- Units of one activity credited to one credential, in that credential's unit. The completion
-- date is copied here so a cycle's credits are one index range.
CREATE TABLE credits (
    activity_id    INTEGER NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
    credential_id  INTEGER NOT NULL REFERENCES credentials(id) ON DELETE CASCADE,
    completed_on   TEXT    NOT NULL,
    units          INTEGER NOT NULL CHECK (units >= 0),
    category       TEXT,
    overridden     INTEGER NOT NULL DEFAULT 0 CHECK (overridden IN (0, 1)),
    PRIMARY KEY (activity_id, credential_id)
);
CREATE INDEX credits_by_credential ON credits(credential_id, completed_on);

CREATE TABLE settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
