//! A damaged database is noticed before anything is read from it or written to it, and the
//! newest backup that is whole is named.

use std::path::Path;

use super::{Recert, Run};

/// Bytes that look like nothing SQLite wrote (a fixed xorshift sequence, so the test repeats).
fn noise(len: usize) -> Vec<u8> {
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect()
}

/// A ledger big enough that the activities table spans many pages, checkpointed into the file.
fn with_a_long_ledger(recert: &Recert) {
    recert.add("ncsf-cpt", "2025-03-14");
    recert.ok(&["log", "--title", "Course", "--date", "2026-01-01", "--hours", "2"]);
    let conn = rusqlite::Connection::open(recert.data_dir().join("recert.sqlite3")).unwrap();
    for n in 0..400 {
        conn.execute(
            "INSERT INTO activities (title, completed_on, hours, created_at) VALUES (?1, '2026-01-01', 100, 'now')",
            [format!("Archived course number {n} with a long enough title")],
        )
        .unwrap();
    }
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(())).unwrap();
}

fn overwrite_page(database: &Path, table: &str) {
    let (page, page_size): (i64, i64) = {
        let conn = rusqlite::Connection::open(database).unwrap();
        let page = conn.query_row("SELECT rootpage FROM sqlite_master WHERE name = ?1", [table], |r| r.get(0)).unwrap();
        (page, conn.query_row("PRAGMA page_size", [], |r| r.get(0)).unwrap())
    };
    let mut bytes = std::fs::read(database).unwrap();
    let (start, len) = (((page - 1) * page_size) as usize, page_size as usize);
    bytes[start..start + len].copy_from_slice(&noise(len));
    std::fs::write(database, bytes).unwrap();
}

fn assert_damage_named(run: &Run, what: &str, backup: &str) {
    assert_eq!(run.code, 1, "{what}: {}", run.stderr);
    assert_eq!(run.stderr.lines().count(), 1, "{what}: {}", run.stderr);
    assert!(run.stderr.len() < 600, "{what}: {} bytes", run.stderr.len());
    assert!(run.stderr.contains("is damaged"), "{what}: {}", run.stderr);
    assert!(run.stderr.contains(backup), "{what}: names the backup {backup}: {}", run.stderr);
}

/// Runs every kind of command against the damaged file: each refuses, none changes it.
fn assert_refused_everywhere(recert: &Recert, backup: &str) {
    let database = recert.data_dir().join("recert.sqlite3");
    let before = std::fs::read(&database).unwrap();
    let commands: &[&[&str]] = &[
        &["status"],
        &["activities"],
        &["log", "--title", "After", "--date", "2026-01-02", "--hours", "1"],
        &["add", "--preset", "nasm-cpt", "--earned", "2025-02-10"],
        &["settings", "--lead-days", "30"],
        &["backup"],
    ];
    for args in commands {
        assert_damage_named(&recert.run(args), &format!("{args:?}"), backup);
        assert_eq!(std::fs::read(&database).unwrap(), before, "recert {args:?} wrote to the damaged file");
    }
}

fn backup_name(run: &Run) -> String {
    run.stdout.trim().rsplit('/').next().unwrap().to_string()
}

#[test]
fn a_page_of_noise_is_noticed_by_every_command() {
    let recert = Recert::new();
    with_a_long_ledger(&recert);
    let good = backup_name(&recert.ok(&["backup"]));
    // A newer backup that is itself damaged is passed over.
    let bad = recert.data_dir().join("backups").join(backup_name(&recert.ok(&["backup"])));
    overwrite_page(&bad, "activities");
    overwrite_page(&recert.data_dir().join("recert.sqlite3"), "activities");
    assert_refused_everywhere(&recert, &good);
}

#[test]
fn a_truncated_file_and_a_text_file_are_damage_too() {
    let recert = Recert::new();
    with_a_long_ledger(&recert);
    let good = backup_name(&recert.ok(&["backup"]));
    let database = recert.data_dir().join("recert.sqlite3");
    let whole = std::fs::read(&database).unwrap();
    std::fs::write(&database, &whole[..whole.len() / 2]).unwrap();
    assert_refused_everywhere(&recert, &good);
    std::fs::write(&database, "These are my notes, not a database.\n".repeat(200)).unwrap();
    assert_refused_everywhere(&recert, &good);
}

#[test]
fn without_a_good_backup_the_message_says_so() {
    let recert = Recert::new();
    with_a_long_ledger(&recert);
    // The daily backup the first change wrote goes too.
    std::fs::remove_dir_all(recert.data_dir().join("backups")).unwrap();
    overwrite_page(&recert.data_dir().join("recert.sqlite3"), "activities");
    let run = recert.run(&["status"]);
    assert_damage_named(&run, "status", "no good backup");
}

#[test]
fn an_impossible_schema_version_is_one_short_line() {
    let recert = Recert::new();
    recert.add("ncsf-cpt", "2025-03-14");
    let good = backup_name(&recert.ok(&["backup"]));
    let conn = rusqlite::Connection::open(recert.data_dir().join("recert.sqlite3")).unwrap();
    conn.pragma_update(None, "user_version", -1).unwrap();
    drop(conn);
    assert_refused_everywhere(&recert, &good);
    let run = recert.run(&["status"]);
    assert!(run.stderr.contains("schema version -1"), "{}", run.stderr);
}

#[test]
fn another_programs_database_is_refused_untouched() {
    let recert = Recert::new();
    let database = recert.data_dir().join("recert.sqlite3");
    let conn = rusqlite::Connection::open(&database).unwrap();
    conn.execute_batch(
        "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes (text) VALUES ('mine');",
    )
    .unwrap();
    drop(conn);
    let before = std::fs::read(&database).unwrap();
    for args in [&["status"][..], &["add", "--preset", "ncsf-cpt", "--earned", "2025-03-14"]] {
        let run = recert.run(args);
        assert_eq!(run.code, 1, "recert {args:?}: {}", run.stderr);
        assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
        assert!(run.stderr.contains("not a Recert database"), "{}", run.stderr);
        assert_eq!(std::fs::read(&database).unwrap(), before, "recert {args:?} wrote into another program's file");
    }
}
