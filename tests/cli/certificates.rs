//! `recert read-certificate` and `recert log --from-certificate` on certificates the corpus
//! generator makes (scripts/certificate-corpus/generate.py, one of each layout): the fields and
//! their evidence, the units credited per body, the proof, the question, duplicates, and the bad
//! files refused in one line with nothing created.

use std::path::Path;

use serde_json::Value;

use super::certificate_corpus::{corpus, expected};
use super::{approx, Recert, Run};

fn read(recert: &Recert, file: &Path) -> Value {
    recert.run(&["read-certificate", file.to_str().unwrap(), "--json"]).json()
}

fn no_data(recert: &Recert) {
    assert!(!recert.data_dir().join("recert.sqlite3").exists(), "reading a certificate created data");
}

#[test]
fn read_certificate_prints_each_field_with_its_words_and_changes_nothing() {
    let recert = Recert::new();
    let file = corpus().join("text-pdf/nasm-1.pdf");
    let want = expected(&file);
    let got = read(&recert, &file);
    for field in ["title", "completed_on", "provider", "units", "approval"] {
        assert_eq!(got[field], want[field], "{field}");
    }
    assert!(approx(&got["hours"], want["hours"].as_f64().unwrap()));
    assert_eq!(got["source"], "pdf_text");
    let evidence = &got["evidence"];
    assert!(evidence["title"].as_str().unwrap().contains(want["title"].as_str().unwrap()));
    assert!(evidence["units"][0].as_str().unwrap().contains("NASM CEUs"), "{evidence}");
    // Readable output: each field with the words it came from.
    let run = recert.ok(&["read-certificate", file.to_str().unwrap()]);
    assert!(
        run.stdout.contains("Units:") && run.stdout.contains("CEU for NASM   from \"Approved for"),
        "{}",
        run.stdout
    );
    no_data(&recert);
}

#[test]
fn every_layout_reads_without_a_wrong_field() {
    let recert = Recert::new();
    for entry in std::fs::read_dir(corpus().join("text-pdf")).unwrap().flatten() {
        let file = entry.path();
        if file.extension().is_some_and(|e| e == "pdf") {
            let (got, want) = (read(&recert, &file), expected(&file));
            for field in ["title", "completed_on", "provider"] {
                assert!(
                    got[field].is_null() || got[field] == want[field],
                    "{}: {field} {}",
                    file.display(),
                    got[field]
                );
            }
        }
    }
}

#[test]
fn a_picture_and_a_scan_are_read_through_tesseract() {
    let recert = Recert::new();
    let image = std::fs::read_dir(corpus().join("image"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            p.file_name().unwrap().to_str().unwrap().starts_with("ace-1") && p.extension().is_some_and(|e| e != "json")
        })
        .expect("a picture of the ACE layout");
    let got = read(&recert, &image);
    assert_eq!(got["source"], "image");
    assert_eq!(got["completed_on"], expected(&image)["completed_on"]);
    assert_eq!(got["units"], expected(&image)["units"]);
    let scan = corpus().join("scan-pdf/nasm-1-scan.pdf");
    let got = read(&recert, &scan);
    assert_eq!(got["source"], "pdf_scan");
    assert_eq!(got["title"], expected(&scan)["title"]);
    no_data(&recert);
}

#[test]
fn bad_files_get_one_clear_line_and_nothing_is_created() {
    let recert = Recert::new();
    for (name, words) in [
        ("empty.pdf", "is empty (0 bytes)"),
        ("encrypted.pdf", "is an encrypted PDF"),
        ("pages-2000.pdf", "has 2000 pages; Recert reads certificates of at most 20 pages"),
        ("huge-200-megapixels.png", "(200 megapixels); Recert reads images of at most 60 megapixels"),
        ("picture-named.pdf", "is a PNG image, not a PDF as its name says"),
        ("grocery-list.pdf", "does not look like a certificate"),
        ("notes.txt", "is not a certificate Recert can read"),
    ] {
        let file = corpus().join("bad").join(name);
        for args in [
            vec!["read-certificate", file.to_str().unwrap()],
            vec!["log", "--from-certificate", file.to_str().unwrap(), "--yes"],
        ] {
            let run = recert.run(&args);
            assert_eq!(run.code, 2, "{name}: {}", run.stderr);
            assert!(run.stderr.contains(words), "{name}: {}", run.stderr);
            assert_eq!(run.stderr.trim().lines().count(), 1, "{name}: {}", run.stderr);
            no_data(&recert);
        }
    }
}

#[test]
fn log_from_a_certificate_credits_each_body_its_units_keeps_the_proof_and_asks_first() {
    let recert = Recert::new();
    let nasm = recert.add("nasm-cpt", "2025-09-01");
    let ace = recert.add("ace-cpt", "2025-09-01");
    let acsm = recert.add("acsm-cpt", "2025-09-01");
    let file = corpus().join("text-pdf/webinar-1.pdf");
    let path = file.to_str().unwrap();
    let want = expected(&file);

    // No terminal to ask, no --yes: shown, not logged.
    let run: Run = recert.run(&["log", "--from-certificate", path]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stdout.contains("Title:") && run.stderr.contains("add --yes to log it"), "{}", run.stderr);
    assert!(recert.ok(&["activities", "--json"]).json().as_array().unwrap().is_empty());

    let logged = recert.ok(&["log", "--from-certificate", path, "--yes", "--cost", "25", "--json"]).json();
    assert_eq!(logged["title"], want["title"]);
    assert_eq!(logged["completed_on"], want["completed_on"]);
    let units_of = |id: i64| {
        logged["outcomes"].as_array().unwrap().iter().find(|o| o["credential_id"] == id).unwrap()["units"].clone()
    };
    // The units the certificate states for NASM and ACE, as `--for ID=UNITS` would; ACSM as any course.
    assert!(approx(&units_of(nasm), want["units"][1]["amount"].as_f64().unwrap()), "{logged}");
    assert!(approx(&units_of(ace), want["units"][0]["amount"].as_f64().unwrap()), "{logged}");
    assert!(approx(&units_of(acsm), want["hours"].as_f64().unwrap()), "{logged}");
    assert_eq!(recert.proof_files().len(), 1, "the certificate is the proof");
    let activities = recert.ok(&["activities", "--json"]).json();
    let approvals = activities[0]["approved_by"].to_string();
    assert!(approvals.contains("CEP") && approvals.contains("NASM"), "{approvals}");

    // The same certificate again is pointed out and refused; --again logs it.
    let run = recert.run(&["log", "--from-certificate", path, "--yes"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("looks logged already") && run.stderr.contains("the same file"), "{}", run.stderr);
    // A field typed replaces the one read.
    let again =
        recert.ok(&["log", "--from-certificate", path, "--yes", "--again", "--title", "Renamed", "--json"]).json();
    assert_eq!(again["title"], "Renamed");
    assert_eq!(recert.ok(&["activities", "--json"]).json().as_array().unwrap().len(), 2);
}

#[test]
fn a_field_the_certificate_does_not_give_is_asked_for() {
    let recert = Recert::new();
    recert.add("nasm-cpt", "2025-09-01");
    // The CPR card states no hours.
    let file = corpus().join("text-pdf/cpr-card-1.pdf");
    let run = recert.run(&["log", "--from-certificate", file.to_str().unwrap(), "--yes"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("could not read its hours (give it with --hours)"), "{}", run.stderr);
    let logged =
        recert.ok(&["log", "--from-certificate", file.to_str().unwrap(), "--yes", "--hours", "4", "--json"]).json();
    assert!(approx(&logged["hours"], 4.0));
}
