//! Renewal rules of one held credential: how its cycles run, what it asks for per cycle, and what
//! renewing costs. A rule set starts as a copy of a catalog preset (or is typed in) and the user
//! may edit every part of it. `None` always means "unknown — check with the body", never zero.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::amount::{Cents, Hours, Units};
use crate::dates::{add_years, end_of_year, last_day_of_month, whole_months_between};
use crate::error::{Error, Result};
pub use crate::joint_fee::JointFee;
use crate::period::Period;

/// How a certification cycle ends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum CycleRule {
    /// Everyone shares the same cycle: it ends on `ends_on` and on the same day every `years`
    /// before and after it (NSCA: 31 Dec 2026 every 3 years; CSCCa: 31 Jul 2028 every 3 years).
    Fixed { ends_on: NaiveDate, years: u32 },
    /// Ends on the last day of the month, `years` after it starts (NCSF, AHA CPR cards).
    AnniversaryMonthEnd { years: u32 },
    /// Ends on the same calendar day `years` later.
    Anniversary { years: u32 },
    /// Ends on 31 December of the final year.
    YearEnd { years: u32 },
    /// Ends one day before the anniversary (pass 2025-05-08 → expires 2028-05-07); a renewal runs
    /// `years` from the previous expiry.
    AnniversaryLessOneDay { years: u32 },
    /// A body that moved from Dec 31 expiries to `AnniversaryLessOneDay` (ACSM in early 2025):
    /// credentials first earned before `changed_on` end their first cycle on 31 December of the
    /// final year, later ones one day before the anniversary; every renewal runs `years` from the
    /// previous expiry, so a Dec 31 credential keeps Dec 31 until the body moves it.
    YearEndBefore { changed_on: NaiveDate, years: u32 },
    /// No rule known: each end date is typed in by hand.
    Manual,
}

impl CycleRule {
    pub fn years(&self) -> Option<u32> {
        match *self {
            Self::Fixed { years, .. }
            | Self::AnniversaryMonthEnd { years }
            | Self::Anniversary { years }
            | Self::YearEnd { years }
            | Self::AnniversaryLessOneDay { years }
            | Self::YearEndBefore { years, .. } => Some(years),
            Self::Manual => None,
        }
    }

    /// The rule as the user types it: `anniversary`, `anniversary-less-day`, `month-end`,
    /// `year-end`, `year-end-before:YYYY-MM-DD`, `fixed:YYYY-MM-DD` or `manual` (the cycle length
    /// is separate).
    pub fn spec(&self) -> String {
        match self {
            Self::Fixed { ends_on, .. } => format!("fixed:{ends_on}"),
            Self::AnniversaryMonthEnd { .. } => "month-end".into(),
            Self::Anniversary { .. } => "anniversary".into(),
            Self::YearEnd { .. } => "year-end".into(),
            Self::AnniversaryLessOneDay { .. } => "anniversary-less-day".into(),
            Self::YearEndBefore { changed_on, .. } => format!("year-end-before:{changed_on}"),
            Self::Manual => "manual".into(),
        }
    }

    /// How the rule reads to a trainer: "ends on Dec 31 of the third year".
    pub fn describe(&self) -> String {
        let every = |years: u32| if years == 1 { "every year".to_string() } else { format!("every {years} years") };
        match self {
            Self::Fixed { ends_on, years } => {
                format!("{}, on {} for everyone", every(*years), ends_on.format("%b %-d"))
            }
            Self::AnniversaryMonthEnd { years } => {
                format!("{}, on the last day of the month you earned it", every(*years))
            }
            Self::Anniversary { years } => format!("{}, on the date you earned it", every(*years)),
            Self::YearEnd { years } => format!("{}, on Dec 31", every(*years)),
            Self::AnniversaryLessOneDay { years } => {
                format!("{}, the day before the date you earned it", every(*years))
            }
            Self::YearEndBefore { changed_on, years } => format!(
                "{}, the day before the date you earned it (on Dec 31 if earned before {changed_on})",
                every(*years)
            ),
            Self::Manual => "no rule known: you enter each expiry date".into(),
        }
    }

