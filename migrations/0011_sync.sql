-- Sync between computers (version 11, issue 22). Changes, not files: every change to the user's
-- data is captured here by triggers, whichever program writes it, and the store stamps each changed
-- field with a hybrid logical clock when its write transaction ends (store/sync.rs). While this
-- computer does not sync, nothing is marked (nothing to pay); turning syncing on marks every row
-- once, and what differs from the merged state is stamped then. Rows that
-- travel get an identifier no two machines can both make (a UUIDv7, made here in SQL: 48 bits of
-- milliseconds, the version, 74 random bits); the integer ids stay this machine's own.

-- This computer: its identity in the shared folder, its clock (the last stamp given), the shared
-- folder when syncing is on, and how far its own changes have been written out.
CREATE TABLE sync_device (
    only         INTEGER PRIMARY KEY CHECK (only = 1),
    device       TEXT    NOT NULL,
    name         TEXT,
    folder       TEXT,
    last_hlc     INTEGER NOT NULL DEFAULT 0,
    exported_hlc INTEGER NOT NULL DEFAULT 0
);
INSERT INTO sync_device (only, device) VALUES (1, lower(printf('%08x-%04x-7%03x-%x%03x-%012x', CAST(unixepoch('subsec') * 1000 AS INTEGER) >> 16, CAST(unixepoch('subsec') * 1000 AS INTEGER) & 65535, random() & 4095, 8 + (random() & 3), random() & 4095, random() & 281474976710655)));

-- Rows changed since their fields were last stamped: (table, key). Filled by the triggers below.
CREATE TABLE sync_dirty (
    tbl      TEXT NOT NULL,
    row_key  TEXT NOT NULL,
    PRIMARY KEY (tbl, row_key)
) WITHOUT ROWID;

-- The merged state: for every field of every row that travels, the value that won (latest stamp,
-- then device), the stamp and the device. `_deleted` = 1 is a row's tombstone. References to other
-- rows are held by uid; a reminder key names its credential by uid.
CREATE TABLE sync_fields (
    tbl      TEXT    NOT NULL,
    row_key  TEXT    NOT NULL,
    col      TEXT    NOT NULL,
    value,
    hlc      INTEGER NOT NULL,
    device   TEXT    NOT NULL,
    PRIMARY KEY (tbl, row_key, col)
) WITHOUT ROWID;
CREATE INDEX sync_fields_by_stamp ON sync_fields(device, hlc);

-- Rows of the merged state that cannot be written yet (a row they refer to has not arrived, or a
-- field is missing): tried again after every batch.
CREATE TABLE sync_waiting (
    tbl      TEXT NOT NULL,
    row_key  TEXT NOT NULL,
    reason   TEXT NOT NULL,
    PRIMARY KEY (tbl, row_key)
) WITHOUT ROWID;

-- The other computers seen in the shared folder.
CREATE TABLE sync_peers (
    device        TEXT    PRIMARY KEY,
    name          TEXT,
    last_hlc      INTEGER NOT NULL DEFAULT 0,
    last_sent_at  TEXT,
    received_at   TEXT
) WITHOUT ROWID;

-- Change files applied whole, per device, so a sync reads only what is new.
CREATE TABLE sync_applied_files (
    device  TEXT NOT NULL,
    file    TEXT NOT NULL,
    PRIMARY KEY (device, file)
) WITHOUT ROWID;

-- A field two computers changed where the later one won: what the other had (the credential's
-- history shows it).
CREATE TABLE sync_overwritten (
    id            INTEGER PRIMARY KEY,
    tbl           TEXT    NOT NULL,
    row_key       TEXT    NOT NULL,
    col           TEXT    NOT NULL,
    kept_value,
    kept_device   TEXT    NOT NULL,
    kept_hlc      INTEGER NOT NULL,
    lost_value,
    lost_device   TEXT    NOT NULL,
    lost_hlc      INTEGER NOT NULL
);
CREATE INDEX sync_overwritten_by_row ON sync_overwritten(tbl, row_key);

-- The triggers mark a changed row only while this computer syncs.

ALTER TABLE credentials ADD COLUMN uid TEXT;
UPDATE credentials SET uid = lower(printf('%08x-%04x-7%03x-%x%03x-%012x', CAST(unixepoch('subsec') * 1000 AS INTEGER) >> 16, CAST(unixepoch('subsec') * 1000 AS INTEGER) & 65535, random() & 4095, 8 + (random() & 3), random() & 4095, random() & 281474976710655));
CREATE UNIQUE INDEX credentials_by_uid ON credentials(uid);
-- The store gives each new row its uid; a row inserted without one gets it here.
CREATE TRIGGER credentials_uid AFTER INSERT ON credentials WHEN NEW.uid IS NULL BEGIN
    UPDATE credentials SET uid = lower(printf('%08x-%04x-7%03x-%x%03x-%012x', CAST(unixepoch('subsec') * 1000 AS INTEGER) >> 16, CAST(unixepoch('subsec') * 1000 AS INTEGER) & 65535, random() & 4095, 8 + (random() & 3), random() & 4095, random() & 281474976710655)) WHERE id = NEW.id;
