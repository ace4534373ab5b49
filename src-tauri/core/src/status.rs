//! Where a credential stands on a given day: its status, days left, prerequisite problems and the
//! money it asks for. Everything here is a pure function of the stored data and `today`.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::amount::{Cents, Units};
use crate::credential::{Credential, CredentialKind};
use crate::progress::{progress, CycleTotals, Progress};
use crate::rules::Coverage;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Lapsed,
    Grace,
    DueSoon,
    Current,
}

impl Status {
    /// The words used everywhere (CLI, window, notifications).
    pub fn label(self) -> &'static str {
        match self {
            Self::Current => "Current",
            Self::DueSoon => "Due soon",
            Self::Grace => "Grace period",
            Self::Lapsed => "Lapsed",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Current => "current",
            Self::DueSoon => "due_soon",
            Self::Grace => "grace",
            Self::Lapsed => "lapsed",
        }
    }
}

/// The last day late renewal is accepted, when the grace period is known and not zero.
pub fn grace_ends(credential: &Credential) -> Option<NaiveDate> {
    credential.rules.grace_ends(credential.cycle.end)
}

pub fn status_on(credential: &Credential, today: NaiveDate) -> Status {
    let end = credential.cycle.end;
    if today <= end {
        let days_left = (end - today).num_days();
        if days_left <= i64::from(credential.rules.due_soon_days) {
            Status::DueSoon
        } else {
            Status::Current
        }
    } else if grace_ends(credential).is_some_and(|last| today <= last) {
        Status::Grace
    } else {
        Status::Lapsed
    }
}

/// A CPR/AED card that does not cover a credential through its deadline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PrerequisiteProblem {
    /// The card that was checked, when the user holds one.
    pub card_id: Option<i64>,
    pub card_expires: Option<NaiveDate>,
    pub message: String,
    /// Something to act on now: no card, an expired one, or one lapsing within the reminder
    /// horizon. A card lapsing years before a far deadline is quiet information until then.
    pub urgent: bool,
}

/// Checks a credential's CPR/AED requirement against the cards held: the card valid longest
/// counts (among those that cover First Aid, where the credential needs it); none held, or none
/// valid through the deadline (and the days after submitting that the body asks for), is a
/// problem.
pub fn prerequisite_problems(
    credential: &Credential,
    cards: &[&Credential],
    today: NaiveDate,
    warn_within_days: u32,
) -> Vec<PrerequisiteProblem> {
    let rules = &credential.rules;
    if credential.kind == CredentialKind::CprAed || rules.requires_cpr_aed != Some(true) {
        return Vec::new();
    }
    let who = &credential.abbreviation;
    let held: Vec<&&Credential> =
        cards.iter().filter(|card| card.kind == CredentialKind::CprAed && card.cycle.start <= today).collect();
    let covers_first_aid = |card: &Credential| card.rules.covers.as_ref().map(|c| c.contains(&Coverage::FirstAid));
    let usable: Vec<&&Credential> = if rules.requires_first_aid {
        held.iter().copied().filter(|card| covers_first_aid(card) == Some(true)).collect()
    } else {
        held.clone()
    };
    let best = usable.into_iter().max_by_key(|card| card.cycle.end);
    let deadline = credential.cycle.end;
    let what = if rules.requires_first_aid { "CPR/AED and First Aid card" } else { "CPR/AED card" };
    let Some(card) = best else {
        let message = match held.iter().max_by_key(|card| card.cycle.end) {
            None => format!("{who} requires a current {what} and none is on file — add yours"),
            Some(card) if covers_first_aid(card).is_none() => format!(
                "{who} requires a card that covers First Aid; Recert does not know whether yours ({}) does — \
                 say so on the card, or add a First Aid card",
                card.abbreviation
            ),
            Some(card) => format!(
                "{who} requires a card that covers First Aid, and yours ({}) covers only CPR and AED — \
                 take a First Aid CPR AED course and add the card",
                card.abbreviation
            ),
        };
        return vec![PrerequisiteProblem { card_id: None, card_expires: None, message, urgent: true }];
    };
    let margin = rules.card_valid_days_after_submission.unwrap_or(0);
    // The last day the renewal can be submitted with this card still valid long enough.
    let submit_by = card.cycle.end - chrono::Days::new(margin.into());
    let problem = |message: String, urgent: bool| {
        vec![PrerequisiteProblem { card_id: Some(card.id), card_expires: Some(card.cycle.end), message, urgent }]
    };
    if card.cycle.end < today {
        return problem(
            format!(
                "Your {what} ({}) expired on {}; {who} requires a current one — renew it",
                card.abbreviation, card.cycle.end
            ),
            true,
        );
    }
    if margin > 0 && submit_by < deadline {
        let urgent = (submit_by - today).num_days() <= i64::from(warn_within_days);
        if submit_by < today {
            return problem(
                format!(
                    "{} wants your card valid {margin} days beyond the day you submit the renewal; yours ({}) \
                     lapses {} — renew the card before you submit",
                    credential.body_short, card.abbreviation, card.cycle.end
                ),
                true,
            );
        }
        return problem(
            format!(
                "{} wants your card valid {margin} days beyond the day you submit the renewal; yours ({}) lapses \
                 {} — renew the card, or submit {who} by {submit_by}",
                credential.body_short, card.abbreviation, card.cycle.end
            ),
            urgent,
        );
    }
    if card.cycle.end < deadline {
        return problem(
            format!(
                "Your {what} ({}) lapses {}, before {who} is due {deadline} — renew it first",
                card.abbreviation, card.cycle.end
            ),
            (card.cycle.end - today).num_days() <= i64::from(warn_within_days),
        );
    }
    Vec::new()
}

