//! Processes racing on one data folder, as the window, its scheduler, cron and scripts do: every
//! acknowledged change must be in the ledger, counted where the ledger says.

use std::collections::HashMap;

use serde_json::Value;

use super::{Recert, Run};

/// A credential whose credits are easy to check: 1 CEU per `--hours-per-unit` hours, no caps.
fn simple_credential(recert: &Recert) -> String {
    let added = recert.ok(&[
        "add",
        "--name",
        "C",
        "--body",
        "B",
        "--earned",
        "2025-01-01",
        "--cycle-years",
        "3",
        "--units",
        "100",
        "--unit",
        "CEU",
        "--hours-per-unit",
        "1",
        "--json",
    ]);
    added.json()["id"].as_i64().unwrap().to_string()
}

/// Runs each list of commands in its own thread, the lists at once and each list in order.
fn race(recert: &Recert, lanes: Vec<Vec<Vec<String>>>) -> Vec<(Vec<String>, Run)> {
    std::thread::scope(|scope| {
        let handles: Vec<_> = lanes
            .into_iter()
            .map(|lane| {
                scope.spawn(move || {
                    lane.into_iter()
                        .map(|args| {
                            let borrowed: Vec<&str> = args.iter().map(String::as_str).collect();
                            let run = recert.run(&borrowed);
                            (args, run)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles.into_iter().flat_map(|handle| handle.join().unwrap()).collect()
    })
}

fn args(parts: &[&str]) -> Vec<String> {
    parts.iter().map(|part| part.to_string()).collect()
}

fn log_lane(prefix: &str, count: usize) -> Vec<Vec<String>> {
    (0..count)
        .map(|n| args(&["log", "--title", &format!("{prefix}{n}"), "--date", "2026-05-01", "--hours", "2", "--json"]))
        .collect()
}

/// Credits of each activity for credential 1, by activity title, from the database itself.
fn credits_by_title(recert: &Recert) -> HashMap<String, i64> {
    let conn = rusqlite::Connection::open(recert.data_dir().join("recert.sqlite3")).unwrap();
    let mut statement = conn
        .prepare("SELECT a.title, cr.units FROM activities a JOIN credits cr ON cr.activity_id = a.id AND cr.credential_id = 1")
        .unwrap();
    let rows = statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?))).unwrap();
    rows.collect::<Result<_, _>>().unwrap()
}

/// The running totals must equal the sums over the ledger.
fn assert_totals_match_the_ledger(recert: &Recert) {
    let conn = rusqlite::Connection::open(recert.data_dir().join("recert.sqlite3")).unwrap();
    let differences: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM (
                 SELECT credential_id, category, units FROM cycle_totals
                 EXCEPT
                 SELECT cr.credential_id, COALESCE(cr.category, ''), SUM(cr.units) FROM credentials c
                 JOIN credits cr ON cr.credential_id = c.id
                  AND ((cr.late_for_cycle_end IS NULL AND cr.completed_on BETWEEN c.cycle_start AND c.cycle_end)
                       OR cr.late_for_cycle_end = c.cycle_end)
                 GROUP BY cr.credential_id, COALESCE(cr.category, ''))",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(differences, 0, "running totals differ from the ledger");
}

fn credited_units(logged: &Value) -> Option<i64> {
    let outcome = &logged["outcomes"][0];
    (outcome["credited"] == true).then(|| (outcome["units"].as_f64().unwrap() * 100.0).round() as i64)
}

#[test]
fn edits_racing_logs_keep_every_acknowledged_credit() {
    let recert = Recert::new();
    let id = simple_credential(&recert);
    let edits: Vec<Vec<String>> =
        (0..40).map(|n| args(&["edit", &id, "--hours-per-unit", if n % 2 == 0 { "2" } else { "1" }])).collect();
    let runs = race(&recert, vec![log_lane("a", 40), log_lane("b", 40), edits]);
    for (args, run) in &runs {
        assert_eq!(run.code, 0, "recert {args:?}: {}", run.stderr);
    }
    // The last edit set 1 hour per CEU: every 2-hour course is worth 2 CEU now.
    let credits = credits_by_title(&recert);
    let logged: Vec<&Vec<String>> = runs.iter().map(|(args, _)| args).filter(|args| args[0] == "log").collect();
    let missing: Vec<&String> =
        logged.iter().map(|args| &args[2]).filter(|title| credits.get(*title) != Some(&200)).collect();
    assert!(
        missing.is_empty(),
        "{} of {} logged courses lost or miscounted their credit: {missing:?}",
        missing.len(),
        logged.len()
    );
    assert_totals_match_the_ledger(&recert);
}

#[test]
fn a_renewal_racing_logs_closes_the_cycle_with_what_the_ledger_holds() {
    for round in 0..6 {
        let recert = Recert::new();
        let id = simple_credential(&recert);
        let renew = vec![args(&["renew", &id, "--date", "2026-11-01", "--yes"])];
        let runs = race(&recert, vec![log_lane("a", 6), log_lane("b", 6), vec![args(&["status"])], renew]);
        let credits = credits_by_title(&recert);
        for (args, run) in &runs {
            assert_eq!(run.code, 0, "round {round}: recert {args:?}: {}", run.stderr);
            if args[0] == "log" {
                let said = credited_units(&run.json());
                assert_eq!(
                    said,
                    credits.get(&args[2]).copied(),
                    "round {round}: {} says one thing, the ledger another",
                    args[2]
                );
            }
        }
        let shown = recert.ok(&["show", &id, "--json"]).json();
        let closed = &shown["past_cycles"][0];
        let in_closed_cycle: i64 = credits.values().sum();
        let counted = (closed["units_earned"].as_f64().unwrap() * 100.0).round() as i64;
        assert_eq!(
            counted, in_closed_cycle,
            "round {round}: the closed cycle counted {counted}, its ledger holds {in_closed_cycle}"
        );
        assert_totals_match_the_ledger(&recert);
    }
}

#[test]
fn commands_started_at_once_on_a_new_data_folder_all_succeed() {
    for round in 0..12 {
        let recert = Recert::new();
        let mut lanes: Vec<Vec<Vec<String>>> = (0..6)
            .map(|n| {
                vec![args(&[
                    "add",
                    "--name",
                    &format!("C{n}"),
                    "--body",
                    "B",
                    "--earned",
                    "2025-01-01",
                    "--cycle-years",
                    "2",
                ])]
            })
            .collect();
        lanes.push(vec![args(&["settings", "--lead-days", "30"])]);
        lanes.push(vec![args(&["log", "--title", "First", "--date", "2026-01-01", "--hours", "1"])]);
        for (args, run) in race(&recert, lanes) {
            assert_eq!(run.code, 0, "round {round}: recert {args:?}: {}", run.stderr);
        }
        assert_eq!(recert.status().len(), 6, "round {round}");
    }
}
