//! The planner's 0-1 program, solved exactly by `good_lp` over the pure-Rust `microlp` backend.
//! Only this module knows the solver: it takes an [`Instance`] of plain integers (hundredths,
//! cents) and answers which courses to take. The caller checks the answer with Recert's own
//! crediting rules before showing it.

use std::time::{Duration, Instant};

use good_lp::{
    constraint, microlp, Expression, ProblemVariables, ResolutionError, Solution, SolutionStatus, SolverModel,
    Variable, WithInitialSolution, WithMipGap, WithTimeLimit,
};

/// One planning problem, in integers: every figure is in hundredths (units, hours) or cents.
#[derive(Debug, Clone, Default)]
pub struct Instance {
    /// What each course costs in the objective (cents, or hundredths of an hour).
    pub objective: Vec<i64>,
    /// Breaks ties between plans of equal objective (hours when the objective is cost, and the
    /// reverse): minimized second, among the plans of the least objective.
    pub tie_break: Vec<i64>,
    /// Limits of the form "the courses listed take at most this much" (budget: cents; pace:
    /// hours due by a date, against the hours the pace allows by then).
    pub limits: Vec<Limit>,
    /// Each credential still short, with what each course would bring it.
    pub needs: Vec<Need>,
}

#[derive(Debug, Clone, Default)]
pub struct Limit {
    /// (course, amount) pairs whose sum must stay within `at_most`.
    pub terms: Vec<(usize, i64)>,
    pub at_most: i64,
}

/// A credential's requirement: units in total, and per bucket (a category, or the credits in
/// none) what is already earned, its minimum and maximum, and what each course would add.
#[derive(Debug, Clone, Default)]
pub struct Need {
    pub required: i64,
    pub buckets: Vec<Bucket>,
    /// Buckets with credit needed (NSCA: 2); 0 when the rules say nothing.
    pub min_buckets_used: u32,
}

#[derive(Debug, Clone, Default)]
pub struct Bucket {
    pub existing: i64,
    pub min: i64,
    pub max: Option<i64>,
    pub gains: Vec<(usize, i64)>,
}

/// Units missing weigh their hundredths; a category missing (of a minimum number) weighs 1.00.
pub const CATEGORY_WEIGHT: i64 = 100;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub chosen: Vec<bool>,
    /// Units still missing (hundredths, plus `CATEGORY_WEIGHT` per category) as the solver sees it.
    pub missing: i64,
    /// Proven optimal; `false` when the time limit stopped the search at the best plan so far.
    pub optimal: bool,
}

#[derive(Debug, Clone, Copy)]
enum Mode<'a> {
    /// Every requirement met: no slack.
    Close,
    /// Close as much as can be closed.
    LeastMissing,
    /// At most this much missing in all, for the least objective.
    MissingAtMost(i64),
    /// At most this much missing for each need (in order), for the least objective.
    EachAtMost(&'a [i64]),
}

/// What `need` still misses with the `chosen` courses, as the program counts it: units short of
/// the total or of the category minimums, and `CATEGORY_WEIGHT` per category lacking.
pub fn need_missing(need: &Need, chosen: &[bool]) -> i64 {
    let mut total = 0;
    let mut deficit = 0;
    let mut used = 0;
    for bucket in &need.buckets {
        let credited = bucket.existing + bucket.gains.iter().filter(|(i, _)| chosen[*i]).map(|(_, g)| g).sum::<i64>();
        let earned = bucket.max.map_or(credited, |max| credited.min(max));
        total += earned;
        deficit += (bucket.min - earned).max(0);
        used += u32::from(earned > 0);
    }
    (need.required - total).max(0).max(deficit)
        + i64::from(need.min_buckets_used.saturating_sub(used)) * CATEGORY_WEIGHT
}

/// Solves `instance` within `time_limit`: first with every gap closed; if that is impossible,
/// the least missing first, then the least objective for that.
pub fn solve(instance: &Instance, time_limit: Duration, hint: Option<&[bool]>) -> Result<Answer, String> {
    let started = Instant::now();
    let left = || time_limit.saturating_sub(started.elapsed()).max(Duration::from_millis(1));
    match run(instance, Mode::Close, left(), hint) {
        Ok((chosen, _, optimal)) => return Ok(Answer { chosen, missing: 0, optimal }),
        Err(ResolutionError::Infeasible) => {}
        Err(error) => return Err(error.to_string()),
    }
    if instance.limits.is_empty() {
        // Without limits, taking every course leaves each need its least missing (more courses
        // never credit less), so each need is held to that: the same plans as a bound on the sum,
        // and a far tighter program.
        let every = vec![true; instance.objective.len()];
        let least: Vec<i64> = instance.needs.iter().map(|need| need_missing(need, &every)).collect();
        let (chosen, missing, optimal) =
            run(instance, Mode::EachAtMost(&least), left(), hint).map_err(|e| e.to_string())?;
        return Ok(Answer { chosen, missing, optimal });
    }
    let (_, least, first_optimal) = run(instance, Mode::LeastMissing, left(), hint).map_err(|e| e.to_string())?;
    let (chosen, missing, optimal) =
        run(instance, Mode::MissingAtMost(least), left(), hint).map_err(|e| e.to_string())?;
    Ok(Answer { chosen, missing, optimal: optimal && first_optimal })
}

