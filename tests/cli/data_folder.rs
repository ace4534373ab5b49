//! The data folder as found: missing (a typo in --data-dir), an empty database beside earlier
//! data, a folder the user may only read.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

use super::{Recert, Run, TODAY};

fn recert_in(dir: &Path, args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_recert"))
        .arg("--data-dir")
        .arg(dir)
        .args(["--today", TODAY])
        .args(args)
        .env_remove("RECERT_DATA_DIR")
        .output()
        .unwrap();
    Run::from(output)
}

const READING: &[&[&str]] = &[
    &["status"],
    &["show", "1"],
    &["activities"],
    &["costs"],
    &["reminders"],
    &["settings"],
    &["remind", "--dry-run"],
    &["remind"],
    &["backup"],
    &["backups"],
    &["calendar", "--out", "/dev/null/recert.ics"],
    &["export-csv", "--out", "/dev/null/recert.csv"],
    &["audit-packet", "1", "--out", "/dev/null/recert.zip"],
    &["import-csv", "/dev/null", "--dry-run"],
];

const CHANGING_WHAT_EXISTS: &[&[&str]] = &[
    &["renew", "1", "--date", "2026-11-01", "--yes"],
    &["edit", "1", "--notes", "x"],
    &["confirm", "1"],
    &["remove", "1"],
    &["remove-activity", "1"],
    &["undo-renewal", "1"],
    &["edit-activity", "1", "--notes", "x"],
    &["import-csv", "/dev/null"],
    &["restore", "/dev/null", "--yes"],
];

