//! Each body's renewal rules, case by case. Every expected date and fee was worked out by hand
//! from the body's published rule (the source is named above each table) before the code ran: a
//! first cycle, a renewal, the grace period's last day and the day after, late-fee boundaries,
//! leap years and month ends.

use crate::activity::{decide_credit, CreditDecision};
use crate::amount::{Cents, Hours, Units};
use crate::catalog::Catalog;
use crate::credential::{Credential, CredentialChanges, CredentialForm, CredentialText};
use crate::progress::{progress, CycleTotals};
use crate::rules::{next_cycle, Cycle};
use crate::status::{money_on, prerequisite_problems, renewal_fee, rules_outdated, status_on, Status};
use crate::test_support::d;

use Status::{DueSoon, Grace, Lapsed};

/// A credential as the user adds it on `added_on`: a preset, the date first earned, and the
/// expiry when they typed one.
fn added(preset: &str, earned: &str, expires: Option<&str>, added_on: &str) -> Credential {
    let form = CredentialForm {
        preset: Some(preset.into()),
        earned_on: earned.into(),
        fields: CredentialText { expires: expires.map(str::to_string), ..Default::default() },
        ..Default::default()
    };
    form.to_credential(Catalog::builtin(), d(added_on)).unwrap_or_else(|e| panic!("{preset} {earned}: {e}"))
}

/// (what, date first earned, expiry typed, day added, expected cycle end, expected confirmed)
type DeadlineCase<'a> = (&'a str, &'a str, Option<&'a str>, &'a str, &'a str, bool);

fn check_deadlines(preset: &str, cases: &[DeadlineCase]) {
    for (what, earned, expires, added_on, end, confirmed) in cases {
        let credential = added(preset, earned, *expires, added_on);
        assert_eq!(credential.cycle.end, d(end), "{preset}: {what}");
        assert_eq!(credential.expiry_confirmed, *confirmed, "{preset}: {what} (confirmed)");
    }
}

/// (what, day, expected status, expected late fee in cents; `None`: unknown or too late)
type DayCase<'a> = (&'a str, &'a str, Status, Option<i64>);

fn check_days(credential: &Credential, cases: &[DayCase]) {
    for (what, day, status, late_fee) in cases {
        let label = format!("{} ending {}: {what} ({day})", credential.abbreviation, credential.cycle.end);
        assert_eq!(status_on(credential, d(day)), *status, "{label}");
        if matches!(status, Grace | Lapsed) {
            assert_eq!(
                money_on(credential, &Default::default(), d(day)).late_fee.map(|c| c.0),
                *late_fee,
                "{label}: late fee"
            );
        }
    }
}

/// The cycle after `credential`'s current one, renewed on `renewed_on`.
fn renewed(credential: &Credential, renewed_on: &str) -> Cycle {
    let rules = &credential.rules;
    next_cycle(&rules.cycle, rules.renews_from, credential.cycle, d(renewed_on), credential.earned_on).unwrap()
}

fn cycle(start: &str, end: &str) -> Cycle {
    Cycle { start: d(start), end: d(end) }
}

