//! The credentials held: adding them (one or all at the first run), editing, removing, renewing
//! and taking a renewal back, confirming a deadline Recert worked out.

use chrono::{DateTime, NaiveDate, Utc};

use crate::activity::{as_body_accepts, convert_credit, CourseSource, Credit, CreditDecision, Standing};
use crate::amount::Cents;
use crate::credential::{Credential, CredentialChanges, CredentialForm, PastCycle};
use crate::dates::parse_typed_date;
use crate::error::{Error, Result};
use crate::opening::parse_opening;
use crate::progress::progress;
use crate::rules::{cycle_ending, next_cycle};
use crate::store::Read;

use super::Recert;

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

impl Recert {
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
                None => next_cycle(&rules.cycle, rules.renews_from, credential.cycle, renewed_on, credential.earned_on)
                    .ok_or_else(|| {
                        Error::invalid(
                            "expires",
                            "this credential has no cycle rule: give the new expiry date (YYYY-MM-DD)",
                        )
                    })?,
            };
            // A date the user typed is confirmed; one Recert worked out only where its rule is.
            let next_confirmed = expires.is_some() || crate::rules::computed_end_is_confirmed(rules);
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
                expiry_was_confirmed: credential.expiry_confirmed,
            };
            tx.renew(&closed, next, next_confirmed)?;
            tx.credential(id)
        })
    }

    /// Takes back the most recent renewal: its cycle becomes the current one again, with the
    /// deadline confirmed or not as it was before the renewal.
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
}

/// The credits of `credential` after its rules or cycle changed: those of the current cycle are
/// converted again (typed units kept), earlier ones stay as they were counted.
pub(super) fn recomputed_credits(store: &impl Read, credential: &Credential) -> Result<Vec<Credit>> {
    let mut credits = Vec::new();
    for credit in store.credits_for_credential(credential.id)? {
        // Typed units and a body's refusal are the user's record; earlier cycles stay as counted.
        if credit.overridden || credit.standing == Standing::Refused || !credit.falls_in(credential.cycle) {
            credits.push(credit);
            continue;
        }
        let activity = store.activity(credit.activity_id)?;
        let converted = convert_credit(credential, activity.hours, &activity.categories, None);
        match as_body_accepts(credential, converted, CourseSource::of(&activity)) {
            CreditDecision::Credited { units, category, .. } => {
                credits.push(Credit { units, category, standing: Standing::Counted, ..credit })
            }
            CreditDecision::Pending { units, category, .. } => {
                credits.push(Credit { units, category, standing: Standing::Pending, ..credit })
            }
            CreditDecision::NotCredited { .. } => {}
        }
    }
    Ok(credits)
}
