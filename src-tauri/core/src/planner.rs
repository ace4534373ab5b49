//! Planning ahead (issue 20): courses the user is considering, and the cheapest set of them (or
//! the fewest hours) that closes every credential's shortfall and category minimums before its
//! deadline. A planned course is credited by the same rules as a logged one
//! ([`decide_credit`], [`as_body_accepts`]); the chosen set is checked with [`progress`] before
//! it is shown. The solver sits behind [`solver`]; nothing else here knows it.

pub mod solver;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::activity::{
    as_body_accepts, checked_categories, checked_cost, checked_hours, decide_credit, BodyApproval, CourseSource,
    CreditDecision, MAX_CATEGORIES,
};
use crate::amount::{Cents, Hours, Units};
use crate::credential::{clean_text, Credential, CredentialKind};
use crate::dates::parse_typed_date;
use crate::error::{Error, Problems, Result};
use crate::progress::{progress, CycleTotals, Progress};
use solver::{Answer, Bucket, Instance, Limit, Need, CATEGORY_WEIGHT};

/// The most courses a plan considers exactly (the size: 60 courses, 8 credentials).
pub const MAX_PLANNED: usize = 200;
/// The solver's time budget; past it the best plan so far is shown, said so.
pub const TIME_LIMIT: Duration = Duration::from_millis(1800);

/// A body that approves a planned course: its name, the approval number, the units it grants.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedApproval {
    pub body: String,
    #[serde(default)]
    pub number: Option<String>,
    /// Units the body grants whatever the hours (a NASM specialization: 1.9 CEU).
    #[serde(default)]
    pub units: Option<Units>,
}

impl PlannedApproval {
    /// `BODY`, `BODY:NUMBER`, `BODY=UNITS` or `BODY:NUMBER=UNITS` (`NASM=1.9`, `ACE:CEP123=0.7`).
    pub fn parse(text: &str) -> Result<Self> {
        let (approval, units) = match text.rsplit_once('=') {
            Some((approval, units)) => (approval, Some(Units::parse("approved-by", units)?)),
            None => (text, None),
        };
        if units.is_some_and(|u| u.0 <= 0) {
            return Err(Error::invalid("approved-by", "the units a body grants must be more than 0"));
        }
        let BodyApproval { body, number } = BodyApproval::parse(approval)?;
        Ok(Self { body, number, units })
    }

    pub fn spec(&self) -> String {
        let approval = BodyApproval { body: self.body.clone(), number: self.number.clone() }.spec();
        match self.units {
            Some(units) => format!("{approval}={units}"),
            None => approval,
        }
    }
}

/// A course the user is considering: not an earned credit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedCourse {
    pub id: i64,
    pub title: String,
    pub provider: Option<String>,
    /// The day planned, or with `any_time_before` the last day it can be taken.
    pub planned_on: NaiveDate,
    pub any_time_before: bool,
    pub hours: Hours,
    pub cost: Cents,
    pub categories: Vec<String>,
    pub approvals: Vec<PlannedApproval>,
}

/// What the user typed to plan a course.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct PlannedForm {
    pub title: String,
    pub provider: Option<String>,
    pub date: String,
    /// The date is a last day ("any time before"), not the day.
    pub any_time_before: bool,
    pub hours: String,
    pub cost: Option<String>,
    pub categories: Vec<String>,
    pub approved_by: Vec<String>,
}

