//! `recert plan`: planned courses in and out, the cheapest plan as JSON and in words, a gap
//! nothing closes, an import all or nothing, and "done" logging a planned course.

use serde_json::Value;

use super::{approx, Recert};

fn add_with(recert: &Recert, preset: &str, earned: &str, already: &[&str]) -> i64 {
    let mut args = vec!["add", "--preset", preset, "--earned", earned, "--json"];
    for a in already {
        args.extend(["--already-earned", a]);
    }
    recert.ok(&args).json()["id"].as_i64().unwrap()
}

fn plan_course(recert: &Recert, args: &[&str]) -> i64 {
    let mut all = vec!["plan", "add", "--json"];
    all.extend_from_slice(args);
    recert.ok(&all).json()["id"].as_i64().unwrap()
}

fn credential(plan: &Value, id: i64) -> &Value {
    plan["credentials"].as_array().unwrap().iter().find(|c| c["credential_id"] == id).unwrap()
}

fn chosen_ids(plan: &Value) -> Vec<i64> {
    let mut ids: Vec<i64> = plan["chosen"].as_array().unwrap().iter().map(|c| c["id"].as_i64().unwrap()).collect();
    ids.sort();
    ids
}

#[test]
fn one_course_for_two_bodies_is_chosen_over_two_cheaper_ones() {
    let recert = Recert::new();
    // CSCS: 5.0 of 6.0 by Dec 31; NASM-CPT: 1.1 of 2.0.
    let cscs = add_with(&recert, "nsca-cscs", "2015-06-01", &["4.0:A", "1.0:C"]);
    let nasm = add_with(&recert, "nasm-cpt", "2025-03-01", &["0.1:cpr", "1.0:courses"]);
    let both = plan_course(
        &recert,
        &[
            "--title",
            "Both bodies",
            "--date",
            "2026-12-05",
            "--hours",
            "10",
            "--cost",
            "150",
            "--approved-by",
            "NSCA",
            "--approved-by",
            "nasm",
        ],
    );
    plan_course(
        &recert,
        &["--title", "NSCA only", "--date", "2026-12-05", "--hours", "10", "--cost", "100", "--approved-by", "NSCA"],
    );
    plan_course(
        &recert,
        &["--title", "NASM only", "--date", "2026-12-05", "--hours", "10", "--cost", "100", "--approved-by", "NASM"],
    );
    // Cheapest of all, but after CSCS's deadline, and not NASM-approved.
    plan_course(&recert, &["--title", "January seminar", "--date", "2027-01-10", "--hours", "10", "--cost", "5"]);
    let plan = recert.ok(&["plan", "--json"]).json();
    assert_eq!(chosen_ids(&plan), [both], "{plan}");
    assert_eq!(plan["chosen"][0]["title"], "Both bodies");
    assert_eq!(plan["total_cost_cents"], 15000);
    for id in [cscs, nasm] {
        assert_eq!(credential(&plan, id)["shortfall_after"], 0.0, "{plan}");
    }
    assert!(approx(&credential(&plan, cscs)["units_projected"], 6.0));
    assert!(approx(&credential(&plan, nasm)["units_projected"], 2.1), "0.1 + 1.0 + 1.0");
    let words = recert.ok(&["plan"]).stdout;
    assert!(words.contains("Plan (lowest cost): 1 course, $150.00, 10.0 h"), "{words}");
    assert!(words.contains("CSCS complete by Dec 5, 2026"), "{words}");
    assert!(words.contains("Both bodies +1.0 CEU in courses"), "{words}");
    // The hours objective and limits are taken; a budget too small says which gap stays.
    let tight = recert.ok(&["plan", "--budget", "100", "--json"]).json();
    assert_eq!(tight["total_cost_cents"], 10000);
    assert!(tight["credentials"].as_array().unwrap().iter().any(|c| c["gap"] == "limits"), "{tight}");
    let bad = recert.run(&["plan", "--objective", "money"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("objective"), "{}", bad.stderr);
}

#[test]
fn a_gap_nothing_in_the_list_closes_is_an_answer_not_an_error() {
    let recert = Recert::new();
    let nasm = add_with(&recert, "nasm-cpt", "2025-03-01", &["0.1:cpr", "1.0:courses"]);
    // NASM must approve a course: without --approved-by NASM it is pending, and does not count.
    plan_course(&recert, &["--title", "Unapproved workshop", "--date", "2026-12-05", "--hours", "10", "--cost", "50"]);
    let run = recert.ok(&["plan"]);
    assert!(run.stdout.contains("NASM-CPT 0.9 CEU short — nothing in your list can close it"), "{}", run.stdout);
    let plan = recert.ok(&["plan", "--json"]).json();
    assert!(plan["chosen"].as_array().unwrap().is_empty());
    assert!(approx(&credential(&plan, nasm)["shortfall_after"], 0.9));
}

#[test]
fn planned_courses_are_listed_removed_and_done() {
    let recert = Recert::new();
    let acsm = recert.add("acsm-cpt", "2024-04-01");
    let id = plan_course(
        &recert,
        &[
            "--title",
            "Kettlebell workshop",
            "--before",
            "2026-11-20",
            "--hours",
            "1h30",
            "--cost",
            "49.50",
            "--category",
            "A",
        ],
    );
    let other = plan_course(&recert, &["--title", "Mobility", "--date", "2027-02-01", "--hours", "2"]);
    let list = recert.ok(&["plan", "list", "--json"]).json();
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert_eq!(list[0]["any_time_before"], true);
    assert_eq!(list[0]["cost_cents"], 4950);
    assert!(recert.ok(&["plan", "list"]).stdout.contains("before 2026-11-20"));
    recert.ok(&["plan", "remove", &other.to_string()]);
    assert_eq!(recert.run(&["plan", "remove", &other.to_string()]).code, 2, "already gone");
    let before = recert.status_of(acsm)["units_earned"].as_f64().unwrap();
    let proof = recert.data_dir().parent().unwrap().join(format!("proof-{}.pdf", std::process::id()));
    std::fs::write(&proof, b"%PDF-1.4 certificate").unwrap();
    let logged = recert.ok(&["plan", "done", &id.to_string(), "--proof", proof.to_str().unwrap(), "--json"]).json();
    std::fs::remove_file(&proof).ok();
    assert_eq!(logged["title"], "Kettlebell workshop");
    assert_eq!(logged["completed_on"], "2026-11-20");
    assert!(recert.ok(&["plan", "list", "--json"]).json().as_array().unwrap().is_empty());
    assert!(approx(&recert.status_of(acsm)["units_earned"], before + 1.5));
}

#[test]
fn an_import_is_all_or_nothing_with_line_numbers() {
    let recert = Recert::new();
    recert.add("nsca-cscs", "2015-06-01");
    let file = recert.data_dir().join("planned.csv");
    std::fs::write(&file, "title,date,before,hours,cost,categories,approved_by\nGood,2026-12-01,,2,30,C,NSCA\nBad,2026-13-01,,x,,,\nSelf-paced,,2026-12-20,1,5,,Nobody\n").unwrap();
    let run = recert.run(&["plan", "import", file.to_str().unwrap()]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("line 3, column date: 2026-13-01 is not a real calendar date"), "{}", run.stderr);
    assert!(run.stderr.contains("line 3, column hours"), "{}", run.stderr);
    assert!(run.stderr.contains("line 4, column approved-by"), "{}", run.stderr);
    assert!(recert.ok(&["plan", "list", "--json"]).json().as_array().unwrap().is_empty(), "nothing came in");
    std::fs::write(&file, "Title,Date,Before,Hours,Cost,Categories,Approved by\nGood,2026-12-01,,2,30,C;B,NSCA:Q123\nSelf-paced,,2026-12-20,1,5,,\n").unwrap();
    let report = recert.ok(&["plan", "import", file.to_str().unwrap(), "--json"]).json();
    assert_eq!(report["imported"], 2);
    let list = recert.ok(&["plan", "list", "--json"]).json();
    assert_eq!(list[0]["categories"], serde_json::json!(["C", "B"]));
    assert_eq!(list[0]["approved_by"], serde_json::json!(["NSCA:Q123"]));
    assert_eq!(list[1]["any_time_before"], true);
}
