//! The doors data goes out and comes in by: files written with `--out`, the calendar file kept up
//! to date, backups restored. Each test here reproduces a loss the reliability probe found
//! (issue 18).

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use super::{Recert, Run};

fn with_course(recert: &Recert) {
    recert.add("nsca-cscs", "2015-06-01");
    recert.ok(&["log", "--title", "Clinic", "--date", "2026-05-01", "--hours", "8"]);
}

/// Runs `recert ARGS`, killed after `limit`: `None` when it had not ended by then (a hang).
fn run_within(recert: &Recert, args: &[&str], limit: Duration) -> Option<Run> {
    let mut child = recert
        .command(super::TODAY, args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while started.elapsed() < limit {
        if child.try_wait().unwrap().is_some() {
            return Some(Run::from(child.wait_with_output().unwrap()));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
    None
}

fn mkfifo(path: &Path) {
    let c_path = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);
}

fn out_commands(out: &str) -> Vec<Vec<String>> {
    [vec!["export-csv", "--out", out], vec!["calendar", "--out", out], vec!["audit-packet", "1", "--out", out]]
        .into_iter()
        .map(|args| args.into_iter().map(String::from).collect())
        .collect()
}

fn strs(args: &[String]) -> Vec<&str> {
    args.iter().map(String::as_str).collect()
}

#[test]
fn out_never_replaces_the_database_or_anything_recert_keeps() {
    let recert = Recert::new();
    with_course(&recert);
    recert.ok(&["backup"]);
    let database = recert.data_dir().join("recert.sqlite3");
    let backup = recert.ok(&["backups", "--json"]).json()[0]["path"].as_str().unwrap().to_string();
    let targets = [
        database.clone(),
        recert.data_dir().join("recert.sqlite3-wal"),
        PathBuf::from(&backup),
        recert.data_dir().join("backups").join("new.zip"),
        recert.data_dir().join("proofs").join("new.ics"),
    ];
    for target in &targets {
        for args in out_commands(target.to_str().unwrap()) {
            let before = recert.dump();
            let backup_bytes = std::fs::read(&backup).unwrap();
            let run = recert.run(&strs(&args));
            assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
            assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
            assert!(run.stderr.contains("Recert's own"), "{args:?}: {}", run.stderr);
            assert_eq!(recert.dump(), before, "{args:?}");
            assert_eq!(std::fs::read(&backup).unwrap(), backup_bytes, "{args:?}");
        }
    }
    recert.ok(&["status"]);
}

#[test]
fn out_refuses_a_fifo_a_device_and_a_folder_and_replaces_a_file_only_with_force() {
    let recert = Recert::new();
    with_course(&recert);
    let outside = tempfile::tempdir().unwrap();
    let fifo = outside.path().join("pipe.csv");
    mkfifo(&fifo);
    let existing = outside.path().join("mine.csv");
    for args in out_commands(fifo.to_str().unwrap())
        .into_iter()
        .chain(out_commands(outside.path().to_str().unwrap()))
        .chain(out_commands("/dev/null"))
    {
        let run = run_within(&recert, &strs(&args), Duration::from_secs(20)).expect("no hang on a FIFO");
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains("not a regular file") || run.stderr.contains("is a folder"), "{}", run.stderr);
    }
    assert!(std::fs::symlink_metadata("/dev/null").unwrap().file_type().is_char_device_like());
    assert!(std::fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo_like());
    for args in out_commands(existing.to_str().unwrap()) {
        std::fs::write(&existing, "my own file").unwrap();
        let run = recert.run(&strs(&args));
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains("--force"), "{}", run.stderr);
        assert_eq!(std::fs::read_to_string(&existing).unwrap(), "my own file", "{args:?}");
        let mut forced = strs(&args);
        forced.push("--force");
        recert.ok(&forced);
        assert_ne!(std::fs::read_to_string(&existing).unwrap_or_default(), "my own file", "{args:?}");
    }
    let names: Vec<_> = std::fs::read_dir(outside.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names.len(), 2, "no temporary file left: {names:?}");
}

trait FileTypeLike {
    fn is_char_device_like(&self) -> bool;
    fn is_fifo_like(&self) -> bool;
}

impl FileTypeLike for std::fs::FileType {
    fn is_char_device_like(&self) -> bool {
        std::os::unix::fs::FileTypeExt::is_char_device(self)
    }
    fn is_fifo_like(&self) -> bool {
        std::os::unix::fs::FileTypeExt::is_fifo(self)
    }
}