impl PlannedForm {
    /// Every problem at once, as the log form does; the id is 0 until stored.
    pub fn validate(&self) -> Result<PlannedCourse> {
        let mut problems = Problems::default();
        let title = problems.check(clean_text("title", &self.title, true)).map(Option::unwrap_or_default);
        let provider = problems.check(match &self.provider {
            Some(text) => clean_text("provider", text, false),
            None => Ok(None),
        });
        let planned_on = problems.check(parse_typed_date("date", &self.date));
        let hours = problems.check(Hours::parse_duration("hours", &self.hours).and_then(checked_hours));
        let cost = problems.check(checked_cost(self.cost.as_deref()));
        let categories = checked_categories(&mut problems, &self.categories);
        let mut approvals: Vec<PlannedApproval> = Vec::new();
        for text in self.approved_by.iter().take(MAX_CATEGORIES) {
            if let Some(approval) = problems.check(PlannedApproval::parse(text)) {
                if !approvals.iter().any(|a| a.body.eq_ignore_ascii_case(&approval.body)) {
                    approvals.push(approval);
                }
            }
        }
        problems.finish()?;
        let (Some(title), Some(provider), Some(planned_on), Some(hours), Some(cost)) =
            (title, provider, planned_on, hours, cost)
        else {
            return Err(Error::invalid("form", "the planned course could not be read"));
        };
        Ok(PlannedCourse {
            id: 0,
            title,
            provider,
            planned_on,
            any_time_before: self.any_time_before,
            hours,
            cost,
            categories,
            approvals,
        })
    }
}

/// How a planned course would count toward `credential`, by the rules a logged course follows:
/// dated on its day (a course "any time before" a day is taken by the deadline if it can be; a
/// day that has passed counts nothing),
/// only before the deadline, only for the bodies that approve it when it names some, with the
/// units a body grants where the plan gives them.
pub fn planned_credit(credential: &Credential, course: &PlannedCourse, today: NaiveDate) -> CreditDecision {
    let not = |reason: String| CreditDecision::NotCredited { reason };
    if !course.approvals.is_empty() && !course.approvals.iter().any(|a| credential.is_body_named(&a.body)) {
        let bodies: Vec<&str> = course.approvals.iter().map(|a| a.body.as_str()).collect();
        return not(format!("approved by {} only", bodies.join(", ")));
    }
    if !course.any_time_before && course.planned_on < today {
        return not(format!("planned for {}, a day that has passed: log it if you took it", course.planned_on));
    }
    let on =
        if course.any_time_before { course.planned_on.min(credential.cycle.end).max(today) } else { course.planned_on };
    if on > credential.cycle.end {
        return not(format!("planned after the deadline ({})", credential.cycle.end));
    }
    let typed = course.approvals.iter().find(|a| credential.is_body_named(&a.body)).and_then(|a| a.units);
    let approvals: Vec<BodyApproval> =
        course.approvals.iter().map(|a| BodyApproval { body: a.body.clone(), number: a.number.clone() }).collect();
    let source = CourseSource {
        title: &course.title,
        categories: &course.categories,
        provider: course.provider.as_deref(),
        approvals: &approvals,
    };
    as_body_accepts(credential, decide_credit(credential, on, course.hours, &course.categories, typed), source)
}

/// What a planned course would bring one credential, as the timeline shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlannedCredit {
    pub credential_id: i64,
    pub units: Units,
    pub category: Option<String>,
    /// Counted once the body accepts it (a petition, an approval).
    pub pending: bool,
    /// The last day it would count toward this credential: its day, or for a course "any time
    /// before" the earlier of its last day and the credential's deadline.
    pub by: NaiveDate,
}

/// A planned course on the timeline: planned, not earned. A course on a day is a point; one
/// "any time before" a day spans from today to that day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlannedOnTimeline {
    pub course: PlannedCourse,
    /// The first day of its span (today) for a course any time before its last day.
    pub from: Option<NaiveDate>,
    /// Its day (or last day) has passed and it is still planned: logged or not taken.
    pub passed: bool,
    /// The credentials it would count toward, by the rules a logged course follows.
    pub counts_for: Vec<PlannedCredit>,
}

