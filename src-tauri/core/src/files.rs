//! Files Recert writes for the user (spreadsheets, calendars, audit packets): written whole or not
//! at all, so a half-written file never replaces a good one (a calendar app may read it any time).
//!
//! An output path is a regular file or a new name. It is never one of Recert's own files (the
//! database, its journal files, the lock files, anything in `backups/` or `proofs/`), never a
//! device, FIFO, socket or folder, and an existing file is replaced only when the caller says
//! the user agreed. A link is followed: the file it points to is written, the link stays.
//!
//! The file is first written under a unique temporary name in the same folder, created
//! exclusively (`create_new`: O_CREAT|O_EXCL, which never follows a link planted at that name,
//! and CREATE_NEW on Windows, which does not either), removed on failure, then moved into place.

use std::fs::File;
use std::path::{Component, Path, PathBuf};

use crate::error::{Error, Result};
use crate::partial::Partial;
use crate::quote;

/// Where a file for the user is written, once checked ([`checked_output`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputTarget {
    /// The file to write: the path given, or the file the link at it points to.
    pub path: PathBuf,
    /// Whether a file there may be replaced (else one appearing meanwhile is kept).
    pub replace: bool,
}

/// Whether `relative` (a path inside the data folder) names something Recert keeps there.
fn owned_by_recert(relative: &Path) -> bool {
    let mut parts = relative.components();
    let Some(Component::Normal(first)) = parts.next() else { return true }; // the folder itself
    let first = first.to_string_lossy();
    if first == crate::backups::BACKUPS_DIR || first == crate::proofs::PROOFS_DIR {
        return true;
    }
    parts.next().is_none() && (first.starts_with(crate::store::DATABASE_FILE) || first.ends_with(".lock"))
}

/// Checks `path` as the place for a file Recert writes for the user, with `data_dir` the data
/// folder; `replace`: the user agreed to replace an existing file. Returns where to write.
pub fn checked_output(path: &Path, data_dir: &Path, replace: bool) -> Result<OutputTarget> {
    let shown = quote::path(path);
    let invalid = |message: String| Error::invalid("out", message);
    let name = path.file_name().ok_or_else(|| invalid(format!("{shown} is not a file name")))?;
    let owned =
        || invalid(format!("{shown} is one of Recert's own files in its data folder: choose another name or folder"));
    // As typed (the folder may not exist yet), then as the file system resolves it.
    if let (Ok(typed), Ok(data)) = (std::path::absolute(path), std::path::absolute(data_dir)) {
        if typed.strip_prefix(&data).is_ok_and(owned_by_recert) {
            return Err(owned());
        }
    }
    let found = std::fs::symlink_metadata(path);
    let target = match &found {
        Ok(meta) if meta.file_type().is_symlink() => std::fs::canonicalize(path)
            .map_err(|_| invalid(format!("{shown} is a link to a file that does not exist: give the file itself")))?,
        _ => {
            let parent = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
            let folder = std::fs::canonicalize(parent)
                .map_err(|_| invalid(format!("the folder of {shown} does not exist: create it first")))?;
            folder.join(name)
        }
    };
    if let Ok(data) = std::fs::canonicalize(data_dir) {
        let database = data.join(crate::store::DATABASE_FILE);
        let same_file = same_file_as(&target, &database);
        if same_file || target.strip_prefix(&data).is_ok_and(owned_by_recert) {
            return Err(owned());
        }
    }
    match std::fs::metadata(&target) {
        Ok(meta) if meta.is_dir() => Err(invalid(format!("{shown} is a folder: give a file name"))),
        Ok(meta) if !meta.is_file() => Err(invalid(format!(
            "{shown} is not a regular file (a device, pipe or socket): Recert writes only regular files"
        ))),
        Ok(_) if !replace => Err(Error::NeedsConfirmation(format!("{shown} exists"))),
        _ => Ok(OutputTarget { path: target, replace }),
    }
}

/// Whether `a` is the same file as `b` or one of its journal files (a hard link included).
#[cfg(unix)]
fn same_file_as(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    let Ok(a) = std::fs::metadata(a) else { return false };
    ["", "-wal", "-shm", "-journal"].iter().any(|suffix| {
        let mut path = b.as_os_str().to_os_string();
        path.push(suffix);
        std::fs::metadata(&path).is_ok_and(|b| a.dev() == b.dev() && a.ino() == b.ino())
    })
}

/// Elsewhere only the names are compared (see [`owned_by_recert`]); Windows does not let a hard
/// link to the open database be written over anyway.
#[cfg(not(unix))]
fn same_file_as(_a: &Path, _b: &Path) -> bool {
    false
}

/// Writes `target` through `write` into a unique temporary file beside it, then moves it into
/// place: replacing what is there when `target.replace`, else only if the name is still free.
pub fn write_output(target: &OutputTarget, write: impl FnOnce(&mut File) -> Result<()>) -> Result<()> {
    let path = &target.path;
    let shown = quote::path(path);
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut partial = Partial::create(dir, "recert-output")?;
    write(partial.file())?;
    partial.file().sync_all().map_err(|e| Error::io(format!("writing {shown}"), e))?;
    if target.replace {
        return partial.keep_as(path);
    }
    match partial.keep_if_free(path)? {
        true => Ok(()),
        false => Err(Error::NeedsConfirmation(format!("{shown} exists"))),
    }
}

/// Writes `path` (a file Recert keeps up to date, such as the calendar file) through `write`,
/// whole or not at all, after the checks of [`checked_output`]; an existing file is replaced.
pub fn write_atomically(path: &Path, data_dir: &Path, write: impl FnOnce(&mut File) -> Result<()>) -> Result<()> {
    write_output(&checked_output(path, data_dir, true)?, write)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_write_leaves_the_old_file_and_no_partial() {
        let dir = tempfile::tempdir().unwrap();
        let data = tempfile::tempdir().unwrap();
        let path = dir.path().join("deadlines.ics");
        std::fs::write(&path, "old").unwrap();
        let failed = write_atomically(&path, data.path(), |file| {
            use std::io::Write;
            file.write_all(b"half").unwrap();
            Err(Error::invalid("out", "stopped"))
        });
        assert!(failed.is_err());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no partial file left");
        write_atomically(&path, data.path(), |file| {
            use std::io::Write;
            file.write_all(b"new").map_err(|e| Error::io("test", e))
        })
        .unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
    }

    #[test]
    fn recerts_own_files_are_named_by_their_place_in_the_data_folder() {
        for owned in ["", "recert.sqlite3", "recert.sqlite3-wal", "agent.lock", "backups/x.zip", "proofs/a/b"] {
            assert!(owned_by_recert(Path::new(owned)), "{owned}");
        }
        for free in ["ledger.csv", "synced/deadlines.ics", "exports/recert.sqlite3"] {
            assert!(!owned_by_recert(Path::new(free)), "{free}");
        }
    }
}