#[test]
fn out_dash_writes_to_standard_output() {
    let recert = Recert::new();
    with_course(&recert);
    let csv = recert.ok(&["export-csv", "--out", "-"]);
    assert!(csv.stdout.contains("Clinic"), "{}", csv.stdout);
    let ics = recert.ok(&["calendar", "--out", "-"]);
    assert!(ics.stdout.starts_with("BEGIN:VCALENDAR"), "{}", ics.stdout);
    let zip = recert.command(super::TODAY, &["audit-packet", "1", "--out", "-"]).output().unwrap();
    assert!(zip.status.success(), "{}", String::from_utf8_lossy(&zip.stderr));
    assert!(zip.stdout.starts_with(b"PK"), "a zip on standard output");
    assert!(!Path::new("-").exists());
}

#[test]
fn a_link_planted_at_the_temporary_name_is_never_followed() {
    let recert = Recert::new();
    with_course(&recert);
    let outside = tempfile::tempdir().unwrap();
    let victim = outside.path().join("victim.txt");
    std::fs::write(&victim, "precious").unwrap();
    for name in ["deadlines.ics", "ledger.csv", "audit.zip"] {
        std::os::unix::fs::symlink(&victim, outside.path().join(format!(".{name}.partial"))).unwrap();
    }
    let out = |name: &str| outside.path().join(name).to_str().unwrap().to_string();
    recert.ok(&["calendar", "--out", &out("deadlines.ics")]);
    recert.ok(&["export-csv", "--out", &out("ledger.csv")]);
    recert.ok(&["audit-packet", "1", "--out", &out("audit.zip")]);
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    assert!(std::fs::read_to_string(out("deadlines.ics")).unwrap().starts_with("BEGIN:VCALENDAR"));
}

