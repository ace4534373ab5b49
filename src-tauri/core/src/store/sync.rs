//! Sync's SQL (issue 22). Triggers (migration 0011) mark every row of the user's data that
//! changed in `sync_dirty`, whichever program wrote it; when a write transaction ends, the store
//! compares each marked row with the merged state (`sync_fields`) and stamps the fields that
//! differ with this computer's hybrid logical clock. Remote changes are merged into the same
//! state field by field (a later stamp wins), and the rows they touch are written from it. The
//! integer ids stay local: references travel as uids.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use rusqlite::types::{FromSql, FromSqlResult, ToSqlOutput, Value, ValueRef};
use rusqlite::{params, Connection, OptionalExtension, ToSql};

use super::Tx;
use crate::error::{Error, Result};
use crate::sync::{clock, replaces, Change, FieldValue, DELETED};

/// A clock stamp as SQLite keeps it. SQLite's integers are signed, and a stamp's top bit is set
/// from January 19, 2038 on (its seconds fill the upper 32 bits): stored as it is, a later stamp
/// would sort before an earlier one wherever SQLite compares them (what is still to send, the
/// latest stamp seen). Stored with that bit flipped, SQLite's order is the stamps' order
/// (migration 0012 turned the stamps stored before into this form).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stored(u64);

const STAMP_TOP_BIT: u64 = 1 << 63;

impl ToSql for Stored {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from((self.0 ^ STAMP_TOP_BIT) as i64))
    }
}

impl FromSql for Stored {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        i64::column_result(value).map(|stored| Stored(stored as u64 ^ STAMP_TOP_BIT))
    }
}

impl ToSql for FieldValue {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            FieldValue::Null => ToSqlOutput::Owned(Value::Null),
            FieldValue::Int(value) => ToSqlOutput::Owned(Value::Integer(*value)),
            FieldValue::Text(text) => ToSqlOutput::Borrowed(ValueRef::Text(text.as_bytes())),
        })
    }
}

impl rusqlite::types::FromSql for FieldValue {
    fn column_result(value: ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        Ok(match value {
            ValueRef::Null => FieldValue::Null,
            ValueRef::Integer(value) => FieldValue::Int(value),
            ValueRef::Text(text) => FieldValue::Text(String::from_utf8_lossy(text).into_owned()),
            // Recert stores no floats or blobs; a foreign one travels as its text.
            ValueRef::Real(value) => FieldValue::Text(value.to_string()),
            ValueRef::Blob(bytes) => FieldValue::Text(String::from_utf8_lossy(bytes).into_owned()),
        })
    }
}

/// What a column holds, for translating local ids to uids and back.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Col {
    Plain,
    /// A credential's local id.
    Credential,
    /// A reminder key, `credential id:cycle end:kind:lead days`.
    ReminderKey,
}

/// How a row is named across computers.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Key {
    /// Its `uid` column.
    Uid,
    /// A credit: `activity uid/credential uid`.
    CreditPair,
    /// A snooze: its reminder key with the credential's uid.
    Snooze,
    /// A setting: its key.
    Setting,
}

/// Rows of a child table that travel as one field of their parent (JSON, in position order).
struct List {
    field: &'static str,
    table: &'static str,
    /// Each element: one column as a value, several as an array.
    columns: &'static [&'static str],
}

struct Table {
    name: &'static str,
    key: Key,
    columns: &'static [(&'static str, Col)],
    lists: &'static [List],
}

/// The tables that travel, parents before the rows that refer to them. Not here: credits' running
/// totals (recomputed), reminder claims and open notifications (this machine's processes), the
/// settings of this machine, loaded catalogs, planned courses.
const TABLES: &[Table] = &[
    Table {
        name: "credentials",
        key: Key::Uid,
        columns: &[
            ("preset_id", Col::Plain),
            ("kind", Col::Plain),
            ("body", Col::Plain),
            ("body_short", Col::Plain),
            ("name", Col::Plain),
            ("abbreviation", Col::Plain),
            ("number", Col::Plain),
            ("earned_on", Col::Plain),
            ("cycle_start", Col::Plain),
            ("cycle_end", Col::Plain),
            ("member", Col::Plain),
            ("notes", Col::Plain),
            ("rules", Col::Plain),
            ("created_at", Col::Plain),
            ("expiry_confirmed", Col::Plain),
        ],
        lists: &[],
    },
    Table {
        name: "activities",
        key: Key::Uid,
        columns: &[
            ("title", Col::Plain),
            ("provider", Col::Plain),
            ("completed_on", Col::Plain),
            ("hours", Col::Plain),
            ("cost_cents", Col::Plain),
            ("notes", Col::Plain),
            ("proof_path", Col::Plain),
            ("proof_name", Col::Plain),
            ("proof_sha256", Col::Plain),
            ("created_at", Col::Plain),
            ("opening_balance_for", Col::Credential),
        ],
        lists: &[
            List { field: "categories", table: "activity_categories", columns: &["category"] },
            List { field: "approvals", table: "activity_approvals", columns: &["body", "number"] },
        ],
    },
    Table {
        name: "past_cycles",
        key: Key::Uid,
        columns: &[
            ("credential_id", Col::Credential),
            ("cycle_start", Col::Plain),
            ("cycle_end", Col::Plain),
            ("renewed_on", Col::Plain),
            ("fee_paid_cents", Col::Plain),
            ("units_required", Col::Plain),
            ("units_earned", Col::Plain),
            ("expiry_was_confirmed", Col::Plain),
        ],
        lists: &[],
    },
    Table {
        name: "credits",
        key: Key::CreditPair,
        columns: &[
            ("completed_on", Col::Plain),
            ("units", Col::Plain),
            ("category", Col::Plain),
            ("overridden", Col::Plain),
            ("late_for_cycle_end", Col::Plain),
            ("standing", Col::Plain),
        ],
        lists: &[],
    },
    Table {
        name: "reminder_log",
        key: Key::Uid,
        columns: &[
            ("reminder_key", Col::ReminderKey),
            ("credential_id", Col::Credential),
            ("cycle_end", Col::Plain),
            ("kind", Col::Plain),
            ("due_on", Col::Plain),
            ("title", Col::Plain),
            ("body", Col::Plain),
            ("raised_at", Col::Plain),
            ("delivery", Col::Plain),
            ("error", Col::Plain),
        ],
        lists: &[],
    },
    Table {
        name: "reminder_snoozes",
        key: Key::Snooze,
        columns: &[("credential_id", Col::Credential), ("until", Col::Plain)],
        lists: &[],
    },
    Table { name: "settings", key: Key::Setting, columns: &[("value", Col::Plain)], lists: &[] },
];

