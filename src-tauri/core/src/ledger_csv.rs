//! The ledger as a spreadsheet: export one row per activity with the units it earned for each held
//! credential, and import rows (a trainer's years of courses) credited by the same rules as
//! logging. Import is all or nothing: every bad line is named, by number and column, and nothing
//! is written until the whole file is good.

use std::collections::HashMap;
use std::io::Write;

use chrono::NaiveDate;
use serde::Serialize;

use crate::activity::{Activity, ActivityForm, Credit, CreditChoice, Standing};
use crate::credential::{Credential, CredentialKind};
use crate::dates::parse_typed_date;
use crate::error::{Error, Result};

/// The columns Recert writes before the credentials' own.
const FIXED_COLUMNS: [&str; 7] = ["date", "title", "provider", "hours", "cost", "categories", "approved_by"];
const PROOF_COLUMN: &str = "proof_sha256";
/// How categories are joined in one cell (a comma would need quoting in every spreadsheet).
const CATEGORY_SEPARATOR: &str = "; ";

/// The column of a credential: "CSCS (CEU)".
pub fn credential_column(credential: &Credential) -> String {
    match &credential.rules.unit {
        Some(unit) => format!("{} ({unit})", credential.abbreviation),
        None => credential.abbreviation.clone(),
    }
}

/// The column of each held credential, unique in the file: "NASM-CPT (CEU)", or, where two
/// credentials share that name, "NASM-CPT (CEU) #2" with the credential's number.
fn unique_columns(held: &[&Credential]) -> Vec<String> {
    let names: Vec<String> = held.iter().map(|c| credential_column(c)).collect();
    held.iter()
        .zip(&names)
        .map(|(credential, name)| {
            if names.iter().filter(|n| n.eq_ignore_ascii_case(name)).count() > 1 {
                format!("{name} #{}", credential.id)
            } else {
                name.clone()
            }
        })
        .collect()
}

/// Whether a spreadsheet would take `text` for a formula (OWASP's CSV injection list: `=`, `+`,
/// `-`, `@`, a tab or a carriage return first), counting a text already quoted as one.
fn looks_like_formula(text: &str) -> bool {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => true,
        Some('\'') => looks_like_formula(&text[1..]),
        _ => false,
    }
}

/// A cell as written: text a spreadsheet would run as a formula gets a leading `'`, which a
/// spreadsheet shows as text and [`cell_as_read`] removes again.
pub fn cell_as_written(text: &str) -> std::borrow::Cow<'_, str> {
    if looks_like_formula(text) {
        format!("'{text}").into()
    } else {
        text.into()
    }
}

/// A cell as read: the `'` [`cell_as_written`] put before a formula-like text is removed.
pub fn cell_as_read(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if looks_like_formula(rest) => rest,
        _ => text,
    }
}

/// Credentials that collect units get a column; CPR/AED cards don't.
fn columned(credentials: &[Credential]) -> Vec<&Credential> {
    credentials.iter().filter(|c| c.kind == CredentialKind::Credential).collect()
}

