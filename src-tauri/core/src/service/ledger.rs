//! The ledger: previewing, logging and editing a course (with its proof), the credits each held
//! credential gets, removing it.

use std::path::PathBuf;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use crate::activity::BodyApproval;
use crate::activity::{
    as_body_accepts, decide_credit, is_cpr_course, Activity, ActivityChanges, ActivityForm, CourseSource, Credit,
    CreditDecision, ProofChange, Standing, ValidActivity,
};
use crate::amount::{Hours, Units};
use crate::catalog::Catalog;
use crate::credential::{Credential, CredentialKind};
use crate::error::{Error, FieldError, Result};
use crate::proofs;
use crate::store::{Read, Tx};

use super::Recert;

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
pub(super) enum Selection<'a> {
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

impl Recert {
    /// What logging `form` would credit to each held credential, without saving anything.
    pub fn preview_credits(&self, form: &ActivityForm, today: NaiveDate) -> Result<Vec<CreditOutcome>> {
        let activity = self.valid_activity(form, today)?;
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
        let activity = match self.valid_activity(form, today) {
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
        self.log_activity_and(form, now, today, |_| Ok(()))
    }

    /// Logs an activity as [`Recert::log_activity`] does, and does `also` in the same
    /// transaction: the activity is stored with it or not at all ("Mark as done" takes the
    /// planned course off the list).
    pub(super) fn log_activity_and(
        &mut self,
        form: &ActivityForm,
        now: DateTime<Utc>,
        today: NaiveDate,
        also: impl FnOnce(&Tx<'_>) -> Result<()>,
    ) -> Result<LoggedActivity> {
        let activity = self.valid_activity(form, today)?;
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
            let stored = tx.insert_activity(&activity, proof, &credits, now).and_then(|id| {
                also(tx)?;
                tx.activity(id)
            });
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
        let bodies = known_bodies(self.catalog(), &self.store.credentials()?);
        let edited = self.store.write(|tx| {
            let old = tx.activity(id)?;
            if let Some(credential_id) = old.opening_balance_for {
                // It is credited to its credential only; editing it as a course would spread it.
                return Err(Error::invalid(
                    "activity",
                    format!("this is the units earned before Recert of credential {credential_id}: change them from that credential (recert edit {credential_id} --already-earned)"),
                ));
            }
            let mut activity = changes.to_form(&old).validate(today)?;
            name_approvals(&mut activity.approvals, &bodies)?;
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

    /// The form checked as logging checks it, with each approving body named by its short name.
    fn valid_activity(&self, form: &ActivityForm, today: NaiveDate) -> Result<ValidActivity> {
        let mut activity = form.validate(today)?;
        if !activity.approvals.is_empty() {
            name_approvals(&mut activity.approvals, &known_bodies(self.catalog(), &self.store.credentials()?))?;
        }
        Ok(activity)
    }

    /// Records a body's answer to a course that waited for its approval: accepted with the units
    /// it granted (they count from now on), or refused (they never count). An answer can be
    /// changed; a credit that never needed approval has none to record.
    pub fn settle_credit(&mut self, activity_id: i64, credential_id: i64, granted: Option<Units>) -> Result<Credit> {
        if granted.is_some_and(|units| units.0 <= 0) {
            return Err(Error::invalid(
                "accepted",
                "the units the body granted must be more than 0 (or record it refused)",
            ));
        }
        self.store.write(|tx| {
            let credential = tx.credential(credential_id)?;
            let credit = tx
                .credits_for_activity(activity_id)?
                .into_iter()
                .find(|credit| credit.credential_id == credential_id)
                .ok_or_else(|| Error::not_found("credit of activity", activity_id))?;
            let answered_before =
                credit.standing == Standing::Refused || (credit.standing == Standing::Counted && credit.overridden);
            if credit.standing == Standing::Counted && !answered_before {
                return Err(Error::invalid(
                    "credit",
                    format!("{} counts this course already: there is no petition to answer", credential.abbreviation),
                ));
            }
            tx.settle_credit(activity_id, credential_id, granted)?;
            tx.credits_for_activity(activity_id)?
                .into_iter()
                .find(|credit| credit.credential_id == credential_id)
                .ok_or_else(|| Error::not_found("credit of activity", activity_id))
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
}

/// How `activity` is credited to each held credential. When it replaces `old`, credits
/// already counted toward a cycle that has since closed stay as they were counted.
pub(super) fn credit_outcomes(
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
            if let Some(credit) = existing.filter(|c| !c.falls_in(credential.cycle)) {
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
                Some(typed) => as_body_accepts(
                    credential,
                    decide_credit(credential, activity.completed_on, activity.hours, &activity.categories, typed),
                    CourseSource::of_valid(activity),
                ),
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

/// Every body an approval may name, as (short name, full name): those of the catalog in use and
/// of the credentials held (a body typed in has no catalog entry).
pub(super) fn known_bodies(catalog: &Catalog, credentials: &[Credential]) -> Vec<(String, String)> {
    let mut bodies: Vec<(String, String)> = Vec::new();
    let pairs = catalog
        .presets()
        .iter()
        .map(|p| (&p.body_short, &p.body))
        .chain(credentials.iter().map(|c| (&c.body_short, &c.body)));
    for (short, full) in pairs {
        if !bodies.iter().any(|(known, _)| known.eq_ignore_ascii_case(short)) {
            bodies.push((short.clone(), full.clone()));
        }
    }
    bodies
}

/// Names each approval by its body's short name; a body Recert does not know is refused with the
/// names it knows.
pub(super) fn name_approvals(approvals: &mut [BodyApproval], bodies: &[(String, String)]) -> Result<()> {
    for approval in approvals.iter_mut() {
        let typed = approval.body.trim();
        match bodies.iter().find(|(short, full)| short.eq_ignore_ascii_case(typed) || full.eq_ignore_ascii_case(typed))
        {
            Some((short, _)) => approval.body = short.clone(),
            None => {
                let names: Vec<&str> = bodies.iter().map(|(short, _)| short.as_str()).collect();
                return Err(Error::invalid(
                    "approved-by",
                    format!(
                        "\"{}\" is not a body Recert knows; use a short or full name: {}",
                        crate::quote::value(typed),
                        names.join(", ")
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// The credits the outcomes describe, dated `completed_on` (kept ones keep their own).
pub(super) fn credits_of(outcomes: &[CreditOutcome], completed_on: NaiveDate, old: &[Credit]) -> Vec<Credit> {
    outcomes
        .iter()
        .filter_map(|outcome| {
            let kept = old.iter().find(|c| outcome.kept && c.credential_id == outcome.credential_id);
            let credit = |units: Units, category: &Option<String>, overridden, late_for_cycle_end, standing| Credit {
                activity_id: 0,
                credential_id: outcome.credential_id,
                completed_on: kept.map_or(completed_on, |c| c.completed_on),
                units,
                category: category.clone(),
                overridden,
                late_for_cycle_end,
                // A credit kept from a closed cycle keeps its standing.
                standing: kept.map_or(standing, |c| c.standing),
            };
            match &outcome.decision {
                CreditDecision::Credited { units, category, overridden, late_for_cycle_end, .. } => {
                    Some(credit(*units, category, *overridden, *late_for_cycle_end, Standing::Counted))
                }
                CreditDecision::Pending { units, category, late_for_cycle_end, .. } => {
                    Some(credit(*units, category, false, *late_for_cycle_end, Standing::Pending))
                }
                CreditDecision::NotCredited { .. } => None,
            }
        })
        .collect()
}

/// CPR/AED cards a CPR course completed after they were issued may have renewed.
pub(super) fn card_offers(store: &impl Read, activity: &Activity) -> Result<Vec<CardOffer>> {
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
pub(super) fn checked_activity(
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
pub(super) fn selection(overrides: &[(i64, Option<Units>)]) -> Selection<'_> {
    if overrides.is_empty() {
        Selection::Every
    } else {
        Selection::Only(overrides)
    }
}