/// The tables whose rows carry a `uid` (the store gives each new row one; a trigger fills it for a
/// row inserted without).
pub(super) const UID_TABLES: &[&str] = &["credentials", "past_cycles", "activities", "reminder_log"];

fn table(name: &str) -> Option<&'static Table> {
    TABLES.iter().find(|table| table.name == name)
}

/// Tables whose rows feed the running totals.
const LEDGER_TABLES: &[&str] = &["credentials", "activities", "credits"];

/// This computer as the shared folder knows it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Device {
    pub device: String,
    pub name: Option<String>,
    pub folder: Option<String>,
    pub last_hlc: u64,
    pub exported_hlc: u64,
}

/// Another computer seen in the shared folder.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Peer {
    pub device: String,
    pub name: Option<String>,
    /// The stamp of the newest change received from it.
    pub last_hlc: u64,
    /// When its newest file was written, by its clock.
    pub last_sent_at: Option<String>,
    /// When this computer last applied something from it.
    pub received_at: Option<String>,
}

/// A row of the merged state that cannot be written yet.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Waiting {
    pub table: String,
    pub key: String,
    pub reason: String,
}

/// What applying a batch did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Applied {
    /// Fields whose value changed here.
    pub changed: usize,
    /// Changes older than (or the same as) what this computer holds.
    pub unchanged: usize,
    /// Changes stamped too far ahead of this computer's clock: not applied, they wait.
    pub ahead: Vec<Change>,
    /// Changes to a table this Recert does not sync: left out.
    pub unknown: usize,
    /// Credentials (local ids) whose rules or cycle another computer changed: their credits are
    /// worked out again by the service, as after an edit here.
    #[serde(skip)]
    pub recredit: Vec<i64>,
}

/// The fields of a credential its credits are worked out from.
const CREDITING_FIELDS: &[&str] = &["rules", "cycle_start", "cycle_end"];

/// A field two computers both set, where one value won: what the other computer had.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Overwritten {
    pub column: String,
    pub kept: FieldValue,
    pub kept_device: String,
    pub kept_hlc: u64,
    pub lost: FieldValue,
    pub lost_device: String,
    pub lost_hlc: u64,
}

pub(super) fn device(conn: &Connection) -> Result<Device> {
    Ok(conn.query_row(
        "SELECT device, name, folder, last_hlc, exported_hlc FROM sync_device WHERE only = 1",
        [],
        |row| {
            Ok(Device {
                device: row.get(0)?,
                name: row.get(1)?,
                folder: row.get(2)?,
                last_hlc: row.get::<_, Stored>(3)?.0,
                exported_hlc: row.get::<_, Stored>(4)?.0,
            })
        },
    )?)
}

