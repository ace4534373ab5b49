//! Reminder history, snoozes, and settings.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension};

use super::{date, timestamp, Tx};
use crate::error::{Error, Result};
use crate::reminders::{OpenNotification, Reminder, ReminderHistory};

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

/// How long a claim keeps other checkers off a reminder: far longer than showing a notification
/// takes, short enough that a checker that died leaves its reminders due again soon.
const CLAIM_LASTS: chrono::Duration = chrono::Duration::minutes(5);

pub(super) fn reminder_history(conn: &Connection, now: DateTime<Utc>) -> Result<ReminderHistory> {
    let mut history = ReminderHistory::default();
    let mut shown = conn.prepare_cached("SELECT DISTINCT reminder_key FROM reminder_log WHERE delivery = 'shown'")?;
    for key in shown.query_map([], |row| row.get::<_, String>(0))? {
        history.shown.insert(key?);
    }
    let mut snoozes = conn.prepare_cached("SELECT reminder_key, until FROM reminder_snoozes")?;
    let rows = snoozes.query_map([], |row| Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?)))?;
    for row in rows {
        let (key, until) = row?;
        history.snoozed_until.insert(key, date(until)?);
    }
    let mut claims = conn.prepare_cached("SELECT reminder_key FROM reminder_claims WHERE claimed_at > ?1")?;
    for key in claims.query_map([timestamp(now - CLAIM_LASTS)], |row| row.get::<_, String>(0))? {
        history.claimed.insert(key?);
    }
    Ok(history)
}

pub(super) fn reminder_log(conn: &Connection, limit: u32) -> Result<Vec<LoggedReminder>> {
    let mut statement = conn.prepare(
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

pub(super) fn setting(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn.query_row("SELECT value FROM settings WHERE key = ?1", [key], |row| row.get(0)).optional()?)
}

impl Tx<'_> {
    /// Claims `reminders` for this checker (see `reminder_claims`); a stale claim is taken over.
    pub fn claim_reminders(&self, reminders: &[Reminder], now: DateTime<Utc>) -> Result<()> {
        let mut claim = self.tx.prepare_cached(
            "INSERT INTO reminder_claims (reminder_key, credential_id, claimed_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (reminder_key) DO UPDATE SET claimed_at = excluded.claimed_at",
        )?;
        for reminder in reminders {
            claim.execute(params![reminder.key, reminder.credential_id, timestamp(now)])?;
        }
        Ok(())
    }

    /// Records a raised reminder and ends its claim; a shown one ends its snooze too.
    pub fn record_reminder(&self, reminder: &Reminder, delivery_error: Option<&str>, now: DateTime<Utc>) -> Result<()> {
        self.tx.execute(
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
            self.tx.execute("DELETE FROM reminder_snoozes WHERE reminder_key = ?1", [&reminder.key])?;
        }
        self.tx.execute("DELETE FROM reminder_claims WHERE reminder_key = ?1", [&reminder.key])?;
        Ok(())
    }

    /// Snoozes the reminder logged as `key` until `until`.
    pub fn snooze_reminder(&self, key: &str, until: NaiveDate) -> Result<()> {
        let credential_id: i64 = self
            .tx
            .query_row("SELECT credential_id FROM reminder_log WHERE reminder_key = ?1 LIMIT 1", [key], |row| {
                row.get(0)
            })
            .optional()?
            .ok_or_else(|| Error::not_found("reminder", crate::quote::value(key)))?;
        self.tx.execute(
            "INSERT INTO reminder_snoozes (reminder_key, credential_id, until) VALUES (?1, ?2, ?3)
             ON CONFLICT(reminder_key) DO UPDATE SET until = excluded.until",
            params![key, credential_id, until.to_string()],
        )?;
        Ok(())
    }

    /// Keeps a shown notification whose buttons this process follows, for another to take over.
    pub fn note_open_notification(&self, notification: &OpenNotification, now: DateTime<Utc>) -> Result<()> {
        self.tx.execute(
            "INSERT INTO open_notifications (bus, notification_id, summary, body, reminder_keys, shown_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (bus, notification_id) DO UPDATE SET summary = excluded.summary, body = excluded.body,
                 reminder_keys = excluded.reminder_keys, shown_at = excluded.shown_at",
            params![
                notification.bus,
                notification.id,
                notification.title,
                notification.body,
                notification.reminder_keys.join("\n"),
                timestamp(now),
            ],
        )?;
        Ok(())
    }

    /// The notification closed (or its button was pressed): nobody needs to follow it any more.
    pub fn forget_notification(&self, bus: &str, id: u32) -> Result<()> {
        self.tx.execute("DELETE FROM open_notifications WHERE bus = ?1 AND notification_id = ?2", params![bus, id])?;
        Ok(())
    }

    /// The notifications of session `bus` shown since `shown_since`; the rest (another session,
    /// or too old to be on screen still) are forgotten.
    pub fn notifications_to_take_over(&self, bus: &str, shown_since: DateTime<Utc>) -> Result<Vec<OpenNotification>> {
        self.tx.execute(
            "DELETE FROM open_notifications WHERE bus <> ?1 OR shown_at < ?2",
            params![bus, timestamp(shown_since)],
        )?;
        self.open_notifications(bus)
    }

    /// The notifications of session `bus` that may still be on screen, oldest first.
    pub fn open_notifications(&self, bus: &str) -> Result<Vec<OpenNotification>> {
        let mut statement = self.tx.prepare(
            "SELECT notification_id, summary, body, reminder_keys FROM open_notifications
             WHERE bus = ?1 ORDER BY shown_at, notification_id",
        )?;
        let rows = statement.query_map([bus], |row| {
            Ok(OpenNotification {
                bus: bus.to_string(),
                id: row.get(0)?,
                title: row.get(1)?,
                body: row.get(2)?,
                reminder_keys: row.get::<_, String>(3)?.lines().map(str::to_string).collect(),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    pub fn remove_setting(&self, key: &str) -> Result<()> {
        self.tx.execute("DELETE FROM settings WHERE key = ?1", [key])?;
        Ok(())
    }

    pub fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        self.tx.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }
}
