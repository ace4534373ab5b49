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
    /// What follows every change to the data, whoever made it (the CLI after a writing command,
    /// the window's or the agent's scheduler on a change): the day's backup and the calendar file
    /// the user keeps up to date. The change is already saved, so each failing is a warning,
    /// returned as a sentence for the caller to show.
    pub fn after_change(&self, now: DateTime<Utc>, today: NaiveDate) -> Vec<String> {
        let mut warnings = Vec::new();
        if let Err(error) = self.automatic_backup(now) {
            warnings.push(format!("the daily backup was not written: {error}"));
        }
        if let Err(error) = self.refresh_calendar(today) {
            warnings.push(format!("the calendar file was not updated: {error}"));
        }
        warnings
    }

    pub fn automatic_backup(&self, now: DateTime<Utc>) -> Result<Option<PathBuf>> {
        let existing = self.backups()?;
        let today = now.date_naive();
        // A backup dated after today was written while the clock ran ahead: it neither counts
        // among the days kept nor is removed, so it never pushes the real ones out.
        let daily: Vec<(NaiveDate, PathBuf)> = existing
            .iter()
            .filter_map(|b| backups::daily_date(b).map(|date| (date, b.path.clone())))
            .filter(|(date, _)| *date <= today)
            .collect();
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

    /// Puts the backup at `file` in place of the current data, after checking a copy of it (see
    /// [`Store::stage_restore`]: Recert's exact schema, whole, consistent; an older one migrated;
    /// a newer one refused); the current data is backed up first. Needs `confirmed`: the question
    /// names what is replaced by what.
    pub fn restore(&mut self, file: &Path, confirmed: bool, now: DateTime<Utc>) -> Result<RestoreOutcome> {
        self.store.check_writable()?;
        let candidate = Store::stage_restore(&self.data_dir, file, Some(&self.store), now)?;
        let incoming = candidate.summary;
        if !confirmed {
            let current = match self.store.summary() {
                Ok(current) => format!("({} credentials, {} activities)", current.credentials, current.activities),
                Err(_) => "(which cannot be read)".into(),
            };
            return Err(Error::NeedsConfirmation(format!(
                "restoring replaces your data {current} with the backup's ({} credentials, {} activities); your \
                 current data is backed up first",
                incoming.credentials, incoming.activities
            )));
        }
        let saved = self.write_backup(BackupKind::BeforeRestore, now)?;
        if let Err(error) = self.store.restore_from(candidate.path(), now) {
            // Nothing was replaced: the backup of the current data is not needed.
            let _ = std::fs::remove_file(&saved);
            return Err(error);
        }
        // The restored data carries its own rules files.
        self.reload_catalog()?;
        Ok(RestoreOutcome { restored: self.store.summary()?, previous_data_saved_to: saved })
    }
}

/// Restores `file` into `data_dir` when its database cannot be opened (damaged, foreign, from
/// an unknown version): the backup is checked as by [`Recert::restore`], the unreadable database
/// (with its WAL file) is moved into `backups/` as the before-restore backup, and the checked
/// copy takes its place. Needs `confirmed`; `problem`: why the current database can't be opened.
pub fn restore_over_unreadable(
    data_dir: &Path,
    file: &Path,
    confirmed: bool,
    problem: &Error,
    now: DateTime<Utc>,
) -> Result<RestoreOutcome> {
    let candidate = Store::stage_restore(data_dir, file, None, now)?;
    let incoming = candidate.summary;
    if !confirmed {
        return Err(Error::NeedsConfirmation(format!(
            "your data cannot be opened ({}); restoring puts the backup's ({} credentials, {} activities) in its \
             place, and moves the current file into backups/",
            crate::quote::message(&problem.to_string(), 120),
            incoming.credentials,
            incoming.activities
        )));
    }
    let database = data_dir.join(crate::store::DATABASE_FILE);
    let backups_dir = data_dir.join(BACKUPS_DIR);
    let saved = backups_dir.join(backups::file_name(BackupKind::BeforeRestore, now));
    let saved = (1..)
        .map(|n: u32| match n {
            1 => saved.clone(),
            n => {
                saved.with_file_name(format!("{}-{n}.sqlite3", saved.file_stem().unwrap_or_default().to_string_lossy()))
            }
        })
        .find(|path| !path.exists())
        .expect("some name is free");
    // The file and its journals move together: a WAL or hot journal left beside the restored
    // file would be applied to it.
    let with = |path: &Path, suffix: &str| PathBuf::from(format!("{}{suffix}", path.display()));
    let mut moved = Vec::new();
    for suffix in ["", "-wal", "-journal"] {
        let (from, to) = (with(&database, suffix), with(&saved, suffix));
        if from.exists() {
            if let Err(e) = std::fs::rename(&from, &to) {
                for (from, to) in moved.iter().rev() {
                    let _ = std::fs::rename(to, from);
                }
                return Err(Error::io(format!("moving {}", from.display()), e));
            }
            moved.push((from, to));
        }
    }
    let _ = std::fs::remove_file(with(&database, "-shm"));
    if let Err(error) = candidate.put_in_place_of(&database) {
        for (from, to) in moved.iter().rev() {
            let _ = std::fs::rename(to, from);
        }
        return Err(error);
    }
    let (store, _) = Store::open(&database, now, crate::store::Access::Write)?;
    Ok(RestoreOutcome { restored: store.summary()?, previous_data_saved_to: saved })
}
