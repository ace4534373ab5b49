-- Version 5: opening balances. Units a user had already earned in a credential's current cycle
-- before using Recert are kept in the ledger as an activity ("Earned before Recert") credited only
-- to that credential; this column says which one, so editing the balance replaces exactly it.
ALTER TABLE activities ADD COLUMN opening_balance_for INTEGER REFERENCES credentials(id) ON DELETE CASCADE;
CREATE INDEX activities_by_opening_balance ON activities(opening_balance_for) WHERE opening_balance_for IS NOT NULL;
