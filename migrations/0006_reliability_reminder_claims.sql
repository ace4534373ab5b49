-- Reminders being raised (version 5). Two checkers can run at once (the window's scheduler and a
-- `recert remind` from cron): each claims the reminders it will raise, in the write transaction
-- that decides they are due, and records the outcome in reminder_log afterwards, which ends the
-- claim. A reminder claimed by another checker is not due. A claim older than a few minutes
-- belongs to a checker that died before recording, and is taken over.

CREATE TABLE reminder_claims (
    reminder_key   TEXT    PRIMARY KEY,
    credential_id  INTEGER NOT NULL REFERENCES credentials(id) ON DELETE CASCADE,
    claimed_at     TEXT    NOT NULL
) WITHOUT ROWID;
