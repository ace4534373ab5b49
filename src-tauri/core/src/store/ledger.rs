//! The ledger: activities, their credits, and the running totals kept in step with them.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use rusqlite::types::Value;
use rusqlite::{params, Connection, Row};

use super::{date, insert_row, optional_text, timestamp, update_row, Columns, Tx};
use crate::activity::{Activity, BodyApproval, Credit, Proof, Standing, ValidActivity};
use crate::amount::{Cents, Hours, Units};
use crate::error::{Error, Result};
use crate::progress::CycleTotals;

/// What an activity stores of its form: the one list that logging and editing both write.
fn stored_columns(activity: &ValidActivity) -> Columns {
    vec![
        ("title", Value::Text(activity.title.clone())),
        ("provider", optional_text(&activity.provider)),
        ("completed_on", Value::Text(activity.completed_on.to_string())),
        ("hours", Value::Integer(activity.hours.0)),
        ("cost_cents", Value::Integer(activity.cost.0)),
        ("notes", optional_text(&activity.notes)),
    ]
}

/// The proof's columns: a kept file, or none.
fn proof_columns(proof: Option<&Proof>) -> Columns {
    let text = |field: fn(&Proof) -> &String| optional_text(&proof.map(|p| field(p).clone()));
    vec![
        ("proof_path", text(|p| &p.stored_path)),
        ("proof_name", text(|p| &p.original_name)),
        ("proof_sha256", text(|p| &p.sha256)),
    ]
}

pub(super) fn insert_credits(conn: &Connection, credits: &[Credit]) -> Result<()> {
    let mut insert = conn.prepare_cached(
        "INSERT INTO credits (activity_id, credential_id, completed_on, units, category, overridden, late_for_cycle_end,
                              standing)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
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
            credit.standing.as_str(),
        ])?;
    }
    Ok(())
}

fn insert_approvals(conn: &Connection, activity_id: i64, approvals: &[BodyApproval]) -> Result<()> {
    let mut insert = conn.prepare_cached(
        "INSERT INTO activity_approvals (activity_id, position, body, number) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (position, approval) in approvals.iter().enumerate() {
        insert.execute(params![activity_id, position as i64, approval.body, approval.number])?;
    }
    Ok(())
}

fn insert_categories(conn: &Connection, activity_id: i64, categories: &[String]) -> Result<()> {
    let mut insert =
        conn.prepare_cached("INSERT INTO activity_categories (activity_id, position, category) VALUES (?1, ?2, ?3)")?;
    for (position, category) in categories.iter().enumerate() {
        insert.execute(params![activity_id, position as i64, category])?;
    }
    Ok(())
}

/// Whether credit `cr` falls in the current cycle of credential `c`: its date falls in the
/// cycle, or it was completed in the late window after this cycle's end.
macro_rules! in_current_cycle {
    () => {
        "((cr.late_for_cycle_end IS NULL AND cr.completed_on BETWEEN c.cycle_start AND c.cycle_end) \
         OR cr.late_for_cycle_end = c.cycle_end)"
    };
}
const IN_CURRENT_CYCLE: &str = in_current_cycle!();

/// Whether credit `cr` counts toward the current cycle of credential `c`: it falls in the cycle
/// and the body accepted it. Every total uses it.
const COUNTS_IN_CURRENT_CYCLE: &str = concat!("(cr.standing = 'counted' AND ", in_current_cycle!(), ")");

