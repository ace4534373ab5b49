//! The catalog of certification presets (`data/catalog.json`), one per certification in the
//! project's research, with its sources. Values the research could not confirm are `null` and
//! stay unknown: the app asks the user to check with the body rather than guess.
//!
//! A catalog is a document with a format number, a version and the day it was published; a newer
//! one can be loaded from a file (docs/catalog-format.md) without a new release of Recert.

use std::collections::{BTreeMap, HashSet};
use std::sync::OnceLock;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::amount::{Cents, Hours, Units};
use crate::error::{Error, Result};
use crate::kind::CredentialKind;
use crate::period::Period;
use crate::rules::{
    Acceptance, Approval, CategoryRule, Coverage, CycleRule, FeeBySource, JointFee, LateFeeTier, LateReportingStart,
    ProrationTier, Provenance, RenewalRules, RenewsFrom,
};

const CATALOG_JSON: &str = include_str!("../data/catalog.json");

/// The catalog file format this Recert reads and writes.
pub const CATALOG_FORMAT: u32 = 1;

/// A rules file larger than this is no catalog (the built-in one is about 80 kB).
pub const MAX_CATALOG_BYTES: usize = 4 * 1024 * 1024;

/// A catalog file: its format, version, publication day and presets.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogDocument {
    pub format: u32,
    /// Free text naming this edition ("2026.12").
    pub version: String,
    /// The day the rules were checked against the bodies' pages.
    pub published_on: NaiveDate,
    pub presets: Vec<Preset>,
}

