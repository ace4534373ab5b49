//! The CEC ledger: an activity (a course, a workshop, a CPR class) is logged once and credited to
//! every held credential it can serve, in that credential's unit.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::amount::{Cents, Hours, Units};
use crate::credential::{clean_text, Credential, CredentialKind};
use crate::dates::parse_typed_date;
use crate::error::{Error, Problems, Result};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Activity {
    pub id: i64,
    pub title: String,
    pub provider: Option<String>,
    pub completed_on: NaiveDate,
    pub hours: Hours,
    pub cost: Cents,
    pub categories: Vec<String>,
    pub notes: Option<String>,
    pub proof: Option<Proof>,
    /// Set when this is a credential's opening balance ("Earned before Recert"), credited to it only.
    pub opening_balance_for: Option<i64>,
    /// The bodies that approved it, with their approval or course numbers.
    #[serde(default)]
    pub approvals: Vec<BodyApproval>,
}

/// A body's approval of a course: the body's short name, and the approval or course number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BodyApproval {
    pub body: String,
    #[serde(default)]
    pub number: Option<String>,
}

impl BodyApproval {
    /// `BODY` or `BODY:NUMBER`, as typed after `--approved-by` and in a spreadsheet cell.
    pub fn parse(text: &str) -> Result<Self> {
        let (body, number) = match text.split_once(':') {
            Some((body, number)) => (body, clean_text("approved-by", number, false)?),
            None => (text, None),
        };
        let body = clean_text("approved-by", body, true)?.unwrap_or_default();
        Ok(Self { body, number })
    }

    /// As `parse` reads it back.
    pub fn spec(&self) -> String {
        match &self.number {
            Some(number) => format!("{}:{number}", self.body),
            None => self.body.clone(),
        }
    }
}

/// Whether a credit counts: only counted credits are in a cycle's progress and totals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    #[default]
    Counted,
    /// Waits for the body to accept a petition.
    Pending,
    /// The body did not accept it.
    Refused,
}

impl Standing {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Counted => "counted",
            Self::Pending => "pending",
            Self::Refused => "refused",
        }
    }

    pub fn parse(text: &str) -> Result<Self> {
        match text {
            "counted" => Ok(Self::Counted),
            "pending" => Ok(Self::Pending),
            "refused" => Ok(Self::Refused),
            other => Err(Error::Corrupt(format!("unknown credit standing {other:?}"))),
        }
    }
}

/// A certificate or receipt copied into the data folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proof {
    /// Path inside the data folder (`proofs/…`).
    pub stored_path: String,
    pub original_name: String,
    pub sha256: String,
}

/// Units of one activity credited to one credential.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Credit {
    pub activity_id: i64,
    pub credential_id: i64,
    pub completed_on: NaiveDate,
    pub units: Units,
    pub category: Option<String>,
    /// The user typed the units instead of letting Recert convert hours.
    pub overridden: bool,
    /// Completed after the cycle ending on this date, inside the body's late window: the credit
    /// counts toward that cycle, not the one its date falls in.
    pub late_for_cycle_end: Option<NaiveDate>,
    /// Counted, or waiting for (or refused by) the body's approval.
    #[serde(default)]
    pub standing: Standing,
}

impl Credit {
    /// Whether this credit belongs to `cycle`: its date falls in it, or it was completed in the
    /// late window after the cycle's end. (Whether it counts also depends on its standing.)
    pub fn falls_in(&self, cycle: crate::rules::Cycle) -> bool {
        match self.late_for_cycle_end {
            Some(end) => end == cycle.end,
            None => cycle.contains(self.completed_on),
        }
    }

    /// Whether this credit counts toward `cycle`: it falls in it and the body accepted it. The
    /// store's totals use the same condition in SQL (`COUNTS_IN_CURRENT_CYCLE`); a store test
    /// runs both over the same cases.
    pub fn counts_in(&self, cycle: crate::rules::Cycle) -> bool {
        self.standing == Standing::Counted && self.falls_in(cycle)
    }
}

/// What the user typed to log an activity.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ActivityForm {
    pub title: String,
    pub provider: Option<String>,
    pub completed_on: String,
    pub hours: String,
    pub cost: Option<String>,
    pub categories: Vec<String>,
    pub notes: Option<String>,
    /// A file to copy into the data folder as proof.
    pub proof_file: Option<PathBuf>,
    /// Restrict crediting to these credentials (empty: every credential it can serve), each with
    /// optional units typed by the user.
    pub credit_to: Vec<CreditChoice>,
    /// The bodies that approved it, each `BODY` or `BODY:NUMBER` (short or full name).
    pub approved_by: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditChoice {
    pub credential_id: i64,
    pub units: Option<String>,
}

