use super::*;
use crate::activity::CreditChoice;
use crate::amount::Units;
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

fn course(hours: &str) -> ActivityForm {
    ActivityForm {
        title: "Course".into(),
        completed_on: "2026-04-01".into(),
        hours: hours.into(),
        ..Default::default()
    }
}

#[test]
fn changing_hours_per_unit_recomputes_current_credits_only() {
    let (_dir, mut recert) = open();
    let cscca = add(&mut recert, "nccpt-cpt", "2025-06-01");
    // NCCPT's hours per CEU is unknown: nothing is credited until the user says.
    let logged = recert.log_activity(&course("6"), now(), d("2026-11-23")).unwrap();
    assert!(matches!(logged.outcomes[0].decision, CreditDecision::NotCredited { .. }));
    let changes = CredentialChanges { hours_per_unit: Some("1".into()), ..Default::default() };
    recert.edit_credential(cscca.id, &changes, d("2026-11-23")).unwrap();
    recert.log_activity(&course("4"), now(), d("2026-11-23")).unwrap();
    let report = &recert.status(d("2026-11-23")).unwrap()[0];
    assert_eq!(report.progress.units_earned, Units(400));

    let changes = CredentialChanges { hours_per_unit: Some("2".into()), ..Default::default() };
    recert.edit_credential(cscca.id, &changes, d("2026-11-23")).unwrap();
    let report = &recert.status(d("2026-11-23")).unwrap()[0];
    assert_eq!(report.progress.units_earned, Units(200), "4 h at 2 h per CEU");
}

#[test]
fn typed_units_survive_rule_changes() {
    let (_dir, mut recert) = open();
    let acsm = add(&mut recert, "acsm-cpt", "2024-03-01");
    let mut form = course("3");
    form.credit_to = vec![CreditChoice { credential_id: acsm.id, units: Some("5".into()) }];
    recert.log_activity(&form, now(), d("2026-11-23")).unwrap();
    let changes = CredentialChanges { hours_per_unit: Some("2".into()), ..Default::default() };
    recert.edit_credential(acsm.id, &changes, d("2026-11-23")).unwrap();
    assert_eq!(recert.status(d("2026-11-23")).unwrap()[0].progress.units_earned, Units(500));
}

#[test]
fn preview_matches_what_logging_credits() {
    let (_dir, mut recert) = open();
    add(&mut recert, "nsca-cscs", "2015-01-01");
    add(&mut recert, "ncsf-cpt", "2025-03-14");
    let preview = recert.preview_credits(&course("8"), d("2026-11-23")).unwrap();
    let logged = recert.log_activity(&course("8"), now(), d("2026-11-23")).unwrap();
    assert_eq!(preview, logged.outcomes);
    assert_eq!(recert.activities().unwrap().len(), 1, "preview saved nothing");
}

#[test]
fn a_failed_log_leaves_no_proof_behind() {
    let (dir, mut recert) = open();
    add(&mut recert, "acsm-cpt", "2024-03-01");
    let proof = dir.path().join("outside.pdf");
    std::fs::write(&proof, b"pdf").unwrap();
    let mut form = course("1");
    form.proof_file = Some(proof);
    form.credit_to = vec![CreditChoice { credential_id: 999, units: None }];
    assert_eq!(recert.log_activity(&form, now(), d("2026-11-23")).unwrap_err().code(), "not_found");
    assert!(!dir.path().join("proofs").exists());
}

#[test]
fn backup_now_writes_a_readable_copy() {
    let (_dir, mut recert) = open();
    add(&mut recert, "acsm-cpt", "2024-03-01");
    let path = recert.backup_now(now()).unwrap();
    let copy = Store::open(&path, now()).unwrap();
    assert_eq!(copy.credentials().unwrap().len(), 1);
}

#[test]
fn running_totals_always_equal_the_ledger() {
    let (_dir, mut recert) = open();
    let today = d("2026-11-23");
    let cscs = add(&mut recert, "nsca-cscs", "2015-01-01");
    let ncsf = add(&mut recert, "ncsf-cpt", "2025-03-14");
    let acsm = add(&mut recert, "acsm-cpt", "2024-03-01");
    let check = |recert: &Recert, step: &str| {
        let running = recert.store().current_cycle_totals().unwrap();
        let ledger = recert.store().current_cycle_totals_from_ledger().unwrap();
        assert_eq!(running, ledger, "after {step}");
    };
    let mut logged = Vec::new();
    for (i, (day, hours, tag)) in
        [("2026-04-01", "8", "A"), ("2025-06-01", "3", "ethics"), ("2023-01-01", "5", "cpr"), ("2026-10-10", "30", "B")]
            .into_iter()
            .enumerate()
    {
        let form = ActivityForm {
            title: format!("Course {i}"),
            completed_on: day.into(),
            hours: hours.into(),
            cost: Some(format!("{}", 10 * (i + 1))),
            categories: vec![tag.into()],
            ..Default::default()
        };
        logged.push(recert.log_activity(&form, now(), today).unwrap().activity.id);
        check(&recert, &format!("logging course {i}"));
    }
    recert.delete_activity(logged[0]).unwrap();
    check(&recert, "deleting an activity");
    let changes = CredentialChanges { expires: Some("2026-06-30".into()), ..Default::default() };
    recert.edit_credential(ncsf.id, &changes, today).unwrap();
    check(&recert, "moving a cycle end");
    let changes = CredentialChanges { hours_per_unit: Some("2".into()), ..Default::default() };
    recert.edit_credential(acsm.id, &changes, today).unwrap();
    check(&recert, "changing a conversion");
    recert.renew(cscs.id, "2026-11-20", Some("65"), None, today).unwrap();
    check(&recert, "renewing");
    recert.remove_credential(acsm.id, true).unwrap();
    check(&recert, "removing a credential");
    assert!(!recert.store().current_cycle_totals().unwrap().is_empty());
}
