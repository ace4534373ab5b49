//! The catalog of certification presets (`data/catalog.json`), one per certification in the
//! project's research, with its sources. Values the research could not confirm are `null` and
//! stay unknown: the app asks the user to check with the body rather than guess.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::amount::{Cents, Hours, Units};
use crate::credential::CredentialKind;
use crate::period::Period;
use crate::rules::{
    CategoryRule, CycleRule, JointFee, LateFeeTier, ProrationTier, Provenance, RenewalRules, RenewsFrom,
};

const CATALOG_JSON: &str = include_str!("../data/catalog.json");

/// A preset as written in the catalog file: amounts in the body's own decimals and dollars.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Preset {
    pub id: String,
    pub body: String,
    pub body_short: String,
    pub name: String,
    pub abbreviation: String,
    /// Other names people search for (the seeds' "ISSA-SCC").
    #[serde(default)]
    pub aliases: Vec<String>,
    pub kind: CredentialKind,
    pub cycle: Option<CycleRule>,
    pub cycle_note: Option<String>,
    pub renews_from: RenewsFrom,
    pub units_required: Option<f64>,
    pub unit: Option<String>,
    pub hours_per_unit: Option<f64>,
    pub categories: Vec<PresetCategory>,
    pub min_categories_used: Option<u32>,
    pub per_event_max: Option<f64>,
    pub proration: Vec<PresetProration>,
    #[serde(default)]
    pub proration_unknown: bool,
    pub requires_cpr_aed: Option<bool>,
    pub renewal_fee_usd: Option<f64>,
    pub renewal_fee_member_usd: Option<f64>,
    #[serde(default)]
    pub joint_fee_usd: Option<PresetJointFee>,
    pub late_fees_usd: Option<Vec<PresetLateFee>>,
    pub grace: Option<Period>,
    #[serde(default)]
    pub late_credit_window: Option<Period>,
    pub after_grace: Option<String>,
    pub other_requirements: Vec<String>,
    pub sources: Vec<String>,
    pub as_of: Option<String>,
    pub confidence: Option<String>,
    pub notes: Option<String>,
    /// Values resting on a third party or an inference, by rule field, with a note for the user.
    #[serde(default)]
    pub unverified: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PresetCategory {
    pub key: String,
    pub name: String,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub default: bool,
    #[serde(default)]
    pub per_event_max: Option<f64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PresetProration {
    pub earned_from_month: u32,
    pub units_required: f64,
    pub category_max: BTreeMap<String, f64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PresetLateFee {
    pub through: Period,
    pub fee: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PresetJointFee {
    pub group: String,
    pub fee: f64,
    pub min_credentials: u32,
}

/// The catalog file holds decimals with at most two places; rounding the binary float recovers
/// them exactly. Storage never sees a float.
fn hundredths(value: f64) -> i64 {
    (value * 100.0).round() as i64
}

impl Preset {
    /// The editable rule set a held credential starts from.
    pub fn rules(&self) -> RenewalRules {
        RenewalRules {
            cycle: self.cycle.clone().unwrap_or(CycleRule::Manual),
            renews_from: self.renews_from,
            units_required: self.units_required.map(|u| Units(hundredths(u))),
            unit: self.unit.clone(),
            hours_per_unit: self.hours_per_unit.map(|h| Hours(hundredths(h))),
            categories: self
                .categories
                .iter()
                .map(|c| CategoryRule {
                    key: c.key.clone(),
                    name: c.name.clone(),
                    min: c.min.map(|v| Units(hundredths(v))).filter(|u| u.0 > 0),
                    max: c.max.map(|v| Units(hundredths(v))),
                    default: c.default,
                    per_event_max: c.per_event_max.map(|v| Units(hundredths(v))),
                })
                .collect(),
            min_categories_used: self.min_categories_used,
            per_event_max: self.per_event_max.map(|u| Units(hundredths(u))),
            proration: self
                .proration
                .iter()
                .map(|tier| ProrationTier {
                    earned_from_month: tier.earned_from_month,
                    units_required: Units(hundredths(tier.units_required)),
                    category_max: tier.category_max.iter().map(|(k, v)| (k.clone(), Units(hundredths(*v)))).collect(),
                })
                .collect(),
            proration_unknown: self.proration_unknown,
            requires_cpr_aed: self.requires_cpr_aed,
            renewal_fee: self.renewal_fee_usd.map(|d| Cents(hundredths(d))),
            renewal_fee_member: self.renewal_fee_member_usd.map(|d| Cents(hundredths(d))),
            joint_fee: self.joint_fee_usd.as_ref().map(|joint| JointFee {
                group: joint.group.clone(),
                fee: Cents(hundredths(joint.fee)),
                min_credentials: joint.min_credentials,
            }),
            late_fees: self.late_fees_usd.as_ref().map(|tiers| {
                tiers.iter().map(|t| LateFeeTier { through: t.through, fee: Cents(hundredths(t.fee)) }).collect()
            }),
            grace: self.grace,
            late_credit_window: self.late_credit_window,
            after_grace: self.after_grace.clone(),
            other_requirements: self.other_requirements.clone(),
            due_soon_days: crate::rules::DEFAULT_DUE_SOON_DAYS,
            reminder_lead_days: None,
            provenance: Provenance {
                sources: self.sources.clone(),
                as_of: self.as_of.clone(),
                confidence: self.confidence.clone(),
                cycle_note: self.cycle_note.clone(),
                notes: self.notes.clone(),
                unverified: self.unverified.clone(),
            },
        }
    }

    /// Words a person can search for: name, abbreviation, other names, body, id.
    fn matches(&self, query: &str) -> bool {
        let query = query.trim().to_lowercase();
        let fields = [&self.id, &self.name, &self.abbreviation, &self.body, &self.body_short];
        query
            .split_whitespace()
            .all(|word| fields.iter().copied().chain(&self.aliases).any(|field| field.to_lowercase().contains(word)))
    }
}

pub struct Catalog {
    presets: Vec<Preset>,
}

impl Catalog {
    /// The catalog compiled into the binary. The file is checked by tests, so parsing can't fail
    /// at run time.
    pub fn builtin() -> &'static Catalog {
        static CATALOG: OnceLock<Catalog> = OnceLock::new();
        CATALOG.get_or_init(|| Catalog {
            presets: serde_json::from_str(CATALOG_JSON).expect("data/catalog.json is valid (checked by tests)"),
        })
    }

    pub fn presets(&self) -> &[Preset] {
        &self.presets
    }

    pub fn preset(&self, id: &str) -> Option<&Preset> {
        self.presets.iter().find(|p| p.id.eq_ignore_ascii_case(id.trim()))
    }

    pub fn search(&self, query: &str) -> Vec<&Preset> {
        self.presets.iter().filter(|p| p.matches(query)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_has_a_source_and_valid_rules() {
        let catalog = Catalog::builtin();
        assert_eq!(catalog.presets().len(), 29, "the research's 25, NASM CSNC and CWC, two NASM specializations");
        for preset in catalog.presets() {
            assert!(
                !preset.sources.is_empty() && preset.sources.iter().all(|s| !s.trim().is_empty()),
                "{} has no source",
                preset.id
            );
            preset.rules().validate().unwrap_or_else(|e| panic!("{}: {e}", preset.id));
        }
    }

    #[test]
    fn ids_are_the_research_drafts_and_unique() {
        let catalog = Catalog::builtin();
        for id in ["nsca-cscs", "nasm-cpt", "acsm-cpt", "ncsf-cpt", "cpr-aed-aha", "cpr-aed-arc", "cscca-sccc"] {
            assert!(catalog.preset(id).is_some(), "{id}");
        }
        let mut ids: Vec<_> = catalog.presets().iter().map(|p| p.id.as_str()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), catalog.presets().len());
    }

    #[test]
    fn unknown_values_stay_unknown() {
        let cscs = Catalog::builtin().preset("nsca-cscs").unwrap().rules();
        assert_eq!(cscs.renewal_fee, None, "the 2024-26 NSCA fee was not found");
        assert_eq!(cscs.grace, None);
        assert_eq!(cscs.late_fees, None);
        let issa = Catalog::builtin().preset("issa-cpt").unwrap().rules();
        assert_eq!(issa.hours_per_unit, None, "ISSA's only figures come from SEO pages");
        assert_eq!(issa.cycle, CycleRule::Manual, "no official ISSA cycle: the user enters the expiry");
        let ace = Catalog::builtin().preset("ace-cpt").unwrap().rules();
        assert_eq!(ace.renewal_fee, None, "ACE's $129 is third-party only");
        let cnc = Catalog::builtin().preset("nasm-cnc").unwrap().rules();
        assert!(cnc.provenance.is_unverified("cycle") && cnc.provenance.is_unverified("units_required"));
        assert_eq!((cnc.late_fees.clone(), cnc.grace, cnc.requires_cpr_aed), (None, None, None));
    }

    #[test]
    fn sourced_values_arrive_exactly() {
        let cscs = Catalog::builtin().preset("nsca-cscs").unwrap().rules();
        assert_eq!(cscs.units_required, Some(Units(600)));
        assert_eq!(cscs.per_event_max, None, "NSCA caps one event in Category A only");
        let a = cscs.categories.iter().find(|c| c.key == "A").unwrap();
        assert_eq!(a.per_event_max, Some(Units(200)));
        let names: Vec<&str> = cscs.categories.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(
            names,
            ["Attendance", "Share Your Expertise", "Educational Activities", "NSCA Quizzes & Assessments"]
        );
        assert_eq!(cscs.hours_per_unit, Some(Hours(1000)));
        let ncsf = Catalog::builtin().preset("ncsf-cpt").unwrap().rules();
        assert_eq!(ncsf.hours_per_unit, Some(Hours(200)));
        assert_eq!(ncsf.renewal_fee, Some(Cents(8500)));
        let acsm = Catalog::builtin().preset("acsm-cpt").unwrap().rules();
        assert!(matches!(acsm.cycle, CycleRule::YearEndBefore { years: 3, .. }));
        assert_eq!(acsm.grace, Some(Period::Months(6)));
    }

    #[test]
    fn search_by_name_or_body() {
        let catalog = Catalog::builtin();
        let ids = |q: &str| catalog.search(q).iter().map(|p| p.id.clone()).collect::<Vec<_>>();
        assert!(ids("strength conditioning").contains(&"nsca-cscs".to_string()));
        assert!(ids("nsca").len() >= 5);
        assert_eq!(ids("heart"), vec!["cpr-aed-aha"]);
        assert!(ids("zzz").is_empty());
        assert_eq!(ids("ISSA-SCC"), vec!["issa-sc"], "the seeds' spelling");
    }

    #[test]
    fn source_links_are_plain_urls_or_say_none_was_found() {
        for preset in Catalog::builtin().presets() {
            for source in &preset.sources {
                let url = source.starts_with("https://") || source.starts_with("http://");
                assert!(url || source.starts_with("No "), "{}: {source}", preset.id);
                assert!(!source.contains("fanyv88") && !source.contains(":443/"), "{}: mangled {source}", preset.id);
                for junk in ["vintageculture", "fill.io", "wixlib", "terms-and-conditions"] {
                    assert!(
                        !source.contains(junk),
                        "{}: a document mirror or terms page is no source: {source}",
                        preset.id
                    );
                }
            }
        }
    }
}