    /// Parses a rule typed as [`CycleRule::spec`] gives it, with its length in years. Without a
    /// rule, a length means an exact anniversary and no length means manual.
    pub fn from_spec(spec: Option<&str>, years: Option<u32>) -> Result<Self> {
        let needs_years = || years.ok_or_else(|| Error::invalid("cycle-years", "is required for this cycle rule"));
        let spec = spec.map(str::trim).unwrap_or(if years.is_some() { "anniversary" } else { "manual" });
        Ok(match spec {
            "anniversary" => Self::Anniversary { years: needs_years()? },
            "month-end" => Self::AnniversaryMonthEnd { years: needs_years()? },
            "year-end" => Self::YearEnd { years: needs_years()? },
            "anniversary-less-day" => Self::AnniversaryLessOneDay { years: needs_years()? },
            "manual" => Self::Manual,
            other => {
                if let Some(date) = other.strip_prefix("fixed:") {
                    Self::Fixed { ends_on: crate::dates::parse_date("cycle-rule", date)?, years: needs_years()? }
                } else if let Some(date) = other.strip_prefix("year-end-before:") {
                    Self::YearEndBefore {
                        changed_on: crate::dates::parse_date("cycle-rule", date)?,
                        years: needs_years()?,
                    }
                } else {
                    let shown = crate::quote::value(other);
                    return Err(Error::invalid(
                        "cycle-rule",
                        format!(
                            "\"{shown}\" is not one of anniversary, anniversary-less-day, month-end, year-end, \
                             year-end-before:YYYY-MM-DD, fixed:YYYY-MM-DD, manual"
                        ),
                    ));
                }
            }
        })
    }

    pub fn validate(&self) -> Result<()> {
        match self.years() {
            Some(years) if !(1..=10).contains(&years) => {
                Err(Error::invalid("cycle-years", format!("must be between 1 and 10 years (got {years})")))
            }
            _ => Ok(()),
        }
    }

    /// The end of the first cycle for a credential earned on `earned_on`.
    pub fn first_end(&self, earned_on: NaiveDate) -> Option<NaiveDate> {
        match *self {
            Self::Fixed { ends_on, years } => Some(fixed_end_on_or_after(ends_on, years, earned_on)),
            Self::AnniversaryMonthEnd { years } => Some(last_day_of_month(add_years(earned_on, years as i32))),
            Self::Anniversary { years } => Some(add_years(earned_on, years as i32)),
            Self::YearEnd { years } => Some(end_of_year(earned_on.year() + years as i32)),
            Self::AnniversaryLessOneDay { years } => add_years(earned_on, years as i32).pred_opt(),
            Self::YearEndBefore { changed_on, years } if earned_on < changed_on => {
                Self::YearEnd { years }.first_end(earned_on)
            }
            Self::YearEndBefore { years, .. } => Self::AnniversaryLessOneDay { years }.first_end(earned_on),
            Self::Manual => None,
        }
    }

    /// The end of the cycle that follows one ending on `previous_end`.
    pub fn end_after(&self, previous_end: NaiveDate) -> Option<NaiveDate> {
        match *self {
            Self::Fixed { ends_on, years } => Some(fixed_end_on_or_after(ends_on, years, previous_end.succ_opt()?)),
            Self::AnniversaryMonthEnd { years } => Some(last_day_of_month(add_years(previous_end, years as i32))),
            Self::Anniversary { years } => Some(add_years(previous_end, years as i32)),
            Self::YearEnd { years } => Some(end_of_year(previous_end.year() + years as i32)),
            Self::AnniversaryLessOneDay { years } | Self::YearEndBefore { years, .. } => {
                Some(add_years(previous_end, years as i32))
            }
            Self::Manual => None,
        }
    }

    /// The end of the cycle before one ending on `end` (the inverse of `end_after`).
    pub fn end_before(&self, end: NaiveDate) -> Option<NaiveDate> {
        match *self {
            Self::Fixed { years, .. }
            | Self::Anniversary { years }
            | Self::AnniversaryLessOneDay { years }
            | Self::YearEndBefore { years, .. } => Some(add_years(end, -(years as i32))),
            Self::AnniversaryMonthEnd { years } => Some(last_day_of_month(add_years(end, -(years as i32)))),
            Self::YearEnd { years } => Some(end_of_year(end.year() - years as i32)),
            Self::Manual => None,
        }
    }

    /// The first day of the full cycle ending on `end`, whoever holds it. Proration is measured
    /// from here (NSCA: 2024-01-01 for the cycle ending 2026-12-31).
    pub fn nominal_start(&self, end: NaiveDate) -> Option<NaiveDate> {
        self.end_before(end)?.succ_opt()
    }
}

