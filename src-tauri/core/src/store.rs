//! The SQLite store: the only module that holds SQL. One file in the data folder, WAL journal,
//! foreign keys on.
//!
//! Reads go through [`Read`], on the store or inside a transaction. Every change goes through
//! [`Store::write`]: one `BEGIN IMMEDIATE` transaction in which the caller reads what it needs and
//! writes, so no other process can change those rows between the read and the write.

mod backup;
mod catalogs;
mod credentials;
mod damage;
mod ledger;
pub mod migrate;
mod open;
mod planned;
mod reminders;
mod restore;
mod sync;
mod uri;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, Transaction, TransactionBehavior};

use crate::activity::{Activity, Credit};
use crate::credential::{Credential, PastCycle};
use crate::error::{Error, Result};
use crate::progress::CycleTotals;
use crate::reminders::ReminderHistory;

pub use catalogs::LoadedCatalog;
pub use damage::{diagnose, newest_good_backup};
pub use open::{Access, Made};
pub use reminders::LoggedReminder;
pub use restore::Candidate;
pub use sync::{Applied, Device, Overwritten, Peer, Waiting};

pub const DATABASE_FILE: &str = "recert.sqlite3";
/// Where copies of the database go, beside it.
pub const BACKUPS_DIR: &str = crate::backups::BACKUPS_DIR;

/// How long a statement waits for another process's write transaction to end. Write
/// transactions last milliseconds; this is for a burst of processes queueing for the lock.
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

pub struct Store {
    conn: Connection,
    /// The data folder (none in memory).
    folder: Option<PathBuf>,
    /// Opened read-only because the folder allows no more: every write is refused.
    read_only: bool,
    /// The wall clock the hybrid logical clock of sync reads when a write transaction ends (its
    /// stamps must follow real time across processes); tests set their own.
    clock: fn() -> DateTime<Utc>,
}

/// The size of a database in the terms a user knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct DatabaseSummary {
    pub version: i64,
    pub credentials: i64,
    pub activities: i64,
}

/// A write transaction in progress (see [`Store::write`]).
pub struct Tx<'c> {
    tx: Transaction<'c>,
}

fn date(text: String) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(&text, "%Y-%m-%d")
        .map_err(|_| Error::Corrupt(format!("bad date {} in the database", crate::quote::value(&text))))
}

