use super::*;
use crate::activity::ValidActivity;
use crate::amount::{Cents, Hours, Units};
use crate::catalog::Catalog;
use crate::credential::CredentialForm;
use crate::test_support::d;

fn now() -> DateTime<Utc> {
    "2026-11-23T09:00:00Z".parse().unwrap()
}

fn form(preset: &str, earned: &str) -> CredentialForm {
    CredentialForm { preset: Some(preset.into()), earned_on: earned.into(), ..Default::default() }
}

#[test]
fn credential_round_trip_keeps_every_rule() {
    let mut store = Store::open_in_memory().unwrap();
    for preset in Catalog::builtin().presets() {
        let mut form = form(&preset.id, "2025-02-03");
        if preset.cycle.is_none() {
            form.fields.expires = Some("2027-02-03".into());
        }
        let credential = form.to_credential(Catalog::builtin(), d("2026-11-23")).unwrap();
        let id = store.write(|tx| tx.insert_credential(&credential, &[], now())).unwrap();
        assert_eq!(store.credential(id).unwrap(), Credential { id, ..credential }, "{}", preset.id);
    }
    assert_eq!(store.credentials().unwrap().len(), Catalog::builtin().presets().len());
}

#[test]
fn missing_ids_are_not_found() {
    let mut store = Store::open_in_memory().unwrap();
    assert_eq!(store.credential(42).unwrap_err().code(), "not_found");
    assert_eq!(store.write(|tx| tx.delete_credential(42)).unwrap_err().code(), "not_found");
    assert_eq!(store.activity(7).unwrap_err().code(), "not_found");
}

#[test]
fn a_newer_database_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DATABASE_FILE);
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE future (x); PRAGMA user_version = 99;").unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let error = Store::open(&path, now(), Access::Create).map(|(store, _)| store).err().unwrap();
    assert_eq!(error.code(), "newer_database");
    assert!(error.to_string().contains("newer version of Recert"), "{error}");
    assert_eq!(std::fs::read(&path).unwrap(), before, "the file is byte-for-byte unchanged");
    assert!(!dir.path().join("backups").exists());
}

#[test]
fn an_older_schema_is_backed_up_then_migrated_with_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DATABASE_FILE);
    {
        // A version-1 database as the first release wrote it.
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(migrate::MIGRATIONS[0].1).unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        let rules = serde_json::to_string(&Catalog::builtin().preset("acsm-cpt").unwrap().rules()).unwrap();
        conn.execute(
            "INSERT INTO credentials (kind, body, body_short, name, abbreviation, earned_on, cycle_start, cycle_end,
                                      rules, created_at)
             VALUES ('credential', 'American College of Sports Medicine', 'ACSM', 'ACSM Certified Personal Trainer',
                     'ACSM-CPT', '2024-03-01', '2024-03-01', '2027-12-31', ?1, '2026-01-01T00:00:00Z')",
            [rules],
        )
        .unwrap();
    }
    let store = Store::open(&path, now(), Access::Create).map(|(store, _)| store).unwrap();
    assert_eq!(store.schema_version().unwrap(), migrate::latest_version());
    let credentials = store.credentials().unwrap();
    assert_eq!(credentials.len(), 1);
    assert_eq!(credentials[0].abbreviation, "ACSM-CPT");
    let backups: Vec<_> = std::fs::read_dir(dir.path().join("backups")).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(backups.len(), 1);
    let name = backups[0].file_name().unwrap().to_string_lossy().into_owned();
    assert_eq!(name, "recert-v1-before-migration-20261123T090000Z.sqlite3");
    let copy = Connection::open(&backups[0]).unwrap();
    assert_eq!(migrate::schema_version(&copy).unwrap(), 1, "the backup is the old database");
    let count: i64 = copy.query_row("SELECT COUNT(*) FROM credentials", [], |r| r.get(0)).unwrap();
    assert_eq!(count, 1);
}

