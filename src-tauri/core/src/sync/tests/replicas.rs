//! Three replicas edit the same data offline (adds, logs, edits, removals, renewals, undo,
//! reminders shown and snoozed, settings) and exchange their changes in batches delivered in random
//! order, some twice, some to the replica that made them. Once every batch has reached every
//! replica, all three hold the same rows (as they travel: uids for ids), the same merged state and
//! the same status.

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use proptest::prelude::*;
use serde_json::Value as Json;

use crate::activity::{ActivityChanges, ActivityForm};
use crate::credential::{CredentialChanges, CredentialForm, CredentialText};
use crate::service::RenewalForm;
use crate::store::Read;
use crate::sync::Change;
use crate::Recert;

const PRESETS: &[&str] = &["nasm-cpt", "ace-cpt", "nsca-cscs", "cpr-aed-aha"];

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 6).unwrap()
}

#[derive(Debug, Clone)]
enum Op {
    AddCredential { preset: usize, earned_days_ago: u16 },
    Log { title: u8, hours: u8, days_ago: u8 },
    EditActivity { pick: usize, title: Option<u8>, hours: Option<u8> },
    RemoveActivity { pick: usize },
    EditCredential { pick: usize, number: Option<u8>, notes: Option<u8>, name: Option<u8>, rules: Option<bool> },
    RemoveCredential { pick: usize },
    Renew { pick: usize },
    UndoRenewal { pick: usize },
    LeadTimes { which: bool },
    Remind,
    Snooze { pick: usize, days: u8 },
}

#[derive(Debug, Clone)]
enum Step {
    Do {
        replica: usize,
        op: Op,
    },
    /// The replica writes its new changes out as a batch.
    Publish {
        replica: usize,
    },
    /// A batch (by index, modulo how many there are) reaches a replica.
    Deliver {
        batch: usize,
        replica: usize,
    },
}

fn op() -> impl Strategy<Value = Op> {
    let pick = any::<usize>();
    prop_oneof![
        3 => (0..PRESETS.len(), 0u16..1500).prop_map(|(preset, earned_days_ago)| Op::AddCredential { preset, earned_days_ago }),
        5 => (any::<u8>(), 1u8..12, 0u8..200).prop_map(|(title, hours, days_ago)| Op::Log { title, hours, days_ago }),
        2 => (pick, proptest::option::of(any::<u8>()), proptest::option::of(1u8..12))
            .prop_map(|(pick, title, hours)| Op::EditActivity { pick, title, hours }),
        1 => pick.prop_map(|pick| Op::RemoveActivity { pick }),
        2 => (
            pick,
            proptest::option::of(any::<u8>()),
            proptest::option::of(any::<u8>()),
            proptest::option::of(any::<u8>()),
            proptest::option::of(any::<bool>())
        )
            .prop_map(|(pick, number, notes, name, rules)| Op::EditCredential { pick, number, notes, name, rules }),
        1 => pick.prop_map(|pick| Op::RemoveCredential { pick }),
        2 => pick.prop_map(|pick| Op::Renew { pick }),
        1 => pick.prop_map(|pick| Op::UndoRenewal { pick }),
        1 => any::<bool>().prop_map(|which| Op::LeadTimes { which }),
        2 => Just(Op::Remind),
        2 => (pick, 1u8..30).prop_map(|(pick, days)| Op::Snooze { pick, days }),
    ]
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        6 => (0..3usize, op()).prop_map(|(replica, op)| Step::Do { replica, op }),
        2 => (0..3usize).prop_map(|replica| Step::Publish { replica }),
        3 => (any::<usize>(), 0..3usize).prop_map(|(batch, replica)| Step::Deliver { batch, replica }),
    ]
}

struct Replica {
    recert: Recert,
    _dir: tempfile::TempDir,
}

fn replica(name: &str) -> Replica {
    let dir = tempfile::tempdir().unwrap();
    let mut recert = Recert::open(dir.path(), Utc::now()).unwrap();
    recert.store_mut().write(|tx| tx.set_sync_folder(Some("/shared"), Some(name))).unwrap();
    Replica { recert, _dir: dir }
}

/// Changes of a credential's text fields only.
fn text(fields: CredentialText) -> CredentialChanges {
    CredentialChanges { fields, ..Default::default() }
}

