//! `recert costs`: the renewal fees ahead.

use chrono::NaiveDate;
use recert_core::Recert;

use super::output::{out, print_json, Outcome};

pub fn costs(recert: &Recert, today: NaiveDate, months: u32, json: bool) -> Outcome {
    let costs = recert.upcoming_costs(today, months)?;
    if json {
        return print_json(&costs);
    }
    for cost in &costs {
        out!(
            "{}  {:<12} {:<28} {}",
            cost.due_on,
            cost.abbreviation,
            cost.what,
            cost.amount.map_or("unknown".to_string(), |a| a.to_string())
        )?;
    }
    let (known, unknown) = recert_core::costs::total(&costs);
    let unknown = match unknown {
        0 => String::new(),
        1 => " + 1 fee unknown".into(),
        n => format!(" + {n} fees unknown"),
    };
    out!("Next {months} months: {known}{unknown}")?;
    Ok(())
}
