//! The user's data coming in and going out: the ledger as a spreadsheet (export and all-or-nothing
//! import). Shared by the CLI and the window like every other operation.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::ledger::{checked_activity, credit_outcomes, CreditOutcome, Selection};
use super::Recert;
use crate::activity::{Credit, CreditDecision};
use crate::audit::{write_packet, AuditContent, AuditCycle};
use crate::calendar::{milestones, to_ics};
use crate::credential::Credential;
use crate::error::{Error, Result};
use crate::files::{checked_output, write_atomically, write_output, OutputTarget};
use crate::ledger_csv::{credential_column, credit_choices, duplicate_key, read_csv, write_csv, SheetError, SheetRow};
use crate::opening::{parse_opening, OpeningEntry};
use crate::progress::{progress, CycleTotals};
use crate::rules::Cycle;
use crate::store::Read;

/// What importing a spreadsheet does (or, in a dry run, would do).
#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    pub rows: Vec<ImportRow>,
    /// Every bad line; when there is one, nothing was imported.
    pub errors: Vec<SheetError>,
    /// Activities written (0 in a dry run or when any line is bad).
    pub imported: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct ImportRow {
    pub line: u64,
    pub date: String,
    pub title: String,
    pub outcomes: Vec<CreditOutcome>,
    /// The line names a proof (`proof_sha256`, from a Recert export) whose file a spreadsheet
    /// cannot carry: the activity comes in without it.
    pub proof_left_behind: bool,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct ImportOptions {
    pub dry_run: bool,
    /// Import courses that look like ones already in the file or the ledger.
    pub allow_duplicates: bool,
}

impl ImportReport {
    pub fn ok(&self) -> bool {
        self.errors.is_empty()
    }

    /// How many activities come in without the proof the file names.
    pub fn proofs_left_behind(&self) -> usize {
        self.rows.iter().filter(|row| row.proof_left_behind).count()
    }
}

/// What an audit packet holds, once written.
#[derive(Debug, Clone, Serialize)]
pub struct AuditPacket {
    pub path: PathBuf,
    pub cycle_start: NaiveDate,
    pub cycle_end: NaiveDate,
    pub activities: usize,
    pub proofs: usize,
    /// Proofs whose file differs from the SHA-256 recorded when they were logged (named in the
    /// packet's PROOF-CHECK.txt too).
    pub changed_proofs: Vec<crate::audit::ChangedProof>,
}

/// The largest spreadsheet an import reads (a ledger of 100 000 courses is about 10 MB).
pub const MAX_IMPORT_BYTES: u64 = 64 * 1024 * 1024;

/// Reads a spreadsheet to import, refusing one larger than [`MAX_IMPORT_BYTES`] (or a device such
/// as /dev/zero that never ends) instead of reading it into memory.
pub fn read_import_file(path: &Path) -> Result<Vec<u8>> {
    use std::io::Read as _;
    let shown = crate::quote::path(path);
    // Opening a FIFO waits for a writer, and reading a device may never end: only files.
    match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Error::invalid("file", format!("file not found: {shown}")))
        }
        Ok(meta) if meta.is_dir() => {
            return Err(Error::invalid("file", format!("{shown} is a folder, not a spreadsheet")))
        }
        Ok(meta) if !meta.is_file() => {
            return Err(Error::invalid(
                "file",
                format!(
                    "{shown} is not a regular file (a device, pipe or socket): save the spreadsheet as a file first"
                ),
            ))
        }
        _ => {}
    }
    let file = std::fs::File::open(path).map_err(|e| Error::io(format!("reading {shown}"), e))?;
    let mut bytes = Vec::new();
    file.take(MAX_IMPORT_BYTES + 1).read_to_end(&mut bytes).map_err(|e| Error::io(format!("reading {shown}"), e))?;
    if bytes.len() as u64 > MAX_IMPORT_BYTES {
        return Err(Error::invalid(
            "file",
            format!("{shown} is larger than {} MB: not a spreadsheet Recert can import", MAX_IMPORT_BYTES >> 20),
        ));
    }
    Ok(bytes)
}

/// The setting naming the calendar file kept up to date after every change.
pub const CALENDAR_FILE_SETTING: &str = "calendar_file";