fn sum(terms: impl IntoIterator<Item = (Variable, f64)>) -> Expression {
    let mut expression = Expression::from(0.0);
    for (variable, coefficient) in terms {
        expression.add_mul(coefficient, variable);
    }
    expression
}

/// What one model minimizes.
#[derive(Debug, Clone, Copy)]
enum Goal {
    /// The units missing (the mode's own objective for `LeastMissing`).
    Missing,
    /// The objective alone (cents or hundredths of an hour).
    Objective,
    /// The tie-break, among the plans whose objective is at most this.
    TieBreak(i64),
}

/// Solves the mode's model: the least objective first, then among the plans of that objective
/// the least tie-break, each a program of whole numbers (see [`run_for`]). Proven optimal when
/// the objective is; a tie-break cut short by the time limit keeps the best found so far, which
/// is never worse than the first answer (given as its first incumbent).
fn run(
    instance: &Instance,
    mode: Mode,
    time_limit: Duration,
    hint: Option<&[bool]>,
) -> Result<(Vec<bool>, i64, bool), ResolutionError> {
    if let Mode::LeastMissing = mode {
        return run_for(instance, mode, Goal::Missing, time_limit, hint);
    }
    let started = Instant::now();
    let first = run_for(instance, mode, Goal::Objective, time_limit, hint)?;
    let (chosen, _, optimal) = &first;
    if !optimal || instance.tie_break.iter().all(|&t| t == 0) {
        return Ok(first);
    }
    let least: i64 = instance.objective.iter().zip(chosen).filter(|(_, &on)| on).map(|(o, _)| o).sum();
    let left = time_limit.saturating_sub(started.elapsed()).max(Duration::from_millis(1));
    match run_for(instance, mode, Goal::TieBreak(least), left, Some(chosen)) {
        // The objective is proven least either way; only the tie-break may be short of its best.
        Ok((chosen, missing, _)) => Ok((chosen, missing, true)),
        Err(_) => Ok(first),
    }
}

