-- Version 4: deadlines Recert worked out are marked until the user confirms them, and credits
-- completed inside a body's late window count toward the cycle that had just ended.

-- 1 when the cycle end was typed, recorded by a renewal or confirmed by the user; 0 when Recert
-- assumed renewals (or used a rule the body has not confirmed) to reach it.
ALTER TABLE credentials ADD COLUMN expiry_confirmed INTEGER NOT NULL DEFAULT 1 CHECK (expiry_confirmed IN (0, 1));

-- Earlier versions walked a credential's cycles forward from the date first earned, assuming
-- every renewal happened on time, and did not say so. A credential whose current cycle starts
-- after the date it was earned, with no renewal recorded, reached that cycle by such an
-- assumption (or by an expiry the user typed): ask once to check it.
UPDATE credentials SET expiry_confirmed = 0
WHERE kind = 'credential'
  AND cycle_start > earned_on
  AND NOT EXISTS (SELECT 1 FROM past_cycles p WHERE p.credential_id = credentials.id);

-- The end of the cycle a late credit counts toward (NASM accepts courses completed up to 90 days
-- after the expiry); NULL for a credit that counts toward the cycle its date falls in.
ALTER TABLE credits ADD COLUMN late_for_cycle_end TEXT
    CHECK (late_for_cycle_end IS NULL OR late_for_cycle_end GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]');