/// Every planned course as the timeline shows it, with what it would bring each credential
/// held (CPR/AED cards take no units).
pub fn on_timeline(credentials: &[Credential], courses: &[PlannedCourse], today: NaiveDate) -> Vec<PlannedOnTimeline> {
    courses
        .iter()
        .map(|course| {
            let counts_for = credentials
                .iter()
                .filter(|c| c.kind != CredentialKind::CprAed)
                .filter_map(|credential| {
                    let (units, category, pending) = match planned_credit(credential, course, today) {
                        CreditDecision::Credited { units, category, .. } => (units, category, false),
                        CreditDecision::Pending { units, category, .. } => (units, category, true),
                        CreditDecision::NotCredited { .. } => return None,
                    };
                    let by = if course.any_time_before {
                        course.planned_on.min(credential.cycle.end)
                    } else {
                        course.planned_on
                    };
                    Some(PlannedCredit { credential_id: credential.id, units, category, pending, by })
                })
                .collect();
            PlannedOnTimeline {
                course: course.clone(),
                from: (course.any_time_before && course.planned_on >= today).then_some(today),
                passed: course.planned_on < today,
                counts_for,
            }
        })
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Objective {
    #[default]
    Cost,
    Hours,
}

impl Objective {
    pub fn parse(text: &str) -> Result<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "cost" | "" => Ok(Self::Cost),
            "hours" => Ok(Self::Hours),
            other => {
                Err(Error::invalid("objective", format!("\"{}\" is not cost or hours", crate::quote::value(other))))
            }
        }
    }

    fn of(self, course: &PlannedCourse) -> i64 {
        match self {
            Self::Cost => course.cost.0,
            Self::Hours => course.hours.0,
        }
    }
}

/// What the plan optimizes and the limits it keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct PlanRequest {
    pub objective: Objective,
    /// At most this much spent on the chosen courses.
    pub budget: Option<Cents>,
    /// At most this many hours a week, from today to each course's date.
    pub hours_per_week: Option<Hours>,
}

/// A plan as a person asks for it, in words: the window's fields and the CLI's options, read by
/// this one rule. An empty budget or pace is no limit.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct PlanForm {
    /// `cost` (the default) or `hours`.
    pub objective: String,
    /// Money, as typed: "300", "$300", "299.99".
    pub budget: String,
    /// A duration, as typed: "4", "4 h", "1:30"; more than none.
    pub hours_per_week: String,
}

impl PlanForm {
    pub fn to_request(&self) -> Result<PlanRequest> {
        let filled = |text: &str| Some(text.trim().to_string()).filter(|text| !text.is_empty());
        let hours_per_week = match filled(&self.hours_per_week) {
            Some(text) => {
                let hours = Hours::parse_duration("hours-per-week", &text)?;
                if hours.0 <= 0 {
                    return Err(Error::invalid("hours-per-week", "must be more than 0"));
                }
                Some(hours)
            }
            None => None,
        };
        Ok(PlanRequest {
            objective: Objective::parse(&self.objective)?,
            budget: filled(&self.budget).map(|budget| Cents::parse("budget", &budget)).transpose()?,
            hours_per_week,
        })
    }
}

/// What one chosen course brings one credential.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Contribution {
    pub course_id: i64,
    pub title: String,
    pub units: Units,
    pub category: Option<String>,
}

