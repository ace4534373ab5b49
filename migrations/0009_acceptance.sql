-- What each body accepts (version 9): a course a body must approve first is credited as pending
-- until the user records the body's answer, and counts only then.

-- 'counted': counts toward the cycle; 'pending': waits for the body's approval (a petition);
-- 'refused': the body said no. Only counted credits are in the running totals.
ALTER TABLE credits ADD COLUMN standing TEXT NOT NULL DEFAULT 'counted'
    CHECK (standing IN ('counted', 'pending', 'refused'));

-- The bodies that approved an activity, by short name, with the approval or course number.
CREATE TABLE activity_approvals (
    activity_id  INTEGER NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    body         TEXT    NOT NULL,
    number       TEXT,
    PRIMARY KEY (activity_id, position)
);

-- Credentials added before this version hold the rules of the catalog of that time: the next
-- start that may write moves the values nobody changed to the catalog in use (what each body
-- accepts, the corrections of the 2026.12 audit), as a rules file would.
INSERT INTO settings (key, value) VALUES ('catalog_refresh_from', '2026.11')
    ON CONFLICT (key) DO UPDATE SET value = excluded.value;
