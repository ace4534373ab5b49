//! `make bench-certificates`: reads the generated corpus (scripts/certificate-corpus) and prints,
//! for each kind of file, the share of fields read right, fields filled wrongly (must be 0: unsure
//! means empty), fields left empty, and the time per page; then the bad files and their one line.
//! On the text PDFs it also compares the two pure-Rust engines: pdf-extract (used) and lopdf's
//! own `extract_text`.
//!
//!     cargo bench -p recert-core --bench certificates -- CORPUS_DIR

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use recert_core::certificate::fields::{catalog_bodies, read_fields, Reading};
use recert_core::certificate::{extract, Limits};
use serde_json::Value;

const FIELDS: [&str; 6] = ["title", "completed_on", "hours", "provider", "units", "approval"];

#[derive(Default)]
struct Score {
    files: usize,
    pages: usize,
    right: usize,
    wrong: usize,
    empty: usize,
    time: Duration,
    slowest: Duration,
    wrongs: Vec<String>,
}

fn same_text(a: &str, b: &str) -> bool {
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    norm(a) == norm(b)
}

/// The reading as the JSON the CLI prints, field by field.
fn actual(reading: &Reading) -> Value {
    let units: Vec<Value> = reading
        .units
        .iter()
        .map(|u| serde_json::json!({"body": u.body, "amount": u.amount.as_f64(), "unit": u.unit}))
        .collect();
    serde_json::json!({
        "title": reading.title,
        "completed_on": reading.completed_on.map(|d| d.to_string()),
        "hours": reading.hours.map(|h| h.as_f64()),
        "provider": reading.provider,
        "units": units,
        "approval": reading.approval,
    })
}

fn is_empty(value: &Value) -> bool {
    value.is_null() || value.as_array().is_some_and(Vec::is_empty)
}