/// Why a credential stays short with the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GapReason {
    /// Every course in the list together would not close it.
    NothingInTheList,
    /// The list could close it, but not within the budget or the pace.
    Limits,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CredentialPlan {
    pub credential_id: i64,
    pub abbreviation: String,
    pub unit: Option<String>,
    pub deadline: NaiveDate,
    pub units_required: Option<Units>,
    pub units_now: Units,
    pub shortfall_now: Option<Units>,
    /// Units that count with the plan (after caps).
    pub units_projected: Units,
    /// `None` when the requirement is unknown.
    pub shortfall_after: Option<Units>,
    /// Categories still missing from the minimum number of categories.
    pub categories_missing_after: u32,
    pub covered: bool,
    /// The day the plan completes it (its last counted course), when the plan is what completes it.
    pub complete_by: Option<NaiveDate>,
    pub contributions: Vec<Contribution>,
    /// What still stands between the plan and the requirement, as progress words it.
    pub problems: Vec<String>,
    pub gap: Option<GapReason>,
    /// "with your plan: CSCS complete by Oct 12, 2027", "NASM-CPT 0.4 CEU short".
    pub sentence: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChosenCourse {
    pub id: i64,
    pub title: String,
    pub planned_on: NaiveDate,
    pub any_time_before: bool,
    pub hours: Hours,
    pub cost: Cents,
}

/// How the plan was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// The solver proved it optimal, and Recert's rules confirmed it.
    Exact,
    /// The solver stopped at its time limit: the best plan it had.
    TimeLimit,
    /// The solver failed or its answer did not check out: the best plan found otherwise.
    Fallback,
    /// Nothing to choose (no gap, or no course).
    Nothing,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Plan {
    pub request: PlanRequest,
    pub chosen: Vec<ChosenCourse>,
    pub total_cost: Cents,
    pub total_hours: Hours,
    pub credentials: Vec<CredentialPlan>,
    pub method: Method,
    /// Said to the user: a time limit reached, a fallback, a limit that leaves a gap.
    pub notes: Vec<String>,
    /// Chosen spending by month (`YYYY-MM`).
    pub spending_by_month: Vec<(String, Cents)>,
    pub elapsed_ms: u64,
}

/// Units missing for `credential` given `p`, with a category (of a minimum number) as 1.00.
fn missing_of(credential: &Credential, p: &Progress) -> i64 {
    let short = p.shortfall.map_or(0, |s| s.0);
    let lacking = match (credential.rules.min_categories_used, p.units_required) {
        (Some(min), Some(required)) if required.0 > 0 => i64::from(min.saturating_sub(p.categories_used)),
        _ => 0,
    };
    short + lacking * CATEGORY_WEIGHT
}

/// What one course would credit one credential, when it counts: its category and units.
type CourseCredit = Option<(Option<String>, Units)>;

/// The credentials a plan serves and what each course would credit them (counted credits only).
struct Table<'a> {
    credentials: Vec<&'a Credential>,
    base: Vec<CycleTotals>,
    /// [credential][course]: units and category when the course counts.
    credits: Vec<Vec<CourseCredit>>,
}

impl<'a> Table<'a> {
    fn new(
        credentials: &'a [Credential],
        totals: &HashMap<i64, CycleTotals>,
        courses: &[PlannedCourse],
        today: NaiveDate,
    ) -> Self {
        let credentials: Vec<&Credential> = credentials.iter().filter(|c| c.kind != CredentialKind::CprAed).collect();
        let base = credentials.iter().map(|c| totals.get(&c.id).cloned().unwrap_or_default()).collect();
        let credits = credentials
            .iter()
            .map(|credential| {
                courses
                    .iter()
                    .map(|course| match planned_credit(credential, course, today) {
                        CreditDecision::Credited { units, category, .. } => Some((category, units)),
                        _ => None,
                    })
                    .collect()
            })
            .collect();
        Self { credentials, base, credits }
    }

    /// Each credential's progress with the chosen courses, by Recert's own rules.
    fn progress_with(&self, chosen: &[bool], today: NaiveDate) -> Vec<Progress> {
        self.credentials
            .iter()
            .enumerate()
            .map(|(c, credential)| {
                let mut totals = self.base[c].clone();
                for (i, credit) in self.credits[c].iter().enumerate() {
                    if let (true, Some((category, units))) = (chosen[i], credit) {
                        totals.by_category.push((category.clone(), *units));
                    }
                }
                progress(credential, &totals, today)
            })
            .collect()
    }

    fn missing_with(&self, chosen: &[bool], today: NaiveDate) -> i64 {
        self.progress_with(chosen, today).iter().zip(&self.credentials).map(|(p, c)| missing_of(c, p)).sum()
    }
}