// NASM-CPT. https://www.nasm.org/recertify/personal-trainer-recertification (every 2 years);
// https://www.scribd.com/document/666597864/Nasm-Cpt-Recertification-Guidelines ($30 late fee up
// to 90 days after the expiry, $50 from day 91; the application "must be received before one year
// after credential expiration", so the anniversary itself is too late).
#[test]
fn nasm_cpt() {
    check_deadlines(
        "nasm-cpt",
        &[
            // The exact-day rule is not confirmed by NASM: every computed date asks to be checked.
            ("first cycle", "2025-03-10", None, "2026-01-01", "2027-03-10", false),
            ("earned on a leap day", "2024-02-29", None, "2025-01-01", "2026-02-28", false),
            ("earned on a month end", "2025-01-31", None, "2025-06-01", "2027-01-31", false),
            // The source's own story: added 40 days after the deadline, the credential is in
            // grace, not "current for two more years".
            ("added 40 days after the deadline", "2024-07-15", None, "2026-08-24", "2026-07-15", false),
            ("added 11 months after the deadline", "2022-09-01", None, "2025-08-01", "2024-09-01", false),
            ("added 13 months after: renewal assumed", "2022-09-01", None, "2025-10-02", "2026-09-01", false),
            ("expiry typed", "2024-07-15", Some("2026-07-31"), "2026-08-24", "2026-07-31", true),
        ],
    );
    let cpt = added("nasm-cpt", "2024-07-15", Some("2026-07-15"), "2026-07-01");
    check_days(
        &cpt,
        &[
            ("deadline", "2026-07-15", DueSoon, None),
            ("first late day", "2026-07-16", Grace, Some(3000)),
            ("day 90: $30 tier", "2026-10-13", Grace, Some(3000)),
            ("day 91: $50 tier", "2026-10-14", Grace, Some(5000)),
            ("the day before one year on: last day", "2027-07-14", Grace, Some(5000)),
            ("one year on: too late", "2027-07-15", Lapsed, None),
        ],
    );
    assert_eq!(renewed(&cpt, "2026-07-01"), cycle("2026-07-16", "2028-07-15"));
    assert_eq!(renewed(&cpt, "2026-09-01"), cycle("2026-07-16", "2028-07-15"), "renewed late: same schedule");
}

// NASM-CSNC. https://www.nasm.org/recertify/certified-sports-nutrition-coach-renewal (1.9 CEUs
// every 2 years, CPR/AED not required, $30/$50 late fees, CEUs completed up to 90 days late).
#[test]
fn nasm_csnc_and_cwc() {
    let csnc = added("nasm-csnc", "2024-03-31", None, "2025-01-01");
    assert_eq!(csnc.cycle.end, d("2026-03-31"));
    assert_eq!(csnc.rules.units_required, Some(Units(190)));
    assert_eq!(csnc.rules.requires_cpr_aed, Some(false));
    check_days(&csnc, &[("day 90", "2026-06-29", Grace, Some(3000)), ("day 91", "2026-06-30", Grace, Some(5000))]);
    // https://www.nasm.org/recertify/certified-wellness-coach-renewal (1.9 CEUs every 2 years).
    // "...if all continuing education courses have been completed before or within 90 days of the
    // certification expiration date"; its $30/$50 late fees are the CSNC page's only.
    let cwc = added("nasm-cwc", "2025-02-28", None, "2025-03-01");
    assert_eq!(cwc.cycle.end, d("2027-02-28"));
    assert_eq!(cwc.rules.units_required, Some(Units(190)));
    assert_eq!(cwc.rules.late_credits_until(cwc.cycle.end), Some(d("2027-05-29")), "Feb 28 + 90 days");
    let late = decide_credit(&cwc, d("2027-05-29"), Hours(1000), &[], None);
    assert!(matches!(late, CreditDecision::Credited { units: Units(100), late_for_cycle_end: Some(_), .. }));
    let too_late = decide_credit(&cwc, d("2027-05-30"), Hours(1000), &[], None);
    assert!(matches!(too_late, CreditDecision::NotCredited { .. }), "day 91");
    assert!(cwc.rules.provenance.is_unverified("late_fees"));
    check_days(
        &cwc,
        &[("the day before one year on", "2028-02-27", Grace, Some(5000)), ("one year on", "2028-02-28", Lapsed, None)],
    );
}

// NSCA. https://www.nsca.com/certification/recertification/ (everyone: 2024-01-01 to 2026-12-31,
// then every 3 years; no grace period is published);
// https://dxpprod.nsca.com/certification/continuing-education/ceu-categories/ (proration).
#[test]
fn nsca_cscs() {
    check_deadlines(
        "nsca-cscs",
        &[
            ("first cycle, earned inside it", "2025-03-14", None, "2026-01-01", "2026-12-31", true),
            ("earned on a leap day", "2024-02-29", None, "2024-03-01", "2026-12-31", true),
            ("earned the day after the deadline", "2027-01-01", None, "2027-01-02", "2029-12-31", true),
            ("earned long ago: renewals assumed", "2015-06-01", None, "2026-11-28", "2026-12-31", false),
            // No grace or late fee known: 90 days. Dec 31 + 90 days is Mar 31.
            ("added 90 days after the deadline", "2015-06-01", None, "2027-03-31", "2026-12-31", false),
            ("added 91 days after the deadline", "2015-06-01", None, "2027-04-01", "2029-12-31", false),
        ],
    );
    let cscs = added("nsca-cscs", "2015-06-01", None, "2026-11-28");
    check_days(&cscs, &[("deadline", "2026-12-31", DueSoon, None), ("the day after", "2027-01-01", Lapsed, None)]);
    assert_eq!(renewed(&cscs, "2026-12-15"), cycle("2027-01-01", "2029-12-31"));
    let leap = added("nsca-cscs", "2024-02-29", None, "2024-03-01");
    let requirement = progress(&leap, &CycleTotals::default(), d("2024-03-01"));
    assert_eq!((requirement.units_required, requirement.prorated), (Some(Units(400)), true), "certified in 2024");
}

