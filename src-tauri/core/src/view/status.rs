//! Where a credential stands: the dashboard card, the detail page and the credential as saved.

use chrono::NaiveDate;
use serde::Serialize;

use crate::credential::Credential;
use crate::status::CredentialReport;

use super::{cents, number, RulesView};

#[derive(Debug, Clone, Serialize)]
pub struct CategoryView {
    pub key: String,
    pub name: String,
    pub earned: f64,
    pub credited: f64,
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// Its minimum (if any) is reached.
    pub met: bool,
}

/// Which credential, and its current cycle: the fields every credential view starts with.
#[derive(Debug, Clone, Serialize)]
pub struct IdentityView {
    pub id: i64,
    pub preset_id: Option<String>,
    pub kind: &'static str,
    pub name: String,
    pub abbreviation: String,
    pub body: String,
    pub body_short: String,
    pub number: Option<String>,
    pub earned_on: NaiveDate,
    pub cycle_start: NaiveDate,
    pub cycle_end: NaiveDate,
    /// `false`: Recert worked the deadline out (assumed renewals, or a rule the body has not
    /// confirmed) and the user has not confirmed it yet.
    pub expiry_confirmed: bool,
}

impl From<&Credential> for IdentityView {
    fn from(credential: &Credential) -> Self {
        Self {
            id: credential.id,
            preset_id: credential.preset_id.clone(),
            kind: credential.kind.as_str(),
            name: credential.name.clone(),
            abbreviation: credential.abbreviation.clone(),
            body: credential.body.clone(),
            body_short: credential.body_short.clone(),
            number: credential.number.clone(),
            earned_on: credential.earned_on,
            cycle_start: credential.cycle.start,
            cycle_end: credential.cycle.end,
            expiry_confirmed: credential.expiry_confirmed,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct StatusView {
    #[serde(flatten)]
    pub identity: IdentityView,
    pub status: &'static str,
    pub status_label: &'static str,
    pub days_left: i64,
    pub grace_ends: Option<NaiveDate>,
    pub units_required: Option<f64>,
    pub units_earned: f64,
    /// Units credited this cycle that wait for the body's approval: shown, not counted.
    pub units_pending: f64,
    /// What counts toward the requirement once category minimums are taken into account (NASM:
    /// 2.1 CEU of courses and no CPR/AED card is 1.9 of 2.0): what the bar shows as done.
    pub units_toward: f64,
    pub unit: Option<String>,
    pub shortfall: Option<f64>,
    pub pace_per_month: Option<f64>,
    /// The pace in words: "about 0.4 a month", or "25 days left" when under two months remain.
    pub pace_text: Option<String>,
    /// Clock hours of courses that would close the shortfall, where the body's rate is known.
    pub hours_needed: Option<f64>,
    pub prorated: bool,
    pub categories: Vec<CategoryView>,
    pub requirement_problems: Vec<String>,
    /// Facts about the requirement that need no action ("0.3 credited, only 0.1 counts").
    pub requirement_notes: Vec<String>,
    /// Rules to keep in mind that nothing breaks yet ("credits must come from at least 2
    /// categories" on a cycle's first day).
    pub requirement_hints: Vec<String>,
    /// Prerequisites to act on now.
    pub prerequisite_problems: Vec<String>,
    /// Prerequisite problems still far off (a card lapsing before a deadline years away).
    pub prerequisite_notes: Vec<String>,
    pub renewal_fee_cents: Option<i64>,
    /// Where the renewal fee is unknown and the body once published one: that fee as a hint
    /// ("$65 member / $90 non-member, 2018–20"), never the value.
    pub last_published_fee: Option<String>,
    pub late_fee_cents: Option<i64>,
    pub amount_due_cents: Option<i64>,
    /// How the renewal fee was worked out: a share of a joint fee, or a fee that depends on where
    /// the credits came from.
    pub fee_note: Option<String>,
    /// The body publishes rules per cycle and this cycle's are not in the catalog in use.
    pub rules_outdated: Option<String>,
    /// While the deadline is unconfirmed: what to check, and why Recert is not sure of it.
    pub confirm_expiry: Option<String>,
    pub confirm_expiry_reason: Option<String>,
    /// `confirm_expiry` is a yes-or-no question about a renewal Recert assumed.
    pub confirm_expiry_question: bool,
    pub course_costs_cents: i64,
    pub activity_count: u32,
    pub unknowns: Vec<String>,
    /// The edit field that fills in each of `unknowns`, in order.
    pub unknown_fields: Vec<&'static str>,
    pub next_action: String,
}

impl From<&CredentialReport> for StatusView {
    fn from(report: &CredentialReport) -> Self {
        let credential = &report.credential;
        let progress = &report.progress;
        Self {
            identity: IdentityView::from(credential),
            status: report.status.as_str(),
            status_label: report.status.label(),
            days_left: report.days_left,
            grace_ends: report.grace_ends,
            units_required: progress.units_required.map(number),
            units_earned: number(progress.units_earned),
            units_pending: number(report.units_pending),
            units_toward: number(progress.units_toward),
            unit: credential.rules.unit.clone(),
            shortfall: progress.shortfall.map(number),
            pace_per_month: progress.pace_per_month.map(number),
            pace_text: crate::status::pace_phrase(progress.pace_per_month, report.days_left),
            hours_needed: progress.hours_needed.map(|h| h.as_f64()),
            prorated: progress.prorated,
            categories: progress
                .categories
                .iter()
                .map(|c| CategoryView {
                    key: c.key.clone(),
                    name: c.name.clone(),
                    earned: number(c.earned),
                    credited: number(c.credited),
                    min: c.min.map(number),
                    max: c.max.map(number),
                    met: c.min.is_none_or(|min| c.earned >= min),
                })
                .collect(),
            requirement_problems: progress.problems.clone(),
            requirement_notes: progress.notes.clone(),
            requirement_hints: progress.hints.clone(),
            prerequisite_problems: report
                .prerequisite_problems
                .iter()
                .filter(|p| p.urgent)
                .map(|p| p.message.clone())
                .collect(),
            prerequisite_notes: report
                .prerequisite_problems
                .iter()
                .filter(|p| !p.urgent)
                .map(|p| p.message.clone())
                .collect(),
            renewal_fee_cents: cents(report.renewal_fee),
            last_published_fee: report
                .renewal_fee
                .is_none()
                .then(|| credential.rules.provenance.last_published_fee.clone())
                .flatten(),
            late_fee_cents: cents(report.late_fee),
            amount_due_cents: cents(report.amount_due),
            fee_note: report.fee_note.clone(),
            rules_outdated: report.rules_outdated.clone(),
            confirm_expiry: report.confirm_expiry.clone(),
            confirm_expiry_reason: report.confirm_expiry_reason.clone(),
            confirm_expiry_question: report.confirm_expiry_question,
            course_costs_cents: report.course_costs.0,
            activity_count: report.activity_count,
            unknowns: report.unknowns.clone(),
            unknown_fields: report.unknown_fields.clone(),
            next_action: report.next_action.clone(),
        }
    }
}

/// A held credential as the `add`/`edit`/`renew` commands print it.
#[derive(Debug, Clone, Serialize)]
pub struct CredentialView {
    #[serde(flatten)]
    pub identity: IdentityView,
    pub member: bool,
    pub notes: Option<String>,
    pub rules: RulesView,
    /// The body's question about its late-reporting period, when it has one (NSCA 2021–23).
    pub late_reporting_question: Option<String>,
    /// The holder used it: this cycle's credits count from the later day.
    pub late_reporting: bool,
    /// For a card: whether it covers First Aid (`None`: not known).
    pub covers_first_aid: Option<bool>,
}

impl From<&Credential> for CredentialView {
    fn from(credential: &Credential) -> Self {
        Self {
            identity: IdentityView::from(credential),
            member: credential.member,
            notes: credential.notes.clone(),
            rules: RulesView::from(&credential.rules),
            late_reporting_question: credential.late_reporting_question().map(str::to_string),
            late_reporting: credential.used_late_reporting(),
            covers_first_aid: credential
                .rules
                .covers
                .as_ref()
                .map(|covers| covers.contains(&crate::rules::Coverage::FirstAid)),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct CreditLineView {
    pub activity_id: i64,
    pub title: String,
    pub completed_on: NaiveDate,
    pub units: f64,
    pub category: Option<String>,
    pub overridden: bool,
    pub counts_in_current_cycle: bool,
    pub has_proof: bool,
    /// Counted, or pending (or refused by) the body's approval.
    pub standing: crate::activity::Standing,
    /// Why it waits, while it waits: "counts once NASM accepts a petition ($25.00)".
    pub pending_reason: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PastCycleView {
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub renewed_on: NaiveDate,
    pub fee_paid_cents: Option<i64>,
    pub units_earned: f64,
    pub units_required: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DetailView {
    pub status: StatusView,
    pub credential: CredentialView,
    pub credits: Vec<CreditLineView>,
    pub past_cycles: Vec<PastCycleView>,
}

impl From<&crate::service::CredentialDetail> for DetailView {
    fn from(detail: &crate::service::CredentialDetail) -> Self {
        let credential = &detail.report.credential;
        Self {
            status: StatusView::from(&detail.report),
            credential: CredentialView::from(credential),
            credits: detail
                .credits
                .iter()
                .map(|(credit, activity)| CreditLineView {
                    activity_id: activity.id,
                    title: activity.title.clone(),
                    completed_on: activity.completed_on,
                    units: number(credit.units),
                    category: credit.category.clone(),
                    overridden: credit.overridden,
                    counts_in_current_cycle: credit.counts_in(credential.cycle),
                    has_proof: activity.proof.is_some(),
                    standing: credit.standing,
                    pending_reason: (credit.standing == crate::activity::Standing::Pending)
                        .then(|| crate::activity::petition_reason(credential)),
                })
                .collect(),
            past_cycles: detail
                .past_cycles
                .iter()
                .map(|c| PastCycleView {
                    start: c.start,
                    end: c.end,
                    renewed_on: c.renewed_on,
                    fee_paid_cents: cents(c.fee_paid),
                    units_earned: number(c.units_earned),
                    units_required: c.units_required.map(number),
                })
                .collect(),
        }
    }
}
