//! The ledger commands: log, edit-activity, activities and remove-activity.

use chrono::{DateTime, NaiveDate, Utc};
use recert_core::activity::{ActivityChanges, ActivityForm, CreditChoice, CreditDecision};
use recert_core::service::LoggedActivity;
use recert_core::view::{ActivityView, LoggedView};
use recert_core::{Error, Recert};

use super::args::{EditActivityArgs, LogArgs};
use super::output::{out, print_json, Outcome};

fn credit_choices(texts: &[String]) -> Result<Vec<CreditChoice>, Error> {
    texts.iter().map(|text| CreditChoice::parse(text)).collect()
}

/// The core's form for what `log` was given.
pub fn activity_form(args: &LogArgs) -> Result<ActivityForm, Error> {
    Ok(ActivityForm {
        title: args.title.clone().unwrap_or_default(),
        provider: args.provider.clone(),
        completed_on: args.date.clone().unwrap_or_default(),
        hours: args.hours.clone().unwrap_or_default(),
        cost: args.cost.clone(),
        categories: args.categories.clone(),
        notes: args.notes.clone(),
        proof_file: args.proof.clone(),
        credit_to: credit_choices(&args.credit_to)?,
        approved_by: args.approved_by.clone(),
    })
}

pub fn log(recert: &mut Recert, args: LogArgs, now: DateTime<Utc>, today: NaiveDate) -> Outcome {
    let logged = recert.log_activity(&activity_form(&args)?, now, today)?;
    print_logged(&logged, args.json)
}

/// What `log` prints once the activity is saved.
pub fn print_logged(logged: &LoggedActivity, json: bool) -> Outcome {
    if json {
        return print_json(&LoggedView::from(logged));
    }
    out!("Logged \"{}\" (activity {})", logged.activity.title, logged.activity.id)?;
    if let (Some(target), Some(proof)) = (&logged.proof_link_target, &logged.activity.proof) {
        out!("  Proof: {} is a link: copied {}, the file it points to", proof.original_name, target.display())?;
    }
    print_outcomes(logged)
}

pub fn edit_activity(recert: &mut Recert, args: EditActivityArgs, today: NaiveDate) -> Outcome {
    let credit_to = if args.for_all {
        Some(Vec::new())
    } else if args.credit_to.is_empty() {
        None
    } else {
        Some(credit_choices(&args.credit_to)?)
    };
    let categories =
        if args.no_category { Some(Vec::new()) } else { (!args.categories.is_empty()).then_some(args.categories) };
    let changes = ActivityChanges {
        title: args.title,
        provider: args.provider,
        completed_on: args.date,
        hours: args.hours,
        cost: args.cost,
        categories,
        notes: args.notes,
        credit_to,
        proof_file: args.proof,
        remove_proof: args.no_proof,
        approved_by: if args.no_approvals {
            Some(Vec::new())
        } else {
            (!args.approved_by.is_empty()).then_some(args.approved_by)
        },
    };
    let edited = recert.edit_activity(args.id, &changes, today)?;
    if args.json {
        return print_json(&LoggedView::from(&edited));
    }
    let a = &edited.activity;
    out!("Changed activity {}: \"{}\", {}, {} h", a.id, a.title, a.completed_on, a.hours)?;
    match (&a.proof, changes.remove_proof || changes.proof_file.is_some()) {
        (Some(proof), true) => out!("  Proof: {}", proof.original_name)?,
        (None, true) => out!("  Proof: none")?,
        _ => {}
    }
    if let (Some(target), Some(proof)) = (&edited.proof_link_target, &a.proof) {
        out!("  Proof: {} is a link: copied {}, the file it points to", proof.original_name, target.display())?;
    }
    print_outcomes(&edited)
}