/// The renewal fee this holder pays for the current cycle: the fee for credits from one provider
/// where every counted credit came from it (ISSA: $0), otherwise the member or standard fee.
/// With nothing logged yet the standard fee is shown: nothing says the credits will all come
/// from that provider.
pub fn renewal_fee(credential: &Credential, totals: &CycleTotals) -> Option<Cents> {
    let rules = &credential.rules;
    let standard = rules.fee_for(credential.member);
    match &rules.fee_when_all_credits_from {
        Some(by_source)
            if !totals.providers.is_empty()
                && totals
                    .providers
                    .iter()
                    .all(|p| p.as_deref().is_some_and(|p| provider_is(p, &by_source.provider, credential))) =>
        {
            Some(by_source.fee)
        }
        _ => standard,
    }
}

/// Whether a course's provider, as typed, is `provider` (the body's short name) or the body's
/// full name.
fn provider_is(typed: &str, provider: &str, credential: &Credential) -> bool {
    if provider.eq_ignore_ascii_case(&credential.body_short) {
        credential.is_provided_by_body(typed)
    } else {
        crate::credential::mentions(typed, provider, "")
    }
}

/// What the fee depends on, where it depends on where the credits came from.
fn fee_by_source_note(credential: &Credential) -> Option<String> {
    let by_source = credential.rules.fee_when_all_credits_from.as_ref()?;
    let standard = credential.rules.fee_for(credential.member)?;
    Some(format!("{} if every counted course came through {}, {standard} otherwise", by_source.fee, by_source.provider))
}

/// "NSCA's rules for 2027–29 are not in Recert yet: check nsca.com." for a cycle past the one the
/// rules describe.
pub fn rules_outdated(credential: &Credential) -> Option<String> {
    let provenance = &credential.rules.provenance;
    let valid_through = provenance.rules_valid_through?;
    let end = credential.cycle.end;
    if end <= valid_through {
        return None;
    }
    let start = credential.rules.cycle.nominal_start(end).unwrap_or(credential.cycle.start);
    let check = provenance
        .check_at
        .as_deref()
        .map_or_else(|| format!("check with {}", credential.body_short), |at| format!("check {at}"));
    Some(format!(
        "{}'s rules for {}–{:02} are not in Recert yet: the units and categories shown are those of the cycle \
         before, unverified; {check}.",
        credential.body_short,
        start.year(),
        end.year() % 100
    ))
}

/// What renewing costs on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Money {
    /// The renewal fee this holder pays; `None`: unknown.
    pub renewal_fee: Option<Cents>,
    /// The late fee that applies today when in grace, otherwise the one that would apply the day
    /// after the deadline; `None`: unknown.
    pub late_fee: Option<Cents>,
    /// Renewal fee plus the late fee when in grace; `None` when unknown or lapsed.
    pub amount_due: Option<Cents>,
}

