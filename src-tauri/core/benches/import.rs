//! Importing a spreadsheet of 10,000 and 40,000 courses beside 4 credentials: the time grows
//! with the rows, not their square. Target: at most 1 s per 10,000 rows (release build).
//! Run with `cargo bench -p recert-core --bench import` (or `make bench`).

use std::time::Instant;

use chrono::{DateTime, NaiveDate, Utc};
use recert_core::credential::CredentialForm;
use recert_core::service::ImportOptions;
use recert_core::Recert;

fn sheet(rows: usize) -> Vec<u8> {
    let mut text = String::from("date,title,provider,hours,categories\r\n");
    for n in 0..rows {
        text.push_str(&format!(
            "2026-{:02}-{:02},Course number {n},Provider,{}h{:02},A; general\r\n",
            n % 10 + 1,
            n % 28 + 1,
            n % 4 + 1,
            (n % 4) * 15
        ));
    }
    text.into_bytes()
}

fn main() {
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let now: DateTime<Utc> = "2026-11-23T09:00:00Z".parse().unwrap();
    let mut worst: f64 = 0.0;
    for rows in [10_000, 40_000] {
        let dir = tempfile::tempdir().unwrap();
        let mut recert = Recert::open(dir.path(), now).unwrap();
        for (preset, earned) in [
            ("nsca-cscs", "2015-06-01"),
            ("nasm-cpt", "2025-02-10"),
            ("ace-cpt", "2025-03-01"),
            ("ncsf-cpt", "2025-03-14"),
        ] {
            let form = CredentialForm { preset: Some(preset.into()), earned_on: earned.into(), ..Default::default() };
            recert.add_credential(&form, now, today).unwrap();
        }
        let bytes = sheet(rows);
        let started = Instant::now();
        let report = recert.import_csv(&bytes, ImportOptions::default(), now, today).unwrap();
        let seconds = started.elapsed().as_secs_f64();
        assert!(report.ok(), "{:?}", report.errors.first());
        assert_eq!(report.imported, rows);
        let per_10k = seconds * 10_000.0 / rows as f64;
        worst = worst.max(per_10k);
        println!("import of {rows:>6} rows: {seconds:>6.2} s ({per_10k:.2} s per 10,000 rows)");
    }
    let verdict = if worst <= 1.0 { "within" } else { "OVER" };
    println!("import: {verdict} the target of 1 s per 10,000 rows (worst {worst:.2} s)");
}