/// A row's values beside their columns: inserts and updates of a table are written from one such
/// list, so a value cannot land in its neighbour's column.
type Columns = Vec<(&'static str, rusqlite::types::Value)>;

/// `INSERT INTO table (a, b) VALUES (?1, ?2)`; returns the new row's id.
fn insert_row(conn: &Connection, table: &str, mut columns: Columns) -> Result<i64> {
    // A row that travels to the user's other computers is named by a uid no two can both make.
    if sync::UID_TABLES.contains(&table) {
        columns.push(("uid", rusqlite::types::Value::Text(uuid::Uuid::now_v7().to_string())));
    }
    let names = columns.iter().map(|(name, _)| *name).collect::<Vec<_>>().join(", ");
    let slots = (1..=columns.len()).map(|n| format!("?{n}")).collect::<Vec<_>>().join(", ");
    conn.prepare_cached(&format!("INSERT INTO {table} ({names}) VALUES ({slots})"))?
        .execute(rusqlite::params_from_iter(columns.into_iter().map(|(_, value)| value)))?;
    Ok(conn.last_insert_rowid())
}

/// `UPDATE table SET a = ?2, b = ?3 WHERE id = ?1`; returns how many rows changed (0 or 1).
fn update_row(conn: &Connection, table: &str, id: i64, columns: Columns) -> Result<usize> {
    let (names, values): (Vec<_>, Vec<_>) = columns.into_iter().unzip();
    let assignments = names.iter().enumerate().map(|(n, name)| format!("{name} = ?{}", n + 2)).collect::<Vec<_>>();
    let id = rusqlite::types::Value::Integer(id);
    Ok(conn
        .prepare_cached(&format!("UPDATE {table} SET {} WHERE id = ?1", assignments.join(", ")))?
        .execute(rusqlite::params_from_iter(std::iter::once(id).chain(values)))?)
}

/// A text column that may be empty.
fn optional_text(value: &Option<String>) -> rusqlite::types::Value {
    value.clone().map_or(rusqlite::types::Value::Null, rusqlite::types::Value::Text)
}

fn timestamp(now: DateTime<Utc>) -> String {
    now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

mod sealed {
    /// The connection behind a [`super::Read`]; unreachable outside the store, so SQL stays here.
    pub trait Connected {
        fn conn(&self) -> &rusqlite::Connection;
    }
}

impl sealed::Connected for Store {
    fn conn(&self) -> &Connection {
        &self.conn
    }
}

impl sealed::Connected for Tx<'_> {
    fn conn(&self) -> &Connection {
        &self.tx
    }
}

/// Typed reads, the same on the store as inside a write transaction.
pub trait Read: sealed::Connected {
    fn schema_version(&self) -> Result<i64> {
        migrate::schema_version(self.conn())
    }

    fn credential(&self, id: i64) -> Result<Credential> {
        credentials::credential(self.conn(), id)
    }

    fn credentials(&self) -> Result<Vec<Credential>> {
        credentials::credentials(self.conn())
    }

    /// Closed cycles of a credential, newest first.
    fn past_cycles(&self, credential_id: i64) -> Result<Vec<PastCycle>> {
        credentials::past_cycles(self.conn(), credential_id)
    }

    fn count_past_cycles(&self, credential_id: i64) -> Result<i64> {
        credentials::count_past_cycles(self.conn(), credential_id)
    }

    /// The activities holding a credential's opening balance.
    fn opening_balance_activities(&self, credential_id: i64) -> Result<Vec<i64>> {
        credentials::opening_balance_activities(self.conn(), credential_id)
    }

    /// Per credential, how many of the activities its current cycle counts are its opening
    /// balance: a balance is not an activity (Costs counts courses).
    fn opening_balances_in_current_cycle(&self) -> Result<HashMap<i64, u32>> {
        credentials::opening_balances_in_current_cycle(self.conn())
    }

    /// What this database holds, for a confirmation ("4 credentials, 120 activities").
    fn summary(&self) -> Result<DatabaseSummary> {
        let count = |table: &str| -> Result<i64> {
            Ok(self.conn().query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))?)
        };
        Ok(DatabaseSummary {
            version: self.schema_version()?,
            credentials: count("credentials")?,
            activities: count("activities")?,
        })
    }

    /// Every activity, newest first.
    fn activities(&self) -> Result<Vec<Activity>> {
        ledger::read_activities(self.conn(), "", None)
    }

    fn activity(&self, id: i64) -> Result<Activity> {
        ledger::activity(self.conn(), id)
    }

    fn credits_for_activity(&self, activity_id: i64) -> Result<Vec<Credit>> {
        ledger::read_credits(self.conn(), "activity_id", activity_id)
    }

    fn credits_for_credential(&self, credential_id: i64) -> Result<Vec<Credit>> {
        ledger::read_credits(self.conn(), "credential_id", credential_id)
    }

    /// Per credential, the credits inside its current cycle summed by category, and what those
    /// activities cost: the running totals, a few rows per credential.
    fn current_cycle_totals(&self) -> Result<HashMap<i64, CycleTotals>> {
        ledger::running_totals(self.conn())
    }

    /// The providers of the credits counting toward a credential's current cycle, one per credit.
    fn current_cycle_providers(&self, credential_id: i64) -> Result<Vec<Option<String>>> {
        ledger::current_cycle_providers(self.conn(), credential_id)
    }

    /// The newest two catalogs loaded from rules files, newest first.
    fn loaded_catalogs(&self) -> Result<Vec<catalogs::LoadedCatalog>> {
        catalogs::newest_loaded(self.conn())
    }

    /// Units waiting for a body's approval in each credential's current cycle.
    fn pending_units(&self) -> Result<HashMap<i64, crate::amount::Units>> {
        ledger::pending_units(self.conn())
    }

    /// The courses the user is considering, by date.
    fn planned_courses(&self) -> Result<Vec<crate::planner::PlannedCourse>> {
        planned::planned_courses(self.conn())
    }

    fn planned_course(&self, id: i64) -> Result<crate::planner::PlannedCourse> {
        planned::planned_course(self.conn(), id)
    }

    /// The same figures summed from the whole ledger (slow); the running totals must equal it.
    fn current_cycle_totals_from_ledger(&self) -> Result<HashMap<i64, CycleTotals>> {
        ledger::totals_from_ledger(self.conn())
    }

    /// Every proof path (`proofs/…`) an activity refers to.
    fn proof_paths(&self) -> Result<HashSet<String>> {
        ledger::proof_paths(self.conn())
    }

    /// Keys shown before, snoozes, and claims other checkers hold at `now`, for the planner.
    fn reminder_history(&self, now: DateTime<Utc>) -> Result<ReminderHistory> {
        reminders::reminder_history(self.conn(), now)
    }

    /// The most recent reminders raised, newest first.
    fn reminder_log(&self, limit: u32) -> Result<Vec<LoggedReminder>> {
        reminders::reminder_log(self.conn(), limit)
    }

    fn setting(&self, key: &str) -> Result<Option<String>> {
        reminders::setting(self.conn(), key)
    }

    /// This computer as sync knows it (its id, name, shared folder, clock).
    fn sync_device(&self) -> Result<sync::Device> {
        sync::device(self.conn())
    }

    /// The other computers seen in the shared folder.
    fn sync_peers(&self) -> Result<Vec<sync::Peer>> {
        sync::peers(self.conn())
    }

    /// Rows received that cannot be written yet, and why.
    fn sync_waiting(&self) -> Result<Vec<sync::Waiting>> {
        sync::waiting(self.conn())
    }

    /// The change files of `device` already applied here.
    fn sync_applied_files(&self, device: &str) -> Result<std::collections::BTreeSet<String>> {
        sync::applied_files(self.conn(), device)
    }

    /// This computer's stamped changes not yet written to the shared folder, oldest first.
    fn sync_outgoing(&self) -> Result<Vec<crate::sync::Change>> {
        sync::outgoing(self.conn())
    }

    /// Rows changed while syncing was off, not stamped yet.
    fn sync_pending_rows(&self) -> Result<usize> {
        Ok(self.conn().query_row("SELECT COUNT(*) FROM sync_dirty", [], |row| row.get::<_, i64>(0))? as usize)
    }

    /// The whole merged state, for a snapshot.
    fn sync_snapshot(&self) -> Result<Vec<crate::sync::Change>> {
        sync::snapshot(self.conn())
    }

    /// Every row that travels, as it travels (uids for ids), by table and key.
    #[allow(clippy::type_complexity)]
    fn synced_rows(
        &self,
    ) -> Result<std::collections::BTreeMap<(String, String), std::collections::BTreeMap<String, crate::sync::FieldValue>>>
    {
        sync::synced_rows(self.conn())
    }

    /// Values another computer had in a credential's fields that a later edit replaced.
    fn sync_overwritten(&self, credential_id: i64) -> Result<Vec<sync::Overwritten>> {
        sync::overwritten_for_credential(self.conn(), credential_id)
    }

    /// A number that changes whenever another connection commits a change to the file (SQLite's
    /// `data_version`): the same number before and inside a transaction means nothing read in
    /// between has changed.
    fn data_version(&self) -> Result<i64> {
        Ok(self.conn().query_row("PRAGMA data_version", [], |row| row.get(0))?)
    }
}