/// Writes the ledger as CSV: UTF-8 with a byte-order mark (so Excel does not read it as ANSI), a
/// header row, CRLF line ends, as spreadsheets expect.
pub fn write_csv(mut out: impl Write, entries: &[(Activity, Vec<Credit>)], credentials: &[Credential]) -> Result<()> {
    let held = columned(credentials);
    out.write_all(b"\xEF\xBB\xBF").map_err(|e| Error::io("writing the spreadsheet", e))?;
    let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(out);
    let csv_error = |e: csv::Error| Error::Corrupt(format!("the spreadsheet could not be written: {e}"));
    let mut header: Vec<String> = FIXED_COLUMNS.iter().map(|c| c.to_string()).collect();
    header.extend(unique_columns(&held));
    header.push(PROOF_COLUMN.into());
    writer.write_record(&header).map_err(csv_error)?;
    for (activity, credits) in entries {
        // An opening balance is a balance, not a course: no date, hours or cost of its own.
        let balance = activity.opening_balance_for.is_some();
        let mut row = vec![
            if balance { String::new() } else { activity.completed_on.to_string() },
            cell_as_written(&activity.title).into_owned(),
            cell_as_written(activity.provider.as_deref().unwrap_or_default()).into_owned(),
            if balance { String::new() } else { plain(activity.hours.0) },
            if balance { String::new() } else { plain(activity.cost.0) },
            cell_as_written(&activity.categories.join(CATEGORY_SEPARATOR)).into_owned(),
            cell_as_written(
                &activity
                    .approvals
                    .iter()
                    .map(crate::activity::BodyApproval::spec)
                    .collect::<Vec<_>>()
                    .join(CATEGORY_SEPARATOR),
            )
            .into_owned(),
        ];
        for credential in &held {
            let credit = credits.iter().find(|c| c.credential_id == credential.id);
            // A credit the body has not accepted says so: a spreadsheet must not add it up.
            row.push(
                credit
                    .map(|c| match c.standing {
                        Standing::Counted => plain(c.units.0),
                        standing => format!("{} {}", plain(c.units.0), standing.as_str()),
                    })
                    .unwrap_or_default(),
            );
        }
        row.push(activity.proof.as_ref().map(|p| p.sha256.clone()).unwrap_or_default());
        writer.write_record(&row).map_err(csv_error)?;
    }
    writer.flush().map_err(|e| Error::io("writing the spreadsheet", e))?;
    Ok(())
}

/// Hundredths as a plain decimal a spreadsheet reads as a number: 150 → "1.50".
fn plain(hundredths: i64) -> String {
    let sign = if hundredths < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", hundredths.abs() / 100, hundredths.abs() % 100)
}

/// One line of an imported file, as logging would take it.
#[derive(Debug, Clone)]
pub struct SheetRow {
    /// The line number in the file (the header is line 1).
    pub line: u64,
    pub form: ActivityForm,
    /// The cell of each credential column, when the file has them: `None` for an empty cell.
    pub credential_cells: Vec<(i64, Option<String>)>,
    /// The SHA-256 of the proof the activity had where it was exported (its file stays there).
    pub proof_sha256: Option<String>,
    /// An opening balance ("Earned before Recert" with no date and no hours), as Recert exports
    /// one: units already earned, not a course.
    pub balance: bool,
}

/// Whether a row is an opening balance as Recert writes one: its title, no date, no hours.
fn is_balance_row(title: &str, date: &str, hours: &str) -> bool {
    title.trim().eq_ignore_ascii_case(crate::opening::OPENING_TITLE)
        && date.trim().is_empty()
        && hours.trim().is_empty()
}

/// A problem with one line (or with the whole file, `line` 0), and the column it is in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SheetError {
    pub line: u64,
    pub column: Option<String>,
    pub message: String,
}

impl std::fmt::Display for SheetError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.line, &self.column) {
            (0, _) => write!(f, "{}", self.message),
            (line, Some(column)) => write!(f, "line {line}, column {column}: {}", self.message),
            (line, None) => write!(f, "line {line}: {}", self.message),
        }
    }
}

