//! `recert read-certificate FILE` (prints what a certificate says, changes nothing) and
//! `recert log --from-certificate FILE` (shows it, asks, logs it with the certificate as proof).

use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};
use recert_core::activity::{ActivityChanges, CreditChoice};
use recert_core::certificate::{self, CertificateReading, Limits, ReadingView, Source};
use recert_core::{Error, Recert};

use super::args::LogArgs;
use super::output::{out, print_json, Outcome};

pub fn read(file: &Path, json: bool) -> Outcome {
    let read = certificate::read_certificate(file, &Limits::default())?;
    if json {
        return print_json(&ReadingView::from(&read));
    }
    print_reading(&read)
}

fn print_reading(read: &CertificateReading) -> Outcome {
    let how = match read.source {
        Source::PdfText => "the PDF's text",
        Source::PdfScan => "the scan inside the PDF, through Tesseract",
        Source::Image => "the picture, through Tesseract",
    };
    let pages = if read.pages == 1 { "1 page".to_string() } else { format!("{} pages", read.pages) };
    out!("Read {} ({how}, {pages}):", read.file.display())?;
    let r = &read.reading;
    let e = &r.evidence;
    let line = |label: &str, value: Option<String>, evidence: Option<&String>, field: &str| -> Outcome {
        match (value, evidence) {
            (Some(value), evidence) => {
                let from = evidence.map(|e| format!("   from \"{e}\"")).unwrap_or_default();
                out!("  {label:<11} {value}{from}")
            }
            (None, _) if r.is_unsure(field) => out!("  {label:<11} (not sure: left empty)"),
            (None, _) => out!("  {label:<11} (not found)"),
        }
    };
    line("Title:", r.title.clone(), e.title.as_ref(), "title")?;
    line("Completed:", r.completed_on.map(|d| d.to_string()), e.completed_on.as_ref(), "completed_on")?;
    line("Hours:", r.hours.map(|h| h.to_string()), e.hours.as_ref(), "hours")?;
    line("Provider:", r.provider.clone(), e.provider.as_ref(), "provider")?;
    for (units, evidence) in r.units.iter().zip(&e.units) {
        out!("  {:<11} {} {} for {}   from \"{evidence}\"", "Units:", units.amount, units.unit, units.body)?;
    }
    for (approval, evidence) in r.approval.iter().zip(&e.approval) {
        out!("  {:<11} {} {}   from \"{evidence}\"", "Approval:", approval.body, approval.number)?;
    }
    for unsure in &r.unsure {
        out!("  Not sure of {}: {}", unsure.field.replace('_', " "), unsure.reason)?;
    }
    Ok(())
}

/// Asks a yes/no question on the terminal; false for anything but yes.
fn ask(question: &str) -> Result<bool, Error> {
    eprint!("{question} [y/N] ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut answer)
        .map_err(|source| Error::Io { context: "reading the answer".into(), source })?;
    Ok(matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes"))
}

pub fn log_from_certificate(recert: &mut Recert, args: LogArgs, now: DateTime<Utc>, today: NaiveDate) -> Outcome {
    let file = args.from_certificate.clone().expect("called with --from-certificate");
    let read = recert.read_certificate(&file, &Limits::default())?;
    if !args.json {
        print_reading(&read)?;
    }
    let typed = ActivityChanges {
        title: args.title.clone(),
        provider: args.provider.clone(),
        completed_on: args.date.clone(),
        hours: args.hours.clone(),
        cost: args.cost.clone(),
        categories: (!args.categories.is_empty()).then(|| args.categories.clone()),
        notes: args.notes.clone(),
        credit_to: Some(args.credit_to.iter().map(|t| CreditChoice::parse(t)).collect::<Result<_, _>>()?),
        proof_file: args.proof.clone(),
        remove_proof: false,
        approved_by: Some(args.approved_by.clone()),
    };
    let held = recert.credentials()?;
    let form = certificate::form(&read, typed, &held);
    // What the certificate did not say (or said two ways) is named before anything is asked.
    let mut missing = Vec::new();
    for (value, field, option) in
        [(&form.title, "title", "--title"), (&form.completed_on, "date", "--date"), (&form.hours, "hours", "--hours")]
    {
        if value.trim().is_empty() {
            missing.push(format!("its {field} (give it with {option})"));
        }
    }
    if !missing.is_empty() {
        return Err(Error::invalid(
            "certificate",
            format!("nothing was logged: Recert could not read {} from the certificate", missing.join(", ")),
        )
        .into());
    }
    let valid = form.validate(today)?;
    let duplicates = recert.certificate_duplicates(&read.sha256, &valid.title, Some(valid.completed_on))?;
    let terminal = std::io::stdin().is_terminal();
    for duplicate in &duplicates {
        let text = format!(
            "This certificate looks logged already: activity {} \"{}\" on {} ({})",
            duplicate.activity_id, duplicate.title, duplicate.completed_on, duplicate.reason
        );
        if args.again {
            warn!("recert: {text}; logging it again (--again)");
        } else if terminal {
            eprintln!("{text}.");
            if !ask("Log it again?")? {
                return Err(Error::NeedsConfirmation("nothing was logged".into()).into());
            }
        } else {
            return Err(
                Error::NeedsConfirmation(format!("{text}: nothing was logged (--again logs it once more)")).into()
            );
        }
    }
    if !args.yes && duplicates.is_empty() {
        if !terminal {
            return Err(Error::NeedsConfirmation(
                "nothing was logged: check what was read above, then add --yes to log it (no terminal to ask)".into(),
            )
            .into());
        }
        let question = format!("Log \"{}\" ({}, {} h)?", valid.title, valid.completed_on, valid.hours);
        if !ask(&question)? {
            return Err(Error::NeedsConfirmation("nothing was logged".into()).into());
        }
    }
    let logged = recert.log_activity(&form, now, today)?;
    super::ledger::print_logged(&logged, args.json)
}