/// The integer program: the credentials still short, the courses' gains per bucket, the limits.
fn instance(table: &Table<'_>, courses: &[PlannedCourse], request: &PlanRequest, today: NaiveDate) -> Instance {
    let base = table.progress_with(&vec![false; courses.len()], today);
    let mut needs = Vec::new();
    for (c, credential) in table.credentials.iter().enumerate() {
        let p = &base[c];
        let Some(required) = p.units_required else { continue };
        if missing_of(credential, p) == 0 {
            continue;
        }
        let mut buckets: Vec<Bucket> = p
            .categories
            .iter()
            .map(|category| Bucket {
                existing: category.credited.0,
                min: category.min.map_or(0, |m| m.0),
                max: category.max.map(|m| m.0),
                gains: Vec::new(),
            })
            .collect();
        buckets.push(Bucket { existing: p.uncategorized.0, ..Default::default() });
        let none = buckets.len() - 1;
        for (i, credit) in table.credits[c].iter().enumerate() {
            let Some((category, units)) = credit else { continue };
            let bucket = category
                .as_deref()
                .and_then(|key| p.categories.iter().position(|k| k.key.eq_ignore_ascii_case(key)))
                .unwrap_or(none);
            buckets[bucket].gains.push((i, units.0));
        }
        let min_buckets_used = match credential.rules.min_categories_used {
            Some(min) if required.0 > 0 => min,
            _ => 0,
        };
        needs.push(Need { required: required.0, buckets, min_buckets_used });
    }
    let mut limits = Vec::new();
    if let Some(budget) = request.budget {
        limits
            .push(Limit { terms: courses.iter().enumerate().map(|(i, c)| (i, c.cost.0)).collect(), at_most: budget.0 });
    }
    if let Some(pace) = request.hours_per_week {
        let mut days: Vec<NaiveDate> = courses.iter().map(|c| c.planned_on).collect();
        days.sort();
        days.dedup();
        for day in days {
            let weeks = ((day - today).num_days().max(0) + 7) / 7;
            let terms =
                courses.iter().enumerate().filter(|(_, c)| c.planned_on <= day).map(|(i, c)| (i, c.hours.0)).collect();
            limits.push(Limit { terms, at_most: pace.0 * weeks });
        }
    }
    let other = match request.objective {
        Objective::Cost => Objective::Hours,
        Objective::Hours => Objective::Cost,
    };
    Instance {
        objective: courses.iter().map(|c| request.objective.of(c)).collect(),
        tie_break: courses.iter().map(|c| other.of(c)).collect(),
        limits,
        needs,
    }
}

fn within_limits(instance: &Instance, chosen: &[bool]) -> bool {
    instance
        .limits
        .iter()
        .all(|limit| limit.terms.iter().filter(|(i, _)| chosen[*i]).map(|(_, a)| a).sum::<i64>() <= limit.at_most)
}

/// Missing units of the instance's needs, as the program counts them (for the greedy search).
fn instance_missing(instance: &Instance, chosen: &[bool]) -> i64 {
    instance.needs.iter().map(|need| solver::need_missing(need, chosen)).sum()
}

fn objective_of(instance: &Instance, chosen: &[bool]) -> i64 {
    instance.objective.iter().zip(chosen).filter(|(_, &c)| c).map(|(o, _)| o).sum()
}

/// A quick plan, found before the solver runs: the best to show should the solver fail. Adds
/// the course that closes most per unit of objective until nothing helps, then drops any course
/// the rest make unnecessary.
fn greedy(instance: &Instance) -> Vec<bool> {
    let n = instance.objective.len();
    let mut chosen = vec![false; n];
    let mut missing = instance_missing(instance, &chosen);
    while missing > 0 {
        let mut best: Option<(usize, i64, i128)> = None;
        for i in 0..n {
            if chosen[i] {
                continue;
            }
            chosen[i] = true;
            let now = instance_missing(instance, &chosen);
            let fits = within_limits(instance, &chosen);
            chosen[i] = false;
            let gain = missing - now;
            if !fits || gain <= 0 {
                continue;
            }
            // gain / (objective + 1), compared without division.
            let better = match best {
                None => true,
                Some((_, g, o)) => i128::from(gain) * o > i128::from(g) * i128::from(instance.objective[i] + 1),
            };
            if better {
                best = Some((i, gain, i128::from(instance.objective[i] + 1)));
            }
        }
        let Some((i, gain, _)) = best else { break };
        chosen[i] = true;
        missing -= gain;
    }
    prune(instance, &mut chosen);
    chosen
}

