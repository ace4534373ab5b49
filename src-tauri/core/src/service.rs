//! The operations a user performs, shared by the command line and the window: each validates
//! its input, applies the domain rules and writes through the store in one transaction.

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use crate::activity::{convert_credit, decide_credit, Activity, ActivityForm, Credit, CreditDecision, ValidActivity};
use crate::amount::Cents;
use crate::catalog::Catalog;
use crate::costs::{upcoming_costs, UpcomingCost};
use crate::credential::{Credential, CredentialChanges, CredentialForm, CredentialKind, PastCycle};
use crate::dates::parse_date;
use crate::error::{Error, Result};
use crate::progress::{progress, CycleTotals};
use crate::proofs;
use crate::reminders::{self, LeadTimes, Reminder};
use crate::rules::{cycle_ending, next_cycle};
use crate::status::{apply_joint_fees, report, CredentialReport};
use crate::store::{Access, LoggedReminder, Made, Read, Store, BACKUPS_DIR, DATABASE_FILE};

/// The longest horizon of `upcoming_costs`, in months.
pub const MAX_COST_MONTHS: u32 = 1200;
/// The most reminders `reminder_log` returns at once.
pub const MAX_HISTORY_ROWS: u32 = 100_000;

pub struct Recert {
    store: Store,
    data_dir: PathBuf,
}

/// What logging an activity did for one held credential.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CreditOutcome {
    pub credential_id: i64,
    pub abbreviation: String,
    pub unit: Option<String>,
    #[serde(flatten)]
    pub decision: CreditDecision,
}

#[derive(Debug, Clone, Serialize)]
pub struct LoggedActivity {
    pub activity: Activity,
    pub outcomes: Vec<CreditOutcome>,
    /// The file copied as proof, when the path given was a link to it.
    pub proof_link_target: Option<PathBuf>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ActivityWithCredits {
    pub activity: Activity,
    pub credits: Vec<Credit>,
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
        let mut recert = Self { store, data_dir: data_dir.to_path_buf() };
        if access != Access::Read {
            // What a killed `log` or `backup` left behind; failing to tidy must not stop the command.
            let _ = recert.tidy_proofs();
            crate::partial::remove_abandoned(&data_dir.join(BACKUPS_DIR));
        }
        Ok((recert, made))
    }

