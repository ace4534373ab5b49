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
    let copy = Store::open(&path, now(), Access::Create).map(|(store, _)| store).unwrap();
    assert_eq!(copy.credentials().unwrap().len(), 1);
}

#[test]
fn backups_in_the_same_second_get_their_own_names() {
    let (dir, recert) = open();
    let first = recert.backup_now(now()).unwrap();
    let second = recert.backup_now(now()).unwrap();
    let third = recert.backup_now(now()).unwrap();
    assert_eq!(first.file_name().unwrap(), "recert-20261123T090000Z.sqlite3");
    assert_eq!(second.file_name().unwrap(), "recert-20261123T090000Z-2.sqlite3");
    assert_eq!(third.file_name().unwrap(), "recert-20261123T090000Z-3.sqlite3");
    let names: Vec<String> = std::fs::read_dir(dir.path().join("backups"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 3, "no half-written copy is left behind: {names:?}");
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

fn add_on(recert: &mut Recert, preset: &str, earned: &str, today: &str) -> Credential {
    let form = CredentialForm { preset: Some(preset.into()), earned_on: earned.into(), ..Default::default() };
    recert.add_credential(&form, now(), d(today)).unwrap()
}

fn course_on(date: &str, hours: &str) -> ActivityForm {
    ActivityForm {
        title: format!("Course {date}"),
        completed_on: date.into(),
        hours: hours.into(),
        ..Default::default()
    }
}

#[test]
fn courses_in_nasms_late_window_count_toward_the_expired_cycle_once() {
    let (_dir, mut recert) = open();
    // Deadline 2026-07-15; NASM accepts courses completed up to 90 days after it (2026-10-13).
    let nasm = add_on(&mut recert, "nasm-cpt", "2024-07-15", "2026-08-24");
    let today = d("2026-10-20");
    let logged = recert.log_activity(&course_on("2026-10-13", "5"), now(), today).unwrap();
    assert!(
        matches!(logged.outcomes[0].decision, CreditDecision::Credited { late_for_cycle_end: Some(end), .. } if end == d("2026-07-15")),
        "{:?}",
        logged.outcomes[0].decision
    );
    let too_late = recert.log_activity(&course_on("2026-10-14", "5"), now(), today).unwrap();
    assert!(
        matches!(&too_late.outcomes[0].decision, CreditDecision::NotCredited { reason } if reason.contains("late window")),
        "{:?}",
        too_late.outcomes[0].decision
    );
    let report = &recert.status(today).unwrap()[0];
    assert_eq!(report.progress.units_earned, Units(50), "the late course counts toward the expired cycle");
    assert_eq!(
        recert.store().current_cycle_totals().unwrap(),
        recert.store().current_cycle_totals_from_ledger().unwrap()
    );

    // After the renewal the late course stays with the closed cycle: the new one starts at zero.
    recert.renew(nasm.id, "2026-10-20", Some("99"), None, today).unwrap();
    let past = recert.past_cycles(nasm.id).unwrap();
    assert_eq!(past[0].units_earned, Units(50));
    let report = &recert.status(today).unwrap()[0];
    assert_eq!(report.credential.cycle, crate::rules::Cycle { start: d("2026-07-16"), end: d("2028-07-15") });
    assert_eq!(report.progress.units_earned, Units(0), "counted once, for the cycle it was used for");
    assert_eq!(
        recert.store().current_cycle_totals().unwrap(),
        recert.store().current_cycle_totals_from_ledger().unwrap()
    );
}

#[test]
fn elsewhere_a_course_after_the_deadline_is_out_of_cycle() {
    let (_dir, mut recert) = open();
    add_on(&mut recert, "ace-cpt", "2024-07-15", "2026-08-24");
    let logged = recert.log_activity(&course_on("2026-08-01", "5"), now(), d("2026-08-24")).unwrap();
    assert!(
        matches!(&logged.outcomes[0].decision, CreditDecision::NotCredited { reason } if reason.contains("after the current cycle ended"))
    );
}

#[test]
fn ncsf_charges_its_joint_fee_once() {
    let (_dir, mut recert) = open();
    let today = d("2026-11-23");
    let cpt = add_on(&mut recert, "ncsf-cpt", "2025-03-14", "2026-11-23");
    let alone = &recert.status(today).unwrap()[0];
    assert_eq!((alone.renewal_fee, alone.fee_note.as_deref()), (Some(Cents(8500)), None), "one credential: $85");
    add_on(&mut recert, "ncsf-csc", "2025-03-02", "2026-11-23");
    let reports = recert.status(today).unwrap();
    let fees: Vec<_> = reports.iter().map(|r| r.renewal_fee.unwrap()).collect();
    assert_eq!(fees.iter().copied().sum::<Cents>(), Cents(10000), "$100 in all, not $170");
    assert!(reports[0].fee_note.as_deref().unwrap().contains("NCSF-CPT and NCSF-CSC"), "{:?}", reports[0].fee_note);
    let costs = recert.upcoming_costs(today, 24).unwrap();
    let due: Vec<_> = costs.iter().filter(|c| c.due_on == d("2027-03-31")).collect();
    assert_eq!(due.len(), 2);
    assert_eq!(due.iter().map(|c| c.amount.unwrap()).sum::<Cents>(), Cents(10000));
    assert!(due.iter().all(|c| c.joint_fee == Some(Cents(10000))));
    // A credential on another deadline renews alone and pays the single fee.
    recert.renew(cpt.id, "2026-11-23", Some("50"), None, today).unwrap();
    let reports = recert.status(today).unwrap();
    assert!(reports.iter().all(|r| r.renewal_fee == Some(Cents(8500))), "different deadlines");
}

#[test]
fn an_assumed_deadline_stays_unconfirmed_until_the_user_says() {
    let (_dir, mut recert) = open();
    let today = d("2026-11-23");
    let cscs = add_on(&mut recert, "nsca-cscs", "2015-06-01", "2026-11-23");
    assert!(!cscs.expiry_confirmed);
    let report = &recert.status(today).unwrap()[0];
    assert_eq!(
        report.confirm_expiry.as_deref(),
        Some("Check 2026-12-31 against your certificate or your NSCA account.")
    );
    assert!(report.confirm_expiry_reason.as_deref().unwrap().contains("assuming every earlier renewal"));
    assert!(recert.confirm_expiry(cscs.id).unwrap().expiry_confirmed);
    assert_eq!(recert.status(today).unwrap()[0].confirm_expiry, None);

    let nasm = add_on(&mut recert, "nasm-cpt", "2018-03-01", "2026-11-23");
    assert!(!nasm.expiry_confirmed);
    let typed = CredentialChanges { expires: Some("2028-03-31".into()), ..Default::default() };
    assert!(recert.edit_credential(nasm.id, &typed, today).unwrap().expiry_confirmed, "typing the expiry confirms it");

    let acsm = add_on(&mut recert, "acsm-cpt", "2025-05-08", "2026-11-23");
    assert!(!acsm.expiry_confirmed, "ACSM's new rule rests on a secondary source");
    assert!(recert.renew(acsm.id, "2026-11-23", None, None, today).unwrap().expiry_confirmed, "a recorded renewal");
    assert!(recert.confirm_expiry(999).is_err());
}

#[test]
fn a_prorated_requirement_the_body_does_not_state_is_typed_for_this_cycle_only() {
    let (_dir, mut recert) = open();
    let today = d("2028-05-20");
    let sccc = add_on(&mut recert, "cscca-sccc", "2028-05-15", "2028-05-20");
    let report = &recert.status(today).unwrap()[0];
    assert_eq!(report.progress.units_required, None);
    assert!(report.unknowns.contains(&"units required prorated — ask CSCCa".to_string()), "{:?}", report.unknowns);
    let changes = CredentialChanges { units_required: Some("6".into()), ..Default::default() };
    recert.edit_credential(sccc.id, &changes, today).unwrap();
    assert_eq!(recert.status(today).unwrap()[0].progress.units_required, Some(Units(600)));
    let renewed = recert.renew(sccc.id, "2028-07-20", None, None, d("2028-07-20")).unwrap();
    assert_eq!(renewed.rules.requirement(renewed.earned_on, renewed.cycle.end).units_required, Some(Units(4500)));
}

#[test]
fn a_custom_credential_needs_no_earned_date_when_its_expiry_is_given() {
    let (_dir, mut recert) = open();
    let form = CredentialForm {
        name: Some("Pilates Instructor".into()),
        body: Some("PMA".into()),
        cycle_years: Some("2".into()),
        expires: Some("2027-06-30".into()),
        ..Default::default()
    };
    let pilates = recert.add_credential(&form, now(), d("2026-11-23")).unwrap();
    assert_eq!(pilates.cycle, crate::rules::Cycle { start: d("2025-07-01"), end: d("2027-06-30") });
    assert!(pilates.expiry_confirmed);
    let neither = CredentialForm { expires: None, ..form };
    assert_eq!(recert.add_credential(&neither, now(), d("2026-11-23")).unwrap_err().field(), Some("earned"));
}

#[test]
fn a_claimed_reminder_waits_for_its_outcome_or_for_the_claim_to_lapse() {
    let (dir, mut window) = open();
    let today = d("2026-12-17");
    let form = CredentialForm {
        preset: Some("acsm-cpt".into()),
        earned_on: "2024-03-01".into(),
        expires: Some("2026-12-31".into()),
        ..Default::default()
    };
    window.add_credential(&form, now(), today).unwrap();
    let claimed = window.claim_due_reminders(today, now(), |_| true).unwrap();
    assert_eq!(claimed.len(), 3, "the deadline, the missing credits and the missing CPR/AED card");
    let mut cron = Recert::open(dir.path(), now()).unwrap();
    assert!(cron.claim_due_reminders(today, now(), |_| true).unwrap().is_empty(), "the window is raising them");

    // No server took the first one: it is due again at once, for whichever checker comes next.
    window.record_reminder(&claimed[0], Some("no notification server"), now()).unwrap();
    assert_eq!(cron.claim_due_reminders(today, now(), |_| true).unwrap(), vec![claimed[0].clone()]);
    cron.record_reminder(&claimed[0], None, now()).unwrap();

    // The window died before recording the others: its claims lapse after five minutes.
    let soon = now() + chrono::Duration::minutes(4);
    assert!(cron.claim_due_reminders(today, soon, |_| true).unwrap().is_empty());
    let later = now() + chrono::Duration::minutes(6);
    assert_eq!(cron.claim_due_reminders(today, later, |_| true).unwrap(), claimed[1..].to_vec());
    for reminder in &claimed[1..] {
        cron.record_reminder(reminder, None, later).unwrap();
    }
    assert!(window.claim_due_reminders(today, later, |_| true).unwrap().is_empty(), "each was shown once");
    assert!(window.due_reminders(today, later).unwrap().is_empty());
}