/// Stamps stored before migration 0012 (as plain signed integers) read back as the same stamps,
/// and still the same order, once the migration has flipped their top bit.
#[test]
fn sync_stamps_stored_before_version_12_read_back_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DATABASE_FILE);
    let (older, newer) = (0x6f00_0000_0000_0001_u64, 0x6f00_0000_0001_0000_u64);
    {
        let mut conn = Connection::open(&path).unwrap();
        let tx = conn.transaction().unwrap();
        for (_name, sql) in &migrate::MIGRATIONS[..11] {
            tx.execute_batch(sql).unwrap();
        }
        tx.pragma_update(None, "user_version", 11).unwrap();
        tx.execute(
            "UPDATE sync_device SET folder = '/shared', last_hlc = ?1, exported_hlc = ?2",
            [newer as i64, older as i64],
        )
        .unwrap();
        for (key, hlc) in [("a", older), ("b", newer)] {
            tx.execute(
                "INSERT INTO sync_fields (tbl, row_key, col, value, hlc, device) VALUES ('credentials', ?1, 'name', 'N', ?2,
                 (SELECT device FROM sync_device))",
                rusqlite::params![key, hlc as i64],
            )
            .unwrap();
        }
        tx.execute("INSERT INTO sync_peers (device, name, last_hlc) VALUES ('other', 'Laptop', ?1)", [newer as i64])
            .unwrap();
        tx.commit().unwrap();
    }
    let store = Store::open(&path, now(), Access::Create).map(|(store, _)| store).unwrap();
    let device = store.sync_device().unwrap();
    assert_eq!((device.last_hlc, device.exported_hlc), (newer, older));
    let stamps: Vec<u64> = store.sync_snapshot().unwrap().iter().map(|change| change.hlc).collect();
    assert_eq!(stamps, [older, newer]);
    let outgoing: Vec<String> = store.sync_outgoing().unwrap().into_iter().map(|change| change.key).collect();
    assert_eq!(outgoing, ["b"], "only the change after the last one written out");
    assert_eq!(store.sync_peers().unwrap()[0].last_hlc, newer);
}

#[test]
fn a_fresh_database_needs_no_backup() {
    let dir = tempfile::tempdir().unwrap();
    Store::open(&dir.path().join(DATABASE_FILE), now(), Access::Create).map(|(store, _)| store).unwrap();
    assert!(!dir.path().join("backups").exists());
}

#[test]
fn cycle_totals_count_only_the_current_cycle() {
    let mut store = Store::open_in_memory().unwrap();
    let cscs = form("nsca-cscs", "2019-01-01").to_credential(Catalog::builtin(), d("2026-11-23")).unwrap();
    let id = store.write(|tx| tx.insert_credential(&cscs, &[], now())).unwrap();
    let activity = |day: &str, cost: i64| ValidActivity {
        title: "Workshop".into(),
        provider: None,
        completed_on: d(day),
        hours: Hours(600),
        cost: Cents(cost),
        categories: vec![],
        notes: None,
        overrides: vec![],
        approvals: Vec::new(),
    };
    let credit = |day: &str, units: i64, category: &str| Credit {
        activity_id: 0,
        credential_id: id,
        completed_on: d(day),
        units: Units(units),
        category: Some(category.into()),
        overridden: false,
        late_for_cycle_end: None,
        standing: Default::default(),
    };
    store
        .write(|tx| tx.insert_activity(&activity("2023-06-01", 100), None, &[credit("2023-06-01", 60, "A")], now()))
        .unwrap();
    store
        .write(|tx| tx.insert_activity(&activity("2024-06-01", 2000), None, &[credit("2024-06-01", 60, "A")], now()))
        .unwrap();
    store
        .write(|tx| tx.insert_activity(&activity("2026-06-01", 3000), None, &[credit("2026-06-01", 40, "B")], now()))
        .unwrap();
    let totals = store.current_cycle_totals().unwrap().remove(&id).unwrap();
    let mut by_category = totals.by_category.clone();
    by_category.sort();
    assert_eq!(by_category, vec![(Some("A".into()), Units(60)), (Some("B".into()), Units(40))]);
    assert_eq!(totals.course_costs, Cents(5000));
    assert_eq!(totals.activity_count, 2);
}