impl CreditChoice {
    /// Parses `ID` or `ID=UNITS` as typed on the command line.
    pub fn parse(text: &str) -> Result<Self> {
        let (id, units) = match text.split_once('=') {
            Some((id, units)) => (id, Some(units.to_string())),
            None => (text, None),
        };
        let credential_id = id.trim().parse().map_err(|_| {
            Error::invalid(
                "for",
                format!("\"{}\" is not a credential id (use ID or ID=UNITS)", crate::quote::value(id)),
            )
        })?;
        Ok(Self { credential_id, units })
    }
}

/// What an edit does to an activity's proof.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProofChange<'a> {
    Keep,
    Replace(&'a Path),
    Remove,
}

/// What the user changes in a logged activity. `None` keeps a value; an empty text clears an
/// optional one (provider, cost, notes).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ActivityChanges {
    pub title: Option<String>,
    pub provider: Option<String>,
    pub completed_on: Option<String>,
    pub hours: Option<String>,
    pub cost: Option<String>,
    pub categories: Option<Vec<String>>,
    pub notes: Option<String>,
    /// Choose again which credentials it counts toward, as when logging (an empty list: every
    /// credential it can serve). `None` keeps the current choice: the credentials it counts
    /// toward (with units the user typed), plus those it could not serve before the change.
    pub credit_to: Option<Vec<CreditChoice>>,
    /// A file to keep as the proof instead of the current one (copied in as when logging).
    pub proof_file: Option<PathBuf>,
    /// Keep no proof: the stored copy goes when no other activity uses it.
    pub remove_proof: bool,
    /// Replaces the bodies that approved it (`BODY` or `BODY:NUMBER`); an empty list: none.
    pub approved_by: Option<Vec<String>>,
}

impl ActivityChanges {
    /// The proof the change asks for; a new file and "no proof" together are a contradiction.
    pub fn proof_change(&self) -> Result<ProofChange<'_>> {
        match (&self.proof_file, self.remove_proof) {
            (Some(_), true) => Err(Error::invalid("proof", "give a new proof file or remove the proof, not both")),
            (Some(path), false) => Ok(ProofChange::Replace(path)),
            (None, true) => Ok(ProofChange::Remove),
            (None, false) => Ok(ProofChange::Keep),
        }
    }

    /// The whole form the changed activity amounts to, to be validated as a new one is.
    pub fn to_form(&self, activity: &Activity) -> ActivityForm {
        let or = |changed: &Option<String>, current: String| changed.clone().unwrap_or(current);
        ActivityForm {
            title: or(&self.title, activity.title.clone()),
            provider: self.provider.clone().or_else(|| activity.provider.clone()),
            completed_on: or(&self.completed_on, activity.completed_on.to_string()),
            hours: or(&self.hours, activity.hours.to_string()),
            cost: Some(or(&self.cost, activity.cost.to_string())),
            categories: self.categories.clone().unwrap_or_else(|| activity.categories.clone()),
            notes: self.notes.clone().or_else(|| activity.notes.clone()),
            proof_file: None,
            credit_to: self.credit_to.clone().unwrap_or_default(),
            approved_by: self
                .approved_by
                .clone()
                .unwrap_or_else(|| activity.approvals.iter().map(BodyApproval::spec).collect()),
        }
    }
}

/// Whether an activity is a CPR/AED (or BLS, first aid) course: tagged so, or named so.
pub fn is_cpr_course(title: &str, categories: &[String]) -> bool {
    const TAGS: [&str; 8] = ["cpr", "aed", "cpr/aed", "cpr-aed", "bls", "first aid", "first-aid", "cpr/aed/first aid"];
    const WORDS: [&str; 3] = ["cpr", "aed", "bls"];
    categories.iter().any(|tag| TAGS.iter().any(|known| tag.trim().eq_ignore_ascii_case(known)))
        || title.split(|c: char| !c.is_alphanumeric()).any(|word| WORDS.iter().any(|w| word.eq_ignore_ascii_case(w)))
}