    /// Removes proof copies no activity refers to, and abandoned partial copies. Takes the write
    /// lock only when there is something to remove.
    fn tidy_proofs(&mut self) -> Result<()> {
        if !proofs::needs_tidying(&self.data_dir, &self.store.proof_paths()?) {
            return Ok(());
        }
        let data_dir = &self.data_dir;
        self.store.write(|tx| {
            proofs::remove_unused(data_dir, &tx.proof_paths()?);
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

    pub fn catalog(&self) -> &'static Catalog {
        Catalog::builtin()
    }

    // --- credentials -------------------------------------------------------------------------

    pub fn add_credential(
        &mut self,
        form: &CredentialForm,
        now: DateTime<Utc>,
        today: NaiveDate,
    ) -> Result<Credential> {
        let credential = form.to_credential(self.catalog(), today)?;
        self.store.write(|tx| {
            let id = tx.insert_credential(&credential, now)?;
            tx.credential(id)
        })
    }

    pub fn credential(&self, id: i64) -> Result<Credential> {
        self.store.credential(id)
    }

    pub fn credentials(&self) -> Result<Vec<Credential>> {
        self.store.credentials()
    }

    /// Applies `changes`; credits inside the (possibly new) current cycle are recomputed with the
    /// new rules, those of earlier cycles are kept as they were counted.
    pub fn edit_credential(&mut self, id: i64, changes: &CredentialChanges, today: NaiveDate) -> Result<Credential> {
        self.store.write(|tx| {
            let changed = changes.apply(&tx.credential(id)?, today)?;
            tx.update_credential(&changed, &recomputed_credits(tx, &changed)?)?;
            tx.credential(id)
        })
    }

    /// Removes a credential; one with past cycles needs `confirmed` since its history goes too.
    pub fn remove_credential(&mut self, id: i64, confirmed: bool) -> Result<Credential> {
        self.store.write(|tx| {
            let credential = tx.credential(id)?;
            let history = tx.count_past_cycles(id)?;
            if history > 0 && !confirmed {
                return Err(Error::NeedsConfirmation(format!(
                    "{} has {history} past cycle(s) of history that would be removed too; confirm to remove it (--yes)",
                    credential.abbreviation
                )));
            }
            tx.delete_credential(id)?;
            Ok(credential)
        })
    }

    /// Closes the current cycle on `renewed_on` and starts the next by the credential's rule
    /// (`expires` overrides the computed end).
    pub fn renew(
        &mut self,
        id: i64,
        renewed_on: &str,
        fee_paid: Option<&str>,
        expires: Option<&str>,
        today: NaiveDate,
    ) -> Result<Credential> {
        let renewed_on = parse_date("date", renewed_on)?;
        let fee_paid = match fee_paid.map(str::trim) {
            None | Some("") => None,
            Some(text) => Some(Cents::parse("fee", text)?),
        };
        let expires = expires.map(str::trim).filter(|t| !t.is_empty()).map(|t| parse_date("expires", t)).transpose()?;
        if renewed_on > today {
            return Err(Error::invalid("date", format!("{renewed_on} is in the future")));
        }
        self.store.write(|tx| {
            let credential = tx.credential(id)?;
            if renewed_on < credential.cycle.start {
                return Err(Error::invalid(
                    "date",
                    format!("{renewed_on} is before the current cycle started ({})", credential.cycle.start),
                ));
            }
            let rules = &credential.rules;
            let next = match expires {
                Some(end) => {
                    if end <= credential.cycle.end {
                        return Err(Error::invalid(
                            "expires",
                            format!("the new cycle must end after the current one ({})", credential.cycle.end),
                        ));
                    }
                    let mut cycle = cycle_ending(&rules.cycle, credential.earned_on, end);
                    cycle.start = match rules.renews_from {
                        crate::rules::RenewsFrom::RenewalDate => renewed_on,
                        crate::rules::RenewsFrom::CycleEnd => credential.cycle.end.succ_opt().unwrap_or(end),
                        crate::rules::RenewsFrom::RenewalDayKeepingSchedule => {
                            renewed_on.min(credential.cycle.end).succ_opt().unwrap_or(end)
                        }
                    };
                    cycle
                }
                None => next_cycle(&rules.cycle, rules.renews_from, credential.cycle, renewed_on).ok_or_else(|| {
                    Error::invalid(
                        "expires",
                        "this credential has no cycle rule: give the new expiry date (YYYY-MM-DD)",
                    )
                })?,
            };
            let totals = tx.current_cycle_totals()?.remove(&id).unwrap_or_default();
            let closing = progress(&credential, &totals, today);
            let closed = PastCycle {
                credential_id: id,
                start: credential.cycle.start,
                end: credential.cycle.end,
                renewed_on,
                fee_paid,
                units_required: closing.units_required,
                units_earned: closing.units_earned,
            };
            tx.renew(&closed, next)?;
            tx.credential(id)
        })
    }

    /// The user checked the deadline Recert worked out and says it is right.
    pub fn confirm_expiry(&mut self, id: i64) -> Result<Credential> {
        self.store.write(|tx| {
            tx.confirm_expiry(id)?;
            tx.credential(id)
        })
    }

    pub fn past_cycles(&self, id: i64) -> Result<Vec<PastCycle>> {
        self.store.credential(id)?;
        self.store.past_cycles(id)
    }

    // --- the ledger --------------------------------------------------------------------------

    /// What logging `form` would credit to each held credential, without saving anything.
    pub fn preview_credits(&self, form: &ActivityForm, today: NaiveDate) -> Result<Vec<CreditOutcome>> {
        credit_outcomes(&self.store, &form.validate(today)?)
    }

    /// Logs an activity once and credits it to every credential it can serve (or to those the
    /// form names, each of which must be able to take it).
    pub fn log_activity(
        &mut self,
        form: &ActivityForm,
        now: DateTime<Utc>,
        today: NaiveDate,
    ) -> Result<LoggedActivity> {
        let activity = form.validate(today)?;
        // Refuse what can be refused before copying a proof; the decisions are taken again in
        // the write transaction, from what the database holds then.
        refuse_unfit_choices(&activity, &credit_outcomes(&self.store, &activity)?)?;
        // Copy the proof before taking the write lock (it may be large); it gets its name in the
        // transaction that stores the activity, and goes again if that fails.
        let staged = form.proof_file.as_deref().map(|path| proofs::stage(&self.data_dir, path)).transpose()?;
        let proof_link_target = staged.as_ref().and_then(|staged| staged.link_target.clone());
        let data_dir = &self.data_dir;
        self.store.write(|tx| {
            let outcomes = credit_outcomes(tx, &activity)?;
            refuse_unfit_choices(&activity, &outcomes)?;
            let credits = credits_of(&activity, &outcomes);
            let placed = staged.map(|staged| staged.place(data_dir)).transpose()?;
            let proof = placed.as_ref().map(|(proof, _)| proof);
            match tx.insert_activity(&activity, proof, &credits, now).and_then(|id| tx.activity(id)) {
                Ok(activity) => Ok(LoggedActivity { activity, outcomes, proof_link_target }),
                Err(error) => {
                    if let Some((proof, true)) = &placed {
                        let _ = std::fs::remove_file(data_dir.join(&proof.stored_path));
                    }
                    Err(error)
                }
            }
        })
    }

    pub fn activities(&self) -> Result<Vec<ActivityWithCredits>> {
        self.store
            .activities()?
            .into_iter()
            .map(|activity| {
                Ok(ActivityWithCredits { credits: self.store.credits_for_activity(activity.id)?, activity })
            })
            .collect()
    }

    pub fn delete_activity(&mut self, id: i64) -> Result<Activity> {
        let activity = self.store.write(|tx| {
            let activity = tx.activity(id)?;
            tx.delete_activity(id)?;
            Ok(activity)
        })?;
        // The removal is committed: tidying its proof may fail without undoing it (what is left
        // goes at the next start).
        if activity.proof.is_some() {
            let _ = self.tidy_proofs();
        }
        Ok(activity)
    }

    /// Absolute path of an activity's stored proof file.
    pub fn proof_path(&self, activity_id: i64) -> Result<PathBuf> {
        let activity = self.store.activity(activity_id)?;
        let proof = activity.proof.ok_or_else(|| Error::not_found("proof for activity", activity_id))?;
        Ok(self.data_dir.join(proof.stored_path))
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
        Ok(upcoming_costs(&self.store.credentials()?, today, months))
    }

    // --- reminders ---------------------------------------------------------------------------

    pub const LEAD_DAYS_SETTING: &'static str = "reminder_lead_days";

    /// The global reminder lead times (default 90, 60, 30, 14, 7, 1 days).
    pub fn lead_times(&self) -> Result<LeadTimes> {
        lead_times(&self.store)
    }

    /// Sets the global lead times from text like "90, 30, 7"; bad input changes nothing.
    pub fn set_lead_times(&mut self, text: &str) -> Result<LeadTimes> {
        let lead_times = LeadTimes::parse(text)?;
        self.store.write(|tx| tx.set_setting(Self::LEAD_DAYS_SETTING, &lead_times.to_text()))?;
        Ok(lead_times)
    }

    /// The reminders due on `today` (what `remind --dry-run` shows); raising them takes a claim.
    pub fn due_reminders(&self, today: NaiveDate, now: DateTime<Utc>) -> Result<Vec<Reminder>> {
        due_reminders(&self.store, today, now)
    }

    /// Claims the reminders due on `today` that `wanted` keeps, for this checker to raise: in one
    /// write transaction with deciding they are due, so two checkers at once (the window, cron)
    /// never raise the same one. Record each outcome with [`Recert::record_reminder`].
    pub fn claim_due_reminders(
        &mut self,
        today: NaiveDate,
        now: DateTime<Utc>,
        wanted: impl Fn(&Reminder) -> bool,
    ) -> Result<Vec<Reminder>> {
        self.store.write(|tx| {
            let due: Vec<Reminder> = due_reminders(tx, today, now)?.into_iter().filter(|r| wanted(r)).collect();
            tx.claim_reminders(&due, now)?;
            Ok(due)
        })
    }

    /// Records that a claimed reminder was raised, ending the claim; `delivery_error` when no
    /// notification could be shown (it then stays due).
    pub fn record_reminder(
        &mut self,
        reminder: &Reminder,
        delivery_error: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.store.write(|tx| tx.record_reminder(reminder, delivery_error, now))
    }

    pub fn snooze_reminder(&mut self, key: &str, days: u32, today: NaiveDate) -> Result<NaiveDate> {
        if !(1..=365).contains(&days) {
            return Err(Error::invalid("days", "a snooze lasts 1 to 365 days"));
        }
        let until = today + chrono::Days::new(days.into());
        self.store.write(|tx| tx.snooze_reminder(key, until))?;
        Ok(until)
    }

    pub fn reminder_log(&self, limit: u32) -> Result<Vec<LoggedReminder>> {
        if !(1..=MAX_HISTORY_ROWS).contains(&limit) {
            return Err(Error::invalid("limit", format!("must be 1 to {MAX_HISTORY_ROWS}")));
        }
        self.store.reminder_log(limit)
    }

    /// Writes a consistent copy of the database into `<data_dir>/backups/`.
    pub fn backup_now(&self, now: DateTime<Utc>) -> Result<PathBuf> {
        self.store.backup_into(&self.data_dir.join(BACKUPS_DIR), &format!("recert-{}", now.format("%Y%m%dT%H%M%SZ")))
    }
}

/// Where every credential stands on `today`, most urgent first, as `store` holds them.
fn status(store: &impl Read, today: NaiveDate) -> Result<Vec<CredentialReport>> {
    let credentials = store.credentials()?;
    let mut totals = store.current_cycle_totals()?;
    Ok(reports(&credentials, &mut totals, today))
}

fn due_reminders(store: &impl Read, today: NaiveDate, now: DateTime<Utc>) -> Result<Vec<Reminder>> {
    let reports = status(store, today)?;
    Ok(reminders::due_now(&reports, &lead_times(store)?, &store.reminder_history(now)?, today))
}

fn lead_times(store: &impl Read) -> Result<LeadTimes> {
    match store.setting(Recert::LEAD_DAYS_SETTING)? {
        Some(text) => LeadTimes::parse(&text),
        None => Ok(LeadTimes::default()),
    }
}

/// The credits of `credential` after its rules or cycle changed: those of the current cycle are
/// converted again (typed units kept), earlier ones stay as they were counted.
fn recomputed_credits(store: &impl Read, credential: &Credential) -> Result<Vec<Credit>> {
    let mut credits = Vec::new();
    for credit in store.credits_for_credential(credential.id)? {
        if credit.overridden || !credit.counts_toward(credential.cycle) {
            credits.push(credit);
            continue;
        }
        let activity = store.activity(credit.activity_id)?;
        if let CreditDecision::Credited { units, category, .. } =
            convert_credit(credential, activity.hours, &activity.categories, None)
        {
            credits.push(Credit { units, category, ..credit });
        }
    }
    Ok(credits)
}

/// What `activity` earns toward each credential `store` holds.
fn credit_outcomes(store: &impl Read, activity: &ValidActivity) -> Result<Vec<CreditOutcome>> {
    let credentials = store.credentials()?;
    for (id, _) in &activity.overrides {
        if !credentials.iter().any(|c| c.id == *id) {
            return Err(Error::not_found("credential", id));
        }
    }
    Ok(credentials
        .iter()
        .map(|credential| {
            let choice = activity.overrides.iter().find(|(id, _)| *id == credential.id);
            let decision = if !activity.overrides.is_empty() && choice.is_none() {
                CreditDecision::NotCredited { reason: "not selected".into() }
            } else {
                let typed = choice.and_then(|(_, units)| *units);
                decide_credit(credential, activity.completed_on, activity.hours, &activity.categories, typed)
            };
            CreditOutcome {
                credential_id: credential.id,
                abbreviation: credential.abbreviation.clone(),
                unit: credential.rules.unit.clone(),
                decision,
            }
        })
        .collect())
}

/// A credential the user named (`--for`) must be able to take the activity.
fn refuse_unfit_choices(activity: &ValidActivity, outcomes: &[CreditOutcome]) -> Result<()> {
    for outcome in outcomes {
        let chosen = activity.overrides.iter().any(|(id, _)| *id == outcome.credential_id);
        if let (true, CreditDecision::NotCredited { reason }) = (chosen, &outcome.decision) {
            return Err(Error::invalid(
                "for",
                format!("{} (id {}) cannot take this activity: {reason}", outcome.abbreviation, outcome.credential_id),
            ));
        }
    }
    Ok(())
}

fn credits_of(activity: &ValidActivity, outcomes: &[CreditOutcome]) -> Vec<Credit> {
    outcomes
        .iter()
        .filter_map(|outcome| match &outcome.decision {
            CreditDecision::Credited { units, category, overridden, late_for_cycle_end, .. } => Some(Credit {
                activity_id: 0,
                credential_id: outcome.credential_id,
                completed_on: activity.completed_on,
                units: *units,
                category: category.clone(),
                overridden: *overridden,
                late_for_cycle_end: *late_for_cycle_end,
            }),
            CreditDecision::NotCredited { .. } => None,
        })
        .collect()
}

/// Reports for all credentials, most urgent first (lapsed, grace, due soon, current; then the
/// nearest deadline).
pub fn reports(
    credentials: &[Credential],
    totals: &mut std::collections::HashMap<i64, CycleTotals>,
    today: NaiveDate,
) -> Vec<CredentialReport> {
    let cards: Vec<&Credential> = credentials.iter().filter(|c| c.kind == CredentialKind::CprAed).collect();
    let mut reports: Vec<CredentialReport> = credentials
        .iter()
        .map(|credential| report(credential, &totals.remove(&credential.id).unwrap_or_default(), &cards, today))
        .collect();
    apply_joint_fees(&mut reports, today);
    reports.sort_by(|a, b| {
        a.status.cmp(&b.status).then(a.days_left.cmp(&b.days_left)).then(a.credential.id.cmp(&b.credential.id))
    });
    reports
}

#[cfg(test)]
mod tests;
