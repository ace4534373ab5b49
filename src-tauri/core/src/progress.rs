//! Progress toward a cycle's requirement: units that count after category caps, per category,
//! the shortfall and the pace needed to make the deadline.

use chrono::NaiveDate;
use serde::Serialize;

use crate::amount::{Cents, Units};
use crate::credential::Credential;

/// Sums of the credits inside a credential's current cycle, as the store aggregates them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CycleTotals {
    /// Units credited per category key (`None`: no category).
    pub by_category: Vec<(Option<String>, Units)>,
    /// What the activities credited in this cycle cost.
    pub course_costs: Cents,
    pub activity_count: u32,
    /// The providers of the counted credits (`None`: none typed), read only for a credential whose
    /// fee depends on them (`RenewalRules::fee_when_all_credits_from`).
    pub providers: Vec<Option<String>>,
    /// Units credited but waiting for the body's approval: shown, never counted.
    pub pending: Units,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CategoryProgress {
    pub key: String,
    pub name: String,
    /// Units that count (capped at `max`).
    pub earned: Units,
    /// Units credited before the cap.
    pub credited: Units,
    pub min: Option<Units>,
    pub max: Option<Units>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Progress {
    pub units_required: Option<Units>,
    pub prorated: bool,
    /// Units that count toward the requirement.
    pub units_earned: Units,
    pub categories: Vec<CategoryProgress>,
    /// Credited units in no category (they count toward the total only).
    pub uncategorized: Units,
    /// Units still needed, including category minimums not yet met; `None` when the requirement
    /// is unknown.
    pub shortfall: Option<Units>,
    /// Units a month needed from today to meet the requirement by the deadline.
    pub pace_per_month: Option<Units>,
    /// Categories with credit, against the body's minimum number of categories.
    pub categories_used: u32,
    /// What still stands between the credits and the requirement.
    pub problems: Vec<String>,
    /// Facts that need no action ("0.3 credited, only 0.1 counts": the minimum is met).
    pub notes: Vec<String>,
    /// Rules to keep in mind that nothing breaks yet: on a cycle's first day, "credits must come
    /// from at least 2 categories" (a note, not a warning, and not a met fact either).
    pub hints: Vec<String>,
    /// Clock hours of courses that would close the shortfall, where the body's rate is known.
    pub hours_needed: Option<crate::amount::Hours>,
    /// Units that count toward the requirement once category minimums are taken into account:
    /// the requirement less the shortfall (what a progress bar may show as done).
    pub units_toward: Units,
    /// Categories whose minimum is not met, with the units each still needs.
    pub category_shortfalls: Vec<CategoryShortfall>,
}

/// A category minimum not yet met: what is missing is that category, not just any course.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CategoryShortfall {
    pub key: String,
    pub name: String,
    pub missing: Units,
}

impl CategoryShortfall {
    /// A CPR/AED card's credit: renewing or recording the card closes it, not hours of courses.
    pub fn is_cpr_card(&self) -> bool {
        self.key.eq_ignore_ascii_case("cpr") || self.name.contains("CPR")
    }
}

impl CycleTotals {
    /// Adds one credit of a course that cost `cost`.
    pub fn add(&mut self, credit: &crate::activity::Credit, cost: Cents) {
        self.by_category.push((credit.category.clone(), credit.units));
        self.course_costs += cost;
        self.activity_count += 1;
    }

    /// The totals of these credits (each with its activity), as the store sums a cycle's.
    pub fn from_credits<'a>(
        credits: impl IntoIterator<Item = (&'a crate::activity::Credit, &'a crate::activity::Activity)>,
    ) -> Self {
        let mut totals = Self::default();
        for (credit, activity) in credits {
            totals.add(credit, activity.cost);
        }
        totals
    }
}

/// Average days in a month (365.2425 / 12), in hundredths of a day, for the pace figure.
const HUNDREDTH_DAYS_PER_MONTH: i64 = 3044;