/// Switches the file to the WAL journal (kept in the file: a no-op after its first start). Two
/// processes switching a new file at the same moment each hold the read lock the other must see
/// go, and SQLite answers "busy" at once rather than wait for a deadlock; one of them has
/// switched it a moment later, so ask again (for at most about two seconds).
fn use_wal(conn: &Connection) -> Result<()> {
    let mut attempt = 0;
    loop {
        match conn.query_row("PRAGMA journal_mode = WAL", [], |row| row.get::<_, String>(0)) {
            Ok(_) => return Ok(()),
            Err(error) if attempt < 100 && error.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy) => {
                attempt += 1;
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            Err(error) => return Err(error.into()),
        }
    }
}

/// SQLite's defensive settings: functions with side effects never run from the schema (a
/// trigger, view or CHECK a file brought with it), and the schema cannot be written as data.
fn configure_defensively(conn: &Connection) -> Result<()> {
    conn.pragma_update(None, "trusted_schema", false)?;
    conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true)?;
    Ok(())
}

impl Read for Store {}
impl Read for Tx<'_> {}

impl Store {
    pub fn open_in_memory() -> Result<Self> {
        let mut conn = Connection::open_in_memory()?;
        Self::configure(&conn, false)?;
        migrate::migrate(&mut conn, None, Utc::now())?;
        Ok(Self { conn, folder: None, read_only: false, clock: Utc::now })
    }

