//! Backups: a copy now, the automatic daily one with its rotation, the list, and restoring one.

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use crate::backups::{self, Backup, BackupKind};
use crate::error::{Error, Result};
use crate::store::{DatabaseSummary, Read, Store, BACKUPS_DIR};

use super::Recert;

/// What a restore did: what the data holds now, and where the data it replaced was saved.
#[derive(Debug, Clone, Serialize)]
pub struct RestoreOutcome {
    pub restored: DatabaseSummary,
    pub previous_data_saved_to: PathBuf,
}

impl Recert {
    /// Writes a consistent copy of the database into `<data_dir>/backups/`.
    pub fn backup_now(&self, now: DateTime<Utc>) -> Result<PathBuf> {
        self.write_backup(BackupKind::Manual, now)
    }

    fn write_backup(&self, kind: BackupKind, now: DateTime<Utc>) -> Result<PathBuf> {
        // Two backups in the same second (two processes at once) get different names.
        let name = backups::file_name(kind, now);
        self.store.backup_into(&self.data_dir.join(BACKUPS_DIR), name.trim_end_matches(".sqlite3"))
    }

    /// Every backup in the data folder, newest first.
    pub fn backups(&self) -> Result<Vec<Backup>> {
        backups::list(&self.data_dir)
    }

    /// After a change: the day's automatic backup, if it is not written yet, and the automatic
    /// backups past the 7 days and 4 weeks kept removed. Returns the backup written, if any.
    pub fn automatic_backup(&self, now: DateTime<Utc>) -> Result<Option<PathBuf>> {
        let existing = self.backups()?;
        let today = now.date_naive();
        let daily: Vec<(NaiveDate, PathBuf)> =
            existing.iter().filter_map(|b| backups::daily_date(b).map(|date| (date, b.path.clone()))).collect();
        let written = if daily.iter().any(|(date, _)| *date == today) {
            None
        } else {
            Some(self.write_backup(BackupKind::Daily, now)?)
        };
        let mut dates: Vec<NaiveDate> = daily.iter().map(|(date, _)| *date).collect();
        dates.push(today);
        for expired in backups::expired_daily(dates) {
            for (_, path) in daily.iter().filter(|(date, _)| *date == expired) {
                match std::fs::remove_file(path) {
                    // Another process tidying at the same moment removed it first.
                    Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                        return Err(Error::io(format!("removing {}", path.display()), e))
                    }
                    _ => {}
                }
            }
        }
        Ok(written)
    }

    /// Puts the backup at `file` in place of the current data, after checking it is a Recert
    /// database that passes an integrity check and is not from a newer Recert; the current data is
    /// backed up first. Needs `confirmed`: the question names what is replaced by what.
    pub fn restore(&mut self, file: &Path, confirmed: bool, now: DateTime<Utc>) -> Result<RestoreOutcome> {
        self.store.check_writable()?;
        let incoming = Store::inspect(file)?;
        let current = self.store.summary()?;
        if !confirmed {
            return Err(Error::NeedsConfirmation(format!(
                "restoring replaces your data ({} credentials, {} activities) with the backup's ({} credentials, {} \
                 activities); your current data is backed up first",
                current.credentials, current.activities, incoming.credentials, incoming.activities
            )));
        }
        let saved = self.write_backup(BackupKind::BeforeRestore, now)?;
        self.store.restore_from(file, now)?;
        // The restored data carries its own rules files.
        self.reload_catalog()?;
        Ok(RestoreOutcome { restored: self.store.summary()?, previous_data_saved_to: saved })
    }
}
