//! The SQLite store: the only module that holds SQL. One file in the data folder, WAL journal,
//! foreign keys on, every multi-row change in one transaction.

pub mod migrate;

use std::collections::HashMap;
use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};

use crate::activity::{Activity, Credit, Proof, ValidActivity};
use crate::amount::{Cents, Hours, Units};
use crate::credential::{Credential, CredentialKind, PastCycle};
use crate::error::{Error, Result};
use crate::opening::{OpeningEntry, OPENING_TITLE};
use crate::progress::CycleTotals;
use crate::reminders::{Reminder, ReminderHistory};
use crate::rules::{Cycle, RenewalRules};

pub const DATABASE_FILE: &str = "recert.sqlite3";

/// A reminder as recorded in the history.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LoggedReminder {
    pub key: String,
    pub credential_id: i64,
    /// The deadline of the cycle the reminder was about.
    pub cycle_end: String,
    pub kind: String,
    pub due_on: String,
    pub title: String,
    pub body: String,
    pub raised_at: String,
    pub shown: bool,
    pub error: Option<String>,
    /// Its cause is gone (renewed, card added, credits logged): filled in by the service.
    pub resolved: bool,
}

pub struct Store {
    conn: Connection,
}

/// The size of a database in the terms a user knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct DatabaseSummary {
    pub version: i64,
    pub credentials: i64,
    pub activities: i64,
}

fn date(text: String) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(&text, "%Y-%m-%d")
        .map_err(|_| Error::Corrupt(format!("bad date {text:?} in the database")))
}

fn timestamp(now: DateTime<Utc>) -> String {
    now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

const CREDENTIAL_COLUMNS: &str = "id, preset_id, kind, body, body_short, name, abbreviation, number, earned_on, \
     cycle_start, cycle_end, member, notes, rules, expiry_confirmed";

/// Columns as stored, before dates and rules are parsed (row mapping cannot return our errors).
struct CredentialRow {
    id: i64,
    preset_id: Option<String>,
    kind: String,
    body: String,
    body_short: String,
    name: String,
    abbreviation: String,
    number: Option<String>,
    earned_on: String,
    cycle_start: String,
    cycle_end: String,
    member: bool,
    notes: Option<String>,
    rules: String,
    expiry_confirmed: bool,
}

impl CredentialRow {
    fn read(row: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            id: row.get(0)?,
            preset_id: row.get(1)?,
            kind: row.get(2)?,
            body: row.get(3)?,
            body_short: row.get(4)?,
            name: row.get(5)?,
            abbreviation: row.get(6)?,
            number: row.get(7)?,
            earned_on: row.get(8)?,
            cycle_start: row.get(9)?,
            cycle_end: row.get(10)?,
            member: row.get(11)?,
            notes: row.get(12)?,
            rules: row.get(13)?,
            expiry_confirmed: row.get(14)?,
        })
    }

    fn into_credential(self) -> Result<Credential> {
        let rules: RenewalRules = serde_json::from_str(&self.rules)
            .map_err(|e| Error::Corrupt(format!("rules of credential {}: {e}", self.id)))?;
        Ok(Credential {
            id: self.id,
            preset_id: self.preset_id,
            kind: CredentialKind::parse(&self.kind)?,
            body: self.body,
            body_short: self.body_short,
            name: self.name,
            abbreviation: self.abbreviation,
            number: self.number,
            earned_on: date(self.earned_on)?,
            cycle: Cycle { start: date(self.cycle_start)?, end: date(self.cycle_end)? },
            expiry_confirmed: self.expiry_confirmed,
            member: self.member,
            notes: self.notes,
            rules,
        })
    }
}

fn rules_json(rules: &RenewalRules) -> Result<String> {
    serde_json::to_string(rules).map_err(|e| Error::Corrupt(format!("rules could not be written: {e}")))
}

fn insert_credits(tx: &Transaction<'_>, credits: &[Credit]) -> Result<()> {
    let mut insert = tx.prepare(
        "INSERT INTO credits (activity_id, credential_id, completed_on, units, category, overridden, late_for_cycle_end)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for credit in credits {
        insert.execute(params![
            credit.activity_id,
            credit.credential_id,
            credit.completed_on.to_string(),
            credit.units.0,
            credit.category,
            credit.overridden,
            credit.late_for_cycle_end.map(|end| end.to_string()),
        ])?;
    }
    Ok(())
}