fn nth<T: Clone>(items: &[T], pick: usize) -> Option<T> {
    (!items.is_empty()).then(|| items[pick % items.len()].clone())
}

/// Runs one edit; a refusal (a rule the random edit breaks) changes nothing, as for a user.
fn run(recert: &mut Recert, op: &Op) {
    let now = Utc::now();
    let today = today();
    let credentials: Vec<i64> = recert.credentials().unwrap().iter().map(|c| c.id).collect();
    let activities: Vec<i64> = recert.store().activities().unwrap().iter().map(|a| a.id).collect();
    let _ = match op {
        Op::AddCredential { preset, earned_days_ago } => {
            let earned = today - chrono::Duration::days(i64::from(*earned_days_ago));
            let form = CredentialForm {
                preset: Some(PRESETS[*preset].into()),
                earned_on: earned.to_string(),
                ..Default::default()
            };
            recert.add_credential(&form, now, today).map(drop)
        }
        Op::Log { title, hours, days_ago } => {
            let form = ActivityForm {
                title: format!("Course {title}"),
                completed_on: (today - chrono::Duration::days(i64::from(*days_ago))).to_string(),
                hours: hours.to_string(),
                ..Default::default()
            };
            recert.log_activity(&form, now, today).map(drop)
        }
        Op::EditActivity { pick, title, hours } => match nth(&activities, *pick) {
            Some(id) => {
                let changes = ActivityChanges {
                    title: title.map(|t| format!("Edited {t}")),
                    hours: hours.map(|h| h.to_string()),
                    ..Default::default()
                };
                recert.edit_activity(id, &changes, today).map(drop)
            }
            None => Ok(()),
        },
        Op::RemoveActivity { pick } => match nth(&activities, *pick) {
            Some(id) => recert.delete_activity(id).map(drop),
            None => Ok(()),
        },
        Op::EditCredential { pick, number, notes, name, rules } => match nth(&credentials, *pick) {
            Some(id) => {
                let fields = CredentialText {
                    number: number.map(|n| format!("N-{n}")),
                    notes: notes.map(|n| format!("note {n}")),
                    name: name.map(|n| format!("Name {n}")),
                    // A rule change: every credit of the current cycle is worked out again.
                    hours_per_unit: rules.map(|r| if r { "5" } else { "10" }.to_string()),
                    ..Default::default()
                };
                let changes = CredentialChanges { fields, ..Default::default() };
                recert.edit_credential(id, &changes, now, today).map(drop)
            }
            None => Ok(()),
        },
        Op::RemoveCredential { pick } => match nth(&credentials, *pick) {
            Some(id) => recert.remove_credential(id, true).map(drop),
            None => Ok(()),
        },
        Op::Renew { pick } => match nth(&credentials, *pick) {
            Some(id) => {
                let form = RenewalForm { date: today.to_string(), confirmed: true, ..Default::default() };
                recert.renew(id, &form, today).map(drop)
            }
            None => Ok(()),
        },
        Op::UndoRenewal { pick } => match nth(&credentials, *pick) {
            Some(id) => recert.undo_renewal(id).map(drop),
            None => Ok(()),
        },
        Op::LeadTimes { which } => recert.set_lead_times(if *which { "30,7" } else { "60,14,1" }).map(drop),
        Op::Remind => recert
            .claim_due_reminders(today, now, |_| true)
            .and_then(|due| due.iter().try_for_each(|reminder| recert.record_reminder(reminder, None, now))),
        Op::Snooze { pick, days } => {
            let keys: Vec<String> = recert.reminder_log(100, today).unwrap().into_iter().map(|r| r.key).collect();
            match nth(&keys, *pick) {
                Some(key) => recert.snooze_reminder(&key, u32::from(*days), today).map(drop),
                None => Ok(()),
            }
        }
    };
}

fn publish(recert: &mut Recert) -> Option<Vec<Change>> {
    publish_at(recert, Utc::now())
}

fn publish_at(recert: &mut Recert, now: DateTime<Utc>) -> Option<Vec<Change>> {
    recert
        .store_mut()
        .write(|tx| {
            tx.stamp_local_changes(now)?;
            let batch = tx.sync_outgoing()?;
            if let Some(last) = batch.iter().map(|c| c.hlc).max() {
                tx.mark_exported(last, "/shared")?;
            }
            Ok((!batch.is_empty()).then_some(batch))
        })
        .unwrap()
}

