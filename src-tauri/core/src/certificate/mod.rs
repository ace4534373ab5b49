//! Reading a course certificate (issue 21): `extract` gets its text (PDF text layer, or Tesseract
//! on a picture), `fields` reads the fields out of that text, and `form` turns a reading into the
//! log form — units stated for a body credited to that body's credentials, as `--for ID=UNITS`
//! does, and counted as that body's approval. Nothing here writes; nothing leaves the machine.

pub mod extract;
pub mod fields;

use std::path::{Path, PathBuf};

use serde::Serialize;

pub use extract::{extract, Extracted, Limits, Source};
pub use fields::{read_fields, Body, Reading};

use crate::activity::{ActivityChanges, ActivityForm, CreditChoice};
use crate::credential::{Credential, CredentialKind};
use crate::error::{Error, Result};
use crate::quote;

/// A certificate file read: where the text came from and the fields found in it.
#[derive(Debug, Clone)]
pub struct CertificateReading {
    pub file: PathBuf,
    pub source: Source,
    pub pages: usize,
    pub sha256: String,
    pub reading: Reading,
}

/// Reads a certificate file, with the bodies of the built-in catalog. A file in which no title,
/// date, hours or units are found is refused as no certificate.
pub fn read_certificate(file: &Path, limits: &Limits) -> Result<CertificateReading> {
    read_certificate_naming(file, limits, &fields::catalog_bodies())
}

/// Reads a certificate file, finding units and approvals for `bodies` (those of the credentials
/// held and of the catalog in use: `Recert::read_certificate`).
pub fn read_certificate_naming(file: &Path, limits: &Limits, bodies: &[fields::Body]) -> Result<CertificateReading> {
    let extracted = extract(file, limits)?;
    let reading = read_fields(&extracted.text, bodies);
    if !reading.found_anything() {
        return Err(Error::invalid(
            "certificate",
            format!(
                "{}: does not look like a certificate: no course title, date, hours or units were found in it",
                quote::path(file)
            ),
        ));
    }
    Ok(CertificateReading {
        file: file.to_path_buf(),
        source: extracted.source,
        pages: extracted.pages,
        sha256: extracted.sha256,
        reading,
    })
}

