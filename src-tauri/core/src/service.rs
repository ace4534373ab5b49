//! The operations a user performs, shared by the command line and the window: each validates
//! its input, applies the domain rules and writes through the store in one transaction.

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use crate::activity::{Activity, Credit};
use crate::catalog::Catalog;
use crate::costs::{upcoming_costs, UpcomingCost};
use crate::credential::{Credential, CredentialKind, PastCycle};
use crate::error::{Error, Result};
use crate::progress::CycleTotals;
use crate::proofs;
use crate::status::{apply_joint_fees, report, CredentialReport, DEFAULT_WARN_WITHIN_DAYS};
use crate::store::{Access, Made, Read, Store, BACKUPS_DIR, DATABASE_FILE};

/// The longest horizon of `upcoming_costs`, in months.
pub const MAX_COST_MONTHS: u32 = 1200;
/// The most reminders `reminder_log` returns at once.
pub const MAX_HISTORY_ROWS: u32 = 100_000;

pub struct Recert {
    store: Store,
    data_dir: PathBuf,
    /// A catalog loaded from a rules file and in use; `None`: the built-in one.
    loaded_catalog: Option<Catalog>,
    /// Why a loaded rules file is not in use, when it is not.
    catalog_note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CredentialDetail {
    pub report: CredentialReport,
    pub credits: Vec<(Credit, Activity)>,
    pub past_cycles: Vec<PastCycle>,
}

impl Recert {
    /// Opens the database in `data_dir`, creating the folder and the database when they are
    /// missing (the window's first start), and migrating it as needed.
    pub fn open(data_dir: &Path, now: DateTime<Utc>) -> Result<Self> {
        Ok(Self::open_for(data_dir, now, Access::Create)?.0)
    }

    /// Opens the database in `data_dir` for what a command will do (see [`Access`]); returns
    /// what had to be made.
    pub fn open_for(data_dir: &Path, now: DateTime<Utc>, access: Access) -> Result<(Self, Made)> {
        let (store, made) = Store::open(&data_dir.join(DATABASE_FILE), now, access)?;
        // The rules files loaded never stop a command: unreadable, the built-in catalog is used
        // (a restore over a damaged database must still run).
        let (loaded_catalog, catalog_note) = catalog::active_catalog(&store.loaded_catalogs().unwrap_or_default());
        let mut recert = Self { store, data_dir: data_dir.to_path_buf(), loaded_catalog, catalog_note };
        if access != Access::Read {
            // What a killed `log` or `backup` left behind; failing to tidy must not stop the command.
            let _ = recert.tidy_proofs();
            // A read-only start reads the credentials as they are; the next one that may write
            // refreshes them. Failing to (a damaged file, which the command then reports, or a
            // restore mends) leaves the request for the next start.
            let _ = recert.refresh_from_older_catalog(now);
            crate::partial::remove_abandoned(&data_dir.join(BACKUPS_DIR));
        }
        Ok((recert, made))
    }

