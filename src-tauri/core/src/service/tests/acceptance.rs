//! What each body accepts: pending credits, approvals and petitions.

use super::*;

/// A trainer with a CSCS (NSCA takes any relevant course, no CPR course), a NASM-CPT (approved
/// courses, others by a $25 petition) and an ACE-CPT (approved courses, petition fee unknown).
fn three_bodies(recert: &mut Recert) -> (Credential, Credential, Credential) {
    (
        add(recert, "nsca-cscs", "2015-06-01"),
        add(recert, "nasm-cpt", "2025-02-10"),
        add(recert, "ace-cpt", "2025-03-01"),
    )
}

fn outcome<'a>(logged: &'a LoggedActivity, credential: &Credential) -> &'a CreditDecision {
    &logged.outcomes.iter().find(|o| o.credential_id == credential.id).unwrap().decision
}

// NASM: "courses from other providers require a petition" ($25 per course, an older NASM page);
// ACE: pre-approved courses with a CEP number, others by petition (fee not published); NSCA:
// relevant events need no pre-approval, but CPR/AED is a requirement, not a CEU.
#[test]
fn a_course_counts_only_where_its_body_accepts_it() {
    let (_dir, mut recert) = open();
    let today = d("2026-11-23");
    let (cscs, nasm, ace) = three_bodies(&mut recert);
    let plain = ActivityForm {
        title: "Kettlebell workshop".into(),
        provider: Some("StrongFirst".into()),
        completed_on: "2026-03-01".into(),
        hours: "8".into(),
        ..Default::default()
    };
    let logged = recert.log_activity(&plain, now(), today).unwrap();
    assert!(matches!(outcome(&logged, &cscs), CreditDecision::Credited { units: Units(80), .. }));
    match outcome(&logged, &nasm) {
        CreditDecision::Pending { units, reason, .. } => {
            assert_eq!(*units, Units(80));
            assert_eq!(reason, "counts once NASM accepts a petition ($25.00)");
        }
        other => panic!("NASM: {other:?}"),
    }
    match outcome(&logged, &ace) {
        CreditDecision::Pending { reason, .. } => {
            assert_eq!(reason, "counts once ACE accepts a petition (fee unknown)")
        }
        other => panic!("ACE: {other:?}"),
    }
    let report = |recert: &Recert, credential: &Credential| {
        recert.status(today).unwrap().into_iter().find(|r| r.credential.id == credential.id).unwrap()
    };
    assert_eq!(
        (report(&recert, &nasm).progress.units_earned, report(&recert, &nasm).units_pending),
        (Units(0), Units(80))
    );
    assert_eq!(
        (report(&recert, &cscs).progress.units_earned, report(&recert, &cscs).units_pending),
        (Units(80), Units(0))
    );

    // NASM accepts the petition and grants 0.7; ACE refuses.
    let activity = logged.activity.id;
    let accepted = recert.settle_credit(activity, nasm.id, Some(Units(70))).unwrap();
    assert_eq!((accepted.standing, accepted.units), (Standing::Counted, Units(70)));
    recert.settle_credit(activity, ace.id, None).unwrap();
    assert_eq!(
        (report(&recert, &nasm).progress.units_earned, report(&recert, &nasm).units_pending),
        (Units(70), Units(0))
    );
    assert_eq!(
        (report(&recert, &ace).progress.units_earned, report(&recert, &ace).units_pending),
        (Units(0), Units(0))
    );
    assert_eq!(
        recert.store().current_cycle_totals().unwrap(),
        recert.store().current_cycle_totals_from_ledger().unwrap()
    );
    // The audit packet lists what counts: NASM's accepted 0.7; ACE's refused course is not in it.
    let nasm_packet = recert
        .audit_packet_into(nasm.id, crate::audit::AuditCycle::Current, std::io::Cursor::new(Vec::new()), today)
        .unwrap();
    assert_eq!(nasm_packet.activities, 1);
    let ace_packet = recert
        .audit_packet_into(ace.id, crate::audit::AuditCycle::Current, std::io::Cursor::new(Vec::new()), today)
        .unwrap();
    assert_eq!(ace_packet.activities, 0, "a course ACE refused is no evidence for ACE");
    let again = recert.settle_credit(activity, cscs.id, None).unwrap_err();
    assert!(again.to_string().contains("CSCS counts this course already"), "{again}");
    assert!(recert.settle_credit(activity, nasm.id, Some(Units(0))).is_err(), "0 units granted is a refusal");

    // Approved by NASM (short or full name, with its course number) or given by NASM: counted.
    for (approved_by, provider) in [
        (vec!["NASM:NASM-2041".to_string()], None),
        (vec!["national academy of sports medicine".to_string()], None),
        (vec![], Some("NASM")),
    ] {
        let form = ActivityForm { approved_by, provider: provider.map(str::to_string), ..plain.clone() };
        let logged = recert.log_activity(&form, now(), today).unwrap();
        assert!(matches!(outcome(&logged, &nasm), CreditDecision::Credited { .. }), "{form:?}");
        assert!(matches!(outcome(&logged, &ace), CreditDecision::Pending { .. }), "{form:?}");
    }
    let stored = recert.activities().unwrap();
    assert!(stored.iter().any(|a| a.activity.approvals
        == vec![crate::activity::BodyApproval { body: "NASM".into(), number: Some("NASM-2041".into()) }]));
    assert!(
        stored.iter().any(|a| a.activity.approvals.iter().any(|x| x.body == "NASM" && x.number.is_none())),
        "a full name is stored as the short name"
    );

    // A body Recert does not know is refused, with the names it knows.
    let unknown = ActivityForm { approved_by: vec!["Fitness Guild".into()], ..plain.clone() };
    let error = recert.log_activity(&unknown, now(), today).unwrap_err();
    assert_eq!(error.field(), Some("approved-by"));
    assert!(error.to_string().contains("NASM, ACE"), "{error}");

    // A CPR course: no NSCA CEU; NASM credits the card's 0.1 without a petition.
    let cpr = ActivityForm {
        title: "Heartsaver CPR AED".into(),
        completed_on: "2026-04-01".into(),
        hours: "3".into(),
        categories: vec!["cpr".into()],
        ..Default::default()
    };
    let logged = recert.log_activity(&cpr, now(), today).unwrap();
    match outcome(&logged, &cscs) {
        CreditDecision::NotCredited { reason } => assert!(reason.contains("NSCA gives no units for a CPR/AED course")),
        other => panic!("CSCS: {other:?}"),
    }
    assert!(
        matches!(outcome(&logged, &nasm), CreditDecision::Credited { category: Some(c), .. } if c == "cpr"),
        "{logged:?}"
    );
    // Units the user typed are what the body granted: they count.
    let typed = ActivityForm {
        credit_to: vec![CreditChoice { credential_id: ace.id, units: Some("0.5".into()) }],
        ..plain.clone()
    };
    let logged = recert.log_activity(&typed, now(), today).unwrap();
    assert!(matches!(outcome(&logged, &ace), CreditDecision::Credited { units: Units(50), overridden: true, .. }));
}