/// Inserts one activity, its categories and credits, and adds them to the running totals.
fn insert_activity_in(
    tx: &Transaction<'_>,
    activity: &ValidActivity,
    proof: Option<&Proof>,
    credits: &[Credit],
    now: DateTime<Utc>,
) -> Result<i64> {
    tx.execute(
        "INSERT INTO activities (title, provider, completed_on, hours, cost_cents, notes, proof_path, proof_name,
                     proof_sha256, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            activity.title,
            activity.provider,
            activity.completed_on.to_string(),
            activity.hours.0,
            activity.cost.0,
            activity.notes,
            proof.map(|p| &p.stored_path),
            proof.map(|p| &p.original_name),
            proof.map(|p| &p.sha256),
            timestamp(now),
        ],
    )?;
    let activity_id = tx.last_insert_rowid();
    {
        let mut insert =
            tx.prepare("INSERT INTO activity_categories (activity_id, position, category) VALUES (?1, ?2, ?3)")?;
        for (position, category) in activity.categories.iter().enumerate() {
            insert.execute(params![activity_id, position as i64, category])?;
        }
    }
    let credits: Vec<Credit> = credits.iter().map(|c| Credit { activity_id, ..c.clone() }).collect();
    insert_credits(tx, &credits)?;
    adjust_totals_for_activity(tx, activity_id, 1)?;
    Ok(activity_id)
}

/// Stores each opening-balance entry as an activity dated on the cycle's first day, credited (as
/// typed units) to `credential` only. Totals are rebuilt by the caller.
fn insert_opening_balance(
    tx: &Transaction<'_>,
    credential: &Credential,
    opening: &[OpeningEntry],
    now: DateTime<Utc>,
) -> Result<()> {
    for entry in opening {
        tx.execute(
            "INSERT INTO activities (title, completed_on, hours, cost_cents, created_at, opening_balance_for)
             VALUES (?1, ?2, ?3, 0, ?4, ?5)",
            params![
                OPENING_TITLE,
                credential.cycle.start.to_string(),
                entry.hours(credential).0,
                timestamp(now),
                credential.id
            ],
        )?;
        let activity_id = tx.last_insert_rowid();
        if let Some(category) = &entry.category {
            tx.execute(
                "INSERT INTO activity_categories (activity_id, position, category) VALUES (?1, 0, ?2)",
                params![activity_id, category],
            )?;
        }
        insert_credits(
            tx,
            &[Credit {
                activity_id,
                credential_id: credential.id,
                completed_on: credential.cycle.start,
                units: entry.units,
                category: entry.category.clone(),
                overridden: true,
                late_for_cycle_end: None,
            }],
        )?;
    }
    Ok(())
}

/// Whether credit `cr` counts toward the current cycle of credential `c`: its date falls in the
/// cycle, or it was completed in the late window after this cycle's end. Every total uses it.
const COUNTS_IN_CURRENT_CYCLE: &str =
    "((cr.late_for_cycle_end IS NULL AND cr.completed_on BETWEEN c.cycle_start AND c.cycle_end) \
     OR cr.late_for_cycle_end = c.cycle_end)";

/// Adds (`sign` 1) or removes (`sign` -1) one activity's credits to the running totals of the
/// credentials whose current cycle holds them.
fn adjust_totals_for_activity(tx: &Transaction<'_>, activity_id: i64, sign: i64) -> Result<()> {
    tx.execute(
        &format!(
            "INSERT INTO cycle_totals (credential_id, category, units, cost_cents, activity_count)
             SELECT cr.credential_id, COALESCE(cr.category, ''), ?2 * cr.units, ?2 * a.cost_cents, ?2
             FROM credits cr
             JOIN credentials c ON c.id = cr.credential_id AND {COUNTS_IN_CURRENT_CYCLE}
             JOIN activities a ON a.id = cr.activity_id
             WHERE cr.activity_id = ?1
             ON CONFLICT (credential_id, category) DO UPDATE SET
                 units = units + excluded.units,
                 cost_cents = cost_cents + excluded.cost_cents,
                 activity_count = activity_count + excluded.activity_count"
        ),
        params![activity_id, sign],
    )?;
    tx.execute("DELETE FROM cycle_totals WHERE activity_count = 0", [])?;
    Ok(())
}