    /// Removes proof copies that no database Recert may go back to refers to (the current one
    /// and every backup in `backups/`), and abandoned partial copies. Takes the write lock only
    /// when there is something to remove.
    fn tidy_proofs(&mut self) -> Result<()> {
        if !proofs::needs_tidying(&self.data_dir, &self.store.proof_paths()?) {
            return Ok(());
        }
        let mut in_backups = std::collections::HashSet::new();
        for backup in self.backups()? {
            // One that cannot be read can't be restored either (restore checks it whole).
            in_backups.extend(Store::proof_paths_in(&backup.path).unwrap_or_default());
        }
        let data_dir = &self.data_dir;
        self.store.write(|tx| {
            let mut in_use = tx.proof_paths()?;
            in_use.extend(in_backups);
            proofs::remove_unused(data_dir, &in_use);
            Ok(())
        })
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    pub fn database_path(&self) -> PathBuf {
        self.data_dir.join(DATABASE_FILE)
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn store_mut(&mut self) -> &mut Store {
        &mut self.store
    }

    /// The catalog in use: a rules file the user loaded, or the one built in.
    pub fn catalog(&self) -> &Catalog {
        self.loaded_catalog.as_ref().unwrap_or_else(|| Catalog::builtin())
    }

    // --- reports -----------------------------------------------------------------------------

    /// Every credential's report for `today`, most urgent first.
    pub fn status(&self, today: NaiveDate) -> Result<Vec<CredentialReport>> {
        status(&self.store, today)
    }

    pub fn credential_detail(&self, id: i64, today: NaiveDate) -> Result<CredentialDetail> {
        let credential = self.store.credential(id)?;
        let report = self
            .status(today)?
            .into_iter()
            .find(|r| r.credential.id == credential.id)
            .ok_or_else(|| Error::not_found("credential", id))?;
        let credits = self
            .store
            .credits_for_credential(id)?
            .into_iter()
            .map(|credit| Ok((credit.clone(), self.store.activity(credit.activity_id)?)))
            .collect::<Result<Vec<_>>>()?;
        Ok(CredentialDetail { report, credits, past_cycles: self.store.past_cycles(id)? })
    }

    /// Renewal fees over the next `months` (1 to 1200: beyond a century, dates stop being real).
    pub fn upcoming_costs(&self, today: NaiveDate, months: u32) -> Result<Vec<UpcomingCost>> {
        if !(1..=MAX_COST_MONTHS).contains(&months) {
            return Err(Error::invalid("months", format!("must be 1 to {MAX_COST_MONTHS}")));
        }
        let credentials = self.store.credentials()?;
        let totals = totals_with_providers(&self.store, &credentials)?;
        Ok(upcoming_costs(&credentials, &totals, today, months))
    }
}

/// The running totals of every credential's current cycle, with the providers of its credits
/// where its fee depends on them.
fn totals_with_providers(
    store: &impl Read,
    credentials: &[Credential],
) -> Result<std::collections::HashMap<i64, CycleTotals>> {
    let mut totals = store.current_cycle_totals()?;
    // An opening balance is not an activity: Costs counts courses.
    for (id, balances) in store.opening_balances_in_current_cycle()? {
        if let Some(entry) = totals.get_mut(&id) {
            entry.activity_count = entry.activity_count.saturating_sub(balances);
        }
    }
    for credential in credentials.iter().filter(|c| c.rules.fee_when_all_credits_from.is_some()) {
        totals.entry(credential.id).or_default().providers = store.current_cycle_providers(credential.id)?;
    }
    for (credential_id, units) in store.pending_units()? {
        totals.entry(credential_id).or_default().pending = units;
    }
    Ok(totals)
}

/// Where every credential stands on `today`, most urgent first, as `store` holds them.
fn status(store: &impl Read, today: NaiveDate) -> Result<Vec<CredentialReport>> {
    let credentials = store.credentials()?;
    let mut totals = totals_with_providers(store, &credentials)?;
    let warn_within = lead_times(store)?.longest().max(DEFAULT_WARN_WITHIN_DAYS);
    Ok(reports(&credentials, &mut totals, today, warn_within))
}

/// Reports for all credentials, most urgent first (lapsed, grace, due soon, current; then the
/// nearest deadline).
pub fn reports(
    credentials: &[Credential],
    totals: &mut std::collections::HashMap<i64, CycleTotals>,
    today: NaiveDate,
    warn_within_days: u32,
) -> Vec<CredentialReport> {
    let cards: Vec<&Credential> = credentials.iter().filter(|c| c.kind == CredentialKind::CprAed).collect();
    let mut reports: Vec<CredentialReport> = credentials
        .iter()
        .map(|credential| {
            report(credential, &totals.remove(&credential.id).unwrap_or_default(), &cards, today, warn_within_days)
        })
        .collect();
    apply_joint_fees(&mut reports, today);
    reports.sort_by(|a, b| {
        a.status.cmp(&b.status).then(a.days_left.cmp(&b.days_left)).then(a.credential.id.cmp(&b.credential.id))
    });
    reports
}

mod backup_and_restore;
mod catalog;
mod certificate;
mod credentials;
mod exchange;
mod ledger;
mod planning;
mod reminding;
mod sync;
pub use backup_and_restore::{restore_over_unreadable, RestoreOutcome};
pub use catalog::{CatalogChange, CatalogInfo};
pub use credentials::RenewalForm;
pub use exchange::{read_import_file, AuditPacket, ImportOptions, ImportReport, ImportRow, MAX_IMPORT_BYTES};
pub use ledger::{ActivityPreview, ActivityWithCredits, CardOffer, CreditOutcome, LoggedActivity};
pub use planning::{log_form as planned_log_form, PlanImportReport, PlanningInputs};
use reminding::lead_times;
pub use sync::{apply_remote, data_folder_warning, default_device_name, PeerStatus, SyncReport, SyncStatus};

#[cfg(test)]
mod tests;