fn sorted(list: &Value) -> Vec<String> {
    let mut items: Vec<String> = list
        .as_array()
        .map(|a| {
            a.iter()
                .map(|v| {
                    let amount = v.get("amount").and_then(Value::as_f64).map(|a| format!("{a:.2}")).unwrap_or_default();
                    format!(
                        "{}|{}|{}|{amount}",
                        v["body"],
                        v.get("number").unwrap_or(&Value::Null),
                        v.get("unit").unwrap_or(&Value::Null)
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    items.sort();
    items
}

fn equal(field: &str, got: &Value, want: &Value) -> bool {
    match field {
        "title" | "provider" => match (got.as_str(), want.as_str()) {
            (Some(a), Some(b)) => same_text(a, b),
            (None, None) => true,
            _ => false,
        },
        "hours" => match (got.as_f64(), want.as_f64()) {
            (Some(a), Some(b)) => (a - b).abs() < 0.005,
            (None, None) => true,
            _ => false,
        },
        "units" | "approval" => sorted(got) == sorted(want),
        _ => got == want,
    }
}

fn score(score: &mut Score, name: &str, reading: &Reading, expected: &Value) {
    let got = actual(reading);
    for field in FIELDS {
        let (g, w) = (&got[field], &expected[field]);
        if equal(field, g, w) {
            score.right += 1;
        } else if is_empty(g) {
            score.empty += 1;
            if std::env::var_os("VERBOSE").is_some() {
                println!("    empty: {name}: {field}, expected {w}");
            }
        } else {
            score.wrong += 1;
            score.wrongs.push(format!("{name}: {field} read {g}, expected {w}"));
        }
    }
}

fn certificates(dir: &Path) -> Vec<(PathBuf, Value)> {
    let mut found: Vec<(PathBuf, Value)> = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else { return found };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
        if name.ends_with(".expected.json") {
            continue;
        }
        let stem = name.rsplit_once('.').map_or(name.as_str(), |(s, _)| s).to_string();
        let expected_path = dir.join(format!("{stem}.expected.json"));
        if let Ok(text) = std::fs::read_to_string(&expected_path) {
            found.push((path, serde_json::from_str(&text).expect("expected fields are JSON")));
        }
    }
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found
}

fn print(kind: &str, s: &Score, target_share: f64, target_ms: u128) {
    let total = s.right + s.wrong + s.empty;
    let share = if total == 0 { 0.0 } else { s.right as f64 * 100.0 / total as f64 };
    let per_page = if s.pages == 0 { 0 } else { s.time.as_millis() / s.pages as u128 };
    let met = share >= target_share && s.wrong == 0 && per_page <= target_ms;
    println!(
        "{kind:<22} {:>3} files  {share:5.1} % of {total} fields right  {:>2} wrong  {:>3} left empty  {per_page:>5} ms/page (slowest {} ms)  target ≥{target_share} %, 0 wrong, ≤{target_ms} ms: {}",
        s.files,
        s.wrong,
        s.empty,
        s.slowest.as_millis(),
        if met { "met" } else { "NOT MET" }
    );
    for wrong in &s.wrongs {
        println!("    wrong: {wrong}");
    }
}

fn main() {
    let corpus = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("RECERT_CERTIFICATE_CORPUS").map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from("target/certificate-corpus"));
    let bodies = catalog_bodies();
    let limits = Limits::default();
    println!("Certificates in {}", corpus.display());
    let kinds = [
        ("text PDF", "text-pdf", 95.0, 300),
        ("image", "image", 85.0, 3000),
        ("PDF of a scan", "scan-pdf", 85.0, 3000),
    ];
    for (label, dir, target_share, target_ms) in kinds {
        let mut s = Score::default();
        let mut lopdf_score = Score::default();
        for (path, expected) in certificates(&corpus.join(dir)) {
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            let started = Instant::now();
            let extracted = match extract(&path, &limits) {
                Ok(extracted) => extracted,
                Err(error) => {
                    println!("    {name}: not read: {error}");
                    s.files += 1;
                    s.empty += FIELDS.len();
                    continue;
                }
            };
            let reading = read_fields(&extracted.text, &bodies);
            let took = started.elapsed();
            s.files += 1;
            s.pages += extracted.pages;
            s.time += took;
            s.slowest = s.slowest.max(took);
            score(&mut s, &name, &reading, &expected);
            if dir == "text-pdf" {
                let started = Instant::now();
                let bytes = std::fs::read(&path).unwrap();
                let text = lopdf::Document::load_mem(&bytes)
                    .and_then(|doc| {
                        let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
                        doc.extract_text(&pages)
                    })
                    .unwrap_or_default();
                let reading = read_fields(&text, &bodies);
                let took = started.elapsed();
                lopdf_score.files += 1;
                lopdf_score.pages += 1;
                lopdf_score.time += took;
                lopdf_score.slowest = lopdf_score.slowest.max(took);
                score(&mut lopdf_score, &name, &reading, &expected);
            }
        }
        print(label, &s, target_share, target_ms);
        if dir == "text-pdf" {
            lopdf_score.wrongs.truncate(3);
            print("  (lopdf extract_text)", &lopdf_score, target_share, target_ms);
        }
    }
    println!("Bad files (each must be refused with one line):");
    let mut bad: Vec<PathBuf> =
        std::fs::read_dir(corpus.join("bad")).map(|d| d.flatten().map(|e| e.path()).collect()).unwrap_or_default();
    bad.sort();
    let mut refused = 0;
    for path in &bad {
        let started = Instant::now();
        let outcome = recert_core::certificate::read_certificate(path, &limits);
        let took = started.elapsed().as_millis();
        match outcome {
            Err(error) => {
                refused += 1;
                println!("  refused in {took:>4} ms: {error}");
            }
            Ok(_) => println!("  NOT REFUSED: {}", path.display()),
        }
    }
    println!("  {refused} of {} bad files refused", bad.len());
}