impl Recert {
    /// Checks `path` as the place for a file written for the user (see [`checked_output`]):
    /// never one of Recert's own files, a device, FIFO or folder; an existing file only with
    /// `replace`.
    pub fn output(&self, path: &Path, replace: bool) -> Result<OutputTarget> {
        checked_output(path, &self.data_dir, replace)
    }

    /// Checks that credential `id` has the cycle an audit packet asks for (before anything is
    /// written or asked about the output file).
    pub fn check_audit_cycle(&self, id: i64, which: AuditCycle) -> Result<()> {
        audit_cycle(&self.store.credential(id)?, &self.store.past_cycles(id)?, which).map(drop)
    }

    /// Writes the audit packet of credential `id`'s current or previous cycle to `out` (a zip).
    pub fn audit_packet(
        &self,
        id: i64,
        which: AuditCycle,
        out: &OutputTarget,
        today: NaiveDate,
    ) -> Result<AuditPacket> {
        let mut packet = None;
        write_output(out, |file| {
            packet = Some(self.audit_packet_into(id, which, file, today)?);
            Ok(())
        })?;
        let packet = packet.expect("written");
        Ok(AuditPacket { path: out.path.clone(), ..packet })
    }

    /// Writes the audit packet into `out` (standard output through a buffer, say); its `path`
    /// is then "-".
    pub fn audit_packet_into(
        &self,
        id: i64,
        which: AuditCycle,
        out: impl Write + std::io::Seek,
        today: NaiveDate,
    ) -> Result<AuditPacket> {
        let credential = self.store.credential(id)?;
        let past = self.store.past_cycles(id)?;
        let (cycle, renewal) = audit_cycle(&credential, &past, which)?;
        let credits: Vec<Credit> =
            self.store.credits_for_credential(id)?.into_iter().filter(|c| c.counts_in(cycle)).collect();
        let mut activities = Vec::new();
        for credit in &credits {
            activities.push(self.store.activity(credit.activity_id)?);
        }
        // Progress as it stands for that cycle, from exactly these credits.
        let totals = CycleTotals::from_credits(credits.iter().zip(&activities));
        let in_cycle = Credential { cycle, ..credential.clone() };
        let progress = progress(&in_cycle, &totals, today);
        let mut pairs: Vec<(&crate::activity::Activity, &Credit)> = activities.iter().zip(&credits).collect();
        pairs.sort_by(|a, b| a.0.completed_on.cmp(&b.0.completed_on).then(a.0.id.cmp(&b.0.id)));
        let proofs: std::collections::HashSet<&str> =
            pairs.iter().filter_map(|(a, _)| a.proof.as_ref().map(|p| p.stored_path.as_str())).collect();
        let content = AuditContent {
            credential: &in_cycle,
            cycle,
            renewal,
            progress: &progress,
            credits: pairs.clone(),
            generated_on: today,
        };
        let changed_proofs = write_packet(out, &content, &self.data_dir)?;
        Ok(AuditPacket {
            path: PathBuf::from("-"),
            cycle_start: cycle.start,
            cycle_end: cycle.end,
            activities: pairs.len(),
            proofs: proofs.len(),
            changed_proofs,
        })
    }

    /// Every milestone of the current cycles as an RFC 5545 calendar (.ics).
    pub fn calendar_ics(&self, today: NaiveDate) -> Result<String> {
        let reports = self.status(today)?;
        Ok(to_ics(&milestones(&reports), &self.lead_times()?))
    }

    /// Writes the calendar to `out`, whole or not at all.
    pub fn write_calendar(&self, out: &OutputTarget, today: NaiveDate) -> Result<()> {
        let text = self.calendar_ics(today)?;
        write_output(out, |file| {
            file.write_all(text.as_bytes()).map_err(|e| Error::io(format!("writing {}", out.path.display()), e))
        })
    }

    /// Writes the calendar file kept up to date: replaced each time, a link written through.
    fn write_calendar_file(&self, path: &Path, today: NaiveDate) -> Result<()> {
        let text = self.calendar_ics(today)?;
        write_atomically(path, &self.data_dir, |file| {
            file.write_all(text.as_bytes()).map_err(|e| Error::io(format!("writing {}", path.display()), e))
        })
    }

    /// Writes the ledger as CSV to `out`, whole or not at all; returns the number of activities.
    pub fn export_csv_to(&self, out: &OutputTarget) -> Result<usize> {
        let mut count = 0;
        write_output(out, |file| {
            count = self.export_csv(file)?;
            Ok(())
        })?;
        Ok(count)
    }