/// A preset as written in the catalog file: amounts in the body's own decimals and dollars.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
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
    /// The card must also cover First Aid.
    #[serde(default)]
    pub requires_first_aid: bool,
    /// The card must still be valid this many days after the renewal is submitted.
    #[serde(default)]
    pub card_valid_days_after_submission: Option<u32>,
    /// For a CPR/AED card: what it covers.
    #[serde(default)]
    pub covers: Option<Vec<Coverage>>,
    pub renewal_fee_usd: Option<f64>,
    pub renewal_fee_member_usd: Option<f64>,
    #[serde(default)]
    pub joint_fee_usd: Option<PresetJointFee>,
    /// Another fee when every counted credit came from one provider (ISSA).
    #[serde(default)]
    pub fee_when_all_credits_from: Option<PresetFeeBySource>,
    /// A later first day for holders who used the body's late-reporting period (NSCA).
    #[serde(default)]
    pub late_reporting_start: Option<LateReportingStart>,
    /// How the body accepts courses; `null`: any relevant course.
    #[serde(default)]
    pub acceptance: Option<PresetAcceptance>,
    /// The end of the last cycle these rules describe, where the body publishes them per cycle.
    #[serde(default)]
    pub rules_valid_through: Option<NaiveDate>,
    /// Where to check the body's current rules ("nsca.com").
    #[serde(default)]
    pub check_at: Option<String>,
    /// The last fee the body published, where it gives none for the current cycle: a hint shown
    /// beside the fee to fill in ("$65 member / $90 non-member, 2018–20"), never the value.
    #[serde(default)]
    pub last_published_fee: Option<String>,
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
#[serde(deny_unknown_fields)]
pub struct PresetCategory {
    pub key: String,
    pub name: String,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub default: bool,
    #[serde(default)]
    pub per_event_max: Option<f64>,
    /// A course in this category earns this many units whatever its length.
    #[serde(default)]
    pub units_per_course: Option<f64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PresetAcceptance {
    pub approval: Approval,
    #[serde(default)]
    pub petition_fee_usd: Option<f64>,
    #[serde(default)]
    pub approval_not_needed_for: Vec<String>,
    #[serde(default)]
    pub never_credits: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PresetFeeBySource {
    pub provider: String,
    pub fee_usd: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PresetProration {
    pub earned_from_month: u32,
    pub units_required: f64,
    pub category_max: BTreeMap<String, f64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PresetLateFee {
    pub through: Period,
    pub fee: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
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
                    units_per_course: c.units_per_course.map(|v| Units(hundredths(v))),
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
            requires_first_aid: self.requires_first_aid,
            card_valid_days_after_submission: self.card_valid_days_after_submission,
            covers: self.covers.clone(),
            renewal_fee: self.renewal_fee_usd.map(|d| Cents(hundredths(d))),
            renewal_fee_member: self.renewal_fee_member_usd.map(|d| Cents(hundredths(d))),
            joint_fee: self.joint_fee_usd.as_ref().map(|joint| JointFee {
                group: joint.group.clone(),
                fee: Cents(hundredths(joint.fee)),
                min_credentials: joint.min_credentials,
            }),
            fee_when_all_credits_from: self
                .fee_when_all_credits_from
                .as_ref()
                .map(|fee| FeeBySource { provider: fee.provider.clone(), fee: Cents(hundredths(fee.fee_usd)) }),
            late_reporting_start: self.late_reporting_start.clone(),
            acceptance: self.acceptance.as_ref().map(|acceptance| Acceptance {
                approval: acceptance.approval,
                petition_fee: acceptance.petition_fee_usd.map(|d| Cents(hundredths(d))),
                approval_not_needed_for: acceptance.approval_not_needed_for.clone(),
                never_credits: acceptance.never_credits.clone(),
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
                rules_valid_through: self.rules_valid_through,
                check_at: self.check_at.clone(),
                last_published_fee: self.last_published_fee.clone(),
            },
            typed: Default::default(),
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

/// Reads a rules file whole (it is small), refusing what is no regular file, is too large or is
/// not text.
pub fn read_rules_file(file: &std::path::Path) -> Result<String> {
    let shown = crate::quote::path(file);
    let unreadable = |error: std::io::Error| Error::invalid("rules-file", format!("{shown} cannot be read: {error}"));
    let metadata = std::fs::metadata(file).map_err(unreadable)?;
    if !metadata.is_file() {
        return Err(Error::invalid("rules-file", format!("{shown} is not a file")));
    }
    if metadata.len() > MAX_CATALOG_BYTES as u64 {
        return Err(Error::invalid("rules-file", format!("{shown} is too large to be a Recert rules file")));
    }
    let bytes = std::fs::read(file).map_err(unreadable)?;
    String::from_utf8(bytes).map_err(|_| Error::invalid("rules-file", format!("{shown} is not UTF-8 text")))
}

#[derive(Debug, Clone)]
pub struct Catalog {
    version: String,
    published_on: NaiveDate,
    presets: Vec<Preset>,
}

impl Catalog {
    /// The catalog compiled into the binary. The file is checked by tests, so parsing can't fail
    /// at run time.
    pub fn builtin() -> &'static Catalog {
        static CATALOG: OnceLock<Catalog> = OnceLock::new();
        CATALOG.get_or_init(|| Catalog::parse(CATALOG_JSON).expect("data/catalog.json is valid (checked by tests)"))
    }

    /// Reads a catalog file and checks it completely: the format, every field of every preset,
    /// and the rules each preset makes. The first problem is one error naming the preset and
    /// the field.
    pub fn parse(text: &str) -> Result<Catalog> {
        let bad = |message: String| Error::invalid("rules-file", message);
        if text.len() > MAX_CATALOG_BYTES {
            return Err(bad(format!("is larger than {} MB: it is no Recert rules file", MAX_CATALOG_BYTES >> 20)));
        }
        let value: serde_json::Value = serde_json::from_str(text.trim_start_matches('\u{feff}'))
            .map_err(|error| bad(format!("is not JSON (line {}, column {}): {error}", error.line(), error.column())))?;
        let format = value.get("format").and_then(serde_json::Value::as_u64);
        match format {
            None => return Err(bad("has no \"format\" number: it is no Recert rules file".into())),
            Some(format) if format > u64::from(CATALOG_FORMAT) => {
                return Err(bad(format!(
                    "is written in format {format}, which needs a newer Recert (this one reads format {CATALOG_FORMAT})"
                )))
            }
            Some(_) => {}
        }
        let document: CatalogDocument = serde_path_to_error::deserialize(&value).map_err(|error| {
            let path = error.path().to_string();
            // serde names Rust's types; a person reads "a number".
            let message = error
                .inner()
                .to_string()
                .replace("expected f64", "expected a number")
                .replace("expected u32", "expected a whole number")
                .replace("expected u64", "expected a whole number");
            bad(format!("{}: {}", where_in_document(&value, &path), crate::quote::message(&message, 200)))
        })?;
        let catalog =
            Catalog { version: document.version, published_on: document.published_on, presets: document.presets };
        catalog.check()?;
        Ok(catalog)
    }

    /// The checks that the file's types alone don't make.
    fn check(&self) -> Result<()> {
        let bad = |message: String| Error::invalid("rules-file", message);
        if self.version.trim().is_empty() {
            return Err(bad("has an empty \"version\"".into()));
        }
        if self.presets.is_empty() {
            return Err(bad("has no presets".into()));
        }
        let mut ids = HashSet::new();
        for preset in &self.presets {
            let named = |field: &str, message: &str| {
                bad(format!("preset {}: {field} {message}", crate::quote::value(&preset.id)))
            };
            if preset.id.trim().is_empty() || preset.id.chars().any(|c| !(c.is_ascii_alphanumeric() || c == '-')) {
                return Err(named("id", "must be letters, digits and dashes"));
            }
            if !ids.insert(preset.id.to_ascii_lowercase()) {
                return Err(named("id", "appears twice"));
            }
            for (field, text) in [
                ("name", &preset.name),
                ("abbreviation", &preset.abbreviation),
                ("body", &preset.body),
                ("body_short", &preset.body_short),
            ] {
                if text.trim().is_empty() {
                    return Err(named(field, "must not be empty"));
                }
            }
            if preset.sources.is_empty() || preset.sources.iter().any(|s| s.trim().is_empty()) {
                return Err(named("sources", "must name where the rules come from"));
            }
            for (field, amount) in preset.amounts() {
                if !(0.0..=100_000.0).contains(&amount) || ((amount * 100.0).round() - amount * 100.0).abs() > 1e-6 {
                    return Err(named(
                        &field,
                        &format!("must be a number from 0 with at most two decimals (got {amount})"),
                    ));
                }
            }
            if preset.kind == CredentialKind::CprAed && preset.units_required.is_some() {
                return Err(named("units_required", "is not for a CPR/AED card"));
            }
            if preset.kind == CredentialKind::Credential && preset.covers.is_some() {
                return Err(named("covers", "is only for a CPR/AED card"));
            }
            if let Some(start) = &preset.late_reporting_start {
                if start.starts_on > start.cycle_ends_on || start.question.trim().is_empty() {
                    return Err(named("late_reporting_start", "must start before its cycle ends and ask a question"));
                }
            }
            preset.rules().validate().map_err(|error| named("rules:", &error.to_string()))?;
        }
        Ok(())
    }

    pub fn version(&self) -> &str {
        &self.version
    }

    pub fn published_on(&self) -> NaiveDate {
        self.published_on
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

    /// The catalog as a file in the format `parse` reads, limited to `presets`.
    pub fn document(&self, presets: Vec<Preset>) -> CatalogDocument {
        CatalogDocument {
            format: CATALOG_FORMAT,
            version: self.version.clone(),
            published_on: self.published_on,
            presets,
        }
    }
}

impl Preset {
    /// Every amount in the preset with its field, for the range check.
    fn amounts(&self) -> Vec<(String, f64)> {
        let mut amounts = Vec::new();
        let mut push = |field: String, value: Option<f64>| amounts.extend(value.map(|v| (field, v)));
        push("units_required".into(), self.units_required);
        push("hours_per_unit".into(), self.hours_per_unit);
        push("per_event_max".into(), self.per_event_max);
        push("renewal_fee_usd".into(), self.renewal_fee_usd);
        push("renewal_fee_member_usd".into(), self.renewal_fee_member_usd);
        push("joint_fee_usd.fee".into(), self.joint_fee_usd.as_ref().map(|j| j.fee));
        push("fee_when_all_credits_from.fee_usd".into(), self.fee_when_all_credits_from.as_ref().map(|f| f.fee_usd));
        push("acceptance.petition_fee_usd".into(), self.acceptance.as_ref().and_then(|a| a.petition_fee_usd));
        for (i, category) in self.categories.iter().enumerate() {
            push(format!("categories[{i}].min"), category.min);
            push(format!("categories[{i}].max"), category.max);
            push(format!("categories[{i}].per_event_max"), category.per_event_max);
            push(format!("categories[{i}].units_per_course"), category.units_per_course);
        }
        for (i, tier) in self.proration.iter().enumerate() {
            push(format!("proration[{i}].units_required"), Some(tier.units_required));
            for (key, max) in &tier.category_max {
                push(format!("proration[{i}].category_max.{key}"), Some(*max));
            }
        }
        for (i, tier) in self.late_fees_usd.iter().flatten().enumerate() {
            push(format!("late_fees_usd[{i}].fee"), Some(tier.fee));
        }
        amounts
    }
}

/// "preset nsca-cscs (presets[11]), field late_fees_usd[0].fee" for a path into the document.
fn where_in_document(value: &serde_json::Value, path: &str) -> String {
    let Some(rest) = path.strip_prefix("presets[") else {
        return if path.is_empty() || path == "." { "the file".into() } else { format!("field {path}") };
    };
    let (index, field) = rest.split_once(']').unwrap_or((rest, ""));
    let id = index
        .parse::<usize>()
        .ok()
        .and_then(|i| value.get("presets")?.get(i)?.get("id")?.as_str().map(crate::quote::value));
    let preset = match id {
        Some(id) => format!("preset {id} (presets[{index}])"),
        None => format!("presets[{index}]"),
    };
    match field.trim_start_matches('.') {
        "" => preset,
        field => format!("{preset}, field {field}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_has_a_source_and_valid_rules() {
        let catalog = Catalog::builtin();
        assert_eq!(
            catalog.presets().len(),
            31,
            "the research's 25, NASM CSNC and CWC, two NASM specializations, two First Aid cards"
        );
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
        let issa_sc = Catalog::builtin().preset("issa-sc").unwrap().rules();
        assert_eq!(issa_sc.hours_per_unit, None, "ISSA's page does not name the strength coach credential");
        assert_eq!(issa_sc.cycle, CycleRule::Manual, "the user enters the expiry");
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
        assert_eq!(ids("heart"), vec!["cpr-aed-aha", "first-aid-cpr-aed-aha"]);
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

    /// Words and signs of research notes, which a user must never read as the app's own sentence.
    const RESEARCH_WORDING: [&str; 10] = [
        "not found",
        "seed",
        "third-party",
        "third part",
        "seo",
        "not directly confirmed",
        "details not",
        "not captured",
        "low confidence",
        "was found",
    ];

    /// Problems of one sentence-like text shown to the user: research wording, unbalanced
    /// parentheses, no full stop at the end.
    fn wording_problems(text: &str, sentence: bool) -> Vec<String> {
        let lower = text.to_lowercase();
        let mut problems: Vec<String> =
            RESEARCH_WORDING.iter().filter(|w| lower.contains(*w)).map(|w| format!("says \"{w}\"")).collect();
        let mut depth = 0i32;
        for c in text.chars() {
            depth += match c {
                '(' => 1,
                ')' => -1,
                _ => 0,
            };
            if depth < 0 {
                break;
            }
        }
        if depth != 0 {
            problems.push("unbalanced parentheses".into());
        }
        // "As CSCS": a cross-reference in the research, not a sentence.
        if lower.starts_with("as ") && text.split_whitespace().count() <= 3 {
            problems.push("a cross-reference, not a sentence".into());
        }
        if sentence && !text.trim_end().ends_with(['.', '?', '!']) {
            problems.push("no full stop".into());
        }
        problems
    }

    /// Every text of the catalog a user reads on their screens (the rules, the card, reminders):
    /// after_grace, cycle_note, other_requirements, the unverified notes shown beside values and
    /// as the reason to check a date, the late-reporting question, category names and the last
    /// published fee. Research notes (`notes`, sources, confidence) stay under "Where this comes
    /// from", and are checked for research wording too.
    #[test]
    fn every_text_a_user_reads_is_written_for_them() {
        let mut problems = Vec::new();
        for preset in Catalog::builtin().presets() {
            let id = &preset.id;
            let mut check = |field: String, text: &str, sentence: bool| {
                for problem in wording_problems(text, sentence) {
                    problems.push(format!("{id}.{field} {problem}: {text}"));
                }
            };
            for (field, text) in [("after_grace", &preset.after_grace), ("cycle_note", &preset.cycle_note)] {
                if let Some(text) = text {
                    check(field.into(), text, true);
                }
            }
            for (i, text) in preset.other_requirements.iter().enumerate() {
                check(format!("other_requirements[{i}]"), text, true);
            }
            for (field, text) in &preset.unverified {
                check(format!("unverified.{field}"), text, true);
            }
            if let Some(start) = &preset.late_reporting_start {
                check("late_reporting_start.question".into(), &start.question, true);
            }
            for category in &preset.categories {
                check(format!("categories.{}", category.key), &category.name, false);
            }
            if let Some(fee) = &preset.last_published_fee {
                check("last_published_fee".into(), fee, false);
            }
            if let Some(notes) = &preset.notes {
                check("notes".into(), notes, true);
            }
        }
        assert!(problems.is_empty(), "{} texts read as research:\n{}", problems.len(), problems.join("\n"));
    }

    #[test]
    fn the_wording_check_catches_research() {
        assert!(!wording_problems("Certification expires; reinstatement policy (details not found", true).is_empty());
        assert!(!wording_problems("Exam seed fee $340/$475 not directly confirmed.", true).is_empty());
        assert!(!wording_problems("2 years from issue date", true).is_empty());
        assert!(wording_problems("Valid for two years (through the month end).", true).is_empty());
    }
}