fn print_outcomes(logged: &LoggedActivity) -> Outcome {
    let mut pending = Vec::new();
    for outcome in &logged.outcomes {
        match &outcome.decision {
            CreditDecision::Credited { units, category, capped, late_for_cycle_end, .. } => {
                let unit = outcome.unit.as_deref().unwrap_or("units");
                let category = category.as_ref().map(|c| format!(" in {c}")).unwrap_or_default();
                let capped = if *capped { " (capped per event)" } else { "" };
                let late = late_for_cycle_end
                    .map(|end| {
                        format!(
                            " (completed after the {end} deadline, inside the late window: counts toward that cycle)"
                        )
                    })
                    .unwrap_or_default();
                let kept = if outcome.kept { " (counted toward a closed cycle: kept as counted)" } else { "" };
                out!("  + {units} {unit} to {}{category}{capped}{late}{kept}", outcome.abbreviation)?;
            }
            CreditDecision::Pending { units, reason, .. } => {
                let unit = outcome.unit.as_deref().unwrap_or("units");
                out!("  ? {units} {unit} to {}, pending: {reason}", outcome.abbreviation)?;
                pending.push(outcome.credential_id);
            }
            CreditDecision::NotCredited { reason } => out!("  - not for {}: {reason}", outcome.abbreviation)?,
        }
    }
    for credential_id in pending {
        out!(
            "When the body answers: recert petition {} {credential_id} --accepted UNITS (or --refused)",
            logged.activity.id
        )?;
    }
    for offer in &logged.card_offers {
        out!(
            "A CPR/AED course: if it gave you a new {} card, record it: recert renew {} --date {}",
            offer.abbreviation,
            offer.credential_id,
            offer.issued_on
        )?;
    }
    Ok(())
}

pub fn activities(recert: &Recert, json: bool) -> Outcome {
    let list = recert.activities()?;
    if json {
        return print_json(&list.iter().map(ActivityView::from).collect::<Vec<_>>());
    }
    if list.is_empty() {
        out!("No activities logged yet. Log one: recert log --title T --date YYYY-MM-DD --hours H")?;
    }
    let held =
        if list.iter().any(|e| e.activity.opening_balance_for.is_some()) { recert.credentials()? } else { Vec::new() };
    for entry in &list {
        let a = &entry.activity;
        if let Some(whose) = a.opening_balance_for {
            // A balance read off the body's account, not a course: no date or hours of its own.
            let credential = held.iter().find(|c| c.id == whose);
            let unit = credential.and_then(|c| c.rules.unit.clone()).unwrap_or_else(|| "units".into());
            let credit = entry.credits.first();
            let units = credit.map(|c| c.units.to_string()).unwrap_or_default();
            let category = credit.and_then(|c| c.category.as_ref()).map(|c| format!(" ({c})")).unwrap_or_default();
            let name = credential.map_or_else(|| format!("credential {whose}"), |c| c.abbreviation.clone());
            out!("#{} {}: {units} {unit}{category}, {name}", a.id, a.title)?;
            continue;
        }
        let provider = a.provider.as_ref().map(|p| format!(" ({p})")).unwrap_or_default();
        // A course logged without a cost has none: "$0.00" would say it was free.
        let cost = if a.cost.0 == 0 { "no cost given".to_string() } else { a.cost.to_string() };
        out!("{}  #{} {}{provider} — {} h, {cost}", a.completed_on, a.id, a.title, a.hours)?;
    }
    Ok(())
}

/// Records a body's answer to a course that waited for its approval.
pub fn petition(
    recert: &mut Recert,
    activity_id: i64,
    credential_id: i64,
    accepted: Option<String>,
    json: bool,
) -> Outcome {
    let granted = accepted.as_deref().map(|text| recert_core::amount::Units::parse("accepted", text)).transpose()?;
    let credit = recert.settle_credit(activity_id, credential_id, granted)?;
    if json {
        return print_json(&credit);
    }
    let credential = recert.credential(credential_id)?;
    let unit = credential.rules.unit.as_deref().unwrap_or("units");
    match granted {
        Some(units) => out!("{} accepted activity {activity_id}: {units} {unit} now count", credential.abbreviation),
        None => out!("{} refused activity {activity_id}: it does not count", credential.abbreviation),
    }
}

pub fn remove_activity(recert: &mut Recert, id: i64) -> Outcome {
    let removed = recert.delete_activity(id)?;
    out!("Removed activity {} ({})", removed.id, removed.title)?;
    Ok(())
}