// ACSM. https://acsm.org/certification/recertification ($60, $80 late fee in the six-month grace);
// https://www.acsm.org/news-detail/2019/10/15/acsm-certification-late-fee-increase-reinstatement
// (Dec 31 expiry, grace ends June 30); ACSM's 2025 notice as reproduced at
// https://chirutsai.medium.com/重要公告-美國運動醫學會-acsm-認證到期日更新-b271b016d558 (three years
// minus one day after the exam: 2025-05-08 → 2028-05-07).
#[test]
fn acsm() {
    check_deadlines(
        "acsm-cpt",
        &[
            ("ACSM's own example", "2025-05-08", None, "2025-06-01", "2028-05-07", false),
            ("earned before the change: Dec 31", "2024-05-08", None, "2024-06-01", "2027-12-31", false),
            ("month end", "2025-08-31", None, "2025-09-01", "2028-08-30", false),
            ("leap year", "2025-03-01", None, "2025-03-02", "2028-02-29", false),
            ("Dec 31, added in the grace period", "2022-03-01", None, "2026-03-01", "2025-12-31", false),
            // The Dec 31, 2025 renewal is assumed on time, which moves it to the new schedule; the
            // earliest reading is the exam's anniversary less a day: Mar 1, 2028 less a day.
            ("Dec 31, added after the grace period", "2022-03-01", None, "2026-07-01", "2028-02-29", false),
        ],
    );
    let common = added("acsm-cpt", "2023-05-01", Some("2026-12-31"), "2026-01-01");
    check_days(
        &common,
        &[
            ("first day of grace", "2027-01-01", Grace, Some(8000)),
            ("June 30: last day of grace", "2027-06-30", Grace, Some(8000)),
            ("July 1", "2027-07-01", Lapsed, None),
        ],
    );
    // 2028 is a leap year: grace still ends June 30 (six calendar months, not a count of days).
    let leap = added("acsm-cpt", "2024-05-01", Some("2027-12-31"), "2027-01-01");
    check_days(&leap, &[("June 30", "2028-06-30", Grace, Some(8000)), ("July 1", "2028-07-01", Lapsed, None)]);
    assert_eq!(money_on(&leap, &Default::default(), d("2028-06-30")).amount_due, Some(Cents(14000)));
    let new_scheme = added("acsm-cpt", "2025-05-08", None, "2025-06-01");
    check_days(
        &new_scheme,
        &[("six months on", "2028-11-07", Grace, Some(8000)), ("the day after", "2028-11-08", Lapsed, None)],
    );
    // Renewing early adds the time to the next cycle; renewing in grace keeps the schedule.
    assert_eq!(renewed(&new_scheme, "2028-02-10"), cycle("2028-02-11", "2031-05-07"));
    assert_eq!(renewed(&new_scheme, "2028-07-01"), cycle("2028-05-08", "2031-05-07"));
    // ACSM's notice: a Dec 31 certification renewed on time moves to "three years minus one day
    // after passing the exam"; from which day is not said. Exam 2023-05-01, renewed 2026-12-31:
    // from the exam, May 1, 2029 less a day = Apr 30, 2029; from the renewal, Dec 30, 2029. The
    // earlier is taken, and the new deadline asks to be checked (see the service's renewal test).
    assert_eq!(renewed(&common, "2026-12-31"), cycle("2027-01-01", "2029-04-30"), "on time: the new schedule");
    assert_eq!(renewed(&common, "2026-10-15"), cycle("2026-10-16", "2029-04-30"), "early: the new schedule");
    // Renewed in the grace period: "the expiry stays in the year-end format" once more.
    assert_eq!(renewed(&common, "2027-03-01"), cycle("2027-01-01", "2029-12-31"), "late: Dec 31 stays");
    // An exam date Recert only guessed (Jan 1, from a typed expiry) would make the cycle a year
    // short: then the renewal day counts. Renewed Nov 15, 2026: Nov 14, 2029.
    let guessed = added("acsm-cpt", "", Some("2026-12-31"), "2026-01-01");
    assert_eq!(renewed(&guessed, "2026-11-15"), cycle("2026-11-16", "2029-11-14"));
}