/// The first cohort end on or after `day`, for a fixed cycle anchored at `anchor`.
fn fixed_end_on_or_after(anchor: NaiveDate, years: u32, day: NaiveDate) -> NaiveDate {
    let years = years.max(1) as i32;
    let mut end = anchor;
    while end < day {
        end = add_years(end, years);
    }
    loop {
        let earlier = add_years(end, -years);
        if earlier < day {
            return end;
        }
        end = earlier;
    }
}

/// Where a renewed cycle starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RenewsFrom {
    /// The day after the old cycle ends (certifications).
    #[default]
    CycleEnd,
    /// The renewal day itself: a new card is issued when the course is taken (CPR/AED).
    RenewalDate,
    /// The next cycle ends on schedule (the rule's end after the old one) but starts the day
    /// after an early renewal, so courses taken after renewing early count toward it (ACSM:
    /// "renewing early adds additional time to your next cycle").
    RenewalDayKeepingSchedule,
}

/// A category of continuing education with its minimum and maximum per cycle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryRule {
    /// Short key the user types when logging (`A`, `cpr`, `ethics`).
    pub key: String,
    pub name: String,
    #[serde(default)]
    pub min: Option<Units>,
    #[serde(default)]
    pub max: Option<Units>,
    /// Credits with no matching category land here (NCSF "General").
    #[serde(default)]
    pub default: bool,
    /// At most this many units from one event in this category (NSCA Category A: 2.0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_event_max: Option<Units>,
    /// A course in this category earns this many units whatever its length (NCSF: a CPR course
    /// is 2 CEU).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub units_per_course: Option<Units>,
}

/// A reduced requirement for people certified part-way through a cycle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProrationTier {
    /// Applies when the credential was earned this many whole months or more after the nominal
    /// cycle start (and before the next tier).
    pub earned_from_month: u32,
    pub units_required: Units,
    /// Category maximums that replace the full-cycle ones, by category key.
    #[serde(default)]
    pub category_max: BTreeMap<String, Units>,
}

/// A late fee that applies from the day after the deadline until `through` has passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LateFeeTier {
    /// Rule sets written before periods held `through_day`, a number of days.
    #[serde(alias = "through_day")]
    pub through: Period,
    pub fee: Cents,
}

/// Where the rule values came from, shown beside them so the user can check.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Provenance {
    #[serde(default)]
    pub sources: Vec<String>,
    #[serde(default)]
    pub as_of: Option<String>,
    #[serde(default)]
    pub confidence: Option<String>,
    #[serde(default)]
    pub cycle_note: Option<String>,
    #[serde(default)]
    pub notes: Option<String>,
    /// Values that rest on a third party or an inference, not on the body itself, by rule field
    /// (`cycle`, `renewal_fee`, …), each with a note saying where it comes from.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub unverified: BTreeMap<String, String>,
    /// The end of the last cycle these rules describe, where the body publishes rules per cycle
    /// (NSCA: 2024–26). A later cycle is computed with them but shown as unverified.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rules_valid_through: Option<NaiveDate>,
    /// Where to check the body's current rules, in a few words ("nsca.com").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check_at: Option<String>,
    /// The last fee the body published where it gives none for this cycle, as a hint beside the
    /// fee to fill in ("$65 member / $90 non-member, 2018–20"); never used as the fee.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_published_fee: Option<String>,
}

impl Provenance {
    pub fn is_unverified(&self, field: &str) -> bool {
        self.unverified.contains_key(field)
    }
}

/// What a CPR/AED card covers. A prerequisite that needs First Aid is met only by a card that
/// says it covers First Aid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Coverage {
    Cpr,
    Aed,
    FirstAid,
}

impl Coverage {
    pub fn label(self) -> &'static str {
        match self {
            Self::Cpr => "CPR",
            Self::Aed => "AED",
            Self::FirstAid => "First Aid",
        }
    }
}

/// How a body accepts continuing education.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Acceptance {
    /// Any relevant course counts, or only courses the body (or its approved providers) approved.
    pub approval: Approval,
    /// What a petition for a course the body has not approved costs, per course; `None`: unknown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub petition_fee: Option<Cents>,
    /// Categories that need no approval (the CPR/AED card NASM credits, CSCCa's own quiz).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub approval_not_needed_for: Vec<String>,
    /// Kinds of course the body never credits: `cpr` (NSCA: the card is a requirement, not a
    /// credit).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub never_credits: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Approval {
    /// Any course relevant to the work counts without asking the body first.
    AnyRelevant,
    /// Only courses of the body or its approved providers; anything else needs a petition.
    ApprovedProviders,
}

