//! A credential's renewal rules as a form shows them, with the one-line summary, and the catalog's presets.

use serde::Serialize;

use crate::amount::Cents;
use crate::catalog::Preset;
use crate::rules::{CategoryRule, RenewalRules};

use super::{cents, number};

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
    /// The last fee the body published where it gives none for this cycle: a hint beside the
    /// fee to fill in, never the fee.
    pub last_published_fee: Option<String>,
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
            last_published_fee: rules.provenance.last_published_fee.clone(),
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
        assert_eq!(
            tiers[1],
            serde_json::json!({"through": "1 year less a day", "fee_cents": 5000}),
            "then $50 until the day before one year on"
        );
        assert_eq!(json["rules"]["grace"], "1 year less a day");
        assert_eq!(json["rules"]["late_credit_window"], "90 days");
        assert_eq!(json["rules"]["cycle_rule"], serde_json::json!(preset.rules().cycle.spec()));
    }
}
