//! The operations a user performs, shared by the command line and the window: each validates
//! its input, applies the domain rules and writes through the store in one transaction.

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use crate::activity::{
    convert_credit, decide_credit, is_cpr_course, Activity, ActivityChanges, ActivityForm, Credit, CreditDecision,
    ProofChange, ValidActivity,
};
use crate::amount::{Cents, Hours, Units};
use crate::backups::{self, Backup, BackupKind};
use crate::catalog::Catalog;
use crate::costs::{upcoming_costs, UpcomingCost};
use crate::credential::{Credential, CredentialChanges, CredentialForm, CredentialKind, PastCycle};
use crate::dates::parse_typed_date;
use crate::error::{Error, FieldError, Result};
use crate::opening::parse_opening;
use crate::progress::{progress, CycleTotals};
use crate::proofs;
use crate::reminders::{self, LeadTimes, OpenNotification, Reminder};
use crate::rules::{cycle_ending, next_cycle};
use crate::status::{apply_joint_fees, report, CredentialReport, DEFAULT_WARN_WITHIN_DAYS};
use crate::store::{Access, DatabaseSummary, LoggedReminder, Made, Read, Store, BACKUPS_DIR, DATABASE_FILE};

/// The longest horizon of `upcoming_costs`, in months.
pub const MAX_COST_MONTHS: u32 = 1200;
/// The most reminders `reminder_log` returns at once.
pub const MAX_HISTORY_ROWS: u32 = 100_000;
/// A notification shown longer ago than this is not taken over: one that old is more likely gone
/// from the screen than not, and taking over a gone one would show it anew.
const NOTIFICATIONS_STAY_AT_MOST: chrono::Duration = chrono::Duration::days(7);

pub struct Recert {
    store: Store,
    data_dir: PathBuf,
}

/// What the user typed to record a renewal.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct RenewalForm {
    /// The day the renewal was completed (YYYY-MM-DD).
    pub date: String,
    /// The fee paid, e.g. 60.00.
    pub fee: Option<String>,
    /// The new expiry, when the body's certificate says otherwise than the rule.
    pub expires: Option<String>,
    /// Record it even though the credits logged fall short of the requirement.
    pub confirmed: bool,
}

/// What a restore did: what the data holds now, and where the data it replaced was saved.
#[derive(Debug, Clone, Serialize)]
pub struct RestoreOutcome {
    pub restored: DatabaseSummary,
    pub previous_data_saved_to: PathBuf,
}

/// What logging an activity did for one held credential.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CreditOutcome {
    pub credential_id: i64,
    pub abbreviation: String,
    pub unit: Option<String>,
    #[serde(flatten)]
    pub decision: CreditDecision,
    /// Editing only: the credit was counted toward a cycle that has since closed, and stays
    /// as it was counted.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub kept: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct LoggedActivity {
    pub activity: Activity,
    pub outcomes: Vec<CreditOutcome>,
    /// The file copied as proof, when the path given was a link to it.
    pub proof_link_target: Option<PathBuf>,
    /// CPR/AED cards the course may have renewed: the user is offered to record the new card.
    pub card_offers: Vec<CardOffer>,
}

/// A CPR/AED course was logged while a card is held: the course probably issued a new card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CardOffer {
    pub credential_id: i64,
    pub abbreviation: String,
    /// The course date: the new card's issue date.
    pub issued_on: NaiveDate,
    /// When the card on file ends.
    pub current_end: NaiveDate,
}

/// What the log form would do, for the form to show while the user types: the date and hours
/// as the core read them (to echo them back), and either the credits or every problem.
#[derive(Debug, Clone, Serialize)]
pub struct ActivityPreview {
    pub completed_on: Option<NaiveDate>,
    pub hours: Option<Hours>,
    pub outcomes: Option<Vec<CreditOutcome>>,
    pub problems: Vec<FieldError>,
}

