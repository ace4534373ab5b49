//! The service's tests, one module per group of operations as the service itself is split; the
//! helpers every group uses are here.

use super::*;
use crate::activity::{ActivityChanges, ActivityForm, CreditChoice, CreditDecision, Standing};
use crate::amount::{Cents, Hours, Units};
use crate::backups::BackupKind;
use crate::credential::{CredentialChanges, CredentialForm, CredentialText};
use crate::test_support::d;

fn now() -> DateTime<Utc> {
    "2026-11-23T09:00:00Z".parse().unwrap()
}

fn open() -> (tempfile::TempDir, Recert) {
    let dir = tempfile::tempdir().unwrap();
    let recert = Recert::open(dir.path(), now()).unwrap();
    (dir, recert)
}

fn add(recert: &mut Recert, preset: &str, earned: &str) -> Credential {
    let form = CredentialForm { preset: Some(preset.into()), earned_on: earned.into(), ..Default::default() };
    recert.add_credential(&form, now(), d("2026-11-23")).unwrap()
}

/// A renewal on `date`, recorded even when credits fall short.
fn renewal(date: &str, fee: Option<&str>) -> RenewalForm {
    RenewalForm { date: date.into(), fee: fee.map(str::to_string), expires: None, confirmed: true }
}

/// The bodies that want approved courses approved the courses of these tests, which are about
/// other rules (what a body accepts is tested on its own).
fn approved_everywhere() -> Vec<String> {
    ["NASM", "NCCPT", "ACE", "AFAA", "ISSA", "CSCCa", "NESTA"].map(String::from).to_vec()
}

fn course(hours: &str) -> ActivityForm {
    ActivityForm {
        title: "Course".into(),
        completed_on: "2026-04-01".into(),
        hours: hours.into(),
        approved_by: approved_everywhere(),
        ..Default::default()
    }
}

fn add_on(recert: &mut Recert, preset: &str, earned: &str, today: &str) -> Credential {
    let form = CredentialForm { preset: Some(preset.into()), earned_on: earned.into(), ..Default::default() };
    recert.add_credential(&form, now(), d(today)).unwrap()
}

fn course_on(date: &str, hours: &str) -> ActivityForm {
    ActivityForm {
        title: format!("Course {date}"),
        completed_on: date.into(),
        hours: hours.into(),
        approved_by: approved_everywhere(),
        ..Default::default()
    }
}

mod acceptance;
mod backup_and_restore;
mod certificates;
mod credentials;
mod exchange;
mod ledger;
mod planning;
mod reminding;
