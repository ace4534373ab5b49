//! Reminder planning: which reminders are due on a given day, worded so a person can act on them.
//! Pure: it reads the day's reports, the settings and what was raised before, and returns what to
//! raise now. Delivery (notifications) and recording belong to the callers.

use std::collections::{HashMap, HashSet};

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::credential::CredentialKind;
use crate::error::{Error, Result};
use crate::status::{CredentialReport, Status};

pub const DEFAULT_LEAD_DAYS: [u32; 6] = [90, 60, 30, 14, 7, 1];
/// How long before the end of a grace period the last warnings come.
pub const GRACE_ENDING_LEAD_DAYS: [u32; 4] = [30, 14, 7, 1];
const MAX_LEAD_DAYS: u32 = 3 * 366;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReminderKind {
    Deadline,
    Shortfall,
    Prerequisite,
    LateFee,
    GraceEnding,
}

impl ReminderKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Deadline => "deadline",
            Self::Shortfall => "shortfall",
            Self::Prerequisite => "prerequisite",
            Self::LateFee => "late_fee",
            Self::GraceEnding => "grace_ending",
        }
    }
}

/// Lead times in days before a deadline, largest first, validated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeadTimes(Vec<u32>);

impl Default for LeadTimes {
    fn default() -> Self {
        Self(DEFAULT_LEAD_DAYS.to_vec())
    }
}

