//! Moving the credentials a user holds from one catalog to another (a newer rules file, or back
//! with an undo): each rule value follows the new catalog unless the user typed it or it no longer
//! is what the old catalog said, and a deadline the user typed, recorded or confirmed never moves.
//! Pure: the service reads and writes around it.

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::catalog::Catalog;
use crate::credential::Credential;
use crate::error::{Error, Result};
use crate::rules::{computed_end_is_confirmed, current_cycle, RenewalRules};

/// Rule fields that belong to the holder, whatever any catalog says.
const HOLDERS_OWN: &[&str] = &["provenance", "due_soon_days", "reminder_lead_days", "typed"];

/// One value that changes for a held credential.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    pub field: &'static str,
    pub before: String,
    pub after: String,
}

/// What a catalog change does to one held credential.
#[derive(Debug, Clone, Serialize)]
pub struct CredentialUpdate {
    pub credential_id: i64,
    pub abbreviation: String,
    pub changes: Vec<FieldChange>,
    /// Rule fields the new catalog would change but the user's own value is kept.
    pub kept: Vec<FieldChange>,
    #[serde(skip)]
    pub updated: Credential,
}

/// The credentials `held` (with whether each has recorded renewals) as they would be under `to`,
/// having come from `from`. Credentials of no preset, or of a preset `to` lacks, stay as they are.
pub fn plan(
    held: &[(Credential, bool)],
    from: &Catalog,
    to: &Catalog,
    today: NaiveDate,
) -> Result<Vec<CredentialUpdate>> {
    let mut updates = Vec::new();
    for (credential, renewed_before) in held {
        let Some(preset_id) = &credential.preset_id else { continue };
        let Some(theirs) = to.preset(preset_id) else { continue };
        let base = from.preset(preset_id).map(|preset| preset.rules());
        let (rules, kept_fields) = match merge(&credential.rules, base.as_ref(), &theirs.rules()) {
            Ok(merged) => merged,
            // The user's values and the new catalog's do not make a valid rule set together
            // (a minimum above a new maximum): the credential stays as it is, and says why.
            Err(error) => {
                updates.push(CredentialUpdate {
                    credential_id: credential.id,
                    abbreviation: credential.abbreviation.clone(),
                    changes: Vec::new(),
                    kept: vec![FieldChange {
                        field: "rules",
                        before: "kept as they are".into(),
                        after: format!("the new rules do not fit your own values: {error}"),
                    }],
                    updated: credential.clone(),
                });
                continue;
            }
        };
        let mut updated = credential.clone();
        updated.rules = rules;
        // A deadline Recert worked out follows the new rule; one the user typed, recorded by a
        // renewal or confirmed stays.
        if !credential.expiry_confirmed && !renewed_before && updated.rules.cycle != credential.rules.cycle {
            if let Ok(placement) = current_cycle(&updated.rules, credential.earned_on, None, today) {
                updated.cycle = placement.cycle;
                updated.expiry_confirmed = placement.assumed_renewals == 0 && computed_end_is_confirmed(&updated.rules);
            }
        }
        let changes = describe_changes(credential, &updated);
        let mut would_be = credential.clone();
        would_be.rules = theirs.rules();
        let kept = describe_changes(credential, &would_be)
            .into_iter()
            .filter(|change| kept_fields.iter().any(|field| field_of(change.field).contains(&field.as_str())))
            .collect();
        updates.push(CredentialUpdate {
            credential_id: credential.id,
            abbreviation: credential.abbreviation.clone(),
            changes,
            kept,
            updated,
        });
    }
    Ok(updates)
}

/// The rule set `ours` under a new catalog: each field becomes `theirs` where `ours` still holds
/// what the old catalog (`base`) said and the user never typed it; otherwise `ours` stays. The
/// provenance is the new catalog's, less its notes on the fields kept. Returns the fields kept.
pub fn merge(
    ours: &RenewalRules,
    base: Option<&RenewalRules>,
    theirs: &RenewalRules,
) -> Result<(RenewalRules, Vec<String>)> {
    let as_map = |rules: &RenewalRules| -> Result<Map<String, Value>> {
        match serde_json::to_value(rules).map_err(|e| Error::Corrupt(e.to_string()))? {
            Value::Object(map) => Ok(map),
            _ => Err(Error::Corrupt("a rule set is not an object".into())),
        }
    };
    let (ours_map, theirs_map) = (as_map(ours)?, as_map(theirs)?);
    let base_map = base.map(as_map).transpose()?;
    let mut merged = ours_map.clone();
    let mut kept = Vec::new();
    let keys: std::collections::BTreeSet<&String> = ours_map.keys().chain(theirs_map.keys()).collect();
    for key in keys {
        if HOLDERS_OWN.contains(&key.as_str()) {
            continue;
        }
        let (mine, new) = (ours_map.get(key), theirs_map.get(key));
        if mine == new {
            continue;
        }
        // Without the old catalog's preset nothing shows which values came from it: keep all.
        let from_catalog = base_map.as_ref().is_some_and(|base| base.get(key) == mine);
        if from_catalog && !ours.typed.contains(key) {
            match new {
                Some(value) => merged.insert(key.clone(), value.clone()),
                None => merged.remove(key),
            };
        } else {
            kept.push(key.clone());
        }
    }
    let mut rules: RenewalRules =
        serde_json::from_value(Value::Object(merged)).map_err(|e| Error::Corrupt(e.to_string()))?;
    rules.provenance = theirs.provenance.clone();
    for field in &kept {
        rules.provenance.unverified.remove(field);
    }
    rules.validate()?;
    Ok((rules, kept))
}