/// A renewal fee that depends on where the credits came from (ISSA: $0 when every CEU came
/// through ISSA, otherwise $99).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeBySource {
    /// The provider every counted credit must come from, by short or full name ("ISSA").
    pub provider: String,
    /// The fee when they all do.
    pub fee: Cents,
}

/// Holders who used a body's late-reporting period count credits of one cycle from a later day
/// (NSCA: people who reported 2021–23 late count 2024–26 CEUs from Feb 1, 2024).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LateReportingStart {
    /// The end of the cycle this applies to.
    pub cycle_ends_on: NaiveDate,
    /// Credits count from this day instead of the cycle's first day.
    pub starts_on: NaiveDate,
    /// The question asked when adding or editing the credential.
    pub question: String,
}

impl LateReportingStart {
    /// Whether it concerns `cycle` (the one cycle whose credits it makes count from a later day).
    pub fn concerns(&self, cycle: Cycle) -> bool {
        cycle.end == self.cycle_ends_on
    }

    /// Whether `cycle` starts on its later day: the holder used it.
    pub fn used_in(&self, cycle: Cycle) -> bool {
        self.concerns(cycle) && cycle.start == self.starts_on
    }
}

/// Where no grace period or late fee is known, a deadline this recent is not assumed renewed.
pub const DEFAULT_LATE_WINDOW: Period = Period::Days(90);

pub const DEFAULT_DUE_SOON_DAYS: u32 = 90;

fn default_due_soon_days() -> u32 {
    DEFAULT_DUE_SOON_DAYS
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RenewalRules {
    pub cycle: CycleRule,
    #[serde(default)]
    pub renews_from: RenewsFrom,
    /// Units per full cycle.
    pub units_required: Option<Units>,
    /// The body's unit name (CEU, CEC); `None` for a card that collects no credits.
    pub unit: Option<String>,
    /// Clock hours per 1.0 unit (NASM 10, ACSM 1, NCSF 2).
    pub hours_per_unit: Option<Hours>,
    #[serde(default)]
    pub categories: Vec<CategoryRule>,
    /// Credits must come from at least this many categories (NSCA: 2).
    #[serde(default)]
    pub min_categories_used: Option<u32>,
    /// At most this many units from one event (NSCA: 2.0).
    #[serde(default)]
    pub per_event_max: Option<Units>,
    #[serde(default)]
    pub proration: Vec<ProrationTier>,
    /// The body prorates the requirement for people certified part-way through a cycle but
    /// publishes no amounts (CSCCa): such a first cycle's requirement is unknown, never the full one.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub proration_unknown: bool,
    pub requires_cpr_aed: Option<bool>,
    /// The required card must also cover First Aid (CSCCa).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub requires_first_aid: bool,
    /// The card must still be valid this many days after the renewal is submitted (ISSA: 30), so
    /// a card lapsing soon after the deadline is a problem already.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card_valid_days_after_submission: Option<u32>,
    /// For a CPR/AED card: what it covers; `None`: not known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub covers: Option<Vec<Coverage>>,
    /// The standard renewal fee.
    pub renewal_fee: Option<Cents>,
    /// The member renewal fee, where the body has one.
    #[serde(default)]
    pub renewal_fee_member: Option<Cents>,
    /// One fee for several credentials of the body renewed together.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub joint_fee: Option<JointFee>,
    /// Another fee when every counted credit came from one provider.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fee_when_all_credits_from: Option<FeeBySource>,
    /// A later first day for holders who used the body's late-reporting period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub late_reporting_start: Option<LateReportingStart>,
    /// How the body accepts courses; `None`: every relevant course counts (a credential typed in,
    /// unless the user says its body wants approved courses only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acceptance: Option<Acceptance>,
    /// `None`: unknown; `Some(empty)`: no late fee.
    pub late_fees: Option<Vec<LateFeeTier>>,
    /// How long after the cycle end late renewal is accepted. `Some(0 days)`: none. Rule sets
    /// written before periods held `grace_days`, a number of days.
    #[serde(alias = "grace_days")]
    pub grace: Option<Period>,
    /// Courses completed this long after the cycle end still count toward it (NASM: 90 days,
    /// with the late fee). `None`: none are accepted, or the body does not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub late_credit_window: Option<Period>,
    /// What happens after the grace period (retest, reinstatement).
    #[serde(default)]
    pub after_grace: Option<String>,
    /// Requirements that are not units (a quiz, a paid balance).
    #[serde(default)]
    pub other_requirements: Vec<String>,
    #[serde(default = "default_due_soon_days")]
    pub due_soon_days: u32,
    /// Reminder lead times for this credential, overriding the global setting.
    #[serde(default)]
    pub reminder_lead_days: Option<Vec<u32>>,
    #[serde(default)]
    pub provenance: Provenance,
    /// Rule fields the user typed (`renewal_fee`, `grace`, …): a newer catalog never replaces them.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub typed: BTreeSet<String>,
}

/// What one cycle asks for, after proration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CycleRequirement {
    pub units_required: Option<Units>,
    pub categories: Vec<CategoryRule>,
    pub prorated: bool,
}