#[test]
fn packets_written_at_once_to_one_path_are_each_whole() {
    let recert = Recert::new();
    recert.add("nsca-cscs", "2015-06-01");
    let outside = tempfile::tempdir().unwrap();
    let proof = outside.path().join("scan.pdf");
    let noise: Vec<u8> = (0..8u32 << 20).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    std::fs::write(&proof, &noise).unwrap();
    log_with_proof(&recert, "A", &proof);
    let packet = outside.path().join("audit.zip");
    for _ in 0..3 {
        let children: Vec<_> = (0..4)
            .map(|_| {
                recert
                    .command(super::TODAY, &["audit-packet", "1", "--out", packet.to_str().unwrap(), "--force"])
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for child in children {
            let output = child.wait_with_output().unwrap();
            assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        }
        let test = std::process::Command::new("python3").args(["-m", "zipfile", "-t"]).arg(&packet).output().unwrap();
        assert!(test.status.success(), "a whole zip: {}", String::from_utf8_lossy(&test.stdout));
        let stdout = String::from_utf8_lossy(&test.stdout);
        assert!(!stdout.contains("Bad CRC"), "{stdout}");
    }
    let names: Vec<_> = std::fs::read_dir(outside.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names.len(), 2, "the proof and the packet, no temporary file: {names:?}");
}

#[test]
fn a_calendar_file_that_is_a_link_is_written_through() {
    let recert = Recert::new();
    let nasm = recert.add("nasm-cpt", "2025-02-10");
    let outside = tempfile::tempdir().unwrap();
    let target = outside.path().join("synced").join("real.ics");
    std::fs::create_dir_all(target.parent().unwrap()).unwrap();
    std::fs::write(&target, "").unwrap();
    let link = outside.path().join("deadlines.ics");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    recert.ok(&["settings", "--calendar-file", link.to_str().unwrap()]);
    recert.ok(&["renew", &nasm.to_string(), "--date", "2026-11-20", "--yes"]);
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "the link is kept");
    let text = std::fs::read_to_string(&target).unwrap();
    assert!(text.contains("UID:recert-1-2029-02-10-deadline@recert.local"), "the target is up to date: {text}");
}

/// The path of the first backup of `kind` (`daily`, `before_restore`) in `recert backups`.
fn backup_of_kind(recert: &Recert, kind: &str) -> String {
    let listed = recert.ok(&["backups", "--json"]).json();
    listed.as_array().unwrap().iter().find(|b| b["kind"] == kind).unwrap()["path"].as_str().unwrap().to_string()
}

fn log_with_proof(recert: &Recert, title: &str, proof: &Path) {
    recert.ok(&["log", "--title", title, "--date", "2026-05-01", "--hours", "8", "--proof", proof.to_str().unwrap()]);
}

#[test]
fn a_proof_survives_going_back_and_forth_between_backups() {
    let recert = Recert::new();
    recert.add("nsca-cscs", "2015-06-01");
    let older = backup_of_kind(&recert, "daily");
    let kept = recert.data_dir().parent().unwrap().join(format!("older-{}.sqlite3", std::process::id()));
    std::fs::copy(&older, &kept).unwrap();
    let outside = tempfile::tempdir().unwrap();
    let proof = outside.path().join("cert.pdf");
    std::fs::write(&proof, b"certificate").unwrap();
    log_with_proof(&recert, "Clinic", &proof);
    recert.ok(&["restore", kept.to_str().unwrap(), "--yes"]);
    recert.ok(&["log", "--title", "Other", "--date", "2026-05-02", "--hours", "1"]);
    let back = backup_of_kind(&recert, "before_restore");
    recert.ok(&["restore", &back, "--yes"]);
    let _ = std::fs::remove_file(&kept);
    let outside_packet = outside.path().join("audit.zip");
    recert.ok(&["audit-packet", "1", "--out", outside_packet.to_str().unwrap()]);
    assert_eq!(recert.proof_files().len(), 1);

    // The same after removing the activity: a kept backup still refers to its proof.
    recert.ok(&["backup"]);
    recert.ok(&["remove-activity", "1"]);
    assert_eq!(recert.proof_files().len(), 1, "a backup still refers to the proof");
}

#[test]
fn retention_ignores_backups_dated_in_the_future() {
    let recert = Recert::new();
    recert.add("nsca-cscs", "2015-06-01");
    let today_file = PathBuf::from(backup_of_kind(&recert, "daily"));
    let dir = today_file.parent().unwrap().to_path_buf();
    let today = chrono::Utc::now().date_naive();
    let name = |day: chrono::NaiveDate| dir.join(format!("recert-auto-{}.sqlite3", day.format("%Y%m%d")));
    let mut real = vec![today_file.clone()];
    for days in 1..=7 {
        let path = name(today - chrono::Days::new(days));
        std::fs::copy(&today_file, &path).unwrap();
        real.push(path);
    }
    for days in 1..=30 {
        std::fs::copy(&today_file, name(today + chrono::Days::new(days))).unwrap();
    }
    recert.ok(&["log", "--title", "Clinic", "--date", "2026-05-01", "--hours", "8"]);
    for path in &real {
        assert!(path.exists(), "{} was removed", path.display());
    }
}

/// A copy of the data folder's database made with SQLite, changed by `sql` (run in the copy).
fn changed_copy(recert: &Recert, name: &str, sql: &str) -> PathBuf {
    let outside = recert.data_dir().parent().unwrap().join(format!("{name}-{}.sqlite3", std::process::id()));
    let _ = std::fs::remove_file(&outside);
    let conn = rusqlite::Connection::open(recert.data_dir().join("recert.sqlite3")).unwrap();
    conn.execute("VACUUM INTO ?1", [outside.to_str().unwrap()]).unwrap();
    drop(conn);
    let copy = rusqlite::Connection::open(&outside).unwrap();
    copy.execute_batch(sql).unwrap();
    outside
}

fn assert_restore_refused(recert: &Recert, file: &Path, expected: &str) {
    let before = recert.dump();
    let backups = recert.ok(&["backups", "--json"]).json();
    let run = run_within(recert, &["restore", file.to_str().unwrap(), "--yes"], Duration::from_secs(20))
        .expect("restore ends");
    assert_eq!(run.code, 2, "{}: {}", file.display(), run.stderr);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(run.stderr.contains(expected), "{}: expected {expected:?}: {}", file.display(), run.stderr);
    assert_eq!(recert.dump(), before, "nothing changed");
    assert_eq!(recert.ok(&["backups", "--json"]).json(), backups, "no stray backup");
}

#[test]
fn restore_refuses_a_schema_that_is_not_exactly_recerts() {
    let recert = Recert::new();
    with_course(&recert);
    let trigger = changed_copy(
        &recert,
        "trigger",
        "CREATE TRIGGER wipe AFTER INSERT ON activities BEGIN DELETE FROM activities WHERE id < NEW.id; END;",
    );
    assert_restore_refused(&recert, &trigger, "not Recert's");
    let view = changed_copy(&recert, "view", "CREATE VIEW v AS SELECT 1;");
    assert_restore_refused(&recert, &view, "not Recert's");
    let column = changed_copy(&recert, "column", "ALTER TABLE activities ADD COLUMN extra TEXT;");
    assert_restore_refused(&recert, &column, "not Recert's");
    let outside = changed_copy(
        &recert,
        "outside",
        "UPDATE activities SET proof_path = '../../etc/passwd', proof_name = 'x', proof_sha256 = 'aa';",
    );
    assert_restore_refused(&recert, &outside, "outside proofs/");
    let totals = changed_copy(&recert, "totals", "UPDATE cycle_totals SET units = units + 500;");
    assert_restore_refused(&recert, &totals, "totals");
    let missing = recert.data_dir().join("no-such-backup.sqlite3");
    assert_restore_refused(&recert, &missing, "not found");
    let fifo = recert.data_dir().parent().unwrap().join(format!("fifo-{}.sqlite3", std::process::id()));
    let _ = std::fs::remove_file(&fifo);
    mkfifo(&fifo);
    assert_restore_refused(&recert, &fifo, "not a regular file");
    for file in [trigger, view, column, outside, totals, fifo] {
        let _ = std::fs::remove_file(file);
    }
}

/// Migration 11 (sync) taken out again: its triggers, uid columns and tables.
const UNDO_SYNC_MIGRATION: &str = "DROP TRIGGER credentials_uid; DROP TRIGGER credentials_sync_insert; DROP TRIGGER \
     credentials_sync_update; DROP TRIGGER credentials_sync_delete; DROP TRIGGER past_cycles_uid; DROP \
     TRIGGER past_cycles_sync_insert; DROP TRIGGER past_cycles_sync_update; DROP TRIGGER \
     past_cycles_sync_delete; DROP TRIGGER activities_uid; DROP TRIGGER activities_sync_insert; DROP \
     TRIGGER activities_sync_update; DROP TRIGGER activities_sync_delete; DROP TRIGGER reminder_log_uid; \
     DROP TRIGGER reminder_log_sync_insert; DROP TRIGGER reminder_log_sync_update; DROP TRIGGER \
     reminder_log_sync_delete; DROP TRIGGER credits_sync_insert; DROP TRIGGER credits_sync_update; DROP \
     TRIGGER credits_sync_delete; DROP TRIGGER activity_categories_sync_insert; DROP TRIGGER \
     activity_categories_sync_update; DROP TRIGGER activity_categories_sync_delete; DROP TRIGGER \
     activity_approvals_sync_insert; DROP TRIGGER activity_approvals_sync_update; DROP TRIGGER \
     activity_approvals_sync_delete; DROP TRIGGER reminder_snoozes_sync_insert; DROP TRIGGER \
     reminder_snoozes_sync_update; DROP TRIGGER reminder_snoozes_sync_delete; DROP TRIGGER \
     settings_sync_insert; DROP TRIGGER settings_sync_update; DROP TRIGGER settings_sync_delete; DROP \
     INDEX credentials_by_uid; ALTER TABLE credentials DROP COLUMN uid; DROP INDEX past_cycles_by_uid; \
     ALTER TABLE past_cycles DROP COLUMN uid; DROP INDEX activities_by_uid; ALTER TABLE activities DROP \
     COLUMN uid; DROP INDEX reminder_log_by_uid; ALTER TABLE reminder_log DROP COLUMN uid; DROP TABLE \
     sync_device; DROP TABLE sync_dirty; DROP TABLE sync_fields; DROP TABLE sync_waiting; DROP TABLE \
     sync_peers; DROP TABLE sync_applied_files; DROP TABLE sync_overwritten;";

#[test]
fn restore_migrates_an_older_backup_and_works_on_a_damaged_or_foreign_folder() {
    let recert = Recert::new();
    with_course(&recert);
    // A backup from Recert 6: the tables, columns and triggers of migrations 7 and later dropped.
    let older = changed_copy(
        &recert,
        "older",
        &format!("{UNDO_SYNC_MIGRATION} DROP TABLE planned_course_approvals; DROP TABLE planned_course_categories; DROP TABLE planned_courses; \
         DROP TABLE activity_approvals; ALTER TABLE credits DROP COLUMN standing; \
         DELETE FROM settings WHERE key = 'catalog_refresh_from'; \
         DROP TABLE catalogs; ALTER TABLE past_cycles DROP COLUMN expiry_was_confirmed; \
         DROP TABLE open_notifications; PRAGMA user_version = 6;"),
    );
    recert.ok(&["restore", older.to_str().unwrap(), "--yes"]);
    assert_eq!(recert.status().len(), 1);
    recert.ok(&["log", "--title", "After", "--date", "2026-05-02", "--hours", "1"]);

    let good = changed_copy(&recert, "good", "");
    // The current database damaged: restore still puts the backup in place.
    let database = recert.data_dir().join("recert.sqlite3");
    let conn = rusqlite::Connection::open(&database).unwrap();
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(())).unwrap();
    drop(conn);
    let mut bytes = std::fs::read(&database).unwrap();
    for byte in &mut bytes[100..4096] {
        *byte = 0x5a;
    }
    std::fs::write(&database, &bytes).unwrap();
    assert_ne!(recert.run(&["status"]).code, 0);
    recert.ok(&["restore", good.to_str().unwrap(), "--yes"]);
    assert_eq!(recert.ok(&["activities", "--json"]).json().as_array().unwrap().len(), 2);

    // A foreign database in its place, claiming this Recert's schema version: the same.
    let version: i64 =
        rusqlite::Connection::open(&database).unwrap().query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    std::fs::remove_file(&database).unwrap();
    let _ = std::fs::remove_file(recert.data_dir().join("recert.sqlite3-wal"));
    let _ = std::fs::remove_file(recert.data_dir().join("recert.sqlite3-shm"));
    let foreign = rusqlite::Connection::open(&database).unwrap();
    foreign
        .execute_batch(&format!(
            "CREATE TABLE credentials (x); CREATE TABLE activities (y); PRAGMA user_version = {version};"
        ))
        .unwrap();
    drop(foreign);
    recert.ok(&["restore", good.to_str().unwrap(), "--yes"]);
    assert_eq!(recert.ok(&["activities", "--json"]).json().as_array().unwrap().len(), 2);
    for file in [older, good] {
        let _ = std::fs::remove_file(file);
    }
}

