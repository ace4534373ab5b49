//! The catalog in use, and newer rules loaded from a file without a new release: previewed,
//! applied on confirmation, and taken back with an undo.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use crate::catalog::Catalog;
use crate::catalog_update::{plan, CredentialUpdate};
use crate::error::{Error, Result};
use crate::store::{LoadedCatalog, Read};

use super::credentials::recomputed_credits;
use super::Recert;

/// The built-in catalog of the release before catalogs had versions (2026.11): the values
/// credentials added then were copied from.
const CATALOG_2026_11: &str = include_str!("../../data/catalog-2026.11.json");
/// Set by migration 0009: the held credentials still hold the 2026.11 catalog's values.
const REFRESH_SETTING: &str = "catalog_refresh_from";

/// Which catalog is in use, for Settings and `recert catalog`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CatalogInfo {
    pub version: String,
    pub published_on: NaiveDate,
    /// `true`: the catalog built into this Recert; `false`: one loaded from a rules file.
    pub built_in: bool,
    /// When the rules file in use was loaded.
    pub loaded_at: Option<String>,
    /// A rules file was loaded and can be taken back.
    pub can_undo: bool,
    /// Why a loaded rules file is not in use, when it is not.
    pub note: Option<String>,
}

/// What a rules file (or an undo) changes, before or after it is applied.
#[derive(Debug, Clone, Serialize)]
pub struct CatalogChange {
    pub from_version: String,
    pub from_published_on: NaiveDate,
    pub to_version: String,
    pub to_published_on: NaiveDate,
    pub applied: bool,
    /// The held credentials whose values change or are kept against the new catalog.
    pub credentials: Vec<CredentialUpdate>,
    pub presets_added: Vec<String>,
    pub presets_removed: Vec<String>,
    /// Presets whose content differs, by id.
    pub presets_changed: Vec<String>,
}

/// The catalog in use given the loaded rules files (newest first): the newest loaded one unless
/// the built-in one is newer (a release that came after the file). A file this Recert cannot read
/// any more is passed over, with a note.
pub(super) fn active_catalog(loaded: &[LoadedCatalog]) -> (Option<Catalog>, Option<String>) {
    let builtin = Catalog::builtin();
    let Some(newest) = loaded.first() else { return (None, None) };
    if newest.published_on < builtin.published_on() {
        let note = format!(
            "The rules file loaded ({} of {}) is older than the rules built into this Recert ({}), which are used.",
            newest.version,
            newest.published_on,
            builtin.published_on()
        );
        return (None, Some(note));
    }
    match Catalog::parse(&newest.document) {
        Ok(catalog) => (Some(catalog), None),
        Err(error) => {
            (None, Some(format!("The rules file loaded could not be read, so the built-in rules are used: {error}")))
        }
    }
}

impl Recert {
    pub fn catalog_info(&self) -> Result<CatalogInfo> {
        let loaded = self.store.loaded_catalogs()?;
        let catalog = self.catalog();
        let in_use = self.loaded_catalog.is_some().then(|| loaded.first()).flatten();
        Ok(CatalogInfo {
            version: catalog.version().to_string(),
            published_on: catalog.published_on(),
            built_in: self.loaded_catalog.is_none(),
            loaded_at: in_use.map(|row| row.loaded_at.clone()),
            can_undo: !loaded.is_empty(),
            note: self.catalog_note.clone(),
        })
    }

    /// Reads a rules file and works out what it would change; with `apply`, stores it as the
    /// catalog in use and moves the held credentials to it, in one transaction. A file that does
    /// not read changes nothing.
    pub fn update_catalog(
        &mut self,
        text: &str,
        apply: bool,
        now: DateTime<Utc>,
        today: NaiveDate,
    ) -> Result<CatalogChange> {
        let new = Catalog::parse(text)?;
        let current = self.catalog().clone();
        if new.published_on() < current.published_on() {
            return Err(Error::invalid(
                "rules-file",
                format!(
                    "is dated {}, older than the rules in use ({} of {}): nothing was changed",
                    new.published_on(),
                    current.version(),
                    current.published_on()
                ),
            ));
        }
        let change = self.move_between(&current, &new, apply, now, today, |tx| {
            tx.insert_catalog(new.version(), new.published_on(), text, now).map(drop)
        })?;
        if apply {
            self.reload_catalog()?;
        }
        Ok(change)
    }

