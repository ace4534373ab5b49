//! Status of 50 credentials over a ledger of 20,000 activities: the figure the dashboard and the
//! reminder check depend on. Target: median ≤ 5 ms; reminder planning ≤ 1 ms. Also what the
//! `quick_check` made on every open costs on that database, and a whole open for reading.
//! Run with `cargo bench -p recert-core` (or `make bench`).

use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, Utc};
use recert_core::activity::{decide_credit, Credit, CreditDecision, ValidActivity};
use recert_core::amount::{Cents, Hours};
use recert_core::catalog::Catalog;
use recert_core::credential::CredentialForm;
use recert_core::reminders::{due_now, LeadTimes};
use recert_core::service::reports;
use recert_core::store::{Access, Read};
use recert_core::Recert;

const CREDENTIALS: usize = 50;
const ACTIVITIES: usize = 20_000;
const RUNS: usize = 200;

fn main() {
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let now: DateTime<Utc> = "2026-11-23T09:00:00Z".parse().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut recert = Recert::open(dir.path(), now).unwrap();

    let presets: Vec<_> = Catalog::builtin().presets().iter().filter(|p| p.cycle.is_some()).collect();
    for i in 0..CREDENTIALS {
        let preset = presets[i % presets.len()];
        let earned = today - chrono::Days::new(200 + (i as u64 * 37) % 2000);
        let form =
            CredentialForm { preset: Some(preset.id.clone()), earned_on: earned.to_string(), ..Default::default() };
        recert.add_credential(&form, now, today).unwrap();
    }
    let credentials = recert.credentials().unwrap();

    // 20,000 activities over ten years; each credited as logging would, to the credentials whose
    // current cycle holds its date.
    let started = Instant::now();
    for i in 0..ACTIVITIES {
        let completed_on = today - chrono::Days::new((i as u64 * 7919) % 3650);
        let tags = vec![["A", "B", "cpr", "ethics", "general"][i % 5].to_string()];
        let activity = ValidActivity {
            title: format!("Course {i}"),
            provider: Some("Provider".into()),
            completed_on,
            hours: Hours(100 + (i as i64 % 8) * 100),
            cost: Cents((i as i64 % 20) * 1000),
            categories: tags.clone(),
            notes: None,
            overrides: vec![],
            approvals: vec![],
        };
        let credits: Vec<Credit> = credentials
            .iter()
            .filter_map(|c| match decide_credit(c, completed_on, activity.hours, &tags, None) {
                CreditDecision::Credited { units, category, overridden, late_for_cycle_end, .. } => Some(Credit {
                    activity_id: 0,
                    credential_id: c.id,
                    completed_on,
                    units,
                    category,
                    overridden,
                    late_for_cycle_end,
                    standing: Default::default(),
                }),
                CreditDecision::Pending { .. } | CreditDecision::NotCredited { .. } => None,
            })
            .collect();
        recert.store_mut().write(|tx| tx.insert_activity(&activity, None, &credits, now)).unwrap();
    }
    println!("filled {CREDENTIALS} credentials and {ACTIVITIES} activities in {:.1?}", started.elapsed());

    let end_to_end = measure(|| {
        let reports = recert.status(today).unwrap();
        assert_eq!(reports.len(), CREDENTIALS);
    });
    report("status, from SQLite (query + rules)", &end_to_end);

    let loaded = recert.credentials().unwrap();
    let totals = recert.store().current_cycle_totals().unwrap();
    let rules_only = measure(|| {
        let mut totals = totals.clone();
        let reports = reports(&loaded, &mut totals, today, 90);
        assert_eq!(reports.len(), CREDENTIALS);
    });
    report("status, rules only (in memory)", &rules_only);

    // Reminder planning for the 50 credentials, from their reports (what the scheduler does each
    // minute after reading status). Target: ≤ 1 ms.
    let reports = recert.status(today).unwrap();
    let lead_times = LeadTimes::default();
    let history = recert.store().reminder_history(now).unwrap();
    let planning = measure(|| {
        let due = due_now(&reports, &lead_times, &history, today);
        std::hint::black_box(due);
    });
    report_against("reminder planning (50 credentials)", &planning, Duration::from_millis(1));

    // Every open checks the whole file with SQLite's quick_check before reading or writing it.
    // Target: ≤ 50 ms, well under the time a person notices, for ten years of a busy ledger.
    let database = recert.database_path();
    let bytes = std::fs::metadata(&database).map(|m| m.len()).unwrap_or(0);
    let wal = std::fs::metadata(dir.path().join("recert.sqlite3-wal")).map(|m| m.len()).unwrap_or(0);
    println!("database file: {:.1} MB (+ {:.1} MB of WAL)", bytes as f64 / 1e6, wal as f64 / 1e6);
    let check = measure(|| assert_eq!(recert.store().quick_check().unwrap(), None));
    report_against("quick_check (whole file)", &check, Duration::from_millis(50));
    let open = measure(|| {
        let (opened, _) = Recert::open_for(dir.path(), now, Access::Read).unwrap();
        std::hint::black_box(opened);
    });
    report_against("open for reading, quick_check included", &open, Duration::from_millis(50));
}

fn measure(mut body: impl FnMut()) -> Vec<Duration> {
    body(); // warm the page cache and the statement cache
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let started = Instant::now();
            body();
            started.elapsed()
        })
        .collect();
    times.sort();
    times
}

fn report(name: &str, sorted: &[Duration]) {
    report_against(name, sorted, Duration::from_millis(5));
}

fn report_against(name: &str, sorted: &[Duration], target: Duration) {
    let median = sorted[sorted.len() / 2];
    let p95 = sorted[sorted.len() * 95 / 100];
    let verdict = if median <= target { "meets" } else { "MISSES" };
    println!("{name}: median {median:.2?}, p95 {p95:.2?}, over {RUNS} runs ({verdict} the {target:?} target)");
}
