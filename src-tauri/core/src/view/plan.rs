//! The plan and the planned courses as programs and the window see them: units as 6.0, hours
//! as 1.5, money in cents.

use serde::Serialize;

use super::number;
use crate::planner::{CredentialPlan, GapReason, Method, Objective, Plan, PlannedCourse, PlannedOnTimeline};

#[derive(Debug, Clone, Serialize)]
pub struct PlannedCourseView {
    pub id: i64,
    pub title: String,
    pub provider: Option<String>,
    pub planned_on: String,
    pub any_time_before: bool,
    pub hours: f64,
    pub cost_cents: i64,
    pub categories: Vec<String>,
    /// `BODY[:NUMBER][=UNITS]`, as typed.
    pub approved_by: Vec<String>,
}

impl From<&PlannedCourse> for PlannedCourseView {
    fn from(c: &PlannedCourse) -> Self {
        Self {
            id: c.id,
            title: c.title.clone(),
            provider: c.provider.clone(),
            planned_on: c.planned_on.to_string(),
            any_time_before: c.any_time_before,
            hours: c.hours.as_f64(),
            cost_cents: c.cost.0,
            categories: c.categories.clone(),
            approved_by: c.approvals.iter().map(|a| a.spec()).collect(),
        }
    }
}

/// What a planned course would bring one credential (units as 6.0).
#[derive(Debug, Clone, Serialize)]
pub struct PlannedCreditView {
    pub credential_id: i64,
    pub units: f64,
    pub category: Option<String>,
    pub pending: bool,
    /// The last day it would count toward this credential.
    pub by: String,
}

/// A planned course on the timeline: the course, its span ("any time before": from today to
/// `planned_on`), whether its day has passed, and the credentials it would count toward.
#[derive(Debug, Clone, Serialize)]
pub struct PlannedOnTimelineView {
    #[serde(flatten)]
    pub course: PlannedCourseView,
    pub from: Option<String>,
    pub passed: bool,
    pub counts_for: Vec<PlannedCreditView>,
}

impl From<&PlannedOnTimeline> for PlannedOnTimelineView {
    fn from(p: &PlannedOnTimeline) -> Self {
        Self {
            course: PlannedCourseView::from(&p.course),
            from: p.from.map(|d| d.to_string()),
            passed: p.passed,
            counts_for: p
                .counts_for
                .iter()
                .map(|c| PlannedCreditView {
                    credential_id: c.credential_id,
                    units: number(c.units),
                    category: c.category.clone(),
                    pending: c.pending,
                    by: c.by.to_string(),
                })
                .collect(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ChosenView {
    pub id: i64,
    pub title: String,
    pub planned_on: String,
    pub any_time_before: bool,
    pub hours: f64,
    pub cost_cents: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ContributionView {
    pub course_id: i64,
    pub title: String,
    pub units: f64,
    pub category: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CredentialPlanView {
    pub credential_id: i64,
    pub abbreviation: String,
    pub unit: Option<String>,
    pub deadline: String,
    pub units_required: Option<f64>,
    pub units_now: f64,
    pub shortfall_now: Option<f64>,
    pub units_projected: f64,
    /// 0 when the plan covers it; `null` when the requirement is unknown.
    pub shortfall_after: Option<f64>,
    pub categories_missing_after: u32,
    pub covered: bool,
    pub complete_by: Option<String>,
    pub contributions: Vec<ContributionView>,
    pub problems: Vec<String>,
    pub gap: Option<GapReason>,
    pub sentence: String,
}

impl From<&CredentialPlan> for CredentialPlanView {
    fn from(c: &CredentialPlan) -> Self {
        Self {
            credential_id: c.credential_id,
            abbreviation: c.abbreviation.clone(),
            unit: c.unit.clone(),
            deadline: c.deadline.to_string(),
            units_required: c.units_required.map(number),
            units_now: number(c.units_now),
            shortfall_now: c.shortfall_now.map(number),
            units_projected: number(c.units_projected),
            shortfall_after: c.shortfall_after.map(number),
            categories_missing_after: c.categories_missing_after,
            covered: c.covered,
            complete_by: c.complete_by.map(|d| d.to_string()),
            contributions: c
                .contributions
                .iter()
                .map(|k| ContributionView {
                    course_id: k.course_id,
                    title: k.title.clone(),
                    units: number(k.units),
                    category: k.category.clone(),
                })
                .collect(),
            problems: c.problems.clone(),
            gap: c.gap,
            sentence: c.sentence.clone(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct MonthSpendView {
    pub month: String,
    pub cents: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanView {
    pub objective: Objective,
    pub budget_cents: Option<i64>,
    pub hours_per_week: Option<f64>,
    pub chosen: Vec<ChosenView>,
    pub total_cost_cents: i64,
    pub total_hours: f64,
    pub credentials: Vec<CredentialPlanView>,
    pub method: Method,
    /// True when the plan is proven the best (or there was nothing to choose).
    pub exact: bool,
    pub notes: Vec<String>,
    pub spending_by_month: Vec<MonthSpendView>,
    pub elapsed_ms: u64,
}

impl From<&Plan> for PlanView {
    fn from(p: &Plan) -> Self {
        Self {
            objective: p.request.objective,
            budget_cents: p.request.budget.map(|b| b.0),
            hours_per_week: p.request.hours_per_week.map(|h| h.as_f64()),
            chosen: p
                .chosen
                .iter()
                .map(|c| ChosenView {
                    id: c.id,
                    title: c.title.clone(),
                    planned_on: c.planned_on.to_string(),
                    any_time_before: c.any_time_before,
                    hours: c.hours.as_f64(),
                    cost_cents: c.cost.0,
                })
                .collect(),
            total_cost_cents: p.total_cost.0,
            total_hours: p.total_hours.as_f64(),
            credentials: p.credentials.iter().map(CredentialPlanView::from).collect(),
            method: p.method,
            exact: matches!(p.method, Method::Exact | Method::Nothing),
            notes: p.notes.clone(),
            spending_by_month: p
                .spending_by_month
                .iter()
                .map(|(month, cents)| MonthSpendView { month: month.clone(), cents: cents.0 })
                .collect(),
            elapsed_ms: p.elapsed_ms,
        }
    }
}
