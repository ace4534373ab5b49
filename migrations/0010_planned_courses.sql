-- Courses the user is considering (version 10): not earned credits. The planner chooses among
-- them; "Mark as done" logs one as an activity and removes it here.
CREATE TABLE planned_courses (
    id               INTEGER PRIMARY KEY,
    title            TEXT    NOT NULL CHECK (length(title) > 0),
    provider         TEXT,
    -- The day planned; with any_time_before, the last day it can be taken.
    planned_on       TEXT    NOT NULL CHECK (planned_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    any_time_before  INTEGER NOT NULL DEFAULT 0 CHECK (any_time_before IN (0, 1)),
    hours            INTEGER NOT NULL CHECK (hours > 0),
    cost             INTEGER NOT NULL DEFAULT 0 CHECK (cost >= 0),
    created_at       TEXT    NOT NULL
);

-- Category tags, in the order typed.
CREATE TABLE planned_course_categories (
    planned_id  INTEGER NOT NULL REFERENCES planned_courses(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    category    TEXT    NOT NULL,
    PRIMARY KEY (planned_id, position)
);

-- The bodies that approve a planned course, with the approval number and the units the body
-- grants (hundredths), where the user knows them.
CREATE TABLE planned_course_approvals (
    planned_id  INTEGER NOT NULL REFERENCES planned_courses(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    body        TEXT    NOT NULL,
    number      TEXT,
    units       INTEGER CHECK (units IS NULL OR units > 0),
    PRIMARY KEY (planned_id, position)
);
