-- Running totals of each credential's current cycle (version 3), so that status for every
-- credential reads a few rows instead of aggregating the whole ledger. The store keeps them in
-- step with `credits` inside the same transactions; this fills them for existing data.

CREATE TABLE cycle_totals (
    credential_id   INTEGER NOT NULL REFERENCES credentials(id) ON DELETE CASCADE,
    -- '' for credits in no category.
    category        TEXT    NOT NULL,
    units           INTEGER NOT NULL,
    cost_cents      INTEGER NOT NULL,
    activity_count  INTEGER NOT NULL,
    PRIMARY KEY (credential_id, category)
) WITHOUT ROWID;

INSERT INTO cycle_totals (credential_id, category, units, cost_cents, activity_count)
SELECT cr.credential_id, COALESCE(cr.category, ''), SUM(cr.units), SUM(a.cost_cents), COUNT(*)
FROM credentials c
JOIN credits cr ON cr.credential_id = c.id AND cr.completed_on BETWEEN c.cycle_start AND c.cycle_end
JOIN activities a ON a.id = cr.activity_id
GROUP BY cr.credential_id, COALESCE(cr.category, '');