/// The checked, typed content of an `ActivityForm`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidActivity {
    pub title: String,
    pub provider: Option<String>,
    pub completed_on: NaiveDate,
    pub hours: Hours,
    pub cost: Cents,
    pub categories: Vec<String>,
    pub notes: Option<String>,
    pub overrides: Vec<(i64, Option<Units>)>,
    pub approvals: Vec<BodyApproval>,
}

/// At most 24 hours a day for a year: anything larger is a typo.
/// The most category tags one activity may carry (a body's categories are a handful).
pub const MAX_CATEGORIES: usize = 20;
const MAX_HOURS: Hours = Hours(24 * 366 * 100);

/// Hours a course can have: more than 0, less than a year of study (logged or planned).
pub(crate) fn checked_hours(hours: Hours) -> Result<Hours> {
    if hours.0 <= 0 {
        Err(Error::invalid("hours", "must be more than 0"))
    } else if hours > MAX_HOURS {
        Err(Error::invalid("hours", format!("{hours} hours is more than a year of study")))
    } else {
        Ok(hours)
    }
}

/// A cost as typed; empty is nothing spent.
pub(crate) fn checked_cost(text: Option<&str>) -> Result<Cents> {
    match text.map(str::trim) {
        None | Some("") => Ok(Cents::ZERO),
        Some(text) => Cents::parse("cost", text),
    }
}

/// Category tags as typed, each once (in any case), at most `MAX_CATEGORIES`; problems recorded.
pub(crate) fn checked_categories(problems: &mut Problems, tags: &[String]) -> Vec<String> {
    let mut categories = Vec::new();
    if tags.len() > MAX_CATEGORIES {
        problems.add(Error::invalid(
            "category",
            format!("{} categories: an activity has at most {MAX_CATEGORIES}", tags.len()),
        ));
    }
    for tag in tags.iter().take(MAX_CATEGORIES) {
        if let Some(Some(tag)) = problems.check(clean_text("category", tag, false)) {
            if !categories.iter().any(|t: &String| t.eq_ignore_ascii_case(&tag)) {
                categories.push(tag);
            }
        }
    }
    categories
}

impl ActivityForm {
    /// Checks every field and reports every problem at once (one `Invalid`, or `InvalidFields`
    /// in the form's order), so the form can show each beside its field.
    pub fn validate(&self, today: NaiveDate) -> Result<ValidActivity> {
        let mut problems = Problems::default();
        let title = problems.check(clean_text("title", &self.title, true)).map(Option::unwrap_or_default);
        let provider = problems.check(optional_clean("provider", &self.provider));
        let completed_on = problems.check(self.completed_on().and_then(|date| {
            if date > today {
                Err(Error::invalid("date", format!("{date} is in the future")))
            } else {
                Ok(date)
            }
        }));
        let hours = problems.check(self.hours().and_then(checked_hours));
        let cost = problems.check(checked_cost(self.cost.as_deref()));
        let categories = checked_categories(&mut problems, &self.categories);
        let notes = problems.check(optional_clean("notes", &self.notes));
        let mut overrides = Vec::new();
        for choice in &self.credit_to {
            if overrides.iter().any(|(id, _)| *id == choice.credential_id) {
                problems.add(Error::invalid("for", format!("credential {} is listed twice", choice.credential_id)));
                continue;
            }
            let units = match choice.units.as_deref().map(str::trim) {
                None | Some("") => Some(None),
                Some(text) => problems.check(Units::parse("for", text)).map(Some),
            };
            if let Some(units) = units {
                overrides.push((choice.credential_id, units));
            }
        }
        let mut approvals: Vec<BodyApproval> = Vec::new();
        for text in &self.approved_by {
            if let Some(approval) = problems.check(BodyApproval::parse(text)) {
                if !approvals.iter().any(|a| a.body.eq_ignore_ascii_case(&approval.body)) {
                    approvals.push(approval);
                }
            }
        }
        problems.finish()?;
        // Every value missing here recorded a problem, so `finish` returned it above.
        let (Some(title), Some(provider), Some(completed_on), Some(hours), Some(cost), Some(notes)) =
            (title, provider, completed_on, hours, cost, notes)
        else {
            return Err(Error::invalid("form", "the activity could not be read"));
        };
        Ok(ValidActivity { title, provider, completed_on, hours, cost, categories, notes, overrides, approvals })
    }

    /// The completion date as typed (ISO or US `MM/DD/YYYY`), read as the form reads it.
    pub fn completed_on(&self) -> Result<NaiveDate> {
        parse_typed_date("date", &self.completed_on)
    }