impl RenewalRules {
    pub fn validate(&self) -> Result<()> {
        self.cycle.validate()?;
        if let Some(hours) = self.hours_per_unit {
            if hours.0 <= 0 {
                return Err(Error::invalid("hours-per-unit", "must be more than 0"));
            }
        }
        if self.due_soon_days == 0 || self.due_soon_days > 730 {
            return Err(Error::invalid("due-soon-days", "must be between 1 and 730 days"));
        }
        if let Some(grace) = self.grace {
            grace.validate("grace")?;
        }
        if let Some(window) = self.late_credit_window {
            window.validate("late-credit-window")?;
        }
        for tier in self.late_fees.iter().flatten() {
            tier.through.validate("late-fee")?;
            if tier.through.is_zero() {
                return Err(Error::invalid("late-fee", "a late fee must apply for at least one day"));
            }
        }
        if let Some(joint) = &self.joint_fee {
            if joint.min_credentials < 2 {
                return Err(Error::invalid("joint-fee", "a joint fee is for two or more credentials"));
            }
        }
        let mut keys = std::collections::HashSet::new();
        for category in &self.categories {
            if category.key.trim().is_empty() {
                return Err(Error::invalid("category", "every category needs a key"));
            }
            if !keys.insert(category.key.to_lowercase()) {
                return Err(Error::invalid("category", format!("category {} appears twice", category.key)));
            }
            if let (Some(min), Some(max)) = (category.min, category.max) {
                if min > max {
                    return Err(Error::invalid(
                        "category",
                        format!("category {}: minimum {min} is above its maximum {max}", category.key),
                    ));
                }
            }
        }
        if self.categories.iter().filter(|c| c.default).count() > 1 {
            return Err(Error::invalid("category", "only one category can be the default"));
        }
        Ok(())
    }

    /// The requirement for the cycle ending `cycle_end` of a credential earned on `earned_on`.
    pub fn requirement(&self, earned_on: NaiveDate, cycle_end: NaiveDate) -> CycleRequirement {
        let full = CycleRequirement {
            units_required: self.units_required,
            categories: self.categories.clone(),
            prorated: false,
        };
        let Some(nominal_start) = self.cycle.nominal_start(cycle_end) else { return full };
        if earned_on < nominal_start {
            return full;
        }
        if self.proration.is_empty() {
            return if self.proration_unknown {
                CycleRequirement { units_required: None, categories: self.categories.clone(), prorated: true }
            } else {
                full
            };
        }
        let months = whole_months_between(nominal_start, earned_on).max(0) as u32;
        let Some(tier) =
            self.proration.iter().filter(|t| t.earned_from_month <= months).max_by_key(|t| t.earned_from_month)
        else {
            return full;
        };
        let categories = self
            .categories
            .iter()
            .map(|category| CategoryRule {
                max: tier.category_max.get(&category.key).copied().or(category.max),
                ..category.clone()
            })
            .collect();
        CycleRequirement { units_required: Some(tier.units_required), categories, prorated: true }
    }

    /// The renewal fee this holder pays: the member fee when they are a member and it is known,
    /// otherwise the standard fee.
    pub fn fee_for(&self, member: bool) -> Option<Cents> {
        if member {
            self.renewal_fee_member.or(self.renewal_fee)
        } else {
            self.renewal_fee
        }
    }

