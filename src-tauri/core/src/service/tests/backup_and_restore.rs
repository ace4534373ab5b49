//! Backups, their names and retention, and restoring one.

use super::*;

#[test]
fn backup_now_writes_a_readable_copy() {
    let (_dir, mut recert) = open();
    add(&mut recert, "acsm-cpt", "2024-03-01");
    let path = recert.backup_now(now()).unwrap();
    let copy = Store::open(&path, now(), Access::Create).map(|(store, _)| store).unwrap();
    assert_eq!(copy.credentials().unwrap().len(), 1);
}

#[test]
fn backups_in_the_same_second_get_their_own_names() {
    let (dir, recert) = open();
    let first = recert.backup_now(now()).unwrap();
    let second = recert.backup_now(now()).unwrap();
    let third = recert.backup_now(now()).unwrap();
    assert_eq!(first.file_name().unwrap(), "recert-20261123T090000Z.sqlite3");
    assert_eq!(second.file_name().unwrap(), "recert-20261123T090000Z-2.sqlite3");
    assert_eq!(third.file_name().unwrap(), "recert-20261123T090000Z-3.sqlite3");
    let names: Vec<String> = std::fs::read_dir(dir.path().join("backups"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 3, "no half-written copy is left behind: {names:?}");
}

#[test]
fn backup_change_restore_brings_the_data_back_and_keeps_what_it_replaced() {
    let (dir, mut recert) = open();
    let cscs = add(&mut recert, "nsca-cscs", "2015-06-01");
    let first = recert.backup_now(now()).unwrap();
    let second = recert.backup_now(now()).unwrap();
    assert_ne!(first, second, "two backups in the same second get different names");
    recert.log_activity(&course("6"), now(), d("2026-11-23")).unwrap();
    add(&mut recert, "nasm-cpt", "2025-02-10");

    let asked = recert.restore(&first, false, now()).unwrap_err();
    assert!(
        asked.to_string().contains("(2 credentials, 1 activities) with the backup's (1 credentials, 0 activities)"),
        "{asked}"
    );
    let outcome = recert.restore(&first, true, now()).unwrap();
    assert_eq!((outcome.restored.credentials, outcome.restored.activities), (1, 0));
    assert_eq!(recert.credentials().unwrap().len(), 1, "the change is gone");
    assert!(recert.activities().unwrap().is_empty());
    // What was replaced is in a backup that restores as well.
    let saved = Store::inspect(dir.path(), &outcome.previous_data_saved_to, now()).unwrap();
    assert_eq!((saved.credentials, saved.activities), (2, 1));
    let reopened = Recert::open(dir.path(), now()).unwrap();
    assert_eq!(reopened.credential(cscs.id).unwrap().abbreviation, "CSCS", "another connection sees the restored data");

    // A file that is not a Recert database, or is damaged, is refused and nothing changes.
    let text = dir.path().join("notes.sqlite3");
    std::fs::write(&text, "not a database").unwrap();
    assert!(recert.restore(&text, true, now()).unwrap_err().to_string().contains("is not a Recert database"));
    let newer = dir.path().join("newer.sqlite3");
    std::fs::copy(&first, &newer).unwrap();
    rusqlite::Connection::open(&newer).unwrap().pragma_update(None, "user_version", 99).unwrap();
    assert!(matches!(recert.restore(&newer, true, now()).unwrap_err(), Error::NewerDatabase { .. }));
    assert_eq!(recert.credentials().unwrap().len(), 1);
    let kinds: Vec<BackupKind> = recert.backups().unwrap().iter().map(|b| b.kind).collect();
    assert_eq!(kinds.iter().filter(|k| **k == BackupKind::BeforeRestore).count(), 1, "{kinds:?}");
}

#[test]
fn one_automatic_backup_a_day_and_old_ones_expire() {
    let (dir, mut recert) = open();
    add(&mut recert, "nsca-cscs", "2015-06-01");
    let day = |date: &str| -> DateTime<Utc> { format!("{date}T12:00:00Z").parse().unwrap() };
    assert!(recert.automatic_backup(day("2026-11-01")).unwrap().is_some());
    assert!(recert.automatic_backup(day("2026-11-01")).unwrap().is_none(), "once a day");
    let mut date = d("2026-11-02");
    while date <= d("2026-11-28") {
        recert.automatic_backup(day(&date.to_string())).unwrap();
        date = date.succ_opt().unwrap();
    }
    let daily = recert.backups().unwrap().into_iter().filter(|b| b.kind == BackupKind::Daily).count();
    assert_eq!(daily, 11, "7 days and 4 weeks");
    assert!(dir.path().join("backups").join("recert-auto-20261101.sqlite3").exists(), "the week of Nov 1");
    assert!(!dir.path().join("backups").join("recert-auto-20261102.sqlite3").exists());
}
