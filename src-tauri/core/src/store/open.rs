//! Opening the database file: what a command may do with the data folder as it finds it, and
//! the checks made before anything is read from the file or written to it.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OpenFlags};

use super::damage::{backups_dir, damaged, is_damage, is_read_only, newest_good_backup, quick_check};
use super::uri::read_only_uri;
use super::{migrate, Store, BUSY_TIMEOUT};
use crate::error::{Error, Result};

/// What a command may do to the data folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Read what is there. Creates nothing; a read-only folder is fine.
    Read,
    /// Change what is there. Creates nothing.
    Write,
    /// Change, creating the folder and the database when they are missing.
    Create,
}

/// What opening had to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Made {
    Nothing,
    Database,
    Folder,
}

fn folder_of(database: &Path) -> PathBuf {
    database.parent().unwrap_or(Path::new(".")).to_path_buf()
}

/// Refuses to start a new database where one went missing, and to create anything for a command
/// that only reads or changes what exists. Returns what opening will have to make.
fn inspect(database: &Path, access: Access) -> Result<Made> {
    let dir = folder_of(database);
    match std::fs::metadata(database) {
        Ok(found) if found.len() > 0 => Ok(Made::Nothing),
        Ok(_) => {
            // An empty file is also what a concurrent first run looks like for an instant, but
            // then there are no backups and no proofs yet.
            if backups_dir(database).exists() || dir.join(crate::proofs::PROOFS_DIR).exists() {
                let backups_dir = backups_dir(database);
                return Err(Error::EmptyDatabase {
                    path: database.to_path_buf(),
                    backup: newest_good_backup(&backups_dir),
                    backups_dir,
                });
            }
            if access == Access::Create {
                Ok(Made::Nothing)
            } else {
                Err(Error::NoData { dir })
            }
        }
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => match access {
            Access::Create if dir.is_dir() => Ok(Made::Database),
            Access::Create => {
                std::fs::create_dir_all(&dir).map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
                Ok(Made::Folder)
            }
            Access::Read | Access::Write => Err(Error::NoData { dir }),
        },
        Err(error) => Err(Error::io(format!("reading {}", database.display()), error)),
    }
}

/// The schema version, and whether the file holds any table, read in one statement: one
/// snapshot, so a first run migrating at this moment is seen either before or after, never half.
fn schema_state(conn: &Connection) -> rusqlite::Result<(i64, bool)> {
    conn.query_row(
        "SELECT (SELECT user_version FROM pragma_user_version),
                EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table')",
        [],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )
}

/// The connection, after a first read; `read_only` when the folder allows no more.
fn connect(database: &Path, access: Access) -> Result<(Connection, bool)> {
    let flags = match access {
        Access::Create => OpenFlags::default(),
        // Never create the file here: it was there a moment ago, and a new empty one would hide
        // that it went.
        Access::Read | Access::Write => {
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX
        }
    };
    let read_only_folder = || Error::ReadOnlyFolder { dir: folder_of(database) };
    let conn = Connection::open_with_flags(database, flags).map_err(|e| match e {
        e if is_read_only(&e) && access != Access::Read => read_only_folder(),
        e => Error::from(e),
    })?;
    // Before the first read: another process may be creating or migrating this file.
    conn.busy_timeout(BUSY_TIMEOUT)?;
    super::configure_defensively(&conn)?;
    // Until the file has passed the checks (`Store::open`), closing the connection must not
    // checkpoint a pending WAL into it: a damaged database is left exactly as it was found.
    conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)?;
    let writable = !conn.is_readonly(rusqlite::MAIN_DB)?;
    match (schema_state(&conn), writable) {
        (Ok(_), true) => Ok((conn, false)),
        (Err(e), _) if is_damage(&e) => Err(damaged(database, &e.to_string())),
        (Err(e), _) if !is_read_only(&e) => Err(e.into()),
        _ if access != Access::Read => Err(read_only_folder()),
        _ => {
            drop(conn);
            // A reader in a read-only folder: with no WAL file nobody is writing here (nobody
            // could create one), so the file is read as immutable.
            let wal = PathBuf::from(format!("{}-wal", database.display()));
            let conn = Connection::open_with_flags(
                read_only_uri(database, !wal.exists()),
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )?;
            conn.busy_timeout(BUSY_TIMEOUT)?;
            super::configure_defensively(&conn)?;
            Ok((conn, true))
        }
    }
}

impl Store {
    /// Opens the database at `database` for `access`, after checking that it is whole
    /// (`quick_check`) and from a Recert this one understands, and migrates it (writing a backup
    /// into `backups/` first). Returns what had to be made.
    pub fn open(database: &Path, now: DateTime<Utc>, access: Access) -> Result<(Self, Made)> {
        let made = inspect(database, access)?;
        let (mut conn, read_only) = connect(database, access)?;
        let (version, has_tables) = schema_state(&conn).map_err(|e| match e {
            e if is_damage(&e) => damaged(database, &e.to_string()),
            e => e.into(),
        })?;
        if version > migrate::latest_version() {
            return Err(Error::NewerDatabase {
                path: database.to_path_buf(),
                found: version,
                supported: migrate::latest_version(),
            });
        }
        if version < 0 {
            return Err(damaged(database, &format!("schema version {version}, which no Recert writes")));
        }
        if let Some(problem) = quick_check(&conn)? {
            return Err(damaged(database, &problem));
        }
        // Recert sets the version in the transaction that creates its tables: tables without a
        // version belong to another program (checked before anything here writes to the file).
        if version == 0 && has_tables {
            return Err(damaged(database, "it holds tables but no Recert schema: not a Recert database"));
        }
        conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, false)?;
        Self::configure(&conn, read_only)?;
        if version < migrate::latest_version() {
            if read_only {
                return Err(Error::ReadOnlyFolder { dir: folder_of(database) });
            }
            migrate::migrate(&mut conn, Some(&backups_dir(database)), now)
                .map_err(|e| super::damage::diagnose(e, database))?;
        }
        Ok((Self { conn, folder: Some(folder_of(database)), read_only, clock: Utc::now }, made))
    }
}
