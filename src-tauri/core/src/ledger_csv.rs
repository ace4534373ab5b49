//! The ledger as a spreadsheet: export one row per activity with the units it earned for each held
//! credential, and import rows (a trainer's years of courses) credited by the same rules as
//! logging. Import is all or nothing: every bad line is named, by number and column, and nothing
//! is written until the whole file is good.

use std::collections::HashMap;
use std::io::Write;

use chrono::NaiveDate;
use serde::Serialize;

use crate::activity::{Activity, ActivityForm, Credit, CreditChoice};
use crate::credential::{Credential, CredentialKind};
use crate::dates::parse_typed_date;
use crate::error::{Error, Result};

/// The columns Recert writes before the credentials' own.
const FIXED_COLUMNS: [&str; 6] = ["date", "title", "provider", "hours", "cost", "categories"];
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
    header.extend(held.iter().map(|c| credential_column(c)));
    header.push(PROOF_COLUMN.into());
    writer.write_record(&header).map_err(csv_error)?;
    for (activity, credits) in entries {
        // An opening balance is a balance, not a course: no date, hours or cost of its own.
        let balance = activity.opening_balance_for.is_some();
        let mut row = vec![
            if balance { String::new() } else { activity.completed_on.to_string() },
            activity.title.clone(),
            activity.provider.clone().unwrap_or_default(),
            if balance { String::new() } else { plain(activity.hours.0) },
            if balance { String::new() } else { plain(activity.cost.0) },
            activity.categories.join(CATEGORY_SEPARATOR),
        ];
        for credential in &held {
            let credit = credits.iter().find(|c| c.credential_id == credential.id);
            row.push(credit.map(|c| plain(c.units.0)).unwrap_or_default());
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
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut errors = Vec::new();
    let whole = |message: String| SheetError { line: 0, column: None, message };
    let mut reader = csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).from_reader(bytes);
    let header: Vec<String> = match reader.headers() {
        Ok(header) => header.iter().map(|h| h.trim().to_lowercase()).collect(),
        Err(error) => return (Vec::new(), vec![whole(format!("the file is not a readable CSV spreadsheet: {error}"))]),
    };
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
    let credential_columns: Vec<(i64, usize)> = held
        .iter()
        .filter_map(|credential| {
            let names = [credential_column(credential).to_lowercase(), credential.abbreviation.to_lowercase()];
            header.iter().position(|h| names.contains(h)).map(|index| (credential.id, index))
        })
        .collect();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                let line = error.position().map_or(0, |p| line_at(bytes, p.byte()));
                errors.push(SheetError { line, column: None, message: format!("not readable: {error}") });
                continue;
            }
        };
        let line = record.position().map_or(0, |p| line_at(bytes, p.byte()));
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue; // Spreadsheets leave empty rows at the end.
        }
        let cell = |name: &str| column(name).and_then(|i| record.get(i)).map(str::to_string).unwrap_or_default();
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
                credit_to: Vec::new(),
            },
            credential_cells,
            balance,
        });
    }
    (rows, errors)
}

/// The line a record starts on, counting from 1 (the csv crate's own line count is off by one for
/// files with CRLF line ends, which is how spreadsheets write them).
fn line_at(bytes: &[u8], byte: u64) -> u64 {
    // A record's position may point at the line end before it (the "\n" of a "\r\n").
    let mut start = (byte as usize).min(bytes.len());
    while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
        start += 1;
    }
    bytes[..start].iter().filter(|&&b| b == b'\n').count() as u64 + 1
}

/// A date as spreadsheets write it: ISO `YYYY-MM-DD`, or US `MM/DD/YYYY`, read as logging reads
/// a typed date.
pub fn sheet_date(text: &str) -> std::result::Result<NaiveDate, String> {
    parse_typed_date("date", text).map_err(|e| match e {
        Error::Invalid { message, .. } => message,
        other => other.to_string(),
    })
}

/// The key two rows share when they are likely the same course.
pub fn duplicate_key(date: &str, title: &str, hours: &str) -> (String, String, String) {
    (
        date.to_string(),
        title.trim().to_lowercase(),
        hours.trim().trim_end_matches('0').trim_end_matches('.').to_string(),
    )
}

/// Where each credential column's units go: typed units where the cell differs from what the
/// rules give, the rules where it agrees, nothing where the cell is empty.
pub fn credit_choices(row: &SheetRow, computed: &HashMap<i64, Option<String>>) -> Vec<CreditChoice> {
    row.credential_cells
        .iter()
        .filter_map(|(id, cell)| {
            let cell = cell.as_ref()?;
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
    fn money_and_units_as_plain_decimals() {
        assert_eq!((plain(14900), plain(5), plain(0)), ("149.00".into(), "0.05".into(), "0.00".into()));
    }
}
