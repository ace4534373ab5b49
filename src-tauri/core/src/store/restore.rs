//! Checking a database someone wants to restore, on a copy of it, before anything is replaced.
//!
//! A database file carries code (triggers, views, CHECK and DEFAULT expressions) that SQLite runs
//! when the data is used, so the copy must have exactly the schema Recert's migrations make for
//! its version: the same tables, columns, indexes, triggers and views, with the same SQL. It
//! must pass `integrity_check`, its running totals must equal its ledger, and every proof path
//! must name a file inside `proofs/`. An older schema is migrated on the copy; a newer one is
//! refused. Only then does the copy take the place of the data.

use std::fs::File;
use std::io::Read as _;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OpenFlags};

use super::{configure_defensively, ledger, migrate, DatabaseSummary, BUSY_TIMEOUT};
use crate::error::{Error, Result};
use crate::partial::Partial;
use crate::quote;

const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// A checked copy of a backup, in the data folder's `backups/` under a partial name (removed
/// unless it is restored).
pub struct Candidate {
    partial: Partial,
    pub summary: DatabaseSummary,
}

impl Candidate {
    pub fn path(&self) -> &Path {
        self.partial.path()
    }

    /// Gives the checked copy the name `path`, replacing what is there (used when the current
    /// database cannot be opened, so SQLite's backup API cannot copy into it).
    pub fn put_in_place_of(self, path: &Path) -> Result<()> {
        self.partial.keep_as(path)
    }
}