    /// The calendar file kept up to date, if the user chose one.
    pub fn calendar_file(&self) -> Result<Option<PathBuf>> {
        Ok(self.store.setting(CALENDAR_FILE_SETTING)?.map(PathBuf::from))
    }

    /// Keeps `path` up to date after every change (an empty path turns it off). The file is
    /// written at once, so a wrong folder is refused now rather than failing silently later.
    pub fn set_calendar_file(&mut self, path: &str, today: NaiveDate) -> Result<Option<PathBuf>> {
        let path = path.trim();
        if path.is_empty() {
            self.store.write(|tx| tx.set_setting(CALENDAR_FILE_SETTING, ""))?;
            return Ok(None);
        }
        let path = PathBuf::from(path);
        if path.extension().is_none_or(|ext| !ext.eq_ignore_ascii_case("ics")) {
            return Err(Error::invalid("calendar-file", "the calendar file must end in .ics"));
        }
        if !path.is_absolute() {
            return Err(Error::invalid("calendar-file", "give the full path of the calendar file"));
        }
        self.write_calendar_file(&path, today)?;
        self.store.write(|tx| tx.set_setting(CALENDAR_FILE_SETTING, &path.to_string_lossy()))?;
        Ok(Some(path))
    }

    /// Rewrites the chosen calendar file after a change; `None` when none is chosen.
    pub fn refresh_calendar(&self, today: NaiveDate) -> Result<Option<PathBuf>> {
        match self.calendar_file()?.filter(|p| !p.as_os_str().is_empty()) {
            Some(path) => self.write_calendar_file(&path, today).map(|()| Some(path)),
            None => Ok(None),
        }
    }

    /// Writes the ledger as CSV: one row per activity, the units credited to each held credential.
    pub fn export_csv(&self, out: impl Write) -> Result<usize> {
        let credentials = self.store.credentials()?;
        let mut entries = Vec::new();
        for activity in self.store.activities()? {
            let credits: Vec<Credit> = self.store.credits_for_activity(activity.id)?;
            entries.push((activity, credits));
        }
        entries.sort_by(|a, b| a.0.completed_on.cmp(&b.0.completed_on).then(a.0.id.cmp(&b.0.id)));
        write_csv(out, &entries, &credentials)?;
        Ok(entries.len())
    }

    /// Imports a spreadsheet's activities, credited by the same rules as logging (a file exported
    /// by Recert, whose credential columns say what each credential got, imports back unchanged).
    /// All or nothing: any bad line, or a likely duplicate without `allow_duplicates`, and
    /// nothing is written; the report names every one.
    pub fn import_csv(
        &mut self,
        bytes: &[u8],
        options: ImportOptions,
        now: DateTime<Utc>,
        today: NaiveDate,
    ) -> Result<ImportReport> {
        if options.dry_run {
            let (rows, errors, _, _) = plan_import(&self.store, bytes, options, today)?;
            return Ok(ImportReport { rows, errors, imported: 0 });
        }
        // Read and checked outside the write transaction (a large file takes seconds, and other
        // writers must not wait for it), then written in one short transaction if nothing
        // changed meanwhile: the duplicates looked for and the credentials credited are those
        // the import is written beside. Changed: checked again (at most three times, then
        // inside the transaction).
        for _ in 0..3 {
            let seen = self.store.data_version()?;
            let (rows, errors, batch, balances) = plan_import(&self.store, bytes, options, today)?;
            if !errors.is_empty() {
                return Ok(ImportReport { rows, errors, imported: 0 });
            }
            let written = self.store.write(|tx| {
                if tx.data_version()? != seen {
                    return Ok(None);
                }
                Ok(Some(write_import(tx, &batch, &balances, now)?))
            })?;
            if let Some(imported) = written {
                return Ok(ImportReport { rows, errors, imported });
            }
        }
        self.store.write(|tx| {
            let (rows, errors, batch, balances) = plan_import(tx, bytes, options, today)?;
            let imported = if errors.is_empty() { write_import(tx, &batch, &balances, now)? } else { 0 };
            Ok(ImportReport { rows, errors, imported })
        })
    }
}