pub fn money_on(credential: &Credential, totals: &CycleTotals, today: NaiveDate) -> Money {
    let rules = &credential.rules;
    let renewal_fee = renewal_fee(credential, totals);
    let late_fee = rules.late_fee_on(credential.cycle.end, today);
    let amount_due = match status_on(credential, today) {
        Status::Grace => renewal_fee.zip(late_fee).map(|(fee, late)| fee + late),
        Status::Lapsed => None,
        Status::Current | Status::DueSoon => renewal_fee,
    };
    Money { renewal_fee, late_fee, amount_due }
}

/// Everything the dashboard, the CLI and the reminders need about one credential on one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CredentialReport {
    pub credential: Credential,
    pub status: Status,
    pub days_left: i64,
    pub grace_ends: Option<NaiveDate>,
    pub progress: Progress,
    pub prerequisite_problems: Vec<PrerequisiteProblem>,
    /// The renewal fee this holder pays; `None`: unknown.
    pub renewal_fee: Option<Cents>,
    /// The late fee that applies today when in grace, otherwise the one that would apply the day
    /// after the deadline; `None`: unknown.
    pub late_fee: Option<Cents>,
    /// Renewal fee plus the late fee, when in grace.
    pub amount_due: Option<Cents>,
    /// How the renewal fee was worked out when it is not the credential's own fee ("share of
    /// NCSF's $100.00 fee for NCSF-CPT and NCSF-CSC renewed together").
    pub fee_note: Option<String>,
    /// The body publishes rules per cycle and this cycle's are not in the catalog.
    pub rules_outdated: Option<String>,
    /// While the deadline is unconfirmed: what to check ("Check 2026-12-31 against your
    /// certificate or your NSCA account."), and why Recert is not sure of it.
    pub confirm_expiry: Option<String>,
    pub confirm_expiry_reason: Option<String>,
    /// The request is a yes-or-no question about a renewal Recert assumed ("Did you renew in
    /// 2023?"), answered "Yes" (confirm) or with the expiry date.
    pub confirm_expiry_question: bool,
    pub course_costs: Cents,
    pub activity_count: u32,
    /// Units credited this cycle that wait for the body's approval (not counted).
    pub units_pending: crate::amount::Units,
    /// Rule values the sources don't give, worded for the user ("renewal fee unknown — check
    /// with NSCA").
    pub unknowns: Vec<String>,
    /// The form field (`renewal_fee`, `grace`, …) that fills in each of `unknowns`, in order.
    pub unknown_fields: Vec<&'static str>,
    /// One sentence: what to do next, by when.
    pub next_action: String,
}

/// How far ahead a coming problem becomes a warning: the longest reminder lead time (90 days by
/// default), so the window warns when the reminders start, not years before.
pub const DEFAULT_WARN_WITHIN_DAYS: u32 = 90;

pub fn report(
    credential: &Credential,
    totals: &CycleTotals,
    cards: &[&Credential],
    today: NaiveDate,
    warn_within_days: u32,
) -> CredentialReport {
    let status = status_on(credential, today);
    let days_left = (credential.cycle.end - today).num_days();
    let rules = &credential.rules;
    let progress = progress(credential, totals, today);
    let Money { renewal_fee, late_fee, amount_due } = money_on(credential, totals, today);
    let body = &credential.body_short;
    // Each with the form field that fills it in, so the window can offer it where it is shown.
    let mut unknowns: Vec<(&'static str, String)> = Vec::new();
    if progress.units_required.is_none() && progress.prorated {
        unknowns.push(("units_required", format!("units required prorated — ask {body}")));
    }
    let mut unknown = |field: &'static str, what: &str| {
        unknowns.push((field, format!("{what} unknown — check with {body}")));
    };
    if credential.kind == CredentialKind::Credential {
        if progress.units_required.is_none() && !progress.prorated {
            unknown("units_required", "units required");
        }
        if rules.hours_per_unit.is_none() {
            unknown("hours_per_unit", "hours per unit");
        }
        if rules.requires_cpr_aed.is_none() {
            unknown("requires_cpr_aed", "CPR/AED requirement");
        }
        if renewal_fee.is_none() {
            unknown("renewal_fee", "renewal fee");
        }
        if rules.late_fees.is_none() {
            unknown("late_fee", "late fee");
        }
        if rules.grace.is_none() {
            unknown("grace", "grace period");
        }
    }
    let (unknown_fields, unknowns) = unknowns.into_iter().unzip();
    let prerequisite_problems = prerequisite_problems(credential, cards, today, warn_within_days);
    let next_action = next_action(credential, status, &progress, renewal_fee, today);
    let (confirm_expiry, confirm_expiry_reason, confirm_expiry_question) = match credential.expiry_confirmed {
        true => (None, None, false),
        false => {
            let (request, reason, question) = confirm_expiry_request(credential);
            (Some(request), Some(reason), question)
        }
    };
    CredentialReport {
        credential: credential.clone(),
        status,
        days_left,
        grace_ends: grace_ends(credential),
        progress,
        prerequisite_problems,
        renewal_fee,
        late_fee,
        amount_due,
        fee_note: fee_by_source_note(credential),
        rules_outdated: rules_outdated(credential),
        confirm_expiry,
        confirm_expiry_reason,
        confirm_expiry_question,
        course_costs: totals.course_costs,
        activity_count: totals.activity_count,
        units_pending: totals.pending,
        unknowns,
        unknown_fields,
        next_action,
    }
}