    /// The hours as typed (`1.5`, `1h30`, `90 min`), read as the form reads them.
    pub fn hours(&self) -> Result<Hours> {
        Hours::parse_duration("hours", &self.hours)
    }
}

fn optional_clean(field: &str, text: &Option<String>) -> Result<Option<String>> {
    match text {
        Some(text) => clean_text(field, text, false),
        None => Ok(None),
    }
}

/// Whether and how an activity counts for one credential.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum CreditDecision {
    Credited {
        units: Units,
        category: Option<String>,
        overridden: bool,
        capped: bool,
        /// Completed inside the late window after the cycle ending on this date.
        #[serde(skip_serializing_if = "Option::is_none")]
        late_for_cycle_end: Option<NaiveDate>,
    },
    /// Credited once the body accepts it: stored, shown, not counted.
    Pending {
        units: Units,
        category: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        late_for_cycle_end: Option<NaiveDate>,
        /// "counts once NASM accepts a petition ($25.00)".
        reason: String,
    },
    NotCredited {
        reason: String,
    },
}

/// Where a course comes from, as a body judges it: its title and tags, provider and approvals.
#[derive(Debug, Clone, Copy)]
pub struct CourseSource<'a> {
    pub title: &'a str,
    pub categories: &'a [String],
    pub provider: Option<&'a str>,
    pub approvals: &'a [BodyApproval],
}

impl<'a> CourseSource<'a> {
    pub fn of(activity: &'a Activity) -> Self {
        Self {
            title: &activity.title,
            categories: &activity.categories,
            provider: activity.provider.as_deref(),
            approvals: &activity.approvals,
        }
    }

    pub fn of_valid(activity: &'a ValidActivity) -> Self {
        Self {
            title: &activity.title,
            categories: &activity.categories,
            provider: activity.provider.as_deref(),
            approvals: &activity.approvals,
        }
    }
}

/// `decision` as `credential`'s body takes the course: a kind of course the body never credits is
/// not credited, and one it must approve first is pending until it does. Units the user typed
/// are what the body granted, and count.
pub fn as_body_accepts(credential: &Credential, decision: CreditDecision, course: CourseSource<'_>) -> CreditDecision {
    use crate::rules::Approval;
    let CreditDecision::Credited { units, category, overridden: false, late_for_cycle_end, .. } = &decision else {
        return decision;
    };
    let Some(acceptance) = &credential.rules.acceptance else { return decision };
    let body = &credential.body_short;
    if acceptance.never_credits.iter().any(|kind| kind == "cpr") && is_cpr_course(course.title, course.categories) {
        return CreditDecision::NotCredited {
            reason: format!("{body} gives no units for a CPR/AED course: the card is a requirement, not a credit"),
        };
    }
    let exempt = category.as_ref().is_some_and(|key| acceptance.approval_not_needed_for.iter().any(|k| k == key));
    let approved = course.approvals.iter().any(|approval| credential.is_body_named(&approval.body))
        || course.provider.is_some_and(|provider| credential.is_provided_by_body(provider));
    if acceptance.approval == Approval::AnyRelevant || exempt || approved {
        return decision;
    }
    CreditDecision::Pending {
        units: *units,
        category: category.clone(),
        late_for_cycle_end: *late_for_cycle_end,
        reason: petition_reason(credential),
    }
}

/// Why a course waits for `credential`'s body: "counts once NASM accepts a petition ($25.00)".
pub fn petition_reason(credential: &Credential) -> String {
    let fee = credential.rules.acceptance.as_ref().and_then(|a| a.petition_fee);
    let petition = match fee {
        Some(fee) if fee.0 > 0 => format!("a petition ({fee})"),
        Some(_) => "a petition".to_string(),
        None => "a petition (fee unknown)".to_string(),
    };
    format!("counts once {} accepts {petition}", credential.body_short)
}