/// Reads a spreadsheet's rows. Header names match without regard to case or surrounding spaces;
/// unknown columns are ignored; a BOM and CRLF line ends are fine. Values are not checked here
/// (logging's validation does that), except the date, which may be ISO or US `MM/DD/YYYY`.
pub fn read_csv(bytes: &[u8], credentials: &[Credential]) -> (Vec<SheetRow>, Vec<SheetError>) {
    let mut errors = Vec::new();
    let whole = |message: String| SheetError { line: 0, column: None, message };
    let mut sheet = match Sheet::open(bytes) {
        Ok(sheet) => sheet,
        Err(problem) => return (Vec::new(), vec![problem]),
    };
    let header = sheet.header.clone();
    let column = |name: &str| header.iter().position(|h| h == name);
    let missing: Vec<&str> = ["date", "title", "hours"].into_iter().filter(|name| column(name).is_none()).collect();
    if !missing.is_empty() {
        let found: Vec<&str> = header.iter().map(String::as_str).filter(|h| !h.is_empty()).take(12).collect();
        return (
            Vec::new(),
            vec![whole(format!(
                "the file has no {} column (it needs date, title and hours; found: {})",
                missing.join(", "),
                if found.is_empty() { "none".into() } else { found.join(", ") }
            ))],
        );
    }
    let held = columned(credentials);
    let unique = unique_columns(&held);
    // A column names one credential: by the name Recert gives it, else by its abbreviation
    // where no other held credential shares it.
    let mut credential_columns: Vec<(i64, usize)> = Vec::new();
    for (credential, own) in held.iter().zip(&unique) {
        let mut names = vec![own.to_lowercase()];
        let shared = |name: &str| held.iter().filter(|c| credential_column(c).eq_ignore_ascii_case(name)).count() > 1;
        if !shared(&credential_column(credential)) {
            let abbreviation = credential.abbreviation.to_lowercase();
            if held.iter().filter(|c| c.abbreviation.to_lowercase() == abbreviation).count() == 1 {
                names.push(abbreviation);
            }
        }
        if let Some(index) = header.iter().position(|h| names.contains(h)) {
            credential_columns.push((credential.id, index));
        }
    }
    let ambiguous: Option<&String> = header
        .iter()
        .find(|h| !h.is_empty() && held.iter().filter(|c| credential_column(c).to_lowercase() == **h).count() > 1);
    if let Some(name) = ambiguous {
        return (
            Vec::new(),
            vec![whole(format!(
                "the column {} fits {} credentials: name each as Recert exports it ({})",
                crate::quote::value(name),
                held.iter().filter(|c| credential_column(c).to_lowercase() == *name).count(),
                unique
                    .iter()
                    .filter(|u| u.to_lowercase().starts_with(name.as_str()))
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            ))],
        );
    }
    let mut rows = Vec::new();
    for row in sheet.rows() {
        let Ok((line, record)) = row.map_err(|error| errors.push(error)) else { continue };
        let cell = |name: &str| {
            column(name).and_then(|i| record.get(i)).map(|c| cell_as_read(c).to_string()).unwrap_or_default()
        };
        let optional = |name: &str| Some(cell(name)).filter(|text| !text.trim().is_empty());
        let date_text = cell("date");
        let balance = is_balance_row(&cell("title"), &date_text, &cell("hours"));
        let completed_on = match sheet_date(&date_text) {
            _ if balance => String::new(),
            Ok(date) => date.to_string(),
            Err(message) => {
                errors.push(SheetError { line, column: Some("date".into()), message });
                continue;
            }
        };
        let categories = optional("categories")
            .map(|text| text.split([';', ',']).map(|c| c.trim().to_string()).filter(|c| !c.is_empty()).collect())
            .unwrap_or_default();
        let credential_cells = credential_columns
            .iter()
            .map(|(id, index)| (*id, record.get(*index).map(str::to_string).filter(|c| !c.trim().is_empty())))
            .collect();
        rows.push(SheetRow {
            line,
            form: ActivityForm {
                title: cell("title"),
                provider: optional("provider"),
                completed_on,
                hours: cell("hours"),
                cost: optional("cost"),
                categories,
                notes: optional("notes"),
                proof_file: None,
                // "NASM; ACE:CEP-1234": the bodies that approved it, with their numbers.
                approved_by: optional("approved_by")
                    .map(|text| text.split(';').map(|a| a.trim().to_string()).filter(|a| !a.is_empty()).collect())
                    .unwrap_or_default(),
                credit_to: Vec::new(),
            },
            credential_cells,
            proof_sha256: optional(PROOF_COLUMN),
            balance,
        });
    }
    (rows, errors)
}

/// A spreadsheet opened for reading, as every import reads one: a BOM and CRLF line ends are
/// fine, UTF-16 and a quote never closed are named for what they are, the header is trimmed and
/// in lower case, and each row comes with the line it starts on as a person counts lines.
pub struct Sheet<'a> {
    bytes: &'a [u8],
    reader: csv::Reader<&'a [u8]>,
    pub header: Vec<String>,
}