/// More course hours a week than this next to a working week is not a realistic plan.
const MAX_REALISTIC_HOURS_PER_WEEK: i64 = 20;

/// Asks the user to check a deadline Recert worked out rather than read from them: the request,
/// the reason, and whether the request is a yes-or-no question. Where the body's cycle is the same
/// for everyone (NSCA: Dec 31, 2026), the date is not in doubt: what Recert assumed is the renewal
/// before it, so that is what it asks about ("Did you renew in 2023?").
fn confirm_expiry_request(credential: &Credential) -> (String, String, bool) {
    let body = &credential.body_short;
    let unverified = credential.rules.provenance.unverified.get("cycle");
    let assumed_renewal = credential.cycle.start.pred_opt().filter(|end| *end >= credential.earned_on);
    if let (crate::rules::CycleRule::Fixed { .. }, None, Some(previous_end)) =
        (&credential.rules.cycle, unverified, assumed_renewal)
    {
        let request = format!(
            "Did you renew in {}? Then {} is your deadline, as for everyone who holds {}.",
            previous_end.year(),
            credential.cycle.end,
            credential.abbreviation
        );
        let reason = format!(
            "{body}'s cycle ends on the same day for everyone. Recert assumed you renewed for the cycle that \
             ended {previous_end}; if you did not, your certification may have expired then: enter that date."
        );
        return (request, reason, true);
    }
    let holder = if credential.kind == CredentialKind::CprAed { "your card" } else { "your certificate" };
    let request = format!("Check {} against {holder} or your {body} account.", credential.cycle.end);
    let reason = match unverified {
        Some(why) => format!("Recert worked it out by a rule {body} has not confirmed. {why}"),
        None => "Recert worked it out assuming every earlier renewal was on time.".to_string(),
    };
    (request, reason, false)
}

/// Several credentials of one body renewed together pay one joint fee (NCSF: $100 for two or
/// more): each report then shows its share, the shares add up to the joint fee, and a note says
/// so. Credentials share a renewal when they have the same deadline and are not lapsed.
pub fn apply_joint_fees(reports: &mut [CredentialReport], today: NaiveDate) {
    let groups = crate::joint_fee::joint_groups(reports, |report| {
        let joint = report.credential.rules.joint_fee.as_ref()?;
        (report.status != Status::Lapsed).then_some((joint, report.credential.cycle.end))
    });
    for (joint, members) in groups {
        let names: Vec<String> = members.iter().map(|&i| reports[i].credential.abbreviation.clone()).collect();
        let note = format!("share of {}'s {} fee for {} renewed together", joint.group, joint.fee, join_names(&names));
        for (&index, share) in members.iter().zip(joint.shares(members.len())) {
            let report = &mut reports[index];
            report.renewal_fee = Some(share);
            report.amount_due = match report.status {
                Status::Grace => report.late_fee.map(|late| share + late),
                _ => Some(share),
            };
            report.fee_note = Some(note.clone());
            report.next_action =
                next_action(&report.credential, report.status, &report.progress, Some(joint.fee), today);
        }
    }
}

