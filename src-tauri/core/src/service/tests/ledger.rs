//! Logging and editing courses: credits by the rules, proofs, running totals, the preview.

use super::*;

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
    let changes = CredentialChanges {
        fields: CredentialText { expires: Some("2026-06-30".into()), ..Default::default() },
        ..Default::default()
    };
    recert.edit_credential(ncsf.id, &changes, now(), today).unwrap();
    check(&recert, "moving a cycle end");
    let changes = CredentialChanges {
        fields: CredentialText { hours_per_unit: Some("2".into()), ..Default::default() },
        ..Default::default()
    };
    recert.edit_credential(acsm.id, &changes, now(), today).unwrap();
    check(&recert, "changing a conversion");
    recert.renew(cscs.id, &renewal("2026-11-20", Some("65")), today).unwrap();
    check(&recert, "renewing");
    recert.remove_credential(acsm.id, true).unwrap();
    check(&recert, "removing a credential");
    assert!(!recert.store().current_cycle_totals().unwrap().is_empty());
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