/// Every schema object as `type name on table: sql`, in a fixed order.
fn schema_of(conn: &Connection) -> Result<Vec<String>> {
    let mut statement = conn.prepare(
        "SELECT type, name, tbl_name, COALESCE(sql, '') FROM sqlite_schema
         WHERE name NOT LIKE 'sqlite_stat%' ORDER BY type, name",
    )?;
    let rows = statement.query_map([], |row| {
        Ok(format!(
            "{} {} on {}: {}",
            row.get::<_, String>(0)?,
            row.get::<_, String>(1)?,
            row.get::<_, String>(2)?,
            row.get::<_, String>(3)?
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The schema Recert's migrations make for `version`.
fn expected_schema(version: i64) -> Result<Vec<String>> {
    let conn = Connection::open_in_memory()?;
    for (_name, sql) in migrate::MIGRATIONS.iter().take(version as usize) {
        conn.execute_batch(sql)?;
    }
    schema_of(&conn)
}

/// The first difference between two schemas, as a person reads it: `trigger "wipe"`.
fn first_difference(found: &[String], expected: &[String]) -> String {
    let name = |entry: &String| {
        let mut words = entry.split(' ');
        format!("{} {}", words.next().unwrap_or(""), quote::value(words.next().unwrap_or("")))
    };
    if let Some(extra) = found.iter().find(|f| !expected.contains(f)) {
        let changed = expected.iter().any(|e| name(e) == name(extra));
        return format!("{} {}", if changed { "a changed" } else { "an extra" }, name(extra));
    }
    match expected.iter().find(|e| !found.contains(e)) {
        Some(missing) => format!("no {}", name(missing)),
        None => "a difference".into(),
    }
}

/// Whether a stored proof path names a file directly inside `proofs/`.
fn proof_path_is_inside(path: &str) -> bool {
    let Some(name) = path.strip_prefix(&format!("{}/", crate::proofs::PROOFS_DIR)) else { return false };
    !name.is_empty() && name != "." && name != ".." && !name.contains(['/', '\\', '\0', ':'])
}

/// Copies `source` into `dir` (the data folder's `backups/`) and checks the copy; `page_size`:
/// the current database's, which SQLite's backup API needs the copy to share.
pub(super) fn stage(source: &Path, dir: &Path, page_size: Option<i64>, now: DateTime<Utc>) -> Result<Candidate> {
    let shown = quote::path(source);
    let refuse = |message: String| Error::invalid("backup", message);
    let meta = std::fs::metadata(source).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => refuse(format!("file not found: {shown}")),
        _ => Error::io(format!("reading {shown}"), e),
    })?;
    if meta.is_dir() {
        return Err(refuse(format!("{shown} is a folder: give a backup file (backups/recert-….sqlite3)")));
    }
    if !meta.is_file() {
        return Err(refuse(format!("{shown} is not a regular file (a device, pipe or socket): not a backup")));
    }
    let mut input = File::open(source).map_err(|e| Error::io(format!("reading {shown}"), e))?;
    let mut header = [0u8; 16];
    let whole_header = input.read_exact(&mut header).is_ok();
    if !whole_header || &header != SQLITE_HEADER {
        return Err(refuse(format!("{shown} is not a Recert database (not an SQLite file)")));
    }
    std::fs::create_dir_all(dir).map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
    let mut partial = Partial::create(dir, "restore")?;
    {
        use std::io::{Seek, Write};
        let file = partial.file();
        file.write_all(&header).map_err(|e| Error::io(format!("writing {}", dir.display()), e))?;
        std::io::copy(&mut input, file).map_err(|e| Error::io(format!("copying {shown}"), e))?;
        file.sync_all().map_err(|e| Error::io(format!("writing {}", dir.display()), e))?;
        file.seek(std::io::SeekFrom::Start(0)).map_err(|e| Error::io("copying", e))?;
    }
    let summary = check_copy(partial.path(), &shown, page_size, now)?;
    // SQLite may have left journal files beside the copy: they go with it.
    for suffix in ["-journal", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", partial.path().display()));
    }
    Ok(Candidate { partial, summary })
}

fn check_copy(copy: &Path, shown: &str, page_size: Option<i64>, now: DateTime<Utc>) -> Result<DatabaseSummary> {
    let refuse = |message: String| Error::invalid("backup", message);
    let not_recert = || refuse(format!("{shown} is not a Recert database"));
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let mut conn = Connection::open_with_flags(copy, flags).map_err(|_| not_recert())?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    configure_defensively(&conn)?;
    // Nothing in the file runs while it is checked.
    conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER, false)?;
    conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_VIEW, false)?;
    let check: String = conn.query_row("PRAGMA integrity_check(1)", [], |r| r.get(0)).map_err(|e| {
        refuse(format!("{shown} is damaged ({}): choose another backup", quote::message(&e.to_string(), 80)))
    })?;
    if check != "ok" {
        return Err(refuse(format!(
            "{shown} is damaged (integrity check: {}): choose another backup",
            quote::value(&check)
        )));
    }
    let version = migrate::schema_version(&conn).map_err(|_| not_recert())?;
    if version <= 0 {
        return Err(not_recert());
    }
    if version > migrate::latest_version() {
        return Err(Error::NewerDatabase {
            path: PathBuf::from(shown),
            found: version,
            supported: migrate::latest_version(),
        });
    }
    let found = schema_of(&conn)?;
    let expected = expected_schema(version)?;
    if found != expected {
        return Err(refuse(format!(
            "{shown} is not Recert's schema for version {version} ({}): Recert restores only its own backups",
            first_difference(&found, &expected)
        )));
    }
    let outside: Option<String> = conn
        .prepare("SELECT proof_path FROM activities WHERE proof_path IS NOT NULL")?
        .query_map([], |row| row.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?
        .into_iter()
        .find(|path| !proof_path_is_inside(path));
    if let Some(path) = outside {
        return Err(refuse(format!(
            "{shown} refers to a proof outside proofs/ ({}): not a backup Recert wrote",
            quote::value(&path)
        )));
    }
    conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER, true)?;
    conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_VIEW, true)?;
    conn.pragma_update(None, "journal_mode", "DELETE")?;
    if version < migrate::latest_version() {
        migrate::migrate(&mut conn, None, now)?;
    }
    let sorted = |mut totals: std::collections::HashMap<i64, crate::progress::CycleTotals>| {
        let mut list: Vec<_> = totals
            .drain()
            .map(|(id, mut t)| {
                t.by_category.sort();
                (id, t)
            })
            .filter(|(_, t)| t.activity_count > 0 || t.by_category.iter().any(|(_, u)| u.0 != 0))
            .collect();
        list.sort_by_key(|(id, _)| *id);
        list
    };
    if sorted(ledger::running_totals(&conn)?) != sorted(ledger::totals_from_ledger(&conn)?) {
        return Err(refuse(format!(
            "{shown} is inconsistent: its running totals do not match its ledger; choose another backup"
        )));
    }
    if let Some(size) = page_size {
        let own: i64 = conn.query_row("PRAGMA page_size", [], |r| r.get(0))?;
        if own != size {
            // SQLite's backup API cannot change the page size of a database in WAL mode.
            conn.pragma_update(None, "page_size", size)?;
            conn.execute_batch("VACUUM")?;
        }
    }
    let count = |table: &str| -> Result<i64> {
        Ok(conn.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))?)
    };
    Ok(DatabaseSummary {
        version: migrate::latest_version(),
        credentials: count("credentials")?,
        activities: count("activities")?,
    })
}

/// The proof paths a backup's activities refer to; `None` when it cannot be read as a Recert
/// database (then no restore can bring it back either).
pub(super) fn proof_paths_in(backup: &Path) -> Option<std::collections::HashSet<String>> {
    let conn = Connection::open_with_flags(
        super::uri::read_only_uri(backup, true),
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .ok()?;
    configure_defensively(&conn).ok()?;
    ledger::proof_paths(&conn).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proof_paths_stay_inside_the_proofs_folder() {
        assert!(proof_path_is_inside("proofs/03d66dd08835c1ca-cert.pdf"));
        for outside in ["../etc/passwd", "proofs/../recert.sqlite3", "proofs/a/b", "/etc/passwd", "proofs/", "p"] {
            assert!(!proof_path_is_inside(outside), "{outside}");
        }
    }

    #[test]
    fn every_version_has_a_schema_and_an_extra_trigger_is_named() {
        let latest = expected_schema(migrate::latest_version()).unwrap();
        assert!(latest.iter().any(|s| s.starts_with("table cycle_totals")));
        let mut found = latest.clone();
        found.push("trigger wipe on activities: CREATE TRIGGER wipe".into());
        assert_eq!(first_difference(&found, &latest), "an extra trigger wipe");
    }
}