impl LeadTimes {
    /// Parses "90, 60, 30": whole days, no duplicates, none negative or over three years.
    pub fn parse(text: &str) -> Result<Self> {
        let mut days = Vec::new();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            if part.starts_with('-') {
                return Err(Error::invalid(
                    "lead-days",
                    format!("{} is negative: lead times count days before", crate::quote::value(part)),
                ));
            }
            let value: u32 = part.parse().map_err(|_| {
                Error::invalid("lead-days", format!("\"{}\" is not a whole number of days", crate::quote::value(part)))
            })?;
            days.push(value);
        }
        Self::new(days)
    }

    pub fn new(mut days: Vec<u32>) -> Result<Self> {
        if days.is_empty() {
            return Err(Error::invalid("lead-days", "give at least one lead time"));
        }
        if let Some(too_far) = days.iter().find(|d| **d > MAX_LEAD_DAYS) {
            return Err(Error::invalid("lead-days", format!("{too_far} days is more than three years")));
        }
        days.sort_unstable_by(|a, b| b.cmp(a));
        if let Some(pair) = days.windows(2).find(|pair| pair[0] == pair[1]) {
            return Err(Error::invalid("lead-days", format!("{} appears twice", pair[0])));
        }
        Ok(Self(days))
    }

    /// The longest lead time (0 when there are none).
    pub fn longest(&self) -> u32 {
        self.0.iter().copied().max().unwrap_or(0)
    }

    pub fn days(&self) -> &[u32] {
        &self.0
    }

    pub fn to_text(&self) -> String {
        self.0.iter().map(u32::to_string).collect::<Vec<_>>().join(", ")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reminder {
    /// Stable identity: credential, cycle, kind and lead time. Raised once per key.
    pub key: String,
    pub credential_id: i64,
    pub cycle_end: NaiveDate,
    pub kind: ReminderKind,
    /// Days before the event this reminder stands for (0: the day itself or after).
    pub lead_days: u32,
    pub due_on: NaiveDate,
    pub title: String,
    pub body: String,
}

/// What was raised and snoozed before, as the store keeps it.
#[derive(Debug, Clone, Default)]
pub struct ReminderHistory {
    /// Keys raised and shown (a failed delivery does not count: the reminder stays due).
    pub shown: HashSet<String>,
    /// Snoozed keys and the day they come back.
    pub snoozed_until: HashMap<String, NaiveDate>,
    /// Keys another checker is raising right now (claimed, outcome not yet recorded).
    pub claimed: HashSet<String>,
}

fn key(credential_id: i64, cycle_end: NaiveDate, kind: ReminderKind, lead_days: u32) -> String {
    format!("{credential_id}:{cycle_end}:{}:{lead_days}", kind.as_str())
}

/// "Dec 31, 2026", as the window writes dates, so a notification and the screen agree.
fn human_date(date: NaiveDate) -> String {
    date.format("%b %-d, %Y").to_string()
}

fn days_phrase(days: i64) -> String {
    match days {
        0 => "today".into(),
        1 => "tomorrow".into(),
        d => format!("in {d} days"),
    }
}

/// Every reminder of a credential's current cycle whose day has come, most urgent first within
/// each kind. At most one per kind is raised: see [`due_now`].
pub fn candidates(report: &CredentialReport, lead_times: &LeadTimes, today: NaiveDate) -> Vec<Reminder> {
    let credential = &report.credential;
    let id = credential.id;
    let end = credential.cycle.end;
    let name = &credential.abbreviation;
    let rules = &credential.rules;
    let leads = rules_lead_times(report, lead_times);
    let mut reminders = Vec::new();
    let mut push = |kind, lead_days: u32, due_on: NaiveDate, title: String, body: String| {
        if due_on <= today {
            reminders.push(Reminder {
                key: key(id, end, kind, lead_days),
                credential_id: id,
                cycle_end: end,
                kind,
                lead_days,
                due_on,
                title,
                body,
            });
        }
    };
    let unknown_fee = format!("renewal fee unknown — check with {}", credential.body_short);

    if matches!(report.status, Status::Current | Status::DueSoon) {
        for &lead in leads.days() {
            let Some(due_on) = end.checked_sub_days(Days::new(lead.into())) else { continue };
            let when = days_phrase((end - today).num_days());
            let (title, body) = if credential.kind == CredentialKind::CprAed {
                (
                    format!("{name} expires {when}"),
                    format!(
                        "Your {name} card is valid through {}. Book a renewal course before then.",
                        human_date(end)
                    ),
                )
            } else {
                (
                    format!("{name} renewal due {when}"),
                    match (report.renewal_fee, &report.fee_note) {
                        (Some(fee), Some(note)) => format!("Renew {name} by {} — {fee}, {note}.", human_date(end)),
                        (Some(fee), None) => format!("Renew {name} by {} — {fee}.", human_date(end)),
                        (None, _) => format!("Renew {name} by {} ({unknown_fee}).", human_date(end)),
                    },
                )
            };
            push(ReminderKind::Deadline, lead, due_on, title, body);
            if let (Some(short), Some(unit)) = (report.progress.shortfall, &rules.unit) {
                if short.0 > 0 {
                    let pace = crate::status::pace_phrase(report.progress.pace_per_month, (end - today).num_days())
                        .map(|phrase| format!(" ({phrase})"))
                        .unwrap_or_default();
                    // What is missing is a category (NASM's CPR/AED card): say which, not hours.
                    let body = match crate::status::category_only(&report.progress)
                        .then(|| crate::status::category_action(credential, &report.progress))
                        .flatten()
                    {
                        Some(action) => format!("{}.", action.replace(&end.to_string(), &human_date(end))),
                        None => format!("Log {short} more {unit} by {}{pace} to renew {name}.", human_date(end)),
                    };
                    push(ReminderKind::Shortfall, lead, due_on, format!("{name}: {short} {unit} still needed"), body);
                }
            }
        }
    }

    // A CPR/AED card that lapses before the credential it guards: warn ahead of the card's end.
    for problem in &report.prerequisite_problems {
        match problem.card_expires {
            Some(card_end) if card_end >= today => {
                for &lead in leads.days() {
                    let Some(due_on) = card_end.checked_sub_days(Days::new(lead.into())) else { continue };
                    push(
                        ReminderKind::Prerequisite,
                        lead,
                        due_on,
                        format!("CPR/AED card lapses before {name} is due"),
                        format!(
                            "Your CPR/AED card expires {}, before {name} is due {}. Renew the card first.",
                            human_date(card_end),
                            human_date(end)
                        ),
                    );
                }
            }
            _ => push(
                ReminderKind::Prerequisite,
                0,
                today,
                format!("{name} needs a current CPR/AED card"),
                format!("{}.", problem.message),
            ),
        }
    }

    if report.status == Status::Grace {
        let late =
            report.late_fee.map_or_else(|| "the late fee (amount unknown)".to_string(), |f| format!("a {f} late fee"));
        let after = end.succ_opt().unwrap_or(end);
        let last = report.grace_ends.unwrap_or(end);
        push(
            ReminderKind::LateFee,
            0,
            after,
            match report.late_fee {
                Some(fee) if fee.0 > 0 => format!("{name} deadline passed: a {fee} late fee now applies"),
                Some(_) => format!("{name} deadline passed: renew in the grace period"),
                None => format!("{name} deadline passed: late fee now applies (amount unknown)"),
            },
            format!(
                "Renew {name} by {} with {late} ({}).",
                human_date(last),
                report.renewal_fee.map_or_else(|| unknown_fee.clone(), |fee| format!("{fee} renewal"))
            ),
        );
        for lead in GRACE_ENDING_LEAD_DAYS {
            let Some(due_on) = last.checked_sub_days(Days::new(lead.into())) else { continue };
            let consequence = rules
                .after_grace
                .clone()
                .unwrap_or_else(|| format!("check with {} what follows.", credential.body_short));
            push(
                ReminderKind::GraceEnding,
                lead,
                due_on.max(after),
                format!("{name} grace period ends {}", days_phrase((last - today).num_days())),
                format!("Last day to renew {name} late: {}. After that: {consequence}", human_date(last)),
            );
        }
    }
    reminders.sort_by(|a, b| a.kind.cmp(&b.kind).then(a.lead_days.cmp(&b.lead_days)));
    reminders
}

/// Whether a reminder raised earlier no longer applies: the credential is gone or renewed, or the
/// problem it named is fixed (a card added, the credits logged, the renewal recorded in grace).
pub fn is_resolved(kind: &str, cycle_end: &str, report: Option<&CredentialReport>) -> bool {
    let Some(report) = report else { return true };
    if report.credential.cycle.end.to_string() != cycle_end {
        return true;
    }
    match kind {
        "prerequisite" => report.prerequisite_problems.is_empty(),
        "shortfall" => report.progress.shortfall.is_none_or(|short| short.0 == 0),
        "late_fee" | "grace_ending" => report.status != Status::Grace,
        _ => false,
    }
}

/// Whether the reminder with `key` (`credential:cycle_end:kind:lead_days`) no longer applies to
/// the credentials as `reports` show them. A key Recert cannot read is kept (not resolved).
pub fn key_is_resolved(key: &str, reports: &[CredentialReport]) -> bool {
    let mut parts = key.splitn(4, ':');
    let (Some(id), Some(cycle_end), Some(kind)) = (parts.next(), parts.next(), parts.next()) else { return false };
    let Ok(id) = id.parse::<i64>() else { return false };
    is_resolved(kind, cycle_end, reports.iter().find(|r| r.credential.id == id))
}

fn rules_lead_times(report: &CredentialReport, global: &LeadTimes) -> LeadTimes {
    report
        .credential
        .rules
        .reminder_lead_days
        .clone()
        .and_then(|days| LeadTimes::new(days).ok())
        .unwrap_or_else(|| global.clone())
}

/// The reminders to raise now: per credential and kind only the most urgent one whose day has
/// come — so after days away one catches up without a burst of stale ones — unless it was shown
/// already or is snoozed. A reminder whose snooze has ended comes back.
pub fn due_now(
    reports: &[CredentialReport],
    lead_times: &LeadTimes,
    history: &ReminderHistory,
    today: NaiveDate,
) -> Vec<Reminder> {
    let mut due = Vec::new();
    for report in reports {
        if report.credential.kind == CredentialKind::CprAed && report.status == Status::Lapsed {
            continue;
        }
        let mut seen_kinds = HashSet::new();
        for reminder in candidates(report, lead_times, today) {
            // The candidates come most urgent first within a kind; older ones are stale.
            if !seen_kinds.insert(reminder.kind) {
                continue;
            }
            let snooze = history.snoozed_until.get(&reminder.key);
            let raisable = match snooze {
                Some(until) => *until <= today,
                None => !history.shown.contains(&reminder.key),
            };
            if raisable && !history.claimed.contains(&reminder.key) {
                due.push(reminder);
            }
        }
    }
    due
}

/// More reminders than this at once are shown as one summary notification: a first run or a
/// return after weeks away should not stack a screenful of pop-ups.
pub const MAX_SEPARATE_NOTIFICATIONS: usize = 3;
const SUMMARY_LINES: usize = 6;

/// One desktop notification, standing for one or more reminders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice<'a> {
    pub title: String,
    pub body: String,
    pub reminders: Vec<&'a Reminder>,
}

