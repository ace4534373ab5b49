//! A credential the user holds, and the forms that create and change one. Forms carry text as the
//! user typed it; parsing and validation happen here so the CLI and the window behave the same.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::amount::{Cents, Hours, Units};
use crate::catalog::Catalog;
use crate::dates::parse_typed_date;
use crate::error::{Error, Problems, Result};
use crate::period::Period;
use crate::rules::{
    current_cycle, cycle_ending, Coverage, Cycle, CycleRule, LateFeeTier, ProrationTier, RenewalRules, RenewsFrom,
};

pub const MAX_TEXT_CHARS: usize = 500;

pub use crate::kind::CredentialKind;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Credential {
    pub id: i64,
    pub preset_id: Option<String>,
    pub kind: CredentialKind,
    pub body: String,
    pub body_short: String,
    pub name: String,
    pub abbreviation: String,
    pub number: Option<String>,
    pub earned_on: NaiveDate,
    pub cycle: Cycle,
    /// The cycle end is one the user typed, recorded by a renewal or confirmed; `false` when
    /// Recert worked it out by assuming renewals or by a rule the body has not confirmed.
    pub expiry_confirmed: bool,
    /// Whether the holder is a member of the body (decides the renewal fee).
    pub member: bool,
    pub notes: Option<String>,
    pub rules: RenewalRules,
}

impl Credential {
    /// Whether `name` is this credential's body, by its short or its full name.
    pub fn is_body_named(&self, name: &str) -> bool {
        let name = name.trim();
        name.eq_ignore_ascii_case(&self.body_short) || name.eq_ignore_ascii_case(&self.body)
    }

    /// Whether a course's provider, as typed ("ISSA", "issa online", the full name), is this
    /// credential's body.
    pub fn is_provided_by_body(&self, provider: &str) -> bool {
        mentions(provider, &self.body_short, &self.body)
    }
}

/// Whether `typed` names `short` as a word ("issa online", not "Classic Fitness") or holds `full`.
pub fn mentions(typed: &str, short: &str, full: &str) -> bool {
    let typed = typed.trim().to_lowercase();
    let short = short.to_lowercase();
    typed.split(|c: char| !c.is_alphanumeric()).any(|word| !word.is_empty() && word == short)
        || (!full.trim().is_empty() && typed.contains(&full.trim().to_lowercase()))
}

/// A closed cycle, kept as history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PastCycle {
    pub credential_id: i64,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub renewed_on: NaiveDate,
    pub fee_paid: Option<Cents>,
    pub units_required: Option<Units>,
    pub units_earned: Units,
    /// Whether the deadline of this cycle was confirmed before the renewal closed it, so that
    /// taking the renewal back restores exactly that.
    pub expiry_was_confirmed: bool,
}

/// What the user types about a credential, whether adding or editing it: `None` is not given
/// (unknown when adding, unchanged when editing), an empty string clears an optional value. Each
/// field is read by one method below, which adding, editing and the form's checks all use.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct CredentialText {
    pub name: Option<String>,
    pub body: Option<String>,
    pub abbreviation: Option<String>,
    pub number: Option<String>,
    pub expires: Option<String>,
    pub notes: Option<String>,
    /// `anniversary`, `month-end`, `year-end`, `fixed:YYYY-MM-DD` or `manual`.
    pub cycle_rule: Option<String>,
    pub cycle_years: Option<String>,
    pub units_required: Option<String>,
    pub unit: Option<String>,
    pub hours_per_unit: Option<String>,
    pub renewal_fee: Option<String>,
    pub late_fee: Option<String>,
    /// A period: "90", "90 days", "6 months", "1 year".
    pub grace: Option<String>,
    pub due_soon_days: Option<String>,
}

impl CredentialText {
    fn expires(&self) -> Result<Option<NaiveDate>> {
        optional_amount(&self.expires, |t| parse_typed_date("expires", t))
    }

    fn number(&self) -> Result<Option<String>> {
        optional_text("number", &self.number)
    }

    fn notes(&self) -> Result<Option<String>> {
        optional_text("notes", &self.notes)
    }

