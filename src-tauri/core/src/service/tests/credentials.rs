//! Adding, editing, renewing and confirming credentials; opening balances; joint fees; older catalogs.

use super::*;

#[test]
fn changing_hours_per_unit_recomputes_current_credits_only() {
    let (_dir, mut recert) = open();
    let cscca = add(&mut recert, "nccpt-cpt", "2025-06-01");
    // NCCPT's hours per CEU is unknown: nothing is credited until the user says.
    let logged = recert.log_activity(&course("6"), now(), d("2026-11-23")).unwrap();
    assert!(matches!(logged.outcomes[0].decision, CreditDecision::NotCredited { .. }));
    let changes = CredentialChanges {
        fields: CredentialText { hours_per_unit: Some("1".into()), ..Default::default() },
        ..Default::default()
    };
    recert.edit_credential(cscca.id, &changes, now(), d("2026-11-23")).unwrap();
    recert.log_activity(&course("4"), now(), d("2026-11-23")).unwrap();
    let report = &recert.status(d("2026-11-23")).unwrap()[0];
    assert_eq!(report.progress.units_earned, Units(400));

    let changes = CredentialChanges {
        fields: CredentialText { hours_per_unit: Some("2".into()), ..Default::default() },
        ..Default::default()
    };
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
    let changes = CredentialChanges {
        fields: CredentialText { hours_per_unit: Some("2".into()), ..Default::default() },
        ..Default::default()
    };
    recert.edit_credential(acsm.id, &changes, now(), d("2026-11-23")).unwrap();
    assert_eq!(recert.status(d("2026-11-23")).unwrap()[0].progress.units_earned, Units(500));
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
        Some("Did you renew in 2023? Then 2026-12-31 is your deadline, as for everyone who holds CSCS.")
    );
    assert!(report.confirm_expiry_reason.as_deref().unwrap().contains("assumed you renewed"));
    assert!(recert.confirm_expiry(cscs.id).unwrap().expiry_confirmed);
    assert_eq!(recert.status(today).unwrap()[0].confirm_expiry, None);

    let nasm = add_on(&mut recert, "nasm-cpt", "2018-03-01", "2026-11-23");
    assert!(!nasm.expiry_confirmed);
    let typed = CredentialChanges {
        fields: CredentialText { expires: Some("2028-03-31".into()), ..Default::default() },
        ..Default::default()
    };
    assert!(
        recert.edit_credential(nasm.id, &typed, now(), today).unwrap().expiry_confirmed,
        "typing the expiry confirms it"
    );

    let acsm = add_on(&mut recert, "acsm-cpt", "2025-05-08", "2026-11-23");
    assert!(!acsm.expiry_confirmed, "ACSM's new rule rests on a secondary source");
    // A renewal Recert computes by an unverified rule is not confirmed on its own; a date the
    // user types is, and undoing the renewal restores exactly what was there before.
    let renewed = recert.renew(acsm.id, &renewal("2026-11-23", None), today).unwrap();
    assert!(!renewed.expiry_confirmed, "ACSM's rule is unverified: the new deadline asks to be checked");
    assert!(recert.status(today).unwrap().iter().any(|r| r.credential.id == acsm.id && r.confirm_expiry.is_some()));
    let undone = recert.undo_renewal(acsm.id).unwrap();
    assert_eq!((undone.cycle, undone.expiry_confirmed), (acsm.cycle, false), "as before the renewal");
    let typed = RenewalForm { expires: Some("2031-05-07".into()), ..renewal("2026-11-23", None) };
    assert!(recert.renew(acsm.id, &typed, today).unwrap().expiry_confirmed, "a typed expiry");
    let confirmed = recert.confirm_expiry(nasm.id).unwrap();
    assert!(confirmed.expiry_confirmed);
    let cscs_before = recert.credential(cscs.id).unwrap();
    assert!(cscs_before.expiry_confirmed);
    recert.renew(cscs.id, &renewal("2026-11-23", None), today).unwrap();
    assert!(recert.credential(cscs.id).unwrap().expiry_confirmed, "NSCA's fixed date is NSCA's own");
    assert!(recert.undo_renewal(cscs.id).unwrap().expiry_confirmed, "confirmed before, confirmed after the undo");
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
    let changes = CredentialChanges {
        fields: CredentialText { units_required: Some("6".into()), ..Default::default() },
        ..Default::default()
    };
    recert.edit_credential(sccc.id, &changes, now(), today).unwrap();
    assert_eq!(recert.status(today).unwrap()[0].progress.units_required, Some(Units(600)));
    let renewed = recert.renew(sccc.id, &renewal("2028-07-20", None), d("2028-07-20")).unwrap();
    assert_eq!(renewed.rules.requirement(renewed.earned_on, renewed.cycle.end).units_required, Some(Units(4500)));
}