fn deliver(recert: &mut Recert, batch: &[Change]) {
    let applied = recert.store_mut().write(|tx| crate::service::apply_remote(tx, batch, Utc::now())).unwrap();
    assert!(applied.ahead.is_empty());
}

/// Status as `status --json` shows it, without the local ids (each replica numbers its own rows).
fn status(recert: &Recert) -> Vec<String> {
    fn strip(value: &mut Json) {
        match value {
            Json::Object(map) => {
                map.retain(|key, _| key != "id" && !key.ends_with("_id") && key != "credential");
                map.values_mut().for_each(strip);
            }
            Json::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let mut reports: Vec<String> = recert
        .status(today())
        .unwrap()
        .into_iter()
        .map(|report| {
            let mut json = serde_json::to_value(crate::view::StatusView::from(&report)).unwrap();
            strip(&mut json);
            json.to_string()
        })
        .collect();
    reports.sort();
    reports
}

fn snapshot_set(recert: &Recert) -> BTreeSet<String> {
    recert.store().sync_snapshot().unwrap().iter().map(|c| serde_json::to_string(c).unwrap()).collect()
}

fn converge(replicas: &mut [Replica], batches: &mut Vec<Vec<Change>>, order: &[usize]) {
    // Everything still unpublished goes out, then every batch reaches every replica; applying can
    // remove rows whose parent was removed (a local consequence, stamped here): repeat until quiet.
    for _round in 0..5 {
        let before = batches.len();
        for replica in replicas.iter_mut() {
            if let Some(batch) = publish(&mut replica.recert) {
                batches.push(batch);
            }
        }
        if before == batches.len() && _round > 0 {
            return;
        }
        for (r, replica) in replicas.iter_mut().enumerate() {
            let n = batches.len();
            for i in 0..n {
                let index = (i + order.get(r).copied().unwrap_or(0)) % n;
                let index = if r % 2 == 1 { n - 1 - index } else { index };
                deliver(&mut replica.recert, &batches[index]);
            }
        }
    }
    panic!("the replicas kept making changes");
}

fn check_same(replicas: &[Replica]) {
    let rows: Vec<_> = replicas.iter().map(|r| r.recert.store().synced_rows().unwrap()).collect();
    for (i, other) in rows.iter().enumerate().skip(1) {
        if rows[0] != *other {
            let a: BTreeSet<_> = rows[0].iter().collect();
            let b: BTreeSet<_> = other.iter().collect();
            panic!(
                "replica 0 and {i} differ:\nonly in 0: {:#?}\nonly in {i}: {:#?}",
                a.difference(&b).collect::<Vec<_>>(),
                b.difference(&a).collect::<Vec<_>>()
            );
        }
    }
    let states: Vec<_> = replicas.iter().map(|r| snapshot_set(&r.recert)).collect();
    assert!(states.iter().all(|s| *s == states[0]), "the merged states differ");
    let statuses: Vec<_> = replicas.iter().map(|r| status(&r.recert)).collect();
    assert!(statuses.iter().all(|s| *s == statuses[0]), "status differs: {statuses:#?}");
    for replica in replicas {
        assert!(replica.recert.store().sync_waiting().unwrap().is_empty(), "rows wait");
        let store = replica.recert.store();
        assert_eq!(store.current_cycle_totals().unwrap(), store.current_cycle_totals_from_ledger().unwrap());
    }
}

proptest! {
    // 24 cases by default; PROPTEST_CASES=500 for a longer run.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(24),
        max_shrink_iters: 200,
        ..ProptestConfig::default()
    })]

    #[test]
    fn three_replicas_converge_whatever_the_order(
        steps in proptest::collection::vec(step(), 10..80),
        order in proptest::collection::vec(0..1000usize, 3),
    ) {
        let mut replicas: Vec<Replica> = ["laptop", "home", "gym"].iter().map(|name| replica(name)).collect();
        // One shared credential to start with, as after a first sync.
        run(&mut replicas[0].recert, &Op::AddCredential { preset: 0, earned_days_ago: 400 });
        let mut batches: Vec<Vec<Change>> = Vec::new();
        if let Some(batch) = publish(&mut replicas[0].recert) {
            batches.push(batch);
        }
        for replica in &mut replicas[1..] {
            deliver(&mut replica.recert, &batches[0]);
        }
        for step in &steps {
            match step {
                Step::Do { replica, op } => run(&mut replicas[*replica].recert, op),
                Step::Publish { replica } => {
                    if let Some(batch) = publish(&mut replicas[*replica].recert) {
                        batches.push(batch);
                    }
                }
                Step::Deliver { batch, replica } => {
                    if !batches.is_empty() {
                        let batch = batches[batch % batches.len()].clone();
                        deliver(&mut replicas[*replica].recert, &batch);
                    }
                }
            }
        }
        converge(&mut replicas, &mut batches, &order);
        check_same(&replicas);
    }
}