/// Builds and solves one model: (chosen courses, missing, optimal).
fn run_for(
    instance: &Instance,
    mode: Mode,
    goal: Goal,
    time_limit: Duration,
    hint: Option<&[bool]>,
) -> Result<(Vec<bool>, i64, bool), ResolutionError> {
    let mut vars = ProblemVariables::new();
    let x: Vec<Variable> = instance.objective.iter().map(|_| vars.add(good_lp::variable().binary())).collect();
    let mut constraints = Vec::new();
    let mut missing_terms: Vec<(Variable, f64)> = Vec::new();
    for (n, need) in instance.needs.iter().enumerate() {
        let mut counted = Vec::new();
        let mut used = Vec::new();
        let mut deficits = Vec::new();
        for bucket in &need.buckets {
            // Units that count in this bucket: no more than credited, no more than its maximum.
            let cap = bucket.max.map_or(need.required.max(bucket.min), |max| max.min(need.required.max(bucket.min)));
            let y = vars.add(good_lp::variable().min(0).max(cap.max(0) as f64));
            let gained = sum(bucket.gains.iter().map(|&(i, g)| (x[i], g.min(cap.max(0)) as f64)));
            constraints.push(constraint::leq(Expression::from(y), gained + bucket.existing as f64));
            counted.push(y);
            if bucket.min > 0 {
                match mode {
                    Mode::Close => constraints.push(constraint::geq(Expression::from(y), bucket.min as f64)),
                    _ => {
                        let d = vars.add(good_lp::variable().min(0));
                        constraints.push(constraint::geq(Expression::from(d) + y, bucket.min as f64));
                        deficits.push(d);
                    }
                }
            }
            if need.min_buckets_used > 0 {
                let z = vars.add(good_lp::variable().binary());
                // Used only when something counts there: credited > 0 and a maximum above 0.
                if bucket.max == Some(0) {
                    constraints.push(constraint::leq(Expression::from(z), 0.0));
                } else if bucket.existing <= 0 {
                    let any = sum(bucket.gains.iter().map(|&(i, g)| (x[i], g.clamp(0, 1) as f64)));
                    constraints.push(constraint::leq(Expression::from(z), any));
                }
                used.push(z);
            }
        }
        let total = sum(counted.iter().map(|&y| (y, 1.0)));
        let used_sum = sum(used.iter().map(|&z| (z, 1.0)));
        match mode {
            Mode::Close => {
                constraints.push(constraint::geq(total, need.required as f64));
                if need.min_buckets_used > 0 {
                    constraints.push(constraint::geq(used_sum, f64::from(need.min_buckets_used)));
                }
            }
            _ => {
                let short = vars.add(good_lp::variable().min(0));
                constraints.push(constraint::geq(total + short, need.required as f64));
                constraints.push(constraint::geq(Expression::from(short), sum(deficits.iter().map(|&d| (d, 1.0)))));
                missing_terms.push((short, 1.0));
                let mut own = Expression::from(short);
                if need.min_buckets_used > 0 {
                    let lacking = vars.add(good_lp::variable().min(0));
                    constraints.push(constraint::geq(used_sum + lacking, f64::from(need.min_buckets_used)));
                    missing_terms.push((lacking, CATEGORY_WEIGHT as f64));
                    own.add_mul(CATEGORY_WEIGHT as f64, lacking);
                }
                if let Mode::EachAtMost(most) = mode {
                    // Hundredths are whole: half a hundredth of room absorbs the solver's rounding.
                    constraints.push(constraint::leq(own, most[n] as f64 + 0.5));
                }
            }
        }
    }
    for limit in &instance.limits {
        let spent = sum(limit.terms.iter().map(|&(i, amount)| (x[i], amount as f64)));
        constraints.push(constraint::leq(spent, limit.at_most as f64));
    }
    let missing_expression = sum(missing_terms.iter().copied());
    let weighted = |weights: &[i64]| sum(x.iter().zip(weights).map(|(&v, &w)| (v, w as f64)));
    // The objective or tie-break alone is a sum of whole numbers, all multiples of their greatest
    // common divisor (100 when every course is whole hours or dollars): two plans differ by that
    // step at least, so the search may stop once its bound is within 0.99 of a step of its best
    // plan (a relative gap of 0.99 step over the largest possible sum), which proves that plan
    // the least. Before, the tie-break was folded into the objective as fractions, and the search
    // had to tell plans apart by those fractions.
    let (objective, whole) = match (mode, goal) {
        (Mode::LeastMissing, _) | (_, Goal::Missing) => (missing_expression.clone(), None),
        (_, Goal::Objective) => (weighted(&instance.objective), Some(&instance.objective)),
        (_, Goal::TieBreak(least)) => {
            constraints.push(constraint::leq(weighted(&instance.objective), least as f64 + 0.5));
            (weighted(&instance.tie_break), Some(&instance.tie_break))
        }
    };
    if let Mode::MissingAtMost(most) = mode {
        // Hundredths are whole: half a hundredth of room absorbs the solver's rounding.
        constraints.push(constraint::leq(missing_expression.clone(), most as f64 + 0.5));
    }
    let mut model = vars.minimise(objective).using(microlp).with_time_limit(time_limit.as_secs_f64());
    let largest = whole.map(|weights| weights.iter().map(|w| w.max(&0)).sum::<i64>().max(1));
    if let (Some(weights), Some(largest)) = (whole, largest) {
        let step = weights.iter().filter(|&&w| w > 0).fold(0, |g, &w| gcd(g, w)).max(1);
        let gap = 0.99 * step as f64 / largest as f64;
        model = model.with_mip_gap(gap as f32).map_err(|e| ResolutionError::Str(e.to_string()))?;
    }
    for c in constraints {
        model.add_constraint(c);
    }
    if let Some(hint) = hint {
        // A plan found beforehand, as a first incumbent (advisory: microlp ignores a bad one).
        model = model.with_initial_solution(x.iter().zip(hint).map(|(&v, &on)| (v, if on { 1.0 } else { 0.0 })));
    }
    let solution = model.solve()?;
    let chosen: Vec<bool> = x.iter().map(|&v| solution.value(v) > 0.5).collect();
    let missing = missing_terms.iter().map(|&(v, w)| solution.value(v) * w).sum::<f64>().round() as i64;
    let proven = match solution.status() {
        SolutionStatus::Optimal => true,
        // The gap set above proves the least whole-number sum.
        SolutionStatus::GapLimit => largest.is_some(),
        _ => false,
    };
    Ok((chosen, missing, proven))
}

fn gcd(a: i64, b: i64) -> i64 {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}