/// A notification on screen whose buttons a Recert process follows, as the data folder keeps it so
/// another process can take it over (the background agent, when the window process ends).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenNotification {
    /// The desktop session it was shown on (on Linux the D-Bus bus id): its id means nothing elsewhere.
    pub bus: String,
    pub id: u32,
    pub title: String,
    pub body: String,
    pub reminder_keys: Vec<String>,
}

/// Groups the reminders due now into the notifications to show.
pub fn notices(due: &[Reminder]) -> Vec<Notice<'_>> {
    grouped(due, MAX_SEPARATE_NOTIFICATIONS, |count| format!("{count} Recert reminders"))
}

/// The first check after the user set Recert up: whatever is due comes as one calm summary, not
/// a burst of alarms for everything just entered.
pub fn setup_notices(due: &[Reminder]) -> Vec<Notice<'_>> {
    grouped(due, 1, |count| format!("Recert is set up: {count} things to look at"))
}

fn grouped(due: &[Reminder], max_separate: usize, title: impl Fn(usize) -> String) -> Vec<Notice<'_>> {
    if due.len() <= max_separate {
        return due
            .iter()
            .map(|r| Notice { title: r.title.clone(), body: r.body.clone(), reminders: vec![r] })
            .collect();
    }
    let mut lines: Vec<String> = due.iter().take(SUMMARY_LINES).map(|r| format!("• {}", r.title)).collect();
    if due.len() > SUMMARY_LINES {
        lines.push(format!("… and {} more", due.len() - SUMMARY_LINES));
    }
    lines.push("Open Recert for the details.".into());
    vec![Notice { title: title(due.len()), body: lines.join("\n"), reminders: due.iter().collect() }]
}

#[cfg(test)]
mod tests;
