//! Consistent copies of the database into `backups/`, each under a name of its own.

use std::path::{Path, PathBuf};

use rusqlite::Connection;

use crate::error::{Error, Result};
use crate::partial::Partial;

/// Writes a copy of the database behind `conn` to `<dir>/<stem>.sqlite3`, or `<stem>-2.sqlite3`
/// and so on when that name is taken (two backups in the same second); returns its path.
pub(super) fn write_copy(conn: &Connection, dir: &Path, stem: &str) -> Result<PathBuf> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
    let mut partial = Partial::create(dir, "backup")?;
    // VACUUM INTO writes a consistent snapshot, including what still sits in the WAL file; it
    // accepts an empty file as its target. It does not sync the copy: a backup must survive a
    // power cut, so sync it before it gets its name.
    conn.execute("VACUUM INTO ?1", [partial.path().to_string_lossy()])?;
    partial.file().sync_all().map_err(|e| Error::io(format!("writing {}", partial.path().display()), e))?;
    partial.keep_as_new(|n| match n {
        1 => dir.join(format!("{stem}.sqlite3")),
        n => dir.join(format!("{stem}-{n}.sqlite3")),
    })
}
