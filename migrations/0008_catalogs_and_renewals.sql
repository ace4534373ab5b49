-- Rules files loaded by the user, and renewals that can be taken back exactly (version 8).

-- Catalogs loaded from a rules file (`recert catalog update`), newest last. The newest row is in
-- use while its date is not older than the catalog built into Recert; `recert catalog undo`
-- removes it, and the one before (or the built-in one) is in use again.
CREATE TABLE catalogs (
    id            INTEGER PRIMARY KEY,
    version       TEXT    NOT NULL,
    published_on  TEXT    NOT NULL CHECK (published_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    document      TEXT    NOT NULL CHECK (json_valid(document)),
    loaded_at     TEXT    NOT NULL
);

-- Whether the deadline was confirmed before a renewal closed the cycle, so that undoing the
-- renewal restores it. Renewals recorded before this version did not keep it: taking one of them
-- back asks the user to check the deadline again, which is the safer reading.
ALTER TABLE past_cycles ADD COLUMN expiry_was_confirmed INTEGER NOT NULL DEFAULT 0
    CHECK (expiry_was_confirmed IN (0, 1));

-- What the CPR/AED cards added before this version cover, from the presets they were added
-- from (a prerequisite that needs First Aid checks it). Cards typed in stay unknown.
UPDATE credentials SET rules = json_set(rules, '$.covers', json('["cpr","aed"]'))
 WHERE kind = 'cpr_aed' AND preset_id = 'cpr-aed-aha' AND json_extract(rules, '$.covers') IS NULL;
UPDATE credentials SET rules = json_set(rules, '$.covers', json('["cpr","aed","first_aid"]'))
 WHERE kind = 'cpr_aed' AND preset_id = 'cpr-aed-arc' AND json_extract(rules, '$.covers') IS NULL;
