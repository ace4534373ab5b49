//! The clock and the merge rule; the property test of three replicas is in tests/replicas.rs.

use super::*;
use chrono::TimeZone;

fn at(seconds: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(1_796_000_000 + seconds, 0).unwrap()
}

#[test]
fn the_clock_moves_forward_even_when_the_physical_clock_does_not() {
    let first = clock::next(0, at(0));
    let second = clock::next(first, at(0));
    let third = clock::next(second, at(-60));
    assert!(first < second && second < third);
    assert!(clock::next(third, at(1)) > third);
    assert_eq!(clock::instant(first), at(0));
}

#[test]
fn a_later_stamp_wins_and_ties_go_to_the_device_id() {
    let a = Stamp { hlc: 10, device: "a" };
    let b = Stamp { hlc: 10, device: "b" };
    assert!(replaces(b, Some(a)));
    assert!(!replaces(a, Some(b)));
    assert!(!replaces(a, Some(a)), "the same change again changes nothing");
    assert!(replaces(Stamp { hlc: 11, device: "a" }, Some(b)));
    assert!(replaces(a, None));
}

#[test]
fn a_stamp_far_ahead_of_this_clock_is_refused() {
    let now = at(0);
    assert!(!clock::too_far_ahead(clock::next(0, at(60)), now));
    assert!(clock::too_far_ahead(clock::next(0, at(24 * 3600)), now));
}

#[test]
fn values_travel_as_plain_json() {
    let change = Change {
        table: "credentials".into(),
        key: "k".into(),
        column: "number".into(),
        value: FieldValue::Text("ABC".into()),
        hlc: 7,
        device: "d".into(),
    };
    let json = serde_json::to_string(&change).unwrap();
    assert!(json.contains("\"value\":\"ABC\""), "{json}");
    assert_eq!(serde_json::from_str::<Change>(&json).unwrap(), change);
    assert_eq!(serde_json::from_str::<FieldValue>("12").unwrap(), FieldValue::Int(12));
    assert_eq!(serde_json::from_str::<FieldValue>("null").unwrap(), FieldValue::Null);
}

mod replicas;
