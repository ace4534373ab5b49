//! The ledger commands: log, activities and remove-activity.

use chrono::{DateTime, NaiveDate, Utc};
use recert_core::activity::{ActivityForm, CreditChoice, CreditDecision};
use recert_core::view::{ActivityView, LoggedView};
use recert_core::{Error, Recert};

use super::args::LogArgs;
use super::output::{out, print_json, Outcome};

/// The core's form for what `log` was given.
pub fn activity_form(args: &LogArgs) -> Result<ActivityForm, Error> {
    let credit_to = args.credit_to.iter().map(|text| CreditChoice::parse(text)).collect::<Result<Vec<_>, _>>()?;
    Ok(ActivityForm {
        title: args.title.clone(),
        provider: args.provider.clone(),
        completed_on: args.date.clone(),
        hours: args.hours.clone(),
        cost: args.cost.clone(),
        categories: args.categories.clone(),
        notes: args.notes.clone(),
        proof_file: args.proof.clone(),
        credit_to,
    })
}

pub fn log(recert: &mut Recert, args: LogArgs, now: DateTime<Utc>, today: NaiveDate) -> Outcome {
    let logged = recert.log_activity(&activity_form(&args)?, now, today)?;
    if args.json {
        return print_json(&LoggedView::from(&logged));
    }
    out!("Logged \"{}\" (activity {})", logged.activity.title, logged.activity.id)?;
    if let (Some(target), Some(proof)) = (&logged.proof_link_target, &logged.activity.proof) {
        out!("  Proof: {} is a link: copied {}, the file it points to", proof.original_name, target.display())?;
    }
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
                out!("  + {units} {unit} to {}{category}{capped}{late}", outcome.abbreviation)?;
            }
            CreditDecision::NotCredited { reason } => out!("  - not for {}: {reason}", outcome.abbreviation)?,
        }
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
    for entry in &list {
        let a = &entry.activity;
        let provider = a.provider.as_ref().map(|p| format!(" ({p})")).unwrap_or_default();
        out!("{}  #{} {}{provider} — {} h, {}", a.completed_on, a.id, a.title, a.hours, a.cost)?;
    }
    Ok(())
}

pub fn remove_activity(recert: &mut Recert, id: i64) -> Outcome {
    let removed = recert.delete_activity(id)?;
    out!("Removed activity {} ({})", removed.id, removed.title)?;
    Ok(())
}
