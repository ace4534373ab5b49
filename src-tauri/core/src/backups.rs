//! Backups the user can restore: a copy written before every schema upgrade, on demand, before a
//! restore, and automatically once a day when the data changes. Automatic copies are kept for the
//! last 7 days and one a week for 4 weeks before that; the others are never removed.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Utc};
use serde::Serialize;

use crate::error::{Error, Result};

pub const BACKUPS_DIR: &str = "backups";
const AUTO_PREFIX: &str = "recert-auto-";
const KEEP_DAILY: usize = 7;
const KEEP_WEEKLY: usize = 4;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BackupKind {
    /// Written once a day when the data changed.
    Daily,
    /// Written on demand ("Back up now", `recert backup`).
    Manual,
    /// Written before a schema upgrade.
    BeforeMigration,
    /// Written before a restore replaced the data.
    BeforeRestore,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Backup {
    pub path: PathBuf,
    pub file_name: String,
    pub kind: BackupKind,
    /// When it was written, read from its name (UTC).
    pub written_at: Option<String>,
    /// The moment it was written, where its name holds the time (every kind but the daily one,
    /// whose name holds the day): for showing it in the user's local time.
    pub written_at_utc: Option<DateTime<Utc>>,
    pub size_bytes: u64,
}

/// The name of a backup of `kind` written at `now`.
pub fn file_name(kind: BackupKind, now: DateTime<Utc>) -> String {
    let stamp = now.format("%Y%m%dT%H%M%SZ");
    match kind {
        BackupKind::Daily => format!("{AUTO_PREFIX}{}.sqlite3", now.format("%Y%m%d")),
        BackupKind::Manual => format!("recert-{stamp}.sqlite3"),
        BackupKind::BeforeMigration => format!("recert-before-migration-{stamp}.sqlite3"),
        BackupKind::BeforeRestore => format!("recert-before-restore-{stamp}.sqlite3"),
    }
}

fn kind_of(name: &str) -> BackupKind {
    if name.starts_with(AUTO_PREFIX) {
        BackupKind::Daily
    } else if name.contains("before-migration") {
        BackupKind::BeforeMigration
    } else if name.contains("before-restore") {
        BackupKind::BeforeRestore
    } else {
        BackupKind::Manual
    }
}

/// "20261128T091500Z" or "20261128" in a name, as an ISO date and time.
fn written_at(name: &str) -> Option<String> {
    let digits: Vec<&str> = name.split(|c: char| !c.is_ascii_alphanumeric()).collect();
    digits.iter().find_map(|part| {
        let date = NaiveDate::parse_from_str(part.get(..8)?, "%Y%m%d").ok()?;
        match part.get(8..) {
            Some(time) if time.len() == 8 && time.starts_with('T') && time.ends_with('Z') => {
                Some(format!("{date} {}:{}:{} UTC", &time[1..3], &time[3..5], &time[5..7]))
            }
            _ => Some(date.to_string()),
        }
    })
}

/// "20261128T091500Z" in a name, as a moment.
fn written_instant(name: &str) -> Option<DateTime<Utc>> {
    name.split(|c: char| !c.is_ascii_alphanumeric()).find_map(|part| {
        let stamp = NaiveDateTime::parse_from_str(part.strip_suffix('Z')?, "%Y%m%dT%H%M%S").ok()?;
        Some(stamp.and_utc())
    })
}

/// Every backup in `data_dir/backups/`, newest first.
pub fn list(data_dir: &Path) -> Result<Vec<Backup>> {
    let dir = data_dir.join(BACKUPS_DIR);
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(error) => return Err(Error::io(format!("reading {}", dir.display()), error)),
    };
    let mut backups = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.ends_with(".sqlite3") || name.starts_with('.') {
            continue;
        }
        let size_bytes = entry.metadata().map(|m| m.len()).unwrap_or(0);
        backups.push(Backup {
            path: entry.path(),
            kind: kind_of(&name),
            written_at: written_at(&name),
            written_at_utc: written_instant(&name),
            size_bytes,
            file_name: name,
        });
    }
    backups.sort_by(|a, b| b.written_at.cmp(&a.written_at).then(b.file_name.cmp(&a.file_name)));
    Ok(backups)
}

/// The automatic backups to remove: all but the newest 7, and then the newest of each week for 4
/// weeks. Pure, so the policy is tested without files.
pub fn expired_daily(mut dates: Vec<NaiveDate>) -> Vec<NaiveDate> {
    dates.sort_by(|a, b| b.cmp(a));
    dates.dedup();
    let mut weeks_kept: Vec<(i32, u32)> = Vec::new();
    let mut expired = Vec::new();
    for (index, date) in dates.into_iter().enumerate() {
        if index < KEEP_DAILY {
            continue;
        }
        let week = (date.iso_week().year(), date.iso_week().week());
        if weeks_kept.len() < KEEP_WEEKLY && !weeks_kept.contains(&week) {
            weeks_kept.push(week);
        } else {
            expired.push(date);
        }
    }
    expired
}

/// The date in an automatic backup's name.
pub fn daily_date(backup: &Backup) -> Option<NaiveDate> {
    let rest = backup.file_name.strip_prefix(AUTO_PREFIX)?;
    NaiveDate::parse_from_str(rest.get(..8)?, "%Y%m%d").ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::d;

    #[test]
    fn seven_days_then_four_weeks_are_kept() {
        // Every day from 2026-09-01 to 2026-11-28.
        let mut dates = Vec::new();
        let mut day = d("2026-09-01");
        while day <= d("2026-11-28") {
            dates.push(day);
            day = day.succ_opt().unwrap();
        }
        let expired = expired_daily(dates.clone());
        let kept: Vec<NaiveDate> = dates.into_iter().filter(|d| !expired.contains(d)).rev().collect();
        assert_eq!(kept.len(), 11);
        assert_eq!(
            kept[..7],
            [
                d("2026-11-28"),
                d("2026-11-27"),
                d("2026-11-26"),
                d("2026-11-25"),
                d("2026-11-24"),
                d("2026-11-23"),
                d("2026-11-22")
            ]
        );
        // Then the newest of each earlier ISO week: Nov 21 (week 47, whose Sunday Nov 22 is kept
        // daily), Nov 15, Nov 8, Nov 1.
        assert_eq!(kept[7..], [d("2026-11-21"), d("2026-11-15"), d("2026-11-08"), d("2026-11-01")]);
    }

    #[test]
    fn names_say_the_kind_and_the_time() {
        let now: DateTime<Utc> = "2026-11-28T09:15:00Z".parse().unwrap();
        assert_eq!(file_name(BackupKind::Daily, now), "recert-auto-20261128.sqlite3");
        assert_eq!(kind_of("recert-v3-before-migration-20261128T091500Z.sqlite3"), BackupKind::BeforeMigration);
        assert_eq!(written_at("recert-20261128T091500Z.sqlite3").as_deref(), Some("2026-11-28 09:15:00 UTC"));
        assert_eq!(written_at("recert-auto-20261128.sqlite3").as_deref(), Some("2026-11-28"));
        assert_eq!(
            written_instant("recert-before-restore-20261128T091500Z.sqlite3").map(|t| t.to_rfc3339()).as_deref(),
            Some("2026-11-28T09:15:00+00:00")
        );
        assert_eq!(written_instant("recert-auto-20261128.sqlite3"), None);
    }
}