/// The JSON shape of a reading (`recert read-certificate --json`, the window).
#[derive(Debug, Clone, Serialize)]
pub struct ReadingView {
    pub title: Option<String>,
    pub completed_on: Option<String>,
    pub hours: Option<f64>,
    pub provider: Option<String>,
    pub units: Vec<UnitsView>,
    pub approval: Vec<fields::Approval>,
    pub evidence: fields::Evidence,
    pub unsure: Vec<fields::Unsure>,
    pub source: Source,
    pub pages: usize,
    pub sha256: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct UnitsView {
    pub body: String,
    pub amount: f64,
    pub unit: String,
}

impl From<&CertificateReading> for ReadingView {
    fn from(read: &CertificateReading) -> Self {
        let r = &read.reading;
        Self {
            title: r.title.clone(),
            completed_on: r.completed_on.map(|d| d.to_string()),
            hours: r.hours.map(|h| h.as_f64()),
            provider: r.provider.clone(),
            units: r
                .units
                .iter()
                .map(|u| UnitsView { body: u.body.clone(), amount: u.amount.as_f64(), unit: u.unit.clone() })
                .collect(),
            approval: r.approval.clone(),
            evidence: r.evidence.clone(),
            unsure: r.unsure.clone(),
            source: read.source,
            pages: read.pages,
            sha256: read.sha256.clone(),
        }
    }
}

/// The log form for a certificate: the fields read, each replaced by what the user typed; the
/// certificate as the proof; units stated for a body credited to every held credential of that
/// body (the others as a logged course would be) and counted as that body's approval. A field
/// neither read nor typed stays empty, so the form's validation names it.
/// `typed` holds what the user gave (the edit form's shape: `None` is "as read"; `remove_proof`
/// keeps the certificate out of the proofs).
pub fn form(read: &CertificateReading, typed: ActivityChanges, held: &[Credential]) -> ActivityForm {
    let r = &read.reading;
    let overrides = typed;
    let credit_to = match overrides.credit_to {
        Some(chosen) if !chosen.is_empty() => chosen,
        _ if r.units.is_empty() => Vec::new(),
        _ => held
            .iter()
            .map(|credential| CreditChoice {
                credential_id: credential.id,
                // A CPR/AED card earns no units: a course of its body is credited to it as logged.
                units: r
                    .units
                    .iter()
                    .find(|u| credential.kind != CredentialKind::CprAed && credential.is_body_named(&u.body))
                    .map(|u| u.amount.to_string()),
            })
            .collect(),
    };
    let mut approved_by = overrides.approved_by.unwrap_or_default();
    let typed = |approved_by: &[String], body: &str| {
        approved_by.iter().any(|a| a.split(':').next().is_some_and(|b| b.trim().eq_ignore_ascii_case(body)))
    };
    for approval in &r.approval {
        if !typed(&approved_by, &approval.body) {
            approved_by.push(format!("{}:{}", approval.body, approval.number));
        }
    }
    for units in &r.units {
        if !typed(&approved_by, &units.body) {
            approved_by.push(units.body.clone());
        }
    }
    ActivityForm {
        title: overrides.title.or_else(|| r.title.clone()).unwrap_or_default(),
        provider: overrides.provider.or_else(|| r.provider.clone()),
        completed_on: overrides.completed_on.or_else(|| r.completed_on.map(|d| d.to_string())).unwrap_or_default(),
        hours: overrides.hours.or_else(|| r.hours.map(|h| h.to_string())).unwrap_or_default(),
        cost: overrides.cost,
        categories: overrides.categories.unwrap_or_default(),
        notes: overrides.notes,
        proof_file: match (overrides.proof_file, overrides.remove_proof) {
            (Some(file), _) => Some(file),
            (None, true) => None,
            (None, false) => Some(read.file.clone()),
        },
        credit_to,
        approved_by,
    }
}

/// What the window gets for a certificate: the file, what was read, and the activities it looks
/// like (logged before).
#[derive(Debug, Clone, Serialize)]
pub struct CertificateView {
    pub path: String,
    pub reading: ReadingView,
    pub duplicates: Vec<Duplicate>,
    /// The units the certificate states, per held credential of the body it names them for (as
    /// [`form`] credits them): the window types them into the credit preview.
    pub stated_units: Vec<CreditChoice>,
}

impl CertificateView {
    pub fn new(read: &CertificateReading, recert: &crate::Recert) -> Result<Self> {
        let r = &read.reading;
        let duplicates =
            recert.certificate_duplicates(&read.sha256, r.title.as_deref().unwrap_or(""), r.completed_on)?;
        Ok(Self {
            path: read.file.display().to_string(),
            reading: ReadingView::from(read),
            duplicates,
            stated_units: stated_units(read, &recert.credentials()?),
        })
    }
}

/// The credits of [`form`] that carry units the certificate states.
fn stated_units(read: &CertificateReading, held: &[Credential]) -> Vec<CreditChoice> {
    form(read, ActivityChanges::default(), held).credit_to.into_iter().filter(|choice| choice.units.is_some()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::amount::Units;
    use crate::catalog::Catalog;
    use crate::credential::{CredentialForm, CredentialText};
    use crate::test_support::d;

    /// Units stated for "NASM" go to every held credential of that body, however the user wrote
    /// the body's name when typing a credential in: the rule of logging, not an exact match.
    #[test]
    fn units_stated_for_a_body_go_to_its_credentials_whatever_the_case() {
        let add = |id: i64, form: CredentialForm| Credential {
            id,
            ..form.to_credential(Catalog::builtin(), d("2026-11-23")).unwrap()
        };
        let preset = |id, preset: &str| {
            add(
                id,
                CredentialForm { preset: Some(preset.into()), earned_on: "2025-03-01".into(), ..Default::default() },
            )
        };
        let typed = add(
            3,
            CredentialForm {
                earned_on: "2025-03-01".into(),
                fields: CredentialText {
                    name: Some("Corrective Exercise Specialist".into()),
                    body: Some("nasm".into()),
                    abbreviation: Some("CES".into()),
                    cycle_years: Some("2".into()),
                    ..Default::default()
                },
                ..Default::default()
            },
        );
        let held = [preset(1, "nasm-cpt"), preset(2, "ace-cpt"), typed, preset(4, "cpr-aed-aha")];
        let read = CertificateReading {
            file: "certificate.pdf".into(),
            source: Source::PdfText,
            pages: 1,
            sha256: String::new(),
            reading: Reading {
                units: vec![
                    fields::BodyUnits { body: "NASM".into(), amount: Units(80), unit: "CEU".into() },
                    // A card earns no units, even from its own body's course.
                    fields::BodyUnits { body: "AHA".into(), amount: Units(40), unit: "CEU".into() },
                ],
                ..Default::default()
            },
        };
        let stated: Vec<(i64, Option<String>)> =
            stated_units(&read, &held).into_iter().map(|c| (c.credential_id, c.units)).collect();
        assert_eq!(stated, [(1, Some("0.8".into())), (3, Some("0.8".into()))]);
    }
}

/// Why a certificate looks logged already.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Duplicate {
    pub activity_id: i64,
    pub title: String,
    pub completed_on: String,
    /// "the same file" or "the same title and date"
    pub reason: String,
}
