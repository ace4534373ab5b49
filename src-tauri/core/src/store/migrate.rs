//! Schema migrations: the `.sql` files of `migrations/`, applied in order, each in its own
//! transaction, with the schema version kept in SQLite's `user_version`. A copy of the database
//! is written before any migration touches an existing database, and a database from a newer
//! Recert is refused untouched.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rusqlite::{Connection, TransactionBehavior};

use crate::error::{Error, Result};

/// Every migration, in order. Append only: a shipped migration never changes.
pub const MIGRATIONS: &[(&str, &str)] = &[
    ("0001_init.sql", include_str!("../../../../migrations/0001_init.sql")),
    ("0002_reminders.sql", include_str!("../../../../migrations/0002_reminders.sql")),
    ("0003_cycle_totals.sql", include_str!("../../../../migrations/0003_cycle_totals.sql")),
    (
        "0004_confirmed_expiry_late_credits.sql",
        include_str!("../../../../migrations/0004_confirmed_expiry_late_credits.sql"),
    ),
    ("0005_opening_balances.sql", include_str!("../../../../migrations/0005_opening_balances.sql")),
    (
        "0006_reliability_reminder_claims.sql",
        include_str!("../../../../migrations/0006_reliability_reminder_claims.sql"),
    ),
    ("0007_open_notifications.sql", include_str!("../../../../migrations/0007_open_notifications.sql")),
    ("0008_catalogs_and_renewals.sql", include_str!("../../../../migrations/0008_catalogs_and_renewals.sql")),
    ("0009_acceptance.sql", include_str!("../../../../migrations/0009_acceptance.sql")),
    ("0010_planned_courses.sql", include_str!("../../../../migrations/0010_planned_courses.sql")),
    ("0011_sync.sql", include_str!("../../../../migrations/0011_sync.sql")),
    ("0012_sync_stamps_past_2038.sql", include_str!("../../../../migrations/0012_sync_stamps_past_2038.sql")),
];

pub fn latest_version() -> i64 {
    MIGRATIONS.len() as i64
}

pub fn schema_version(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("PRAGMA user_version", [], |row| row.get(0))?)
}

/// Brings the schema up to date. `backup_dir`: where to copy an existing database first (`None`
/// for in-memory databases). Returns the path of the backup written, if any.
pub fn migrate(conn: &mut Connection, backup_dir: Option<&Path>, now: DateTime<Utc>) -> Result<Option<PathBuf>> {
    let found = schema_version(conn)?;
    if found == latest_version() {
        return Ok(None);
    }
    let backup = match backup_dir {
        Some(dir) if found > 0 => {
            let stem = format!("recert-v{found}-before-migration-{}", now.format("%Y%m%dT%H%M%SZ"));
            Some(super::backup::write_copy(conn, dir, &stem)?)
        }
        _ => None,
    };
    // Processes started together all see the old version. The write lock makes them take turns
    // and each reads the version again under it, so every migration runs once.
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let current = schema_version(&tx)?;
    let tables: i64 = tx.query_row("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'", [], |r| r.get(0))?;
    if current == 0 && tables > 0 {
        return Err(Error::Corrupt("the database holds tables but no Recert schema version".into()));
    }
    for (index, (_name, sql)) in MIGRATIONS.iter().enumerate().skip(current.max(0) as usize) {
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", index as i64 + 1)?;
    }
    tx.commit()?;
    Ok(backup)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_in_migrations_is_embedded_in_order() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations");
        let mut files: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".sql"))
            .collect();
        files.sort();
        let embedded: Vec<&str> = MIGRATIONS.iter().map(|(name, _)| *name).collect();
        assert_eq!(files, embedded);
        for (index, name) in embedded.iter().enumerate() {
            assert!(name.starts_with(&format!("{:04}_", index + 1)), "{name} is out of sequence");
            let on_disk = std::fs::read_to_string(dir.join(name)).unwrap();
            assert_eq!(on_disk, MIGRATIONS[index].1);
        }
    }

    #[test]
    fn migrations_apply_to_an_empty_database_and_are_idempotent() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn, None, Utc::now()).unwrap();
        assert_eq!(schema_version(&conn).unwrap(), latest_version());
        migrate(&mut conn, None, Utc::now()).unwrap();
        assert_eq!(schema_version(&conn).unwrap(), latest_version());
    }
}