    /// The late fee for renewing on `day`, after a cycle that ended on `cycle_end` (a day on or
    /// before the deadline counts as the first late day): `None` when unknown or when late renewal
    /// is no longer possible by then; `Some(Cents::ZERO)` when the body charges none.
    pub fn late_fee_on(&self, cycle_end: NaiveDate, day: NaiveDate) -> Option<Cents> {
        let tiers = self.late_fees.as_ref()?;
        if tiers.is_empty() {
            return Some(Cents::ZERO);
        }
        let mut ends: Vec<(NaiveDate, Cents)> = tiers.iter().map(|t| (t.through.after(cycle_end), t.fee)).collect();
        ends.sort();
        ends.into_iter().find(|(last_day, _)| day <= *last_day).map(|(_, fee)| fee)
    }

    /// The last day late renewal is accepted after a cycle ending `cycle_end`, when the grace
    /// period is known and not zero.
    pub fn grace_ends(&self, cycle_end: NaiveDate) -> Option<NaiveDate> {
        self.grace.filter(|grace| !grace.is_zero()).map(|grace| grace.after(cycle_end))
    }

    /// How long after a deadline the credential may still be renewed late: the grace period, or
    /// the last late-fee tier, or 90 days where the body states neither. A deadline this recent is
    /// never assumed renewed.
    pub fn late_window_ends(&self, cycle_end: NaiveDate) -> NaiveDate {
        let last_tier = self.late_fees.iter().flatten().map(|tier| tier.through.after(cycle_end)).max();
        self.grace_ends(cycle_end)
            .into_iter()
            .chain(last_tier)
            .max()
            .unwrap_or_else(|| DEFAULT_LATE_WINDOW.after(cycle_end))
    }

    /// The last completion date of a course that still counts toward a cycle ending `cycle_end`.
    pub fn late_credits_until(&self, cycle_end: NaiveDate) -> Option<NaiveDate> {
        self.late_credit_window.filter(|window| !window.is_zero()).map(|window| window.after(cycle_end))
    }

    /// The per-event cap for credits in `category` (a category's own cap wins over the rule's).
    pub fn per_event_cap(&self, category: Option<&CategoryRule>) -> Option<Units> {
        category.and_then(|c| c.per_event_max).or(self.per_event_max)
    }

    /// Finds the credential's category that a logged activity tagged `tags` belongs to.
    pub fn category_for(&self, tags: &[String]) -> Option<&CategoryRule> {
        let matches = |category: &CategoryRule, tag: &str| {
            category.key.eq_ignore_ascii_case(tag.trim()) || category.name.eq_ignore_ascii_case(tag.trim())
        };
        self.categories
            .iter()
            .find(|category| tags.iter().any(|tag| matches(category, tag)))
            .or_else(|| self.categories.iter().find(|category| category.default))
    }
}

/// One certification period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cycle {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl Cycle {
    pub fn contains(&self, day: NaiveDate) -> bool {
        self.start <= day && day <= self.end
    }
}

/// Where a credential added today stands: its cycle, and how many renewals Recert had to assume
/// to get there (nothing the user recorded or typed says they happened).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placement {
    pub cycle: Cycle,
    pub assumed_renewals: u32,
}