/// Row-level "latest wins" would lose an edit here: two computers edit different fields of one
/// credential offline, and the same field too. Per field, each edit survives where it is the
/// latest, on both; the overwritten value is kept for the credential's history.
#[test]
fn edits_of_different_fields_of_one_row_both_survive() {
    let mut replicas: Vec<Replica> = ["laptop", "home"].iter().map(|name| replica(name)).collect();
    run(&mut replicas[0].recert, &Op::AddCredential { preset: 0, earned_days_ago: 400 });
    let first = publish(&mut replicas[0].recert).unwrap();
    deliver(&mut replicas[1].recert, &first);
    let id = |r: &Replica| r.recert.credentials().unwrap()[0].id;
    let edit = |r: &mut Replica, changes: CredentialChanges| {
        let id = id(r);
        r.recert.edit_credential(id, &changes, Utc::now(), today()).unwrap();
    };
    // Home edits the number first, then the laptop the notes and the name, then home the name.
    edit(&mut replicas[1], text(CredentialText { number: Some("HOME-1".into()), ..Default::default() }));
    edit(
        &mut replicas[0],
        text(CredentialText {
            notes: Some("from the laptop".into()),
            name: Some("Laptop name".into()),
            ..Default::default()
        }),
    );
    edit(&mut replicas[1], text(CredentialText { name: Some("Home name".into()), ..Default::default() }));
    let from_laptop = publish(&mut replicas[0].recert).unwrap();
    let from_home = publish(&mut replicas[1].recert).unwrap();
    // Each twice, in opposite orders.
    for batch in [&from_home, &from_laptop, &from_home] {
        deliver(&mut replicas[0].recert, batch);
    }
    for batch in [&from_laptop, &from_home, &from_laptop] {
        deliver(&mut replicas[1].recert, batch);
    }
    for replica in &replicas {
        let credential = &replica.recert.credentials().unwrap()[0];
        assert_eq!(credential.number.as_deref(), Some("HOME-1"));
        assert_eq!(credential.notes.as_deref(), Some("from the laptop"));
        assert_eq!(credential.name, "Home name");
    }
    check_same(&replicas);
    // The laptop's name lost to home's later one: the laptop's history says what home had…
    let laptop = &replicas[0].recert;
    let overwritten = laptop.store().sync_overwritten(id(&replicas[0])).unwrap();
    let name = overwritten.iter().find(|o| o.column == "name").expect("the name's history");
    assert_eq!(name.kept, crate::sync::FieldValue::Text("Home name".into()));
    assert_eq!(name.lost, crate::sync::FieldValue::Text("Laptop name".into()));
}

/// A computer whose clock runs a day ahead cannot win: its change waits until this clock catches
/// up, and says so.
#[test]
fn a_change_stamped_far_ahead_waits() {
    let mut replicas: Vec<Replica> = ["laptop", "home"].iter().map(|name| replica(name)).collect();
    run(&mut replicas[0].recert, &Op::AddCredential { preset: 0, earned_days_ago: 400 });
    let mut batch = publish(&mut replicas[0].recert).unwrap();
    for change in &mut batch {
        change.hlc += uhlc::NTP64::from(std::time::Duration::from_secs(86_400)).0;
    }
    let applied = replicas[1].recert.store_mut().write(|tx| tx.apply_changes(&batch, Utc::now())).unwrap();
    assert_eq!(applied.ahead.len(), batch.len());
    assert!(replicas[1].recert.credentials().unwrap().is_empty());
    // A day later (by the receiving clock) it applies.
    let tomorrow = Utc::now() + chrono::Duration::days(1) + chrono::Duration::minutes(1);
    let applied = replicas[1].recert.store_mut().write(|tx| tx.apply_changes(&batch, tomorrow)).unwrap();
    assert!(applied.ahead.is_empty());
    assert_eq!(replicas[1].recert.credentials().unwrap().len(), 1);
}