#[test]
fn removing_a_credential_keeps_the_activities() {
    let mut store = Store::open_in_memory().unwrap();
    let cscs = form("nsca-cscs", "2019-01-01").to_credential(Catalog::builtin(), d("2026-11-23")).unwrap();
    let id = store.write(|tx| tx.insert_credential(&cscs, &[], now())).unwrap();
    let activity = ValidActivity {
        title: "Workshop".into(),
        provider: None,
        completed_on: d("2026-01-01"),
        hours: Hours(100),
        cost: Cents(0),
        categories: vec!["A".into()],
        notes: None,
        overrides: vec![],
        approvals: Vec::new(),
    };
    let credit = Credit {
        activity_id: 0,
        credential_id: id,
        completed_on: d("2026-01-01"),
        units: Units(10),
        category: None,
        overridden: false,
        late_for_cycle_end: None,
        standing: Default::default(),
    };
    let activity_id = store.write(|tx| tx.insert_activity(&activity, None, &[credit], now())).unwrap();
    store.write(|tx| tx.delete_credential(id)).unwrap();
    assert!(store.credits_for_activity(activity_id).unwrap().is_empty());
    assert_eq!(store.activity(activity_id).unwrap().categories, vec!["A".to_string()]);
}

#[test]
fn settings_round_trip() {
    let mut store = Store::open_in_memory().unwrap();
    assert_eq!(store.setting("lead_days").unwrap(), None);
    store.write(|tx| tx.set_setting("lead_days", "90,30")).unwrap();
    store.write(|tx| tx.set_setting("lead_days", "60")).unwrap();
    assert_eq!(store.setting("lead_days").unwrap().as_deref(), Some("60"));
}

/// The store sums what counts toward a current cycle in SQL (`COUNTS_IN_CURRENT_CYCLE`) and the
/// rules ask the same in Rust (`Credit::counts_in`): both over the same cases, the dates at the
/// cycle's edges, the late window and every standing.
#[test]
fn what_counts_in_sql_is_what_counts_in_rust() {
    use crate::activity::Standing;
    let mut store = Store::open_in_memory().unwrap();
    let cscs = form("nsca-cscs", "2019-01-01").to_credential(Catalog::builtin(), d("2026-11-23")).unwrap();
    let id = store.write(|tx| tx.insert_credential(&cscs, &[], now())).unwrap();
    let cycle = store.credential(id).unwrap().cycle;
    assert_eq!((cycle.start, cycle.end), (d("2024-01-01"), d("2026-12-31")));
    let cases: Vec<(&str, Option<&str>, Standing)> = vec![
        ("2023-12-31", None, Standing::Counted),
        ("2024-01-01", None, Standing::Counted),
        ("2026-12-31", None, Standing::Counted),
        ("2027-01-01", None, Standing::Counted),
        ("2027-02-01", Some("2026-12-31"), Standing::Counted),
        ("2027-02-01", Some("2023-12-31"), Standing::Counted),
        ("2025-06-01", None, Standing::Pending),
        ("2025-06-01", None, Standing::Refused),
        ("2027-02-01", Some("2026-12-31"), Standing::Pending),
    ];
    for (index, (day, late_for, standing)) in cases.iter().enumerate() {
        let activity = ValidActivity {
            title: format!("Case {index}"),
            provider: None,
            completed_on: d(day),
            hours: Hours(100),
            cost: Cents(0),
            categories: vec![],
            notes: None,
            overrides: vec![],
            approvals: vec![],
        };
        // A unit of its own per case (1, 2, 4, …): the sum says which cases counted.
        let credit = Credit {
            activity_id: 0,
            credential_id: id,
            completed_on: d(day),
            units: Units(1 << index),
            category: None,
            overridden: false,
            late_for_cycle_end: late_for.map(d),
            standing: *standing,
        };
        store.write(|tx| tx.insert_activity(&activity, None, &[credit], now())).unwrap();
    }
    let in_rust: i64 =
        store.credits_for_credential(id).unwrap().iter().filter(|c| c.counts_in(cycle)).map(|c| c.units.0).sum();
    let in_sql = |totals: HashMap<i64, crate::progress::CycleTotals>| -> i64 {
        totals.get(&id).map_or(0, |t| t.by_category.iter().map(|(_, units)| units.0).sum())
    };
    assert_eq!(in_rust, 0b000010110, "hand-checked: the cycle's first and last day, and the late window");
    assert_eq!(in_sql(store.current_cycle_totals_from_ledger().unwrap()), in_rust);
    assert_eq!(in_sql(store.current_cycle_totals().unwrap()), in_rust);
}
