//! Hostile values: numbers far out of range and long or control-laden text are refused with one
//! short, printable line, and change nothing.

use super::{Recert, Run};

/// The checks every refusal must pass: a failure exit, one line, short, no raw control character.
fn assert_refused_cleanly(run: &Run, what: &str, expected: &str) {
    assert_eq!(run.code, 2, "{what}: {:?}", run.stderr);
    assert_eq!(run.stderr.trim_end().lines().count(), 1, "{what}: one line, got {:?}", run.stderr);
    assert!(run.stderr.len() < 300, "{what}: {} bytes of error", run.stderr.len());
    let raw_control = run.stderr.trim_end().chars().find(|c| c.is_control() || ('\u{202a}'..='\u{202e}').contains(c));
    assert_eq!(raw_control, None, "{what}: {:?}", run.stderr);
    assert!(run.stderr.contains(expected), "{what}: expected {expected:?} in {:?}", run.stderr);
}

#[test]
fn costs_months_is_bounded() {
    let recert = Recert::new();
    recert.add("ncsf-cpt", "2025-03-14");
    let before = recert.dump();
    for months in ["0", "1201", "3121385", "1000000", "4294967295"] {
        let run = recert.run(&["costs", "--months", months]);
        assert_refused_cleanly(&run, months, "months: must be 1 to 1200");
    }
    assert_eq!(recert.dump(), before);
    let longest = recert.ok(&["costs", "--months", "1200", "--json"]).json();
    let last = longest.as_array().unwrap().last().unwrap()["due_on"].as_str().unwrap().to_string();
    assert!(("2125".."2127").contains(&&last[..4]), "renewals through the next hundred years: {last}");
}

#[test]
fn reminder_history_limit_is_bounded() {
    let recert = Recert::new();
    recert.add("ncsf-cpt", "2025-03-14");
    for limit in ["0", "100001", "4294967295"] {
        let run = recert.run(&["reminders", "--limit", limit]);
        assert_refused_cleanly(&run, limit, "limit: must be 1 to 100000");
    }
    recert.ok(&["reminders", "--limit", "100000"]);
}

#[test]
fn errors_cut_long_values_and_escape_control_characters() {
    let recert = Recert::new();
    let id = recert.add("ncsf-cpt", "2025-03-14").to_string();
    let before = recert.dump();
    let hostile = format!("\u{1b}[31m\u{202e}red{}", "x".repeat(100_000));
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["add", "--preset", &hostile, "--earned", "2020-01-01"], "preset not found"),
        (vec!["add", "--preset", "ncsf-cpt", "--earned", &hostile], "earned"),
        (vec!["add", "--name", "N", "--body", "B", "--earned", "2020-01-01", "--cycle-years", &hostile], "cycle-years"),
        (vec!["add", "--name", "N", "--body", "B", "--earned", "2020-01-01", "--cycle-rule", &hostile], "cycle-rule"),
        (vec!["add", "--name", "N", "--body", "B", "--earned", "2020-01-01", "--due-soon-days", &hostile], "due-soon"),
        (vec!["settings", "--lead-days", &hostile], "lead-days"),
        (vec!["settings", "--lead-days", "5,\u{1b}[2J"], "lead-days"),
        (vec!["renew", &id, "--date", "2026-11-01", "--fee", &hostile], "fee"),
        (vec!["renew", &id, "--date", &hostile], "date"),
        (vec!["renew", &id, "--date", "2026-11-01", "--expires", &hostile], "expires"),
        (vec!["edit", &id, "--grace", &hostile], "grace"),
        (vec!["edit", &id, "--category", &hostile], "category"),
        (vec!["log", "--title", "T", "--date", "2026-01-01", "--hours", &hostile], "hours"),
        (vec!["log", "--title", "T", "--date", "2026-01-01", "--hours", "1", "--for", &hostile], "for"),
        (vec!["log", "--title", "T", "--date", "2026-01-01", "--hours", "1", "--proof", &hostile], "proof"),
        (vec!["renew", &hostile, "--date", "2026-11-01"], "invalid value"),
        (vec!["status", "--no-such-option", &hostile], "unexpected argument"),
    ];
    for (args, expected) in cases {
        let run = recert.run(&args);
        let shown: Vec<String> = args.iter().map(|a| a.chars().take(20).collect()).collect();
        assert_refused_cleanly(&run, &format!("{shown:?}"), expected);
        assert_eq!(recert.dump(), before, "{shown:?} changed the database");
    }
    let bad_today = recert.run_on(&hostile, &["status"]);
    assert_refused_cleanly(&bad_today, "--today", "today");
}