/// "A", "A and B", "A, B and C".
pub fn join_names(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

fn money(fee: Option<Cents>) -> String {
    fee.map_or_else(|| "fee unknown".to_string(), |fee| fee.to_string())
}

/// Whether all that is missing is category minimums: the total is met (NASM: 2.1 CEU of courses,
/// no CPR/AED card), so no hour of ordinary courses closes it.
pub fn category_only(progress: &Progress) -> bool {
    let missing: Units = progress.category_shortfalls.iter().map(|c| c.missing).sum();
    let total_short = progress.units_required.map_or(Units::ZERO, |r| r.saturating_sub(progress.units_earned));
    !progress.category_shortfalls.is_empty() && total_short <= missing
}

/// What closes category minimums left short: "Renew or record your CPR/AED card by …" for a card's
/// credit, "Log 1.0 CEU of Ethics by …" for any other.
pub fn category_action(credential: &Credential, progress: &Progress) -> Option<String> {
    let end = credential.cycle.end;
    let unit = credential.rules.unit.as_deref().unwrap_or("units");
    let who = &credential.abbreviation;
    let parts: Vec<String> = progress
        .category_shortfalls
        .iter()
        .map(|category| {
            let missing = category.missing;
            if category.is_cpr_card() {
                format!(
                    "Renew or record your CPR/AED card by {end}: {who} counts it as {missing} {unit}, which no \
                     other course replaces"
                )
            } else {
                format!(
                    "Log {missing} {unit} in \u{201c}{}\u{201d} by {end}: {who} needs at least that much there, \
                     whatever else is logged",
                    category.name
                )
            }
        })
        .collect();
    (!parts.is_empty()).then(|| parts.join(". "))
}

/// ", including 2.0 CEU in “CPR”" when part of a shortfall is a category minimum.
fn including(progress: &Progress, unit: &str) -> String {
    let parts: Vec<String> = progress
        .category_shortfalls
        .iter()
        .map(|c| format!("{} {unit} in \u{201c}{}\u{201d}", c.missing, c.name))
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!(", including {}", join_names(&parts))
    }
}

fn next_action(
    credential: &Credential,
    status: Status,
    progress: &Progress,
    fee: Option<Cents>,
    today: NaiveDate,
) -> String {
    let end = credential.cycle.end;
    let unit = credential.rules.unit.as_deref().unwrap_or("units");
    if credential.kind == CredentialKind::CprAed {
        return match status {
            Status::Lapsed | Status::Grace => format!("Expired {end}: take a CPR/AED course and record the new card"),
            _ => "Take a renewal course and record the new card before this one expires".to_string(),
        };
    }
    let already = "If you have already renewed, record the renewal";
    match status {
        Status::Lapsed => match &credential.rules.after_grace {
            Some(after) => format!("Lapsed after {end}. {after} {already}."),
            None => format!("Lapsed after {end}: contact {} about reinstatement. {already}.", credential.body_short),
        },
        Status::Grace => {
            let last = grace_ends(credential).unwrap_or(today);
            format!("Past the deadline: renew by {last} with the late fee to avoid losing it. {already}.")
        }
        Status::Current | Status::DueSoon => match (progress.shortfall, progress.pace_per_month) {
            (Some(short), _) if short.0 > 0 && category_only(progress) => {
                category_action(credential, progress).unwrap_or_default()
            }
            (Some(short), Some(pace)) if short.0 > 0 => match progress.hours_needed {
                Some(hours) => {
                    let days = (end - today).num_days().max(1);
                    let mut text = format!(
                        "Log {short} more {unit} by {end}{}: about {} h of courses in the next {days} {}",
                        including(progress, unit),
                        (hours.0 + 99) / 100,
                        if days == 1 { "day" } else { "days" }
                    );
                    // Beyond ~20 h a week next to a working week, the pace is not a plan.
                    let per_week = hours.0 * 7 / (days * 100);
                    if per_week > MAX_REALISTIC_HOURS_PER_WEEK {
                        text.push_str(&format!(
                            ". That is about {per_week} h a week, more than most people can fit in: ask {} now \
                             about late options",
                            credential.body_short
                        ));
                    }
                    text
                }
                None => match pace_phrase(Some(pace), (end - today).num_days()) {
                    Some(phrase) => format!("Log {short} more {unit} by {end}{} ({phrase})", including(progress, unit)),
                    None => format!("Log {short} more {unit} by {end}{}", including(progress, unit)),
                },
            },
            (Some(short), None) if short.0 > 0 => {
                format!("Log {short} more {unit} by {end}{}", including(progress, unit))
            }
            (None, _) if progress.prorated => format!(
                "Renew by {end} — {}; the prorated requirement is unknown: ask {} and enter it",
                money(fee),
                credential.body_short
            ),
            (None, _) => format!("Renew by {end} — {}; units required unknown", money(fee)),
            _ => format!("Requirements met: renew by {end} — {}", money(fee)),
        },
    }
}

