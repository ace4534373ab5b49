//! Spreadsheets out and in.

use super::*;

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
    // One course NASM approved (it counts), the others wait for NASM's approval: both come back.
    let approved = ActivityForm {
        title: "NASM course".into(),
        completed_on: "2026-05-01".into(),
        hours: "2".into(),
        approved_by: vec!["NASM:NASM-77".into()],
        ..Default::default()
    };
    recert.log_activity(&approved, now(), today).unwrap();
    let before = status_summary(&recert);
    let mut sheet = Vec::new();
    assert_eq!(recert.export_csv(&mut sheet).unwrap(), 5, "four courses and the opening balance");
    let text = String::from_utf8(sheet.clone()).unwrap();
    assert!(
        text.starts_with(
            "\u{FEFF}date,title,provider,hours,cost,categories,approved_by,CSCS (CEU),NASM-CPT (CEU),proof_sha256\r\n"
        ),
        "{text}"
    );
    assert!(text.contains("\"Acme, \"\"Inc\"\"\""), "quoted as spreadsheets expect: {text}");
    assert!(text.contains(",NASM:NASM-77,"), "the approval and its number: {text}");
    assert!(text.contains(",0.80,0.80 pending,"), "a credit waiting for NASM says so: {text}");
    let pending = recert.status(today).unwrap().into_iter().find(|r| r.credential.abbreviation == "NASM-CPT");
    assert!(pending.unwrap().units_pending.0 > 0, "pending units are shown, not counted");
    // The opening balance is marked as one, with no made-up date, hours or cost.
    assert!(text.contains("\r\n,Earned before Recert,,,,C,,1.50,,\r\n"), "{text}");

    let (_other_dir, mut fresh) = open();
    trainer(&mut fresh, false);
    let dry = fresh.import_csv(&sheet, ImportOptions { dry_run: true, ..Default::default() }, now(), today).unwrap();
    assert!(dry.ok(), "{:?}", dry.errors);
    assert_eq!((dry.rows.len(), dry.imported), (5, 0));
    assert!(fresh.activities().unwrap().is_empty(), "a dry run writes nothing");
    let report = fresh.import_csv(&sheet, ImportOptions::default(), now(), today).unwrap();
    assert_eq!(report.imported, 5, "{:?}", report.errors);
    assert_eq!(status_summary(&fresh), before);
    let balance = fresh.activities().unwrap().into_iter().find(|a| a.activity.opening_balance_for.is_some());
    assert!(balance.is_some(), "imported back as the balance it was, not as a course");
    let mut again_sheet = Vec::new();
    fresh.export_csv(&mut again_sheet).unwrap();
    assert_eq!(again_sheet, sheet, "and exported again, the same file");
    assert_eq!(
        fresh.store().current_cycle_totals().unwrap(),
        fresh.store().current_cycle_totals_from_ledger().unwrap()
    );

    // The same file again: every line is a likely duplicate, and nothing is added.
    let again = fresh.import_csv(&sheet, ImportOptions::default(), now(), today).unwrap();
    assert_eq!((again.errors.len(), again.imported), (5, 0));
    assert!(
        again.errors[0].to_string().contains("CSCS already has a balance earned before Recert"),
        "{:?}",
        again.errors
    );
    assert!(again.errors[1].to_string().contains("already in the ledger"), "{}", again.errors[1]);
    let forced = fresh.import_csv(&sheet, ImportOptions { allow_duplicates: true, ..Default::default() }, now(), today);
    assert_eq!(forced.unwrap().imported, 5);
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