/// Adds (`sign` 1) or removes (`sign` -1) one activity's credits to the running totals of the
/// credentials whose current cycle holds them.
fn adjust_totals_for_activity(conn: &Connection, activity_id: i64, sign: i64) -> Result<()> {
    conn.execute(
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
    conn.execute("DELETE FROM cycle_totals WHERE activity_count = 0", [])?;
    Ok(())
}

pub(super) fn current_cycle_providers(conn: &Connection, credential_id: i64) -> Result<Vec<Option<String>>> {
    let mut statement = conn.prepare(&format!(
        "SELECT a.provider FROM credentials c
         JOIN credits cr ON cr.credential_id = c.id AND {COUNTS_IN_CURRENT_CYCLE}
         JOIN activities a ON a.id = cr.activity_id
         WHERE c.id = ?1"
    ))?;
    let providers = statement.query_map([credential_id], |row| row.get(0))?.collect::<rusqlite::Result<_>>()?;
    Ok(providers)
}

/// Rebuilds one credential's running totals from its credits (after its cycle or credits change).
pub(super) fn rebuild_totals(conn: &Connection, credential_id: i64) -> Result<()> {
    conn.execute("DELETE FROM cycle_totals WHERE credential_id = ?1", [credential_id])?;
    conn.execute(
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

pub(super) fn read_activities(conn: &Connection, filter: &str, id: Option<i64>) -> Result<Vec<Activity>> {
    let mut statement = conn.prepare(&format!(
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
    let mut categories = activity_categories(conn, id)?;
    let mut approvals = activity_approvals(conn, id)?;
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
                approvals: approvals.remove(&id).unwrap_or_default(),
            })
        })
        .collect()
}

fn activity_categories(conn: &Connection, id: Option<i64>) -> Result<HashMap<i64, Vec<String>>> {
    let mut statement = conn.prepare(
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

fn activity_approvals(conn: &Connection, id: Option<i64>) -> Result<HashMap<i64, Vec<BodyApproval>>> {
    let mut statement = conn.prepare(
        "SELECT activity_id, body, number FROM activity_approvals
         WHERE ?1 IS NULL OR activity_id = ?1 ORDER BY activity_id, position",
    )?;
    let mut map: HashMap<i64, Vec<BodyApproval>> = HashMap::new();
    let rows = statement
        .query_map([id], |row| Ok((row.get::<_, i64>(0)?, BodyApproval { body: row.get(1)?, number: row.get(2)? })))?;
    for row in rows {
        let (activity_id, approval) = row?;
        map.entry(activity_id).or_default().push(approval);
    }
    Ok(map)
}

/// Units pending a body's approval in each credential's current cycle.
pub(super) fn pending_units(conn: &Connection) -> Result<HashMap<i64, Units>> {
    let mut statement = conn.prepare(&format!(
        "SELECT c.id, SUM(cr.units) FROM credentials c
         JOIN credits cr ON cr.credential_id = c.id AND cr.standing = 'pending' AND {IN_CURRENT_CYCLE}
         GROUP BY c.id"
    ))?;
    let rows = statement.query_map([], |row| Ok((row.get::<_, i64>(0)?, Units(row.get(1)?))))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(super) fn activity(conn: &Connection, id: i64) -> Result<Activity> {
    read_activities(conn, "WHERE id = ?1", Some(id))?.pop().ok_or_else(|| Error::not_found("activity", id))
}

pub(super) fn read_credits(conn: &Connection, column: &str, id: i64) -> Result<Vec<Credit>> {
    let mut statement = conn.prepare(&format!(
        "SELECT activity_id, credential_id, completed_on, units, category, overridden, late_for_cycle_end, standing
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
                row.get::<_, String>(7)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|(activity_id, credential_id, completed_on, units, category, overridden, late_for, standing)| {
            Ok(Credit {
                activity_id,
                credential_id,
                completed_on: date(completed_on)?,
                units: Units(units),
                category,
                overridden,
                late_for_cycle_end: late_for.map(date).transpose()?,
                standing: Standing::parse(&standing)?,
            })
        })
        .collect()
}

pub(super) fn running_totals(conn: &Connection) -> Result<HashMap<i64, CycleTotals>> {
    read_totals(conn, "SELECT credential_id, category, units, cost_cents, activity_count FROM cycle_totals")
}

pub(super) fn totals_from_ledger(conn: &Connection) -> Result<HashMap<i64, CycleTotals>> {
    read_totals(conn, &format!("{} GROUP BY cr.credential_id, COALESCE(cr.category, '')", aggregate_totals()))
}

fn read_totals(conn: &Connection, sql: &str) -> Result<HashMap<i64, CycleTotals>> {
    let mut statement = conn.prepare_cached(sql)?;
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

/// Every stored proof path an activity refers to.
pub(super) fn proof_paths(conn: &Connection) -> Result<HashSet<String>> {
    let mut statement = conn.prepare("SELECT DISTINCT proof_path FROM activities WHERE proof_path IS NOT NULL")?;
    let paths = statement.query_map([], |row| row.get::<_, String>(0))?.collect::<rusqlite::Result<_>>()?;
    Ok(paths)
}

impl Tx<'_> {
    /// Stores an activity and its credits; returns the activity id.
    pub fn insert_activity(
        &self,
        activity: &ValidActivity,
        proof: Option<&Proof>,
        credits: &[Credit],
        now: DateTime<Utc>,
    ) -> Result<i64> {
        let mut columns = stored_columns(activity);
        columns.extend(proof_columns(proof));
        columns.push(("created_at", Value::Text(timestamp(now))));
        let activity_id = insert_row(&self.tx, "activities", columns)?;
        insert_categories(&self.tx, activity_id, &activity.categories)?;
        insert_approvals(&self.tx, activity_id, &activity.approvals)?;
        let credits: Vec<Credit> = credits.iter().map(|c| Credit { activity_id, ..c.clone() }).collect();
        insert_credits(&self.tx, &credits)?;
        adjust_totals_for_activity(&self.tx, activity_id, 1)?;
        Ok(activity_id)
    }

    /// Stores many activities with their credits (an import); returns their ids.
    pub fn insert_activities(&self, batch: &[(ValidActivity, Vec<Credit>)], now: DateTime<Utc>) -> Result<Vec<i64>> {
        batch.iter().map(|(activity, credits)| self.insert_activity(activity, None, credits, now)).collect()
    }

    /// Replaces an activity's fields, its category tags and all of its credits, keeping the
    /// running totals in step (its old credits are taken out of them before anything changes,
    /// the new ones added after). The proof stays as it was.
    pub fn update_activity(&self, id: i64, activity: &ValidActivity, credits: &[Credit]) -> Result<()> {
        adjust_totals_for_activity(&self.tx, id, -1)?;
        let changed = update_row(&self.tx, "activities", id, stored_columns(activity))?;
        if changed == 0 {
            return Err(Error::not_found("activity", id));
        }
        self.tx.execute("DELETE FROM activity_categories WHERE activity_id = ?1", [id])?;
        insert_categories(&self.tx, id, &activity.categories)?;
        self.tx.execute("DELETE FROM activity_approvals WHERE activity_id = ?1", [id])?;
        insert_approvals(&self.tx, id, &activity.approvals)?;
        self.tx.execute("DELETE FROM credits WHERE activity_id = ?1", [id])?;
        let credits: Vec<Credit> = credits.iter().map(|c| Credit { activity_id: id, ..c.clone() }).collect();
        insert_credits(&self.tx, &credits)?;
        adjust_totals_for_activity(&self.tx, id, 1)
    }

    /// Sets or clears the proof an activity keeps (the file itself is the caller's).
    pub fn set_activity_proof(&self, id: i64, proof: Option<&Proof>) -> Result<()> {
        let changed = update_row(&self.tx, "activities", id, proof_columns(proof))?;
        if changed == 0 {
            return Err(Error::not_found("activity", id));
        }
        Ok(())
    }

    /// Records a body's answer for a pending credit: counted with the units it granted, or
    /// refused. The running totals follow.
    pub fn settle_credit(&self, activity_id: i64, credential_id: i64, outcome: Option<Units>) -> Result<()> {
        adjust_totals_for_activity(&self.tx, activity_id, -1)?;
        let changed = match outcome {
            Some(units) => self.tx.execute(
                "UPDATE credits SET standing = 'counted', units = ?3, overridden = 1
                 WHERE activity_id = ?1 AND credential_id = ?2",
                params![activity_id, credential_id, units.0],
            )?,
            None => self.tx.execute(
                "UPDATE credits SET standing = 'refused' WHERE activity_id = ?1 AND credential_id = ?2",
                params![activity_id, credential_id],
            )?,
        };
        if changed == 0 {
            return Err(Error::not_found("credit of activity", activity_id));
        }
        adjust_totals_for_activity(&self.tx, activity_id, 1)
    }

    /// Removes an activity and its credits.
    pub fn delete_activity(&self, id: i64) -> Result<()> {
        adjust_totals_for_activity(&self.tx, id, -1)?;
        if self.tx.execute("DELETE FROM activities WHERE id = ?1", [id])? == 0 {
            return Err(Error::not_found("activity", id));
        }
        Ok(())
    }
}
