//! What importing a spreadsheet did or would do.

use serde::Serialize;

use super::CreditOutcomeView;

/// What importing a spreadsheet does, with units as plain numbers.
#[derive(Debug, Clone, Serialize)]
pub struct ImportReportView {
    pub rows: Vec<ImportRowView>,
    pub errors: Vec<crate::ledger_csv::SheetError>,
    pub imported: usize,
    /// Activities that come in without the proof file the spreadsheet names.
    pub proofs_left_behind: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct ImportRowView {
    pub line: u64,
    pub date: String,
    pub title: String,
    pub outcomes: Vec<CreditOutcomeView>,
}

impl From<&crate::service::ImportReport> for ImportReportView {
    fn from(report: &crate::service::ImportReport) -> Self {
        Self {
            rows: report
                .rows
                .iter()
                .map(|row| ImportRowView {
                    line: row.line,
                    date: row.date.clone(),
                    title: row.title.clone(),
                    outcomes: row.outcomes.iter().map(CreditOutcomeView::from).collect(),
                })
                .collect(),
            errors: report.errors.clone(),
            imported: report.imported,
            proofs_left_behind: report.proofs_left_behind(),
        }
    }
}
