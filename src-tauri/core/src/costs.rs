//! The money ahead: every renewal that falls due in the coming months, projected cycle by cycle.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::amount::Cents;
use crate::credential::{Credential, CredentialKind};
use crate::dates::add_months;
use crate::progress::CycleTotals;
use crate::rules::next_cycle;
use crate::status::{money_on, renewal_fee, status_on, Status};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UpcomingCost {
    pub credential_id: i64,
    pub abbreviation: String,
    pub due_on: NaiveDate,
    /// `None`: the fee is unknown.
    pub amount: Option<Cents>,
    pub what: String,
    /// A joint fee for several credentials renewed together, when this row is a share of it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub joint_fee: Option<Cents>,
}

/// Renewal fees due from `today` through `months` ahead, the current cycle first, then the
/// cycles after it as the rule projects them. A credential in grace owes its fee and late fee by
/// the end of its grace period.
pub fn upcoming_costs(
    credentials: &[Credential],
    totals: &HashMap<i64, CycleTotals>,
    today: NaiveDate,
    months: u32,
) -> Vec<UpcomingCost> {
    let horizon = add_months(today, months as i32);
    let mut costs = Vec::new();
    for credential in credentials {
        let rules = &credential.rules;
        let no_totals = CycleTotals::default();
        let totals = totals.get(&credential.id).unwrap_or(&no_totals);
        // The current cycle's fee may depend on its credits; later cycles' credits are unknown.
        let current_fee = renewal_fee(credential, totals);
        let later_fee = rules.fee_for(credential.member);
        let what = if credential.kind == CredentialKind::CprAed { "CPR/AED renewal course" } else { "renewal fee" };
        let mut cycle = credential.cycle;
        match status_on(credential, today) {
            Status::Lapsed => continue,
            Status::Grace => {
                costs.push(UpcomingCost {
                    credential_id: credential.id,
                    abbreviation: credential.abbreviation.clone(),
                    // Due by the last day of grace, the day the dashboard says to renew by.
                    due_on: crate::status::grace_ends(credential).unwrap_or(today).max(today),
                    amount: money_on(credential, totals, today).amount_due,
                    what: "renewal fee with late fee".into(),
                    joint_fee: None,
                });
            }
            Status::Current | Status::DueSoon => {}
        }
        while cycle.end <= horizon {
            if cycle.end >= today {
                costs.push(UpcomingCost {
                    credential_id: credential.id,
                    abbreviation: credential.abbreviation.clone(),
                    due_on: cycle.end,
                    amount: if cycle == credential.cycle { current_fee } else { later_fee },
                    what: what.into(),
                    joint_fee: None,
                });
            }
            // Project as if renewed on the deadline.
            match next_cycle(&rules.cycle, rules.renews_from, cycle, cycle.end, credential.earned_on) {
                Some(next) if next.end > cycle.end => cycle = next,
                _ => break,
            }
        }
    }
    share_joint_fees(credentials, &mut costs);
    costs.sort_by(|a, b| a.due_on.cmp(&b.due_on).then(a.abbreviation.cmp(&b.abbreviation)));
    costs
}

/// Credentials of one body due on the same day pay its joint fee once (NCSF: $100 for two or
/// more): their rows become shares that add up to it.
fn share_joint_fees(credentials: &[Credential], costs: &mut [UpcomingCost]) {
    let held = |id: i64| credentials.iter().find(|c| c.id == id);
    let groups = crate::joint_fee::joint_groups(costs, |cost| {
        held(cost.credential_id)?.rules.joint_fee.as_ref().map(|joint| (joint, cost.due_on))
    });
    for (joint, members) in groups {
        let names: Vec<String> = members.iter().map(|&i| costs[i].abbreviation.clone()).collect();
        let what = format!("share of the {} {} fee for {}", joint.group, joint.fee, crate::status::join_names(&names));
        for (&index, share) in members.iter().zip(joint.shares(members.len())) {
            let cost = &mut costs[index];
            // A late fee on top of the joint fee stays with its credential.
            let own_fee = held(cost.credential_id).and_then(|c| c.rules.fee_for(c.member));
            let late = match (cost.amount, cost.what.as_str(), own_fee) {
                (Some(amount), "renewal fee with late fee", Some(own)) => Some(amount.saturating_sub(own)),
                _ => None,
            };
            cost.amount = Some(late.map_or(share, |late| share + late));
            cost.what = what.clone();
            cost.joint_fee = Some(joint.fee);
        }
    }
}

/// Known total and the number of items whose amount is unknown.
pub fn total(costs: &[UpcomingCost]) -> (Cents, usize) {
    let known = costs.iter().filter_map(|c| c.amount).sum();
    let unknown = costs.iter().filter(|c| c.amount.is_none()).count();
    (known, unknown)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{d, held_on};

    fn held(id: i64, preset: &str, earned: &str) -> Credential {
        held_on(id, preset, earned, None, "2026-11-23")
    }
    use crate::catalog::Catalog;
    use crate::credential::{CredentialForm, CredentialText};

    #[test]
    fn projects_each_renewal_in_the_window() {
        let ncsf = held(1, "ncsf-cpt", "2025-03-14"); // ends 2027-03-31, then 2029-03-31
        let acsm = held(2, "acsm-cpt", "2025-05-10"); // ends 2028-05-09: inside 24 months
        let cscs = held(3, "nsca-cscs", "2019-01-01"); // ends 2026-12-31, fee unknown
        let costs = upcoming_costs(&[ncsf, acsm, cscs], &HashMap::new(), d("2026-11-23"), 24);
        let summary: Vec<_> = costs.iter().map(|c| (c.abbreviation.as_str(), c.due_on, c.amount)).collect();
        assert_eq!(
            summary,
            vec![
                ("CSCS", d("2026-12-31"), None),
                ("NCSF-CPT", d("2027-03-31"), Some(Cents(8500))),
                ("ACSM-CPT", d("2028-05-09"), Some(Cents(6000)))
            ]
        );
        assert_eq!(total(&costs), (Cents(14500), 1));

        let long = upcoming_costs(&[held(1, "ncsf-cpt", "2025-03-14")], &HashMap::new(), d("2026-11-23"), 36);
        assert_eq!(long.iter().map(|c| c.due_on).collect::<Vec<_>>(), vec![d("2027-03-31"), d("2029-03-31")]);
    }

    #[test]
    fn grace_owes_the_late_fee_now() {
        let form = CredentialForm {
            preset: Some("acsm-cpt".into()),
            earned_on: "2023-05-01".into(),
            fields: CredentialText { expires: Some("2026-10-31".into()), ..Default::default() },
            ..Default::default()
        };
        let acsm = Credential { id: 1, ..form.to_credential(Catalog::builtin(), d("2026-11-23")).unwrap() };
        let costs = upcoming_costs(&[acsm], &HashMap::new(), d("2026-11-23"), 24);
        // Due by the last day of grace, as the dashboard says: "renew by Apr 30, 2027".
        assert_eq!(costs[0].due_on, d("2027-04-30"));
        assert_eq!(costs[0].amount, Some(Cents(14000)));
    }
}