/// Writes a checked import: its courses and the opening balances it holds; returns how many.
fn write_import(
    tx: &crate::store::Tx<'_>,
    batch: &[(crate::activity::ValidActivity, Vec<crate::activity::Credit>)],
    balances: &[(Credential, Vec<crate::opening::OpeningEntry>)],
    now: DateTime<Utc>,
) -> Result<usize> {
    let mut imported = tx.insert_activities(batch, now)?.len();
    for (credential, entries) in balances {
        tx.add_opening_balance(credential, entries, now)?;
        imported += entries.len();
    }
    Ok(imported)
}

/// The cycle an audit packet of `credential` is about, and the renewal that closed it.
fn audit_cycle<'p>(
    credential: &Credential,
    past: &'p [crate::credential::PastCycle],
    which: AuditCycle,
) -> Result<(Cycle, Option<&'p crate::credential::PastCycle>)> {
    match which {
        AuditCycle::Current => Ok((credential.cycle, None)),
        AuditCycle::Previous => {
            let last = past.first().ok_or_else(|| {
                Error::invalid(
                    "cycle",
                    format!("{} has no previous cycle: no renewal is recorded", credential.abbreviation),
                )
            })?;
            Ok((Cycle { start: last.start, end: last.end }, Some(last)))
        }
    }
}

/// What importing `bytes` into what `store` holds would write: a row per course, every bad line,
/// the activities with their credits, and the opening balances ("Earned before Recert" rows).
#[allow(clippy::type_complexity)]
fn plan_import(
    store: &impl Read,
    bytes: &[u8],
    options: ImportOptions,
    today: NaiveDate,
) -> Result<(
    Vec<ImportRow>,
    Vec<SheetError>,
    Vec<(crate::activity::ValidActivity, Vec<Credit>)>,
    Vec<(Credential, Vec<OpeningEntry>)>,
)> {
    let credentials = store.credentials()?;
    let (sheet, mut errors) = read_csv(bytes, &credentials);
    let in_ledger: HashMap<(NaiveDate, String, i64), i64> = store
        .activities()?
        .into_iter()
        .filter(|a| a.opening_balance_for.is_none())
        .map(|a| (duplicate_key(a.completed_on, &a.title, a.hours), a.id))
        .collect();
    let mut seen: HashMap<(NaiveDate, String, i64), u64> = HashMap::new();
    let mut rows = Vec::new();
    let mut batch = Vec::new();
    // Per credential, the balance texts (`UNITS[:CATEGORY]`) and the first line giving one.
    let mut balance_texts: Vec<(i64, u64, Vec<String>)> = Vec::new();
    for row in &sheet {
        if row.balance {
            match plan_balance(store, row, &credentials, options, &mut balance_texts)? {
                Ok(import_row) => rows.push(import_row),
                Err(error) => errors.push(error),
            }
            continue;
        }
        let column_of = |field: &str| match field {
            "date" | "title" | "hours" | "cost" | "provider" | "notes" => Some(field.to_string()),
            "category" => Some("categories".into()),
            _ => None,
        };
        let plain = match row.form.validate(today) {
            Ok(activity) => activity,
            Err(error) => {
                let field = error.field().map(str::to_string);
                let message = match &error {
                    crate::Error::Invalid { message, .. } => message.clone(),
                    other => other.to_string(),
                };
                errors.push(SheetError { line: row.line, column: field.as_deref().and_then(column_of), message });
                continue;
            }
        };
        let key = duplicate_key(plain.completed_on, &plain.title, plain.hours);
        if !options.allow_duplicates {
            if let Some(first) = seen.get(&key) {
                let message = format!("the same course as line {first} (import with duplicates allowed to keep both)");
                errors.push(SheetError { line: row.line, column: None, message });
            } else if let Some(id) = in_ledger.get(&key) {
                let message =
                    format!("already in the ledger as activity #{id} (import with duplicates allowed to add it again)");
                errors.push(SheetError { line: row.line, column: None, message });
            }
        }
        seen.entry(key).or_insert(row.line);
        // Where the file says what each credential got, follow it; otherwise the rules decide.
        let mut form = row.form.clone();
        if !row.credential_cells.is_empty() {
            let computed: HashMap<i64, Option<String>> = credit_outcomes(store, &plain, Selection::Every, None)?
                .into_iter()
                .map(|o| {
                    let units = match o.decision {
                        CreditDecision::Credited { units, .. } => Some(units.to_string()),
                        CreditDecision::Pending { .. } | CreditDecision::NotCredited { .. } => None,
                    };
                    (o.credential_id, units)
                })
                .collect();
            form.credit_to = credit_choices(row, &computed);
            if form.credit_to.is_empty() {
                errors.push(SheetError {
                    line: row.line,
                    column: None,
                    message: "no credential column has units for this course".into(),
                });
                continue;
            }
        }
        match checked_activity(store, &form, today) {
            Ok((activity, outcomes, credits)) => {
                rows.push(ImportRow {
                    line: row.line,
                    date: row.form.completed_on.clone(),
                    title: activity.title.clone(),
                    outcomes,
                    proof_left_behind: row.proof_sha256.is_some(),
                });
                batch.push((activity, credits));
            }
            Err(error) => {
                let message = match &error {
                    crate::Error::Invalid { message, .. } => message.clone(),
                    other => other.to_string(),
                };
                errors.push(SheetError { line: row.line, column: None, message });
            }
        }
    }
    let mut balances = Vec::new();
    for (id, line, texts) in balance_texts {
        let Some(credential) = credentials.iter().find(|c| c.id == id) else { continue };
        match parse_opening(&texts, credential) {
            Ok(entries) => balances.push((credential.clone(), entries)),
            Err(error) => {
                let message = match &error {
                    crate::Error::Invalid { message, .. } => message.clone(),
                    other => other.to_string(),
                };
                errors.push(SheetError { line, column: Some(credential_column(credential)), message });
            }
        }
    }
    if sheet.is_empty() && errors.is_empty() {
        errors.push(SheetError { line: 0, column: None, message: "the file has no rows to import".into() });
    }
    errors.sort_by_key(|e| e.line);
    Ok((rows, errors, batch, balances))
}