END;
CREATE TRIGGER credentials_sync_insert AFTER INSERT ON credentials WHEN NEW.uid IS NOT NULL AND (SELECT folder FROM sync_device WHERE only = 1) IS NOT NULL BEGIN
    INSERT OR IGNORE INTO sync_dirty (tbl, row_key) VALUES ('credentials', NEW.uid);
END;
CREATE TRIGGER credentials_sync_update AFTER UPDATE ON credentials WHEN NEW.uid IS NOT NULL AND (SELECT folder FROM sync_device WHERE only = 1) IS NOT NULL BEGIN
    INSERT OR IGNORE INTO sync_dirty (tbl, row_key) VALUES ('credentials', NEW.uid);
END;
CREATE TRIGGER credentials_sync_delete AFTER DELETE ON credentials WHEN OLD.uid IS NOT NULL AND (SELECT folder FROM sync_device WHERE only = 1) IS NOT NULL BEGIN
    INSERT OR IGNORE INTO sync_dirty (tbl, row_key) VALUES ('credentials', OLD.uid);
END;

ALTER TABLE past_cycles ADD COLUMN uid TEXT;
UPDATE past_cycles SET uid = lower(printf('%08x-%04x-7%03x-%x%03x-%012x', CAST(unixepoch('subsec') * 1000 AS INTEGER) >> 16, CAST(unixepoch('subsec') * 1000 AS INTEGER) & 65535, random() & 4095, 8 + (random() & 3), random() & 4095, random() & 281474976710655));
CREATE UNIQUE INDEX past_cycles_by_uid ON past_cycles(uid);
-- The store gives each new row its uid; a row inserted without one gets it here.
CREATE TRIGGER past_cycles_uid AFTER INSERT ON past_cycles WHEN NEW.uid IS NULL BEGIN
    UPDATE past_cycles SET uid = lower(printf('%08x-%04x-7%03x-%x%03x-%012x', CAST(unixepoch('subsec') * 1000 AS INTEGER) >> 16, CAST(unixepoch('subsec') * 1000 AS INTEGER) & 65535, random() & 4095, 8 + (random() & 3), random() & 4095, random() & 281474976710655)) WHERE id = NEW.id;
END;
CREATE TRIGGER past_cycles_sync_insert AFTER INSERT ON past_cycles WHEN NEW.uid IS NOT NULL AND (SELECT folder FROM sync_device WHERE only = 1) IS NOT NULL BEGIN
    INSERT OR IGNORE INTO sync_dirty (tbl, row_key) VALUES ('past_cycles', NEW.uid);
END;
CREATE TRIGGER past_cycles_sync_update AFTER UPDATE ON past_cycles WHEN NEW.uid IS NOT NULL AND (SELECT folder FROM sync_device WHERE only = 1) IS NOT NULL BEGIN
    INSERT OR IGNORE INTO sync_dirty (tbl, row_key) VALUES ('past_cycles', NEW.uid);
END;
CREATE TRIGGER past_cycles_sync_delete AFTER DELETE ON past_cycles WHEN OLD.uid IS NOT NULL AND (SELECT folder FROM sync_device WHERE only = 1) IS NOT NULL BEGIN
    INSERT OR IGNORE INTO sync_dirty (tbl, row_key) VALUES ('past_cycles', OLD.uid);
END;

ALTER TABLE activities ADD COLUMN uid TEXT;
UPDATE activities SET uid = lower(printf('%08x-%04x-7%03x-%x%03x-%012x', CAST(unixepoch('subsec') * 1000 AS INTEGER) >> 16, CAST(unixepoch('subsec') * 1000 AS INTEGER) & 65535, random() & 4095, 8 + (random() & 3), random() & 4095, random() & 281474976710655));
CREATE UNIQUE INDEX activities_by_uid ON activities(uid);
-- The store gives each new row its uid; a row inserted without one gets it here.
CREATE TRIGGER activities_uid AFTER INSERT ON activities WHEN NEW.uid IS NULL BEGIN
    UPDATE activities SET uid = lower(printf('%08x-%04x-7%03x-%x%03x-%012x', CAST(unixepoch('subsec') * 1000 AS INTEGER) >> 16, CAST(unixepoch('subsec') * 1000 AS INTEGER) & 65535, random() & 4095, 8 + (random() & 3), random() & 4095, random() & 281474976710655)) WHERE id = NEW.id;