    /// Takes back the newest rules file: the one before it (or the built-in catalog) is in use
    /// again and the held credentials move back to it, keeping what the user typed meanwhile.
    pub fn undo_catalog(&mut self, now: DateTime<Utc>, today: NaiveDate) -> Result<CatalogChange> {
        let loaded = self.store.loaded_catalogs()?;
        if loaded.is_empty() {
            return Err(Error::invalid("catalog", "no rules file was loaded: the built-in rules are in use"));
        }
        let (previous, _) = active_catalog(&loaded[1..]);
        let previous = previous.unwrap_or_else(|| Catalog::builtin().clone());
        let current = self.catalog().clone();
        let change = self.move_between(&current, &previous, true, now, today, |tx| {
            if tx.remove_newest_catalog()? {
                Ok(())
            } else {
                Err(Error::invalid("catalog", "no rules file was loaded"))
            }
        })?;
        self.reload_catalog()?;
        Ok(change)
    }

    /// Credentials added before a release whose catalog changed still hold that catalog's values:
    /// the first start that may write moves what nobody changed to the catalog in use, once
    /// (migration 0009 asks for it).
    pub(super) fn refresh_from_older_catalog(&mut self, now: DateTime<Utc>) -> Result<()> {
        if self.store.setting(REFRESH_SETTING)?.as_deref() != Some("2026.11") {
            return Ok(());
        }
        let older = Catalog::parse(CATALOG_2026_11)?;
        let to = self.catalog().clone();
        self.move_between(&older, &to, true, now, now.date_naive(), |tx| tx.remove_setting(REFRESH_SETTING))?;
        Ok(())
    }

    /// Works out what moving the held credentials from catalog `from` to `to` changes (see
    /// `catalog_update::plan`) and, with `apply`, writes it, with `store_catalog`, in one
    /// transaction.
    fn move_between(
        &mut self,
        from: &Catalog,
        to: &Catalog,
        apply: bool,
        now: DateTime<Utc>,
        today: NaiveDate,
        store_catalog: impl FnOnce(&crate::store::Tx<'_>) -> Result<()>,
    ) -> Result<CatalogChange> {
        let (added, removed, changed) = compare_presets(from, to);
        let summary = |credentials: Vec<CredentialUpdate>, applied: bool| CatalogChange {
            from_version: from.version().to_string(),
            from_published_on: from.published_on(),
            to_version: to.version().to_string(),
            to_published_on: to.published_on(),
            applied,
            credentials: credentials.into_iter().filter(|u| !u.changes.is_empty() || !u.kept.is_empty()).collect(),
            presets_added: added.clone(),
            presets_removed: removed.clone(),
            presets_changed: changed.clone(),
        };
        if !apply {
            let credentials = held_with_renewals(&self.store)?;
            return Ok(summary(plan(&credentials, from, to, today)?, false));
        }
        let updates = self.store.write(|tx| {
            let credentials = held_with_renewals(tx)?;
            let updates = plan(&credentials, from, to, today)?;
            for update in &updates {
                if update.changes.is_empty() {
                    continue;
                }
                let credits = recomputed_credits(tx, &update.updated)?;
                tx.update_credential(&update.updated, &credits, None, now)?;
            }
            store_catalog(tx)?;
            Ok(updates)
        })?;
        Ok(summary(updates, true))
    }

    pub(super) fn reload_catalog(&mut self) -> Result<()> {
        let (catalog, note) = active_catalog(&self.store.loaded_catalogs()?);
        self.loaded_catalog = catalog;
        self.catalog_note = note;
        Ok(())
    }
}

fn held_with_renewals(store: &impl Read) -> Result<Vec<(crate::credential::Credential, bool)>> {
    store
        .credentials()?
        .into_iter()
        .map(|credential| {
            let renewed = store.count_past_cycles(credential.id)? > 0;
            Ok((credential, renewed))
        })
        .collect()
}

/// Preset ids added, removed and changed from `from` to `to`.
fn compare_presets(from: &Catalog, to: &Catalog) -> (Vec<String>, Vec<String>, Vec<String>) {
    let text = |catalog: &Catalog, id: &str| catalog.preset(id).and_then(|p| serde_json::to_string(p).ok());
    let added = to.presets().iter().filter(|p| from.preset(&p.id).is_none()).map(|p| p.id.clone()).collect();
    let removed = from.presets().iter().filter(|p| to.preset(&p.id).is_none()).map(|p| p.id.clone()).collect();
    let changed = to
        .presets()
        .iter()
        .filter(|p| from.preset(&p.id).is_some() && text(from, &p.id) != text(to, &p.id))
        .map(|p| p.id.clone())
        .collect();
    (added, removed, changed)
}
