//! The data commands: the ledger as a spreadsheet (export-csv, import-csv).

use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};
use recert_core::activity::CreditDecision;
use recert_core::backups::BackupKind;
use recert_core::service::{ImportOptions, ImportReport};
use recert_core::{Error, Recert};

use super::output::{one_line, out, print_json, Outcome};
use super::MAX_ERROR_CHARS;

/// Exit code of `import-csv` when a line is bad (nothing was imported).
const EXIT_BAD_LINES: i32 = 2;

pub fn export_csv(recert: &Recert, out: &Path) -> Outcome {
    let mut count = 0;
    recert_core::files::write_atomically(out, |file| {
        count = recert.export_csv(file)?;
        Ok(())
    })?;
    out!("Exported {count} activities to {}", out.display())
}

pub fn import_csv(
    recert: &mut Recert,
    file: &Path,
    options: ImportOptions,
    json: bool,
    now: DateTime<Utc>,
    today: NaiveDate,
) -> Outcome<i32> {
    let bytes = recert_core::service::read_import_file(file)?;
    let report = recert.import_csv(&bytes, options, now, today)?;
    if json {
        print_json(&recert_core::view::ImportReportView::from(&report))?;
    } else {
        print_report(&report, options)?;
    }
    if !report.ok() {
        let shown =
            |error: &dyn std::fmt::Display| recert_core::quote::message(&one_line(&error.to_string()), MAX_ERROR_CHARS);
        let lines = report.errors.iter().filter(|e| e.line > 0).count();
        if lines == 0 {
            // A problem with the file as a whole (no date, title or hours column): one line.
            let problems: Vec<String> = report.errors.iter().map(|error| shown(error)).collect();
            warn!("recert: {}; nothing was imported", problems.join("; "));
            return Ok(EXIT_BAD_LINES);
        }
        for error in &report.errors {
            warn!("recert: {}", shown(error));
        }
        warn!("recert: nothing was imported ({lines} bad line(s)); fix them and import the file again");
        return Ok(EXIT_BAD_LINES);
    }
    Ok(0)
}

fn print_report(report: &ImportReport, options: ImportOptions) -> Outcome {
    if options.dry_run || !report.ok() {
        for row in &report.rows {
            let earned: Vec<String> = row
                .outcomes
                .iter()
                .filter_map(|o| match &o.decision {
                    CreditDecision::Credited { units, .. } => {
                        Some(format!("{} +{units} {}", o.abbreviation, o.unit.as_deref().unwrap_or("units")))
                    }
                    CreditDecision::NotCredited { .. } => None,
                })
                .collect();
            let earned = if earned.is_empty() { "counts for no credential".to_string() } else { earned.join(" · ") };
            out!("line {:>4}  {}  {} — {earned}", row.line, row.date, row.title)?;
        }
    }
    if report.ok() {
        if options.dry_run {
            out!("Dry run: {} activities would be imported; nothing was written.", report.rows.len())?;
        } else {
            out!("Imported {} activities.", report.imported)?;
        }
    }
    Ok(())
}

pub fn list_backups(recert: &Recert, json: bool) -> Outcome {
    let backups = recert.backups()?;
    if json {
        return print_json(&backups);
    }
    if backups.is_empty() {
        out!("No backups yet. Write one: recert backup")?;
    }
    for backup in &backups {
        let kind = match backup.kind {
            BackupKind::Daily => "daily",
            BackupKind::Manual => "on demand",
            BackupKind::BeforeMigration => "before an upgrade",
            BackupKind::BeforeRestore => "before a restore",
        };
        let when = backup.written_at.clone().unwrap_or_else(|| "date unknown".into());
        out!("{when:<24} {kind:<18} {:>8} KB  {}", backup.size_bytes.div_ceil(1024), backup.path.display())?;
    }
    Ok(())
}

pub fn restore(recert: &mut Recert, file: &Path, yes: bool, json: bool, now: DateTime<Utc>) -> Outcome {
    let outcome = recert.restore(file, yes, now).map_err(|error| match error {
        Error::NeedsConfirmation(question) => Error::NeedsConfirmation(format!("{question}: confirm with --yes")),
        other => other,
    })?;
    if json {
        return print_json(&outcome);
    }
    out!(
        "Restored {}: {} credentials, {} activities. The data it replaced is in {}",
        file.display(),
        outcome.restored.credentials,
        outcome.restored.activities,
        outcome.previous_data_saved_to.display()
    )
}
