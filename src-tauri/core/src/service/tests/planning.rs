//! Planned courses marked as done: logged as the plan counted them, and taken off the list in
//! the same transaction.

use super::*;
use crate::planner::PlannedForm;

fn planned(recert: &mut Recert, title: &str, approved_by: &[&str]) -> i64 {
    let form = PlannedForm {
        title: title.into(),
        date: "2026-12-05".into(),
        hours: "3".into(),
        cost: Some("300".into()),
        approved_by: approved_by.iter().map(|a| a.to_string()).collect(),
        ..Default::default()
    };
    recert.add_planned(&form, now()).unwrap().id
}

#[test]
fn a_planned_course_done_is_logged_with_the_units_the_plan_gave_and_leaves_the_list() {
    let (_dir, mut recert) = open();
    let nasm = add(&mut recert, "nasm-cpt", "2025-03-01");
    let ace = add(&mut recert, "ace-cpt", "2025-03-01");
    let id = planned(&mut recert, "Specialization", &["NASM=1.9"]);
    let form = recert.planned_log_form(id, d("2026-11-23")).unwrap();
    assert_eq!(form.completed_on, "2026-11-23", "a day still ahead becomes today");
    assert_eq!(form.approved_by, ["NASM"]);
    // The plan counted 1.9 CEU for NASM (3 hours would be 0.3), and nothing for ACE.
    assert_eq!(form.credit_to, [CreditChoice { credential_id: nasm.id, units: Some("1.9".into()) }]);
    let logged = recert.complete_planned(id, &form, now(), d("2026-11-23")).unwrap();
    let credited: Vec<(i64, Units)> = logged
        .outcomes
        .iter()
        .filter_map(|o| match &o.decision {
            CreditDecision::Credited { units, .. } => Some((o.credential_id, *units)),
            _ => None,
        })
        .collect();
    assert_eq!(credited, [(nasm.id, Units(190))], "ACE ({}) gets nothing: {:?}", ace.id, logged.outcomes);
    assert!(recert.planned_courses().unwrap().is_empty());
}

#[test]
fn a_planned_course_without_units_leaves_the_crediting_to_the_rules() {
    let (_dir, mut recert) = open();
    add(&mut recert, "nsca-cscs", "2015-01-01");
    let id = planned(&mut recert, "Workshop", &["NSCA:NS123"]);
    let form = recert.planned_log_form(id, d("2026-11-23")).unwrap();
    assert!(form.credit_to.is_empty(), "{form:?}");
    assert_eq!(form.approved_by, ["NSCA:NS123"]);
}

/// The plan counts a course that names its approving bodies only for those (issue 20); marked as
/// done, it is logged the same way, not credited to every credential a logged course would reach.
#[test]
fn a_planned_course_done_is_credited_only_where_the_plan_counted_it() {
    let (_dir, mut recert) = open();
    add(&mut recert, "nasm-cpt", "2025-03-01");
    let ace = add(&mut recert, "ace-cpt", "2025-03-01");
    let id = planned(&mut recert, "ACE workshop", &["ACE"]);
    let form = recert.planned_log_form(id, d("2026-11-23")).unwrap();
    assert_eq!(form.credit_to, [CreditChoice { credential_id: ace.id, units: None }]);
    assert_eq!(form.cost.as_deref(), Some("300.00"));
}

#[test]
fn a_planned_course_the_log_refuses_stays_planned_and_nothing_is_logged() {
    let (dir, mut recert) = open();
    add(&mut recert, "nsca-cscs", "2015-01-01");
    let id = planned(&mut recert, "Workshop", &[]);
    let proof = dir.path().join("certificate.pdf");
    std::fs::write(&proof, b"pdf").unwrap();
    let mut form = recert.planned_log_form(id, d("2026-11-23")).unwrap();
    form.proof_file = Some(proof);
    form.credit_to = vec![CreditChoice { credential_id: 999, units: None }];
    assert_eq!(recert.complete_planned(id, &form, now(), d("2026-11-23")).unwrap_err().code(), "not_found");
    assert_eq!(recert.planned_courses().unwrap().len(), 1);
    assert!(recert.activities().unwrap().is_empty());
    assert!(!dir.path().join("proofs").exists(), "no proof copy left behind");
    // A course no longer planned is refused before anything is logged.
    let form = recert.planned_log_form(id, d("2026-11-23")).unwrap();
    recert.remove_planned(id).unwrap();
    assert_eq!(recert.complete_planned(id, &form, now(), d("2026-11-23")).unwrap_err().code(), "not_found");
    assert!(recert.activities().unwrap().is_empty());
}

/// A planned-courses spreadsheet is read as the ledger's is: UTF-16 named as such, a title
/// exported with a formula guard read back without it, a line counted as a person counts it in a
/// file with CRLF line ends.
#[test]
fn a_planned_courses_sheet_is_read_like_the_ledger() {
    let (_dir, mut recert) = open();
    let utf16: Vec<u8> =
        [0xFF, 0xFE].into_iter().chain("title,date,hours\r\n".encode_utf16().flat_map(u16::to_le_bytes)).collect();
    let report = recert.import_planned(&utf16, now()).unwrap();
    assert!(report.errors[0].message.contains("UTF-16"), "{:?}", report.errors);
    let unclosed = recert.import_planned(b"title,date,hours\r\n\"Open,2026-12-20,2\r\n", now()).unwrap();
    assert!(unclosed.errors[0].message.contains("never closed"), "{:?}", unclosed.errors);
    let bad_line =
        recert.import_planned(b"title,date,hours\r\nSeminar,2026-12-20,2\r\nWorkshop,someday,3\r\n", now()).unwrap();
    assert_eq!((bad_line.errors[0].line, bad_line.errors[0].column.as_deref()), (3, Some("date")), "{bad_line:?}");
    let guarded = recert.import_planned(b"title,date,hours\r\n'=Strength day,2026-12-20,2\r\n", now()).unwrap();
    assert_eq!(guarded.imported, 1, "{:?}", guarded.errors);
    assert_eq!(recert.planned_courses().unwrap()[0].title, "=Strength day");
}