#[test]
fn a_credential_typed_in_accepts_every_course_unless_its_body_wants_approved_ones() {
    let (_dir, mut recert) = open();
    let today = d("2026-11-23");
    let custom = |only: bool| CredentialForm {
        earned_on: "2025-06-01".into(),
        approved_courses_only: only,
        fields: CredentialText {
            name: Some(format!("Kettlebell coach {only}")),
            body: Some("Girya Guild".into()),
            cycle_years: Some("2".into()),
            units_required: Some("10".into()),
            unit: Some("CEU".into()),
            hours_per_unit: Some("1".into()),
            ..Default::default()
        },
        ..Default::default()
    };
    let open_to_all = recert.add_credential(&custom(false), now(), today).unwrap();
    let strict = recert.add_credential(&custom(true), now(), today).unwrap();
    let course = ActivityForm {
        title: "Clinic".into(),
        completed_on: "2026-03-01".into(),
        hours: "2".into(),
        ..Default::default()
    };
    let logged = recert.log_activity(&course, now(), today).unwrap();
    assert!(matches!(outcome(&logged, &open_to_all), CreditDecision::Credited { .. }));
    assert!(matches!(outcome(&logged, &strict), CreditDecision::Pending { .. }));
    // Saying so later works too, and credits the cycle again.
    let changes = CredentialChanges { approved_courses_only: Some(true), ..Default::default() };
    recert.edit_credential(open_to_all.id, &changes, now(), today).unwrap();
    let report = recert.status(today).unwrap().into_iter().find(|r| r.credential.id == open_to_all.id).unwrap();
    assert_eq!((report.progress.units_earned, report.units_pending), (Units(0), Units(200)));
    // The guild approved it: the body typed in is known by its name.
    let approved = ActivityForm { approved_by: vec!["girya guild".into()], ..course };
    let logged = recert.log_activity(&approved, now(), today).unwrap();
    assert!(matches!(outcome(&logged, &strict), CreditDecision::Credited { .. }));
}
