//! Credentials and their closed cycles.

use rusqlite::types::Value;
use rusqlite::{params, Connection, OptionalExtension, Row};

use super::ledger::rebuild_totals;
use super::{date, insert_row, optional_text, timestamp, update_row, Columns, Tx};
use crate::activity::Credit;
use crate::amount::{Cents, Units};
use crate::credential::{Credential, CredentialKind, PastCycle};
use crate::error::{Error, Result};
use crate::opening::{OpeningEntry, OPENING_TITLE};
use crate::rules::{Cycle, RenewalRules};

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
    /// Reads a row of `SELECT *` by column name, so the columns' order and any column added
    /// later (by a migration) do not matter.
    fn read(row: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            id: row.get("id")?,
            preset_id: row.get("preset_id")?,
            kind: row.get("kind")?,
            body: row.get("body")?,
            body_short: row.get("body_short")?,
            name: row.get("name")?,
            abbreviation: row.get("abbreviation")?,
            number: row.get("number")?,
            earned_on: row.get("earned_on")?,
            cycle_start: row.get("cycle_start")?,
            cycle_end: row.get("cycle_end")?,
            member: row.get("member")?,
            notes: row.get("notes")?,
            rules: row.get("rules")?,
            expiry_confirmed: row.get("expiry_confirmed")?,
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

/// What a credential stores: the one list that adding and editing both write (the preset it was
/// added from is written once, when adding).
fn stored_columns(credential: &Credential) -> Result<Columns> {
    let text = optional_text;
    Ok(vec![
        ("kind", Value::Text(credential.kind.as_str().to_string())),
        ("body", Value::Text(credential.body.clone())),
        ("body_short", Value::Text(credential.body_short.clone())),
        ("name", Value::Text(credential.name.clone())),
        ("abbreviation", Value::Text(credential.abbreviation.clone())),
        ("number", text(&credential.number)),
        ("earned_on", Value::Text(credential.earned_on.to_string())),
        ("cycle_start", Value::Text(credential.cycle.start.to_string())),
        ("cycle_end", Value::Text(credential.cycle.end.to_string())),
        ("member", Value::Integer(credential.member.into())),
        ("notes", text(&credential.notes)),
        ("rules", Value::Text(rules_json(&credential.rules)?)),
        ("expiry_confirmed", Value::Integer(credential.expiry_confirmed.into())),
    ])
}

pub(super) fn credential(conn: &Connection, id: i64) -> Result<Credential> {
    conn.query_row("SELECT * FROM credentials WHERE id = ?1", [id], CredentialRow::read)
        .optional()?
        .ok_or_else(|| Error::not_found("credential", id))?
        .into_credential()
}

pub(super) fn credentials(conn: &Connection) -> Result<Vec<Credential>> {
    let mut statement = conn.prepare_cached("SELECT * FROM credentials ORDER BY id")?;
    let rows = statement.query_map([], CredentialRow::read)?.collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter().map(CredentialRow::into_credential).collect()
}

pub(super) fn past_cycles(conn: &Connection, credential_id: i64) -> Result<Vec<PastCycle>> {
    let mut statement = conn.prepare(
        "SELECT credential_id, cycle_start, cycle_end, renewed_on, fee_paid_cents, units_required, units_earned,
                expiry_was_confirmed
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
                row.get::<_, bool>(7)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|(credential_id, start, end, renewed_on, fee, required, earned, was_confirmed)| {
            Ok(PastCycle {
                credential_id,
                start: date(start)?,
                end: date(end)?,
                renewed_on: date(renewed_on)?,
                fee_paid: fee.map(Cents),
                units_required: required.map(Units),
                units_earned: Units(earned),
                expiry_was_confirmed: was_confirmed,
            })
        })
        .collect()
}

pub(super) fn count_past_cycles(conn: &Connection, credential_id: i64) -> Result<i64> {
    Ok(conn.query_row("SELECT COUNT(*) FROM past_cycles WHERE credential_id = ?1", [credential_id], |r| r.get(0))?)
}

impl Tx<'_> {
    /// Stores a new credential with its opening balance; returns its id.
    pub fn insert_credential(
        &self,
        credential: &Credential,
        opening: &[OpeningEntry],
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<i64> {
        let mut columns = stored_columns(credential)?;
        columns.push(("preset_id", optional_text(&credential.preset_id)));
        columns.push(("created_at", Value::Text(timestamp(now))));
        let id = insert_row(&self.tx, "credentials", columns)?;
        insert_opening_balance(&self.tx, &Credential { id, ..credential.clone() }, opening, now)?;
        rebuild_totals(&self.tx, id)?;
        Ok(id)
    }

    /// Stores several new credentials, each with its opening balance; returns their ids in order
    /// (all or none: the transaction rolls back on the first failure).
    pub fn insert_credentials(
        &self,
        credentials: &[(Credential, Vec<OpeningEntry>)],
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Vec<i64>> {
        credentials.iter().map(|(credential, opening)| self.insert_credential(credential, opening, now)).collect()
    }

    /// Replaces a credential's fields and all of its credits (recomputed by the caller, from
    /// what it read in this same transaction, when rules or the cycle change) and, when `opening`
    /// is given, its opening balance (the caller leaves the old balance's credits out of `credits`).
    pub fn update_credential(
        &self,
        credential: &Credential,
        credits: &[Credit],
        opening: Option<&[OpeningEntry]>,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<()> {
        let changed = update_row(&self.tx, "credentials", credential.id, stored_columns(credential)?)?;
        if changed == 0 {
            return Err(Error::not_found("credential", credential.id));
        }
        self.tx.execute("DELETE FROM credits WHERE credential_id = ?1", [credential.id])?;
        super::ledger::insert_credits(&self.tx, credits)?;
        if let Some(opening) = opening {
            self.tx.execute("DELETE FROM activities WHERE opening_balance_for = ?1", [credential.id])?;
            insert_opening_balance(&self.tx, credential, opening, now)?;
        }
        rebuild_totals(&self.tx, credential.id)
    }

    /// Adds opening-balance entries to a credential (an import of a Recert spreadsheet).
    pub fn add_opening_balance(
        &self,
        credential: &Credential,
        opening: &[OpeningEntry],
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<()> {
        insert_opening_balance(&self.tx, credential, opening, now)?;
        rebuild_totals(&self.tx, credential.id)
    }

    /// Removes a credential, its history and its credits; the activities stay in the ledger.
    pub fn delete_credential(&self, id: i64) -> Result<()> {
        if self.tx.execute("DELETE FROM credentials WHERE id = ?1", [id])? == 0 {
            return Err(Error::not_found("credential", id));
        }
        Ok(())
    }

    /// Marks a credential's current deadline as checked by the user.
    pub fn confirm_expiry(&self, id: i64) -> Result<()> {
        if self.tx.execute("UPDATE credentials SET expiry_confirmed = 1 WHERE id = ?1", [id])? == 0 {
            return Err(Error::not_found("credential", id));
        }
        Ok(())
    }

    /// Closes the current cycle into history and starts `next`, whose end is `confirmed` or not.
    pub fn renew(&self, closed: &PastCycle, next: Cycle, confirmed: bool) -> Result<()> {
        self.tx.execute(
            "INSERT INTO past_cycles (credential_id, cycle_start, cycle_end, renewed_on, fee_paid_cents,
                                      units_required, units_earned, expiry_was_confirmed)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                closed.credential_id,
                closed.start.to_string(),
                closed.end.to_string(),
                closed.renewed_on.to_string(),
                closed.fee_paid.map(|c| c.0),
                closed.units_required.map(|u| u.0),
                closed.units_earned.0,
                closed.expiry_was_confirmed,
            ],
        )?;
        let changed = self.tx.execute(
            "UPDATE credentials SET cycle_start = ?2, cycle_end = ?3, expiry_confirmed = ?4 WHERE id = ?1",
            params![closed.credential_id, next.start.to_string(), next.end.to_string(), confirmed],
        )?;
        if changed == 0 {
            return Err(Error::not_found("credential", closed.credential_id));
        }
        rebuild_totals(&self.tx, closed.credential_id)
    }

    /// Reopens the most recent closed cycle of a credential as its current one: the renewal
    /// recorded last is taken back.
    pub fn undo_last_renewal(&self, credential_id: i64) -> Result<()> {
        let last: Option<(i64, String, String, bool)> = self
            .tx
            .query_row(
                "SELECT id, cycle_start, cycle_end, expiry_was_confirmed FROM past_cycles WHERE credential_id = ?1
                 ORDER BY cycle_end DESC, id DESC LIMIT 1",
                [credential_id],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
            )
            .optional()?;
        let Some((past_id, start, end, confirmed)) = last else {
            return Err(Error::invalid("renewal", "no renewal is recorded for this credential"));
        };
        self.tx.execute(
            "UPDATE credentials SET cycle_start = ?2, cycle_end = ?3, expiry_confirmed = ?4 WHERE id = ?1",
            params![credential_id, start, end, confirmed],
        )?;
        self.tx.execute("DELETE FROM past_cycles WHERE id = ?1", [past_id])?;
        rebuild_totals(&self.tx, credential_id)
    }
}

/// Stores each opening-balance entry as an activity dated on the cycle's first day, credited (as
/// typed units) to `credential` only. Totals are rebuilt by the caller.
fn insert_opening_balance(
    conn: &Connection,
    credential: &Credential,
    opening: &[OpeningEntry],
    now: chrono::DateTime<chrono::Utc>,
) -> Result<()> {
    for entry in opening {
        conn.execute(
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
        let activity_id = conn.last_insert_rowid();
        if let Some(category) = &entry.category {
            conn.execute(
                "INSERT INTO activity_categories (activity_id, position, category) VALUES (?1, 0, ?2)",
                params![activity_id, category],
            )?;
        }
        super::ledger::insert_credits(
            conn,
            &[Credit {
                activity_id,
                credential_id: credential.id,
                completed_on: credential.cycle.start,
                units: entry.units,
                category: entry.category.clone(),
                overridden: true,
                late_for_cycle_end: None,
                standing: crate::activity::Standing::Counted,
            }],
        )?;
    }
    Ok(())
}

pub(super) fn opening_balances_in_current_cycle(conn: &Connection) -> Result<std::collections::HashMap<i64, u32>> {
    let mut statement = conn.prepare_cached(
        "SELECT c.id, COUNT(*) FROM activities a
           JOIN credentials c ON c.id = a.opening_balance_for
           JOIN credits cr ON cr.activity_id = a.id AND cr.credential_id = c.id
          WHERE cr.completed_on BETWEEN c.cycle_start AND c.cycle_end AND cr.late_for_cycle_end IS NULL
          GROUP BY c.id",
    )?;
    let counts = statement
        .query_map([], |row| Ok((row.get::<_, i64>(0)?, row.get::<_, u32>(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(counts)
}

pub(super) fn opening_balance_activities(conn: &Connection, credential_id: i64) -> Result<Vec<i64>> {
    let mut statement = conn.prepare_cached("SELECT id FROM activities WHERE opening_balance_for = ?1 ORDER BY id")?;
    let ids = statement.query_map([credential_id], |row| row.get(0))?.collect::<rusqlite::Result<Vec<i64>>>()?;
    Ok(ids)
}
