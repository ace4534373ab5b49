-- Reminder history (version 2). A reminder is raised once per key
-- (credential, cycle end, kind, lead time), and again only after a snooze ends; this log is what
-- makes that true across runs, and what the window shows as history.

CREATE TABLE reminder_log (
    id             INTEGER PRIMARY KEY,
    reminder_key   TEXT    NOT NULL,
    credential_id  INTEGER NOT NULL REFERENCES credentials(id) ON DELETE CASCADE,
    cycle_end      TEXT    NOT NULL,
    kind           TEXT    NOT NULL,
    due_on         TEXT    NOT NULL,
    title          TEXT    NOT NULL,
    body           TEXT    NOT NULL,
    raised_at      TEXT    NOT NULL,
    -- 'shown': a notification server took it; 'failed': none could (see error).
    delivery       TEXT    NOT NULL CHECK (delivery IN ('shown', 'failed')),
    error          TEXT
);
CREATE INDEX reminder_log_by_key ON reminder_log(reminder_key);
CREATE INDEX reminder_log_by_time ON reminder_log(raised_at);

-- A reminder the user snoozed comes back on `until`.
CREATE TABLE reminder_snoozes (
    reminder_key   TEXT    PRIMARY KEY,
    credential_id  INTEGER NOT NULL REFERENCES credentials(id) ON DELETE CASCADE,
    until          TEXT    NOT NULL
);