    fn cycle_years(&self) -> Result<Option<u32>> {
        optional_amount(&self.cycle_years, |t| parse_count("cycle-years", t, 10))
    }

    fn units_required(&self) -> Result<Option<Units>> {
        optional_amount(&self.units_required, |t| Units::parse("units", t))
    }

    fn unit(&self) -> Result<Option<String>> {
        optional_text("unit", &self.unit)
    }

    fn hours_per_unit(&self) -> Result<Option<Hours>> {
        optional_amount(&self.hours_per_unit, |t| Hours::parse("hours-per-unit", t))
    }

    fn renewal_fee(&self) -> Result<Option<Cents>> {
        optional_amount(&self.renewal_fee, |t| Cents::parse("fee", t))
    }

    fn late_fee(&self) -> Result<Option<Cents>> {
        optional_amount(&self.late_fee, |t| Cents::parse("late-fee", t))
    }

    fn grace(&self) -> Result<Option<Period>> {
        optional_amount(&self.grace, |t| Period::parse("grace", t))
    }

    fn due_soon_days(&self) -> Result<Option<u32>> {
        optional_amount(&self.due_soon_days, parse_due_soon_days)
    }
}

/// Text typed by the user to add a credential, from a preset or from scratch.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct CredentialForm {
    pub preset: Option<String>,
    /// Empty when unknown: then `expires` is required, and the cycle is taken to start where the
    /// rule says a cycle ending then starts.
    pub earned_on: String,
    pub member: bool,
    #[serde(flatten)]
    pub fields: CredentialText,
    pub requires_cpr_aed: Option<bool>,
    /// The credential is itself a CPR/AED card.
    pub cpr_card: bool,
    /// For a card typed in: it also covers First Aid (`None`: not said).
    pub covers_first_aid: Option<bool>,
    /// The holder used the body's late-reporting period, so credits of the cycle it names count
    /// from a later day (NSCA 2021–23 late reporters: from Feb 1, 2024).
    pub late_reporting: bool,
    /// For a credential typed in: its body accepts only courses it approved (others by petition).
    pub approved_courses_only: bool,
    /// Units already earned this cycle, each `UNITS[:CATEGORY]` (see `opening::parse_opening`).
    pub already_earned: Vec<String>,
}

/// Changes to a held credential: each `Some` field replaces the stored value; an empty string
/// clears an optional value back to unknown.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct CredentialChanges {
    #[serde(flatten)]
    pub fields: CredentialText,
    pub earned_on: Option<String>,
    pub cycle_start: Option<String>,
    pub member: Option<bool>,
    pub renewal_fee_member: Option<String>,
    pub requires_cpr_aed: Option<bool>,
    /// Replaces all categories, each as `KEY[:MIN[:MAX]]` (empty MIN/MAX for none).
    pub categories: Option<Vec<String>>,
    /// Replaces the opening balance, each `UNITS[:CATEGORY]`; an empty list removes it.
    pub already_earned: Option<Vec<String>>,
    /// For a CPR/AED card: whether it covers First Aid; `Some(None)` (JSON `null`): not known after
    /// all, so the bodies that need First Aid ask again.
    #[serde(deserialize_with = "null_is_a_value", skip_serializing_if = "Option::is_none")]
    pub covers_first_aid: Option<Option<bool>>,
    /// Whether the holder used the body's late-reporting period (see `CredentialForm`).
    pub late_reporting: Option<bool>,
    /// Whether the body accepts only courses it approved (`false`: any relevant course).
    pub approved_courses_only: Option<bool>,
}

/// A field given as `null` is there, saying "not known" (`Some(None)`); only a field left out is
/// no change (`None`, the default).
fn null_is_a_value<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
) -> std::result::Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(deserializer).map(Some)
}

pub(crate) fn clean_text(field: &str, text: &str, required: bool) -> Result<Option<String>> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return if required { Err(Error::invalid(field, "must not be empty")) } else { Ok(None) };
    }
    let chars = trimmed.chars().count();
    if chars > MAX_TEXT_CHARS {
        return Err(Error::invalid(field, format!("is too long ({chars} characters; at most {MAX_TEXT_CHARS})")));
    }
    if trimmed.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Err(Error::invalid(field, "contains control characters"));
    }
    Ok(Some(trimmed.to_string()))
}