#[test]
fn a_custom_credential_needs_no_earned_date_when_its_expiry_is_given() {
    let (_dir, mut recert) = open();
    let form = CredentialForm {
        fields: CredentialText {
            name: Some("Pilates Instructor".into()),
            body: Some("PMA".into()),
            cycle_years: Some("2".into()),
            expires: Some("2027-06-30".into()),
            ..Default::default()
        },
        ..Default::default()
    };
    let pilates = recert.add_credential(&form, now(), d("2026-11-23")).unwrap();
    assert_eq!(pilates.cycle, crate::rules::Cycle { start: d("2025-07-01"), end: d("2027-06-30") });
    assert!(pilates.expiry_confirmed);
    let neither = CredentialForm { fields: CredentialText { expires: None, ..form.fields.clone() }, ..form };
    assert_eq!(recert.add_credential(&neither, now(), d("2026-11-23")).unwrap_err().field(), Some("earned"));
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
    assert_eq!(cscs_report.activity_count, 0, "a balance is not an activity: Costs counts courses");

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
    let changes = CredentialChanges {
        fields: CredentialText { hours_per_unit: Some("5".into()), ..Default::default() },
        ..Default::default()
    };
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
    let bad = CredentialChanges {
        already_earned: Some(vec!["2:Z".into()]),
        fields: CredentialText { name: Some("X".into()), ..Default::default() },
        ..Default::default()
    };
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
fn the_first_run_saves_every_credential_together_or_none() {
    let (_dir, mut recert) = open();
    let today = d("2026-11-23");
    let form = |preset: &str, earned: &str| CredentialForm {
        preset: Some(preset.into()),
        earned_on: earned.into(),
        ..Default::default()
    };
    let mut bad = form("nasm-cpt", "2025-02-30");
    bad.fields.number = Some("N-1".into());
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

#[test]
fn a_custom_credential_form_reports_every_mistake_at_once() {
    let (_dir, mut recert) = open();
    let today = d("2026-11-23");
    let form = CredentialForm {
        earned_on: "2027-01-01".into(),
        fields: CredentialText {
            name: Some(" ".into()),
            body: Some(String::new()),
            renewal_fee: Some("ten dollars".into()),
            grace: Some("soon".into()),
            cycle_years: Some("2".into()),
            ..Default::default()
        },
        ..Default::default()
    };
    let error = recert.add_credential(&form, now(), today).unwrap_err();
    let fields: Vec<String> = error.field_errors().into_iter().map(|e| e.field).collect();
    assert_eq!(fields, ["name", "body", "fee", "grace", "earned"], "in the form's order");
    // One mistake reads as before.
    let one = CredentialForm {
        fields: CredentialText { name: Some("Pilates".into()), body: Some("PMA".into()), ..form.fields.clone() },
        ..form.clone()
    };
    let one = CredentialForm { fields: CredentialText { renewal_fee: None, grace: None, ..one.fields.clone() }, ..one };
    let error = recert.add_credential(&one, now(), today).unwrap_err();
    assert_eq!((error.field(), error.to_string()), (Some("earned"), "earned: 2027-01-01 is in the future".into()));
    assert!(recert.credentials().unwrap().is_empty());
}

// Credentials added with the 2026.11 catalog keep what the user typed and take the rest of the
// 2026.12 catalog at the next start that may write: NASM's limit before the anniversary, what
// NASM accepts.
#[test]
fn credentials_of_the_older_catalog_take_the_new_values_nobody_changed() {
    let dir = tempfile::tempdir().unwrap();
    let mut recert = Recert::open(dir.path(), now()).unwrap();
    let nasm = add(&mut recert, "nasm-cpt", "2025-02-10");
    let older = crate::catalog::Catalog::parse(include_str!("../../../data/catalog-2026.11.json")).unwrap();
    let mut old_rules = older.preset("nasm-cpt").unwrap().rules();
    old_rules.renewal_fee = Some(crate::amount::Cents(9900));
    old_rules.typed.insert("renewal_fee".into());
    let as_before = Credential { rules: old_rules, ..nasm.clone() };
    recert
        .store_mut()
        .write(|tx| {
            tx.update_credential(&as_before, &tx.credits_for_credential(nasm.id)?, None, now())?;
            tx.set_setting("catalog_refresh_from", "2026.11")
        })
        .unwrap();
    drop(recert);
    let recert = Recert::open(dir.path(), now()).unwrap();
    let refreshed = recert.credential(nasm.id).unwrap();
    assert_eq!(refreshed.rules.grace, Some(crate::period::Period::YearsLessADay(1)));
    assert!(refreshed.rules.acceptance.is_some());
    assert_eq!(refreshed.rules.renewal_fee, Some(crate::amount::Cents(9900)), "the fee the user typed stays");
    assert_eq!(recert.store().setting("catalog_refresh_from").unwrap(), None, "once");
}