pub fn progress(credential: &Credential, totals: &CycleTotals, today: NaiveDate) -> Progress {
    let requirement = credential.rules.requirement(credential.earned_on, credential.cycle.end);
    let credited_in = |key: &str| -> Units {
        totals
            .by_category
            .iter()
            .filter(|(k, _)| k.as_deref().is_some_and(|k| k.eq_ignore_ascii_case(key)))
            .map(|(_, units)| *units)
            .sum()
    };
    let categories: Vec<CategoryProgress> = requirement
        .categories
        .iter()
        .map(|rule| {
            let credited = credited_in(&rule.key);
            let earned = rule.max.map_or(credited, |max| credited.min(max));
            CategoryProgress {
                key: rule.key.clone(),
                name: rule.name.clone(),
                earned,
                credited,
                min: rule.min,
                max: rule.max,
            }
        })
        .collect();
    // Credits whose category no longer exists in the rules (renamed or removed) still count.
    let uncategorized: Units = totals
        .by_category
        .iter()
        .filter(|(key, _)| key.as_deref().is_none_or(|key| !categories.iter().any(|c| c.key.eq_ignore_ascii_case(key))))
        .map(|(_, units)| *units)
        .sum();
    let units_earned = categories.iter().map(|c| c.earned).sum::<Units>() + uncategorized;
    let categories_used = categories.iter().filter(|c| c.earned.0 > 0).count() as u32 + u32::from(uncategorized.0 > 0);

    let unit = credential.rules.unit.clone().unwrap_or_else(|| "units".into());
    let mut problems = Vec::new();
    let mut notes = Vec::new();
    let mut hints = Vec::new();
    let mut category_deficit = Units::ZERO;
    let mut category_shortfalls = Vec::new();
    for category in &categories {
        if let Some(min) = category.min {
            if category.earned < min {
                let missing = min.saturating_sub(category.earned);
                category_deficit += missing;
                category_shortfalls.push(CategoryShortfall {
                    key: category.key.clone(),
                    name: category.name.clone(),
                    missing,
                });
                problems.push(format!("{}: {} of at least {min} {unit}", category.name, category.earned));
            }
        }
        if let Some(max) = category.max {
            if category.credited > max {
                notes.push(format!(
                    "{}: {} credited, only {max} {unit} count (category maximum)",
                    category.name, category.credited
                ));
            }
        }
    }
    if let (Some(min_used), Some(required)) = (credential.rules.min_categories_used, requirement.units_required) {
        if required.0 > 0 && categories_used < min_used {
            // Nothing logged yet (the first day of a cycle) is no warning: a note says the rule.
            if categories_used == 0 {
                hints.push(format!("credits must come from at least {min_used} categories"));
            } else {
                problems
                    .push(format!("credits must come from at least {min_used} categories (so far {categories_used})"));
            }
        }
    }
    let shortfall =
        requirement.units_required.map(|required| required.saturating_sub(units_earned).max(category_deficit));
    let days_left = (credential.cycle.end - today).num_days();
    let pace_per_month = match shortfall {
        Some(short) if short.0 > 0 && days_left > 0 => {
            // Round up: a pace that falls short by a hundredth would miss the deadline.
            let per_month = (short.0 * HUNDREDTH_DAYS_PER_MONTH + days_left * 100 - 1) / (days_left * 100);
            Some(Units(per_month))
        }
        _ => None,
    };
    let hours_needed = match (shortfall, credential.rules.hours_per_unit) {
        // Round up: a course a few minutes short would leave a hundredth missing.
        (Some(short), Some(per_unit)) if short.0 > 0 => Some(crate::amount::Hours((short.0 * per_unit.0 + 99) / 100)),
        _ => None,
    };
    Progress {
        units_required: requirement.units_required,
        prorated: requirement.prorated,
        units_earned,
        categories,
        uncategorized,
        shortfall,
        pace_per_month,
        categories_used,
        problems,
        notes,
        hints,
        hours_needed,
        units_toward: match (requirement.units_required, shortfall) {
            (Some(required), Some(short)) => required.saturating_sub(short),
            _ => units_earned,
        },
        category_shortfalls,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{d, held_on};

    fn held(preset: &str, earned: &str) -> Credential {
        held_on(0, preset, earned, None, "2026-11-23")
    }

    fn totals(parts: &[(Option<&str>, i64)]) -> CycleTotals {
        CycleTotals {
            by_category: parts.iter().map(|(k, u)| (k.map(str::to_string), Units(*u))).collect(),
            ..Default::default()
        }
    }

    #[test]
    fn category_caps_limit_what_counts() {
        let cscs = held("nsca-cscs", "2019-01-01");
        // 6.5 CEU in A (max 5.5) and 0.5 in B: 6.0 count.
        let p = progress(&cscs, &totals(&[(Some("A"), 650), (Some("B"), 50)]), d("2026-11-23"));
        assert_eq!(p.units_required, Some(Units(600)));
        assert_eq!(p.units_earned, Units(600));
        assert_eq!(p.shortfall, Some(Units(0)));
        assert!(p.problems.is_empty(), "a met requirement is no problem: {:?}", p.problems);
        assert!(p.notes.iter().any(|m| m.contains("maximum")), "{:?}", p.notes);
        assert_eq!(p.pace_per_month, None);
    }

    #[test]
    fn nsca_needs_two_categories() {
        let cscs = held("nsca-cscs", "2019-01-01");
        let p = progress(&cscs, &totals(&[(Some("A"), 300)]), d("2026-11-23"));
        assert!(p.problems.iter().any(|m| m.contains("at least 2 categories")), "{:?}", p.problems);
    }

    #[test]
    fn category_minimums_add_to_the_shortfall() {
        let ncsf = held("ncsf-cpt", "2025-03-14");
        // 9.0 general, no CPR, no ethics: total short by 1.0, but CPR (2) + ethics (1) are missing.
        let p = progress(&ncsf, &totals(&[(Some("general"), 900)]), d("2026-11-23"));
        assert_eq!(p.units_earned, Units(900));
        assert_eq!(p.shortfall, Some(Units(300)));
    }

    #[test]
    fn pace_is_rounded_up_per_month() {
        let cscs = held("nsca-cscs", "2019-01-01");
        // 1.5 CEU short with 38 days left: 1.5 * 30.44 / 38 = 1.2016 → 1.21 a month.
        let p = progress(&cscs, &totals(&[(Some("A"), 300), (Some("B"), 150)]), d("2026-11-23"));
        assert_eq!(p.shortfall, Some(Units(150)));
        assert_eq!(p.pace_per_month, Some(Units(121)));
        assert_eq!(p.hours_needed, Some(crate::amount::Hours(1500)), "1.5 CEU at 10 h each");
    }

    #[test]
    fn a_minimum_met_beyond_its_maximum_is_a_note_not_a_problem() {
        let nasm = held("nasm-cpt", "2025-03-01");
        let p = progress(&nasm, &totals(&[(Some("cpr"), 30), (Some("courses"), 190)]), d("2026-11-23"));
        assert_eq!(p.units_earned, Units(200));
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        assert_eq!(
            p.notes,
            vec!["CPR/AED card (required, counts 0.1): 0.3 credited, only 0.1 CEU count (category maximum)"]
        );
    }

    #[test]
    fn unknown_requirement_has_no_shortfall() {
        let cpss = held("nsca-cpss", "2019-01-01");
        let p = progress(&cpss, &totals(&[(None, 100)]), d("2026-11-23"));
        assert_eq!(p.units_required, None);
        assert_eq!(p.shortfall, None);
        assert_eq!(p.units_earned, Units(100));
    }

    #[test]
    fn prorated_requirement_for_a_recent_certification() {
        let cscs = held("nsca-cscs", "2025-06-01");
        let p = progress(&cscs, &totals(&[]), d("2026-11-23"));
        assert_eq!(p.units_required, Some(Units(200)));
        assert!(p.prorated);
    }

    #[test]
    fn no_category_yet_on_the_first_day_is_a_note() {
        let cscs = held("nsca-cscs", "2019-01-01");
        let p = progress(&cscs, &totals(&[]), d("2027-01-01"));
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        assert_eq!(p.hints, vec!["credits must come from at least 2 categories"]);
        assert!(p.notes.is_empty(), "not a met fact: {:?}", p.notes);
    }
}
