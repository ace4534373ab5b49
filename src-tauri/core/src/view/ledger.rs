//! The ledger: what logging (or editing) a course credits, its preview, and the activities logged.

use chrono::NaiveDate;
use serde::Serialize;

use super::number;

/// What logging an activity does (or would do) for one credential.
#[derive(Debug, Clone, Serialize)]
pub struct CreditOutcomeView {
    pub credential_id: i64,
    pub abbreviation: String,
    pub unit: Option<String>,
    pub credited: bool,
    pub units: Option<f64>,
    pub category: Option<String>,
    pub capped: bool,
    pub overridden: bool,
    /// Completed inside the late window after the cycle ending on this date, and counted toward it.
    pub late_for_cycle_end: Option<NaiveDate>,
    pub reason: Option<String>,
    /// Credited once the body accepts it ("counts once NASM accepts a petition ($25.00)"): the
    /// units are shown, not counted.
    pub pending: bool,
    /// Editing: counted toward a cycle that has since closed, and kept as counted.
    pub kept: bool,
}

impl From<&crate::service::CreditOutcome> for CreditOutcomeView {
    fn from(outcome: &crate::service::CreditOutcome) -> Self {
        use crate::activity::CreditDecision;
        let base = Self {
            credential_id: outcome.credential_id,
            abbreviation: outcome.abbreviation.clone(),
            unit: outcome.unit.clone(),
            credited: false,
            units: None,
            category: None,
            capped: false,
            overridden: false,
            late_for_cycle_end: None,
            reason: None,
            pending: false,
            kept: outcome.kept,
        };
        match &outcome.decision {
            CreditDecision::Credited { units, category, overridden, capped, late_for_cycle_end } => Self {
                credited: true,
                units: Some(number(*units)),
                category: category.clone(),
                capped: *capped,
                overridden: *overridden,
                late_for_cycle_end: *late_for_cycle_end,
                ..base
            },
            CreditDecision::Pending { units, category, late_for_cycle_end, reason } => Self {
                pending: true,
                units: Some(number(*units)),
                category: category.clone(),
                late_for_cycle_end: *late_for_cycle_end,
                reason: Some(reason.clone()),
                ..base
            },
            CreditDecision::NotCredited { reason } => Self { reason: Some(reason.clone()), ..base },
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct LoggedView {
    pub activity_id: i64,
    pub title: String,
    pub completed_on: NaiveDate,
    pub hours: f64,
    pub outcomes: Vec<CreditOutcomeView>,
    /// The file copied as proof, when the path given was a symbolic link to it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proof_link_target: Option<String>,
    /// CPR/AED cards the course may have renewed (`recert renew ID --date ISSUED_ON` records one).
    pub card_offers: Vec<crate::service::CardOffer>,
}

impl From<&crate::service::LoggedActivity> for LoggedView {
    fn from(logged: &crate::service::LoggedActivity) -> Self {
        Self {
            activity_id: logged.activity.id,
            title: logged.activity.title.clone(),
            completed_on: logged.activity.completed_on,
            hours: logged.activity.hours.as_f64(),
            outcomes: logged.outcomes.iter().map(CreditOutcomeView::from).collect(),
            proof_link_target: logged.proof_link_target.as_ref().map(|path| path.display().to_string()),
            card_offers: logged.card_offers.clone(),
        }
    }
}

/// The log form's live answer: the date and hours as read (for the form to echo, "= May 10,
/// 2019", "= 1.5 h"), and the credits, or every problem beside its field.
#[derive(Debug, Clone, Serialize)]
pub struct PreviewView {
    pub completed_on: Option<NaiveDate>,
    pub hours: Option<f64>,
    pub outcomes: Option<Vec<CreditOutcomeView>>,
    pub problems: Vec<crate::error::FieldError>,
}

impl From<&crate::service::ActivityPreview> for PreviewView {
    fn from(preview: &crate::service::ActivityPreview) -> Self {
        Self {
            completed_on: preview.completed_on,
            hours: preview.hours.map(|h| h.as_f64()),
            outcomes: preview.outcomes.as_ref().map(|o| o.iter().map(CreditOutcomeView::from).collect()),
            problems: preview.problems.clone(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ActivityCreditView {
    pub credential_id: i64,
    pub units: f64,
    pub category: Option<String>,
    pub overridden: bool,
    /// Counted, or pending (or refused by) the body's approval.
    pub standing: crate::activity::Standing,
}

#[derive(Debug, Clone, Serialize)]
pub struct ActivityView {
    pub id: i64,
    pub title: String,
    pub provider: Option<String>,
    pub completed_on: NaiveDate,
    pub hours: f64,
    pub cost_cents: i64,
    pub categories: Vec<String>,
    pub notes: Option<String>,
    pub proof: Option<crate::activity::Proof>,
    /// The credential this activity is the opening balance of ("Earned before Recert").
    pub opening_balance_for: Option<i64>,
    /// The bodies that approved it, each `BODY` or `BODY:NUMBER`.
    pub approved_by: Vec<String>,
    pub credits: Vec<ActivityCreditView>,
}

impl From<&crate::service::ActivityWithCredits> for ActivityView {
    fn from(entry: &crate::service::ActivityWithCredits) -> Self {
        let a = &entry.activity;
        Self {
            id: a.id,
            title: a.title.clone(),
            provider: a.provider.clone(),
            completed_on: a.completed_on,
            hours: a.hours.as_f64(),
            cost_cents: a.cost.0,
            categories: a.categories.clone(),
            notes: a.notes.clone(),
            proof: a.proof.clone(),
            opening_balance_for: a.opening_balance_for,
            approved_by: a.approvals.iter().map(crate::activity::BodyApproval::spec).collect(),
            credits: entry
                .credits
                .iter()
                .map(|c| ActivityCreditView {
                    credential_id: c.credential_id,
                    units: number(c.units),
                    category: c.category.clone(),
                    overridden: c.overridden,
                    standing: c.standing,
                })
                .collect(),
        }
    }
}