#[test]
fn restore_refuses_a_foreign_layout_under_recerts_table_names() {
    let recert = Recert::new();
    with_course(&recert);
    let foreign_path = recert.data_dir().parent().unwrap().join(format!("foreign-{}.sqlite3", std::process::id()));
    let _ = std::fs::remove_file(&foreign_path);
    let version: i64 = rusqlite::Connection::open(recert.data_dir().join("recert.sqlite3"))
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    let foreign = rusqlite::Connection::open(&foreign_path).unwrap();
    foreign
        .execute_batch(&format!(
            "CREATE TABLE credentials (x); CREATE TABLE activities (y); PRAGMA user_version = {version};"
        ))
        .unwrap();
    drop(foreign);
    assert_restore_refused(&recert, &foreign_path, "not Recert's");
    let _ = std::fs::remove_file(foreign_path);
}

/// A spreadsheet of `rows` distinct courses in 2026.
fn long_sheet(dir: &Path, rows: usize) -> PathBuf {
    let mut text = String::from("date,title,hours\r\n");
    for n in 0..rows {
        text.push_str(&format!("2026-{:02}-{:02},Course number {n},1\r\n", n % 10 + 1, n % 28 + 1));
    }
    let path = dir.join(format!("long-{rows}.csv"));
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn importing_twenty_thousand_rows_takes_seconds_and_keeps_other_writers_going() {
    let recert = Recert::new();
    with_course(&recert);
    let outside = tempfile::tempdir().unwrap();
    let sheet = long_sheet(outside.path(), 20_000);
    let started = Instant::now();
    let mut import = recert
        .command(super::TODAY, &["import-csv", sheet.to_str().unwrap()])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(500));
    let logged = run_within(
        &recert,
        &["log", "--title", "Meanwhile", "--date", "2026-06-01", "--hours", "1"],
        Duration::from_secs(60),
    )
    .expect("log ends");
    assert_eq!(logged.code, 0, "a log beside an import: {}", logged.stderr);
    assert!(started.elapsed() < Duration::from_secs(15), "the log waited {:?}", started.elapsed());
    let mut waited = 0;
    while import.try_wait().unwrap().is_none() {
        std::thread::sleep(Duration::from_millis(100));
        waited += 1;
        if waited > 600 {
            let _ = import.kill();
            panic!("20,000 rows took more than a minute");
        }
    }
    let output = import.wait_with_output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(recert.ok(&["activities", "--json"]).json().as_array().unwrap().len(), 20_002);
}