END;
CREATE TRIGGER activities_sync_insert AFTER INSERT ON activities WHEN NEW.uid IS NOT NULL AND (SELECT folder FROM sync_device WHERE only = 1) IS NOT NULL BEGIN
    INSERT OR IGNORE INTO sync_dirty (tbl, row_key) VALUES ('activities', NEW.uid);
END;
CREATE TRIGGER activities_sync_update AFTER UPDATE ON activities WHEN NEW.uid IS NOT NULL AND (SELECT folder FROM sync_device WHERE only = 1) IS NOT NULL BEGIN
    INSERT OR IGNORE INTO sync_dirty (tbl, row_key) VALUES ('activities', NEW.uid);
END;
CREATE TRIGGER activities_sync_delete AFTER DELETE ON activities WHEN OLD.uid IS NOT NULL AND (SELECT folder FROM sync_device WHERE only = 1) IS NOT NULL BEGIN
    INSERT OR IGNORE INTO sync_dirty (tbl, row_key) VALUES ('activities', OLD.uid);
END;

ALTER TABLE reminder_log ADD COLUMN uid TEXT;
UPDATE reminder_log SET uid = lower(printf('%08x-%04x-7%03x-%x%03x-%012x', CAST(unixepoch('subsec') * 1000 AS INTEGER) >> 16, CAST(unixepoch('subsec') * 1000 AS INTEGER) & 65535, random() & 4095, 8 + (random() & 3), random() & 4095, random() & 281474976710655));
CREATE UNIQUE INDEX reminder_log_by_uid ON reminder_log(uid);
-- The store gives each new row its uid; a row inserted without one gets it here.
CREATE TRIGGER reminder_log_uid AFTER INSERT ON reminder_log WHEN NEW.uid IS NULL BEGIN
    UPDATE reminder_log SET uid = lower(printf('%08x-%04x-7%03x-%x%03x-%012x', CAST(unixepoch('subsec') * 1000 AS INTEGER) >> 16, CAST(unixepoch('subsec') * 1000 AS INTEGER) & 65535, random() & 4095, 8 + (random() & 3), random() & 4095, random() & 281474976710655)) WHERE id = NEW.id;
END;
CREATE TRIGGER reminder_log_sync_insert AFTER INSERT ON reminder_log WHEN NEW.uid IS NOT NULL AND (SELECT folder FROM sync_device WHERE only = 1) IS NOT NULL BEGIN
    INSERT OR IGNORE INTO sync_dirty (tbl, row_key) VALUES ('reminder_log', NEW.uid);
END;
CREATE TRIGGER reminder_log_sync_update AFTER UPDATE ON reminder_log WHEN NEW.uid IS NOT NULL AND (SELECT folder FROM sync_device WHERE only = 1) IS NOT NULL BEGIN
    INSERT OR IGNORE INTO sync_dirty (tbl, row_key) VALUES ('reminder_log', NEW.uid);
END;
CREATE TRIGGER reminder_log_sync_delete AFTER DELETE ON reminder_log WHEN OLD.uid IS NOT NULL AND (SELECT folder FROM sync_device WHERE only = 1) IS NOT NULL BEGIN
    INSERT OR IGNORE INTO sync_dirty (tbl, row_key) VALUES ('reminder_log', OLD.uid);
END;

-- A credit is one activity's units for one credential: its key is the two uids.
CREATE TRIGGER credits_sync_insert AFTER INSERT ON credits WHEN (SELECT folder FROM sync_device WHERE only = 1) IS NOT NULL BEGIN
    INSERT OR IGNORE INTO sync_dirty (tbl, row_key)
    SELECT 'credits', a.uid || '/' || c.uid FROM activities a, credentials c
    WHERE a.id = NEW.activity_id AND c.id = NEW.credential_id;
END;
CREATE TRIGGER credits_sync_update AFTER UPDATE ON credits WHEN (SELECT folder FROM sync_device WHERE only = 1) IS NOT NULL BEGIN
    INSERT OR IGNORE INTO sync_dirty (tbl, row_key)
    SELECT 'credits', a.uid || '/' || c.uid FROM activities a, credentials c
    WHERE a.id = NEW.activity_id AND c.id = NEW.credential_id;
END;
CREATE TRIGGER credits_sync_delete AFTER DELETE ON credits WHEN (SELECT folder FROM sync_device WHERE only = 1) IS NOT NULL BEGIN
    INSERT OR IGNORE INTO sync_dirty (tbl, row_key)
    SELECT 'credits', a.uid || '/' || c.uid FROM activities a, credentials c
    WHERE a.id = OLD.activity_id AND c.id = OLD.credential_id;
END;

