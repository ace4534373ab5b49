//! Reminders: lead times, what is due and who claims it, the history, snoozes, and the
//! notifications a process follows for another to take over.

use chrono::{DateTime, NaiveDate, Utc};

use crate::error::{Error, Result};
use crate::reminders::{self, LeadTimes, OpenNotification, Reminder};
use crate::store::{LoggedReminder, Read};

use super::{status, Recert, MAX_HISTORY_ROWS};

/// A notification shown longer ago than this is not taken over: one that old is more likely gone
/// from the screen than not, and taking over a gone one would show it anew.
const NOTIFICATIONS_STAY_AT_MOST: chrono::Duration = chrono::Duration::days(7);

impl Recert {
    pub const LEAD_DAYS_SETTING: &'static str = "reminder_lead_days";

    /// The global reminder lead times (default 90, 60, 30, 14, 7, 1 days).
    pub fn lead_times(&self) -> Result<LeadTimes> {
        lead_times(&self.store)
    }

    /// Sets the global lead times from text like "90, 30, 7"; bad input changes nothing.
    pub fn set_lead_times(&mut self, text: &str) -> Result<LeadTimes> {
        let lead_times = LeadTimes::parse(text)?;
        self.store.write(|tx| tx.set_setting(Self::LEAD_DAYS_SETTING, &lead_times.to_text()))?;
        Ok(lead_times)
    }

    /// The reminders due on `today` (what `remind --dry-run` shows); raising them takes a claim.
    pub fn due_reminders(&self, today: NaiveDate, now: DateTime<Utc>) -> Result<Vec<Reminder>> {
        due_reminders(&self.store, today, now)
    }

    /// Claims the reminders due on `today` that `wanted` keeps, for this checker to raise: in one
    /// write transaction with deciding they are due, so two checkers at once (the window, cron)
    /// never raise the same one. Record each outcome with [`Recert::record_reminder`].
    pub fn claim_due_reminders(
        &mut self,
        today: NaiveDate,
        now: DateTime<Utc>,
        wanted: impl Fn(&Reminder) -> bool,
    ) -> Result<Vec<Reminder>> {
        self.store.write(|tx| {
            let due: Vec<Reminder> = due_reminders(tx, today, now)?.into_iter().filter(|r| wanted(r)).collect();
            tx.claim_reminders(&due, now)?;
            Ok(due)
        })
    }

    /// Records that a claimed reminder was raised, ending the claim; `delivery_error` when no
    /// notification could be shown (it then stays due).
    pub fn record_reminder(
        &mut self,
        reminder: &Reminder,
        delivery_error: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.store.write(|tx| tx.record_reminder(reminder, delivery_error, now))
    }

    /// Keeps a notification this process shows (see [`OpenNotification`]).
    pub fn note_open_notification(&mut self, notification: &OpenNotification, now: DateTime<Utc>) -> Result<()> {
        self.store.write(|tx| tx.note_open_notification(notification, now))
    }

    pub fn forget_notification(&mut self, bus: &str, id: u32) -> Result<()> {
        self.store.write(|tx| tx.forget_notification(bus, id))
    }

    /// The notifications of session `bus` that may still be on screen, for a process taking
    /// them over; older ones and another session's are forgotten.
    pub fn notifications_to_take_over(&mut self, bus: &str, now: DateTime<Utc>) -> Result<Vec<OpenNotification>> {
        self.store.write(|tx| tx.notifications_to_take_over(bus, now - NOTIFICATIONS_STAY_AT_MOST))
    }

    /// The notifications of session `bus` whose every reminder no longer applies on `today` — the
    /// renewal that raised them was undone, the credits were logged, the card added — forgotten
    /// here for the caller to close: a reminder raised only by a mistake does not stay on screen.
    pub fn withdraw_resolved_notifications(&mut self, bus: &str, today: NaiveDate) -> Result<Vec<OpenNotification>> {
        self.store.write(|tx| {
            let reports = status(tx, today)?;
            let mut withdrawn = Vec::new();
            for notification in tx.open_notifications(bus)? {
                let keys = &notification.reminder_keys;
                if !keys.is_empty() && keys.iter().all(|key| reminders::key_is_resolved(key, &reports)) {
                    tx.forget_notification(bus, notification.id)?;
                    withdrawn.push(notification);
                }
            }
            Ok(withdrawn)
        })
    }

    pub fn snooze_reminder(&mut self, key: &str, days: u32, today: NaiveDate) -> Result<NaiveDate> {
        if !(1..=365).contains(&days) {
            return Err(Error::invalid("days", "a snooze lasts 1 to 365 days"));
        }
        let until = today + chrono::Days::new(days.into());
        self.store.write(|tx| tx.snooze_reminder(key, until))?;
        Ok(until)
    }

    /// The reminders raised most recently, newest first, each marked resolved once its cause is
    /// gone on `today`.
    pub fn reminder_log(&self, limit: u32, today: NaiveDate) -> Result<Vec<LoggedReminder>> {
        if !(1..=MAX_HISTORY_ROWS).contains(&limit) {
            return Err(Error::invalid("limit", format!("must be 1 to {MAX_HISTORY_ROWS}")));
        }
        let reports = self.status(today)?;
        let mut log = self.store.reminder_log(limit)?;
        for entry in &mut log {
            let report = reports.iter().find(|r| r.credential.id == entry.credential_id);
            entry.resolved = reminders::is_resolved(&entry.kind, &entry.cycle_end, report);
        }
        Ok(log)
    }
}

pub(super) fn due_reminders(store: &impl Read, today: NaiveDate, now: DateTime<Utc>) -> Result<Vec<Reminder>> {
    let reports = status(store, today)?;
    Ok(reminders::due_now(&reports, &lead_times(store)?, &store.reminder_history(now)?, today))
}

pub(super) fn lead_times(store: &impl Read) -> Result<LeadTimes> {
    match store.setting(Recert::LEAD_DAYS_SETTING)? {
        Some(text) => LeadTimes::parse(&text),
        None => Ok(LeadTimes::default()),
    }
}
