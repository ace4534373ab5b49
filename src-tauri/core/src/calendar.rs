//! The calendar feed: every milestone of every credential as an all-day event (the deadline, the
//! day the late fee starts, the end of the grace period, a CPR/AED card's expiry), each with an
//! alarm at each of the user's reminder lead times. UIDs are stable per credential, cycle and kind
//! of milestone, so a calendar that imports the file again updates events instead of doubling them.

use chrono::{NaiveDate, TimeDelta};
use icalendar::{Alarm, Calendar, Component, Event, EventLike};
use serde::Serialize;

use crate::credential::CredentialKind;
use crate::reminders::LeadTimes;
use crate::status::CredentialReport;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MilestoneKind {
    Deadline,
    LateFeeStarts,
    GraceEnds,
    CardExpires,
}

impl MilestoneKind {
    fn as_str(self) -> &'static str {
        match self {
            Self::Deadline => "deadline",
            Self::LateFeeStarts => "late-fee",
            Self::GraceEnds => "grace-ends",
            Self::CardExpires => "card-expires",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Milestone {
    pub credential_id: i64,
    pub cycle_end: NaiveDate,
    pub kind: MilestoneKind,
    pub date: NaiveDate,
    pub summary: String,
    pub description: String,
}

impl Milestone {
    /// One per credential, cycle and kind: importing the file again updates the event.
    pub fn uid(&self) -> String {
        format!("recert-{}-{}-{}@recert.local", self.credential_id, self.cycle_end, self.kind.as_str())
    }
}

/// The milestones of the current cycle of every credential, in date order.
pub fn milestones(reports: &[CredentialReport]) -> Vec<Milestone> {
    let mut all = Vec::new();
    for report in reports {
        let credential = &report.credential;
        let (name, body) = (&credential.abbreviation, &credential.body_short);
        let end = credential.cycle.end;
        let milestone = |kind, date, summary: String, description: String| Milestone {
            credential_id: credential.id,
            cycle_end: end,
            kind,
            date,
            summary,
            description,
        };
        if credential.kind == CredentialKind::CprAed {
            all.push(milestone(
                MilestoneKind::CardExpires,
                end,
                format!("{name} card expires"),
                format!("Your {name} card is valid through {end}. Take a renewal course before then, and record the new card in Recert."),
            ));
            continue;
        }
        let fee = match (report.renewal_fee, &report.fee_note) {
            (Some(fee), Some(note)) => format!("The renewal fee is {fee} ({note})."),
            (Some(fee), None) => format!("The renewal fee is {fee}."),
            (None, _) => format!("The renewal fee is unknown: check with {body}."),
        };
        let credits = match (report.progress.shortfall, &credential.rules.unit) {
            // A missing category (NASM's CPR/AED card) is named, not counted as units of courses.
            (Some(_), Some(_)) if crate::status::category_only(&report.progress) => {
                crate::status::category_action(credential, &report.progress)
                    .map(|a| format!(" {a}."))
                    .unwrap_or_default()
            }
            (Some(short), Some(unit)) if short.0 > 0 => format!(" Log {short} more {unit} first."),
            _ => String::new(),
        };
        all.push(milestone(
            MilestoneKind::Deadline,
            end,
            format!("{name} renewal deadline"),
            format!("Renew {} with {body} by today.{credits} {fee}", credential.name),
        ));
        let after = end.succ_opt().unwrap_or(end);
        if let Some(late) = credential.rules.late_fee_on(end, after).filter(|late| late.0 > 0) {
            all.push(milestone(
                MilestoneKind::LateFeeStarts,
                after,
                format!("{name}: late fee starts"),
                format!("From today renewing {name} costs a {late} late fee on top of the renewal fee. {fee}"),
            ));
        }
        if let Some(last) = report.grace_ends {
            let after_grace =
                credential.rules.after_grace.clone().unwrap_or_else(|| format!("check with {body} what follows"));
            all.push(milestone(
                MilestoneKind::GraceEnds,
                last,
                format!("{name}: last day to renew late"),
                format!("Today is the last day {body} accepts a late renewal of {name}. After that: {after_grace}"),
            ));
        }
    }
    all.sort_by(|a, b| a.date.cmp(&b.date).then(a.credential_id.cmp(&b.credential_id)));
    all
}

/// The milestones as an RFC 5545 calendar, each an all-day event with an alarm at each lead time.
pub fn to_ics(milestones: &[Milestone], lead_times: &LeadTimes) -> String {
    let mut calendar = Calendar::new();
    calendar.name("Recert deadlines");
    for milestone in milestones {
        let mut event = Event::new();
        event
            .uid(&milestone.uid())
            .summary(&milestone.summary)
            .description(&milestone.description)
            // An all-day event ends (exclusively) the next day, as RFC 5545 has it.
            .starts(milestone.date)
            .ends(milestone.date.succ_opt().unwrap_or(milestone.date));
        for &days in lead_times.days() {
            let before = if days == 1 { "tomorrow".to_string() } else { format!("in {days} days") };
            event.alarm(Alarm::display(&format!("{} {before}", milestone.summary), -TimeDelta::days(days.into())));
        }
        calendar.push(event.done());
    }
    calendar.done().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::CycleTotals;
    use crate::service::reports;
    use crate::test_support::{d, held_on};

    #[test]
    fn a_calendar_parsed_back_gives_the_same_dates_as_the_status() {
        let today = d("2026-11-23");
        let held = [
            held_on(1, "nasm-cpt", "2025-02-10", None, "2026-11-23"),
            held_on(2, "cpr-aed-aha", "2026-01-10", None, "2026-11-23"),
            held_on(3, "nsca-cscs", "2015-06-01", None, "2026-11-23"),
        ];
        let reports = reports(&held, &mut std::collections::HashMap::<i64, CycleTotals>::new(), today, 90);
        let all = milestones(&reports);
        let kinds: Vec<(i64, MilestoneKind, String)> =
            all.iter().map(|m| (m.credential_id, m.kind, m.date.to_string())).collect();
        assert_eq!(
            kinds,
            vec![
                (3, MilestoneKind::Deadline, "2026-12-31".into()),
                (1, MilestoneKind::Deadline, "2027-02-10".into()),
                (1, MilestoneKind::LateFeeStarts, "2027-02-11".into()),
                (2, MilestoneKind::CardExpires, "2028-01-31".into()),
                (1, MilestoneKind::GraceEnds, "2028-02-09".into()), /* before one year after Feb 10, 2027 */
            ]
        );
        for milestone in &all {
            let report = reports.iter().find(|r| r.credential.id == milestone.credential_id).unwrap();
            let expected = match milestone.kind {
                MilestoneKind::Deadline | MilestoneKind::CardExpires => report.credential.cycle.end,
                MilestoneKind::LateFeeStarts => report.credential.cycle.end.succ_opt().unwrap(),
                MilestoneKind::GraceEnds => report.grace_ends.unwrap(),
            };
            assert_eq!(milestone.date, expected, "the status's date for {}", milestone.summary);
        }
        let text = to_ics(&all, &LeadTimes::parse("30, 7").unwrap());
        let parsed: Calendar = text.parse().expect("a real parser reads it back");
        let events: Vec<&Event> = parsed.components.iter().filter_map(|c| c.as_event()).collect();
        assert_eq!(events.len(), all.len());
        for (event, milestone) in events.iter().zip(&all) {
            assert_eq!(event.get_uid(), Some(milestone.uid().as_str()));
            assert_eq!(event.get_summary(), Some(milestone.summary.as_str()));
            let start = event.get_start().expect("a start date");
            assert_eq!(start, icalendar::DatePerhapsTime::Date(milestone.date), "{}", milestone.summary);
        }
        assert_eq!(text.matches("BEGIN:VALARM").count(), all.len() * 2, "an alarm per lead time");
        assert!(text.contains("TRIGGER:-PT2592000S"), "30 days before: {text}");
        assert!(
            text.contains("DTSTART;VALUE=DATE:20261231\r\n") && text.contains("DTEND;VALUE=DATE:20270101\r\n"),
            "{text}"
        );
    }
}