/// Drops chosen courses that nothing needs (dearest first): a free course that brings nothing
/// is not part of the plan.
fn prune(instance: &Instance, chosen: &mut [bool]) {
    let missing = instance_missing(instance, chosen);
    let mut order: Vec<usize> = (0..chosen.len()).filter(|&i| chosen[i]).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(instance.objective[i]));
    for i in order {
        chosen[i] = false;
        if instance_missing(instance, chosen) > missing {
            chosen[i] = true;
        }
    }
}

/// How a plan asks for its answer: [`solver::solve`] in Recert; in tests, one that fails or
/// stops at its time limit, to show what the user is told then.
pub type Solver<'a> = &'a dyn Fn(&Instance, Duration, Option<&[bool]>) -> std::result::Result<Answer, String>;

/// The solver a plan uses and the time it may take.
#[derive(Clone, Copy)]
pub struct Solving<'a> {
    pub time_limit: Duration,
    pub solve: Solver<'a>,
}

impl Default for Solving<'_> {
    fn default() -> Self {
        Self { time_limit: TIME_LIMIT, solve: &solver::solve }
    }
}

/// The plan for `courses`: exact where the solver proves it, checked by Recert's rules always.
/// Whatever the solver answers, the quick plan found first stands in (said so) when it fails,
/// stops at its time limit with something worse, or answers what the crediting rules refuse.
pub fn make_plan(
    credentials: &[Credential],
    totals: &HashMap<i64, CycleTotals>,
    courses: &[PlannedCourse],
    request: &PlanRequest,
    today: NaiveDate,
    solving: Solving<'_>,
) -> Plan {
    let Solving { time_limit, solve } = solving;
    let started = Instant::now();
    let table = Table::new(credentials, totals, courses, today);
    let instance = instance(&table, courses, request, today);
    let mut notes = Vec::new();
    let n = courses.len();
    let (chosen, method) = if instance.needs.is_empty() || n == 0 {
        (vec![false; n], Method::Nothing)
    } else {
        let seed = greedy(&instance);
        let key = |chosen: &[bool]| (table.missing_with(chosen, today), objective_of(&instance, chosen));
        match solve(&instance, time_limit, Some(&seed)) {
            Ok(answer) => {
                let mut picked = answer.chosen.clone();
                let checked = picked.len() == n && {
                    prune(&instance, &mut picked);
                    within_limits(&instance, &picked) && table.missing_with(&picked, today) <= answer.missing
                };
                if !checked || (answer.optimal && key(&seed) < key(&picked)) {
                    notes.push(
                        "the solver's answer did not check out against Recert's crediting rules: this is the best plan found otherwise"
                            .to_string(),
                    );
                    (seed, Method::Fallback)
                } else if !answer.optimal {
                    notes.push(format!(
                        "planning stopped at its time limit ({:.1} s): this is the best plan found so far",
                        time_limit.as_secs_f64()
                    ));
                    // The solver's best so far, unless the quick plan found first is better.
                    (if key(&seed) < key(&picked) { seed } else { picked }, Method::TimeLimit)
                } else {
                    (picked, Method::Exact)
                }
            }
            Err(error) => {
                notes.push(format!("the solver could not finish ({error}): this is the best plan found so far"));
                (seed, Method::Fallback)
            }
        }
    };
    describe(&table, courses, request, today, chosen, method, notes, started)
}