// ACE. https://www.acefitness.org/fitness-certifications/recertification/ (every two years);
// https://www.acefitness.org/acefit/fitness-programs-article/2751/ (six-month grace period). The
// month-end expiry is third-party only, so the earlier date, the exact anniversary, is used.
#[test]
fn ace() {
    check_deadlines(
        "ace-cpt",
        &[
            ("first cycle", "2025-08-15", None, "2025-09-01", "2027-08-15", false),
            ("leap day", "2024-02-29", None, "2024-03-01", "2026-02-28", false),
            ("expiry typed", "2024-08-02", Some("2026-08-31"), "2026-01-01", "2026-08-31", true),
        ],
    );
    let typed = added("ace-cpt", "2024-08-02", Some("2026-08-31"), "2026-01-01");
    check_days(
        &typed,
        &[
            ("six months after Aug 31 is Feb 28", "2027-02-28", Grace, None),
            ("the day after", "2027-03-01", Lapsed, None),
        ],
    );
    let leap = added("ace-gfi", "2025-08-02", Some("2027-08-31"), "2026-01-01");
    check_days(&leap, &[("Feb 29 in a leap year", "2028-02-29", Grace, None), ("Mar 1", "2028-03-01", Lapsed, None)]);
    assert_eq!(renewed(&typed, "2026-08-01"), cycle("2026-09-01", "2028-08-31"));
}

// NCSF. https://www.ncsf.org/recertify/how-to (10 CEUs, $85 for one credential, $100 for two or
// more); https://nominate.ncsf.org/recertify/faq (ends on the last day of the month, 2 years on).
#[test]
fn ncsf() {
    check_deadlines(
        "ncsf-cpt",
        &[
            ("first cycle", "2025-03-14", None, "2025-04-01", "2027-03-31", true),
            ("month end of a leap February", "2026-02-10", None, "2026-03-01", "2028-02-29", true),
        ],
    );
    let cpt = added("ncsf-cpt", "2025-03-14", None, "2025-04-01");
    // No grace period was found: lapsed the day after.
    check_days(&cpt, &[("deadline", "2027-03-31", DueSoon, None), ("the day after", "2027-04-01", Lapsed, None)]);
    assert_eq!(renewed(&cpt, "2027-03-01"), cycle("2027-04-01", "2029-03-31"));
}

// CSCCa. https://cscca.clubexpress.com/content.aspx?club_id=408309&module_id=611966&page_id=22
// (45 CEUs, cycles ending July 31: 2025-08-01 to 2028-07-31);
// http://csccamonthly.com/continuing-education-corner-2021/ (prorated by the year certified, no
// amounts published).
#[test]
fn cscca() {
    check_deadlines(
        "cscca-sccc",
        &[
            ("certified late in the cycle", "2028-05-15", None, "2028-05-20", "2028-07-31", true),
            ("certified long ago: renewals assumed", "2019-06-01", None, "2026-11-28", "2028-07-31", false),
            ("added 90 days after Jul 31", "2019-06-01", None, "2025-10-29", "2025-07-31", false),
        ],
    );
    let late = added("cscca-sccc", "2028-05-15", None, "2028-05-20");
    let p = progress(&late, &CycleTotals::default(), d("2028-05-20"));
    assert_eq!((p.units_required, p.prorated), (None, true), "prorated — ask CSCCa, never the full 45");
    let full = added("cscca-sccc", "2019-06-01", None, "2026-11-28");
    assert_eq!(progress(&full, &CycleTotals::default(), d("2026-11-28")).units_required, Some(Units(4500)));
    check_days(&full, &[("deadline", "2028-07-31", DueSoon, None), ("the day after", "2028-08-01", Lapsed, None)]);
    assert_eq!(renewed(&full, "2028-07-01"), cycle("2028-08-01", "2031-07-31"));
}

