//! Logging as people work: US dates and hours typed as "1h30", editing a logged activity, every
//! problem of a form at once, and the offer to record a new CPR/AED card.

use serde_json::Value;

use super::{approx, Recert, Run, TODAY};

fn units_of(logged: &Value, credential: i64) -> f64 {
    logged["outcomes"].as_array().unwrap().iter().find(|o| o["credential_id"] == credential).unwrap()["units"]
        .as_f64()
        .unwrap_or(0.0)
}

#[test]
fn us_dates_and_hours_in_words_are_read_as_people_mean_them() {
    let recert = Recert::new();
    let acsm = recert.add("acsm-cpt", "2024-04-01");
    for (date, hours, expected_date, expected_hours) in [
        ("05/10/2026", "1h30", "2026-05-10", 1.5),
        ("5/11/2026", "90 min", "2026-05-11", 1.5),
        ("2026-05-12", "1 h 30 min", "2026-05-12", 1.5),
        ("05/13/2026", "2h", "2026-05-13", 2.0),
    ] {
        let logged = recert.ok(&["log", "--title", "Course", "--date", date, "--hours", hours, "--json"]).json();
        assert_eq!(logged["completed_on"], expected_date, "{date}");
        assert!(approx(&logged["hours"], expected_hours), "{hours}: {}", logged["hours"]);
        // ACSM: one CEC per hour.
        assert!((units_of(&logged, acsm) - expected_hours).abs() < 1e-9, "{hours}");
    }
    assert!(approx(&recert.status_of(acsm)["units_earned"], 6.5));
    // Day-first dates are not guessed at: 31/12 is no month.
    let run = recert.run(&["log", "--title", "T", "--date", "31/12/2025", "--hours", "1"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("date: 31/12/2025 is not a real calendar date (MM/DD/YYYY)"), "{}", run.stderr);
}

#[test]
fn a_logged_activity_can_be_edited_and_its_credits_follow() {
    let recert = Recert::new();
    let cscs = recert.add("nsca-cscs", "2015-06-01");
    let nasm = recert.add("nasm-cpt", "2025-02-10");
    let logged = recert
        .ok(&[
            "log",
            "--title",
            "Kettlebel workshop",
            "--date",
            "2026-05-01",
            "--hours",
            "4",
            "--cost",
            "79",
            "--approved-by",
            "NASM",
            "--json",
        ])
        .json();
    let id = logged["activity_id"].as_i64().unwrap().to_string();
    assert!(approx(&recert.status_of(cscs)["units_earned"], 0.4));

    // The title had a typo and it was two days, not one.
    let edited = recert
        .ok(&[
            "edit-activity",
            &id,
            "--title",
            "Kettlebell workshop",
            "--hours",
            "8h",
            "--date",
            "05/02/2026",
            "--cost",
            "149",
            "--json",
        ])
        .json();
    assert_eq!(edited["activity_id"].as_i64().unwrap().to_string(), id);
    assert_eq!(edited["title"], "Kettlebell workshop");
    assert_eq!(edited["completed_on"], "2026-05-02");
    assert!((units_of(&edited, cscs) - 0.8).abs() < 1e-9);
    assert!(approx(&recert.status_of(cscs)["units_earned"], 0.8));
    assert!(approx(&recert.status_of(nasm)["units_earned"], 0.8));
    assert_eq!(recert.status_of(cscs)["course_costs_cents"], 14900);
    let activities = recert.ok(&["activities", "--json"]).json();
    assert_eq!(activities.as_array().unwrap().len(), 1, "changed in place");
    assert_eq!(activities[0]["provider"], Value::Null);
    assert!(approx(&activities[0]["hours"], 8.0));

    // Readable output names what changed and what each credential now gets.
    let text = recert.ok(&["edit-activity", &id, "--provider", "StrongFirst"]).stdout;
    assert!(text.contains(&format!("Changed activity {id}: \"Kettlebell workshop\", 2026-05-02, 8.0 h")), "{text}");
    assert!(text.contains("+ 0.8 CEU to CSCS"), "{text}");

    // Leave NASM out: only CSCS keeps it.
    let only_cscs = cscs.to_string();
    recert.ok(&["edit-activity", &id, "--for", &only_cscs]);
    assert!(approx(&recert.status_of(nasm)["units_earned"], 0.0));
    assert!(approx(&recert.status_of(cscs)["units_earned"], 0.8));
    // A later edit keeps that choice.
    recert.ok(&["edit-activity", &id, "--hours", "6"]);
    assert!(approx(&recert.status_of(nasm)["units_earned"], 0.0));
    assert!(approx(&recert.status_of(cscs)["units_earned"], 0.6));
    recert.ok(&["edit-activity", &id, "--for-all"]);
    assert!(approx(&recert.status_of(nasm)["units_earned"], 0.6));

    // Bad changes: every problem on one line, nothing changed.
    let before = recert.dump();
    let run = recert.run(&["edit-activity", &id, "--title", " ", "--date", "2026-02-30", "--hours", "lots"]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stderr.trim_end().lines().count(), 1, "{}", run.stderr);
    for expected in
        ["title: must not be empty", "date: 2026-02-30 is not a real calendar date", "hours: must be hours like"]
    {
        assert!(run.stderr.contains(expected), "{expected:?} in {}", run.stderr);
    }
    assert_eq!(recert.dump(), before);
    let missing = recert.run(&["edit-activity", "999", "--hours", "1"]);
    assert!(missing.stderr.contains("activity not found: 999"), "{}", missing.stderr);
    assert_eq!(recert.dump(), before);
}

#[test]
fn a_cpr_course_points_at_recording_the_new_card() {
    let recert = Recert::new();
    let card = recert.add("cpr-aed-aha", "2025-01-15");
    let text = recert.ok(&["log", "--title", "Heartsaver CPR AED", "--date", "10/01/2026", "--hours", "4"]).stdout;
    assert!(text.contains(&format!("record it: recert renew {card} --date 2026-10-01")), "{text}");
    let logged = recert
        .ok(&["log", "--title", "Skills day", "--category", "cpr", "--date", "2026-10-02", "--hours", "2", "--json"])
        .json();
    assert_eq!(logged["card_offers"][0]["credential_id"], card);
    assert_eq!(logged["card_offers"][0]["issued_on"], "2026-10-02");
    let plain = recert.ok(&["log", "--title", "Mobility", "--date", "2026-10-03", "--hours", "2", "--json"]).json();
    assert_eq!(plain["card_offers"], serde_json::json!([]));
}

/// What each body accepts, through the command line: a course NASM has not approved waits for its
/// petition, NSCA takes it at once; the answer is recorded with `recert petition`; approvals go
/// out to a spreadsheet and come back in.
#[test]
fn a_course_waits_for_the_bodies_that_must_approve_it() {
    let recert = Recert::new();
    let cscs = recert.add("nsca-cscs", "2015-06-01");
    let nasm = recert.add("nasm-cpt", "2025-02-10");
    let logged = recert.ok(&["log", "--title", "Clinic", "--date", "2026-05-01", "--hours", "6"]);
    assert!(
        logged.stdout.contains("? 0.6 CEU to NASM-CPT, pending: counts once NASM accepts a petition ($25.00)"),
        "{}",
        logged.stdout
    );
    assert!(logged.stdout.contains("recert petition 1 2 --accepted UNITS"), "{}", logged.stdout);
    assert!(approx(&recert.status_of(nasm)["units_earned"], 0.0));
    assert!(approx(&recert.status_of(nasm)["units_pending"], 0.6));
    assert!(approx(&recert.status_of(cscs)["units_earned"], 0.6));
    let status = recert.ok(&["status"]).stdout;
    assert!(status.contains("CEU: 0.0 of 2.0 (0.6 more pending NASM's approval)"), "{status}");

    // An unknown body is refused, naming the ones Recert knows; nothing is logged.
    let before = recert.dump();
    let unknown =
        recert.run(&["log", "--title", "X", "--date", "2026-05-02", "--hours", "1", "--approved-by", "Guild"]);
    assert_eq!(unknown.code, 2);
    assert!(unknown.stderr.contains("\"Guild\" is not a body Recert knows"), "{}", unknown.stderr);
    assert_eq!(recert.dump(), before);

    // NASM accepts 0.5 of it.
    let answer = recert.ok(&["petition", "1", &nasm.to_string(), "--accepted", "0.5"]);
    assert!(answer.stdout.contains("NASM-CPT accepted activity 1: 0.5 CEU now count"), "{}", answer.stdout);
    assert!(approx(&recert.status_of(nasm)["units_earned"], 0.5));
    assert!(approx(&recert.status_of(nasm)["units_pending"], 0.0));
    let twice = recert.run(&["petition", "1", &cscs.to_string(), "--refused"]);
    assert_eq!(twice.code, 2, "NSCA never had to approve it: {}", twice.stdout);

    // Approved when logged: counted at once; the approval is edited away: pending again.
    let approved = recert
        .ok(&[
            "log",
            "--title",
            "NASM course",
            "--date",
            "2026-06-01",
            "--hours",
            "2",
            "--approved-by",
            "NASM:N-77",
            "--json",
        ])
        .json();
    let id = approved["activity_id"].as_i64().unwrap().to_string();
    assert!(approx(&recert.status_of(nasm)["units_earned"], 0.7));
    recert.ok(&["edit-activity", &id, "--no-approvals"]);
    assert!(approx(&recert.status_of(nasm)["units_earned"], 0.5));
    assert!(approx(&recert.status_of(nasm)["units_pending"], 0.2));
    recert.ok(&["edit-activity", &id, "--approved-by", "National Academy of Sports Medicine:N-77"]);
    assert!(approx(&recert.status_of(nasm)["units_earned"], 0.7));
    let activities = recert.ok(&["activities", "--json"]).json();
    let edited = activities
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"].as_i64().map(|n| n.to_string()).as_deref() == Some(id.as_str()))
        .unwrap()
        .clone();
    assert_eq!(edited["approved_by"], serde_json::json!(["NASM:N-77"]), "stored by the short name");

    // Out to a spreadsheet and back in: the same counted and pending units.
    let sheet = recert.data_dir().join("ledger.csv");
    recert.ok(&["export-csv", "--out", sheet.to_str().unwrap()]);
    let text = std::fs::read_to_string(&sheet).unwrap();
    assert!(text.contains(",NASM:N-77,"), "{text}");
    let other = Recert::new();
    other.add("nsca-cscs", "2015-06-01");
    let nasm_again = other.add("nasm-cpt", "2025-02-10");
    other.ok(&["import-csv", sheet.to_str().unwrap()]);
    assert!(approx(&other.status_of(nasm_again)["units_earned"], 0.7));
}

#[test]
fn the_activity_list_names_credentials_and_says_when_no_cost_was_given() {
    let recert = Recert::new();
    recert.ok(&["add", "--preset", "nsca-cscs", "--earned", "2015-06-01", "--already-earned", "3.0:A"]);
    recert.ok(&["log", "--title", "Mobility webinar", "--date", "2026-05-01", "--hours", "2"]);
    recert.ok(&["log", "--title", "Workshop", "--date", "2026-05-02", "--hours", "8", "--cost", "149"]);
    let text = recert.ok(&["activities"]).stdout;
    assert!(text.contains("Earned before Recert: 3.0 CEU (A), CSCS"), "{text}");
    assert!(text.contains("Mobility webinar — 2.0 h, no cost given"), "{text}");
    assert!(text.contains("Workshop — 8.0 h, $149.00"), "{text}");
    assert!(!text.contains("credential 1") && !text.contains("$0.00"), "{text}");
}

#[test]
fn backups_are_listed_in_local_time() {
    let recert = Recert::new();
    recert.add("nsca-cscs", "2015-06-01");
    let backups = recert.data_dir().join("backups");
    std::fs::create_dir_all(&backups).unwrap();
    std::fs::copy(recert.data_dir().join("recert.sqlite3"), backups.join("recert-20261128T091500Z.sqlite3")).unwrap();
    let run = Run::from(recert.command(TODAY, &["backups"]).env("TZ", "America/New_York").output().unwrap());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let line = run.stdout.lines().find(|l| l.contains("recert-20261128T091500Z")).unwrap();
    assert!(line.starts_with("2026-11-28 04:15:00 "), "09:15 UTC is 04:15 in New York: {line}");
    // The window gets the moment itself.
    let listed = recert.ok(&["backups", "--json"]).json();
    let manual = listed.as_array().unwrap().iter().find(|b| b["kind"] == "manual").unwrap();
    assert_eq!(manual["written_at_utc"], "2026-11-28T09:15:00Z");
}
