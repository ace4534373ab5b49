-- Notifications on screen whose buttons (Open Recert, Snooze 1 day) a Recert process follows
-- (version 7). On Linux the window process ends when its window closes; the background agent then
-- takes its notifications over by showing them again under the same id (the notification server
-- replaces them in place), so their buttons still work. A row goes when its notification closes.
-- `bus` is the D-Bus session it was shown on: ids of another session mean nothing.

CREATE TABLE open_notifications (
    bus              TEXT    NOT NULL,
    notification_id  INTEGER NOT NULL,
    summary          TEXT    NOT NULL,
    body             TEXT    NOT NULL,
    reminder_keys    TEXT    NOT NULL,  -- one per line
    shown_at         TEXT    NOT NULL,
    PRIMARY KEY (bus, notification_id)
) WITHOUT ROWID;
