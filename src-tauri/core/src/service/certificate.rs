//! Certificates already in the ledger: the same file (SHA-256 of the proof) or the same title and
//! date, pointed out before a certificate is logged again.

use chrono::NaiveDate;

use super::Recert;
use crate::certificate::Duplicate;
use crate::error::Result;

impl Recert {
    /// Activities that look like this certificate logged before.
    pub fn certificate_duplicates(
        &self,
        sha256: &str,
        title: &str,
        completed_on: Option<NaiveDate>,
    ) -> Result<Vec<Duplicate>> {
        let title = title.trim();
        let mut found = Vec::new();
        for entry in self.activities()? {
            let a = &entry.activity;
            let same_file = a.proof.as_ref().is_some_and(|p| p.sha256.eq_ignore_ascii_case(sha256));
            let same_course =
                !title.is_empty() && a.title.trim().eq_ignore_ascii_case(title) && Some(a.completed_on) == completed_on;
            if same_file || same_course {
                found.push(Duplicate {
                    activity_id: a.id,
                    title: a.title.clone(),
                    completed_on: a.completed_on.to_string(),
                    reason: if same_file { "the same file" } else { "the same title and date" }.to_string(),
                });
            }
        }
        Ok(found)
    }
}