    /// Per-connection settings: they cannot live in migrations (foreign_keys is per connection
    /// and journal_mode cannot change inside a transaction).
    fn configure(conn: &Connection, read_only: bool) -> Result<()> {
        conn.busy_timeout(BUSY_TIMEOUT)?;
        configure_defensively(conn)?;
        conn.pragma_update(None, "foreign_keys", true)?;
        if !read_only {
            use_wal(conn)?;
            conn.pragma_update(None, "synchronous", "NORMAL")?;
        }
        Ok(())
    }

    /// The wall clock sync's stamps read (tests fix it).
    pub fn set_clock(&mut self, clock: fn() -> DateTime<Utc>) {
        self.clock = clock;
    }

    /// SQLite's `quick_check` of the whole file: `None` when it is whole (as on every open).
    pub fn quick_check(&self) -> Result<Option<String>> {
        damage::quick_check(&self.conn)
    }

    /// Refuses a change when the data folder allows only reading.
    pub fn check_writable(&self) -> Result<()> {
        if self.read_only {
            return Err(Error::ReadOnlyFolder { dir: self.folder.clone().unwrap_or_default() });
        }
        Ok(())
    }

    /// Runs `work` in one `BEGIN IMMEDIATE` transaction and commits what it wrote, or rolls all
    /// of it back when it fails. The write lock is taken before the first read, so what `work`
    /// reads stays true until the commit; other writers wait (up to 30 s), readers do not.
    pub fn write<T>(&mut self, work: impl FnOnce(&Tx<'_>) -> Result<T>) -> Result<T> {
        self.check_writable()?;
        let tx = Tx { tx: self.conn.transaction_with_behavior(TransactionBehavior::Immediate)? };
        let value = work(&tx)?;
        // Sync: the rows this transaction changed get their clock stamps before it commits.
        sync::stamp_local_changes(&tx.tx, (self.clock)(), false)?;
        tx.tx.commit()?;
        Ok(value)
    }

    /// Copies a file someone wants to restore into `data_dir`'s `backups/` and checks the copy
    /// (see `restore.rs`): exactly Recert's schema for its version, whole, totals equal to the
    /// ledger, proofs inside `proofs/`; an older schema is migrated on the copy. `into`: the
    /// store it will be restored into, whose page size the copy takes.
    pub fn stage_restore(data_dir: &Path, file: &Path, into: Option<&Store>, now: DateTime<Utc>) -> Result<Candidate> {
        let page_size = match into {
            Some(store) => Some(store.conn.query_row("PRAGMA page_size", [], |r| r.get(0))?),
            None => None,
        };
        restore::stage(file, &data_dir.join(BACKUPS_DIR), page_size, now)
    }

    /// What a backup holds, after the checks of a restore (on a copy, removed again).
    pub fn inspect(data_dir: &Path, file: &Path, now: DateTime<Utc>) -> Result<DatabaseSummary> {
        Ok(restore::stage(file, &data_dir.join(BACKUPS_DIR), None, now)?.summary)
    }

    /// The proof paths a backup refers to; `None` when it is no readable Recert database.
    pub fn proof_paths_in(backup: &Path) -> Option<HashSet<String>> {
        restore::proof_paths_in(backup)
    }

    /// Replaces the whole database with the (checked) file at `source` through SQLite's backup
    /// API, which holds the write lock for the whole copy: other connections see the restored
    /// data, never half of it. An older schema is then migrated as on open. (It cannot run in
    /// [`Store::write`]: SQLite refuses a backup into a connection inside a transaction.)
    pub fn restore_from(&mut self, source: &Path, now: DateTime<Utc>) -> Result<()> {
        self.check_writable()?;
        self.conn.restore(rusqlite::MAIN_DB, source, None::<fn(rusqlite::backup::Progress)>)?;
        migrate::migrate(&mut self.conn, None, now)?;
        Ok(())
    }

    /// A consistent copy of the whole database in `dir`, named `<stem>.sqlite3` (`<stem>-2…`
    /// when taken); returns its path.
    pub fn backup_into(&self, dir: &Path, stem: &str) -> Result<PathBuf> {
        backup::write_copy(&self.conn, dir, stem)
    }
}

#[cfg(test)]
mod tests;