impl<'a> Sheet<'a> {
    pub fn open(bytes: &'a [u8]) -> std::result::Result<Self, SheetError> {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        if let Some(problem) = unreadable_as_text(bytes) {
            return Err(problem);
        }
        let mut reader = csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).from_reader(bytes);
        let header = match reader.headers() {
            Ok(header) => header.iter().map(|h| h.trim().to_lowercase()).collect(),
            Err(error) => {
                return Err(SheetError {
                    line: 0,
                    column: None,
                    message: format!("the file is not a readable CSV spreadsheet: {error}"),
                })
            }
        };
        Ok(Self { bytes, reader, header })
    }

    /// The rows with their lines; an unreadable row as the error to report. Empty rows (which
    /// spreadsheets leave at the end) are skipped.
    pub fn rows(
        &mut self,
    ) -> impl Iterator<Item = std::result::Result<(u64, csv::StringRecord), SheetError>> + use<'_, 'a> {
        let bytes = self.bytes;
        let mut lines = LineCounter::default();
        self.reader.records().filter_map(move |record| match record {
            Ok(record) => {
                let line = record.position().map_or(0, |p| lines.line_at(bytes, p.byte()));
                (!record.iter().all(|cell| cell.trim().is_empty())).then_some(Ok((line, record)))
            }
            Err(error) => {
                let line = error.position().map_or(0, |p| lines.line_at(bytes, p.byte()));
                Some(Err(SheetError { line, column: None, message: format!("not readable: {error}") }))
            }
        })
    }
}

/// What makes a file unreadable as the CSV text Recert reads, named for what it is: UTF-16 (what
/// "Unicode text" in Excel saves), or a quote that opens a cell and never closes (the reader
/// would take the rest of the file as that one cell).
fn unreadable_as_text(bytes: &[u8]) -> Option<SheetError> {
    let utf16 = bytes.starts_with(b"\xFF\xFE")
        || bytes.starts_with(b"\xFE\xFF")
        || (bytes.len() >= 4
            && (bytes[..4].iter().step_by(2).all(|b| *b == 0) || bytes[1..4].iter().step_by(2).all(|b| *b == 0)));
    if utf16 {
        return Some(SheetError {
            line: 0,
            column: None,
            message:
                "the file is UTF-16 text, which Recert does not read: save it as \"CSV UTF-8\" and import it again"
                    .into(),
        });
    }
    // A quote opens a cell only at its start; inside a quoted cell "" is a quote, and a quote
    // in the middle of an unquoted cell (5" plates) is just a character.
    let mut line = 1u64;
    let mut opened_on = None;
    let mut field_start = true;
    let mut index = 0;
    while index < bytes.len() {
        let byte = bytes[index];
        if byte == b'\n' {
            line += 1;
        }
        match (opened_on, byte) {
            (None, b'"') if field_start => opened_on = Some(line),
            (Some(_), b'"') if bytes.get(index + 1) == Some(&b'"') => index += 1,
            (Some(_), b'"') => opened_on = None,
            _ => {}
        }
        field_start = opened_on.is_none() && matches!(byte, b',' | b'\n' | b'\r');
        index += 1;
    }
    opened_on.map(|line| SheetError {
        line,
        column: None,
        message: "a quote (\") opens a cell here and is never closed: close it, or remove it, and import again".into(),
    })
}

/// The line a record starts on, counting from 1 (the csv crate's own line count is off by one for
/// files with CRLF line ends, which is how spreadsheets write them). Records come in order, so
/// the newlines are counted from the previous record on: the whole file is read once.
#[derive(Default)]
struct LineCounter {
    /// The byte up to which newlines are counted, and how many there are before it.
    counted_to: usize,
    newlines: u64,
}

impl LineCounter {
    fn line_at(&mut self, bytes: &[u8], byte: u64) -> u64 {
        // A record's position may point at the line end before it (the "\n" of a "\r\n").
        let mut start = (byte as usize).min(bytes.len());
        while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        if start < self.counted_to {
            // Out of order (never, from the csv reader): count from the beginning.
            *self = Self::default();
        }
        self.newlines += bytes[self.counted_to..start].iter().filter(|&&b| b == b'\n').count() as u64;
        self.counted_to = start;
        self.newlines + 1
    }
}