/// Which credentials an activity is credited to.
#[derive(Debug, Clone, Copy)]
enum Selection<'a> {
    /// Every held credential it can serve.
    Every,
    /// Only these, each with the units the user typed, if any.
    Only(&'a [(i64, Option<Units>)]),
    /// Editing without choosing again: as it is now (see `ActivityChanges::credit_to`).
    Keep,
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
        let opening = parse_opening(&form.already_earned, &credential)?;
        self.store.write(|tx| {
            let id = tx.insert_credential(&credential, &opening, now)?;
            tx.credential(id)
        })
    }

    /// Adds every credential a new user holds at once (the first-run flow): all are checked
    /// first and stored together, or none is. An error names the form by its position
    /// (`2.earned`: the third form's date earned).
    pub fn add_credentials(
        &mut self,
        forms: &[CredentialForm],
        now: DateTime<Utc>,
        today: NaiveDate,
    ) -> Result<Vec<Credential>> {
        if forms.is_empty() {
            return Err(Error::invalid("credentials", "tick at least one credential you hold"));
        }
        let mut checked = Vec::new();
        for (index, form) in forms.iter().enumerate() {
            let in_form = |error: Error| match error {
                Error::Invalid { field, message } => Error::Invalid { field: format!("{index}.{field}"), message },
                other => other,
            };
            let credential = form.to_credential(self.catalog(), today).map_err(in_form)?;
            let opening = parse_opening(&form.already_earned, &credential).map_err(in_form)?;
            checked.push((credential, opening));
        }
        self.store.write(|tx| tx.insert_credentials(&checked, now)?.into_iter().map(|id| tx.credential(id)).collect())
    }

    pub fn credential(&self, id: i64) -> Result<Credential> {
        self.store.credential(id)
    }

    pub fn credentials(&self) -> Result<Vec<Credential>> {
        self.store.credentials()
    }

    /// Applies `changes`; credits inside the (possibly new) current cycle are recomputed with the
    /// new rules, those of earlier cycles are kept as they were counted. A new opening balance
    /// replaces the old one.
    pub fn edit_credential(
        &mut self,
        id: i64,
        changes: &CredentialChanges,
        now: DateTime<Utc>,
        today: NaiveDate,
    ) -> Result<Credential> {
        self.store.write(|tx| {
            let changed = changes.apply(&tx.credential(id)?, today)?;
            let mut credits = recomputed_credits(tx, &changed)?;
            let opening = match &changes.already_earned {
                Some(texts) => {
                    let entries = parse_opening(texts, &changed)?;
                    let old_balance = tx.opening_balance_activities(id)?;
                    credits.retain(|credit| !old_balance.contains(&credit.activity_id));
                    Some(entries)
                }
                None => None,
            };
            tx.update_credential(&changed, &credits, opening.as_deref(), now)?;
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

    /// Closes the current cycle on the renewal day and starts the next by the credential's rule
    /// (`expires` overrides the computed end). Renewing while short of the requirement needs
    /// `confirmed`: the user may have credits Recert does not know of, but should say so.
    pub fn renew(&mut self, id: i64, form: &RenewalForm, today: NaiveDate) -> Result<Credential> {
        let renewed_on = parse_typed_date("date", &form.date)?;
        if renewed_on > today {
            return Err(Error::invalid("date", format!("{renewed_on} is in the future")));
        }
        let fee_paid = match form.fee.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(text) => Some(Cents::parse("fee", text)?),
        };
        let expires = form
            .expires
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(|t| parse_typed_date("expires", t))
            .transpose()?;
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
            if let (Some(short), Some(required), false) = (closing.shortfall, closing.units_required, form.confirmed) {
                if short.0 > 0 {
                    let unit = credential.rules.unit.as_deref().unwrap_or("units");
                    let what = if closing.units_earned >= required {
                        format!("{} is short in a category", credential.abbreviation)
                    } else {
                        format!("{} of {required} {unit} logged", closing.units_earned)
                    };
                    return Err(Error::NeedsConfirmation(format!(
                        "{what}; {} requires {required}. Record the renewal anyway?",
                        credential.body_short
                    )));
                }
            }
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

    /// Takes back the most recent renewal: its cycle becomes the current one again.
    pub fn undo_renewal(&mut self, id: i64) -> Result<Credential> {
        self.store.write(|tx| {
            tx.credential(id)?;
            tx.undo_last_renewal(id)?;
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
        let activity = form.validate(today)?;
        credit_outcomes(&self.store, &activity, selection(&activity.overrides), None)
    }

    /// What saving the log form would do — or, with `editing`, saving it over that activity
    /// (an empty `credit_to` then keeps the current choice) — with the date and hours as read,
    /// and every problem of the form as data rather than as an error.
    pub fn preview_activity(
        &self,
        form: &ActivityForm,
        editing: Option<i64>,
        today: NaiveDate,
    ) -> Result<ActivityPreview> {
        let completed_on = form.completed_on().ok();
        let hours = form.hours().ok();
        let activity = match form.validate(today) {
            Ok(activity) => activity,
            Err(error) if error.code() == "invalid" => {
                return Ok(ActivityPreview { completed_on, hours, outcomes: None, problems: error.field_errors() })
            }
            Err(error) => return Err(error),
        };
        let outcomes = match editing {
            Some(id) => {
                let old = self.store.activity(id)?;
                let chosen =
                    if form.credit_to.is_empty() { Selection::Keep } else { Selection::Only(&activity.overrides) };
                credit_outcomes(&self.store, &activity, chosen, Some(&old))?
            }
            None => credit_outcomes(&self.store, &activity, selection(&activity.overrides), None)?,
        };
        Ok(ActivityPreview { completed_on, hours, outcomes: Some(outcomes), problems: Vec::new() })
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
        credit_outcomes(&self.store, &activity, selection(&activity.overrides), None)?;
        // Copy the proof before taking the write lock (it may be large); it gets its name in the
        // transaction that stores the activity, and goes again if that fails.
        let staged = form.proof_file.as_deref().map(|path| proofs::stage(&self.data_dir, path)).transpose()?;
        let proof_link_target = staged.as_ref().and_then(|staged| staged.link_target.clone());
        let data_dir = &self.data_dir;
        self.store.write(|tx| {
            let outcomes = credit_outcomes(tx, &activity, selection(&activity.overrides), None)?;
            let credits = credits_of(&outcomes, activity.completed_on, &[]);
            let placed = staged.map(|staged| staged.place(data_dir)).transpose()?;
            let proof = placed.as_ref().map(|(proof, _)| proof);
            let stored = tx.insert_activity(&activity, proof, &credits, now).and_then(|id| tx.activity(id));
            match stored.and_then(|activity| Ok((card_offers(tx, &activity)?, activity))) {
                Ok((card_offers, activity)) => {
                    Ok(LoggedActivity { activity, outcomes, proof_link_target, card_offers })
                }
                Err(error) => {
                    if let Some((proof, true)) = &placed {
                        let _ = std::fs::remove_file(data_dir.join(&proof.stored_path));
                    }
                    Err(error)
                }
            }
        })
    }

    /// Changes a logged activity and credits it again by the same rules as logging, in one
    /// transaction. Credits already counted toward a closed cycle stay as counted; typed units
    /// are kept unless the credentials are chosen again. Bad input changes nothing.
    pub fn edit_activity(&mut self, id: i64, changes: &ActivityChanges, today: NaiveDate) -> Result<LoggedActivity> {
        let proof_change = changes.proof_change()?;
        // As when logging: a new proof is copied before the write lock and named inside it.
        let staged = match proof_change {
            ProofChange::Replace(path) => Some(proofs::stage(&self.data_dir, path)?),
            ProofChange::Keep | ProofChange::Remove => None,
        };
        let proof_link_target = staged.as_ref().and_then(|staged| staged.link_target.clone());
        let data_dir = &self.data_dir;
        let mut placed_new = None;
        let edited = self.store.write(|tx| {
            let old = tx.activity(id)?;
            if let Some(credential_id) = old.opening_balance_for {
                // It is credited to its credential only; editing it as a course would spread it.
                return Err(Error::invalid(
                    "activity",
                    format!("this is the units earned before Recert of credential {credential_id}: change them from that credential (recert edit {credential_id} --already-earned)"),
                ));
            }
            let activity = changes.to_form(&old).validate(today)?;
            let chosen = match &changes.credit_to {
                None => Selection::Keep,
                Some(_) => selection(&activity.overrides),
            };
            let outcomes = credit_outcomes(tx, &activity, chosen, Some(&old))?;
            let credits = credits_of(&outcomes, activity.completed_on, &tx.credits_for_activity(id)?);
            tx.update_activity(id, &activity, &credits)?;
            match (proof_change, staged) {
                (ProofChange::Remove, _) => tx.set_activity_proof(id, None)?,
                (ProofChange::Replace(_), Some(staged)) => {
                    let (proof, new_file) = staged.place(data_dir)?;
                    if new_file {
                        placed_new = Some(data_dir.join(&proof.stored_path));
                    }
                    tx.set_activity_proof(id, Some(&proof))?;
                }
                _ => {}
            }
            // A course re-dated or renamed into a CPR course may have renewed a card as well.
            let activity = tx.activity(id)?;
            let card_offers =
                if is_cpr_course(&old.title, &old.categories) && old.completed_on == activity.completed_on {
                    Vec::new()
                } else {
                    card_offers(tx, &activity)?
                };
            Ok((LoggedActivity { activity, outcomes, proof_link_target, card_offers }, old.proof))
        });
        match edited {
            Ok((logged, old_proof)) => {
                // Committed: the copy the activity no longer uses goes unless another uses it (a
                // failure here leaves it for the next start, never undoes the edit).
                if old_proof.is_some_and(|old| logged.activity.proof.as_ref() != Some(&old)) {
                    let _ = self.tidy_proofs();
                }
                Ok(logged)
            }
            Err(error) => {
                if let Some(path) = placed_new {
                    let _ = std::fs::remove_file(path);
                }
                Err(error)
            }
        }
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

    /// Keeps a notification this process shows (see [`OpenNotification`]).
    pub fn note_open_notification(&mut self, notification: &OpenNotification, now: DateTime<Utc>) -> Result<()> {
        self.store.write(|tx| tx.note_open_notification(notification, now))
    }

    pub fn forget_notification(&mut self, bus: &str, id: u32) -> Result<()> {
        self.store.write(|tx| tx.forget_notification(bus, id))
    }

    /// The notifications of session `bus` that may still be on screen, for a process taking
    /// them over; older ones and another session's are forgotten.
    pub fn open_notifications(&mut self, bus: &str, now: DateTime<Utc>) -> Result<Vec<OpenNotification>> {
        self.store.write(|tx| tx.open_notifications(bus, now - NOTIFICATIONS_STAY_AT_MOST))
    }

    pub fn snooze_reminder(&mut self, key: &str, days: u32, today: NaiveDate) -> Result<NaiveDate> {
        if !(1..=365).contains(&days) {
            return Err(Error::invalid("days", "a snooze lasts 1 to 365 days"));
        }
        let until = today + chrono::Days::new(days.into());
        self.store.write(|tx| tx.snooze_reminder(key, until))?;
        Ok(until)
    }

    /// The reminders raised most recently, newest first, each marked resolved once its cause is
    /// gone on `today`.
    pub fn reminder_log(&self, limit: u32, today: NaiveDate) -> Result<Vec<LoggedReminder>> {
        if !(1..=MAX_HISTORY_ROWS).contains(&limit) {
            return Err(Error::invalid("limit", format!("must be 1 to {MAX_HISTORY_ROWS}")));
        }
        let reports = self.status(today)?;
        let mut log = self.store.reminder_log(limit)?;
        for entry in &mut log {
            let report = reports.iter().find(|r| r.credential.id == entry.credential_id);
            entry.resolved = reminders::is_resolved(&entry.kind, &entry.cycle_end, report);
        }
        Ok(log)
    }

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
        Ok(RestoreOutcome { restored: self.store.summary()?, previous_data_saved_to: saved })
    }
}

/// Where every credential stands on `today`, most urgent first, as `store` holds them.
fn status(store: &impl Read, today: NaiveDate) -> Result<Vec<CredentialReport>> {
    let credentials = store.credentials()?;
    let mut totals = store.current_cycle_totals()?;
    let warn_within = lead_times(store)?.longest().max(DEFAULT_WARN_WITHIN_DAYS);
    Ok(reports(&credentials, &mut totals, today, warn_within))
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

/// How `activity` is credited to each held credential. When it replaces `old`, credits
/// already counted toward a cycle that has since closed stay as they were counted.
fn credit_outcomes(
    store: &impl Read,
    activity: &ValidActivity,
    chosen: Selection<'_>,
    old: Option<&Activity>,
) -> Result<Vec<CreditOutcome>> {
    let credentials = store.credentials()?;
    if let Selection::Only(choices) = chosen {
        for (id, _) in choices {
            if !credentials.iter().any(|c| c.id == *id) {
                return Err(Error::not_found("credential", id));
            }
        }
    }
    let old_credits = match old {
        Some(old) => store.credits_for_activity(old.id)?,
        None => Vec::new(),
    };
    let outcomes: Vec<CreditOutcome> = credentials
        .iter()
        .map(|credential| {
            let outcome = |decision, kept| CreditOutcome {
                credential_id: credential.id,
                abbreviation: credential.abbreviation.clone(),
                unit: credential.rules.unit.clone(),
                decision,
                kept,
            };
            let existing = old_credits.iter().find(|c| c.credential_id == credential.id);
            if let Some(credit) = existing.filter(|c| !c.counts_toward(credential.cycle)) {
                let decision = CreditDecision::Credited {
                    units: credit.units,
                    category: credit.category.clone(),
                    overridden: credit.overridden,
                    capped: false,
                    late_for_cycle_end: credit.late_for_cycle_end,
                };
                return outcome(decision, true);
            }
            // `Some(typed units)` when this credential takes the activity; `None` when not chosen.
            let choice: Option<Option<Units>> = match (chosen, old) {
                (Selection::Every, _) => Some(None),
                (Selection::Only(choices), _) => {
                    choices.iter().find(|(id, _)| *id == credential.id).map(|(_, units)| *units)
                }
                (Selection::Keep, None) => Some(None),
                (Selection::Keep, Some(old)) => match existing {
                    Some(credit) => Some(credit.overridden.then_some(credit.units)),
                    // It could have counted and does not: the user kept it away (or added the
                    // credential later). Either way editing does not change that.
                    None if matches!(
                        decide_credit(credential, old.completed_on, old.hours, &old.categories, None),
                        CreditDecision::Credited { .. }
                    ) =>
                    {
                        None
                    }
                    None => Some(None),
                },
            };
            let decision = match choice {
                None => CreditDecision::NotCredited { reason: "not selected".into() },
                Some(typed) => {
                    decide_credit(credential, activity.completed_on, activity.hours, &activity.categories, typed)
                }
            };
            outcome(decision, false)
        })
        .collect();
    if let Selection::Only(choices) = chosen {
        for outcome in &outcomes {
            let picked = choices.iter().any(|(id, _)| *id == outcome.credential_id);
            if let (true, false, CreditDecision::NotCredited { reason }) = (picked, outcome.kept, &outcome.decision) {
                return Err(Error::invalid(
                    "for",
                    format!(
                        "{} (id {}) cannot take this activity: {reason}",
                        outcome.abbreviation, outcome.credential_id
                    ),
                ));
            }
        }
    }
    Ok(outcomes)
}

/// The credits the outcomes describe, dated `completed_on` (kept ones keep their own).
fn credits_of(outcomes: &[CreditOutcome], completed_on: NaiveDate, old: &[Credit]) -> Vec<Credit> {
    outcomes
        .iter()
        .filter_map(|outcome| match &outcome.decision {
            CreditDecision::Credited { units, category, overridden, late_for_cycle_end, .. } => Some(Credit {
                activity_id: 0,
                credential_id: outcome.credential_id,
                completed_on: old
                    .iter()
                    .find(|c| outcome.kept && c.credential_id == outcome.credential_id)
                    .map_or(completed_on, |c| c.completed_on),
                units: *units,
                category: category.clone(),
                overridden: *overridden,
                late_for_cycle_end: *late_for_cycle_end,
            }),
            CreditDecision::NotCredited { .. } => None,
        })
        .collect()
}

/// CPR/AED cards a CPR course completed after they were issued may have renewed.
fn card_offers(store: &impl Read, activity: &Activity) -> Result<Vec<CardOffer>> {
    if !is_cpr_course(&activity.title, &activity.categories) {
        return Ok(Vec::new());
    }
    Ok(store
        .credentials()?
        .into_iter()
        .filter(|c| c.kind == CredentialKind::CprAed && activity.completed_on > c.cycle.start)
        .map(|card| CardOffer {
            credential_id: card.id,
            abbreviation: card.abbreviation,
            issued_on: activity.completed_on,
            current_end: card.cycle.end,
        })
        .collect())
}

/// A form checked as logging checks it: the activity, what it earns toward each held
/// credential, and the credits to store. A credential the form names must be able to take it.
fn checked_activity(
    store: &impl Read,
    form: &ActivityForm,
    today: NaiveDate,
) -> Result<(ValidActivity, Vec<CreditOutcome>, Vec<Credit>)> {
    let activity = form.validate(today)?;
    let outcomes = credit_outcomes(store, &activity, selection(&activity.overrides), None)?;
    let credits = credits_of(&outcomes, activity.completed_on, &[]);
    Ok((activity, outcomes, credits))
}

/// Every held credential it can serve, or only those the form names.
fn selection(overrides: &[(i64, Option<Units>)]) -> Selection<'_> {
    if overrides.is_empty() {
        Selection::Every
    } else {
        Selection::Only(overrides)
    }
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

mod exchange;
pub use exchange::{read_import_file, AuditPacket, ImportOptions, ImportReport, ImportRow, MAX_IMPORT_BYTES};

#[cfg(test)]
mod tests;
