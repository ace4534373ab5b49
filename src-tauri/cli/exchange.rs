//! The data commands: the ledger as a spreadsheet (export-csv, import-csv).

use std::io::IsTerminal;
use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};
use recert_core::activity::CreditDecision;
use recert_core::backups::BackupKind;
use recert_core::files::OutputTarget;
use recert_core::service::{AuditPacket, ImportOptions, ImportReport, RestoreOutcome};
use recert_core::{Error, Recert};

use super::output::{one_line, out, print_json, Outcome};
use super::MAX_ERROR_CHARS;

/// Exit code of `import-csv` when a line is bad (nothing was imported).
const EXIT_BAD_LINES: i32 = 2;

/// Where `--out` writes: checked, and an existing file replaced only with `--force` or when the
/// user answers yes to the question (asked only when standard input and error are a terminal).
fn output_target(recert: &Recert, out: &Path, force: bool) -> Outcome<OutputTarget> {
    match recert.output(out, force) {
        Err(Error::NeedsConfirmation(question)) => {
            let terminal = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
            if terminal && ask(&format!("recert: {question}. Replace it? [y/N] ")) {
                return Ok(recert.output(out, true)?);
            }
            let hint = if terminal { "nothing was written" } else { "replace it with --force" };
            Err(Error::NeedsConfirmation(format!("{question}: {hint}")).into())
        }
        other => Ok(other?),
    }
}

/// Asks a yes/no question on the terminal; anything but y or yes is no.
fn ask(question: &str) -> bool {
    eprint!("{question}");
    let mut answer = String::new();
    std::io::stdin().read_line(&mut answer).is_ok() && matches!(answer.trim().to_lowercase().as_str(), "y" | "yes")
}

fn is_stdout(out: &Path) -> bool {
    out.as_os_str() == "-"
}

pub fn export_csv(recert: &Recert, out: &Path, force: bool) -> Outcome {
    if is_stdout(out) {
        let mut bytes = Vec::new();
        recert.export_csv(&mut bytes)?;
        return write_stdout(&bytes);
    }
    let target = output_target(recert, out, force)?;
    let count = recert.export_csv_to(&target)?;
    out!("Exported {count} activities to {}", target.path.display())
}

pub fn calendar(recert: &Recert, out: &Path, force: bool, today: NaiveDate) -> Outcome {
    if is_stdout(out) {
        return write_stdout(recert.calendar_ics(today)?.as_bytes());
    }
    let target = output_target(recert, out, force)?;
    recert.write_calendar(&target, today)?;
    out!("Wrote the calendar to {}", target.path.display())
}

pub fn audit_packet(
    recert: &Recert,
    id: i64,
    cycle: &str,
    out: &Path,
    force: bool,
    json: bool,
    today: NaiveDate,
) -> Outcome<i32> {
    let which = recert_core::audit::AuditCycle::parse(cycle)?;
    recert.check_audit_cycle(id, which)?;
    if is_stdout(out) {
        // A zip needs to seek back to its start: built in memory, then written out.
        let mut zip = std::io::Cursor::new(Vec::new());
        let packet = recert.audit_packet_into(id, which, &mut zip, today)?;
        write_stdout(zip.get_ref())?;
        return Ok(warn_changed_proofs(&packet));
    }
    let target = output_target(recert, out, force)?;
    let packet = recert.audit_packet(id, which, &target, today)?;
    if json {
        print_json(&packet)?;
    } else {
        out!(
            "Wrote the audit packet for the cycle {} to {} ({} activities, {} proof files) to {}",
            packet.cycle_start,
            packet.cycle_end,
            packet.activities,
            packet.proofs,
            packet.path.display()
        )?;
    }
    Ok(warn_changed_proofs(&packet))
}

/// Names each proof whose file differs from its recorded SHA-256; the exit code (1 if any).
fn warn_changed_proofs(packet: &AuditPacket) -> i32 {
    for proof in &packet.changed_proofs {
        warn!(
            "recert: {} differs from the SHA-256 recorded when it was logged ({}…, now {}…): the file was changed \
             since; the packet says so in PROOF-CHECK.txt",
            proof.name,
            &proof.recorded_sha256.get(..12).unwrap_or_default(),
            &proof.found_sha256.get(..12).unwrap_or_default()
        );
    }
    i32::from(!packet.changed_proofs.is_empty())
}

/// Bytes to standard output as they are (a zip, a calendar), through the same buffer as `out!`.
fn write_stdout(bytes: &[u8]) -> Outcome {
    super::output::write_bytes(bytes)
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
    let left_behind = report.proofs_left_behind();
    if report.ok() && left_behind > 0 {
        let verb = if options.dry_run { "would come" } else { "came" };
        warn!(
            "recert: {left_behind} activities {verb} in without their proof file (a spreadsheet names a proof by its \
             SHA-256 but cannot carry it); attach each again with recert edit-activity ID --proof FILE"
        );
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
                    CreditDecision::Pending { units, .. } => Some(format!(
                        "{} +{units} {} once approved",
                        o.abbreviation,
                        o.unit.as_deref().unwrap_or("units")
                    )),
                    CreditDecision::NotCredited { .. } => None,
                })
                .collect();
            let earned = if earned.is_empty() { "counts for no credential".to_string() } else { earned.join(" · ") };
            // An opening balance has no date of its own.
            let date = if row.date.is_empty() { "(balance)" } else { row.date.as_str() };
            out!("line {:>4}  {date:<10}  {} — {earned}", row.line, row.title)?;
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
        // In the user's local time where the name holds the moment; a daily backup's name holds the day.
        let when = match (backup.written_at_utc, &backup.written_at) {
            (Some(moment), _) => moment.with_timezone(&chrono::Local).format("%Y-%m-%d %H:%M:%S").to_string(),
            (None, Some(day)) => day.clone(),
            (None, None) => "date unknown".into(),
        };
        out!("{when:<24} {kind:<18} {:>8} KB  {}", backup.size_bytes.div_ceil(1024), backup.path.display())?;
    }
    Ok(())
}

pub fn restore(recert: &mut Recert, file: &Path, yes: bool, json: bool, now: DateTime<Utc>) -> Outcome {
    let outcome = recert.restore(file, yes, now).map_err(confirm_with_yes)?;
    print_restored(file, &outcome, json)
}

/// A restore's question, with how to answer it.
pub fn confirm_with_yes(error: Error) -> Error {
    match error {
        Error::NeedsConfirmation(question) => Error::NeedsConfirmation(format!("{question}: confirm with --yes")),
        other => other,
    }
}

pub fn print_restored(file: &Path, outcome: &RestoreOutcome, json: bool) -> Outcome {
    if json {
        return print_json(outcome);
    }
    out!(
        "Restored {}: {} credentials, {} activities. The data it replaced is in {}",
        file.display(),
        outcome.restored.credentials,
        outcome.restored.activities,
        outcome.previous_data_saved_to.display()
    )
}