// AFAA. https://www.afaa.com/recertify ($99 every 2 years; $50 late fee 1–180 days after expiry).
#[test]
fn afaa() {
    check_deadlines("afaa-cgfi", &[("first cycle", "2025-04-10", None, "2025-05-01", "2027-04-10", false)]);
    let afaa = added("afaa-cgfi", "2025-04-10", None, "2025-05-01");
    check_days(&afaa, &[("day 180", "2027-10-07", Grace, Some(5000)), ("day 181", "2027-10-08", Lapsed, None)]);
    assert_eq!(money_on(&afaa, &Default::default(), d("2027-10-07")).amount_due, Some(Cents(9900 + 5000)));
}

// NESTA. http://www.nestacertified.com/recertification/ (late fees $25 for 1–30 days, $50 for
// 31–60, $95 for 61–90; void after 90 days). The page says four years, others two: two is used.
#[test]
fn nesta() {
    check_deadlines(
        "nesta-pft",
        &[("the earlier reading: two years", "2024-06-30", None, "2024-07-01", "2026-06-30", false)],
    );
    let nesta = added("nesta-pft", "2024-06-30", Some("2026-06-30"), "2024-07-01");
    check_days(
        &nesta,
        &[
            ("day 30", "2026-07-30", Grace, Some(2500)),
            ("day 31", "2026-07-31", Grace, Some(5000)),
            ("day 60", "2026-08-29", Grace, Some(5000)),
            ("day 61", "2026-08-30", Grace, Some(9500)),
            ("day 90", "2026-09-28", Grace, Some(9500)),
            ("day 91", "2026-09-29", Lapsed, None),
        ],
    );
}

// CPR/AED cards. https://cpr.heart.org/en/resources/course-card-information (AHA: valid two years
// through the end of the month of issue); Red Cross: two years (third-party only).
#[test]
fn cpr_cards() {
    check_deadlines(
        "cpr-aed-aha",
        &[
            ("issued", "2024-10-05", None, "2025-01-01", "2026-10-31", true),
            ("issued on a leap day", "2024-02-29", None, "2024-03-01", "2026-02-28", true),
            ("an expired card is never assumed renewed", "2022-01-10", None, "2026-11-28", "2024-01-31", true),
        ],
    );
    let card = added("cpr-aed-aha", "2024-10-05", None, "2025-01-01");
    assert_eq!(renewed(&card, "2026-09-12"), cycle("2026-09-12", "2028-09-30"), "a new card from the course day");
    check_deadlines(
        "cpr-aed-arc",
        &[("third-party rule: check the card", "2025-09-01", None, "2025-10-01", "2027-09-01", false)],
    );
}

