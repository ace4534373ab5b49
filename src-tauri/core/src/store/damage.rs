//! Noticing a damaged database, and finding the newest backup that is whole.

use std::path::{Path, PathBuf};

use rusqlite::ffi::ErrorCode;
use rusqlite::{Connection, OpenFlags};

use super::{migrate, BACKUPS_DIR};
use crate::error::{Error, Result};

/// SQLite's `quick_check`: `None` when the file is whole, else its first complaint. It reads
/// every page (see `make bench` for what that costs on a large ledger) but skips the index
/// cross-checks of `integrity_check`.
pub(super) fn quick_check(conn: &Connection) -> Result<Option<String>> {
    let checked = conn.query_row("PRAGMA quick_check(1)", [], |row| row.get::<_, String>(0));
    match checked {
        Ok(verdict) if verdict == "ok" => Ok(None),
        Ok(problem) => Ok(Some(problem)),
        Err(error) if is_damage(&error) => Ok(Some(error.to_string())),
        Err(error) => Err(error.into()),
    }
}

/// Whether SQLite reports the file itself as broken (not merely busy or unreadable).
pub(super) fn is_damage(error: &rusqlite::Error) -> bool {
    matches!(error.sqlite_error_code(), Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase))
}

/// Whether SQLite could not write (or set up its shared-memory file) for lack of permission.
pub(super) fn is_read_only(error: &rusqlite::Error) -> bool {
    matches!(error.sqlite_error_code(), Some(ErrorCode::ReadOnly | ErrorCode::CannotOpen | ErrorCode::PermissionDenied))
}

/// The error that tells the user `database` is damaged, naming the newest good backup.
pub(super) fn damaged(database: &Path, problem: &str) -> Error {
    let backups_dir = backups_dir(database);
    Error::Damaged {
        path: database.to_path_buf(),
        problem: crate::quote::message(&first_complaint(problem), 80),
        backup: newest_good_backup(&backups_dir),
        backups_dir,
    }
}

/// SQLite's report without its "*** in database main ***" heading, on one line.
fn first_complaint(report: &str) -> String {
    let lines: Vec<&str> = report.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with("***")).collect();
    lines.join("; ")
}

pub(super) fn backups_dir(database: &Path) -> PathBuf {
    database.parent().unwrap_or(Path::new(".")).join(BACKUPS_DIR)
}

/// An error met while working on `database`, told the way a person can act on: a damaged file
/// names the newest good backup, a read-only folder says so.
pub fn diagnose(error: Error, database: &Path) -> Error {
    match &error {
        Error::Database(inner) if is_damage(inner) => damaged(database, &inner.to_string()),
        Error::Database(inner)
            if matches!(inner.sqlite_error_code(), Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)) =>
        {
            Error::Busy
        }
        Error::Database(inner) if is_read_only(inner) => {
            Error::ReadOnlyFolder { dir: database.parent().unwrap_or(Path::new(".")).to_path_buf() }
        }
        _ => error,
    }
}

/// The newest backup in `dir` (by time written, then name) that opens, has a schema this
/// Recert knows and passes `quick_check`.
pub fn newest_good_backup(dir: &Path) -> Option<PathBuf> {
    let mut backups: Vec<(std::time::SystemTime, PathBuf)> = std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .filter(|entry| {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            name.ends_with(".sqlite3") && !name.starts_with('.')
        })
        .filter_map(|entry| Some((entry.metadata().ok()?.modified().ok()?, entry.path())))
        .collect();
    backups.sort();
    backups.into_iter().rev().map(|(_, path)| path).find(|path| is_good_backup(path))
}

fn is_good_backup(path: &Path) -> bool {
    // A backup never changes once written: read it as immutable, with no lock and no -shm file.
    let Ok(conn) = Connection::open_with_flags(
        super::uri::read_only_uri(path, true),
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    ) else {
        return false;
    };
    let version_known = migrate::schema_version(&conn).is_ok_and(|v| (1..=migrate::latest_version()).contains(&v));
    version_known && matches!(quick_check(&conn), Ok(None))
}