/// The current cycle of a credential earned on `earned_on`, as of `today`.
///
/// `expires` (typed by the user) always wins. Otherwise cycles are walked forward from the first
/// one, but a deadline is passed only when it lies beyond its late window (the grace or late-fee
/// period, or 90 days): a credential whose deadline passed recently stays in that cycle, in grace
/// or lapsed, until the user records the renewal. Each renewal passed is counted as assumed. A
/// card that is reissued on renewal (CPR/AED) is never walked forward, since a lapsed card stays
/// lapsed.
pub fn current_cycle(
    rules: &RenewalRules,
    earned_on: NaiveDate,
    expires: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<Placement> {
    let rule = &rules.cycle;
    if let Some(end) = expires {
        if end < earned_on {
            return Err(Error::invalid("expires", format!("{end} is before the date first earned ({earned_on})")));
        }
        return Ok(Placement { cycle: cycle_ending(rule, earned_on, end), assumed_renewals: 0 });
    }
    let first_end = rule.first_end(earned_on).ok_or_else(|| {
        Error::invalid(
            "expires",
            "no renewal rule is known for this credential: give the expiry date on your certificate (YYYY-MM-DD)",
        )
    })?;
    let mut placement = Placement { cycle: Cycle { start: earned_on, end: first_end }, assumed_renewals: 0 };
    if rules.renews_from == RenewsFrom::RenewalDate {
        return Ok(placement);
    }
    while placement.cycle.end < today && rules.late_window_ends(placement.cycle.end) < today {
        let previous_end = placement.cycle.end;
        // An assumed renewal is taken as on time, on the deadline itself.
        match moved_off_year_end(rule, previous_end, previous_end, earned_on).or_else(|| rule.end_after(previous_end)) {
            Some(end) if end > previous_end => {
                placement.cycle = Cycle { start: previous_end.succ_opt().unwrap_or(previous_end), end };
                placement.assumed_renewals += 1;
            }
            _ => break,
        }
    }
    Ok(placement)
}

/// The cycle that ends on `end` for a credential earned on `earned_on`: the first cycle when the
/// rule would end the first cycle there, otherwise the full cycle (never starting before earning).
pub fn cycle_ending(rule: &CycleRule, earned_on: NaiveDate, end: NaiveDate) -> Cycle {
    if rule.first_end(earned_on) == Some(end) {
        return Cycle { start: earned_on, end };
    }
    let start = rule.nominal_start(end).map_or(earned_on, |start| start.max(earned_on));
    Cycle { start: start.min(end), end }
}

/// The cycle after `previous`, for a renewal on `renewed_on`, of a credential earned on
/// `earned_on`.
pub fn next_cycle(
    rule: &CycleRule,
    renews_from: RenewsFrom,
    previous: Cycle,
    renewed_on: NaiveDate,
    earned_on: NaiveDate,
) -> Option<Cycle> {
    if let Some(end) = moved_off_year_end(rule, previous.end, renewed_on, earned_on) {
        let start = renewed_on.min(previous.end);
        return Some(Cycle { start: start.succ_opt().unwrap_or(start), end });
    }
    match renews_from {
        RenewsFrom::RenewalDate => rule.first_end(renewed_on).map(|end| Cycle { start: renewed_on, end }),
        RenewsFrom::CycleEnd => rule
            .end_after(previous.end)
            .map(|end| Cycle { start: previous.end.succ_opt().unwrap_or(previous.end), end }),
        RenewsFrom::RenewalDayKeepingSchedule => rule.end_after(previous.end).map(|end| {
            let start = renewed_on.min(previous.end);
            Cycle { start: start.succ_opt().unwrap_or(start), end }
        }),
    }
}

/// ACSM's notice of its 2025 change: a Dec 31 certification renewed on time moves to the new
/// "three years minus one day" schedule, renewed late it keeps Dec 31 once more. The notice does
/// not say from which day the new schedule counts, so the earliest plausible end is taken: three
/// years less a day from the renewal, or the exam's anniversary less a day in the cycle's last
/// year, whichever comes first. `None` when the transition does not apply.
fn moved_off_year_end(
    rule: &CycleRule,
    previous_end: NaiveDate,
    renewed_on: NaiveDate,
    earned_on: NaiveDate,
) -> Option<NaiveDate> {
    let CycleRule::YearEndBefore { changed_on, years } = *rule else { return None };
    let year_end = previous_end == end_of_year(previous_end.year());
    let on_time = renewed_on <= previous_end;
    if !year_end || !on_time || earned_on >= changed_on || previous_end < changed_on.pred_opt()? {
        return None;
    }
    let years = years as i32;
    let from_renewal = add_years(renewed_on, years).pred_opt()?;
    let exam_anniversary_year = previous_end.year() + years;
    let from_exam = add_years(earned_on, exam_anniversary_year - earned_on.year()).pred_opt()?;
    // An anniversary that would make the cycle a year short is no reading of a three-year cycle
    // (an exam date Recert only guessed from the expiry lands there).
    let plausible_exam = (from_exam > add_years(previous_end, years - 1)).then_some(from_exam);
    Some(plausible_exam.map_or(from_renewal, |exam| exam.min(from_renewal)).max(renewed_on))
}

/// Whether a cycle end worked out by `rule` rests on what the body itself states. A date that
/// rests on a rule marked unverified, or on the reading of an unclear notice, is not confirmed
/// until the user checks it.
pub fn computed_end_is_confirmed(rules: &RenewalRules) -> bool {
    !rules.provenance.is_unverified("cycle")
}

#[cfg(test)]
mod tests;
