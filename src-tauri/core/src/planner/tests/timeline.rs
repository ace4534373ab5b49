//! Planned courses as the timeline shows them: planned, not earned; on their day or over the
//! days they may be taken, on the rows of the credentials they would count toward.

use super::*;

fn before(id: i64, title: &str, last_day: &str, hours: i64, bodies: &[&str]) -> PlannedCourse {
    PlannedCourse { any_time_before: true, ..course(id, title, last_day, hours, 50, &[], bodies) }
}

fn credit(on: &PlannedOnTimeline, credential_id: i64) -> Option<&PlannedCredit> {
    on.counts_for.iter().find(|c| c.credential_id == credential_id)
}

#[test]
fn a_course_on_a_day_is_shown_on_that_day_for_each_credential_it_counts_toward() {
    let courses = [course(10, "Both bodies", "2026-09-01", 10, 150, &[], &["NSCA", "NASM"])];
    let shown = on_timeline(&[cscs(), nasm()], &courses, d(TODAY));
    let [both] = shown.as_slice() else { panic!("{shown:#?}") };
    assert_eq!((both.from, both.passed), (None, false));
    for id in [1, 2] {
        let c = credit(both, id).unwrap();
        assert_eq!((c.units, c.pending, c.by), (Units(100), false, d("2026-09-01")), "{c:?}");
    }
}

#[test]
fn a_course_any_time_before_a_day_spans_from_today_to_the_last_day_it_counts() {
    // CSCS's deadline (Dec 31, 2026) comes before the last day; NASM's does not.
    let courses = [before(11, "Self-paced", "2027-02-01", 10, &[])];
    let shown = on_timeline(&[cscs(), nasm()], &courses, d(TODAY));
    let self_paced = &shown[0];
    assert_eq!(self_paced.from, Some(d(TODAY)));
    let cscs_credit = credit(self_paced, 1).unwrap();
    assert_eq!((cscs_credit.by, cscs_credit.pending), (cscs().cycle.end, false));
    assert!(cscs().cycle.end < d("2027-02-01"));
    // NASM counts a course it did not approve only once it accepts it: shown, as pending.
    let nasm_credit = credit(self_paced, 2).unwrap();
    assert_eq!((nasm_credit.by, nasm_credit.pending), (nasm().cycle.end.min(d("2027-02-01")), true));
}

#[test]
fn a_course_after_every_deadline_or_for_no_body_held_counts_toward_none() {
    let courses = [
        course(12, "January seminar", "2027-01-15", 10, 10, &[], &["NSCA"]),
        course(13, "ACE only", "2026-09-01", 10, 10, &[], &["ACE"]),
    ];
    let shown = on_timeline(&[cscs(), nasm()], &courses, d(TODAY));
    assert!(shown.iter().all(|c| c.counts_for.is_empty()), "{shown:#?}");
    assert_eq!(shown.len(), 2, "still shown: a course counting toward none is still planned");
}

#[test]
fn a_day_gone_by_is_marked_passed() {
    let courses =
        [course(14, "Last month", "2026-05-01", 10, 10, &[], &[]), before(15, "Lapsed window", "2026-05-20", 2, &[])];
    let shown = on_timeline(&[cscs()], &courses, d(TODAY));
    assert!(shown.iter().all(|c| c.passed), "{shown:#?}");
    assert_eq!(shown[1].from, None, "no span left to show");
}