/// Rebuilds one credential's running totals from its credits (after its cycle or credits change).
fn rebuild_totals(tx: &Transaction<'_>, credential_id: i64) -> Result<()> {
    tx.execute("DELETE FROM cycle_totals WHERE credential_id = ?1", [credential_id])?;
    tx.execute(
        &format!(
            "INSERT INTO cycle_totals (credential_id, category, units, cost_cents, activity_count) {} \
             WHERE c.id = ?1 GROUP BY cr.credential_id, COALESCE(cr.category, '')",
            aggregate_totals()
        ),
        [credential_id],
    )?;
    Ok(())
}

/// The current-cycle credits of credentials, summed from the ledger itself.
fn aggregate_totals() -> String {
    format!(
        "SELECT cr.credential_id, COALESCE(cr.category, ''), SUM(cr.units), SUM(a.cost_cents), COUNT(*)
         FROM credentials c
         JOIN credits cr ON cr.credential_id = c.id AND {COUNTS_IN_CURRENT_CYCLE}
         JOIN activities a ON a.id = cr.activity_id"
    )
}

impl Store {
    /// Opens (or creates) the database file, refusing one from a newer Recert, and migrates it,
    /// writing a backup copy into `backups/` beside it first.
    pub fn open(path: &Path, now: DateTime<Utc>) -> Result<Self> {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(format!("creating {}", parent.display()), e))?;
        }
        let mut conn = Connection::open(path)?;
        migrate::refuse_newer(&conn, path)?;
        Self::configure(&conn)?;
        let backups = path.parent().map(|dir| dir.join("backups"));
        migrate::migrate(&mut conn, backups.as_deref(), now)?;
        Ok(Self { conn })
    }

    pub fn open_in_memory() -> Result<Self> {
        let mut conn = Connection::open_in_memory()?;
        Self::configure(&conn)?;
        migrate::migrate(&mut conn, None, Utc::now())?;
        Ok(Self { conn })
    }

    /// Per-connection settings: they cannot live in migrations (foreign_keys is per connection
    /// and journal_mode cannot change inside a transaction).
    fn configure(conn: &Connection) -> Result<()> {
        conn.pragma_update(None, "foreign_keys", true)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        Ok(())
    }

    pub fn schema_version(&self) -> Result<i64> {
        migrate::schema_version(&self.conn)
    }

    /// A consistent copy of the whole database at `destination` (which must not exist).
    pub fn backup_to(&self, destination: &Path) -> Result<()> {
        if destination.exists() {
            return Err(Error::invalid("backup", format!("{} already exists", destination.display())));
        }
        self.conn.execute("VACUUM INTO ?1", [destination.to_string_lossy()])?;
        Ok(())
    }

    /// Checks a file someone wants to restore, without changing it: it must be a Recert database
    /// (the credentials table, a schema version), pass `PRAGMA integrity_check`, and not come from
    /// a newer Recert. Returns what it holds.
    pub fn inspect(path: &Path) -> Result<DatabaseSummary> {
        let not_recert = || Error::invalid("backup", format!("{} is not a Recert database", path.display()));
        let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(|_| not_recert())?;
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(|_| not_recert())?;
        let has_credentials: bool = conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'credentials')",
                [],
                |r| r.get(0),
            )
            .map_err(|_| not_recert())?;
        if version <= 0 || !has_credentials {
            return Err(not_recert());
        }
        if version > migrate::latest_version() {
            return Err(Error::NewerDatabase {
                path: path.to_path_buf(),
                found: version,
                supported: migrate::latest_version(),
            });
        }
        let check: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).map_err(|_| not_recert())?;
        if check != "ok" {
            return Err(Error::invalid("backup", format!("{} is damaged (integrity check: {check})", path.display())));
        }
        let count = |table: &str| -> Result<i64> {
            conn.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0)).map_err(|_| not_recert())
        };
        Ok(DatabaseSummary { version, credentials: count("credentials")?, activities: count("activities")? })
    }

    /// What this database holds, for a confirmation ("4 credentials, 120 activities").
    pub fn summary(&self) -> Result<DatabaseSummary> {
        let count = |table: &str| -> Result<i64> {
            Ok(self.conn.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))?)
        };
        Ok(DatabaseSummary {
            version: self.schema_version()?,
            credentials: count("credentials")?,
            activities: count("activities")?,
        })
    }

    /// Replaces the whole database with the (checked) file at `source` through SQLite's backup
    /// API, under its lock: other connections see the restored data, never half of it. An older
    /// schema is then migrated as on open.
    pub fn restore_from(&mut self, source: &Path, now: DateTime<Utc>) -> Result<()> {
        self.conn.restore(rusqlite::MAIN_DB, source, None::<fn(rusqlite::backup::Progress)>)?;
        migrate::migrate(&mut self.conn, None, now)?;
        Ok(())
    }

    // --- credentials -------------------------------------------------------------------------

    /// Stores a new credential with its opening balance, in one transaction; returns its id.
    pub fn insert_credential(
        &mut self,
        credential: &Credential,
        opening: &[OpeningEntry],
        now: DateTime<Utc>,
    ) -> Result<i64> {
        Ok(self.insert_credentials(&[(credential.clone(), opening.to_vec())], now)?[0])
    }

    /// Stores several new credentials, each with its opening balance, all or none; returns their
    /// ids in order.
    pub fn insert_credentials(
        &mut self,
        credentials: &[(Credential, Vec<OpeningEntry>)],
        now: DateTime<Utc>,
    ) -> Result<Vec<i64>> {
        let tx = self.conn.transaction()?;
        let mut ids = Vec::new();
        for (credential, opening) in credentials {
            tx.execute(
                "INSERT INTO credentials (preset_id, kind, body, body_short, name, abbreviation, number, earned_on,
                                          cycle_start, cycle_end, member, notes, rules, created_at, expiry_confirmed)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
                params![
                    credential.preset_id,
                    credential.kind.as_str(),
                    credential.body,
                    credential.body_short,
                    credential.name,
                    credential.abbreviation,
                    credential.number,
                    credential.earned_on.to_string(),
                    credential.cycle.start.to_string(),
                    credential.cycle.end.to_string(),
                    credential.member,
                    credential.notes,
                    rules_json(&credential.rules)?,
                    timestamp(now),
                    credential.expiry_confirmed,
                ],
            )?;
            let id = tx.last_insert_rowid();
            insert_opening_balance(&tx, &Credential { id, ..credential.clone() }, opening, now)?;
            rebuild_totals(&tx, id)?;
            ids.push(id);
        }
        tx.commit()?;
        Ok(ids)
    }

    /// The activities holding a credential's opening balance.
    pub fn opening_balance_activities(&self, credential_id: i64) -> Result<Vec<i64>> {
        let mut statement =
            self.conn.prepare_cached("SELECT id FROM activities WHERE opening_balance_for = ?1 ORDER BY id")?;
        let ids = statement.query_map([credential_id], |row| row.get(0))?.collect::<rusqlite::Result<Vec<i64>>>()?;
        Ok(ids)
    }

    /// Replaces a credential's fields and, in the same transaction, all of its credits (they
    /// are recomputed by the caller when rules or the cycle change) and, when `opening` is given,
    /// its opening balance (the caller leaves the old balance's credits out of `credits`).
    pub fn update_credential(
        &mut self,
        credential: &Credential,
        credits: &[Credit],
        opening: Option<&[OpeningEntry]>,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        let changed = tx.execute(
            "UPDATE credentials SET kind = ?2, body = ?3, body_short = ?4, name = ?5, abbreviation = ?6,
                    number = ?7, earned_on = ?8, cycle_start = ?9, cycle_end = ?10, member = ?11, notes = ?12,
                    rules = ?13, expiry_confirmed = ?14
             WHERE id = ?1",
            params![
                credential.id,
                credential.kind.as_str(),
                credential.body,
                credential.body_short,
                credential.name,
                credential.abbreviation,
                credential.number,
                credential.earned_on.to_string(),
                credential.cycle.start.to_string(),
                credential.cycle.end.to_string(),
                credential.member,
                credential.notes,
                rules_json(&credential.rules)?,
                credential.expiry_confirmed,
            ],
        )?;
        if changed == 0 {
            return Err(Error::not_found("credential", credential.id));
        }
        tx.execute("DELETE FROM credits WHERE credential_id = ?1", [credential.id])?;
        insert_credits(&tx, credits)?;
        if let Some(opening) = opening {
            tx.execute("DELETE FROM activities WHERE opening_balance_for = ?1", [credential.id])?;
            insert_opening_balance(&tx, credential, opening, now)?;
        }
        rebuild_totals(&tx, credential.id)?;
        tx.commit()?;
        Ok(())
    }

    pub fn credential(&self, id: i64) -> Result<Credential> {
        self.conn
            .query_row(
                &format!("SELECT {CREDENTIAL_COLUMNS} FROM credentials WHERE id = ?1"),
                [id],
                CredentialRow::read,
            )
            .optional()?
            .ok_or_else(|| Error::not_found("credential", id))?
            .into_credential()
    }

    pub fn credentials(&self) -> Result<Vec<Credential>> {
        let mut statement = self.conn.prepare(&format!("SELECT {CREDENTIAL_COLUMNS} FROM credentials ORDER BY id"))?;
        let rows = statement.query_map([], CredentialRow::read)?.collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter().map(CredentialRow::into_credential).collect()
    }

    /// Removes a credential, its history and its credits; the activities stay in the ledger.
    pub fn delete_credential(&mut self, id: i64) -> Result<()> {
        let tx = self.conn.transaction()?;
        if tx.execute("DELETE FROM credentials WHERE id = ?1", [id])? == 0 {
            return Err(Error::not_found("credential", id));
        }
        tx.commit()?;
        Ok(())
    }

    /// Marks a credential's current deadline as checked by the user.
    pub fn confirm_expiry(&mut self, id: i64) -> Result<()> {
        if self.conn.execute("UPDATE credentials SET expiry_confirmed = 1 WHERE id = ?1", [id])? == 0 {
            return Err(Error::not_found("credential", id));
        }
        Ok(())
    }

    pub fn past_cycles(&self, credential_id: i64) -> Result<Vec<PastCycle>> {
        let mut statement = self.conn.prepare(
            "SELECT credential_id, cycle_start, cycle_end, renewed_on, fee_paid_cents, units_required, units_earned
             FROM past_cycles WHERE credential_id = ?1 ORDER BY cycle_end DESC",
        )?;
        let rows = statement
            .query_map([credential_id], |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, String>(2)?,
                    row.get::<_, String>(3)?,
                    row.get::<_, Option<i64>>(4)?,
                    row.get::<_, Option<i64>>(5)?,
                    row.get::<_, i64>(6)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(|(credential_id, start, end, renewed_on, fee, required, earned)| {
                Ok(PastCycle {
                    credential_id,
                    start: date(start)?,
                    end: date(end)?,
                    renewed_on: date(renewed_on)?,
                    fee_paid: fee.map(Cents),
                    units_required: required.map(Units),
                    units_earned: Units(earned),
                })
            })
            .collect()
    }

    pub fn count_past_cycles(&self, credential_id: i64) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT COUNT(*) FROM past_cycles WHERE credential_id = ?1", [credential_id], |r| r.get(0))?)
    }

    /// Closes the current cycle into history and starts `next`, in one transaction.
    pub fn renew(&mut self, closed: &PastCycle, next: Cycle) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO past_cycles (credential_id, cycle_start, cycle_end, renewed_on, fee_paid_cents,
                                      units_required, units_earned)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                closed.credential_id,
                closed.start.to_string(),
                closed.end.to_string(),
                closed.renewed_on.to_string(),
                closed.fee_paid.map(|c| c.0),
                closed.units_required.map(|u| u.0),
                closed.units_earned.0,
            ],
        )?;
        let changed = tx.execute(
            "UPDATE credentials SET cycle_start = ?2, cycle_end = ?3, expiry_confirmed = 1 WHERE id = ?1",
            params![closed.credential_id, next.start.to_string(), next.end.to_string()],
        )?;
        if changed == 0 {
            return Err(Error::not_found("credential", closed.credential_id));
        }
        rebuild_totals(&tx, closed.credential_id)?;
        tx.commit()?;
        Ok(())
    }

    /// Reopens the most recent closed cycle of a credential as its current one, in one
    /// transaction: the renewal recorded last is taken back.
    pub fn undo_last_renewal(&mut self, credential_id: i64) -> Result<()> {
        let tx = self.conn.transaction()?;
        let last: Option<(i64, String, String)> = tx
            .query_row(
                "SELECT id, cycle_start, cycle_end FROM past_cycles WHERE credential_id = ?1
                 ORDER BY cycle_end DESC, id DESC LIMIT 1",
                [credential_id],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
            )
            .optional()?;
        let Some((past_id, start, end)) = last else {
            return Err(Error::invalid("renewal", "no renewal is recorded for this credential"));
        };
        tx.execute(
            "UPDATE credentials SET cycle_start = ?2, cycle_end = ?3 WHERE id = ?1",
            params![credential_id, start, end],
        )?;
        tx.execute("DELETE FROM past_cycles WHERE id = ?1", [past_id])?;
        rebuild_totals(&tx, credential_id)?;
        tx.commit()?;
        Ok(())
    }

    // --- activities and credits --------------------------------------------------------------

    /// Stores an activity and its credits in one transaction; returns the activity id.
    pub fn insert_activity(
        &mut self,
        activity: &ValidActivity,
        proof: Option<&Proof>,
        credits: &[Credit],
        now: DateTime<Utc>,
    ) -> Result<i64> {
        let tx = self.conn.transaction()?;
        let id = insert_activity_in(&tx, activity, proof, credits, now)?;
        tx.commit()?;
        Ok(id)
    }

    /// Stores many activities with their credits, all or none (an import); returns their ids.
    pub fn insert_activities(
        &mut self,
        batch: &[(ValidActivity, Vec<Credit>)],
        now: DateTime<Utc>,
    ) -> Result<Vec<i64>> {
        let tx = self.conn.transaction()?;
        let ids = batch
            .iter()
            .map(|(activity, credits)| insert_activity_in(&tx, activity, None, credits, now))
            .collect::<Result<Vec<_>>>()?;
        tx.commit()?;
        Ok(ids)
    }

    /// Replaces an activity's fields, its category tags and all of its credits in one
    /// transaction, keeping the running totals in step (its old credits are taken out of them
    /// before anything changes, the new ones added after). The proof stays as it was.
    pub fn update_activity(&mut self, id: i64, activity: &ValidActivity, credits: &[Credit]) -> Result<()> {
        let tx = self.conn.transaction()?;
        adjust_totals_for_activity(&tx, id, -1)?;
        let changed = tx.execute(
            "UPDATE activities SET title = ?2, provider = ?3, completed_on = ?4, hours = ?5, cost_cents = ?6, notes = ?7
             WHERE id = ?1",
            params![
                id,
                activity.title,
                activity.provider,
                activity.completed_on.to_string(),
                activity.hours.0,
                activity.cost.0,
                activity.notes,
            ],
        )?;
        if changed == 0 {
            return Err(Error::not_found("activity", id));
        }
        tx.execute("DELETE FROM activity_categories WHERE activity_id = ?1", [id])?;
        {
            let mut insert =
                tx.prepare("INSERT INTO activity_categories (activity_id, position, category) VALUES (?1, ?2, ?3)")?;
            for (position, category) in activity.categories.iter().enumerate() {
                insert.execute(params![id, position as i64, category])?;
            }
        }
        tx.execute("DELETE FROM credits WHERE activity_id = ?1", [id])?;
        let credits: Vec<Credit> = credits.iter().map(|c| Credit { activity_id: id, ..c.clone() }).collect();
        insert_credits(&tx, &credits)?;
        adjust_totals_for_activity(&tx, id, 1)?;
        tx.commit()?;
        Ok(())
    }

    fn read_activities(&self, filter: &str, id: Option<i64>) -> Result<Vec<Activity>> {
        let mut statement = self.conn.prepare(&format!(
            "SELECT id, title, provider, completed_on, hours, cost_cents, notes, proof_path, proof_name, proof_sha256,
                    opening_balance_for
             FROM activities {filter} ORDER BY completed_on DESC, id DESC"
        ))?;
        let read = |row: &Row<'_>| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, Option<String>>(2)?,
                row.get::<_, String>(3)?,
                row.get::<_, i64>(4)?,
                row.get::<_, i64>(5)?,
                row.get::<_, Option<String>>(6)?,
                (row.get::<_, Option<String>>(7)?, row.get::<_, Option<String>>(8)?, row.get::<_, Option<String>>(9)?),
                row.get::<_, Option<i64>>(10)?,
            ))
        };
        let rows = match id {
            Some(id) => statement.query_map([id], read)?.collect::<rusqlite::Result<Vec<_>>>()?,
            None => statement.query_map([], read)?.collect::<rusqlite::Result<Vec<_>>>()?,
        };
        let mut categories = self.activity_categories(id)?;
        rows.into_iter()
            .map(|(id, title, provider, completed_on, hours, cost, notes, (path, name, sha), opening_balance_for)| {
                let proof = match (path, name, sha) {
                    (Some(stored_path), Some(original_name), Some(sha256)) => {
                        Some(Proof { stored_path, original_name, sha256 })
                    }
                    _ => None,
                };
                Ok(Activity {
                    id,
                    title,
                    provider,
                    completed_on: date(completed_on)?,
                    hours: Hours(hours),
                    cost: Cents(cost),
                    categories: categories.remove(&id).unwrap_or_default(),
                    notes,
                    proof,
                    opening_balance_for,
                })
            })
            .collect()
    }

    fn activity_categories(&self, id: Option<i64>) -> Result<HashMap<i64, Vec<String>>> {
        let mut statement = self.conn.prepare(
            "SELECT activity_id, category FROM activity_categories
             WHERE ?1 IS NULL OR activity_id = ?1 ORDER BY activity_id, position",
        )?;
        let mut map: HashMap<i64, Vec<String>> = HashMap::new();
        let rows = statement.query_map([id], |row| Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?)))?;
        for row in rows {
            let (activity_id, category) = row?;
            map.entry(activity_id).or_default().push(category);
        }
        Ok(map)
    }

    /// Every activity, newest first.
    pub fn activities(&self) -> Result<Vec<Activity>> {
        self.read_activities("", None)
    }

    pub fn activity(&self, id: i64) -> Result<Activity> {
        self.read_activities("WHERE id = ?1", Some(id))?.pop().ok_or_else(|| Error::not_found("activity", id))
    }

    /// Removes an activity and its credits.
    pub fn delete_activity(&mut self, id: i64) -> Result<()> {
        let tx = self.conn.transaction()?;
        adjust_totals_for_activity(&tx, id, -1)?;
        if tx.execute("DELETE FROM activities WHERE id = ?1", [id])? == 0 {
            return Err(Error::not_found("activity", id));
        }
        tx.commit()?;
        Ok(())
    }

    fn read_credits(&self, column: &str, id: i64) -> Result<Vec<Credit>> {
        let mut statement = self.conn.prepare(&format!(
            "SELECT activity_id, credential_id, completed_on, units, category, overridden, late_for_cycle_end
             FROM credits WHERE {column} = ?1 ORDER BY completed_on DESC, activity_id DESC"
        ))?;
        let rows = statement
            .query_map([id], |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, i64>(1)?,
                    row.get::<_, String>(2)?,
                    row.get::<_, i64>(3)?,
                    row.get::<_, Option<String>>(4)?,
                    row.get::<_, bool>(5)?,
                    row.get::<_, Option<String>>(6)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(|(activity_id, credential_id, completed_on, units, category, overridden, late_for)| {
                Ok(Credit {
                    activity_id,
                    credential_id,
                    completed_on: date(completed_on)?,
                    units: Units(units),
                    category,
                    overridden,
                    late_for_cycle_end: late_for.map(date).transpose()?,
                })
            })
            .collect()
    }

    pub fn credits_for_activity(&self, activity_id: i64) -> Result<Vec<Credit>> {
        self.read_credits("activity_id", activity_id)
    }

    pub fn credits_for_credential(&self, credential_id: i64) -> Result<Vec<Credit>> {
        self.read_credits("credential_id", credential_id)
    }

    /// Per credential, the credits inside its current cycle summed by category, and what those
    /// activities cost: the running totals, a few rows per credential.
    pub fn current_cycle_totals(&self) -> Result<HashMap<i64, CycleTotals>> {
        self.read_totals("SELECT credential_id, category, units, cost_cents, activity_count FROM cycle_totals")
    }

    /// The same figures summed from the whole ledger (slow); the running totals must equal it.
    pub fn current_cycle_totals_from_ledger(&self) -> Result<HashMap<i64, CycleTotals>> {
        self.read_totals(&format!("{} GROUP BY cr.credential_id, COALESCE(cr.category, '')", aggregate_totals()))
    }

    fn read_totals(&self, sql: &str) -> Result<HashMap<i64, CycleTotals>> {
        let mut statement = self.conn.prepare_cached(sql)?;
        let mut totals: HashMap<i64, CycleTotals> = HashMap::new();
        let rows = statement.query_map([], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, i64>(2)?,
                row.get::<_, i64>(3)?,
                row.get::<_, i64>(4)?,
            ))
        })?;
        for row in rows {
            let (credential_id, category, units, cost, count) = row?;
            let entry = totals.entry(credential_id).or_default();
            entry.by_category.push(((!category.is_empty()).then_some(category), Units(units)));
            entry.course_costs += Cents(cost);
            entry.activity_count += count as u32;
        }
        for entry in totals.values_mut() {
            entry.by_category.sort();
        }
        Ok(totals)
    }

    // --- reminders ---------------------------------------------------------------------------

    /// Keys shown before, and snoozes, for the planner.
    pub fn reminder_history(&self) -> Result<ReminderHistory> {
        let mut history = ReminderHistory::default();
        let mut shown =
            self.conn.prepare_cached("SELECT DISTINCT reminder_key FROM reminder_log WHERE delivery = 'shown'")?;
        for key in shown.query_map([], |row| row.get::<_, String>(0))? {
            history.shown.insert(key?);
        }
        let mut snoozes = self.conn.prepare_cached("SELECT reminder_key, until FROM reminder_snoozes")?;
        let rows = snoozes.query_map([], |row| Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?)))?;
        for row in rows {
            let (key, until) = row?;
            history.snoozed_until.insert(key, date(until)?);
        }
        Ok(history)
    }

    /// Records a raised reminder; a shown one ends its snooze, in the same transaction.
    pub fn record_reminder(
        &mut self,
        reminder: &Reminder,
        delivery_error: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO reminder_log (reminder_key, credential_id, cycle_end, kind, due_on, title, body, raised_at,
                                       delivery, error)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                reminder.key,
                reminder.credential_id,
                reminder.cycle_end.to_string(),
                reminder.kind.as_str(),
                reminder.due_on.to_string(),
                reminder.title,
                reminder.body,
                timestamp(now),
                if delivery_error.is_none() { "shown" } else { "failed" },
                delivery_error,
            ],
        )?;
        if delivery_error.is_none() {
            tx.execute("DELETE FROM reminder_snoozes WHERE reminder_key = ?1", [&reminder.key])?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Snoozes the reminder logged as `key` until `until`.
    pub fn snooze_reminder(&mut self, key: &str, until: NaiveDate) -> Result<()> {
        let credential_id: i64 = self
            .conn
            .query_row("SELECT credential_id FROM reminder_log WHERE reminder_key = ?1 LIMIT 1", [key], |row| {
                row.get(0)
            })
            .optional()?
            .ok_or_else(|| Error::not_found("reminder", key))?;
        self.conn.execute(
            "INSERT INTO reminder_snoozes (reminder_key, credential_id, until) VALUES (?1, ?2, ?3)
             ON CONFLICT(reminder_key) DO UPDATE SET until = excluded.until",
            params![key, credential_id, until.to_string()],
        )?;
        Ok(())
    }

    /// The most recent reminders raised, newest first.
    pub fn reminder_log(&self, limit: u32) -> Result<Vec<LoggedReminder>> {
        let mut statement = self.conn.prepare(
            "SELECT reminder_key, credential_id, kind, due_on, title, body, raised_at, delivery, error, cycle_end
             FROM reminder_log ORDER BY raised_at DESC, id DESC LIMIT ?1",
        )?;
        let rows = statement.query_map([limit], |row| {
            Ok(LoggedReminder {
                key: row.get(0)?,
                credential_id: row.get(1)?,
                kind: row.get(2)?,
                due_on: row.get(3)?,
                title: row.get(4)?,
                body: row.get(5)?,
                raised_at: row.get(6)?,
                shown: row.get::<_, String>(7)? == "shown",
                error: row.get(8)?,
                cycle_end: row.get(9)?,
                resolved: false,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    // --- settings ----------------------------------------------------------------------------

    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(self.conn.query_row("SELECT value FROM settings WHERE key = ?1", [key], |row| row.get(0)).optional()?)
    }

    pub fn set_setting(&mut self, key: &str, value: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests;