/// A date as spreadsheets write it: ISO `YYYY-MM-DD`, or US `MM/DD/YYYY`, read as logging reads
/// a typed date.
pub fn sheet_date(text: &str) -> std::result::Result<NaiveDate, String> {
    parse_typed_date("date", text).map_err(|e| match e {
        Error::Invalid { message, .. } => message,
        other => other.to_string(),
    })
}

/// The key two rows share when they are likely the same course: the same day, title (in any
/// case) and hours, compared by value ("90 min", "1h30" and "1.5" are the same).
pub fn duplicate_key(date: NaiveDate, title: &str, hours: crate::amount::Hours) -> (NaiveDate, String, i64) {
    (date, title.trim().to_lowercase(), hours.0)
}

/// Where each credential column's units go: typed units where the cell differs from what the
/// rules give, the rules where it agrees, nothing where the cell is empty.
pub fn credit_choices(row: &SheetRow, computed: &HashMap<i64, Option<String>>) -> Vec<CreditChoice> {
    row.credential_cells
        .iter()
        .filter_map(|(id, cell)| {
            let cell = cell.as_ref()?;
            // "0.80 pending": the rules decide again (with the approvals of the row); "refused":
            // not credited.
            if cell.trim_end().ends_with(Standing::Refused.as_str()) {
                return None;
            }
            if cell.trim_end().ends_with(Standing::Pending.as_str()) {
                return Some(CreditChoice { credential_id: *id, units: None });
            }
            let same = computed.get(id).and_then(|c| c.as_ref()).is_some_and(|c| same_amount(c, cell));
            Some(CreditChoice { credential_id: *id, units: (!same).then(|| cell.clone()) })
        })
        .collect()
}

fn same_amount(a: &str, b: &str) -> bool {
    match (crate::amount::parse_hundredths("units", a), crate::amount::parse_hundredths("units", b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::held_on;

    #[test]
    fn dates_in_iso_or_us_order() {
        assert_eq!(sheet_date("2019-05-10").unwrap().to_string(), "2019-05-10");
        assert_eq!(sheet_date("05/10/2019").unwrap().to_string(), "2019-05-10");
        assert_eq!(sheet_date("5/1/2019").unwrap().to_string(), "2019-05-01");
        for bad in ["13/01/2019", "02/30/2019", "2019/05/10", "10.05.2019", "", "5/1/19"] {
            assert!(sheet_date(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn headers_match_loosely_and_bad_lines_are_named() {
        let cscs = held_on(1, "nsca-cscs", "2015-06-01", None, "2026-11-23");
        let file = "\u{FEFF} Date ,TITLE,Hours,Venue\r\n2026-05-01,Clinic,8,Denver\r\n02/30/2026,Bad,1,\r\n,,,\r\n";
        let (rows, errors) = read_csv(file.as_bytes(), std::slice::from_ref(&cscs));
        assert_eq!(rows.len(), 1);
        assert_eq!((rows[0].line, rows[0].form.title.as_str(), rows[0].form.hours.as_str()), (2, "Clinic", "8"));
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].to_string(), "line 3, column date: 02/30/2026 is not a real calendar date (MM/DD/YYYY)");
        let (_, errors) = read_csv(b"when,what\n2026-01-01,x\n", &[cscs]);
        assert!(errors[0].message.starts_with("the file has no date, title, hours column"), "{:?}", errors);
    }

    #[test]
    fn formulas_are_quoted_as_text_and_read_back() {
        for text in ["=1+1", "+1", "-1", "@A1", "\tx", "'=x", "''+y"] {
            let written = cell_as_written(text);
            assert!(written.starts_with('\''), "{text}");
            assert_eq!(cell_as_read(&written), text);
        }
        for text in ["Plain", "it's", "'quoted", "1-2"] {
            assert_eq!(cell_as_written(text), text);
            assert_eq!(cell_as_read(text), text);
        }
    }

    #[test]
    fn money_and_units_as_plain_decimals() {
        assert_eq!((plain(14900), plain(5), plain(0)), ("149.00".into(), "0.05".into(), "0.00".into()));
    }
}