fn optional_text(field: &str, text: &Option<String>) -> Result<Option<String>> {
    match text {
        Some(text) => clean_text(field, text, false),
        None => Ok(None),
    }
}

fn parse_count(field: &str, text: &str, max: u32) -> Result<u32> {
    let value: u32 = text.trim().parse().map_err(|_| {
        Error::invalid(field, format!("\"{}\" is not a whole number of days or years", crate::quote::value(text)))
    })?;
    if value > max {
        return Err(Error::invalid(field, format!("must be at most {max}")));
    }
    Ok(value)
}

fn parse_due_soon_days(text: &str) -> Result<u32> {
    parse_count("due-soon-days", text, 730)
}

/// A single late fee that applies through the whole grace period (one day when none is known).
fn single_late_fee(fee: Option<Cents>, grace: Option<Period>) -> Option<Vec<LateFeeTier>> {
    let through = grace.filter(|g| !g.is_zero()).unwrap_or(Period::Days(1));
    fee.map(|fee| vec![LateFeeTier { through, fee }])
}

fn optional_amount<T>(text: &Option<String>, parse: impl Fn(&str) -> Result<T>) -> Result<Option<T>> {
    match text.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => parse(text).map(Some),
    }
}

/// A body that accepts only courses it approved, with no petition fee known.
fn approved_courses_only() -> crate::rules::Acceptance {
    crate::rules::Acceptance {
        approval: crate::rules::Approval::ApprovedProviders,
        petition_fee: None,
        approval_not_needed_for: Vec::new(),
        never_credits: Vec::new(),
    }
}

/// What a card typed in covers: CPR and AED, and First Aid when the user says so; unknown when
/// they don't say.
fn card_coverage(cpr_card: bool, first_aid: Option<bool>) -> Option<Vec<Coverage>> {
    use Coverage::*;
    match (cpr_card, first_aid) {
        (false, _) | (true, None) => None,
        (true, Some(false)) => Some(vec![Cpr, Aed]),
        (true, Some(true)) => Some(vec![Cpr, Aed, FirstAid]),
    }
}

impl Credential {
    /// Whether the holder used the body's late-reporting period this cycle (it starts on its day).
    pub fn used_late_reporting(&self) -> bool {
        self.rules.late_reporting_start.as_ref().is_some_and(|late| late.used_in(self.cycle))
    }

    /// The late-reporting question, where it can change this cycle.
    pub fn late_reporting_question(&self) -> Option<&str> {
        let late = self.rules.late_reporting_start.as_ref()?;
        late.concerns(self.cycle).then_some(late.question.as_str())
    }
}

/// A holder's "yes, I used the late-reporting period" for a cycle it does not concern would change
/// nothing: refused with the reason rather than dropped.
fn late_reporting_concerns(rules: &RenewalRules, cycle: Cycle) -> Result<()> {
    match &rules.late_reporting_start {
        Some(late) if !late.concerns(cycle) => Err(Error::invalid(
            "late-reporting",
            format!(
                "the late-reporting period concerns only the cycle ending {}; this credential's cycle ends {}: leave \
                 the question unanswered",
                late.cycle_ends_on, cycle.end
            ),
        )),
        _ => Ok(()),
    }
}

/// `cycle` with its first day moved for a holder (earned on `earned_on`) who used the body's
/// late-reporting period (`used`), or back to where the rule starts it.
fn with_late_reporting(rules: &RenewalRules, earned_on: NaiveDate, cycle: Cycle, used: bool) -> Result<Cycle> {
    let Some(late) = &rules.late_reporting_start else {
        return Err(Error::invalid("late-reporting", "this credential's body has no late-reporting period"));
    };
    if !late.concerns(cycle) {
        return Ok(cycle);
    }
    let start =
        if used { cycle.start.max(late.starts_on) } else { cycle_ending(&rules.cycle, earned_on, cycle.end).start };
    Ok(Cycle { start, end: cycle.end })
}

