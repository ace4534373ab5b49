use super::*;
use crate::activity::{ActivityChanges, ActivityForm, CreditChoice, CreditDecision};
use crate::amount::{Cents, Hours, Units};
use crate::backups::BackupKind;
use crate::credential::{CredentialChanges, CredentialForm};
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
    recert.edit_credential(cscca.id, &changes, now(), d("2026-11-23")).unwrap();
    recert.log_activity(&course("4"), now(), d("2026-11-23")).unwrap();
    let report = &recert.status(d("2026-11-23")).unwrap()[0];
    assert_eq!(report.progress.units_earned, Units(400));

    let changes = CredentialChanges { hours_per_unit: Some("2".into()), ..Default::default() };
    recert.edit_credential(cscca.id, &changes, now(), d("2026-11-23")).unwrap();
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
    recert.edit_credential(acsm.id, &changes, now(), d("2026-11-23")).unwrap();
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

fn stored_proofs(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir.join("proofs"))
        .map(|entries| entries.map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn an_edit_replaces_or_removes_the_proof_and_tidies_the_copy_nothing_uses() {
    let (dir, mut recert) = open();
    add(&mut recert, "acsm-cpt", "2024-03-01");
    let first = dir.path().join("receipt.pdf");
    std::fs::write(&first, b"receipt").unwrap();
    let second = dir.path().join("certificate.pdf");
    std::fs::write(&second, b"certificate").unwrap();
    let mut form = course("1");
    form.proof_file = Some(first.clone());
    let id = recert.log_activity(&form, now(), d("2026-11-23")).unwrap().activity.id;
    // A second activity with the same receipt shares its stored copy.
    let shared = recert.log_activity(&form, now(), d("2026-11-23")).unwrap().activity.id;
    let receipt_copy = stored_proofs(dir.path());
    assert_eq!(receipt_copy.len(), 1);

    let replace = ActivityChanges { proof_file: Some(second), ..Default::default() };
    let edited = recert.edit_activity(id, &replace, d("2026-11-23")).unwrap();
    assert_eq!(edited.activity.proof.as_ref().unwrap().original_name, "certificate.pdf");
    assert_eq!(edited.activity.title, "Course", "what the edit did not name stays");
    assert_eq!(stored_proofs(dir.path()).len(), 2, "the receipt's copy stays: the other activity uses it");
    assert_eq!(std::fs::read(recert.proof_path(id).unwrap()).unwrap(), b"certificate");

    let remove = ActivityChanges { remove_proof: true, ..Default::default() };
    recert.edit_activity(shared, &remove, d("2026-11-23")).unwrap();
    assert!(recert.activities().unwrap().iter().find(|a| a.activity.id == shared).unwrap().activity.proof.is_none());
    assert_eq!(stored_proofs(dir.path()).len(), 1, "the receipt's copy went with its last user");
    assert!(!stored_proofs(dir.path()).contains(&receipt_copy[0]));
}

#[test]
fn a_refused_proof_edit_changes_nothing() {
    let (dir, mut recert) = open();
    add(&mut recert, "acsm-cpt", "2024-03-01");
    let receipt = dir.path().join("receipt.pdf");
    std::fs::write(&receipt, b"receipt").unwrap();
    let mut form = course("1");
    form.proof_file = Some(receipt.clone());
    let id = recert.log_activity(&form, now(), d("2026-11-23")).unwrap().activity.id;
    let before = format!("{:?}", recert.activities().unwrap());

    let both = ActivityChanges { proof_file: Some(receipt), remove_proof: true, ..Default::default() };
    assert_eq!(recert.edit_activity(id, &both, d("2026-11-23")).unwrap_err().code(), "invalid");
    let missing = ActivityChanges { proof_file: Some(dir.path().join("gone.pdf")), ..Default::default() };
    assert_eq!(recert.edit_activity(id, &missing, d("2026-11-23")).unwrap_err().code(), "invalid");
    // A bad value elsewhere in the form: the new file is not left in proofs/.
    let other = dir.path().join("other.pdf");
    std::fs::write(&other, b"other").unwrap();
    let bad_hours = ActivityChanges { proof_file: Some(other), hours: Some("-3".into()), ..Default::default() };
    assert!(recert.edit_activity(id, &bad_hours, d("2026-11-23")).is_err());
    assert_eq!(format!("{:?}", recert.activities().unwrap()), before);
    assert_eq!(stored_proofs(dir.path()).len(), 1);
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
    recert.edit_credential(ncsf.id, &changes, now(), today).unwrap();
    check(&recert, "moving a cycle end");
    let changes = CredentialChanges { hours_per_unit: Some("2".into()), ..Default::default() };
    recert.edit_credential(acsm.id, &changes, now(), today).unwrap();
    check(&recert, "changing a conversion");
    recert.renew(cscs.id, &renewal("2026-11-20", Some("65")), today).unwrap();
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
    recert.renew(nasm.id, &renewal("2026-10-20", Some("99")), today).unwrap();
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
    recert.renew(cpt.id, &renewal("2026-11-23", Some("50")), today).unwrap();
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
    assert!(
        recert.edit_credential(nasm.id, &typed, now(), today).unwrap().expiry_confirmed,
        "typing the expiry confirms it"
    );

    let acsm = add_on(&mut recert, "acsm-cpt", "2025-05-08", "2026-11-23");
    assert!(!acsm.expiry_confirmed, "ACSM's new rule rests on a secondary source");
    assert!(recert.renew(acsm.id, &renewal("2026-11-23", None), today).unwrap().expiry_confirmed, "a recorded renewal");
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
    recert.edit_credential(sccc.id, &changes, now(), today).unwrap();
    assert_eq!(recert.status(today).unwrap()[0].progress.units_required, Some(Units(600)));
    let renewed = recert.renew(sccc.id, &renewal("2028-07-20", None), d("2028-07-20")).unwrap();
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

#[test]
fn an_opening_balance_counts_from_the_first_minute_and_can_be_replaced() {
    let (_dir, mut recert) = open();
    let today = d("2026-11-23");
    let form = CredentialForm {
        preset: Some("nsca-cscs".into()),
        earned_on: "2015-06-01".into(),
        already_earned: vec!["3.0".into(), "1.5:C".into()],
        ..Default::default()
    };
    let cscs = recert.add_credential(&form, now(), today).unwrap();
    let nasm = add(&mut recert, "nasm-cpt", "2025-02-10");
    let reports = recert.status(today).unwrap();
    let cscs_report = reports.iter().find(|r| r.credential.id == cscs.id).unwrap();
    assert_eq!(cscs_report.progress.units_earned, Units(450));
    let earned_in =
        |report: &CredentialReport, key: &str| report.progress.categories.iter().find(|c| c.key == key).unwrap().earned;
    assert_eq!((earned_in(cscs_report, "A"), earned_in(cscs_report, "C")), (Units(300), Units(150)));
    let nasm_report = reports.iter().find(|r| r.credential.id == nasm.id).unwrap();
    assert_eq!(nasm_report.progress.units_earned, Units(0), "credited only to its own credential");

    // The balance is in the ledger, visible, dated on the cycle's first day.
    let ledger = recert.activities().unwrap();
    assert_eq!(ledger.len(), 2);
    assert!(ledger.iter().all(|a| a.activity.title == "Earned before Recert"
        && a.activity.opening_balance_for == Some(cscs.id)
        && a.activity.completed_on == d("2024-01-01")
        && a.credits.len() == 1));

    // Editing replaces it; a rule change keeps it (typed units); removing it empties the ledger.
    let replace = CredentialChanges { already_earned: Some(vec!["2.0:B".into()]), ..Default::default() };
    recert.edit_credential(cscs.id, &replace, now(), today).unwrap();
    let changes = CredentialChanges { hours_per_unit: Some("5".into()), ..Default::default() };
    recert.edit_credential(cscs.id, &changes, now(), today).unwrap();
    let report = recert.status(today).unwrap().into_iter().find(|r| r.credential.id == cscs.id).unwrap();
    assert_eq!((report.progress.units_earned, earned_in(&report, "B")), (Units(200), Units(200)));
    assert_eq!(recert.activities().unwrap().len(), 1);
    assert_eq!(
        recert.store().current_cycle_totals().unwrap(),
        recert.store().current_cycle_totals_from_ledger().unwrap()
    );
    let remove = CredentialChanges { already_earned: Some(vec![]), ..Default::default() };
    recert.edit_credential(cscs.id, &remove, now(), today).unwrap();
    assert!(recert.activities().unwrap().is_empty());

    // A bad balance changes nothing.
    let bad =
        CredentialChanges { already_earned: Some(vec!["2:Z".into()]), name: Some("X".into()), ..Default::default() };
    assert_eq!(recert.edit_credential(cscs.id, &bad, now(), today).unwrap_err().field(), Some("already-earned"));
    assert_eq!(recert.credential(cscs.id).unwrap().name, "Certified Strength and Conditioning Specialist");
    let bad_add = CredentialForm { already_earned: vec!["lots".into()], ..form };
    assert!(recert.add_credential(&bad_add, now(), today).is_err());
    assert_eq!(recert.credentials().unwrap().len(), 2, "nothing was added");
}

#[test]
fn renewing_short_of_the_requirement_asks_first_and_can_be_undone() {
    let (_dir, mut recert) = open();
    let today = d("2026-11-23");
    let cscs = add(&mut recert, "nsca-cscs", "2015-06-01");
    recert
        .log_activity(
            &ActivityForm {
                title: "Clinic".into(),
                completed_on: "2026-03-01".into(),
                hours: "11".into(),
                ..Default::default()
            },
            now(),
            today,
        )
        .unwrap();
    let unconfirmed = RenewalForm { date: "2026-11-20".into(), ..Default::default() };
    let error = recert.renew(cscs.id, &unconfirmed, today).unwrap_err();
    assert_eq!(error.to_string(), "1.1 of 6.0 CEU logged; NSCA requires 6.0. Record the renewal anyway?");
    assert_eq!(recert.credential(cscs.id).unwrap().cycle.end, d("2026-12-31"), "nothing recorded");
    let renewed = recert.renew(cscs.id, &RenewalForm { confirmed: true, ..unconfirmed }, today).unwrap();
    assert_eq!(renewed.cycle.end, d("2029-12-31"));
    let undone = recert.undo_renewal(cscs.id).unwrap();
    assert_eq!(undone.cycle, crate::rules::Cycle { start: d("2024-01-01"), end: d("2026-12-31") });
    assert!(recert.past_cycles(cscs.id).unwrap().is_empty());
    assert_eq!(recert.status(today).unwrap()[0].progress.units_earned, Units(110), "the credits are back in the cycle");
    assert_eq!(
        recert.store().current_cycle_totals().unwrap(),
        recert.store().current_cycle_totals_from_ledger().unwrap()
    );
    assert_eq!(recert.undo_renewal(cscs.id).unwrap_err().field(), Some("renewal"), "nothing left to undo");
}

#[test]
fn a_reminder_whose_cause_is_gone_reads_as_resolved() {
    let (_dir, mut recert) = open();
    let today = d("2026-11-23");
    let cscs = add(&mut recert, "nsca-cscs", "2015-06-01");
    for reminder in recert.claim_due_reminders(today, now(), |_| true).unwrap() {
        recert.record_reminder(&reminder, None, now()).unwrap();
    }
    let resolved = |recert: &Recert, kind: &str| {
        recert.reminder_log(50, today).unwrap().iter().find(|r| r.kind == kind).unwrap().resolved
    };
    assert!(!resolved(&recert, "prerequisite") && !resolved(&recert, "deadline"));
    add_on(&mut recert, "cpr-aed-aha", "2026-11-02", "2026-11-23"); // valid through 2028-11-30
    assert!(resolved(&recert, "prerequisite"), "the card was added");
    assert!(!resolved(&recert, "deadline"));
    recert.renew(cscs.id, &renewal("2026-11-23", None), today).unwrap();
    assert!(resolved(&recert, "deadline") && resolved(&recert, "shortfall"), "renewed");
}

#[test]
fn the_first_run_saves_every_credential_together_or_none() {
    let (_dir, mut recert) = open();
    let today = d("2026-11-23");
    let form = |preset: &str, earned: &str| CredentialForm {
        preset: Some(preset.into()),
        earned_on: earned.into(),
        ..Default::default()
    };
    let mut bad = form("nasm-cpt", "2025-02-30");
    bad.number = Some("N-1".into());
    let error = recert.add_credentials(&[form("nsca-cscs", "2015-06-01"), bad], now(), today).unwrap_err();
    assert_eq!(error.field(), Some("1.earned"), "the second form's date");
    assert!(recert.credentials().unwrap().is_empty(), "none was saved");
    let mut cscs = form("nsca-cscs", "2015-06-01");
    cscs.already_earned = vec!["2.0".into()];
    let added = recert
        .add_credentials(&[cscs, form("nasm-cpt", "2025-02-10"), form("cpr-aed-aha", "2026-01-15")], now(), today)
        .unwrap();
    assert_eq!(added.iter().map(|c| c.abbreviation.as_str()).collect::<Vec<_>>(), ["CSCS", "NASM-CPT", "AHA CPR/AED"]);
    let report = recert.status(today).unwrap().into_iter().find(|r| r.credential.id == added[0].id).unwrap();
    assert_eq!(report.progress.units_earned, Units(200));
    assert_eq!(recert.add_credentials(&[], now(), today).unwrap_err().field(), Some("credentials"));
}

/// The same three credentials a trainer holds, added to a fresh data folder.
fn trainer(recert: &mut Recert, opening: bool) -> Vec<Credential> {
    let mut cscs =
        CredentialForm { preset: Some("nsca-cscs".into()), earned_on: "2015-06-01".into(), ..Default::default() };
    if opening {
        cscs.already_earned = vec!["1.5:C".into()];
    }
    let nasm = CredentialForm { preset: Some("nasm-cpt".into()), earned_on: "2024-11-01".into(), ..Default::default() };
    let card =
        CredentialForm { preset: Some("cpr-aed-aha".into()), earned_on: "2026-01-10".into(), ..Default::default() };
    recert.add_credentials(&[cscs, nasm, card], now(), d("2026-11-23")).unwrap()
}

/// Per credential: abbreviation, units that count, units credited per category.
type StatusSummary = Vec<(String, Units, Vec<(String, Units)>)>;

fn status_summary(recert: &Recert) -> StatusSummary {
    recert
        .status(d("2026-11-23"))
        .unwrap()
        .into_iter()
        .map(|r| {
            let categories = r.progress.categories.iter().map(|c| (c.key.clone(), c.credited)).collect();
            (r.credential.abbreviation.clone(), r.progress.units_earned, categories)
        })
        .collect()
}

#[test]
fn a_spreadsheet_exported_by_recert_imports_back_unchanged() {
    let (_dir, mut recert) = open();
    let today = d("2026-11-23");
    let held = trainer(&mut recert, true);
    let mut log = |title: &str, date: &str, hours: &str, tags: &[&str], credit_to: Vec<CreditChoice>| {
        let form = ActivityForm {
            title: title.into(),
            completed_on: date.into(),
            hours: hours.into(),
            cost: Some("49.50".into()),
            categories: tags.iter().map(|t| t.to_string()).collect(),
            provider: Some("Acme, \"Inc\"".into()),
            credit_to,
            ..Default::default()
        };
        recert.log_activity(&form, now(), today).unwrap();
    };
    log("Kettlebell workshop", "2026-03-01", "8", &[], vec![]);
    log("Late NASM course", "2026-11-20", "5", &[], vec![]); // NASM's late window after 2026-11-01
    log(
        "Quiz",
        "2026-04-02",
        "1",
        &["D"],
        vec![CreditChoice { credential_id: held[0].id, units: Some("0.25".into()) }],
    );
    let before = status_summary(&recert);
    let mut sheet = Vec::new();
    assert_eq!(recert.export_csv(&mut sheet).unwrap(), 4, "three courses and the opening balance");
    let text = String::from_utf8(sheet.clone()).unwrap();
    assert!(
        text.starts_with(
            "\u{FEFF}date,title,provider,hours,cost,categories,CSCS (CEU),NASM-CPT (CEU),proof_sha256\r\n"
        ),
        "{text}"
    );
    assert!(text.contains("\"Acme, \"\"Inc\"\"\""), "quoted as spreadsheets expect: {text}");

    let (_other_dir, mut fresh) = open();
    trainer(&mut fresh, false);
    let dry = fresh.import_csv(&sheet, ImportOptions { dry_run: true, ..Default::default() }, now(), today).unwrap();
    assert!(dry.ok(), "{:?}", dry.errors);
    assert_eq!((dry.rows.len(), dry.imported), (4, 0));
    assert!(fresh.activities().unwrap().is_empty(), "a dry run writes nothing");
    let report = fresh.import_csv(&sheet, ImportOptions::default(), now(), today).unwrap();
    assert_eq!(report.imported, 4, "{:?}", report.errors);
    assert_eq!(status_summary(&fresh), before);
    assert_eq!(
        fresh.store().current_cycle_totals().unwrap(),
        fresh.store().current_cycle_totals_from_ledger().unwrap()
    );

    // The same file again: every line is a likely duplicate, and nothing is added.
    let again = fresh.import_csv(&sheet, ImportOptions::default(), now(), today).unwrap();
    assert_eq!((again.errors.len(), again.imported), (4, 0));
    assert!(again.errors[0].to_string().contains("already in the ledger"), "{}", again.errors[0]);
    let forced = fresh.import_csv(&sheet, ImportOptions { allow_duplicates: true, ..Default::default() }, now(), today);
    assert_eq!(forced.unwrap().imported, 4);
}

#[test]
fn a_spreadsheet_with_a_bad_line_imports_nothing_and_names_every_bad_line() {
    let (_dir, mut recert) = open();
    trainer(&mut recert, false);
    let sheet = "\u{FEFF}Title ,DATE,hours,Cost,Notes from me\r\n\
                 Clinic,05/10/2026,1,12,\r\n\
                 Workshop,2026-02-30,2,,\r\n\
                 Seminar,2026-06-01,-3,,\r\n\
                 Webinar,2026-07-01,1.5,12.345,\r\n\
                 Clinic,05/10/2026,1.0,12,\r\n";
    let report = recert.import_csv(sheet.as_bytes(), ImportOptions::default(), now(), d("2026-11-23")).unwrap();
    let errors: Vec<String> = report.errors.iter().map(|e| e.to_string()).collect();
    assert_eq!(report.imported, 0);
    assert!(recert.activities().unwrap().is_empty(), "all or nothing");
    assert!(errors[0].starts_with("line 3, column date: 2026-02-30 is not a real calendar date"), "{errors:?}");
    assert!(errors[1].starts_with("line 4, column hours: "), "{errors:?}");
    assert!(errors[2].starts_with("line 5, column cost: "), "{errors:?}");
    assert!(errors[3].starts_with("line 6: the same course as line 2"), "{errors:?}");
    assert_eq!(errors.len(), 4);

    let good = "date,title,hours\n05/10/2026,Clinic,1.5\n2026-06-01,Seminar,3\n";
    let report = recert.import_csv(good.as_bytes(), ImportOptions::default(), now(), d("2026-11-23")).unwrap();
    assert_eq!(report.imported, 2, "{:?}", report.errors);
    let cscs =
        recert.status(d("2026-11-23")).unwrap().into_iter().find(|r| r.credential.abbreviation == "CSCS").unwrap();
    assert_eq!(cscs.progress.units_earned, Units(45), "credited by the rules, as logging does");
}

#[test]
fn backup_change_restore_brings_the_data_back_and_keeps_what_it_replaced() {
    let (dir, mut recert) = open();
    let cscs = add(&mut recert, "nsca-cscs", "2015-06-01");
    let first = recert.backup_now(now()).unwrap();
    let second = recert.backup_now(now()).unwrap();
    assert_ne!(first, second, "two backups in the same second get different names");
    recert.log_activity(&course("6"), now(), d("2026-11-23")).unwrap();
    add(&mut recert, "nasm-cpt", "2025-02-10");

    let asked = recert.restore(&first, false, now()).unwrap_err();
    assert!(
        asked.to_string().contains("(2 credentials, 1 activities) with the backup's (1 credentials, 0 activities)"),
        "{asked}"
    );
    let outcome = recert.restore(&first, true, now()).unwrap();
    assert_eq!((outcome.restored.credentials, outcome.restored.activities), (1, 0));
    assert_eq!(recert.credentials().unwrap().len(), 1, "the change is gone");
    assert!(recert.activities().unwrap().is_empty());
    // What was replaced is in a backup that restores as well.
    let saved = Store::inspect(dir.path(), &outcome.previous_data_saved_to, now()).unwrap();
    assert_eq!((saved.credentials, saved.activities), (2, 1));
    let reopened = Recert::open(dir.path(), now()).unwrap();
    assert_eq!(reopened.credential(cscs.id).unwrap().abbreviation, "CSCS", "another connection sees the restored data");

    // A file that is not a Recert database, or is damaged, is refused and nothing changes.
    let text = dir.path().join("notes.sqlite3");
    std::fs::write(&text, "not a database").unwrap();
    assert!(recert.restore(&text, true, now()).unwrap_err().to_string().contains("is not a Recert database"));
    let newer = dir.path().join("newer.sqlite3");
    std::fs::copy(&first, &newer).unwrap();
    rusqlite::Connection::open(&newer).unwrap().pragma_update(None, "user_version", 99).unwrap();
    assert!(matches!(recert.restore(&newer, true, now()).unwrap_err(), Error::NewerDatabase { .. }));
    assert_eq!(recert.credentials().unwrap().len(), 1);
    let kinds: Vec<BackupKind> = recert.backups().unwrap().iter().map(|b| b.kind).collect();
    assert_eq!(kinds.iter().filter(|k| **k == BackupKind::BeforeRestore).count(), 1, "{kinds:?}");
}

#[test]
fn one_automatic_backup_a_day_and_old_ones_expire() {
    let (dir, mut recert) = open();
    add(&mut recert, "nsca-cscs", "2015-06-01");
    let day = |date: &str| -> DateTime<Utc> { format!("{date}T12:00:00Z").parse().unwrap() };
    assert!(recert.automatic_backup(day("2026-11-01")).unwrap().is_some());
    assert!(recert.automatic_backup(day("2026-11-01")).unwrap().is_none(), "once a day");
    let mut date = d("2026-11-02");
    while date <= d("2026-11-28") {
        recert.automatic_backup(day(&date.to_string())).unwrap();
        date = date.succ_opt().unwrap();
    }
    let daily = recert.backups().unwrap().into_iter().filter(|b| b.kind == BackupKind::Daily).count();
    assert_eq!(daily, 11, "7 days and 4 weeks");
    assert!(dir.path().join("backups").join("recert-auto-20261101.sqlite3").exists(), "the week of Nov 1");
    assert!(!dir.path().join("backups").join("recert-auto-20261102.sqlite3").exists());
}

fn totals_match_the_ledger(recert: &Recert, step: &str) {
    let running = recert.store().current_cycle_totals().unwrap();
    let ledger = recert.store().current_cycle_totals_from_ledger().unwrap();
    assert_eq!(running, ledger, "after {step}");
}

#[test]
fn editing_an_activity_credits_it_again_by_the_logging_rules() {
    let (_dir, mut recert) = open();
    let today = d("2026-11-23");
    let cscs = add(&mut recert, "nsca-cscs", "2015-01-01");
    let ncsf = add(&mut recert, "ncsf-cpt", "2025-03-14");
    let mut form = course("4");
    form.cost = Some("40".into());
    let id = recert.log_activity(&form, now(), today).unwrap().activity.id;
    totals_match_the_ledger(&recert, "logging");

    // More hours, a new date in US form, a category and a cost: both credentials follow.
    let changes = ActivityChanges {
        title: Some("Course, day two added".into()),
        completed_on: Some("05/02/2026".into()),
        hours: Some("8h".into()),
        cost: Some("80".into()),
        categories: Some(vec!["C".into()]),
        ..Default::default()
    };
    let edited = recert.edit_activity(id, &changes, today).unwrap();
    assert_eq!(edited.activity.title, "Course, day two added");
    assert_eq!((edited.activity.completed_on, edited.activity.hours), (d("2026-05-02"), Hours(800)));
    totals_match_the_ledger(&recert, "editing");
    let credits = recert.store().credits_for_activity(id).unwrap();
    let of = |credential: i64| credits.iter().find(|c| c.credential_id == credential).unwrap().clone();
    assert_eq!((of(cscs.id).units, of(cscs.id).category.as_deref()), (Units(80), Some("C")));
    assert_eq!(of(cscs.id).completed_on, d("2026-05-02"));
    assert_eq!(of(ncsf.id).units, Units(400));
    let status = recert.status(today).unwrap();
    let cscs_status = status.iter().find(|r| r.credential.id == cscs.id).unwrap();
    assert_eq!(cscs_status.course_costs, Cents(8000));
    assert_eq!(recert.activities().unwrap().len(), 1, "edited in place, not logged twice");

    // Moved before NCSF's cycle: NCSF drops it, CSCS keeps it.
    let changes = ActivityChanges { completed_on: Some("2025-01-10".into()), ..Default::default() };
    let edited = recert.edit_activity(id, &changes, today).unwrap();
    let ncsf_outcome = edited.outcomes.iter().find(|o| o.credential_id == ncsf.id).unwrap();
    assert!(
        matches!(&ncsf_outcome.decision, CreditDecision::NotCredited { reason } if reason.contains("before the current cycle"))
    );
    assert_eq!(recert.store().credits_for_activity(id).unwrap().len(), 1);
    totals_match_the_ledger(&recert, "moving the date out of a cycle");
}

#[test]
fn a_bad_edit_changes_nothing_and_names_every_field() {
    let (_dir, mut recert) = open();
    add(&mut recert, "nsca-cscs", "2015-01-01");
    let id = recert.log_activity(&course("4"), now(), d("2026-11-23")).unwrap().activity.id;
    let before = (recert.activities().unwrap()[0].activity.clone(), recert.store().current_cycle_totals().unwrap());
    let changes = ActivityChanges {
        title: Some(" ".into()),
        completed_on: Some("13/45/2026".into()),
        hours: Some("lots".into()),
        ..Default::default()
    };
    let error = recert.edit_activity(id, &changes, d("2026-11-23")).unwrap_err();
    let fields: Vec<String> = error.field_errors().into_iter().map(|e| e.field).collect();
    assert_eq!(fields, ["title", "date", "hours"]);
    let after = (recert.activities().unwrap()[0].activity.clone(), recert.store().current_cycle_totals().unwrap());
    assert_eq!(before, after);
    assert_eq!(
        recert.edit_activity(999, &ActivityChanges::default(), d("2026-11-23")).unwrap_err().code(),
        "not_found"
    );
}

#[test]
fn editing_keeps_typed_units_left_out_credentials_and_closed_cycles() {
    let (_dir, mut recert) = open();
    let today = d("2026-11-23");
    let cscs = add(&mut recert, "nsca-cscs", "2015-01-01");
    let acsm = add(&mut recert, "acsm-cpt", "2024-03-01");
    let nasm = add(&mut recert, "nasm-cpt", "2025-02-10");
    // Typed units for ACSM, NASM left out on purpose.
    let mut form = course("3");
    form.credit_to = vec![
        CreditChoice { credential_id: cscs.id, units: None },
        CreditChoice { credential_id: acsm.id, units: Some("5".into()) },
    ];
    let id = recert.log_activity(&form, now(), today).unwrap().activity.id;
    // CSCS renews: the course stays with the closed cycle.
    recert.renew(cscs.id, &renewal("2026-11-20", Some("65")), today).unwrap();

    let changes = ActivityChanges { hours: Some("6".into()), ..Default::default() };
    let edited = recert.edit_activity(id, &changes, today).unwrap();
    let outcome = |credential: i64| edited.outcomes.iter().find(|o| o.credential_id == credential).unwrap().clone();
    assert!(outcome(cscs.id).kept, "counted toward a closed cycle: kept as counted");
    assert!(matches!(outcome(cscs.id).decision, CreditDecision::Credited { units: Units(30), .. }));
    assert!(matches!(outcome(acsm.id).decision, CreditDecision::Credited { units: Units(500), overridden: true, .. }));
    assert!(matches!(&outcome(nasm.id).decision, CreditDecision::NotCredited { reason } if reason == "not selected"));
    let credits = recert.store().credits_for_activity(id).unwrap();
    assert_eq!(credits.len(), 2);
    assert_eq!(recert.past_cycles(cscs.id).unwrap()[0].units_earned, Units(30));
    totals_match_the_ledger(&recert, "editing with kept credits");

    // Choosing again: every credential it can serve, computed units.
    let changes = ActivityChanges { credit_to: Some(Vec::new()), ..Default::default() };
    let edited = recert.edit_activity(id, &changes, today).unwrap();
    let credited: Vec<i64> = edited
        .outcomes
        .iter()
        .filter(|o| matches!(o.decision, CreditDecision::Credited { .. }))
        .map(|o| o.credential_id)
        .collect();
    assert_eq!(credited.len(), 3, "{credited:?}");
    let acsm_credit = recert.store().credits_for_activity(id).unwrap().into_iter().find(|c| c.credential_id == acsm.id);
    assert_eq!(acsm_credit.map(|c| (c.units, c.overridden)), Some((Units(600), false)));
    totals_match_the_ledger(&recert, "choosing again");
}

#[test]
fn a_corrected_date_brings_a_course_into_the_cycle() {
    let (_dir, mut recert) = open();
    let today = d("2026-11-23");
    let acsm = add(&mut recert, "acsm-cpt", "2024-03-01");
    // A typo: 2016 instead of 2026, so nothing was credited.
    let id = recert.log_activity(&course_on("2016-04-01", "2"), now(), today).unwrap().activity.id;
    assert!(recert.store().credits_for_activity(id).unwrap().is_empty());
    let changes = ActivityChanges { completed_on: Some("2026-04-01".into()), ..Default::default() };
    recert.edit_activity(id, &changes, today).unwrap();
    let credits = recert.store().credits_for_activity(id).unwrap();
    assert_eq!(credits.iter().map(|c| (c.credential_id, c.units)).collect::<Vec<_>>(), [(acsm.id, Units(200))]);
    totals_match_the_ledger(&recert, "correcting the date");
}

#[test]
fn the_preview_reads_dates_and_hours_and_lists_every_problem() {
    let (_dir, mut recert) = open();
    let today = d("2026-11-23");
    add(&mut recert, "acsm-cpt", "2024-03-01");
    let form = ActivityForm { completed_on: "5/10/2026".into(), hours: "1h30".into(), ..Default::default() };
    let preview = recert.preview_activity(&form, None, today).unwrap();
    assert_eq!((preview.completed_on, preview.hours), (Some(d("2026-05-10")), Some(Hours(150))));
    assert!(preview.outcomes.is_none());
    assert_eq!(preview.problems.iter().map(|p| p.field.as_str()).collect::<Vec<_>>(), ["title"]);
    let form = ActivityForm { title: "Mobility".into(), ..form };
    let preview = recert.preview_activity(&form, None, today).unwrap();
    assert!(preview.problems.is_empty());
    assert_eq!(preview.outcomes.unwrap(), recert.preview_credits(&form, today).unwrap());
    let id = recert.log_activity(&form, now(), today).unwrap().activity.id;
    let preview = recert.preview_activity(&ActivityForm { hours: "3h".into(), ..form }, Some(id), today).unwrap();
    assert!(matches!(preview.outcomes.unwrap()[0].decision, CreditDecision::Credited { units: Units(300), .. }));
}

#[test]
fn a_cpr_course_offers_to_record_the_new_card() {
    let (_dir, mut recert) = open();
    let today = d("2026-11-23");
    let card = add(&mut recert, "cpr-aed-aha", "2025-01-15");
    add(&mut recert, "nasm-cpt", "2025-02-10");
    let kettlebells = recert.log_activity(&course_on("2026-05-01", "8"), now(), today).unwrap();
    assert!(kettlebells.card_offers.is_empty());
    let mut cpr = course_on("2026-10-01", "4");
    cpr.title = "Heartsaver CPR AED".into();
    let logged = recert.log_activity(&cpr, now(), today).unwrap();
    assert_eq!(
        logged.card_offers,
        vec![CardOffer {
            credential_id: card.id,
            abbreviation: card.abbreviation.clone(),
            issued_on: d("2026-10-01"),
            current_end: card.cycle.end
        }]
    );
    // Recording it is an ordinary renewal on the course date.
    let renewed = recert.renew(card.id, &renewal("2026-10-01", None), today).unwrap();
    assert_eq!(renewed.cycle.start, d("2026-10-01"));
    // A course from before the card on file issued no newer card.
    let mut old = course_on("2025-01-01", "4");
    old.categories = vec!["cpr".into()];
    assert!(recert.log_activity(&old, now(), today).unwrap().card_offers.is_empty());
}

#[test]
fn a_custom_credential_form_reports_every_mistake_at_once() {
    let (_dir, mut recert) = open();
    let today = d("2026-11-23");
    let form = CredentialForm {
        name: Some(" ".into()),
        body: Some(String::new()),
        earned_on: "2027-01-01".into(),
        renewal_fee: Some("ten dollars".into()),
        grace: Some("soon".into()),
        cycle_years: Some("2".into()),
        ..Default::default()
    };
    let error = recert.add_credential(&form, now(), today).unwrap_err();
    let fields: Vec<String> = error.field_errors().into_iter().map(|e| e.field).collect();
    assert_eq!(fields, ["name", "body", "fee", "grace", "earned"], "in the form's order");
    // One mistake reads as before.
    let one = CredentialForm { name: Some("Pilates".into()), body: Some("PMA".into()), ..form.clone() };
    let one = CredentialForm { renewal_fee: None, grace: None, ..one };
    let error = recert.add_credential(&one, now(), today).unwrap_err();
    assert_eq!((error.field(), error.to_string()), (Some("earned"), "earned: 2027-01-01 is in the future".into()));
    assert!(recert.credentials().unwrap().is_empty());
}

#[test]
fn open_notifications_are_kept_for_another_process_to_take_over() {
    use crate::reminders::OpenNotification;
    let (_dir, mut recert) = open();
    let shown = |bus: &str, id: u32, keys: &[&str]| OpenNotification {
        bus: bus.into(),
        id,
        title: format!("title {id}"),
        body: format!("body {id}\nsecond line"),
        reminder_keys: keys.iter().map(|k| k.to_string()).collect(),
    };
    let earlier = now() - chrono::Duration::days(8);
    recert.note_open_notification(&shown("unix:a", 7, &["1:due:60"]), now()).unwrap();
    recert.note_open_notification(&shown("unix:a", 8, &["1:due:30", "2:cpr:14"]), now()).unwrap();
    recert.note_open_notification(&shown("unix:a", 3, &["3:due:90"]), earlier).unwrap();
    recert.note_open_notification(&shown("unix:old-session", 9, &["1:due:60"]), now()).unwrap();
    recert.forget_notification("unix:a", 7).unwrap();

    let open = recert.notifications_to_take_over("unix:a", now()).unwrap();
    assert_eq!(open, vec![shown("unix:a", 8, &["1:due:30", "2:cpr:14"])], "closed, old and other-session ones are out");
    assert_eq!(
        recert.notifications_to_take_over("unix:a", now()).unwrap().len(),
        1,
        "taking over keeps the row: the new owner forgets it on close"
    );
    assert!(
        recert.notifications_to_take_over("unix:old-session", now()).unwrap().is_empty(),
        "forgotten when another session took over"
    );
}
