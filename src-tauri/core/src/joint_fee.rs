//! One fee for several credentials of a body renewed together (NCSF: $100 for two or more,
//! where one alone costs $85): which credentials share it, and each one's share.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::amount::Cents;

/// One fee for several credentials of the same body renewed together (NCSF: $100 for two or
/// more, where one credential alone costs $85).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JointFee {
    /// Credentials with the same group share the fee (the body's short name).
    pub group: String,
    pub fee: Cents,
    /// The joint fee applies from this many credentials renewed together.
    pub min_credentials: u32,
}

impl JointFee {
    /// The joint fee split over `count` credentials, in whole cents that add up to the fee (the
    /// first shares take the leftover cents).
    pub fn shares(&self, count: usize) -> Vec<Cents> {
        let count = count.max(1) as i64;
        let (base, rest) = (self.fee.0 / count, self.fee.0 % count);
        (0..count).map(|i| Cents(base + i64::from(i < rest))).collect()
    }
}

/// The groups of `items` that pay a joint fee together: items of the same fee group due on the
/// same day, when there are enough of them. Each group comes with its fee and the indexes of its
/// items, in order.
pub fn joint_groups<'a, T>(
    items: &'a [T],
    fee_and_due: impl Fn(&'a T) -> Option<(&'a JointFee, NaiveDate)>,
) -> Vec<(JointFee, Vec<usize>)> {
    let mut groups: BTreeMap<(String, NaiveDate), (JointFee, Vec<usize>)> = BTreeMap::new();
    for (index, item) in items.iter().enumerate() {
        if let Some((joint, due_on)) = fee_and_due(item) {
            groups.entry((joint.group.clone(), due_on)).or_insert_with(|| (joint.clone(), Vec::new())).1.push(index);
        }
    }
    groups.into_values().filter(|(joint, members)| members.len() >= joint.min_credentials as usize).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_add_up_to_the_fee() {
        let joint = JointFee { group: "NCSF".into(), fee: Cents(10000), min_credentials: 2 };
        assert_eq!(joint.shares(2), vec![Cents(5000), Cents(5000)]);
        assert_eq!(joint.shares(3), vec![Cents(3334), Cents(3333), Cents(3333)]);
    }

    #[test]
    fn only_enough_credentials_due_together_form_a_group() {
        let joint = JointFee { group: "NCSF".into(), fee: Cents(10000), min_credentials: 2 };
        let day = |d: &str| d.parse::<NaiveDate>().unwrap();
        let items = [Some("2027-03-31"), None, Some("2027-03-31"), Some("2027-04-30")];
        let groups = joint_groups(&items, |item| item.map(|due| (&joint, day(due))));
        assert_eq!(groups.len(), 1);
        assert_eq!(groups[0].1, vec![0, 2]);
    }
}
