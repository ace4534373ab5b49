//! The JSON shapes Recert shows to programs (`recert … --json`) and to its own window: amounts as
//! plain numbers in the credential's unit (6.0, not 600), money in integer cents, ISO dates.

use chrono::NaiveDate;
use serde::Serialize;

use crate::amount::{Cents, Units};
use crate::catalog::Preset;
use crate::credential::Credential;
use crate::rules::{CategoryRule, RenewalRules};
use crate::status::CredentialReport;

fn number(units: Units) -> f64 {
    units.as_f64()
}

fn cents(money: Option<Cents>) -> Option<i64> {
    money.map(|c| c.0)
}

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
    pub unit: Option<String>,
    pub shortfall: Option<f64>,
    pub pace_per_month: Option<f64>,
    /// Clock hours of courses that would close the shortfall, where the body's rate is known.
    pub hours_needed: Option<f64>,
    pub prorated: bool,
    pub categories: Vec<CategoryView>,
    pub requirement_problems: Vec<String>,
    /// Facts about the requirement that need no action ("0.3 credited, only 0.1 counts").
    pub requirement_notes: Vec<String>,
    /// Prerequisites to act on now.
    pub prerequisite_problems: Vec<String>,
    /// Prerequisite problems still far off (a card lapsing before a deadline years away).
    pub prerequisite_notes: Vec<String>,
    pub renewal_fee_cents: Option<i64>,
    pub late_fee_cents: Option<i64>,
    pub amount_due_cents: Option<i64>,
    /// How the renewal fee was worked out when it is a share of a joint fee.
    pub fee_note: Option<String>,
    /// While the deadline is unconfirmed: what to check, and why Recert is not sure of it.
    pub confirm_expiry: Option<String>,
    pub confirm_expiry_reason: Option<String>,
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
            unit: credential.rules.unit.clone(),
            shortfall: progress.shortfall.map(number),
            pace_per_month: progress.pace_per_month.map(number),
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
            late_fee_cents: cents(report.late_fee),
            amount_due_cents: cents(report.amount_due),
            fee_note: report.fee_note.clone(),
            confirm_expiry: report.confirm_expiry.clone(),
            confirm_expiry_reason: report.confirm_expiry_reason.clone(),
            course_costs_cents: report.course_costs.0,
            activity_count: report.activity_count,
            unknowns: report.unknowns.clone(),
            unknown_fields: report.unknown_fields.clone(),
            next_action: report.next_action.clone(),
        }
    }
}

