//! A reader that goes away (`recert status | head -1`, `recert log … | true`) must not turn into
//! a panic or a failure: the command ends quietly, and a change it made stays made.

use std::process::Stdio;

use super::{Recert, Run, TODAY};

/// Runs `recert ARGS` with a standard output whose reading end is already closed.
fn run_into_closed_pipe(recert: &Recert, args: &[&str]) -> Run {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let output = recert.command(TODAY, args).stdout(writer).stderr(Stdio::piped()).output().unwrap();
    Run::from(output)
}

fn seeded() -> Recert {
    let recert = Recert::new();
    recert.add("acsm-cpt", "2024-04-01");
    recert.ok(&["log", "--title", "Seed", "--date", "2026-01-02", "--hours", "1"]);
    recert
}

#[test]
fn every_output_command_ends_quietly_when_its_reader_is_gone() {
    let recert = seeded();
    let commands: &[&[&str]] = &[
        &["status"],
        &["status", "--json"],
        &["show", "1"],
        &["show", "1", "--json"],
        &["activities"],
        &["activities", "--json"],
        &["costs"],
        &["costs", "--json"],
        &["reminders"],
        &["settings"],
        &["settings", "--json"],
        &["catalog"],
        &["catalog", "--json"],
        &["remind", "--dry-run"],
    ];
    for args in commands {
        let run = run_into_closed_pipe(&recert, args);
        assert_eq!((run.code, run.stderr.as_str()), (0, ""), "recert {args:?}");
    }
}

#[test]
fn a_change_whose_reader_is_gone_is_stored_and_reported_as_done() {
    let recert = seeded();
    let writes: &[&[&str]] = &[
        &["log", "--title", "Piped", "--date", "2026-02-03", "--hours", "2"],
        &["add", "--preset", "nasm-cpt", "--earned", "2025-02-10"],
        &["edit", "1", "--notes", "piped"],
        &["confirm", "2"],
        &["renew", "1", "--date", "2026-11-01", "--yes"],
        &["settings", "--lead-days", "30,7"],
        &["backup"],
        &["remove-activity", "1"],
        &["remove", "2"],
    ];
    for args in writes {
        let run = run_into_closed_pipe(&recert, args);
        assert_eq!((run.code, run.stderr.as_str()), (0, ""), "recert {args:?}");
    }
    let activities = recert.ok(&["activities", "--json"]).json();
    let titles: Vec<&str> = activities.as_array().unwrap().iter().map(|a| a["title"].as_str().unwrap()).collect();
    assert_eq!(titles, ["Piped"], "the piped log was stored once, the removed seed is gone");
    let shown = recert.ok(&["show", "1", "--json"]).json();
    assert_eq!(shown["credential"]["notes"], "piped");
    assert_eq!(shown["past_cycles"].as_array().unwrap().len(), 1);
    assert_eq!(recert.ok(&["settings", "--json"]).json()["lead_days"], serde_json::json!([30, 7]));
    assert_eq!(recert.status().len(), 1, "the added credential was removed again");
    let asked_for = std::fs::read_dir(recert.data_dir().join("backups"))
        .unwrap()
        .filter(|entry| !entry.as_ref().unwrap().file_name().to_string_lossy().starts_with("recert-auto-"))
        .count();
    assert_eq!(asked_for, 1, "one backup besides the day's automatic one");
}