#[test]
fn a_cell_with_thousands_of_categories_is_refused_at_once() {
    let recert = Recert::new();
    with_course(&recert);
    let outside = tempfile::tempdir().unwrap();
    let categories: Vec<String> = (0..100_000).map(|n| format!("c{n}")).collect();
    let sheet = outside.path().join("categories.csv");
    std::fs::write(&sheet, format!("date,title,hours,categories\r\n2026-05-02,Wide,1,{}\r\n", categories.join(";")))
        .unwrap();
    let run =
        run_within(&recert, &["import-csv", sheet.to_str().unwrap()], Duration::from_secs(20)).expect("no long wait");
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("categories"), "{}", run.stderr);
}

#[test]
fn import_refuses_a_fifo_instead_of_waiting_on_it() {
    let recert = Recert::new();
    with_course(&recert);
    let outside = tempfile::tempdir().unwrap();
    let fifo = outside.path().join("courses.csv");
    mkfifo(&fifo);
    for args in [vec!["import-csv", fifo.to_str().unwrap()], vec!["import-csv", fifo.to_str().unwrap(), "--dry-run"]] {
        let run = run_within(&recert, &args, Duration::from_secs(20)).expect("no hang on a FIFO");
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert!(run.stderr.contains("not a regular file"), "{}", run.stderr);
    }
}

