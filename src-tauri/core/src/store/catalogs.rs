//! Catalogs loaded from rules files, newest last.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension};

use super::{date, timestamp, Tx};
use crate::error::Result;

/// A rules file as it was loaded: its text is kept whole, so an undo goes back to exactly it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadedCatalog {
    pub id: i64,
    pub version: String,
    pub published_on: NaiveDate,
    pub document: String,
    pub loaded_at: String,
}

/// The newest two loaded catalogs, newest first.
pub(super) fn newest_loaded(conn: &Connection) -> Result<Vec<LoadedCatalog>> {
    let mut statement =
        conn.prepare("SELECT id, version, published_on, document, loaded_at FROM catalogs ORDER BY id DESC LIMIT 2")?;
    let rows = statement
        .query_map([], |row| {
            Ok((row.get::<_, i64>(0)?, row.get(1)?, row.get::<_, String>(2)?, row.get(3)?, row.get(4)?))
        })?
        .collect::<rusqlite::Result<Vec<(i64, String, String, String, String)>>>()?;
    rows.into_iter()
        .map(|(id, version, published_on, document, loaded_at)| {
            Ok(LoadedCatalog { id, version, published_on: date(published_on)?, document, loaded_at })
        })
        .collect()
}

impl Tx<'_> {
    pub fn insert_catalog(
        &self,
        version: &str,
        published_on: NaiveDate,
        document: &str,
        now: DateTime<Utc>,
    ) -> Result<i64> {
        self.tx.execute(
            "INSERT INTO catalogs (version, published_on, document, loaded_at) VALUES (?1, ?2, ?3, ?4)",
            params![version, published_on.to_string(), document, timestamp(now)],
        )?;
        Ok(self.tx.last_insert_rowid())
    }

    /// Removes the newest loaded catalog; `false` when none is left.
    pub fn remove_newest_catalog(&self) -> Result<bool> {
        let newest: Option<i64> =
            self.tx.query_row("SELECT MAX(id) FROM catalogs", [], |row| row.get(0)).optional()?.flatten();
        match newest {
            Some(id) => Ok(self.tx.execute("DELETE FROM catalogs WHERE id = ?1", [id])? == 1),
            None => Ok(false),
        }
    }
}
