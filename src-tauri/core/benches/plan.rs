//! The planner: 60 planned courses for 8 credentials with categories, minimums, caps and
//! approvals. Target: a median of at most 100 ms, never more than 2 s (past its time limit the
//! planner shows the best plan so far, said so). Prints the figures; run with
//! `cargo bench -p recert-core --bench plan` (or `make bench`).

use std::collections::HashMap;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use recert_core::amount::{Cents, Hours, Units};
use recert_core::catalog::Catalog;
use recert_core::credential::{Credential, CredentialForm};
use recert_core::planner::{make_plan, Method, Objective, PlanRequest, PlannedApproval, PlannedCourse, Solving};
use recert_core::progress::CycleTotals;

const COURSES: usize = 60;
const INSTANCES: u64 = 12;
const RUNS: usize = 5;

const PRESETS: [(&str, &str); 8] = [
    ("nsca-cscs", "2019-01-01"),
    ("nasm-cpt", "2025-03-01"),
    ("ace-cpt", "2025-04-10"),
    ("ncsf-cpt", "2025-03-14"),
    ("acsm-cpt", "2025-05-01"),
    ("issa-cpt", "2025-02-01"),
    ("afaa-cgfi", "2025-06-01"),
    ("cscca-sccc", "2019-01-01"),
];
const TAGS: [&str; 12] =
    ["A", "B", "C", "D", "cpr", "ethics", "general", "college", "service", "industry", "events", "quiz"];
const BODIES: [&str; 8] = ["NSCA", "NASM", "ACE", "NCSF", "ACSM", "ISSA", "AFAA", "CSCCa"];

struct Rng(u64);
impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

fn instance(seed: u64, today: NaiveDate) -> (Vec<Credential>, HashMap<i64, CycleTotals>, Vec<PlannedCourse>) {
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let credentials: Vec<Credential> = PRESETS
        .iter()
        .enumerate()
        .map(|(i, (preset, earned))| {
            let form = CredentialForm {
                preset: Some(preset.to_string()),
                earned_on: earned.to_string(),
                ..Default::default()
            };
            Credential { id: i as i64 + 1, ..form.to_credential(Catalog::builtin(), today).unwrap() }
        })
        .collect();
    let mut totals: HashMap<i64, CycleTotals> = HashMap::new();
    for credential in &credentials {
        // Some of each category earned already.
        let entry = totals.entry(credential.id).or_default();
        for category in &credential.rules.categories {
            if rng.below(2) == 0 {
                entry.by_category.push((Some(category.key.clone()), Units(rng.below(150) as i64)));
            }
        }
    }
    let courses = (0..COURSES)
        .map(|i| {
            let mut categories = Vec::new();
            for _ in 0..rng.below(3) {
                categories.push(TAGS[rng.below(TAGS.len() as u64) as usize].to_string());
            }
            let approvals = BODIES
                .iter()
                .filter(|_| rng.below(3) == 0)
                .map(|body| PlannedApproval { body: body.to_string(), number: None, units: None })
                .collect();
            PlannedCourse {
                id: i as i64 + 1,
                title: format!("Course {i}"),
                provider: None,
                planned_on: today + chrono::Days::new(7 + rng.below(540)),
                any_time_before: rng.below(3) == 0,
                hours: Hours(100 * (1 + rng.below(16) as i64)),
                cost: Cents(100 * rng.below(400) as i64),
                categories,
                approvals,
            }
        })
        .collect();
    (credentials, totals, courses)
}

fn main() {
    let today = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
    let requests = [
        ("lowest cost", PlanRequest::default()),
        ("fewest hours", PlanRequest { objective: Objective::Hours, ..Default::default() }),
        (
            "lowest cost, $600 and 4 h/week",
            PlanRequest { budget: Some(Cents(60_000)), hours_per_week: Some(Hours(400)), ..Default::default() },
        ),
    ];
    println!(
        "Plan: {COURSES} planned courses, {} credentials, {INSTANCES} random instances × {RUNS} runs each",
        PRESETS.len()
    );
    for (name, request) in requests {
        let mut times: Vec<Duration> = Vec::new();
        let mut methods: HashMap<&str, usize> = HashMap::new();
        let mut chosen = 0;
        for seed in 0..INSTANCES {
            let (credentials, totals, courses) = instance(seed, today);
            for _ in 0..RUNS {
                let started = Instant::now();
                let plan = make_plan(&credentials, &totals, &courses, &request, today, Solving::default());
                times.push(started.elapsed());
                *methods
                    .entry(match plan.method {
                        Method::Exact => "exact",
                        Method::TimeLimit => "time limit",
                        Method::Fallback => "fallback",
                        Method::Nothing => "nothing to do",
                    })
                    .or_default() += 1;
                chosen += plan.chosen.len();
            }
        }
        times.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        let mut methods: Vec<_> = methods.into_iter().collect();
        methods.sort();
        println!(
            "  {name:<32} median {:>7.1} ms   p90 {:>7.1} ms   max {:>7.1} ms   (target: median ≤ 100 ms, max ≤ 2000 ms)   {:.1} courses chosen on average; {methods:?}",
            ms(times[times.len() / 2]),
            ms(times[times.len() * 9 / 10]),
            ms(*times.last().unwrap()),
            chosen as f64 / times.len() as f64,
        );
    }
}