/// Decides how many units an activity earns toward `credential`: converted from hours in the
/// credential's unit (or as typed by the user), capped per event, placed in a category, and only
/// when completed inside the current cycle, or inside the body's late window after it (NASM: 90
/// days), in which case it counts toward that cycle.
pub fn decide_credit(
    credential: &Credential,
    completed_on: NaiveDate,
    hours: Hours,
    tags: &[String],
    typed_units: Option<Units>,
) -> CreditDecision {
    let not = |reason: String| CreditDecision::NotCredited { reason };
    if credential.kind == CredentialKind::CprAed {
        return not("a CPR/AED card does not collect continuing-education units".into());
    }
    let cycle = credential.cycle;
    if completed_on < cycle.start {
        return not(format!("completed before the current cycle ({} to {})", cycle.start, cycle.end));
    }
    if completed_on > cycle.end {
        return match credential.rules.late_credits_until(cycle.end) {
            Some(last) if completed_on <= last => match convert_credit(credential, hours, tags, typed_units) {
                CreditDecision::Credited { units, category, overridden, capped, .. } => CreditDecision::Credited {
                    units,
                    category,
                    overridden,
                    capped,
                    late_for_cycle_end: Some(cycle.end),
                },
                not_credited => not_credited,
            },
            Some(last) => not(format!(
                "completed after the late window of the cycle that ended {} (courses up to {last} count)",
                cycle.end
            )),
            None => not(format!("completed after the current cycle ended ({})", cycle.end)),
        };
    }
    convert_credit(credential, hours, tags, typed_units)
}