pub(super) fn peers(conn: &Connection) -> Result<Vec<Peer>> {
    let mut statement =
        conn.prepare("SELECT device, name, last_hlc, last_sent_at, received_at FROM sync_peers ORDER BY name, device")?;
    let rows = statement.query_map([], |row| {
        Ok(Peer {
            device: row.get(0)?,
            name: row.get(1)?,
            last_hlc: row.get::<_, Stored>(2)?.0,
            last_sent_at: row.get(3)?,
            received_at: row.get(4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(super) fn waiting(conn: &Connection) -> Result<Vec<Waiting>> {
    let mut statement = conn.prepare("SELECT tbl, row_key, reason FROM sync_waiting ORDER BY tbl, row_key")?;
    let rows =
        statement.query_map([], |row| Ok(Waiting { table: row.get(0)?, key: row.get(1)?, reason: row.get(2)? }))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(super) fn applied_files(conn: &Connection, device: &str) -> Result<BTreeSet<String>> {
    let mut statement = conn.prepare_cached("SELECT file FROM sync_applied_files WHERE device = ?1")?;
    let rows = statement.query_map([device], |row| row.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Changes of this computer not yet written to the shared folder, oldest first.
pub(super) fn outgoing(conn: &Connection) -> Result<Vec<Change>> {
    let me = device(conn)?;
    changes_where(conn, "WHERE device = ?1 AND hlc > ?2 ORDER BY hlc", params![me.device, Stored(me.exported_hlc)])
}

/// The whole merged state: every field that won, whoever set it.
pub(super) fn snapshot(conn: &Connection) -> Result<Vec<Change>> {
    changes_where(conn, "ORDER BY hlc", params![])
}

fn changes_where(conn: &Connection, filter: &str, params: &[&dyn ToSql]) -> Result<Vec<Change>> {
    let mut statement =
        conn.prepare(&format!("SELECT tbl, row_key, col, value, hlc, device FROM sync_fields {filter}"))?;
    let rows = statement.query_map(params, |row| {
        Ok(Change {
            table: row.get(0)?,
            key: row.get(1)?,
            column: row.get(2)?,
            value: row.get(3)?,
            hlc: row.get::<_, Stored>(4)?.0,
            device: row.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every row of the user's data that travels, as it travels (uids for ids), by table and key:
/// two computers that have merged the same changes hold the same rows.
pub(super) fn synced_rows(conn: &Connection) -> Result<BTreeMap<(String, String), BTreeMap<String, FieldValue>>> {
    let mut rows = BTreeMap::new();
    for table in TABLES {
        for key in local_keys(conn, table)? {
            if let Some((_, fields)) = read_row(conn, table, &key)? {
                rows.insert(
                    (table.name.to_string(), key),
                    fields.into_iter().map(|(c, v)| (c.to_string(), v)).collect(),
                );
            }
        }
    }
    Ok(rows)
}

/// The keys of every local row of `table`, as they travel.
fn local_keys(conn: &Connection, table: &Table) -> Result<Vec<String>> {
    let mut statement = conn.prepare(&local_keys_sql(table))?;
    let keys = statement.query_map([], |row| row.get(0))?.collect::<rusqlite::Result<_>>()?;
    Ok(keys)
}

/// Marks every row that travels as changed: turning syncing on, what differs from the merged
/// state is then stamped (the triggers mark nothing while this computer does not sync).
fn mark_everything(conn: &Connection) -> Result<()> {
    for table in TABLES {
        conn.execute(
            &format!(
                "INSERT OR IGNORE INTO sync_dirty (tbl, row_key) SELECT '{}', k FROM ({}) WHERE k IS NOT NULL",
                table.name,
                local_keys_sql(table)
            ),
            [],
        )?;
    }
    // A row removed while syncing was off is in the merged state but gone here: marked, its
    // removal is stamped. A row waiting for one it refers to has not arrived yet: not removed.
    conn.execute(
        "INSERT OR IGNORE INTO sync_dirty (tbl, row_key)
         SELECT DISTINCT f.tbl, f.row_key FROM sync_fields f
         WHERE NOT EXISTS (SELECT 1 FROM sync_waiting w WHERE w.tbl = f.tbl AND w.row_key = f.row_key)",
        [],
    )?;
    Ok(())
}

/// A query of the keys (column `k`) of every local row of `table`.
fn local_keys_sql(table: &Table) -> String {
    match table.key {
        Key::Uid => format!("SELECT uid AS k FROM {} WHERE uid IS NOT NULL", table.name),
        Key::CreditPair => {
            "SELECT a.uid || '/' || c.uid AS k FROM credits cr JOIN activities a ON a.id = cr.activity_id \
                            JOIN credentials c ON c.id = cr.credential_id"
                .into()
        }
        Key::Snooze => {
            "SELECT c.uid || substr(s.reminder_key, instr(s.reminder_key, ':')) AS k FROM reminder_snoozes s \
                        JOIN credentials c ON c.id = s.credential_id"
                .into()
        }
        Key::Setting => "SELECT key AS k FROM settings WHERE key IN ('reminder_lead_days')".into(),
    }
}

fn id_of(conn: &Connection, table: &str, uid: &str) -> Result<Option<i64>> {
    let mut statement = conn.prepare_cached(&format!("SELECT id FROM {table} WHERE uid = ?1"))?;
    Ok(statement.query_row([uid], |row| row.get(0)).optional()?)
}

fn uid_of(conn: &Connection, table: &str, id: i64) -> Result<Option<String>> {
    let mut statement = conn.prepare_cached(&format!("SELECT uid FROM {table} WHERE id = ?1"))?;
    Ok(statement.query_row([id], |row| row.get(0)).optional()?)
}

/// `id:rest` → `uid:rest` (a key Recert cannot read travels as it is).
fn reminder_key_out(conn: &Connection, key: &str) -> Result<String> {
    if let Some((id, rest)) = key.split_once(':') {
        if let Ok(id) = id.parse::<i64>() {
            if let Some(uid) = uid_of(conn, "credentials", id)? {
                return Ok(format!("{uid}:{rest}"));
            }
        }
    }
    Ok(key.to_string())
}

/// `uid:rest` → `id:rest`; `None` while the credential is not here.
fn reminder_key_in(conn: &Connection, key: &str) -> Result<Option<String>> {
    match key.split_once(':') {
        Some((uid, rest)) if uid.len() == 36 => Ok(id_of(conn, "credentials", uid)?.map(|id| format!("{id}:{rest}"))),
        _ => Ok(Some(key.to_string())),
    }
}

/// The local row named `key`: the SQL condition and its parameters; `None` when a row it refers to
/// is not here (so neither is it).
fn locate(conn: &Connection, table: &Table, key: &str) -> Result<Option<(&'static str, Vec<Value>)>> {
    Ok(match table.key {
        Key::Uid => Some(("uid = ?1", vec![Value::Text(key.into())])),
        Key::Setting => Some(("key = ?1", vec![Value::Text(key.into())])),
        Key::CreditPair => {
            let Some((activity, credential)) = key.split_once('/') else { return Ok(None) };
            match (id_of(conn, "activities", activity)?, id_of(conn, "credentials", credential)?) {
                (Some(a), Some(c)) => {
                    Some(("activity_id = ?1 AND credential_id = ?2", vec![Value::Integer(a), Value::Integer(c)]))
                }
                _ => None,
            }
        }
        Key::Snooze => reminder_key_in(conn, key)?.map(|local| ("reminder_key = ?1", vec![Value::Text(local)])),
    })
}

/// A local row as it travels: its rowid and its fields (ids as uids, child lists as JSON);
/// `None` when it is not here.
/// A local row: its rowid and its fields as they travel.
type LocalRow = (i64, Vec<(&'static str, FieldValue)>);

fn read_row(conn: &Connection, table: &Table, key: &str) -> Result<Option<LocalRow>> {
    let Some((condition, parameters)) = locate(conn, table, key)? else { return Ok(None) };
    let columns: Vec<&str> = table.columns.iter().map(|(name, _)| *name).collect();
    let mut statement =
        conn.prepare_cached(&format!("SELECT rowid, {} FROM {} WHERE {condition}", columns.join(", "), table.name))?;
    let row = statement
        .query_row(rusqlite::params_from_iter(parameters.iter()), |row| {
            let rowid: i64 = row.get(0)?;
            let values =
                (0..columns.len()).map(|i| row.get::<_, FieldValue>(i + 1)).collect::<rusqlite::Result<Vec<_>>>()?;
            Ok((rowid, values))
        })
        .optional()?;
    let Some((rowid, values)) = row else { return Ok(None) };
    let mut fields = Vec::with_capacity(values.len() + table.lists.len());
    for ((name, col), value) in table.columns.iter().zip(values) {
        let value = match (col, value) {
            (Col::Credential, FieldValue::Int(id)) => match uid_of(conn, "credentials", id)? {
                Some(uid) => FieldValue::Text(uid),
                None => FieldValue::Null,
            },
            (Col::ReminderKey, FieldValue::Text(text)) => FieldValue::Text(reminder_key_out(conn, &text)?),
            (_, value) => value,
        };
        fields.push((*name, value));
    }
    for list in table.lists {
        let element = match list.columns {
            [one] => one.to_string(),
            several => format!("json_array({})", several.join(", ")),
        };
        let mut statement = conn.prepare_cached(&format!(
            "SELECT json_group_array({element} ORDER BY position) FROM {} WHERE activity_id = ?1",
            list.table
        ))?;
        let json: String = statement.query_row([rowid], |row| row.get(0))?;
        fields.push((list.field, FieldValue::Text(json)));
    }
    Ok(Some((rowid, fields)))
}

/// The merged state of one row: column → (value, stamp, device).
fn state(conn: &Connection, table: &str, key: &str) -> Result<HashMap<String, (FieldValue, u64, String)>> {
    let mut statement =
        conn.prepare_cached("SELECT col, value, hlc, device FROM sync_fields WHERE tbl = ?1 AND row_key = ?2")?;
    let rows = statement.query_map([table, key], |row| {
        Ok((row.get::<_, String>(0)?, (row.get(1)?, row.get::<_, Stored>(2)?.0, row.get::<_, String>(3)?)))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn set_field(conn: &Connection, change: &Change) -> Result<()> {
    let mut statement = conn.prepare_cached(
        "INSERT INTO sync_fields (tbl, row_key, col, value, hlc, device) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (tbl, row_key, col) DO UPDATE SET value = excluded.value, hlc = excluded.hlc,
             device = excluded.device",
    )?;
    statement.execute(params![
        change.table,
        change.key,
        change.column,
        change.value,
        Stored(change.hlc),
        change.device
    ])?;
    Ok(())
}

/// Stamps the rows changed since the last stamp (`sync_dirty`) with one new clock stamp: each
/// field that differs from the merged state becomes a change of this computer. Runs at the end of
/// every write transaction while syncing is on; off, the marks wait for the first sync.
pub(super) fn stamp_local_changes(conn: &Connection, now: DateTime<Utc>, always: bool) -> Result<usize> {
    let me = device(conn)?;
    if me.folder.is_none() && !always {
        return Ok(0);
    }
    let dirty: Vec<(String, String)> = {
        let mut statement = conn.prepare_cached("SELECT tbl, row_key FROM sync_dirty")?;
        let rows = statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    if dirty.is_empty() {
        return Ok(0);
    }
    let hlc = clock::next(me.last_hlc, now);
    let mut stamped = 0;
    for (table_name, key) in &dirty {
        let Some(table) = table(table_name) else { continue };
        let known = state(conn, table.name, key)?;
        let mut stamp = |column: &str, value: FieldValue| -> Result<()> {
            stamped += 1;
            set_field(
                conn,
                &Change {
                    table: table.name.into(),
                    key: key.clone(),
                    column: column.into(),
                    value,
                    hlc,
                    device: me.device.clone(),
                },
            )
        };
        let deleted = matches!(known.get(DELETED), Some((FieldValue::Int(1), _, _)));
        match read_row(conn, table, key)? {
            Some((_, fields)) => {
                for (column, value) in fields {
                    if known.get(column).map(|(known, _, _)| known) != Some(&value) {
                        stamp(column, value)?;
                    }
                }
                if deleted {
                    stamp(DELETED, FieldValue::Int(0))?;
                }
            }
            None if !known.is_empty() && !deleted => stamp(DELETED, FieldValue::Int(1))?,
            None => {}
        }
    }
    conn.execute("DELETE FROM sync_dirty", [])?;
    conn.execute("UPDATE sync_device SET last_hlc = ?1 WHERE only = 1", [Stored(hlc)])?;
    Ok(stamped)
}

/// Why a row of the merged state cannot be written here.
enum Blocked {
    /// A row it refers to was removed: so is it.
    Gone,
    Waits(String),
}

/// Writes one row of the merged state into its table (inserting, updating or removing it).
fn materialize(conn: &Connection, table: &Table, key: &str) -> Result<()> {
    let fields = state(conn, table.name, key)?;
    let result = write_row(conn, table, key, &fields);
    let mut forget = conn.prepare_cached("DELETE FROM sync_waiting WHERE tbl = ?1 AND row_key = ?2")?;
    match result {
        Ok(()) | Err(Blocked::Gone) => {
            forget.execute([table.name, key])?;
        }
        Err(Blocked::Waits(reason)) => {
            conn.execute(
                "INSERT INTO sync_waiting (tbl, row_key, reason) VALUES (?1, ?2, ?3)
                 ON CONFLICT (tbl, row_key) DO UPDATE SET reason = excluded.reason",
                [table.name, key, &reason],
            )?;
        }
    }
    Ok(())
}

fn is_tombstoned(conn: &Connection, table: &str, key: &str) -> bool {
    conn.query_row(
        "SELECT value FROM sync_fields WHERE tbl = ?1 AND row_key = ?2 AND col = ?3",
        [table, key, DELETED],
        |row| row.get::<_, FieldValue>(0),
    )
    .optional()
    .ok()
    .flatten()
        == Some(FieldValue::Int(1))
}

/// A credential's uid as a local id; blocked while it has not arrived, gone when it was removed.
fn credential_id(conn: &Connection, uid: &str) -> std::result::Result<i64, Blocked> {
    match id_of(conn, "credentials", uid) {
        Ok(Some(id)) => Ok(id),
        Ok(None) if is_tombstoned(conn, "credentials", uid) => Err(Blocked::Gone),
        Ok(None) => Err(Blocked::Waits(format!("waits for credential {uid}"))),
        Err(error) => Err(Blocked::Waits(error.to_string())),
    }
}

fn write_row(
    conn: &Connection,
    table: &Table,
    key: &str,
    fields: &HashMap<String, (FieldValue, u64, String)>,
) -> std::result::Result<(), Blocked> {
    let sql_error = |error: rusqlite::Error| Blocked::Waits(error.to_string());
    let store_error = |error: Error| Blocked::Waits(error.to_string());
    let deleted = matches!(fields.get(DELETED), Some((FieldValue::Int(1), _, _)));
    // The parts of the key that name other rows must be here.
    let mut key_values: Vec<(&str, Value)> = Vec::new();
    match table.key {
        Key::Uid => key_values.push(("uid", Value::Text(key.into()))),
        Key::Setting => key_values.push(("key", Value::Text(key.into()))),
        Key::CreditPair => {
            let (activity, credential) = key.split_once('/').ok_or(Blocked::Gone)?;
            let activity_id = match id_of(conn, "activities", activity).map_err(store_error)? {
                Some(id) => id,
                None if is_tombstoned(conn, "activities", activity) => return Err(Blocked::Gone),
                None => return Err(Blocked::Waits(format!("waits for activity {activity}"))),
            };
            key_values.push(("activity_id", Value::Integer(activity_id)));
            key_values.push(("credential_id", Value::Integer(credential_id(conn, credential)?)));
        }
        Key::Snooze => {
            let (uid, _) = key.split_once(':').ok_or(Blocked::Gone)?;
            credential_id(conn, uid)?;
            let local = reminder_key_in(conn, key).map_err(store_error)?.ok_or(Blocked::Gone)?;
            key_values.push(("reminder_key", Value::Text(local)));
        }
    }
    let condition: Vec<String> = key_values.iter().enumerate().map(|(i, (c, _))| format!("{c} = ?{}", i + 1)).collect();
    let condition = condition.join(" AND ");
    let key_params: Vec<&Value> = key_values.iter().map(|(_, v)| v).collect();
    let rowid: Option<i64> = conn
        .query_row(
            &format!("SELECT rowid FROM {} WHERE {condition}", table.name),
            rusqlite::params_from_iter(key_params.iter()),
            |row| row.get(0),
        )
        .optional()
        .map_err(sql_error)?;
    if deleted {
        if let Some(rowid) = rowid {
            conn.execute(&format!("DELETE FROM {} WHERE rowid = ?1", table.name), [rowid]).map_err(sql_error)?;
        }
        return Err(Blocked::Gone);
    }
    // The values to write, ids for uids.
    let mut values: Vec<(&str, Value)> = Vec::new();
    for (column, col) in table.columns {
        let Some((value, _, _)) = fields.get(*column) else {
            if rowid.is_none() {
                return Err(Blocked::Waits(format!("waits for its field {column}")));
            }
            continue;
        };
        let value = match (col, value) {
            (_, FieldValue::Null) => Value::Null,
            (Col::Credential, FieldValue::Text(uid)) => Value::Integer(credential_id(conn, uid)?),
            (Col::ReminderKey, FieldValue::Text(text)) => match reminder_key_in(conn, text).map_err(store_error)? {
                Some(local) => Value::Text(local),
                None => return Err(Blocked::Waits(format!("waits for the credential of reminder {text}"))),
            },
            (_, FieldValue::Int(value)) => Value::Integer(*value),
            (_, FieldValue::Text(text)) => Value::Text(text.clone()),
        };
        values.push((column, value));
    }
    conn.execute_batch("SAVEPOINT sync_row").map_err(sql_error)?;
    let written = (|| -> rusqlite::Result<()> {
        let rowid = match rowid {
            Some(rowid) => {
                if !values.is_empty() {
                    let sets: Vec<String> =
                        values.iter().enumerate().map(|(i, (c, _))| format!("{c} = ?{}", i + 2)).collect();
                    let mut parameters: Vec<&Value> = vec![];
                    let rowid_value = Value::Integer(rowid);
                    parameters.push(&rowid_value);
                    parameters.extend(values.iter().map(|(_, v)| v));
                    conn.execute(
                        &format!("UPDATE {} SET {} WHERE rowid = ?1", table.name, sets.join(", ")),
                        rusqlite::params_from_iter(parameters.iter()),
                    )?;
                }
                rowid
            }
            None => {
                let all: Vec<&(&str, Value)> = key_values.iter().chain(values.iter()).collect();
                let names: Vec<&str> = all.iter().map(|(c, _)| *c).collect();
                let marks: Vec<String> = (1..=all.len()).map(|i| format!("?{i}")).collect();
                conn.execute(
                    &format!("INSERT INTO {} ({}) VALUES ({})", table.name, names.join(", "), marks.join(", ")),
                    rusqlite::params_from_iter(all.iter().map(|(_, v)| v)),
                )?;
                conn.last_insert_rowid()
            }
        };
        for list in table.lists {
            let Some((FieldValue::Text(json), _, _)) = fields.get(list.field) else { continue };
            conn.execute(&format!("DELETE FROM {} WHERE activity_id = ?1", list.table), [rowid])?;
            let elements: Vec<serde_json::Value> = serde_json::from_str(json).unwrap_or_default();
            for (position, element) in elements.iter().enumerate() {
                let cells: Vec<Value> = match element {
                    serde_json::Value::Array(cells) => cells.iter().map(json_cell).collect(),
                    one => vec![json_cell(one)],
                };
                let marks: Vec<String> = (3..cells.len() + 3).map(|i| format!("?{i}")).collect();
                let mut parameters = vec![Value::Integer(rowid), Value::Integer(position as i64)];
                parameters.extend(cells);
                conn.execute(
                    &format!(
                        "INSERT INTO {} (activity_id, position, {}) VALUES (?1, ?2, {})",
                        list.table,
                        list.columns.join(", "),
                        marks.join(", ")
                    ),
                    rusqlite::params_from_iter(parameters.iter()),
                )?;
            }
        }
        Ok(())
    })();
    match written {
        Ok(()) => conn.execute_batch("RELEASE sync_row").map_err(sql_error),
        Err(error) => {
            conn.execute_batch("ROLLBACK TO sync_row; RELEASE sync_row").map_err(sql_error)?;
            Err(Blocked::Waits(error.to_string()))
        }
    }
}

fn json_cell(value: &serde_json::Value) -> Value {
    match value {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Number(number) => number.as_i64().map(Value::Integer).unwrap_or(Value::Null),
        serde_json::Value::String(text) => Value::Text(text.clone()),
        other => Value::Text(other.to_string()),
    }
}

fn record_overwritten(conn: &Connection, kept: &Change, lost: &Change) -> Result<()> {
    // The history is the credential's; other tables keep none.
    if kept.value == lost.value || kept.table != "credentials" {
        return Ok(());
    }
    conn.prepare_cached(
        "INSERT OR IGNORE INTO sync_overwritten (tbl, row_key, col, kept_value, kept_device, kept_hlc, lost_value,
                                                lost_device, lost_hlc)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        kept.table,
        kept.key,
        kept.column,
        kept.value,
        kept.device,
        Stored(kept.hlc),
        lost.value,
        lost.device,
        Stored(lost.hlc)
    ])?;
    Ok(())
}

impl Tx<'_> {
    /// This computer: its id, name, shared folder and clock.
    pub fn sync_device(&self) -> Result<Device> {
        device(&self.tx)
    }

    /// Turns syncing on with `folder` (`None`: off) and names this computer.
    pub fn set_sync_folder(&self, folder: Option<&str>, name: Option<&str>) -> Result<()> {
        // Another shared folder (or the same one after leaving: its files may have gone): what
        // this computer wrote goes out again, what is there is read anew (both are idempotent).
        let previous = device(&self.tx)?.folder;
        if folder.is_some() && previous.as_deref() != folder {
            self.tx.execute("UPDATE sync_device SET exported_hlc = ?1 WHERE only = 1", [Stored(0)])?;
            self.tx.execute("DELETE FROM sync_applied_files", [])?;
        }
        // Turning syncing on: what changed while it was off (nothing was marked) is stamped.
        if folder.is_some() && previous.is_none() {
            mark_everything(&self.tx)?;
        }
        self.tx.execute(
            "UPDATE sync_device SET folder = ?1, name = COALESCE(?2, name) WHERE only = 1",
            params![folder, name],
        )?;
        Ok(())
    }

    /// Stamps what changed so far in this transaction (see [`stamp_local_changes`]), even with
    /// syncing off: what is about to be written out must carry its stamps.
    pub fn stamp_local_changes(&self, now: DateTime<Utc>) -> Result<usize> {
        stamp_local_changes(&self.tx, now, true)
    }

    /// Notes that this computer's changes up to `hlc` are in the shared folder `folder`; nothing
    /// when syncing has moved to another folder meanwhile (that one has yet to get them).
    pub fn mark_exported(&self, hlc: u64, folder: &str) -> Result<()> {
        self.tx.execute(
            "UPDATE sync_device SET exported_hlc = MAX(exported_hlc, ?1) WHERE only = 1 AND folder = ?2",
            params![Stored(hlc), folder],
        )?;
        Ok(())
    }

    /// Merges remote changes field by field (a later stamp wins; the same change twice changes
    /// nothing) and writes the rows they touch, then the rows that were waiting; derived data (the
    /// running totals) is recomputed. Local changes not yet stamped are stamped first, so they
    /// compete with the remote ones. A change stamped more than the clock bound ahead of `now`
    /// is left out and returned in `ahead`.
    pub fn apply_changes(&self, changes: &[Change], now: DateTime<Utc>) -> Result<Applied> {
        let conn: &Connection = &self.tx;
        stamp_local_changes(conn, now, true)?;
        let me = device(conn)?;
        let mut applied = Applied::default();
        let mut latest = me.last_hlc;
        let mut touched: BTreeSet<(usize, String)> = BTreeSet::new();
        let mut recredit: BTreeSet<String> = BTreeSet::new();
        let mut current = conn.prepare_cached(
            "SELECT value, hlc, device FROM sync_fields WHERE tbl = ?1 AND row_key = ?2 AND col = ?3",
        )?;
        for change in changes {
            // A table this Recert does not sync (a damaged or foreign file: a newer Recert's
            // files wait for their schema) is left out, and said.
            let Some(position) = TABLES.iter().position(|table| table.name == change.table) else {
                applied.unknown += 1;
                continue;
            };
            if clock::too_far_ahead(change.hlc, now) {
                applied.ahead.push(change.clone());
                continue;
            }
            latest = latest.max(change.hlc);
            let held: Option<Change> = current
                .query_row(params![change.table, change.key, change.column], |row| {
                    Ok(Change {
                        value: row.get(0)?,
                        hlc: row.get::<_, Stored>(1)?.0,
                        device: row.get(2)?,
                        ..change.clone()
                    })
                })
                .optional()?;
            if replaces(change.stamp(), held.as_ref().map(Change::stamp)) {
                if let Some(held) = &held {
                    record_overwritten(conn, change, held)?;
                }
                if held.as_ref().map(|held| &held.value) != Some(&change.value) {
                    applied.changed += 1;
                    touched.insert((position, change.key.clone()));
                    if change.table == "credentials" && CREDITING_FIELDS.contains(&change.column.as_str()) {
                        recredit.insert(change.key.clone());
                    }
                } else {
                    applied.unchanged += 1;
                }
                set_field(conn, change)?;
            } else {
                if let Some(held) = &held {
                    if held.stamp() != change.stamp() {
                        record_overwritten(conn, held, change)?;
                    }
                }
                applied.unchanged += 1;
            }
        }
        for row in waiting(conn)? {
            if let Some(position) = TABLES.iter().position(|table| table.name == row.table) {
                touched.insert((position, row.key));
            }
        }
        let ledger = touched.iter().any(|(position, _)| LEDGER_TABLES.contains(&TABLES[*position].name));
        for (position, key) in &touched {
            materialize(conn, &TABLES[*position], key)?;
        }
        if ledger {
            let ids: Vec<i64> = conn
                .prepare("SELECT id FROM credentials")?
                .query_map([], |row| row.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            for id in ids {
                super::ledger::rebuild_totals(conn, id)?;
            }
        }
        for uid in &recredit {
            applied.recredit.extend(id_of(conn, "credentials", uid)?);
        }
        conn.execute("UPDATE sync_device SET last_hlc = MAX(last_hlc, ?1) WHERE only = 1", [Stored(latest)])?;
        Ok(applied)
    }

    /// Records that a whole change file of `device` was applied (and the device's name and
    /// newest stamp).
    pub fn note_peer_file(
        &self,
        device: &str,
        name: Option<&str>,
        file: &str,
        last_hlc: u64,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.tx.execute(
            "INSERT OR IGNORE INTO sync_applied_files (device, file) VALUES (?1, ?2)",
            params![device, file],
        )?;
        self.tx.execute(
            "INSERT INTO sync_peers (device, name, last_hlc, last_sent_at, received_at) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (device) DO UPDATE SET name = COALESCE(excluded.name, name),
                 last_sent_at = CASE WHEN excluded.last_hlc > last_hlc THEN excluded.last_sent_at ELSE last_sent_at END,
                 last_hlc = MAX(last_hlc, excluded.last_hlc), received_at = excluded.received_at",
            params![device, name, Stored(last_hlc), super::timestamp(clock::instant(last_hlc)), super::timestamp(now)],
        )?;
        Ok(())
    }

    /// Forgets files of `device` that are no longer in the shared folder (removed after a
    /// snapshot).
    pub fn forget_peer_files(&self, device: &str, present: &BTreeSet<String>) -> Result<()> {
        for file in applied_files(&self.tx, device)? {
            if !present.contains(&file) {
                self.tx
                    .execute("DELETE FROM sync_applied_files WHERE device = ?1 AND file = ?2", params![device, file])?;
            }
        }
        Ok(())
    }
}

/// What another computer had in fields of credential `id` that a later edit replaced, newest
/// first, and the other way round.
pub(super) fn overwritten_for_credential(conn: &Connection, id: i64) -> Result<Vec<Overwritten>> {
    let Some(uid) = uid_of(conn, "credentials", id)? else { return Ok(vec![]) };
    let mut statement = conn.prepare(
        "SELECT col, kept_value, kept_device, kept_hlc, lost_value, lost_device, lost_hlc FROM sync_overwritten
         WHERE tbl = 'credentials' AND row_key = ?1 ORDER BY kept_hlc DESC, id DESC",
    )?;
    let rows = statement.query_map([uid], |row| {
        Ok(Overwritten {
            column: row.get(0)?,
            kept: row.get(1)?,
            kept_device: row.get(2)?,
            kept_hlc: row.get::<_, Stored>(3)?.0,
            lost: row.get(4)?,
            lost_device: row.get(5)?,
            lost_hlc: row.get::<_, Stored>(6)?.0,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn columns_of(conn: &Connection, table: &str) -> BTreeSet<String> {
        let mut statement = conn.prepare("SELECT name FROM pragma_table_info(?1)").unwrap();
        statement.query_map([table], |row| row.get(0)).unwrap().map(|name| name.unwrap()).collect()
    }

    /// `TABLES` is a second list of the columns the store writes: a column added to a table that
    /// travels must be added there too, or it would silently stay on one computer. Each column is
    /// synced, part of the row's name across computers, or the local id.
    #[test]
    fn every_column_of_a_table_that_travels_is_synced() {
        let store = super::super::Store::open_in_memory().unwrap();
        for table in TABLES {
            let naming: &[&str] = match table.key {
                Key::Uid => &["id", "uid"],
                Key::CreditPair => &["activity_id", "credential_id"],
                Key::Snooze => &["reminder_key"],
                Key::Setting => &["key"],
            };
            let synced = table.columns.iter().map(|(name, _)| *name).chain(naming.iter().copied());
            let synced: BTreeSet<String> = synced.map(str::to_string).collect();
            assert_eq!(columns_of(&store.conn, table.name), synced, "the columns of {}", table.name);
            for list in table.lists {
                let listed = ["activity_id", "position"].iter().chain(list.columns).map(|c| c.to_string()).collect();
                assert_eq!(columns_of(&store.conn, list.table), listed, "the columns of {}", list.table);
            }
        }
    }
}
