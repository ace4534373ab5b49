//! The reminder commands: remind (raise what is due), reminders (history) and settings.

use chrono::{DateTime, NaiveDate, Utc};
use recert_core::Recert;

use super::output::{out, print_json, Outcome};

/// Exit code of `recert remind` when some reminders could not be shown (they stay due).
const EXIT_NOT_SHOWN: i32 = 3;

/// Raises what is due. A reminder no notification server took is recorded as failed and stays
/// due for the next run; the exit code then says so (3), for cron or a systemd timer to report.
pub fn remind(recert: &mut Recert, dry_run: bool, json: bool, now: DateTime<Utc>, today: NaiveDate) -> Outcome<i32> {
    let due = if dry_run {
        recert.due_reminders(today, now)?
    } else {
        // Claimed: a window or another `remind` running now will not raise these too.
        recert.claim_due_reminders(today, now, |_| true)?
    };
    let mut failures = Vec::new();
    if !dry_run {
        for notice in recert_core::reminders::notices(&due) {
            let outcome =
                recert_background::notifier::show(&notice, recert_background::notifier::Buttons::None).map(drop);
            for reminder in &notice.reminders {
                recert.record_reminder(reminder, outcome.as_ref().err().map(String::as_str), now)?;
            }
            if let Err(error) = outcome {
                failures.push((error, notice.reminders.len()));
            }
        }
    }
    if json {
        let rows: Vec<_> = due
            .iter()
            .map(|r| {
                serde_json::json!({
                    "credential_id": r.credential_id, "kind": r.kind, "title": r.title, "body": r.body,
                    "due_on": r.due_on, "key": r.key,
                })
            })
            .collect();
        print_json(&rows)?;
    } else {
        if due.is_empty() {
            out!("Nothing is due.")?;
        }
        for reminder in &due {
            out!("{}: {}", reminder.title, reminder.body)?;
        }
    }
    if let Some((error, _)) = failures.first() {
        let count: usize = failures.iter().map(|(_, count)| count).sum();
        warn!("recert: {count} reminder(s) not shown ({error}); they stay due");
        return Ok(EXIT_NOT_SHOWN);
    }
    Ok(0)
}

pub fn history(recert: &Recert, limit: u32, today: NaiveDate, json: bool) -> Outcome {
    let log = recert.reminder_log(limit, today)?;
    if json {
        return print_json(&log);
    }
    for entry in &log {
        let outcome = if entry.shown {
            String::new()
        } else {
            format!(" (not shown: {})", entry.error.clone().unwrap_or_default())
        };
        let resolved = if entry.resolved { " (resolved)" } else { "" };
        out!("{}  {} — {}{outcome}{resolved}", entry.raised_at, entry.title, entry.body)?;
    }
    Ok(())
}

pub fn settings(recert: &mut Recert, lead_days: Option<String>, json: bool) -> Outcome {
    let lead_times = match lead_days {
        Some(text) => recert.set_lead_times(&text)?,
        None => recert.lead_times()?,
    };
    if json {
        return print_json(&serde_json::json!({ "lead_days": lead_times.days() }));
    }
    out!("Reminder lead times: {} days before each deadline", lead_times.to_text())?;
    Ok(())
}