impl CredentialForm {
    /// Builds the credential this form describes, as of `today`.
    /// The credential has id 0 until the store gives it one.
    pub fn to_credential(&self, catalog: &Catalog, today: NaiveDate) -> Result<Credential> {
        self.several_problems(today)?;
        let fields = &self.fields;
        let expires = fields.expires()?;
        let earned_on = match (self.earned_on.trim(), expires) {
            ("", None) => return Err(Error::invalid("earned", "give the date you earned it, or its current expiry")),
            ("", Some(_)) => None,
            (text, _) => Some(parse_typed_date("earned", text)?),
        };
        if let Some(earned_on) = earned_on.filter(|earned| *earned > today) {
            return Err(Error::invalid("earned", format!("{earned_on} is in the future")));
        }
        let number = fields.number()?;
        let notes = fields.notes()?;
        let due_soon_days = fields.due_soon_days()?;

        let (preset_id, kind, body, body_short, name, abbreviation, mut rules) = match &self.preset {
            Some(id) => {
                let preset = catalog.preset(id).ok_or_else(|| Error::not_found("preset", crate::quote::value(id)))?;
                let name = optional_text("name", &fields.name)?.unwrap_or_else(|| preset.name.clone());
                let abbreviation =
                    optional_text("abbreviation", &fields.abbreviation)?.unwrap_or_else(|| preset.abbreviation.clone());
                (
                    Some(preset.id.clone()),
                    preset.kind,
                    preset.body.clone(),
                    preset.body_short.clone(),
                    name,
                    abbreviation,
                    preset.rules(),
                )
            }
            None => self.custom_parts()?,
        };
        if let Some(days) = due_soon_days {
            rules.due_soon_days = days;
        }
        rules.validate()?;
        // Without the date first earned, the cycle ending on the typed expiry starts where the
        // rule says such a cycle starts (today when the rule has no length).
        let earned_on = match (earned_on, expires) {
            (Some(earned_on), _) => earned_on,
            (None, Some(end)) => rules.cycle.nominal_start(end).unwrap_or(today).min(end),
            (None, None) => unreachable!("checked above"),
        };
        let mut placement = current_cycle(&rules, earned_on, expires, today)?;
        if self.late_reporting {
            late_reporting_concerns(&rules, placement.cycle)?;
            placement.cycle = with_late_reporting(&rules, earned_on, placement.cycle, true)?;
        }
        let expiry_confirmed =
            expires.is_some() || (placement.assumed_renewals == 0 && crate::rules::computed_end_is_confirmed(&rules));
        Ok(Credential {
            id: 0,
            preset_id,
            kind,
            body,
            body_short,
            name,
            abbreviation,
            number,
            earned_on,
            cycle: placement.cycle,
            expiry_confirmed,
            member: self.member,
            notes,
            rules,
        })
    }

    #[allow(clippy::type_complexity)]
    fn custom_parts(&self) -> Result<(Option<String>, CredentialKind, String, String, String, String, RenewalRules)> {
        let fields = &self.fields;
        let name = clean_text("name", fields.name.as_deref().unwrap_or(""), true)?.unwrap_or_default();
        let body = clean_text("body", fields.body.as_deref().unwrap_or(""), true)?.unwrap_or_default();
        let abbreviation = optional_text("abbreviation", &fields.abbreviation)?.unwrap_or_else(|| name.clone());
        let kind = if self.cpr_card { CredentialKind::CprAed } else { CredentialKind::Credential };
        let grace = fields.grace()?;
        let rules = RenewalRules {
            cycle: CycleRule::from_spec(fields.cycle_rule.as_deref(), fields.cycle_years()?)?,
            renews_from: if self.cpr_card { RenewsFrom::RenewalDate } else { RenewsFrom::CycleEnd },
            units_required: fields.units_required()?,
            unit: fields.unit()?,
            hours_per_unit: fields.hours_per_unit()?,
            categories: Vec::new(),
            min_categories_used: None,
            per_event_max: None,
            proration: Vec::new(),
            proration_unknown: false,
            requires_cpr_aed: self.requires_cpr_aed,
            renewal_fee: fields.renewal_fee()?,
            renewal_fee_member: None,
            joint_fee: None,
            late_fees: single_late_fee(fields.late_fee()?, grace),
            grace,
            late_credit_window: None,
            after_grace: None,
            other_requirements: Vec::new(),
            due_soon_days: crate::rules::DEFAULT_DUE_SOON_DAYS,
            reminder_lead_days: None,
            provenance: Default::default(),
            requires_first_aid: false,
            card_valid_days_after_submission: None,
            covers: card_coverage(self.cpr_card, self.covers_first_aid),
            fee_when_all_credits_from: None,
            late_reporting_start: None,
            acceptance: self.approved_courses_only.then(approved_courses_only),
            typed: Default::default(),
        };
        // Use the body's short name as typed: custom bodies have no separate long name.
        Ok((None, kind, body.clone(), body, name, abbreviation, rules))
    }
}

