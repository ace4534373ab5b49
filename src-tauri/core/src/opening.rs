//! Opening balances: the units a user had already earned in a credential's current cycle before
//! using Recert (many read them off their body's portal), so progress, pace and reminders are true
//! from the first minute. Each is kept in the ledger as an activity, "Earned before Recert",
//! credited only to that credential; it is shown and exported as a balance (no date, hours or
//! cost of its own) and not counted as an activity.

use crate::amount::{Hours, Units};
use crate::credential::{Credential, CredentialKind};
use crate::error::{Error, Result};

pub const OPENING_TITLE: &str = "Earned before Recert";

/// Units already earned in one category (or in no category, for a body that counts none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpeningEntry {
    pub category: Option<String>,
    pub units: Units,
}

impl OpeningEntry {
    /// The clock hours the ledger row shows: the units converted back when the body's rate is
    /// known, otherwise one hour per unit (the units credited are what counts, and are kept).
    pub fn hours(&self, credential: &Credential) -> Hours {
        let hours = match credential.rules.hours_per_unit {
            Some(per_unit) => self.units.0 * per_unit.0 / 100,
            None => self.units.0,
        };
        Hours(hours.max(1))
    }
}

/// Parses `UNITS[:CATEGORY]` entries for `credential`. Without a category the units go to the
/// credential's default category; a category must be one of its own, each at most once.
pub fn parse_opening(texts: &[String], credential: &Credential) -> Result<Vec<OpeningEntry>> {
    const FIELD: &str = "already-earned";
    if texts.iter().all(|t| t.trim().is_empty()) {
        return Ok(Vec::new());
    }
    if credential.kind == CredentialKind::CprAed {
        return Err(Error::invalid(FIELD, "a CPR/AED card collects no continuing-education units"));
    }
    let rules = &credential.rules;
    let mut entries: Vec<OpeningEntry> = Vec::new();
    for text in texts.iter().map(|t| t.trim()).filter(|t| !t.is_empty()) {
        let (units_text, category_text) = match text.split_once(':') {
            Some((units, category)) => (units, Some(category.trim())),
            None => (text, None),
        };
        let units = Units::parse(FIELD, units_text)?;
        if units.0 <= 0 {
            return Err(Error::invalid(FIELD, format!("{units} is not more than 0")));
        }
        if let Some(required) = rules.units_required.filter(|r| units.0 > r.0 * 10) {
            return Err(Error::invalid(FIELD, format!("{units} is far more than the {required} a cycle asks for")));
        }
        let category = match category_text {
            Some(name) if !name.is_empty() => {
                let found = rules
                    .categories
                    .iter()
                    .find(|c| c.key.eq_ignore_ascii_case(name) || c.name.eq_ignore_ascii_case(name));
                match found {
                    Some(category) => Some(category.key.clone()),
                    None => {
                        let shown: String = name.chars().take(40).flat_map(char::escape_debug).collect();
                        let keys: Vec<&str> = rules.categories.iter().map(|c| c.key.as_str()).collect();
                        let choices = if keys.is_empty() {
                            "it counts no categories".into()
                        } else {
                            format!("its categories are {}", keys.join(", "))
                        };
                        return Err(Error::invalid(
                            FIELD,
                            format!("\"{shown}\" is not a category of {}: {choices}", credential.abbreviation),
                        ));
                    }
                }
            }
            _ => rules.category_for(&[]).map(|c| c.key.clone()),
        };
        if entries.iter().any(|e| e.category == category) {
            let which = category.as_deref().unwrap_or("without a category");
            return Err(Error::invalid(FIELD, format!("units for {which} are given twice")));
        }
        entries.push(OpeningEntry { category, units });
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::held_on;

    fn texts(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn units_go_to_the_named_or_the_default_category() {
        let cscs = held_on(1, "nsca-cscs", "2019-01-01", None, "2026-11-23");
        let entries = parse_opening(&texts(&["2.5", "1.0:c", "0.5:Share Your Expertise"]), &cscs).unwrap();
        let summary: Vec<_> = entries.iter().map(|e| (e.category.clone().unwrap(), e.units)).collect();
        assert_eq!(summary, vec![("A".into(), Units(250)), ("C".into(), Units(100)), ("B".into(), Units(50))]);
        assert_eq!(entries[0].hours(&cscs), Hours(2500), "2.5 CEU at 10 h per CEU");
    }

    #[test]
    fn bad_balances_are_refused_with_the_field() {
        let cscs = held_on(1, "nsca-cscs", "2019-01-01", None, "2026-11-23");
        for bad in [&["x"][..], &["-1"], &["0"], &["1:Z"], &["1:A", "2:A"], &["100"], &["1.005"]] {
            let error = parse_opening(&texts(bad), &cscs).unwrap_err();
            assert_eq!(error.field(), Some("already-earned"), "{bad:?}");
        }
        let card = held_on(2, "cpr-aed-aha", "2025-01-01", None, "2026-11-23");
        assert!(parse_opening(&texts(&["1"]), &card).is_err());
        assert!(parse_opening(&texts(&[]), &card).unwrap().is_empty());
    }
}
