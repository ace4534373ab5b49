//! Black-box tests of the `recert` command line: they run the built binary against a temporary
//! data folder and a fixed `--today`, and read the SQLite file directly to prove what changed.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

mod catalog;
#[path = "../support/certificate_corpus.rs"]
mod certificate_corpus;
mod certificates;
mod damage;
mod data_folder;
mod doors;
mod limits;
mod logging;
#[path = "../support/notification_server.rs"]
mod notification_server;
mod pipes;
mod plan;
mod proofs;
mod races;
mod reminders;
mod sync;

const TODAY: &str = "2026-11-23";

struct Recert {
    dir: tempfile::TempDir,
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl From<Output> for Run {
    fn from(output: Output) -> Self {
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

impl Run {
    fn json(&self) -> Value {
        assert_eq!(self.code, 0, "stderr: {}", self.stderr);
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.stdout))
    }
}

impl Recert {
    fn new() -> Self {
        Self { dir: tempfile::tempdir().unwrap() }
    }

    fn data_dir(&self) -> &Path {
        self.dir.path()
    }

    fn run(&self, args: &[&str]) -> Run {
        self.run_on(TODAY, args)
    }

    /// The command line of `recert --data-dir DIR --today TODAY ARGS…`, to run or to adjust.
    fn command(&self, today: &str, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_recert"));
        command
            .arg("--data-dir")
            .arg(self.data_dir())
            .arg("--today")
            .arg(today)
            .args(args)
            .env_remove("RECERT_DATA_DIR");
        command
    }

    fn run_on(&self, today: &str, args: &[&str]) -> Run {
        Run::from(self.command(today, args).output().expect("the recert binary runs"))
    }

    fn ok(&self, args: &[&str]) -> Run {
        let run = self.run(args);
        assert_eq!(run.code, 0, "recert {args:?} failed: {}", run.stderr);
        run
    }

    fn add(&self, preset: &str, earned: &str) -> i64 {
        self.ok(&["add", "--preset", preset, "--earned", earned, "--json"]).json()["id"].as_i64().unwrap()
    }

    fn status(&self) -> Vec<Value> {
        self.ok(&["status", "--json"]).json().as_array().unwrap().clone()
    }

    fn status_of(&self, id: i64) -> Value {
        self.status().into_iter().find(|s| s["id"] == id).unwrap()
    }