/// How soon the units are needed, as a person says it: "about 0.4 a month" (rounded up to a
/// tenth) while two months or more are left, else the days left ("25 days left"): a monthly pace
/// larger than what is left to do ("about 3.96 a month" with 25 days to go) says nothing.
pub fn pace_phrase(pace_per_month: Option<Units>, days_left: i64) -> Option<String> {
    let pace = pace_per_month?;
    Some(match days_left {
        ..=0 => return None,
        1 => "1 day left".to_string(),
        2..=59 => format!("{days_left} days left"),
        _ => format!("about {} a month", Units((pace.0 + 9) / 10 * 10)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{d, held_on};

    fn held(id: i64, preset: &str, earned: &str, expires: Option<&str>) -> Credential {
        held_on(id, preset, earned, expires, "2026-01-01")
    }

    #[test]
    fn status_through_the_deadline_grace_and_lapse() {
        // ACSM: cycle ends 2026-12-31; six calendar months of grace, through June 30.
        let acsm = held(1, "acsm-cpt", "2023-05-01", Some("2026-12-31"));
        let cases = [
            ("2026-01-01", Status::Current),
            ("2026-10-02", Status::DueSoon), // 90 days left
            ("2026-10-01", Status::Current), // 91 days left
            ("2026-12-31", Status::DueSoon),
            ("2027-01-01", Status::Grace),
            ("2027-06-30", Status::Grace),
            ("2027-07-01", Status::Lapsed),
        ];
        for (today, expected) in cases {
            assert_eq!(status_on(&acsm, d(today)), expected, "{today}");
        }
        // No known grace period: lapsed the day after.
        let cscs = held(2, "nsca-cscs", "2019-01-01", None);
        assert_eq!(status_on(&cscs, d("2027-01-01")), Status::Lapsed);
    }

    #[test]
    fn late_fee_applies_in_grace() {
        let acsm = held(1, "acsm-cpt", "2023-05-01", Some("2026-12-31"));
        let r = report(&acsm, &CycleTotals::default(), &[], d("2027-02-01"), 90);
        assert_eq!(r.status, Status::Grace);
        assert_eq!(r.renewal_fee, Some(Cents(6000)));
        assert_eq!(r.late_fee, Some(Cents(8000)));
        assert_eq!(r.amount_due, Some(Cents(14000)));
        let before = report(&acsm, &CycleTotals::default(), &[], d("2026-06-01"), 90);
        assert_eq!(before.amount_due, Some(Cents(6000)));
        assert_eq!(before.late_fee, Some(Cents(8000)), "the late fee at risk");
    }

    #[test]
    fn the_cpr_card_valid_longest_counts() {
        let cscs = held(1, "nsca-cscs", "2019-01-01", None);
        let old_card = held(2, "cpr-aed-aha", "2024-10-05", None); // valid through 2026-10-31
        let new_card = held(3, "cpr-aed-arc", "2025-09-01", None); // valid through 2027-09-01
        let today = d("2026-06-01");
        assert!(prerequisite_problems(&cscs, &[&old_card, &new_card], today, 90).is_empty());
        let problems = prerequisite_problems(&cscs, &[&old_card], today, 90);
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0].message.contains("lapses 2026-10-31, before CSCS is due 2026-12-31"),
            "{}",
            problems[0].message
        );
        let none = prerequisite_problems(&cscs, &[], today, 90);
        assert!(none[0].message.contains("none is on file"));
        let expired = prerequisite_problems(&cscs, &[&old_card], d("2026-11-23"), 90);
        assert!(expired[0].message.contains("expired on 2026-10-31"));
        // A card lapsing long before a far deadline is quiet until the reminders would start.
        let acsm = held(5, "acsm-cpt", "2025-12-10", None); // due 2028-12-09
        let far = prerequisite_problems(&acsm, &[&new_card], today, 90);
        assert_eq!(far.len(), 1);
        assert!(!far[0].urgent, "{:?}", far[0]);
        assert!(
            prerequisite_problems(&acsm, &[&new_card], d("2027-06-10"), 90)[0].urgent,
            "84 days before the card ends"
        );
        assert!(!problems[0].urgent, "the card lapses in five months: quiet until 90 days before");
        assert!(none[0].urgent && expired[0].urgent);
        let cnc = held(4, "nasm-cnc", "2025-01-01", None);
        assert!(prerequisite_problems(&cnc, &[], today, 90).is_empty(), "CNC does not require CPR/AED");
    }

    #[test]
    fn unknown_rule_values_are_listed() {
        let cscs = held(1, "nsca-cscs", "2019-01-01", None);
        let r = report(&cscs, &CycleTotals::default(), &[], d("2026-11-23"), 90);
        assert!(r.unknowns.contains(&"renewal fee unknown — check with NSCA".to_string()), "{:?}", r.unknowns);
        assert_eq!(r.renewal_fee, None);
        assert_eq!(r.amount_due, None);
    }

    #[test]
    fn the_pace_is_said_as_a_person_says_it() {
        // 3.3 CEU short with 25 days left: not "about 4.02 a month", which is more than is left.
        assert_eq!(pace_phrase(Some(Units(402)), 25).as_deref(), Some("25 days left"));
        assert_eq!(pace_phrase(Some(Units(3000)), 1).as_deref(), Some("1 day left"));
        // Months ahead: a monthly pace, rounded up to a tenth.
        assert_eq!(pace_phrase(Some(Units(121)), 400).as_deref(), Some("about 1.3 a month"));
        assert_eq!(pace_phrase(Some(Units(40)), 60).as_deref(), Some("about 0.4 a month"));
        assert_eq!(pace_phrase(None, 25), None);
        assert_eq!(pace_phrase(Some(Units(100)), 0), None);
    }

    #[test]
    fn next_action_is_a_sentence_with_pace() {
        let cscs = held(1, "nsca-cscs", "2019-01-01", None);
        let totals = CycleTotals {
            by_category: vec![(Some("A".into()), Units(300)), (Some("B".into()), Units(150))],
            ..Default::default()
        };
        let r = report(&cscs, &totals, &[], d("2026-11-23"), 90);
        assert_eq!(r.next_action, "Log 1.5 more CEU by 2026-12-31: about 15 h of courses in the next 38 days");
        let short = report(&cscs, &CycleTotals::default(), &[], d("2026-12-17"), 90);
        assert_eq!(
            short.next_action,
            "Log 6.0 more CEU by 2026-12-31: about 60 h of courses in the next 14 days. That is about 30 h a week, \
             more than most people can fit in: ask NSCA now about late options"
        );
        let twenty_a_week = report(&cscs, &CycleTotals::default(), &[], d("2026-12-10"), 90);
        assert!(!twenty_a_week.next_action.contains("more than most"), "{}", twenty_a_week.next_action);
    }

    #[test]
    fn a_missing_category_minimum_is_named_with_its_action() {
        // NASM-CPT: 2.1 CEU of courses, none for the CPR/AED card. No hour of courses closes it.
        let nasm = held(1, "nasm-cpt", "2025-03-01", None);
        let totals = CycleTotals { by_category: vec![(Some("courses".into()), Units(210))], ..Default::default() };
        let r = report(&nasm, &totals, &[], d("2026-12-06"), 90);
        assert_eq!(r.progress.shortfall, Some(Units(10)));
        assert_eq!(r.progress.units_toward, Units(190), "the bar shows what counts toward the requirement");
        assert!(!r.next_action.contains("h of courses"), "{}", r.next_action);
        assert!(r.next_action.contains("CPR/AED"), "{}", r.next_action);
        assert!(r.next_action.starts_with("Renew or record your CPR/AED card"), "{}", r.next_action);
        // Short in total and in a category: both are said.
        let ncsf = held(2, "ncsf-cpt", "2025-03-14", None);
        let totals = CycleTotals { by_category: vec![(Some("general".into()), Units(500))], ..Default::default() };
        let r = report(&ncsf, &totals, &[], d("2026-12-06"), 90);
        assert!(r.next_action.contains("including"), "{}", r.next_action);
    }

    #[test]
    fn a_cpr_card_says_its_date_once() {
        let card = held(1, "cpr-aed-aha", "2025-09-12", None);
        let r = report(&card, &CycleTotals::default(), &[], d("2026-12-06"), 90);
        assert!(!r.next_action.contains("Valid through"), "the deadline line says it: {}", r.next_action);
    }

    #[test]
    fn a_shared_cycle_asks_about_the_renewal_recert_assumed() {
        let cscs = held(1, "nsca-cscs", "2015-06-01", None);
        let r = report(&cscs, &CycleTotals::default(), &[], d("2026-12-06"), 90);
        let request = r.confirm_expiry.unwrap();
        assert!(request.starts_with("Did you renew in 2023?"), "{request}");
    }
}