impl CredentialForm {
    /// A form with several mistakes reports every one at once (`InvalidFields`), each field
    /// checked on its own; with one mistake or none this passes, and `to_credential` reports it
    /// as before, in context.
    fn several_problems(&self, today: NaiveDate) -> Result<()> {
        // In the order the window's form shows the fields: the credential, then the certificate.
        let mut problems = Problems::default();
        let fields = &self.fields;
        if self.preset.is_some() {
            problems.check(optional_text("name", &fields.name));
            problems.check(optional_text("abbreviation", &fields.abbreviation));
        } else {
            problems.check(clean_text("name", fields.name.as_deref().unwrap_or(""), true));
            problems.check(clean_text("body", fields.body.as_deref().unwrap_or(""), true));
            problems.check(optional_text("abbreviation", &fields.abbreviation));
            if let Some(years) = problems.check(fields.cycle_years()) {
                problems.check(CycleRule::from_spec(fields.cycle_rule.as_deref(), years));
            }
            problems.check(fields.units_required());
            problems.check(fields.unit());
            problems.check(fields.hours_per_unit());
            problems.check(fields.renewal_fee());
            problems.check(fields.late_fee());
            problems.check(fields.grace());
        }
        let no_expiry = fields.expires.as_deref().is_none_or(|t| t.trim().is_empty());
        match self.earned_on.trim() {
            "" if no_expiry => {
                problems.add(Error::invalid("earned", "give the date you earned it, or its current expiry (--expires)"))
            }
            "" => {}
            text => {
                if let Some(earned) = problems.check(parse_typed_date("earned", text)).filter(|earned| *earned > today)
                {
                    problems.add(Error::invalid("earned", format!("{earned} is in the future")));
                }
            }
        }
        problems.check(fields.expires());
        problems.check(fields.number());
        problems.check(fields.notes());
        problems.check(fields.due_soon_days());
        if problems.len() < 2 {
            return Ok(());
        }
        problems.finish()
    }
}