/// The editable rules of a credential, as numbers a form can show.
#[derive(Debug, Clone, Serialize)]
pub struct RulesView {
    /// The rules in one line a trainer reads at a glance: "Every 3 years · 6.0 CEU (60 h) · from
    /// at least 2 categories · CPR/AED card required · fee unknown".
    pub summary: String,
    pub cycle_rule: String,
    /// The rule in words ("every 2 years, on the date you earned it").
    pub cycle_description: String,
    pub cycle_years: Option<u32>,
    pub renews_from: String,
    pub units_required: Option<f64>,
    pub unit: Option<String>,
    pub hours_per_unit: Option<f64>,
    pub categories: Vec<CategoryLimitView>,
    pub min_categories_used: Option<u32>,
    pub per_event_max: Option<f64>,
    pub prorated: bool,
    /// The body prorates a late-certified first cycle without saying by how much.
    pub proration_unknown: bool,
    pub requires_cpr_aed: Option<bool>,
    pub renewal_fee_cents: Option<i64>,
    pub renewal_fee_member_cents: Option<i64>,
    /// One fee for several credentials of the body renewed together.
    pub joint_fee: Option<JointFeeView>,
    /// `None`: unknown. Each tier: the fee in cents, up to a period after the deadline.
    pub late_fees: Option<Vec<LateFeeView>>,
    /// The grace period as the body states it ("6 months"); `None`: unknown.
    pub grace: Option<String>,
    /// Courses completed this long after the deadline still count toward it ("90 days").
    pub late_credit_window: Option<String>,
    pub after_grace: Option<String>,
    pub other_requirements: Vec<String>,
    pub due_soon_days: u32,
    pub sources: Vec<String>,
    pub as_of: Option<String>,
    pub confidence: Option<String>,
    pub cycle_note: Option<String>,
    pub notes: Option<String>,
    /// Values that rest on a third party or an inference, by field, with where they come from.
    pub unverified: std::collections::BTreeMap<String, String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LateFeeView {
    /// "90 days", "1 year".
    pub through: String,
    pub fee_cents: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct JointFeeView {
    pub group: String,
    pub fee_cents: i64,
    pub min_credentials: u32,
}

/// A category's limits as the rules state them (no progress).
#[derive(Debug, Clone, Serialize)]
pub struct CategoryLimitView {
    pub key: String,
    pub name: String,
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// Activities with no matching tag land here.
    pub default: bool,
    /// At most this much from one event in this category.
    pub per_event_max: Option<f64>,
}

impl From<&CategoryRule> for CategoryLimitView {
    fn from(rule: &CategoryRule) -> Self {
        Self {
            key: rule.key.clone(),
            name: rule.name.clone(),
            min: rule.min.map(number),
            max: rule.max.map(number),
            default: rule.default,
            per_event_max: rule.per_event_max.map(number),
        }
    }
}

impl From<&RenewalRules> for RulesView {
    fn from(rules: &RenewalRules) -> Self {
        Self {
            summary: summary(rules),
            cycle_rule: rules.cycle.spec(),
            cycle_description: rules.cycle.describe(),
            cycle_years: rules.cycle.years(),
            renews_from: match rules.renews_from {
                crate::rules::RenewsFrom::CycleEnd => "cycle_end".into(),
                crate::rules::RenewsFrom::RenewalDate => "renewal_date".into(),
                crate::rules::RenewsFrom::RenewalDayKeepingSchedule => "renewal_day_keeping_schedule".into(),
            },
            units_required: rules.units_required.map(number),
            unit: rules.unit.clone(),
            hours_per_unit: rules.hours_per_unit.map(|h| h.as_f64()),
            categories: rules.categories.iter().map(CategoryLimitView::from).collect(),
            min_categories_used: rules.min_categories_used,
            per_event_max: rules.per_event_max.map(number),
            prorated: !rules.proration.is_empty() || rules.proration_unknown,
            proration_unknown: rules.proration_unknown,
            requires_cpr_aed: rules.requires_cpr_aed,
            renewal_fee_cents: cents(rules.renewal_fee),
            renewal_fee_member_cents: cents(rules.renewal_fee_member),
            joint_fee: rules.joint_fee.as_ref().map(|joint| JointFeeView {
                group: joint.group.clone(),
                fee_cents: joint.fee.0,
                min_credentials: joint.min_credentials,
            }),
            late_fees: rules.late_fees.as_ref().map(|tiers| {
                tiers.iter().map(|t| LateFeeView { through: t.through.to_string(), fee_cents: t.fee.0 }).collect()
            }),
            grace: rules.grace.map(|g| g.to_string()),
            late_credit_window: rules.late_credit_window.map(|w| w.to_string()),
            after_grace: rules.after_grace.clone(),
            other_requirements: rules.other_requirements.clone(),
            due_soon_days: rules.due_soon_days,
            sources: rules.provenance.sources.clone(),
            as_of: rules.provenance.as_of.clone(),
            confidence: rules.provenance.confidence.clone(),
            cycle_note: rules.provenance.cycle_note.clone(),
            notes: rules.provenance.notes.clone(),
            unverified: rules.provenance.unverified.clone(),
        }
    }
}

/// Money without cents when it has none: "$60", "$12.50".
fn short_money(cents: Cents) -> String {
    if cents.0 % 100 == 0 {
        format!("${}", cents.0 / 100)
    } else {
        cents.to_string()
    }
}

fn summary(rules: &RenewalRules) -> String {
    use crate::rules::RenewsFrom;
    let mut parts = Vec::new();
    parts.push(match rules.cycle.years() {
        Some(1) => "Every year".to_string(),
        Some(years) => format!("Every {years} years"),
        None => "Expiry date you enter".to_string(),
    });
    if rules.renews_from == RenewsFrom::RenewalDate {
        parts.push("a new card from your course day".into());
        return parts.join(" · ");
    }
    if let Some(unit) = &rules.unit {
        parts.push(match (rules.units_required, rules.hours_per_unit) {
            (Some(units), Some(per_unit)) => {
                let hours = units.0 * per_unit.0 / 100;
                let hours =
                    if hours % 100 == 0 { (hours / 100).to_string() } else { crate::amount::Hours(hours).to_string() };
                format!("{units} {unit} ({hours} h)")
            }
            (Some(units), None) => format!("{units} {unit}"),
            (None, _) => format!("{unit} required unknown"),
        });
    }
    if rules.proration_unknown {
        parts.push("less if certified mid-cycle (ask the body)".into());
    }
    if let Some(count) = rules.min_categories_used {
        parts.push(format!("from at least {count} categories"));
    }
    parts.push(
        match rules.requires_cpr_aed {
            Some(true) => "CPR/AED card required",
            Some(false) => "no CPR/AED card needed",
            None => "CPR/AED requirement unknown",
        }
        .into(),
    );
    parts.push(match (rules.renewal_fee, &rules.joint_fee) {
        (Some(fee), Some(joint)) => format!(
            "{} fee ({} for {} or more together)",
            short_money(fee),
            short_money(joint.fee),
            joint.min_credentials
        ),
        (Some(fee), None) => format!("{} fee", short_money(fee)),
        (None, _) => "fee unknown".into(),
    });
    parts.join(" · ")
}

/// A catalog entry for the window: the preset as the research states it, plus the rules a
/// credential added from it starts with, in the same shape as a held credential's rules.
#[derive(Debug, Clone, Serialize)]
pub struct PresetView {
    #[serde(flatten)]
    pub preset: Preset,
    pub rules: RulesView,
}

impl From<&Preset> for PresetView {
    fn from(preset: &Preset) -> Self {
        Self { preset: preset.clone(), rules: RulesView::from(&preset.rules()) }
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
}

impl From<&Credential> for CredentialView {
    fn from(credential: &Credential) -> Self {
        Self {
            identity: IdentityView::from(credential),
            member: credential.member,
            notes: credential.notes.clone(),
            rules: RulesView::from(&credential.rules),
        }
    }
}

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
pub struct CreditLineView {
    pub activity_id: i64,
    pub title: String,
    pub completed_on: NaiveDate,
    pub units: f64,
    pub category: Option<String>,
    pub overridden: bool,
    pub counts_in_current_cycle: bool,
    pub has_proof: bool,
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
                    counts_in_current_cycle: credit.counts_toward(credential.cycle),
                    has_proof: activity.proof.is_some(),
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

#[derive(Debug, Clone, Serialize)]
pub struct ActivityCreditView {
    pub credential_id: i64,
    pub units: f64,
    pub category: Option<String>,
    pub overridden: bool,
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
            credits: entry
                .credits
                .iter()
                .map(|c| ActivityCreditView {
                    credential_id: c.credential_id,
                    units: number(c.units),
                    category: c.category.clone(),
                    overridden: c.overridden,
                })
                .collect(),
        }
    }
}

/// Renewal fees ahead with their total; fees the sources don't give are counted, not summed.
#[derive(Debug, Clone, Serialize)]
pub struct CostsView {
    pub items: Vec<crate::costs::UpcomingCost>,
    pub known_total_cents: i64,
    pub unknown_count: usize,
}

impl From<Vec<crate::costs::UpcomingCost>> for CostsView {
    fn from(items: Vec<crate::costs::UpcomingCost>) -> Self {
        let (known, unknown_count) = crate::costs::total(&items);
        Self { items, known_total_cents: known.0, unknown_count }
    }
}

/// What importing a spreadsheet does, with units as plain numbers.
#[derive(Debug, Clone, Serialize)]
pub struct ImportReportView {
    pub rows: Vec<ImportRowView>,
    pub errors: Vec<crate::ledger_csv::SheetError>,
    pub imported: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct ImportRowView {
    pub line: u64,
    pub date: String,
    pub title: String,
    pub outcomes: Vec<CreditOutcomeView>,
}

impl From<&crate::service::ImportReport> for ImportReportView {
    fn from(report: &crate::service::ImportReport) -> Self {
        Self {
            rows: report
                .rows
                .iter()
                .map(|row| ImportRowView {
                    line: row.line,
                    date: row.date.clone(),
                    title: row.title.clone(),
                    outcomes: row.outcomes.iter().map(CreditOutcomeView::from).collect(),
                })
                .collect(),
            errors: report.errors.clone(),
            imported: report.imported,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;

    #[test]
    fn a_preset_reads_in_one_line() {
        let line = |id: &str| RulesView::from(&Catalog::builtin().preset(id).unwrap().rules()).summary;
        assert_eq!(
            line("nsca-cscs"),
            "Every 3 years · 6.0 CEU (60 h) · from at least 2 categories · CPR/AED card required · fee unknown"
        );
        assert_eq!(line("acsm-cpt"), "Every 3 years · 45.0 CEC (45 h) · CPR/AED card required · $60 fee");
        assert_eq!(
            line("ncsf-cpt"),
            "Every 2 years · 10.0 CEU (20 h) · CPR/AED card required · $85 fee ($100 for 2 or more together)"
        );
        assert_eq!(line("nasm-csnc"), "Every 2 years · 1.9 CEU (19 h) · no CPR/AED card needed · fee unknown");
        assert_eq!(line("cpr-aed-aha"), "Every 2 years · a new card from your course day");
        assert_eq!(
            line("issa-sc"),
            "Expiry date you enter · CEU required unknown · CPR/AED requirement unknown · fee unknown"
        );
        assert!(line("cscca-sccc").contains("less if certified mid-cycle"));
    }

    #[test]
    fn a_preset_view_carries_the_rules_in_cents_beside_the_research_in_dollars() {
        let preset = Catalog::builtin().preset("nasm-cpt").unwrap();
        let json = serde_json::to_value(PresetView::from(preset)).unwrap();
        assert_eq!(json["id"], "nasm-cpt");
        assert_eq!(json["renewal_fee_usd"], serde_json::json!(preset.renewal_fee_usd));
        let cents = preset.renewal_fee_usd.map(|usd| (usd * 100.0).round() as i64);
        assert_eq!(json["rules"]["renewal_fee_cents"], serde_json::json!(cents));
        let tiers = json["rules"]["late_fees"].as_array().unwrap();
        assert_eq!(tiers[0], serde_json::json!({"through": "90 days", "fee_cents": 3000}), "NASM: $30 up to day 90");
        assert_eq!(tiers[1], serde_json::json!({"through": "1 year", "fee_cents": 5000}), "then $50 up to a year");
        assert_eq!(json["rules"]["grace"], "1 year");
        assert_eq!(json["rules"]["late_credit_window"], "90 days");
        assert_eq!(json["rules"]["cycle_rule"], serde_json::json!(preset.rules().cycle.spec()));
    }
}
