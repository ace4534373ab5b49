//! Helpers shared by the core's unit tests.

use chrono::NaiveDate;

use crate::catalog::Catalog;
use crate::credential::{Credential, CredentialForm, CredentialText};
use crate::dates::parse_date;

/// A date from ISO text; panics on a typo in a test.
pub fn d(text: &str) -> NaiveDate {
    parse_date("date", text).unwrap()
}

/// A credential from a catalog preset, as added on `added_on`, with the given id.
pub fn held_on(id: i64, preset: &str, earned: &str, expires: Option<&str>, added_on: &str) -> Credential {
    let form = CredentialForm {
        preset: Some(preset.into()),
        earned_on: earned.into(),
        fields: CredentialText { expires: expires.map(str::to_string), ..Default::default() },
        ..Default::default()
    };
    Credential { id, ..form.to_credential(Catalog::builtin(), d(added_on)).unwrap() }
}