impl CredentialChanges {
    /// Applies the changes to `credential`, returning the changed copy; the original is untouched
    /// when any change is invalid.
    pub fn apply(&self, credential: &Credential, today: NaiveDate) -> Result<Credential> {
        let mut changed = credential.clone();
        let required = |field: &str, value: &Option<String>, target: &mut String| -> Result<()> {
            if let Some(text) = value {
                *target = clean_text(field, text, true)?.unwrap_or_default();
            }
            Ok(())
        };
        let fields = &self.fields;
        required("name", &fields.name, &mut changed.name)?;
        required("body", &fields.body, &mut changed.body)?;
        required("abbreviation", &fields.abbreviation, &mut changed.abbreviation)?;
        if fields.number.is_some() {
            changed.number = fields.number()?;
        }
        if fields.notes.is_some() {
            changed.notes = fields.notes()?;
        }
        if let Some(member) = self.member {
            changed.member = member;
        }
        if let Some(text) = &self.earned_on {
            changed.earned_on = parse_typed_date("earned", text)?;
            if changed.earned_on > today {
                return Err(Error::invalid("earned", format!("{} is in the future", changed.earned_on)));
            }
        }
        let rules = &mut changed.rules;
        // What the user types here is theirs: a newer catalog never replaces it.
        let typed = [
            ("cycle", fields.cycle_rule.is_some() || fields.cycle_years.is_some()),
            ("units_required", fields.units_required.is_some()),
            ("proration", fields.units_required.is_some()),
            ("proration_unknown", fields.units_required.is_some()),
            ("unit", fields.unit.is_some()),
            ("hours_per_unit", fields.hours_per_unit.is_some()),
            ("renewal_fee", fields.renewal_fee.is_some()),
            ("renewal_fee_member", self.renewal_fee_member.is_some()),
            ("grace", fields.grace.is_some()),
            ("late_fees", fields.late_fee.is_some()),
            ("requires_cpr_aed", self.requires_cpr_aed.is_some()),
            ("categories", self.categories.is_some()),
            ("covers", self.covers_first_aid.is_some()),
            ("acceptance", self.approved_courses_only.is_some()),
        ];
        rules.typed.extend(typed.iter().filter(|(_, set)| *set).map(|(field, _)| field.to_string()));
        if let Some(first_aid) = self.covers_first_aid {
            if credential.kind != CredentialKind::CprAed {
                return Err(Error::invalid("covers-first-aid", "only a CPR/AED card covers First Aid"));
            }
            rules.covers = card_coverage(true, first_aid);
        }
        if let Some(only) = self.approved_courses_only {
            rules.acceptance = match (only, rules.acceptance.take()) {
                (false, _) => None,
                // Keep what the catalog says of the body's petitions.
                (true, Some(acceptance)) if acceptance.approval == crate::rules::Approval::ApprovedProviders => {
                    Some(acceptance)
                }
                (true, _) => Some(approved_courses_only()),
            };
        }
        if fields.cycle_rule.is_some() || fields.cycle_years.is_some() {
            let years = match &fields.cycle_years {
                Some(_) => fields.cycle_years()?,
                None => rules.cycle.years(),
            };
            // Keep the current kind of rule unless a new one is typed; a manual rule given a
            // length becomes an anniversary.
            let spec =
                fields.cycle_rule.clone().or_else(|| (rules.cycle != CycleRule::Manual).then(|| rules.cycle.spec()));
            rules.cycle = CycleRule::from_spec(spec.as_deref(), years)?;
        }
        if fields.units_required.is_some() {
            let typed = fields.units_required()?;
            let requirement = rules.requirement(changed.earned_on, changed.cycle.end);
            if rules.proration_unknown && requirement.prorated && requirement.units_required.is_none() {
                // The body prorates this first cycle without saying by how much: what the user
                // typed is this cycle's prorated requirement; later cycles keep the full one.
                rules.proration = typed
                    .map(|units| ProrationTier {
                        earned_from_month: 0,
                        units_required: units,
                        category_max: Default::default(),
                    })
                    .into_iter()
                    .collect();
            } else {
                rules.units_required = typed;
                // A typed requirement replaces the catalog's proration table.
                rules.proration.clear();
                rules.proration_unknown = false;
            }
        }
        if fields.unit.is_some() {
            rules.unit = fields.unit()?;
        }
        if fields.hours_per_unit.is_some() {
            rules.hours_per_unit = fields.hours_per_unit()?;
        }
        if fields.renewal_fee.is_some() {
            rules.renewal_fee = fields.renewal_fee()?;
        }
        if self.renewal_fee_member.is_some() {
            rules.renewal_fee_member = optional_amount(&self.renewal_fee_member, |t| Cents::parse("member-fee", t))?;
        }
        if fields.grace.is_some() {
            rules.grace = fields.grace()?;
        }
        if fields.late_fee.is_some() {
            rules.late_fees = single_late_fee(fields.late_fee()?, rules.grace);
        }
        if let Some(requires) = self.requires_cpr_aed {
            rules.requires_cpr_aed = Some(requires);
        }
        // Never unknown: an edit that empties it is refused, as any other bad number.
        if let Some(text) = &fields.due_soon_days {
            rules.due_soon_days = parse_due_soon_days(text)?;
        }
        if let Some(specs) = &self.categories {
            rules.categories =
                specs.iter().map(|spec| parse_category(spec, &rules.categories)).collect::<Result<_>>()?;
            rules.proration.iter_mut().for_each(|tier| tier.category_max.clear());
        }
        rules.validate()?;

        let cycle_start = optional_amount(&self.cycle_start, |t| parse_typed_date("cycle-start", t))?;
        let expires = fields.expires()?;
        if let Some(end) = expires {
            if end < changed.earned_on {
                return Err(Error::invalid(
                    "expires",
                    format!("{end} is before the date first earned ({})", changed.earned_on),
                ));
            }
            changed.cycle = cycle_ending(&changed.rules.cycle, changed.earned_on, end);
            changed.expiry_confirmed = true;
        }
        if let Some(start) = cycle_start {
            changed.cycle.start = start;
        }
        if cycle_start.is_some() && self.late_reporting.is_some() {
            return Err(Error::invalid(
                "late-reporting",
                "give the cycle's first day or the late-reporting answer, not both: each sets the first day",
            ));
        }
        // The expiry typed again keeps a late reporter's later first day (a cycle worked out from
        // the expiry alone would count courses the body does not).
        let kept = (expires.is_some() && cycle_start.is_none()).then(|| credential.used_late_reporting());
        if self.late_reporting == Some(true) {
            late_reporting_concerns(&changed.rules, changed.cycle)?;
        }
        if let Some(used) = self.late_reporting.or(kept.filter(|used| *used)) {
            changed.cycle = with_late_reporting(&changed.rules, changed.earned_on, changed.cycle, used)?;
        }
        if changed.cycle.start > changed.cycle.end {
            return Err(Error::invalid(
                if expires.is_some() { "expires" } else { "cycle-start" },
                format!("the cycle would start ({}) after it ends ({})", changed.cycle.start, changed.cycle.end),
            ));
        }
        Ok(changed)
    }
}