// ISSA. https://www.issaonline.com/continuing-education/requirements.cfm: renew every 2 years; "a
// minimum of 20 CE hours must be acquired within 2 years of certification"; "your CPR/AED
// certification must be valid for at least 30 days beyond the date of submission"; "$0 if all 20
// CEU credits are obtained through ISSA, $99 if CEU credits were earned outside of ISSA"; late fees
// "$40 (3 - 6 months late), $50 (6 - 12 months late)". Nothing is listed for the first 3 months,
// and the 12 months are read as ending the day before the anniversary (the earlier reading).
#[test]
fn issa_cpt() {
    check_deadlines(
        "issa-cpt",
        &[
            ("first cycle (exact day not confirmed)", "2025-01-10", None, "2025-02-01", "2027-01-10", false),
            ("expiry typed", "2025-01-01", Some("2027-01-01"), "2025-06-01", "2027-01-01", true),
        ],
    );
    let issa = added("issa-cpt", "2024-06-30", Some("2026-06-30"), "2026-01-01");
    assert_eq!((issa.rules.units_required, issa.rules.hours_per_unit), (Some(Units(2000)), Some(Hours(100))));
    check_days(
        &issa,
        &[
            ("deadline", "2026-06-30", DueSoon, None),
            ("first late day: no fee listed", "2026-07-01", Grace, Some(0)),
            ("three months on", "2026-09-30", Grace, Some(0)),
            ("3 to 6 months late: $40", "2026-10-01", Grace, Some(4000)),
            ("six months on", "2026-12-30", Grace, Some(4000)),
            ("6 to 12 months late: $50", "2026-12-31", Grace, Some(5000)),
            ("the day before one year on", "2027-06-29", Grace, Some(5000)),
            ("one year on", "2027-06-30", Lapsed, None),
        ],
    );
    // The fee depends on where the credits came from.
    let from = |providers: &[Option<&str>]| CycleTotals {
        providers: providers.iter().map(|p| p.map(str::to_string)).collect(),
        ..Default::default()
    };
    assert_eq!(renewal_fee(&issa, &from(&[])), Some(Cents(9900)), "nothing logged: the fee is not assumed waived");
    assert_eq!(renewal_fee(&issa, &from(&[Some("ISSA"), Some("issa online")])), Some(Cents(0)));
    assert_eq!(
        renewal_fee(&issa, &from(&[Some("International Sports Sciences Association")])),
        Some(Cents(0)),
        "the body's full name"
    );
    assert_eq!(renewal_fee(&issa, &from(&[Some("ISSA"), Some("NASM")])), Some(Cents(9900)));
    assert_eq!(renewal_fee(&issa, &from(&[Some("ISSA"), None])), Some(Cents(9900)), "a course of no provider");
    assert_eq!(renewal_fee(&issa, &from(&[Some("Classic Fitness")])), Some(Cents(9900)), "'issa' inside a word");
    // The card must be valid 30 days past the day the renewal is submitted: one lapsing 20 days
    // after the deadline is a problem now, and says by when to submit instead.
    let card = |expires: &str| Credential { id: 9, ..added("cpr-aed-aha", "2024-06-01", Some(expires), "2026-01-01") };
    let short = card("2026-07-20");
    let problems = prerequisite_problems(&issa, &[&short], d("2026-01-15"), 90);
    assert_eq!(problems.len(), 1);
    assert!(problems[0].message.contains("submit ISSA-CPT by 2026-06-20"), "{}", problems[0].message);
    assert!(!problems[0].urgent, "156 days ahead, beyond the reminder horizon");
    assert!(prerequisite_problems(&issa, &[&short], d("2026-05-01"), 90)[0].urgent);
    let long_enough = card("2026-07-30");
    assert!(prerequisite_problems(&issa, &[&long_enough], d("2026-01-15"), 90).is_empty(), "exactly 30 days");
    let too_late = prerequisite_problems(&issa, &[&short], d("2026-06-25"), 90);
    assert!(too_late[0].message.contains("renew the card before you submit"), "{}", too_late[0].message);
}

// ISSA's page does not name the Strength and Conditioning certification: it stays unknown.
#[test]
fn issa_strength_coach_needs_the_expiry() {
    let form = CredentialForm { preset: Some("issa-sc".into()), earned_on: "2025-01-01".into(), ..Default::default() };
    let error = form.to_credential(Catalog::builtin(), d("2025-06-01")).unwrap_err();
    assert_eq!(error.field(), Some("expires"));
}