    /// Every row of every table, to prove a failed command changed nothing.
    fn dump(&self) -> Vec<String> {
        let conn = rusqlite::Connection::open(self.data_dir().join("recert.sqlite3")).unwrap();
        let tables: Vec<String> = conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .unwrap()
            .query_map([], |row| row.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let mut rows = Vec::new();
        for table in tables {
            let mut statement = conn.prepare(&format!("SELECT * FROM \"{table}\" ORDER BY 1")).unwrap();
            let columns = statement.column_count();
            let mut query = statement.query([]).unwrap();
            while let Some(row) = query.next().unwrap() {
                let values: Vec<String> = (0..columns).map(|i| format!("{:?}", row.get_ref(i).unwrap())).collect();
                rows.push(format!("{table}: {}", values.join(" | ")));
            }
        }
        rows
    }

    fn proof_files(&self) -> Vec<PathBuf> {
        match std::fs::read_dir(self.data_dir().join("proofs")) {
            Ok(entries) => entries.map(|e| e.unwrap().path()).collect(),
            Err(_) => Vec::new(),
        }
    }
}

fn approx(value: &Value, expected: f64) -> bool {
    value.as_f64().is_some_and(|v| (v - expected).abs() < 1e-9)
}

#[test]
fn a_trainers_first_session() {
    let recert = Recert::new();
    let cscs = recert.add("nsca-cscs", "2015-06-01");
    let nasm = recert.add("nasm-cpt", "2025-02-10");
    let card = recert.add("cpr-aed-aha", "2024-10-05"); // valid through 2026-10-31: already expired

    let logged = recert
        .ok(&[
            "log",
            "--title",
            "Kettlebell workshop",
            "--date",
            "2026-05-01",
            "--hours",
            "8",
            "--cost",
            "149.00",
            "--approved-by",
            "NASM:KB-101",
            "--json",
        ])
        .json();
    let credits = logged["outcomes"].as_array().unwrap();
    let credited: Vec<i64> =
        credits.iter().filter(|c| c["credited"] == true).map(|c| c["credential_id"].as_i64().unwrap()).collect();
    assert_eq!(credited, vec![cscs, nasm], "one course counts for both credentials, not the card");

    let status = recert.status();
    let order: Vec<i64> = status.iter().map(|s| s["id"].as_i64().unwrap()).collect();
    assert_eq!(order, vec![card, cscs, nasm], "most urgent first: the lapsed card, then CSCS due in 38 days");
    let first = &status[1];
    for field in [
        "id",
        "name",
        "abbreviation",
        "cycle_start",
        "cycle_end",
        "status",
        "days_left",
        "units_required",
        "units_earned",
        "unit",
        "shortfall",
        "categories",
        "prerequisite_problems",
        "renewal_fee_cents",
        "late_fee_cents",
    ] {
        assert!(first.get(field).is_some(), "status --json lacks {field}");
    }
    assert_eq!(first["cycle_start"], "2024-01-01");
    assert_eq!(first["cycle_end"], "2026-12-31");
    assert_eq!(first["status"], "due_soon");
    assert_eq!(first["days_left"], 38);
    assert!(approx(&first["units_required"], 6.0), "{}", first["units_required"]);
    assert!(approx(&first["units_earned"], 0.8));
    assert!(approx(&first["shortfall"], 5.2));
    assert_eq!(first["unit"], "CEU");
    assert_eq!(first["renewal_fee_cents"], Value::Null, "NSCA's 2024-26 fee is unknown, never invented");
    let category_a = first["categories"].as_array().unwrap().iter().find(|c| c["key"] == "A").unwrap();
    assert!(approx(&category_a["earned"], 0.8));
    assert!(approx(&category_a["max"], 5.5));
    let problems = first["prerequisite_problems"].as_array().unwrap();
    assert_eq!(problems.len(), 1);
    assert!(problems[0].as_str().unwrap().contains("expired on 2026-10-31"), "{problems:?}");

    let nasm_status = recert.status_of(nasm);
    assert!(approx(&nasm_status["units_earned"], 0.8));
    assert!(approx(&nasm_status["units_required"], 2.0));
    assert_eq!(nasm_status["cycle_end"], "2027-02-10");

    // A new card fixes the prerequisite for both.
    recert.ok(&["renew", &card.to_string(), "--date", "2026-11-20"]);
    let status = recert.status_of(cscs);
    assert_eq!(status["prerequisite_problems"].as_array().unwrap().len(), 0, "{status}");
    assert_eq!(recert.status_of(card)["cycle_end"], "2028-11-30");

    // Renew the CSCS: the cycle closes into history and the next starts by NSCA's rule.
    // 0.8 of 6.0 CEU logged: the renewal is asked about first, and nothing changes until confirmed.
    let before = recert.dump();
    let asked = recert.run(&["renew", &cscs.to_string(), "--date", "2026-11-22", "--fee", "65.00"]);
    assert_eq!(asked.code, 2);
    assert_eq!(
        asked.stderr.trim(),
        "recert: 0.8 of 6.0 CEU logged; NSCA requires 6.0. Record the renewal anyway? (--yes)"
    );
    assert_eq!(recert.dump(), before);
    let renewed =
        recert.ok(&["renew", &cscs.to_string(), "--date", "2026-11-22", "--fee", "65.00", "--yes", "--json"]).json();
    assert_eq!(renewed["cycle_start"], "2027-01-01");
    assert_eq!(renewed["cycle_end"], "2029-12-31");
    let shown = recert.ok(&["show", &cscs.to_string(), "--json"]).json();
    let past = shown["past_cycles"].as_array().unwrap();
    assert_eq!(past.len(), 1);
    assert_eq!(past[0]["end"], "2026-12-31");
    assert_eq!(past[0]["fee_paid_cents"], 6500);
    assert!(approx(&past[0]["units_earned"], 0.8));
    let cscs_now = recert.status_of(cscs);
    assert!(approx(&cscs_now["units_earned"], 0.0), "old credits stay with the old cycle");
    assert!(approx(&cscs_now["units_required"], 6.0));

    let activities = recert.ok(&["activities", "--json"]).json();
    assert_eq!(activities.as_array().unwrap().len(), 1, "the course was stored once");
    assert_eq!(activities[0]["cost_cents"], 14900);

    // A renewal recorded by mistake can be taken back: the credits count in the cycle again.
    let undone = recert.ok(&["undo-renewal", &cscs.to_string(), "--json"]).json();
    assert_eq!(
        (undone["cycle_start"].as_str(), undone["cycle_end"].as_str()),
        (Some("2024-01-01"), Some("2026-12-31"))
    );
    assert!(recert.ok(&["show", &cscs.to_string(), "--json"]).json()["past_cycles"].as_array().unwrap().is_empty());
    assert!(approx(&recert.status_of(cscs)["units_earned"], 0.8));
    assert_eq!(recert.run(&["undo-renewal", &cscs.to_string()]).code, 2, "nothing left to undo");
}

#[test]
fn course_costs_and_upcoming_renewals() {
    let recert = Recert::new();
    let ncsf = recert.add("ncsf-cpt", "2025-03-14");
    recert.ok(&[
        "log",
        "--title",
        "Ethics in coaching",
        "--date",
        "2026-02-02",
        "--hours",
        "2",
        "--cost",
        "40",
        "--category",
        "ethics",
    ]);
    let status = recert.status_of(ncsf);
    assert_eq!(status["renewal_fee_cents"], 8500);
    assert_eq!(status["course_costs_cents"], 4000);
    assert!(approx(&status["units_earned"], 1.0), "NCSF: 1 CEU per 2 hours");
    let shown = recert.ok(&["show", &ncsf.to_string(), "--json"]).json();
    let general = shown["credential"]["rules"]["categories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["key"] == "general")
        .unwrap()
        .clone();
    assert_eq!(general["default"], true, "the rules say where untagged activities go: {general}");
    assert!(general["min"].is_null(), "NCSF: the rest of the 10 CEUs from any category: {general}");
    let costs = recert.ok(&["costs", "--json"]).json();
    assert_eq!(costs[0]["due_on"], "2027-03-31");
    assert_eq!(costs[0]["amount"], 8500);
}

#[test]
fn restricting_and_overriding_credit() {
    let recert = Recert::new();
    let cscs = recert.add("nsca-cscs", "2015-06-01");
    let acsm = recert.add("acsm-cpt", "2024-04-01");
    let for_acsm = format!("{acsm}=3.5");
    let logged = recert
        .ok(&["log", "--title", "Conference", "--date", "2026-03-03", "--hours", "30", "--for", &for_acsm, "--json"])
        .json();
    let credited: Vec<&Value> =
        logged["outcomes"].as_array().unwrap().iter().filter(|c| c["credited"] == true).collect();
    assert_eq!(credited.len(), 1);
    assert!(approx(&credited[0]["units"], 3.5));
    assert!(approx(&recert.status_of(cscs)["units_earned"], 0.0));

    // Without --for, a 30 h event is capped at NSCA's 2.0 CEU per event.
    recert.ok(&["log", "--title", "Summit", "--date", "2026-03-04", "--hours", "30"]);
    assert!(approx(&recert.status_of(cscs)["units_earned"], 2.0));
    assert!(approx(&recert.status_of(acsm)["units_earned"], 33.5));
}

#[test]
fn a_proof_file_is_copied_with_its_hash() {
    let recert = Recert::new();
    recert.add("acsm-cpt", "2024-04-01");
    let outside = tempfile::tempdir().unwrap();
    let certificate = outside.path().join("certificate.pdf");
    std::fs::write(&certificate, b"%PDF-1.4 certificate").unwrap();
    recert.ok(&[
        "log",
        "--title",
        "Webinar",
        "--date",
        "2026-01-05",
        "--hours",
        "1",
        "--proof",
        certificate.to_str().unwrap(),
    ]);
    std::fs::remove_file(&certificate).unwrap();
    let activities = recert.ok(&["activities", "--json"]).json();
    let proof = &activities[0]["proof"];
    assert_eq!(proof["original_name"], "certificate.pdf");
    assert_eq!(proof["sha256"].as_str().unwrap().len(), 64);
    let stored = recert.data_dir().join(proof["stored_path"].as_str().unwrap());
    assert_eq!(std::fs::read(stored).unwrap(), b"%PDF-1.4 certificate");
}

#[test]
fn custom_credential_and_edits() {
    let recert = Recert::new();
    let added = recert
        .ok(&[
            "add",
            "--name",
            "Kettlebell Instructor",
            "--body",
            "StrongFirst",
            "--cycle-years",
            "2",
            "--units",
            "16",
            "--unit",
            "hours",
            "--hours-per-unit",
            "1",
            "--earned",
            "2025-06-01",
            "--fee",
            "50",
            "--json",
        ])
        .json();
    let id = added["id"].as_i64().unwrap().to_string();
    assert_eq!(added["cycle_end"], "2027-06-01");
    let edited = recert.ok(&["edit", &id, "--expires", "2027-06-30", "--fee", "75.50", "--json"]).json();
    assert_eq!(edited["cycle_end"], "2027-06-30");
    assert_eq!(edited["rules"]["renewal_fee_cents"], 7550);
    let status = recert.status_of(added["id"].as_i64().unwrap());
    assert_eq!(status["renewal_fee_cents"], 7550);
    assert!(approx(&status["units_required"], 16.0));
}

/// What a card covers, answered by mistake, can go back to "not sure": the bodies that need First
/// Aid ask again.
#[test]
fn a_cards_first_aid_answer_can_go_back_to_not_sure() {
    let recert = Recert::new();
    let id = recert.add("cpr-aed-aha", "2025-09-12").to_string();
    let covers = |run: Run| run.json()["covers_first_aid"].clone();
    assert_eq!(covers(recert.ok(&["edit", &id, "--first-aid", "yes", "--json"])), true);
    assert_eq!(covers(recert.ok(&["edit", &id, "--first-aid", "unknown", "--json"])), Value::Null);
    let refused = recert.run(&["edit", &id, "--first-aid", "maybe"]);
    assert_eq!(refused.code, 2);
    assert!(refused.stderr.contains("\"maybe\" is not yes, no or unknown"), "{}", refused.stderr);
}

#[test]
fn an_early_acsm_renewal_adds_the_time_to_the_next_cycle() {
    let recert = Recert::new();
    let acsm = recert
        .ok(&["add", "--preset", "acsm-cpt", "--earned", "2023-05-01", "--expires", "2026-12-31", "--json"])
        .json();
    let id = acsm["id"].as_i64().unwrap().to_string();
    let renewed = recert.ok(&["renew", &id, "--date", "2026-11-01", "--fee", "60", "--yes", "--json"]).json();
    assert_eq!(renewed["cycle_start"], "2026-11-02", "courses after renewing early count toward the next cycle");
    // ACSM's 2025 notice moves a Dec 31 certification renewed on time to "three years minus one
    // day after passing the exam", without saying from which day: the earliest reading is the
    // exam's anniversary less a day, Apr 30, 2029 (the renewal day gives Oct 31, 2029), and the
    // date asks to be checked.
    assert_eq!(renewed["cycle_end"], "2029-04-30", "the earliest plausible end");
    assert_eq!(renewed["expiry_confirmed"], false, "worked out by an unverified rule");
    let status = recert.status_of(acsm["id"].as_i64().unwrap());
    assert!(status["confirm_expiry"].as_str().unwrap().starts_with("Check 2029-04-30"), "{status}");
}

#[test]
fn grace_and_late_fee_in_status() {
    let recert = Recert::new();
    let acsm = recert
        .ok(&["add", "--preset", "acsm-cpt", "--earned", "2023-05-01", "--expires", "2026-10-31", "--json"])
        .json();
    let status = recert.status_of(acsm["id"].as_i64().unwrap());
    assert_eq!(status["status"], "grace");
    assert_eq!(status["days_left"], -23);
    assert_eq!(status["renewal_fee_cents"], 6000);
    assert_eq!(status["late_fee_cents"], 8000);
}

#[test]
fn removing_a_credential_with_history_needs_yes() {
    let recert = Recert::new();
    let id = recert.add("ncsf-cpt", "2024-11-02").to_string();
    recert.ok(&["renew", &id, "--date", "2026-11-01", "--yes"]);
    let before = recert.dump();
    let refused = recert.run(&["remove", &id]);
    assert_ne!(refused.code, 0);
    assert!(refused.stderr.contains("--yes"), "{}", refused.stderr);
    assert_eq!(recert.dump(), before);
    recert.ok(&["remove", &id, "--yes"]);
    assert!(recert.status().is_empty());
}

#[test]
fn bad_input_gets_one_clear_line_and_changes_nothing() {
    let recert = Recert::new();
    let cscs = recert.add("nsca-cscs", "2015-06-01").to_string();
    recert.ok(&["log", "--title", "Seed", "--date", "2026-01-02", "--hours", "1"]);
    let before = recert.dump();
    let long_title = "x".repeat(100_000); // a single argument can't exceed 128 KiB on Linux
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["add", "--preset", "nsca-nope", "--earned", "2020-01-01"], "preset not found: nsca-nope"),
        (vec!["add", "--preset", "nsca-cscs", "--earned", "2026-02-30"], "not a real calendar date"),
        (vec!["add", "--preset", "nsca-cscs", "--earned", "yesterday"], "not a date"),
        (vec!["add", "--preset", "nasm-ces", "--earned", "2024-01-01"], "give the expiry date on your certificate"),
        (vec!["add", "--name", "X", "--body", "Y", "--cycle-years", "two", "--earned", "2024-01-01"], "cycle-years"),
        (vec!["log", "--title", "T", "--date", "2026-02-30", "--hours", "1"], "not a real calendar date"),
        (vec!["log", "--title", "T", "--date", "2026-01-01", "--hours", "-3"], "hours: must not be negative"),
        (vec!["log", "--title", "T", "--date", "2026-01-01", "--hours", "three"], "hours: must be hours like 1.5"),
        (
            vec!["log", "--title", "T", "--date", "2026-01-01", "--hours", "1", "--cost", "12.505"],
            "more than two decimals",
        ),
        (
            vec!["log", "--title", "T", "--date", "2026-01-01", "--hours", "1", "--proof", "/nonexistent/cert.pdf"],
            "file not found",
        ),
        (vec!["log", "--title", &long_title, "--date", "2026-01-01", "--hours", "1"], "title: is too long"),
        (
            vec!["log", "--title", "T", "--date", "2026-01-01", "--hours", "1", "--for", "99"],
            "credential not found: 99",
        ),
        (
            vec!["log", "--title", "T", "--date", "2023-01-01", "--hours", "1", "--for", &cscs],
            "before the current cycle",
        ),
        (vec!["log", "--title", "T", "--date", "2027-01-01", "--hours", "1"], "in the future"),
        (vec!["renew", "42", "--date", "2026-01-01"], "credential not found: 42"),
        (vec!["renew", "abc", "--date", "2026-01-01"], "invalid value 'abc'"),
        (vec!["renew", &cscs, "--date", "2026-11-31"], "not a real calendar date"),
        (vec!["renew", &cscs, "--date", "2026-11-01", "--fee", "-5"], "fee: must not be negative"),
        (vec!["edit", &cscs, "--fee", "ten"], "fee: must be a number"),
        (vec!["edit", &cscs, "--expires", "2001-01-01"], "expires"),
        (vec!["remove", "77"], "credential not found: 77"),
    ];
    for (args, expected) in cases {
        let run = recert.run(&args);
        let shown: Vec<String> = args.iter().map(|a| a.chars().take(30).collect()).collect();
        assert_ne!(run.code, 0, "{shown:?} should fail");
        assert_eq!(run.stderr.trim_end().lines().count(), 1, "{shown:?}: one line, got {:?}", run.stderr);
        assert!(run.stderr.contains(expected), "{shown:?}: expected {expected:?} in {:?}", run.stderr);
        assert!(run.stderr.len() < 400, "{shown:?}: the error must not echo huge input");
        assert_eq!(recert.dump(), before, "{shown:?} changed the database");
    }
    assert!(recert.proof_files().is_empty());
    let bad_today = recert.run_on("2026-13-01", &["status"]);
    assert_ne!(bad_today.code, 0);
    assert!(bad_today.stderr.contains("today"), "{}", bad_today.stderr);
}

#[test]
fn a_database_from_a_newer_recert_is_refused_untouched() {
    let recert = Recert::new();
    let path = recert.data_dir().join("recert.sqlite3");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE t (x); PRAGMA user_version = 999;").unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let run = recert.run(&["status"]);
    assert_ne!(run.code, 0);
    assert!(run.stderr.contains("newer version of Recert"), "{}", run.stderr);
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn the_data_folder_comes_from_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_recert"))
        .args(["--today", TODAY, "add", "--preset", "ncsf-cpt", "--earned", "2025-01-01"])
        .env("RECERT_DATA_DIR", dir.path())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(dir.path().join("recert.sqlite3").exists());
}

#[test]
fn the_catalog_lists_every_preset_with_sources() {
    let recert = Recert::new();
    let catalog = recert.ok(&["catalog", "--json"]).json();
    assert_eq!((catalog["format"].as_u64(), catalog["published_on"].as_str()), (Some(1), Some("2026-12-06")));
    let presets = catalog["presets"].as_array().unwrap();
    assert_eq!(presets.len(), 31);
    assert!(presets.iter().all(|p| !p["sources"].as_array().unwrap().is_empty()));
    let readable = recert.ok(&["catalog", "heart"]).stdout;
    assert!(readable.contains("cpr-aed-aha"), "{readable}");
    let seeds_spelling = recert.ok(&["catalog", "ISSA-SCC"]).stdout;
    assert!(
        seeds_spelling.starts_with("Rules as of Dec 6, 2026 (version 2026.12, built in)\nissa-sc "),
        "{seeds_spelling}"
    );
    let nasm = recert.ok(&["catalog", "nasm-cpt"]).stdout;
    assert!(nasm.contains("[unverified: acceptance, cycle]"), "{nasm}");
}

#[test]
fn adding_a_credential_never_assumes_a_renewal_near_its_deadline() {
    let recert = Recert::new();
    // NASM-CPT earned 2024-07-15, added 40 days after its 2026-07-15 deadline.
    let nasm = recert.run_on("2026-08-24", &["add", "--preset", "nasm-cpt", "--earned", "2024-07-15", "--json"]).json()
        ["id"]
        .as_i64()
        .unwrap();
    let status = recert.run_on("2026-08-24", &["status", "--json"]).json();
    let nasm_status = status.as_array().unwrap().iter().find(|s| s["id"] == nasm).unwrap();
    assert_eq!(nasm_status["status"], "grace");
    assert_eq!(nasm_status["cycle_end"], "2026-07-15");
    assert_eq!(nasm_status["late_fee_cents"], 3000);
    assert_eq!(nasm_status["expiry_confirmed"], false);
    assert!(nasm_status["next_action"].as_str().unwrap().contains("record the renewal"), "{nasm_status}");

    // A CSCS earned in 2015: the renewals of 2017, 2020 and 2023 are assumed, so the user is asked.
    let cscs = recert.add("nsca-cscs", "2015-06-01");
    let readable = recert.ok(&["status"]).stdout;
    assert!(readable.contains("deadline 2026-12-31 (not confirmed)"), "{readable}");
    assert!(readable.contains(&format!("recert confirm {cscs}")), "{readable}");
    assert_eq!(recert.status_of(cscs)["expiry_confirmed"], false);
    let confirmed = recert.ok(&["confirm", &cscs.to_string(), "--json"]).json();
    assert_eq!(confirmed["expiry_confirmed"], true);
    assert_eq!(recert.status_of(cscs)["expiry_confirmed"], true);
    assert!(recert.status_of(cscs)["confirm_expiry"].is_null());

    // An ACSM certification earned in 2025 expires three years minus a day after the exam.
    let acsm = recert.add("acsm-cpt", "2025-05-08");
    assert_eq!(recert.status_of(acsm)["cycle_end"], "2028-05-07");
    let edited = recert.ok(&["edit", &acsm.to_string(), "--expires", "2028-05-07", "--json"]).json();
    assert_eq!(edited["expiry_confirmed"], true, "typing the expiry confirms it");

    let missing = recert.run(&["confirm", "999"]);
    assert_eq!(missing.code, 2, "{}", missing.stderr);
}

#[test]
fn nasm_counts_courses_completed_in_its_late_window() {
    let recert = Recert::new();
    let nasm = recert.add("nasm-cpt", "2024-11-01"); // deadline 2026-11-01, 22 days ago
    let logged = recert
        .ok(&[
            "log",
            "--title",
            "Late course",
            "--date",
            "2026-11-20",
            "--hours",
            "5",
            "--approved-by",
            "NASM",
            "--json",
        ])
        .json();
    assert_eq!(logged["outcomes"][0]["credited"], true, "{logged}");
    assert_eq!(logged["outcomes"][0]["late_for_cycle_end"], "2026-11-01");
    assert!(approx(&recert.status_of(nasm)["units_earned"], 0.5));
    let readable = recert
        .ok(&["log", "--title", "Another", "--date", "2026-11-21", "--hours", "1", "--approved-by", "NASM"])
        .stdout;
    assert!(readable.contains("inside the late window"), "{readable}");
}

#[test]
fn ncsf_credentials_renewed_together_pay_one_joint_fee() {
    let recert = Recert::new();
    recert.add("ncsf-cpt", "2025-03-14");
    recert.add("ncsf-csc", "2025-03-02");
    let costs = recert.ok(&["costs", "--json"]).json();
    let rows: Vec<&Value> = costs.as_array().unwrap().iter().filter(|c| c["due_on"] == "2027-03-31").collect();
    assert_eq!(rows.len(), 2, "{costs}");
    let total: i64 = rows.iter().map(|c| c["amount"].as_i64().unwrap()).sum();
    assert_eq!(total, 10000, "$100 for both, not $170: {costs}");
    let readable = recert.ok(&["costs"]).stdout;
    assert!(readable.contains("Next 24 months: $100.00"), "{readable}");
    let fees: i64 = recert.status().iter().map(|s| s["renewal_fee_cents"].as_i64().unwrap()).sum();
    assert_eq!(fees, 10000);
}

#[test]
fn a_custom_credential_can_be_added_with_its_expiry_alone() {
    let recert = Recert::new();
    let added = recert
        .ok(&[
            "add",
            "--name",
            "Pilates Instructor",
            "--body",
            "PMA",
            "--cycle-years",
            "2",
            "--expires",
            "2027-06-30",
            "--json",
        ])
        .json();
    assert_eq!(added["cycle_start"], "2025-07-01");
    assert_eq!(added["cycle_end"], "2027-06-30");
    let neither = recert.run(&["add", "--name", "X", "--body", "Y"]);
    assert_eq!(neither.code, 2);
    assert!(neither.stderr.contains("--earned"), "{}", neither.stderr);
    let grace = recert
        .ok(&[
            "add",
            "--name",
            "Y",
            "--body",
            "Z",
            "--earned",
            "2025-08-31",
            "--cycle-years",
            "1",
            "--grace",
            "6 months",
            "--json",
        ])
        .json();
    assert_eq!(grace["rules"]["grace"], "6 months");
    let bad = recert.run(&["add", "--name", "Y", "--body", "Z", "--earned", "2025-08-31", "--grace", "six months"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("is not a period"), "{}", bad.stderr);
}

#[test]
fn already_earned_units_count_in_status_and_can_be_replaced() {
    let recert = Recert::new();
    let cscs = recert
        .ok(&[
            "add",
            "--preset",
            "nsca-cscs",
            "--earned",
            "2015-06-01",
            "--already-earned",
            "3.0",
            "--already-earned",
            "1.5:C",
            "--json",
        ])
        .json()["id"]
        .as_i64()
        .unwrap();
    let status = recert.status_of(cscs);
    assert!(approx(&status["units_earned"], 4.5), "{status}");
    let category = |status: &Value, key: &str| {
        status["categories"].as_array().unwrap().iter().find(|c| c["key"] == key).unwrap()["earned"].clone()
    };
    assert!(approx(&category(&status, "A"), 3.0) && approx(&category(&status, "C"), 1.5), "{status}");
    let ledger = recert.ok(&["activities"]).stdout;
    // A balance, not a course: no made-up date or hours.
    assert!(ledger.lines().any(|l| l.ends_with("Earned before Recert: 3.0 CEU (A), CSCS")), "{ledger}");
    assert!(!ledger.contains("2024-01-01") && !ledger.contains(" h,"), "{ledger}");

    recert.ok(&["edit", &cscs.to_string(), "--already-earned", "2.0:B"]);
    let status = recert.status_of(cscs);
    assert!(approx(&status["units_earned"], 2.0) && approx(&category(&status, "B"), 2.0), "{status}");

    let before = recert.dump();
    let bad = recert.run(&["edit", &cscs.to_string(), "--already-earned", "2.0:Z"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("\"Z\" is not a category of CSCS"), "{}", bad.stderr);
    assert_eq!(recert.dump(), before, "nothing changed");

    recert.ok(&["edit", &cscs.to_string(), "--already-earned", "0"]);
    assert!(approx(&recert.status_of(cscs)["units_earned"], 0.0));
}

#[test]
fn a_spreadsheet_goes_out_and_comes_back_in() {
    let recert = Recert::new();
    recert.add("nsca-cscs", "2015-06-01");
    recert.add("nasm-cpt", "2025-02-10");
    recert.ok(&["log", "--title", "Kettlebell, level 2", "--date", "2026-05-01", "--hours", "8", "--cost", "149"]);
    let sheet = recert.data_dir().join("ledger.csv");
    let exported = recert.ok(&["export-csv", "--out", sheet.to_str().unwrap()]);
    assert!(exported.stdout.contains("Exported 1 activities"), "{}", exported.stdout);
    let text = std::fs::read_to_string(&sheet).unwrap();
    assert!(text.contains("\"Kettlebell, level 2\""), "{text}");

    let other = Recert::new();
    other.add("nsca-cscs", "2015-06-01");
    other.add("nasm-cpt", "2025-02-10");
    let sheet_path = sheet.to_str().unwrap();
    let dry = other.ok(&["import-csv", sheet_path, "--dry-run"]);
    assert!(
        dry.stdout.contains("line    2  2026-05-01  Kettlebell, level 2 — CSCS +0.8 CEU · NASM-CPT +0.8 CEU"),
        "{}",
        dry.stdout
    );
    assert_eq!(other.ok(&["activities", "--json"]).json(), serde_json::json!([]));
    other.ok(&["import-csv", sheet_path]);
    assert_eq!(other.status(), recert.status(), "the same status in both data folders");

    // A file with a bad line: every bad line is named, nothing is imported, the exit code says so.
    let bad = other.data_dir().join("bad.csv");
    std::fs::write(
        &bad,
        "date,title,hours\r\n2026-06-01,Good,2\r\n06/31/2026,Bad date,2\r\n2026-06-02,Bad hours,two\r\n",
    )
    .unwrap();
    let before = other.dump();
    let refused = other.run(&["import-csv", bad.to_str().unwrap()]);
    assert_eq!(refused.code, 2);
    assert!(
        refused.stderr.contains("line 3, column date: 06/31/2026 is not a real calendar date"),
        "{}",
        refused.stderr
    );
    assert!(refused.stderr.contains("line 4, column hours"), "{}", refused.stderr);
    assert_eq!(other.dump(), before, "nothing changed");
    let again = other.run(&["import-csv", sheet_path]);
    assert_eq!(again.code, 2, "a duplicate is refused");
    assert!(again.stderr.contains("already in the ledger"), "{}", again.stderr);
    other.ok(&["import-csv", sheet_path, "--allow-duplicates"]);

    // A file that is no spreadsheet of courses at all: one line that says so (found by make
    // reliability: it also said "0 bad line(s)" on a second line).
    let before = other.dump();
    let not_a_sheet = other.data_dir().join("passwd");
    std::fs::write(&not_a_sheet, "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1::/:/bin/false\n").unwrap();
    let refused = other.run(&["import-csv", not_a_sheet.to_str().unwrap()]);
    assert_eq!(refused.code, 2);
    assert_eq!(refused.stderr.lines().count(), 1, "{}", refused.stderr);
    assert!(refused.stderr.contains("has no date, title, hours column"), "{}", refused.stderr);
    assert!(refused.stderr.contains("nothing was imported"), "{}", refused.stderr);
    assert_eq!(other.dump(), before, "nothing changed");
}

#[test]
fn the_calendar_file_follows_every_change() {
    let recert = Recert::new();
    let nasm = recert.add("nasm-cpt", "2025-02-10");
    recert.add("cpr-aed-aha", "2026-01-10");
    let once = recert.data_dir().join("once.ics");
    recert.ok(&["calendar", "--out", once.to_str().unwrap()]);
    let text = std::fs::read_to_string(&once).unwrap();
    for line in [
        "DTSTART;VALUE=DATE:20270210",                   // NASM-CPT's deadline
        "DTSTART;VALUE=DATE:20270211",                   // its late fee starts
        "DTSTART;VALUE=DATE:20280209",                   // its grace period ends, before one year on
        "DTSTART;VALUE=DATE:20280131",                   // the card expires
        "UID:recert-1-2027-02-10-deadline@recert.local", // stable per credential, cycle and kind
    ] {
        assert!(text.contains(line), "{line} missing: {text}");
    }

    let kept = recert.data_dir().join("synced").join("deadlines.ics");
    std::fs::create_dir_all(kept.parent().unwrap()).unwrap();
    let refused = recert.run(&["settings", "--calendar-file", "relative.ics"]);
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    recert.ok(&["settings", "--calendar-file", kept.to_str().unwrap()]);
    assert!(std::fs::read_to_string(&kept).unwrap().contains("DTSTART;VALUE=DATE:20270210"));
    recert.ok(&["renew", &nasm.to_string(), "--date", "2026-11-20", "--yes"]);
    let after = std::fs::read_to_string(&kept).unwrap();
    assert!(after.contains("UID:recert-1-2029-02-10-deadline@recert.local"), "the next cycle's deadline: {after}");
    assert!(!after.contains("20270210"), "the old deadline is gone: {after}");
}

#[test]
fn an_audit_packet_unzips_and_its_checksums_verify() {
    let recert = Recert::new();
    let cscs = recert.add("nsca-cscs", "2015-06-01");
    let proof = recert.data_dir().join("certificate <1>.pdf");
    std::fs::write(&proof, b"%PDF-1.4 certificate of attendance").unwrap();
    recert.ok(&[
        "log",
        "--title",
        "<b>Clinic</b> & more",
        "--date",
        "2026-05-01",
        "--hours",
        "8",
        "--proof",
        proof.to_str().unwrap(),
    ]);
    recert.ok(&["log", "--title", "Quiz", "--date", "2026-06-01", "--hours", "2", "--category", "D"]);
    let packet = recert.data_dir().join("audit.zip");
    let written = recert.ok(&["audit-packet", &cscs.to_string(), "--out", packet.to_str().unwrap(), "--json"]).json();
    assert_eq!((written["activities"].as_u64(), written["proofs"].as_u64()), (Some(2), Some(1)), "{written}");

    let unpacked = recert.data_dir().join("unpacked");
    let unzip = Command::new("python3").args(["-m", "zipfile", "-e"]).arg(&packet).arg(&unpacked).status().unwrap();
    assert!(unzip.success());
    let check = Command::new("sha256sum").args(["-c", "SHA256SUMS"]).current_dir(&unpacked).output().unwrap();
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stdout));
    let verified = String::from_utf8_lossy(&check.stdout);
    assert_eq!(verified.matches(": OK").count(), 3, "transcript, CSV and the proof: {verified}");
    let html = std::fs::read_to_string(unpacked.join("transcript.html")).unwrap();
    assert!(html.contains("&lt;b&gt;Clinic&lt;/b&gt; &amp; more"), "user text is escaped: {html}");
    assert!(html.contains("Cycle <strong>2024-01-01</strong> to <strong>2026-12-31</strong>"), "{html}");
    assert!(html.contains("This cycle has not been renewed yet."));
    let rows = std::fs::read_to_string(unpacked.join("activities.csv")).unwrap();
    assert_eq!(rows.lines().count(), 3, "{rows}");

    let none =
        recert.run(&["audit-packet", &cscs.to_string(), "--out", packet.to_str().unwrap(), "--cycle", "previous"]);
    assert_eq!(none.code, 2);
    assert!(none.stderr.contains("no previous cycle"), "{}", none.stderr);
}

#[test]
fn a_mistake_is_undone_from_a_backup() {
    let recert = Recert::new();
    recert.add("nsca-cscs", "2015-06-01");
    let listed = recert.ok(&["backups", "--json"]).json();
    let daily: Vec<&Value> = listed.as_array().unwrap().iter().filter(|b| b["kind"] == "daily").collect();
    assert_eq!(daily.len(), 1, "a change writes the day's backup: {listed}");
    let backup = daily[0]["path"].as_str().unwrap().to_string();

    recert.add("nasm-cpt", "2025-02-10");
    let before = recert.dump();
    let asked = recert.run(&["restore", &backup]);
    assert_eq!(asked.code, 2);
    assert!(asked.stderr.contains("confirm with --yes"), "{}", asked.stderr);
    assert_eq!(recert.dump(), before, "nothing changes until confirmed");
    let restored = recert.ok(&["restore", &backup, "--yes", "--json"]).json();
    assert_eq!(restored["restored"]["credentials"], 1);
    assert_eq!(recert.status().len(), 1, "the NASM-CPT added after the backup is gone");
    let saved = restored["previous_data_saved_to"].as_str().unwrap();
    assert!(saved.contains("before-restore"), "{saved}");

    let not_a_database = recert.data_dir().join("notes.txt");
    std::fs::write(&not_a_database, "hello").unwrap();
    let refused = recert.run(&["restore", not_a_database.to_str().unwrap(), "--yes"]);
    assert_eq!(refused.code, 2);
    assert!(refused.stderr.contains("is not a Recert database"), "{}", refused.stderr);
    let readable = recert.ok(&["backups"]).stdout;
    assert!(readable.contains("before a restore"), "{readable}");
}