/// The rule fields behind a described change.
fn field_of(label: &str) -> &'static [&'static str] {
    match label {
        "cycle" => &["cycle", "renews_from"],
        "units required" => &["units_required", "proration", "proration_unknown"],
        "unit" => &["unit"],
        "hours per unit" => &["hours_per_unit"],
        "categories" => &["categories", "min_categories_used", "per_event_max"],
        "renewal fee" => &["renewal_fee", "renewal_fee_member", "joint_fee", "fee_when_all_credits_from"],
        "late fees" => &["late_fees"],
        "grace period" => &["grace"],
        "late courses" => &["late_credit_window"],
        "CPR/AED" => &["requires_cpr_aed", "requires_first_aid", "card_valid_days_after_submission", "covers"],
        _ => &[],
    }
}

/// How one aspect of a credential reads to its holder.
type Describe = fn(&Credential) -> String;

/// The changes a person would look at, in their words: deadline, units, categories, fees.
pub fn describe_changes(before: &Credential, after: &Credential) -> Vec<FieldChange> {
    let describers: [(&'static str, Describe); 12] = [
        ("deadline", |c| format!("{}{}", c.cycle.end, if c.expiry_confirmed { "" } else { " (to check)" })),
        ("cycle starts", |c| c.cycle.start.to_string()),
        ("cycle", |c| c.rules.cycle.describe()),
        ("units required", |c| {
            let requirement = c.rules.requirement(c.earned_on, c.cycle.end);
            let unit = c.rules.unit.as_deref().unwrap_or("units");
            match requirement.units_required {
                Some(units) => format!("{units} {unit}"),
                None => "unknown".into(),
            }
        }),
        ("unit", |c| c.rules.unit.clone().unwrap_or_else(|| "none".into())),
        ("hours per unit", |c| c.rules.hours_per_unit.map_or_else(|| "unknown".into(), |h| format!("{h} h"))),
        ("categories", |c| {
            let requirement = c.rules.requirement(c.earned_on, c.cycle.end);
            let list: Vec<String> = requirement
                .categories
                .iter()
                .map(|category| {
                    let mut text = category.key.clone();
                    if let Some(min) = category.min {
                        text.push_str(&format!(" min {min}"));
                    }
                    if let Some(max) = category.max {
                        text.push_str(&format!(" max {max}"));
                    }
                    if let Some(cap) = category.per_event_max {
                        text.push_str(&format!(" ({cap} per event)"));
                    }
                    if let Some(flat) = category.units_per_course {
                        text.push_str(&format!(" ({flat} per course)"));
                    }
                    text
                })
                .collect();
            if list.is_empty() {
                "none".into()
            } else {
                list.join(", ")
            }
        }),
        ("renewal fee", |c| {
            let fee = c.rules.fee_for(c.member).map_or_else(|| "unknown".into(), |fee| fee.to_string());
            match &c.rules.fee_when_all_credits_from {
                Some(by_source) => {
                    format!("{fee} ({} if every course came through {})", by_source.fee, by_source.provider)
                }
                None => fee,
            }
        }),
        ("late fees", |c| match &c.rules.late_fees {
            None => "unknown".into(),
            Some(tiers) if tiers.is_empty() => "none".into(),
            Some(tiers) => {
                tiers.iter().map(|t| format!("{} through {}", t.fee, t.through)).collect::<Vec<_>>().join(", ")
            }
        }),
        ("grace period", |c| c.rules.grace.map_or_else(|| "unknown".into(), |g| g.to_string())),
        ("late courses", |c| {
            c.rules
                .late_credit_window
                .map_or_else(|| "not counted".into(), |w| format!("count for {w} after the deadline"))
        }),
        ("CPR/AED", |c| {
            let mut text = match c.rules.requires_cpr_aed {
                Some(true) => "required".to_string(),
                Some(false) => "not required".to_string(),
                None => "unknown".to_string(),
            };
            if c.rules.requires_first_aid {
                text.push_str(", with First Aid");
            }
            if let Some(days) = c.rules.card_valid_days_after_submission {
                text.push_str(&format!(", valid {days} days after you submit"));
            }
            if let Some(covers) = &c.rules.covers {
                text = format!("covers {}", covers.iter().map(|c| c.label()).collect::<Vec<_>>().join(", "));
            }
            text
        }),
    ];
    describers
        .iter()
        .filter_map(|(field, describe)| {
            let (before, after) = (describe(before), describe(after));
            (before != after).then_some(FieldChange { field, before, after })
        })
        .collect()
}
