//! The credential commands: add, edit, confirm, renew, remove, status and show.

use chrono::{DateTime, NaiveDate, Utc};
use recert_core::credential::{Credential, CredentialKind};
use recert_core::service::RenewalForm;
use recert_core::status::CredentialReport;
use recert_core::view::{CredentialView, DetailView, StatusView};
use recert_core::{Error, Recert};

use super::args::{AddArgs, EditArgs};
use super::output::{money, out, print_json, Outcome};

/// How to clear an unconfirmed deadline, for a credential with this id.
fn how_to_confirm(id: i64) -> String {
    format!("run `recert confirm {id}` if it is right, or `recert edit {id} --expires YYYY-MM-DD` if not")
}

fn print_credential(credential: &Credential, json: bool, said: &str) -> Outcome {
    if json {
        return print_json(&CredentialView::from(credential));
    }
    out!(
        "{said} {} (id {}): current cycle {} to {}",
        credential.abbreviation,
        credential.id,
        credential.cycle.start,
        credential.cycle.end
    )?;
    if !credential.expiry_confirmed {
        out!(
            "  ? Check the deadline {} against your certificate or your {} account: {}",
            credential.cycle.end,
            credential.body_short,
            how_to_confirm(credential.id)
        )?;
    }
    Ok(())
}

pub fn add(recert: &mut Recert, args: AddArgs, now: DateTime<Utc>, today: NaiveDate) -> Outcome {
    let json = args.json;
    let credential = recert.add_credential(&args.form(), now, today)?;
    print_credential(&credential, json, "Added")
}

pub fn edit(recert: &mut Recert, args: EditArgs, now: DateTime<Utc>, today: NaiveDate) -> Outcome {
    let (id, json) = (args.id, args.json);
    let credential = recert.edit_credential(id, &args.into_changes(), now, today)?;
    print_credential(&credential, json, "Updated")
}

pub fn confirm(recert: &mut Recert, id: i64, json: bool) -> Outcome {
    let credential = recert.confirm_expiry(id)?;
    print_credential(&credential, json, "Confirmed the deadline of")
}

pub fn renew(recert: &mut Recert, id: i64, form: RenewalForm, today: NaiveDate, json: bool) -> Outcome {
    let credential = recert.renew(id, &form, today).map_err(|error| match error {
        Error::NeedsConfirmation(question) => Error::NeedsConfirmation(format!("{question} (--yes)")),
        other => other,
    })?;
    if json {
        return print_json(&CredentialView::from(&credential));
    }
    out!("Renewed {}: new cycle {} to {}", credential.abbreviation, credential.cycle.start, credential.cycle.end)?;
    Ok(())
}

pub fn undo_renewal(recert: &mut Recert, id: i64, json: bool) -> Outcome {
    let credential = recert.undo_renewal(id)?;
    if json {
        return print_json(&CredentialView::from(&credential));
    }
    out!(
        "Took back the last renewal of {}: current cycle {} to {} again",
        credential.abbreviation,
        credential.cycle.start,
        credential.cycle.end
    )
}

pub fn remove(recert: &mut Recert, id: i64, yes: bool) -> Outcome {
    let removed = recert.remove_credential(id, yes)?;
    out!("Removed {} (id {}); its activities stay in the ledger", removed.abbreviation, removed.id)?;
    Ok(())
}

pub fn status(recert: &Recert, today: NaiveDate, json: bool) -> Outcome {
    let reports = recert.status(today)?;
    let views: Vec<StatusView> = reports.iter().map(StatusView::from).collect();
    if json {
        return print_json(&views);
    }
    if views.is_empty() {
        out!("No credentials yet. Add one: recert add --preset ID --earned YYYY-MM-DD (see recert catalog)")?;
        return Ok(());
    }
    for (view, report) in views.iter().zip(&reports) {
        print_status(view, report)?;
    }
    Ok(())
}