#[test]
fn a_missing_data_folder_is_named_and_not_created_by_reading() {
    let parent = tempfile::tempdir().unwrap();
    let typo = parent.path().join("recret");
    for args in READING.iter().chain(CHANGING_WHAT_EXISTS) {
        let run = recert_in(&typo, args);
        assert_eq!(run.code, 2, "recert {args:?}: {}", run.stderr);
        assert_eq!(run.stderr, format!("recert: no Recert data at {}\n", typo.display()), "recert {args:?}");
        assert!(!typo.exists(), "recert {args:?} created the folder");
    }
    // An existing folder without a database is no Recert data either.
    std::fs::create_dir(&typo).unwrap();
    let run = recert_in(&typo, &["status"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("no Recert data at"), "{}", run.stderr);
    assert_eq!(std::fs::read_dir(&typo).unwrap().count(), 0, "nothing was left behind");
}

#[test]
fn commands_that_add_data_create_the_folder_and_say_so() {
    let parent = tempfile::tempdir().unwrap();
    let new = parent.path().join("new");
    let first = recert_in(&new, &["add", "--preset", "ncsf-cpt", "--earned", "2025-03-14"]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert_eq!(first.stderr, format!("recert: created a new Recert data folder at {}\n", new.display()));
    let second = recert_in(&new, &["log", "--title", "T", "--date", "2026-01-01", "--hours", "1"]);
    assert_eq!((second.code, second.stderr.as_str()), (0, ""), "said once");
    let other = parent.path().join("other");
    std::fs::create_dir(&other).unwrap();
    let into_empty = recert_in(&other, &["settings", "--lead-days", "30"]);
    assert_eq!(into_empty.code, 0, "{}", into_empty.stderr);
    assert_eq!(into_empty.stderr, format!("recert: created a new Recert database in {}\n", other.display()));
}

#[test]
fn an_empty_database_beside_earlier_data_is_not_started_afresh() {
    let recert = Recert::new();
    recert.add("ncsf-cpt", "2025-03-14");
    let backup = recert.ok(&["backup"]).stdout;
    let backup_name = backup.trim().rsplit('/').next().unwrap().to_string();
    let database = recert.data_dir().join("recert.sqlite3");
    std::fs::write(&database, b"").unwrap();
    for args in [&["status"][..], &["add", "--preset", "ncsf-cpt", "--earned", "2025-03-14"], &["backup"]] {
        let run = recert.run(args);
        assert_eq!(run.code, 1, "recert {args:?}: {}", run.stderr);
        assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
        assert!(run.stderr.contains("is empty"), "{}", run.stderr);
        assert!(run.stderr.contains(&backup_name), "names the backup to restore: {}", run.stderr);
        assert_eq!(std::fs::metadata(&database).unwrap().len(), 0, "recert {args:?} wrote a new database");
    }
    // Proofs alone show there was data too.
    let proofs_only = tempfile::tempdir().unwrap();
    std::fs::create_dir(proofs_only.path().join("proofs")).unwrap();
    std::fs::write(proofs_only.path().join("recert.sqlite3"), b"").unwrap();
    let run = recert_in(proofs_only.path(), &["add", "--preset", "ncsf-cpt", "--earned", "2025-03-14"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("backups/"), "points to backups/: {}", run.stderr);
}

/// Runs `recert` as an unprivileged user when the tests run as root (root may write anywhere).
fn recert_as_user(dir: &Path, args: &[&str]) -> Run {
    let mut command = if is_root() {
        let mut command = Command::new("setpriv");
        command.args(["--reuid=65534", "--regid=65534", "--clear-groups", env!("CARGO_BIN_EXE_recert")]);
        command
    } else {
        Command::new(env!("CARGO_BIN_EXE_recert"))
    };
    let output = command.arg("--data-dir").arg(dir).args(["--today", TODAY]).args(args).output().unwrap();
    Run::from(output)
}

fn is_root() -> bool {
    std::fs::metadata("/proc/self").is_ok_and(|m| std::os::unix::fs::MetadataExt::uid(&m) == 0)
}

#[test]
fn a_read_only_data_folder_can_still_be_read() {
    let recert = Recert::new();
    recert.add("ncsf-cpt", "2025-03-14");
    recert.ok(&["log", "--title", "Course", "--date", "2026-01-01", "--hours", "2"]);
    let dir = recert.data_dir();
    let database = dir.join("recert.sqlite3");
    let before = std::fs::read(&database).unwrap();
    std::fs::set_permissions(&database, std::fs::Permissions::from_mode(0o444)).unwrap();
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o555)).unwrap();

    let status = recert_as_user(dir, &["status", "--json"]);
    assert_eq!(status.code, 0, "{}", status.stderr);
    assert!(status.stdout.contains("\"units_earned\": 1.0"), "{}", status.stdout);
    for args in [&["activities"][..], &["show", "1"], &["costs"], &["settings"], &["backups"], &["reminders"]] {
        let run = recert_as_user(dir, args);
        assert_eq!((run.code, run.stderr.as_str()), (0, ""), "recert {args:?}");
    }
    let refused = recert_as_user(dir, &["log", "--title", "More", "--date", "2026-01-02", "--hours", "1"]);
    assert_eq!(refused.code, 1, "{}", refused.stderr);
    assert_eq!(
        refused.stderr,
        format!("recert: the data folder {} is read-only: nothing was changed\n", dir.display())
    );
    let backup = recert.data_dir().join("backups").read_dir().unwrap().next().unwrap().unwrap().path();
    let backup = backup.to_str().unwrap();
    for args in [
        &["confirm", "1"][..],
        &["undo-renewal", "1"],
        &["edit-activity", "1", "--notes", "x"],
        &["restore", backup, "--yes"],
    ] {
        let run = recert_as_user(dir, args);
        assert_eq!(run.code, 1, "recert {args:?}: {}", run.stderr);
        assert!(run.stderr.contains("is read-only: nothing was changed"), "recert {args:?}: {}", run.stderr);
    }
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(std::fs::read(&database).unwrap(), before, "the database is unchanged");
    assert!(!dir.join("recert.sqlite3-wal").exists() && !dir.join("recert.sqlite3-shm").exists());
}