-- An activity's categories and approvals travel as two fields of the activity.
CREATE TRIGGER activity_categories_sync_insert AFTER INSERT ON activity_categories WHEN (SELECT folder FROM sync_device WHERE only = 1) IS NOT NULL BEGIN
    INSERT OR IGNORE INTO sync_dirty (tbl, row_key) SELECT 'activities', uid FROM activities WHERE id = NEW.activity_id;
END;
CREATE TRIGGER activity_categories_sync_update AFTER UPDATE ON activity_categories WHEN (SELECT folder FROM sync_device WHERE only = 1) IS NOT NULL BEGIN
    INSERT OR IGNORE INTO sync_dirty (tbl, row_key) SELECT 'activities', uid FROM activities WHERE id = NEW.activity_id;
END;
CREATE TRIGGER activity_categories_sync_delete AFTER DELETE ON activity_categories WHEN (SELECT folder FROM sync_device WHERE only = 1) IS NOT NULL BEGIN
    INSERT OR IGNORE INTO sync_dirty (tbl, row_key) SELECT 'activities', uid FROM activities WHERE id = OLD.activity_id;
END;
CREATE TRIGGER activity_approvals_sync_insert AFTER INSERT ON activity_approvals WHEN (SELECT folder FROM sync_device WHERE only = 1) IS NOT NULL BEGIN
    INSERT OR IGNORE INTO sync_dirty (tbl, row_key) SELECT 'activities', uid FROM activities WHERE id = NEW.activity_id;
END;
CREATE TRIGGER activity_approvals_sync_update AFTER UPDATE ON activity_approvals WHEN (SELECT folder FROM sync_device WHERE only = 1) IS NOT NULL BEGIN
    INSERT OR IGNORE INTO sync_dirty (tbl, row_key) SELECT 'activities', uid FROM activities WHERE id = NEW.activity_id;
END;
CREATE TRIGGER activity_approvals_sync_delete AFTER DELETE ON activity_approvals WHEN (SELECT folder FROM sync_device WHERE only = 1) IS NOT NULL BEGIN
    INSERT OR IGNORE INTO sync_dirty (tbl, row_key) SELECT 'activities', uid FROM activities WHERE id = OLD.activity_id;
END;

-- A snooze is keyed by its reminder key, whose first part (the credential's id) travels as the
-- credential's uid.
CREATE TRIGGER reminder_snoozes_sync_insert AFTER INSERT ON reminder_snoozes WHEN (SELECT folder FROM sync_device WHERE only = 1) IS NOT NULL BEGIN
    INSERT OR IGNORE INTO sync_dirty (tbl, row_key)
    SELECT 'reminder_snoozes', uid || substr(NEW.reminder_key, instr(NEW.reminder_key, ':'))
    FROM credentials WHERE id = NEW.credential_id;
END;
CREATE TRIGGER reminder_snoozes_sync_update AFTER UPDATE ON reminder_snoozes WHEN (SELECT folder FROM sync_device WHERE only = 1) IS NOT NULL BEGIN
    INSERT OR IGNORE INTO sync_dirty (tbl, row_key)
    SELECT 'reminder_snoozes', uid || substr(NEW.reminder_key, instr(NEW.reminder_key, ':'))
    FROM credentials WHERE id = NEW.credential_id;
END;
CREATE TRIGGER reminder_snoozes_sync_delete AFTER DELETE ON reminder_snoozes WHEN (SELECT folder FROM sync_device WHERE only = 1) IS NOT NULL BEGIN
    INSERT OR IGNORE INTO sync_dirty (tbl, row_key)
    SELECT 'reminder_snoozes', uid || substr(OLD.reminder_key, instr(OLD.reminder_key, ':'))
    FROM credentials WHERE id = OLD.credential_id;
END;

-- Settings of the person, not of the machine (the reminder lead times) travel; the calendar file,
-- the catalog refresh and the shared folder stay on this machine.
CREATE TRIGGER settings_sync_insert AFTER INSERT ON settings
WHEN NEW.key IN ('reminder_lead_days') AND (SELECT folder FROM sync_device WHERE only = 1) IS NOT NULL BEGIN
    INSERT OR IGNORE INTO sync_dirty (tbl, row_key) VALUES ('settings', NEW.key);
END;
CREATE TRIGGER settings_sync_update AFTER UPDATE ON settings
WHEN NEW.key IN ('reminder_lead_days') AND (SELECT folder FROM sync_device WHERE only = 1) IS NOT NULL BEGIN
    INSERT OR IGNORE INTO sync_dirty (tbl, row_key) VALUES ('settings', NEW.key);
END;
CREATE TRIGGER settings_sync_delete AFTER DELETE ON settings
WHEN OLD.key IN ('reminder_lead_days') AND (SELECT folder FROM sync_device WHERE only = 1) IS NOT NULL BEGIN
    INSERT OR IGNORE INTO sync_dirty (tbl, row_key) VALUES ('settings', OLD.key);
END;