#[allow(clippy::too_many_arguments)]
fn describe(
    table: &Table<'_>,
    courses: &[PlannedCourse],
    request: &PlanRequest,
    today: NaiveDate,
    chosen: Vec<bool>,
    method: Method,
    mut notes: Vec<String>,
    started: Instant,
) -> Plan {
    let before = table.progress_with(&vec![false; courses.len()], today);
    let after = table.progress_with(&chosen, today);
    let everything = table.progress_with(&vec![true; courses.len()], today);
    let mut plans = Vec::new();
    for (c, credential) in table.credentials.iter().enumerate() {
        let (p0, p1) = (&before[c], &after[c]);
        let unit = credential.rules.unit.clone();
        let unit_word = unit.clone().unwrap_or_else(|| "units".into());
        let contributions: Vec<Contribution> = table.credits[c]
            .iter()
            .enumerate()
            .filter(|(i, _)| chosen[*i])
            .filter_map(|(i, credit)| {
                credit.as_ref().map(|(category, units)| Contribution {
                    course_id: courses[i].id,
                    title: courses[i].title.clone(),
                    units: *units,
                    category: category.clone(),
                })
            })
            .collect();
        let missing_after = missing_of(credential, p1);
        let lacking = u32::try_from((missing_after - p1.shortfall.map_or(0, |s| s.0)) / CATEGORY_WEIGHT).unwrap_or(0);
        let covered = p1.units_required.is_some() && missing_after == 0;
        let complete_by = if covered && missing_of(credential, p0) > 0 {
            table.credits[c]
                .iter()
                .enumerate()
                .filter(|(i, credit)| chosen[*i] && credit.is_some())
                .map(|(i, _)| courses[i].planned_on.min(credential.cycle.end))
                .max()
        } else {
            None
        };
        let gap = match (p1.units_required, missing_after) {
            (Some(_), m) if m > 0 => Some(if missing_of(credential, &everything[c]) > 0 {
                GapReason::NothingInTheList
            } else {
                GapReason::Limits
            }),
            _ => None,
        };
        let name = &credential.abbreviation;
        let sentence = match (p1.units_required, p1.shortfall, gap) {
            (None, _, _) | (_, None, _) => {
                format!("{name}: requirement unknown — check with {}", credential.body_short)
            }
            (Some(_), Some(_), None) => match complete_by {
                Some(day) => format!("{name} complete by {}", day.format("%b %-d, %Y")),
                None => format!("{name} already complete"),
            },
            (Some(_), Some(short), Some(reason)) => {
                let mut words = if short.0 > 0 { format!("{name} {short} {unit_word} short") } else { name.clone() };
                if lacking > 0 {
                    words.push_str(&format!(
                        "{} {lacking} more categor{} needed",
                        if short.0 > 0 { "," } else { ":" },
                        if lacking == 1 { "y" } else { "ies" }
                    ));
                }
                words.push_str(match reason {
                    GapReason::NothingInTheList => " — nothing in your list can close it",
                    GapReason::Limits => " — your budget or pace leaves it open",
                });
                words
            }
        };
        if gap == Some(GapReason::Limits) {
            notes.push(format!("{sentence}: without the limits the list would close it"));
        }
        plans.push(CredentialPlan {
            credential_id: credential.id,
            abbreviation: name.clone(),
            unit,
            deadline: credential.cycle.end,
            units_required: p1.units_required,
            units_now: p0.units_earned,
            shortfall_now: p0.shortfall,
            units_projected: p1.units_earned,
            shortfall_after: p1.shortfall,
            categories_missing_after: lacking,
            covered,
            complete_by,
            contributions,
            problems: p1.problems.clone(),
            gap,
            sentence,
        });
    }
    let picked: Vec<&PlannedCourse> = courses.iter().zip(&chosen).filter(|(_, &c)| c).map(|(c, _)| c).collect();
    let mut spending: Vec<(String, Cents)> = Vec::new();
    let mut by_date = picked.clone();
    by_date.sort_by_key(|c| c.planned_on);
    for course in &by_date {
        let month = course.planned_on.format("%Y-%m").to_string();
        match spending.last_mut() {
            Some((m, total)) if *m == month => *total += course.cost,
            _ => spending.push((month, course.cost)),
        }
    }
    Plan {
        request: *request,
        total_cost: picked.iter().map(|c| c.cost).sum(),
        total_hours: Hours(picked.iter().map(|c| c.hours.0).sum()),
        chosen: by_date
            .iter()
            .map(|c| ChosenCourse {
                id: c.id,
                title: c.title.clone(),
                planned_on: c.planned_on,
                any_time_before: c.any_time_before,
                hours: c.hours,
                cost: c.cost,
            })
            .collect(),
        credentials: plans,
        method,
        notes,
        spending_by_month: spending,
        elapsed_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
    }
}