/// One "Earned before Recert" row: units already earned by the credentials whose columns hold
/// them, kept as their opening balance (never as a course with made-up hours). A credential that
/// already has a balance is refused unless duplicates are allowed.
fn plan_balance(
    store: &impl Read,
    row: &SheetRow,
    credentials: &[Credential],
    options: ImportOptions,
    balance_texts: &mut Vec<(i64, u64, Vec<String>)>,
) -> Result<std::result::Result<ImportRow, SheetError>> {
    let error = |message: String| Ok(Err(SheetError { line: row.line, column: None, message }));
    let cells: Vec<(&Credential, &String)> = row
        .credential_cells
        .iter()
        .filter_map(|(id, cell)| Some((credentials.iter().find(|c| c.id == *id)?, cell.as_ref()?)))
        .collect();
    if cells.is_empty() {
        return error("a balance earned before Recert needs its units in a credential column".into());
    }
    let mut outcomes = Vec::new();
    for (credential, cell) in cells {
        if !options.allow_duplicates && !store.opening_balance_activities(credential.id)?.is_empty() {
            return error(format!(
                "{} already has a balance earned before Recert (import with duplicates allowed to add this one)",
                credential.abbreviation
            ));
        }
        let category = row.form.categories.first();
        let text = category.map_or_else(|| cell.clone(), |category| format!("{cell}:{category}"));
        let entry = match parse_opening(std::slice::from_ref(&text), credential) {
            Ok(mut entries) if entries.len() == 1 => entries.remove(0),
            Ok(_) => return error("a balance earned before Recert needs its units".into()),
            Err(crate::Error::Invalid { message, .. }) => return error(message),
            Err(other) => return Err(other),
        };
        match balance_texts.iter_mut().find(|(id, _, _)| *id == credential.id) {
            Some((_, _, texts)) => texts.push(text),
            None => balance_texts.push((credential.id, row.line, vec![text])),
        }
        outcomes.push(CreditOutcome {
            credential_id: credential.id,
            abbreviation: credential.abbreviation.clone(),
            unit: credential.rules.unit.clone(),
            decision: CreditDecision::Credited {
                units: entry.units,
                category: entry.category,
                overridden: true,
                capped: false,
                late_for_cycle_end: None,
            },
            kept: false,
        });
    }
    Ok(Ok(ImportRow {
        line: row.line,
        date: String::new(),
        title: row.form.title.trim().to_string(),
        outcomes,
        proof_left_behind: false,
    }))
}