// CSCCa. https://cscca.clubexpress.com/content.aspx?club_id=408309&module_id=611966&page_id=22:
// "CPR/AED/First Aid" valid on or after the cycle end. AHA (cpr.heart.org course card
// information): Heartsaver CPR AED and BLS teach no First Aid, Heartsaver First Aid CPR AED does;
// the Red Cross Adult First Aid/CPR/AED does, its Adult CPR/AED does not.
#[test]
fn cscca_needs_first_aid_on_the_card() {
    let sccc = added("cscca-sccc", "2022-09-01", None, "2026-01-01");
    assert_eq!(sccc.cycle.end, d("2028-07-31"));
    let today = d("2026-08-15");
    // Cards issued Aug 1, 2026 run past Jul 31, 2028: only what they cover can be a problem.
    let card = |preset: &str| Credential { id: 9, ..added(preset, "2026-08-01", None, "2026-08-02") };
    for (preset, covers_first_aid) in [
        ("cpr-aed-aha", false),
        ("first-aid-cpr-aed-aha", true),
        ("cpr-aed-arc", false),
        ("first-aid-cpr-aed-arc", true),
    ] {
        let held = card(preset);
        assert!(held.cycle.end >= sccc.cycle.end, "{preset}");
        let problems = prerequisite_problems(&sccc, &[&held], today, 90);
        if covers_first_aid {
            assert!(problems.is_empty(), "{preset}: {problems:?}");
        } else {
            assert_eq!(problems.len(), 1, "{preset}");
            assert!(problems[0].message.contains("covers only CPR and AED"), "{preset}: {}", problems[0].message);
            assert!(problems[0].urgent);
        }
    }
    // A card typed in without saying what it covers: Recert asks.
    let typed = CredentialForm {
        cpr_card: true,
        earned_on: "2025-12-01".into(),
        fields: CredentialText {
            name: Some("Workplace CPR".into()),
            body: Some("Local trainer".into()),
            cycle_years: Some("2".into()),
            ..Default::default()
        },
        ..Default::default()
    };
    let typed = Credential { id: 9, ..typed.to_credential(Catalog::builtin(), today).unwrap() };
    let problems = prerequisite_problems(&sccc, &[&typed], today, 90);
    assert!(problems[0].message.contains("does not know whether yours"), "{}", problems[0].message);
    // Answered "yes" by mistake, then "not sure" again (the window sends null): Recert asks again.
    let answer = |json: &str| serde_json::from_str::<CredentialChanges>(json).unwrap();
    let said_yes = Credential { id: 9, ..answer(r#"{"covers_first_aid": true}"#).apply(&typed, today).unwrap() };
    let first_aid_asked = |card: &Credential| {
        prerequisite_problems(&sccc, &[card], today, 90)
            .iter()
            .any(|p| p.message.contains("does not know whether yours"))
    };
    assert!(!first_aid_asked(&said_yes));
    let not_sure = Credential { id: 9, ..answer(r#"{"covers_first_aid": null}"#).apply(&said_yes, today).unwrap() };
    assert!(first_aid_asked(&not_sure));
    let untouched = answer(r#"{"notes": "renewed in class"}"#).apply(&said_yes, today).unwrap();
    assert_eq!(untouched.rules.covers, said_yes.rules.covers, "left out: unchanged");
    // NSCA asks for CPR/AED only: the same AHA card does.
    let cscs = added("nsca-cscs", "2020-01-01", Some("2026-12-31"), "2026-01-01");
    let aha = Credential { id: 9, ..added("cpr-aed-aha", "2025-12-01", None, "2026-01-01") };
    assert!(prerequisite_problems(&cscs, &[&aha], today, 90).is_empty());
}

// NCSF. https://www.ncsf.org/recertify/how-to: "CPR (required) 2 CEUs": a CPR course is credited
// 2 CEU whatever its length (1 CEU = 2 hours for the rest).
#[test]
fn ncsf_credits_a_cpr_course_as_two_ceu() {
    let ncsf = added("ncsf-cpt", "2025-03-14", None, "2025-04-01");
    let cpr = |hours: i64| decide_credit(&ncsf, d("2025-06-01"), Hours(hours), &["CPR".into()], None);
    for hours in [100, 300, 450] {
        assert!(
            matches!(cpr(hours), CreditDecision::Credited { units: Units(200), .. }),
            "{hours} hundredths of an hour: {:?}",
            cpr(hours)
        );
    }
    let general = decide_credit(&ncsf, d("2025-06-01"), Hours(300), &[], None);
    assert!(matches!(general, CreditDecision::Credited { units: Units(150), .. }), "3 h of anything else: 1.5");
}

// NSCA. https://www.nsca.com/recertifyfaqs: those who used the late-reporting period of 2021–23
// count 2024–26 CEUs from Feb 1, 2024. Its rules are published for 2024–26 only.
#[test]
fn nsca_late_reporters_and_rules_past_their_cycle() {
    let form = |late_reporting: bool| CredentialForm {
        preset: Some("nsca-cscs".into()),
        earned_on: "2015-06-01".into(),
        late_reporting,
        fields: CredentialText { expires: Some("2026-12-31".into()), ..Default::default() },
        ..Default::default()
    };
    let usual = form(false).to_credential(Catalog::builtin(), d("2026-01-10")).unwrap();
    assert_eq!(usual.cycle, cycle("2024-01-01", "2026-12-31"));
    let late = form(true).to_credential(Catalog::builtin(), d("2026-01-10")).unwrap();
    assert_eq!(late.cycle, cycle("2024-02-01", "2026-12-31"));
    // Answered again "no": the usual first day.
    let changes = crate::credential::CredentialChanges { late_reporting: Some(false), ..Default::default() };
    assert_eq!(changes.apply(&late, d("2026-01-10")).unwrap().cycle, cycle("2024-01-01", "2026-12-31"));
    let again = crate::credential::CredentialChanges { late_reporting: Some(true), ..Default::default() };
    assert_eq!(again.apply(&usual, d("2026-01-10")).unwrap().cycle, cycle("2024-02-01", "2026-12-31"));
    // The same expiry typed again (as the window sends it, MM/DD/YYYY) keeps the Feb 1 start.
    let typed = crate::credential::CredentialChanges {
        fields: CredentialText { expires: Some("12/31/2026".into()), ..Default::default() },
        ..Default::default()
    };
    assert_eq!(typed.apply(&late, d("2026-01-10")).unwrap().cycle, cycle("2024-02-01", "2026-12-31"));
    assert_eq!(typed.apply(&usual, d("2026-01-10")).unwrap().cycle, cycle("2024-01-01", "2026-12-31"));
    // A first day and the late-reporting answer each set the start: both at once is refused.
    let both = crate::credential::CredentialChanges {
        cycle_start: Some("2024-03-01".into()),
        late_reporting: Some(true),
        ..Default::default()
    };
    assert_eq!(both.apply(&usual, d("2026-01-10")).unwrap_err().field(), Some("late-reporting"));
    assert!(matches!(decide_credit(&late, d("2024-01-20"), Hours(600), &[], None), CreditDecision::NotCredited { .. }));
    assert!(matches!(decide_credit(&usual, d("2024-01-20"), Hours(600), &[], None), CreditDecision::Credited { .. }));
    // The 2.0 per event rests on the 2018–20 document.
    assert!(usual.rules.provenance.is_unverified("per_event_max"));
    // 2024–26: the rules are NSCA's own. Renewed into 2027–29: computed with them, said so.
    assert_eq!(rules_outdated(&usual), None);
    let mut next = usual.clone();
    next.cycle = renewed(&usual, "2026-12-15");
    assert_eq!(next.cycle, cycle("2027-01-01", "2029-12-31"));
    let note = rules_outdated(&next).expect("a cycle past the rules");
    assert!(note.starts_with("NSCA's rules for 2027–29 are not in Recert yet"), "{note}");
    assert!(note.contains("nsca.com"), "{note}");
    // The question concerns 2024–26 only: past it, it is not asked, and a "yes" is refused (it
    // changed nothing, silently).
    let view = |credential: &Credential| crate::view::CredentialView::from(credential).late_reporting_question;
    assert!(view(&usual).is_some());
    assert_eq!(view(&next), None);
    let refused = again.apply(&next, d("2027-02-01")).unwrap_err();
    assert_eq!(refused.field(), Some("late-reporting"));
    assert!(refused.to_string().contains("2026-12-31"), "{refused}");
    assert_eq!(changes.apply(&next, d("2027-02-01")).unwrap().cycle, next.cycle, "a \"no\" changes nothing");
    // A late reporter renewed, typing the new expiry: the next cycle starts as usual, unasked.
    let renewed_late = CredentialChanges {
        fields: CredentialText { expires: Some("2029-12-31".into()), ..Default::default() },
        ..Default::default()
    };
    assert_eq!(renewed_late.apply(&late, d("2027-02-01")).unwrap().cycle, cycle("2027-01-01", "2029-12-31"));
    let earned_2027 =
        CredentialForm { earned_on: "2027-03-01".into(), fields: CredentialText::default(), ..form(true) };
    let error = earned_2027.to_credential(Catalog::builtin(), d("2027-04-01")).unwrap_err();
    assert_eq!(error.field(), Some("late-reporting"));
}