/// Unpacks a zip beside it; returns the folder.
fn unzip(packet: &Path) -> PathBuf {
    let unpacked = packet.with_extension("unpacked");
    let status = std::process::Command::new("python3")
        .args(["-m", "zipfile", "-e"])
        .arg(packet)
        .arg(&unpacked)
        .status()
        .unwrap();
    assert!(status.success());
    unpacked
}

fn write_sheet(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn duplicates_are_found_by_what_the_hours_mean() {
    let recert = Recert::new();
    recert.add("nsca-cscs", "2015-06-01");
    recert.ok(&["log", "--title", "Clinic", "--date", "2026-05-01", "--hours", "1.5"]);
    recert.ok(&["log", "--title", "Short", "--date", "2026-05-03", "--hours", "1"]);
    let outside = tempfile::tempdir().unwrap();
    for hours in ["90 min", "1h30", "1.50"] {
        let sheet = write_sheet(outside.path(), "same.csv", &format!("date,title,hours\n2026-05-01,Clinic,{hours}\n"));
        let run = recert.run(&["import-csv", &sheet]);
        assert_eq!(run.code, 2, "{hours}: {}", run.stderr);
        assert!(run.stderr.contains("already in the ledger"), "{hours}: {}", run.stderr);
    }
    let both =
        write_sheet(outside.path(), "both.csv", "date,title,hours\n2026-05-04,Twice,90 min\n2026-05-04,Twice,1h30\n");
    let run = recert.run(&["import-csv", &both]);
    assert!(run.stderr.contains("the same course as line 2"), "{}", run.stderr);
    // 10 hours is not 1 hour.
    let ten = write_sheet(outside.path(), "ten.csv", "date,title,hours\n2026-05-03,Short,10\n");
    recert.ok(&["import-csv", &ten]);
}

#[test]
fn formulas_are_written_as_text_and_read_back_unchanged() {
    let recert = Recert::new();
    recert.add("nsca-cscs", "2015-06-01");
    let titles = ["=HYPERLINK(\"http://x\",\"y\")", "+1+1", "-2+3", "@SUM(A1)", "'=already quoted", "Plain"];
    for (n, title) in titles.iter().enumerate() {
        recert.ok(&["log", &format!("--title={title}"), "--date", &format!("2026-05-0{}", n + 1), "--hours", "1"]);
    }
    let outside = tempfile::tempdir().unwrap();
    let sheet = outside.path().join("ledger.csv");
    recert.ok(&["export-csv", "--out", sheet.to_str().unwrap()]);
    let packet = outside.path().join("audit.zip");
    recert.ok(&["audit-packet", "1", "--out", packet.to_str().unwrap()]);
    let unpacked = unzip(&packet);
    for text in
        [std::fs::read_to_string(&sheet).unwrap(), std::fs::read_to_string(unpacked.join("activities.csv")).unwrap()]
    {
        for line in text.lines().skip(1) {
            let title = line.split(',').nth(1).unwrap_or("").trim_start_matches('"');
            assert!(!title.starts_with(['=', '+', '-', '@']), "a cell a spreadsheet would run: {line}");
        }
    }
    let other = Recert::new();
    other.add("nsca-cscs", "2015-06-01");
    other.ok(&["import-csv", sheet.to_str().unwrap()]);
    let activities = other.ok(&["activities", "--json"]).json();
    let mut imported: Vec<String> =
        activities.as_array().unwrap().iter().map(|a| a["title"].as_str().unwrap().to_string()).collect();
    imported.sort();
    let mut expected: Vec<String> = titles.iter().map(|t| t.to_string()).collect();
    expected.sort();
    assert_eq!(imported, expected);
}

#[test]
fn a_proof_changed_on_disk_is_named_by_the_audit_packet() {
    let recert = Recert::new();
    recert.add("nsca-cscs", "2015-06-01");
    let outside = tempfile::tempdir().unwrap();
    let proof = outside.path().join("cert.pdf");
    std::fs::write(&proof, b"certificate").unwrap();
    log_with_proof(&recert, "Clinic", &proof);
    let stored = recert.proof_files().pop().unwrap();
    std::fs::write(&stored, b"something else").unwrap();
    let packet = outside.path().join("audit.zip");
    let run = recert.run(&["audit-packet", "1", "--out", packet.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let name = stored.file_name().unwrap().to_str().unwrap();
    assert!(run.stderr.contains(name) && run.stderr.contains("SHA-256"), "{}", run.stderr);
    let unpacked = unzip(&packet);
    let note = std::fs::read_to_string(unpacked.join("PROOF-CHECK.txt")).unwrap();
    assert!(note.contains(name), "{note}");
}

#[test]
fn credentials_sharing_an_abbreviation_round_trip_by_their_own_columns() {
    let recert = Recert::new();
    let first = recert.add("nasm-cpt", "2025-02-10");
    let second = recert.add("nasm-cpt", "2025-03-10");
    recert.ok(&[
        "log",
        "--title",
        "Clinic",
        "--date",
        "2026-05-01",
        "--hours",
        "8",
        "--for",
        &format!("{first}=0.3"),
        "--for",
        &format!("{second}=0.7"),
    ]);
    let outside = tempfile::tempdir().unwrap();
    let proof = outside.path().join("cert.pdf");
    std::fs::write(&proof, b"certificate").unwrap();
    log_with_proof(&recert, "With proof", &proof);
    let sheet = outside.path().join("ledger.csv");
    recert.ok(&["export-csv", "--out", sheet.to_str().unwrap()]);
    let header = std::fs::read_to_string(&sheet).unwrap().lines().next().unwrap().to_string();
    let columns: Vec<&str> = header.split(',').collect();
    let unique: std::collections::HashSet<&str> = columns.iter().copied().collect();
    assert_eq!(unique.len(), columns.len(), "every column has its own name: {header}");

    let other = Recert::new();
    other.add("nasm-cpt", "2025-02-10");
    other.add("nasm-cpt", "2025-03-10");
    let run = other.ok(&["import-csv", sheet.to_str().unwrap()]);
    assert!(run.stderr.contains("proof"), "a proof left behind is said: {}", run.stderr);
    let units = |recert: &Recert, id: i64| recert.status_of(id)["units_earned"].as_f64().unwrap();
    assert_eq!((units(&other, first), units(&other, second)), (units(&recert, first), units(&recert, second)));
}

#[test]
fn a_backup_with_another_page_size_restores() {
    let recert = Recert::new();
    with_course(&recert);
    let wide = changed_copy(&recert, "wide", "PRAGMA journal_mode = DELETE; PRAGMA page_size = 8192; VACUUM;");
    recert.ok(&["log", "--title", "After", "--date", "2026-05-02", "--hours", "1"]);
    let run = recert.run(&["restore", wide.to_str().unwrap(), "--yes"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(recert.ok(&["activities", "--json"]).json().as_array().unwrap().len(), 1);
    let _ = std::fs::remove_file(wide);
}

#[test]
fn a_damaged_database_with_a_pending_wal_is_left_as_it_is() {
    let recert = Recert::new();
    with_course(&recert);
    let database = recert.data_dir().join("recert.sqlite3");
    let wal = recert.data_dir().join("recert.sqlite3-wal");
    {
        let conn = rusqlite::Connection::open(&database).unwrap();
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(())).unwrap();
        conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true).unwrap();
        conn.execute("UPDATE settings SET value = value WHERE 0", []).unwrap();
        conn.execute("INSERT INTO settings (key, value) VALUES ('pending', 'in the WAL')", []).unwrap();
    }
    assert!(std::fs::metadata(&wal).unwrap().len() > 0, "a pending WAL");
    let mut bytes = std::fs::read(&database).unwrap();
    let page_size = 4096;
    for byte in &mut bytes[page_size..2 * page_size] {
        *byte = 0xa5;
    }
    std::fs::write(&database, &bytes).unwrap();
    let wal_before = std::fs::read(&wal).unwrap();
    let run = recert.run(&["status"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("will not read or change it"), "{}", run.stderr);
    assert!(run.stderr.contains("recert restore"), "how to put the backup back: {}", run.stderr);
    assert_eq!(std::fs::read(&database).unwrap(), bytes, "the database is as it was");
    assert_eq!(std::fs::read(&wal).unwrap(), wal_before, "the WAL is as it was");
}

#[test]
fn a_utf16_file_and_an_unclosed_quote_are_named_for_what_they_are() {
    let recert = Recert::new();
    with_course(&recert);
    let outside = tempfile::tempdir().unwrap();
    let utf16: Vec<u8> = "\u{feff}date,title,hours\r\n2026-05-02,Clinic,1\r\n"
        .encode_utf16()
        .flat_map(|unit| unit.to_le_bytes())
        .collect();
    let path = outside.path().join("utf16.csv");
    std::fs::write(&path, utf16).unwrap();
    let run = recert.run(&["import-csv", path.to_str().unwrap()]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("UTF-16") && run.stderr.contains("UTF-8"), "{}", run.stderr);
    let quote = write_sheet(
        outside.path(),
        "quote.csv",
        "date,title,hours\n2026-05-02,\"Clinic, part 1,1\n2026-05-03,Other,2\n",
    );
    let run = recert.run(&["import-csv", &quote]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("line 2") && run.stderr.contains("quote"), "{}", run.stderr);
    assert!(!run.stderr.contains("hours is required"), "{}", run.stderr);
}

/// At a terminal `--out` asks before replacing a file (util-linux `script` gives it one).
#[cfg(target_os = "linux")]
#[test]
fn at_a_terminal_replacing_a_file_is_asked() {
    use std::io::Write;
    let recert = Recert::new();
    with_course(&recert);
    let outside = tempfile::tempdir().unwrap();
    let existing = outside.path().join("mine.csv");
    for (answer, kept) in [("n\n", true), ("y\n", false)] {
        std::fs::write(&existing, "my own file").unwrap();
        let line = recert.command(super::TODAY, &["export-csv", "--out", existing.to_str().unwrap()]);
        let shell = format!(
            "{} {}",
            line.get_program().to_string_lossy(),
            line.get_args().map(|a| format!("'{}'", a.to_string_lossy())).collect::<Vec<_>>().join(" ")
        );
        let mut child = std::process::Command::new("script")
            .args(["-qec", &shell, "/dev/null"])
            .env_remove("RECERT_DATA_DIR")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("util-linux script runs");
        child.stdin.take().unwrap().write_all(answer.as_bytes()).unwrap();
        let output = child.wait_with_output().unwrap();
        let shown = String::from_utf8_lossy(&output.stdout);
        assert!(shown.contains("exists. Replace it? [y/N]"), "{shown}");
        assert_eq!(std::fs::read_to_string(&existing).unwrap() == "my own file", kept, "{answer:?}: {shown}");
    }
}

#[test]
fn a_restore_that_cannot_get_the_lock_leaves_no_backup_behind() {
    let recert = Recert::new();
    with_course(&recert);
    let good = changed_copy(&recert, "locked-out", "");
    recert.ok(&["log", "--title", "After", "--date", "2026-05-02", "--hours", "1"]);
    let backups = recert.ok(&["backups", "--json"]).json();
    let before = recert.dump();
    // Another process holds the write lock for longer than a restore waits (30 s).
    let holder = rusqlite::Connection::open(recert.data_dir().join("recert.sqlite3")).unwrap();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    let run = run_within(&recert, &["restore", good.to_str().unwrap(), "--yes"], Duration::from_secs(90))
        .expect("restore gives up");
    holder.execute_batch("ROLLBACK").unwrap();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(run.stderr.contains("try again"), "{}", run.stderr);
    assert_eq!(recert.ok(&["backups", "--json"]).json(), backups, "no stray backup");
    assert_eq!(recert.dump(), before);
    let _ = std::fs::remove_file(good);
}
