//! Certificates already in the ledger: the same file (SHA-256 of the proof) or the same title and
//! date, pointed out before a certificate is logged again.

use std::path::Path;

use chrono::NaiveDate;

use super::Recert;
use crate::certificate::fields::{catalog_bodies, Body};
use crate::certificate::{read_certificate_naming, CertificateReading, Duplicate, Limits};
use crate::error::Result;

impl Recert {
    /// Reads a certificate, finding units and approvals for every body this person deals with:
    /// the built-in catalog's, the loaded rules file's, and those of credentials typed in.
    pub fn read_certificate(&self, file: &Path, limits: &Limits) -> Result<CertificateReading> {
        read_certificate_naming(file, limits, &self.certificate_bodies()?)
    }

    /// The bodies whose names a certificate is searched for (see [`Recert::read_certificate`]).
    pub fn certificate_bodies(&self) -> Result<Vec<Body>> {
        let mut bodies = catalog_bodies();
        let loaded = self.catalog().presets().iter().map(|preset| (&preset.body_short, &preset.body));
        let held = self.credentials()?;
        for (short, full) in loaded.chain(held.iter().map(|credential| (&credential.body_short, &credential.body))) {
            if !short.trim().is_empty() && !bodies.iter().any(|body| body.short.eq_ignore_ascii_case(short)) {
                bodies.push(Body { short: short.clone(), full: full.clone() });
            }
        }
        Ok(bodies)
    }

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