/// The units and category an activity earns toward `credential`, whatever its date: used when
/// logging (after the cycle check) and when the credential's rules change.
pub fn convert_credit(
    credential: &Credential,
    hours: Hours,
    tags: &[String],
    typed_units: Option<Units>,
) -> CreditDecision {
    let rules = &credential.rules;
    let not = |reason: String| CreditDecision::NotCredited { reason };
    let category_rule = rules.category_for(tags);
    let category = category_rule.map(|c| c.key.clone());
    if let Some(units) = typed_units {
        return CreditDecision::Credited { units, category, overridden: true, capped: false, late_for_cycle_end: None };
    }
    let (Some(unit), Some(hours_per_unit)) = (&rules.unit, rules.hours_per_unit) else {
        let what = if rules.unit.is_none() { "its unit" } else { "its hours per unit" };
        return not(format!("{what} is unknown — check with {} or type the units earned", credential.body_short));
    };
    // Some bodies credit a kind of course a set amount, whatever its length (NCSF: CPR is 2 CEU).
    let converted = match category_rule.and_then(|c| c.units_per_course) {
        Some(per_course) => per_course,
        None => Units::from_hours(hours, hours_per_unit).unwrap_or(Units::ZERO),
    };
    if converted.0 == 0 {
        return not(format!("{hours} h is less than 0.01 {unit}"));
    }
    let (units, capped) = match rules.per_event_cap(category_rule) {
        Some(cap) if converted > cap => (cap, true),
        _ => (converted, false),
    };
    CreditDecision::Credited { units, category, overridden: false, capped, late_for_cycle_end: None }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{d, held_on};

    #[test]
    fn cpr_courses_are_known_by_tag_or_name() {
        assert!(is_cpr_course("Heartsaver CPR AED", &[]));
        assert!(is_cpr_course("BLS Provider renewal", &[]));
        assert!(is_cpr_course("Red Cross class", &["CPR".into()]));
        assert!(is_cpr_course("Red Cross class", &["First Aid".into()]));
        assert!(!is_cpr_course("Kettlebell workshop", &["A".into()]));
        assert!(!is_cpr_course("Scapular mechanics", &[]), "a word containing 'cpr' letters is not CPR");
    }

    #[test]
    fn changes_keep_what_they_do_not_name() {
        let activity = Activity {
            id: 4,
            title: "Kettlebell workshop".into(),
            provider: Some("StrongFirst".into()),
            completed_on: d("2026-05-01"),
            hours: Hours(150),
            cost: Cents(14900),
            categories: vec!["A".into()],
            notes: None,
            proof: None,
            opening_balance_for: None,
            approvals: Vec::new(),
        };
        let changes = ActivityChanges { hours: Some("2h".into()), provider: Some(String::new()), ..Default::default() };
        let valid = changes.to_form(&activity).validate(d("2026-11-23")).unwrap();
        assert_eq!(valid.title, "Kettlebell workshop");
        assert_eq!(valid.provider, None, "an empty text clears it");
        assert_eq!((valid.completed_on, valid.hours, valid.cost), (d("2026-05-01"), Hours(200), Cents(14900)));
        assert_eq!(valid.categories, vec!["A".to_string()]);
    }

    #[test]
    fn a_form_with_several_mistakes_reports_every_one() {
        let form = ActivityForm {
            title: " ".into(),
            completed_on: "2026-02-30".into(),
            hours: "eight".into(),
            cost: Some("12.505".into()),
            ..Default::default()
        };
        let error = form.validate(d("2026-11-23")).unwrap_err();
        assert_eq!(error.code(), "invalid");
        assert_eq!(error.field(), Some("title"), "the first field first");
        let fields: Vec<String> = error.field_errors().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["title", "date", "hours", "cost"]);
        assert!(error.to_string().contains("date: 2026-02-30 is not a real calendar date"), "{error}");
    }

    fn held(preset: &str, earned: &str) -> Credential {
        held_on(0, preset, earned, None, "2026-11-23")
    }

    #[test]
    fn one_course_in_each_bodys_unit() {
        let cases = [
            ("nsca-cscs", "2019-01-01", 800, Some(80)),
            ("nasm-cpt", "2025-03-01", 800, Some(80)),
            ("acsm-cpt", "2025-03-01", 800, Some(800)),
            ("ncsf-cpt", "2025-03-01", 800, Some(400)),
            ("nsca-cscs", "2019-01-01", 2500, Some(200)), // 2.5 CEU capped at 2.0 per event
            ("cpr-aed-aha", "2025-03-01", 800, None),
            ("cscca-sccc", "2019-01-01", 800, Some(400)), // 0.5 CEU per hour at approved events
            ("nccpt-cpt", "2025-03-01", 800, None),       // hours per CEU unknown
        ];
        for (preset, earned, hours, expected) in cases {
            let decision = decide_credit(&held(preset, earned), d("2026-05-01"), Hours(hours), &[], None);
            match (decision, expected) {
                (CreditDecision::Credited { units, .. }, Some(expected)) => {
                    assert_eq!(units, Units(expected), "{preset}")
                }
                (CreditDecision::NotCredited { .. }, None) => {}
                (decision, expected) => panic!("{preset}: {decision:?}, expected {expected:?}"),
            }
        }
    }

    #[test]
    fn out_of_cycle_activities_are_explained() {
        let cscs = held("nsca-cscs", "2019-01-01");
        let decision = decide_credit(&cscs, d("2023-12-31"), Hours(100), &[], None);
        assert!(
            matches!(decision, CreditDecision::NotCredited { ref reason } if reason.contains("before the current cycle"))
        );
    }

    #[test]
    fn typed_units_win_over_conversion_and_cap() {
        let cscs = held("nsca-cscs", "2019-01-01");
        let decision = decide_credit(&cscs, d("2026-01-10"), Hours(100), &["B".into()], Some(Units(250)));
        assert_eq!(
            decision,
            CreditDecision::Credited {
                units: Units(250),
                category: Some("B".into()),
                overridden: true,
                capped: false,
                late_for_cycle_end: None
            }
        );
    }

    #[test]
    fn form_validation_names_the_field() {
        let today = d("2026-11-23");
        let good = ActivityForm {
            title: "Kettlebell workshop".into(),
            completed_on: "2026-05-01".into(),
            hours: "8".into(),
            cost: Some("149.00".into()),
            ..Default::default()
        };
        assert!(good.validate(today).is_ok());
        let cases: Vec<(&str, ActivityForm)> = vec![
            ("title", ActivityForm { title: " ".into(), ..good.clone() }),
            ("title", ActivityForm { title: "x".repeat(1_000_000), ..good.clone() }),
            ("date", ActivityForm { completed_on: "2026-02-30".into(), ..good.clone() }),
            ("date", ActivityForm { completed_on: "2027-01-01".into(), ..good.clone() }),
            ("hours", ActivityForm { hours: "-2".into(), ..good.clone() }),
            ("hours", ActivityForm { hours: "eight".into(), ..good.clone() }),
            ("hours", ActivityForm { hours: "0".into(), ..good.clone() }),
            ("cost", ActivityForm { cost: Some("12.505".into()), ..good.clone() }),
            (
                "for",
                ActivityForm {
                    credit_to: vec![CreditChoice { credential_id: 1, units: Some("x".into()) }],
                    ..good.clone()
                },
            ),
        ];
        for (field, form) in cases {
            assert_eq!(form.validate(today).unwrap_err().field(), Some(field));
        }
        let accepted = ActivityForm { completed_on: "05/01/2026".into(), hours: "1h30".into(), ..good.clone() };
        let valid = accepted.validate(today).unwrap();
        assert_eq!((valid.completed_on, valid.hours), (d("2026-05-01"), Hours(150)));
        assert_eq!(CreditChoice::parse("3=1.5").unwrap(), CreditChoice { credential_id: 3, units: Some("1.5".into()) });
        assert!(CreditChoice::parse("abc").is_err());
    }
}