/// `KEY[:MIN[:MAX]]`, keeping the name of an existing category with that key.
fn parse_category(spec: &str, existing: &[crate::rules::CategoryRule]) -> Result<crate::rules::CategoryRule> {
    let mut parts = spec.split(':');
    let key = clean_text("category", parts.next().unwrap_or(""), true)?.unwrap_or_default();
    let limit =
        |text: Option<&str>, field: &str| optional_amount(&text.map(str::to_string), |t| Units::parse(field, t));
    let min = limit(parts.next(), "category minimum")?;
    let max = limit(parts.next(), "category maximum")?;
    if parts.next().is_some() {
        return Err(Error::invalid("category", format!("\"{}\" is not KEY[:MIN[:MAX]]", crate::quote::value(spec))));
    }
    let previous = existing.iter().find(|c| c.key.eq_ignore_ascii_case(&key));
    Ok(crate::rules::CategoryRule {
        name: previous.map_or_else(|| key.clone(), |c| c.name.clone()),
        default: previous.is_some_and(|c| c.default),
        per_event_max: previous.and_then(|c| c.per_event_max),
        units_per_course: previous.and_then(|c| c.units_per_course),
        key,
        min,
        max,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The window sends the forms as flat JSON objects; the fields both forms share read the same.
    #[test]
    fn the_forms_read_the_windows_flat_json() {
        let form: CredentialForm = serde_json::from_value(serde_json::json!({
            "preset": "nsca-cscs", "earned_on": "2025-01-10", "number": "N-1", "units_required": "6.0",
            "member": true, "already_earned": ["1.0:A"]
        }))
        .unwrap();
        assert_eq!((form.fields.number.as_deref(), form.fields.units_required.as_deref()), (Some("N-1"), Some("6.0")));
        assert!(form.member && form.fields.name.is_none());
        let changes: CredentialChanges =
            serde_json::from_value(serde_json::json!({ "expires": "2027-12-31", "member": false })).unwrap();
        assert_eq!((changes.fields.expires.as_deref(), changes.member), (Some("2027-12-31"), Some(false)));
        let written = serde_json::to_value(&changes).unwrap();
        assert_eq!(written["expires"], "2027-12-31", "written flat too: {written}");
    }
}
