//! When the solver fails, stops at its time limit or answers what the crediting rules refuse:
//! the plan shown is the best found otherwise, said so, and still checked by Recert's rules.

use super::*;
use crate::view::PlanView;

const LIMIT: Duration = Duration::from_millis(500);

/// CSCS 1.0 CEU short. The quick plan takes 0.9 for $10 then 0.1 for $3 ($13); the best is one
/// course of 1.0 for $12. The $1 seminar falls after the deadline and counts for nothing.
fn courses() -> [PlannedCourse; 5] {
    [
        course(10, "Nine hours", "2026-09-01", 9, 10, &[], &[]),
        course(11, "One hour", "2026-09-01", 1, 3, &[], &[]),
        course(12, "Ten hours", "2026-09-01", 10, 12, &[], &[]),
        course(13, "Ten dear hours", "2026-09-01", 10, 40, &[], &[]),
        course(14, "January seminar", "2027-01-15", 10, 1, &[], &[]),
    ]
}

fn short() -> HashMap<i64, CycleTotals> {
    totals(&[(1, Some("A"), 400), (1, Some("C"), 100)])
}

fn plan_with(solve: Solver<'_>) -> Plan {
    make_plan(&[cscs()], &short(), &courses(), &PlanRequest::default(), d(TODAY), Solving { time_limit: LIMIT, solve })
}

/// The answer a solver would give choosing these course ids.
fn answer(ids: &[i64], missing: i64, optimal: bool) -> Answer {
    Answer { chosen: courses().iter().map(|c| ids.contains(&c.id)).collect(), missing, optimal }
}

fn said(plan: &Plan, words: &str) -> bool {
    plan.notes.iter().any(|n| n.contains(words))
}

#[test]
fn the_real_solver_finds_the_best_plan_the_quick_one_misses() {
    let plan = plan_with(&solver::solve);
    assert_eq!((ids(&plan), plan.method), (vec![12], Method::Exact), "{plan:#?}");
    assert!(plan.notes.is_empty(), "{:?}", plan.notes);
}

#[test]
fn a_solver_that_fails_leaves_the_quick_plan_said_so_and_checked() {
    let plan = plan_with(&|_, _, _| Err("the test's solver gave up".into()));
    assert_eq!(plan.method, Method::Fallback);
    assert_eq!(ids(&plan), [10, 11], "the quick plan: {plan:#?}");
    assert_eq!(plan.total_cost, Cents::from_dollars(13));
    assert!(
        said(&plan, "the solver could not finish (the test's solver gave up): this is the best plan found so far"),
        "{:?}",
        plan.notes
    );
    // Checked by the crediting rules: the seminar after the deadline brings nothing, and the
    // two courses close CSCS by progress's own count.
    let cscs_plan = of(&plan, 1);
    assert!(cscs_plan.covered && cscs_plan.shortfall_after == Some(Units::ZERO), "{cscs_plan:?}");
    assert_eq!(cscs_plan.sentence, "CSCS complete by Sep 1, 2026");
    assert_eq!(cscs_plan.contributions.iter().map(|c| c.units.0).sum::<i64>(), 100);
    assert!(!PlanView::from(&plan).exact);
}

#[test]
fn an_answer_the_crediting_rules_refuse_is_replaced_by_the_quick_plan_said_so() {
    // The solver claims the seminar after the deadline closes the gap: Recert's rules say no.
    let plan = plan_with(&|_, _, _| Ok(answer(&[14], 0, true)));
    assert_eq!((ids(&plan), plan.method), (vec![10, 11], Method::Fallback), "{plan:#?}");
    assert!(said(&plan, "did not check out against Recert's crediting rules"), "{:?}", plan.notes);
    assert!(of(&plan, 1).covered);
    // An answer of the wrong size is refused the same way, not a panic.
    let plan = plan_with(&|_, _, _| Ok(Answer { chosen: vec![true], missing: 0, optimal: true }));
    assert_eq!((ids(&plan), plan.method), (vec![10, 11], Method::Fallback), "{plan:#?}");
}

#[test]
fn a_time_limit_shows_the_best_plan_so_far_said_so() {
    // Stopped with a plan better than the quick one: that plan, said so.
    let asked = std::cell::Cell::new(None);
    let plan = plan_with(&|_, limit, _| {
        asked.set(Some(limit));
        Ok(answer(&[12], 0, false))
    });
    assert_eq!(asked.get(), Some(LIMIT), "the solver gets the time limit");
    assert_eq!((ids(&plan), plan.method), (vec![12], Method::TimeLimit), "{plan:#?}");
    assert!(
        said(&plan, "planning stopped at its time limit (0.5 s): this is the best plan found so far"),
        "{:?}",
        plan.notes
    );
    assert!(of(&plan, 1).covered);
    assert!(!PlanView::from(&plan).exact);
}

#[test]
fn a_time_limit_with_a_worse_plan_than_the_quick_one_shows_the_quick_one_as_best_so_far() {
    // The solver had only the $40 course when its time ran out: the $13 quick plan is better,
    // and it is no sign of a wrong answer, only of time running out.
    let plan = plan_with(&|_, _, _| Ok(answer(&[13], 0, false)));
    assert_eq!((ids(&plan), plan.method), (vec![10, 11], Method::TimeLimit), "{plan:#?}");
    assert!(said(&plan, "planning stopped at its time limit"), "{:?}", plan.notes);
    assert!(!said(&plan, "did not check out"), "{:?}", plan.notes);
}

#[test]
fn the_solver_is_given_the_quick_plan_as_its_first_incumbent() {
    let hint = std::cell::RefCell::new(None);
    plan_with(&|instance, limit, seed| {
        *hint.borrow_mut() = seed.map(<[bool]>::to_vec);
        solver::solve(instance, limit, seed)
    });
    assert_eq!(hint.into_inner(), Some(vec![true, true, false, false, false]));
}