/// The clock's seconds fill 32 bits of its 64: from January 19, 2038 the top bit is set. Stamps
/// of both sides of that day must still sort by time where SQLite compares them (what is still to
/// send, the latest stamp seen); stored as they were, a 2038 change was never sent.
#[test]
fn changes_made_after_january_2038_are_still_sent_and_win() {
    fn before() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2038, 1, 18, 12, 0, 0).unwrap()
    }
    fn after() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2038, 1, 20, 12, 0, 0).unwrap()
    }
    let mut replicas: Vec<Replica> = ["laptop", "home"].iter().map(|name| replica(name)).collect();
    replicas[0].recert.store_mut().set_clock(before);
    run(&mut replicas[0].recert, &Op::AddCredential { preset: 0, earned_days_ago: 400 });
    let first = publish_at(&mut replicas[0].recert, before()).unwrap();
    replicas[1].recert.store_mut().write(|tx| tx.apply_changes(&first, before())).unwrap();
    replicas[0].recert.store_mut().set_clock(after);
    let id = replicas[0].recert.credentials().unwrap()[0].id;
    let renamed = text(CredentialText { name: Some("Renamed in 2038".into()), ..Default::default() });
    replicas[0].recert.edit_credential(id, &renamed, after(), today()).unwrap();
    let second = publish_at(&mut replicas[0].recert, after()).expect("the 2038 change is sent");
    assert!(second.iter().all(|change| change.hlc > first[0].hlc), "{second:?}");
    let applied = replicas[1].recert.store_mut().write(|tx| tx.apply_changes(&second, after())).unwrap();
    assert!(applied.ahead.is_empty());
    assert_eq!(replicas[1].recert.credentials().unwrap()[0].name, "Renamed in 2038");
    assert_eq!(publish_at(&mut replicas[0].recert, after()), None, "sent once");
    let device = replicas[1].recert.store().sync_device().unwrap();
    assert!(device.last_hlc >= second[0].hlc, "the receiving clock moves past the latest stamp seen");
}

/// A course logged on one computer while the other changed the credential's rules: after the
/// merge both credit it by the new rules, as if it had been logged after the change.
#[test]
fn a_rules_change_on_one_computer_recredits_a_course_logged_on_the_other() {
    let mut replicas: Vec<Replica> = ["laptop", "home"].iter().map(|name| replica(name)).collect();
    let form = CredentialForm { preset: Some("ace-cpt".into()), earned_on: "2025-01-15".into(), ..Default::default() };
    replicas[0].recert.add_credential(&form, Utc::now(), today()).unwrap();
    let first = publish(&mut replicas[0].recert).unwrap();
    deliver(&mut replicas[1].recert, &first);
    let units = |r: &Replica| -> Vec<i64> {
        let activities = r.recert.store().activities().unwrap();
        activities
            .iter()
            .flat_map(|a| r.recert.store().credits_for_activity(a.id).unwrap())
            .map(|c| c.units.0)
            .collect()
    };
    // Home logs 4 hours; the laptop meanwhile halves the hours per unit.
    run(&mut replicas[1].recert, &Op::Log { title: 1, hours: 4, days_ago: 30 });
    let before = units(&replicas[1]);
    let id = replicas[0].recert.credentials().unwrap()[0].id;
    let changes = text(CredentialText { hours_per_unit: Some("5".into()), ..Default::default() });
    replicas[0].recert.edit_credential(id, &changes, Utc::now(), today()).unwrap();
    let mut batches = Vec::new();
    converge(&mut replicas, &mut batches, &[0, 1]);
    check_same(&replicas);
    let after = units(&replicas[0]);
    assert_eq!((before.len(), after.len()), (1, 1));
    // What 4 hours earn under the new rules, logged now on the laptop.
    run(&mut replicas[0].recert, &Op::Log { title: 2, hours: 4, days_ago: 30 });
    let all = units(&replicas[0]);
    assert_eq!(all, vec![after[0], after[0]], "the merged course counts as one logged now");
    assert_ne!(after[0], before[0], "credited by the new rules: {before:?} -> {after:?}");
}