fn print_status(view: &StatusView, report: &CredentialReport) -> Outcome {
    let days = match view.days_left {
        d if d > 1 => format!("{d} days left"),
        1 => "1 day left".into(),
        0 => "due today".into(),
        d => format!("{} days past", -d),
    };
    let who = &view.identity;
    let is_credential = report.credential.kind == CredentialKind::Credential;
    out!("{} — {} ({}), id {}", who.abbreviation, who.name, who.body_short, who.id)?;
    let unconfirmed = if who.expiry_confirmed { "" } else { " (not confirmed)" };
    out!("  {} · {days} · deadline {}{unconfirmed}", view.status_label, who.cycle_end)?;
    if let (Some(request), Some(reason)) = (&view.confirm_expiry, &view.confirm_expiry_reason) {
        out!("  ? {request} {reason}")?;
        if view.confirm_expiry_question {
            out!(
                "    If you did, run `recert confirm {id}`; if not, `recert edit {id} --expires YYYY-MM-DD`.",
                id = who.id
            )?;
        } else {
            out!("    Then {}.", how_to_confirm(who.id))?;
        }
    }
    if let (Some(unit), true) = (&view.unit, is_credential) {
        let required = match (report.progress.units_required, view.prorated) {
            (Some(units), _) => units.to_string(),
            (None, true) => format!("prorated — ask {}", who.body_short),
            (None, false) => "unknown".into(),
        };
        let prorated = if view.prorated && report.progress.units_required.is_some() { " (prorated)" } else { "" };
        let pending = if report.units_pending.0 > 0 {
            format!(" ({} more pending {}'s approval)", report.units_pending, who.body_short)
        } else {
            String::new()
        };
        out!("  {unit}: {} of {required}{prorated}{pending}", report.progress.units_earned)?;
    }
    out!("  {}", view.next_action)?;
    for problem in view.prerequisite_problems.iter().chain(&view.requirement_problems) {
        out!("  ! {problem}")?;
    }
    for note in view.prerequisite_notes.iter().chain(&view.requirement_notes).chain(&view.requirement_hints) {
        out!("  · {note}")?;
    }
    if is_credential {
        let body = &who.body_short;
        let fee_or_unknown =
            |cents: Option<i64>| cents.map_or_else(|| format!("unknown — check with {body}"), |c| money(Some(c)));
        let mut line = format!("  Renewal fee {}", fee_or_unknown(view.renewal_fee_cents));
        if let Some(note) = &view.fee_note {
            line.push_str(&format!(" ({note})"));
        }
        if view.status == "grace" {
            line.push_str(&format!(" + late fee {}", fee_or_unknown(view.late_fee_cents)));
        }
        if view.course_costs_cents > 0 {
            line.push_str(&format!(" · courses this cycle {}", money(Some(view.course_costs_cents))));
        }
        out!("{line}")?;
        if let Some(outdated) = &view.rules_outdated {
            out!("  ℹ {outdated}")?;
        }
    }
    Ok(())
}

pub fn show(recert: &Recert, id: i64, today: NaiveDate, json: bool) -> Outcome {
    let detail = recert.credential_detail(id, today)?;
    let view = StatusView::from(&detail.report);
    let history = recert.credential_sync_history(id, &chrono::Local)?;
    if json {
        let mut json = serde_json::to_value(DetailView::from(&detail)).map_err(|e| Error::Corrupt(e.to_string()))?;
        json["sync_history"] = serde_json::json!(history);
        return print_json(&json);
    }
    print_status(&view, &detail.report)?;
    for category in &view.categories {
        let limits = match (category.min, category.max) {
            (Some(min), Some(max)) => format!(" (min {min:.1}, max {max:.1})"),
            (Some(min), None) => format!(" (min {min:.1})"),
            (None, Some(max)) => format!(" (max {max:.1})"),
            (None, None) => String::new(),
        };
        out!("    {}: {:.2}{limits}", category.name, category.earned)?;
    }
    for unknown in &view.unknowns {
        out!("  ? {unknown}")?;
    }
    let provenance = &detail.report.credential.rules.provenance;
    for (field, why) in &provenance.unverified {
        out!("  ~ {} unverified: {why}", field.replace('_', " "))?;
    }
    if !detail.credits.is_empty() {
        out!("  Credits:")?;
        for (credit, activity) in &detail.credits {
            let late = credit
                .late_for_cycle_end
                .map(|end| format!(" (late, counts toward the cycle ending {end})"))
                .unwrap_or_default();
            out!(
                "    {} {} — {} {}{late}",
                activity.completed_on,
                activity.title,
                credit.units,
                view.unit.as_deref().unwrap_or("")
            )?;
        }
    }
    for cycle in &detail.past_cycles {
        out!("  Past cycle {} to {}, renewed {}", cycle.start, cycle.end, cycle.renewed_on)?;
    }
    for line in &history {
        out!("  Sync: {line}")?;
    }
    Ok(())
}
