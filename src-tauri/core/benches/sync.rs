//! Sync (issue 22): applying about 10,000 remote changes (target ≤ 1 s), a sync with nothing new
//! (target ≤ 50 ms), and the shared folder's size after 10,000 changes, before and after a
//! snapshot. Run with `cargo bench -p recert-core --bench sync` (release build).

use std::path::Path;
use std::time::Instant;

use chrono::{NaiveDate, Utc};
use recert_core::activity::{ActivityChanges, ActivityForm};
use recert_core::credential::CredentialForm;
use recert_core::service::ImportOptions;
use recert_core::store::Read;
use recert_core::Recert;

fn computer(shared: &Path, name: &str) -> (tempfile::TempDir, Recert) {
    let dir = tempfile::tempdir().unwrap();
    let mut recert = Recert::open(dir.path(), Utc::now()).unwrap();
    recert.set_sync_folder(shared, Some(name)).unwrap();
    (dir, recert)
}

fn add_credentials(recert: &mut Recert, today: NaiveDate) {
    for (preset, earned) in [("nsca-cscs", "2015-06-01"), ("nasm-cpt", "2025-02-10")] {
        let form = CredentialForm { preset: Some(preset.into()), earned_on: earned.into(), ..Default::default() };
        recert.add_credential(&form, Utc::now(), today).unwrap();
    }
}

fn size_of(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|e| match e.file_type() {
                    Ok(t) if t.is_dir() => size_of(&e.path()),
                    _ => e.metadata().map(|m| m.len()).unwrap_or(0),
                })
                .sum()
        })
        .unwrap_or(0)
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn main() {
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();

    // 1. One computer logs courses (one import); another applies them in one sync.
    let shared = tempfile::tempdir().unwrap();
    let (_l, mut laptop) = computer(shared.path(), "laptop");
    let (_h, mut home) = computer(shared.path(), "home");
    add_credentials(&mut laptop, today);
    let mut sheet = String::from("date,title,provider,hours,categories\r\n");
    for n in 0..400 {
        sheet.push_str(&format!("2026-{:02}-{:02},Course number {n},Provider,2,A\r\n", n % 10 + 1, n % 28 + 1));
    }
    laptop.import_csv(sheet.as_bytes(), ImportOptions::default(), Utc::now(), today).unwrap();
    let sent = laptop.sync(Utc::now()).unwrap().sent;
    let started = Instant::now();
    let report = home.sync(Utc::now()).unwrap();
    let apply = started.elapsed().as_secs_f64();
    assert_eq!(report.files_applied, 1);
    assert_eq!(home.store().activities().unwrap().len(), 400);
    let per_10k = apply * 10_000.0 / sent as f64;
    let verdict = if per_10k <= 1.0 { "within" } else { "OVER" };
    println!(
        "sync: applying {sent} remote changes (400 courses, 2 credentials): {apply:.3} s ({per_10k:.3} s per 10,000; \
         {verdict} the target of 1 s)"
    );

    // 2. A sync with nothing new: list the folder, read nothing, write nothing.
    let times: Vec<f64> = (0..20)
        .map(|_| {
            let started = Instant::now();
            let report = home.sync(Utc::now()).unwrap();
            assert_eq!((report.sent, report.files_applied), (0, 0));
            started.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    let worst = times.iter().cloned().fold(0.0, f64::max);
    let verdict = if worst <= 50.0 { "within" } else { "OVER" };
    println!(
        "sync: nothing new: median {:.2} ms, worst {worst:.2} ms of 20 ({verdict} the target of 50 ms)",
        median(times.clone())
    );

    // 3. What syncing costs a local write: importing 10,000 courses with syncing on (every field
    //    stamped in the import's transaction) against the import bench's figure with it off.
    let shared_big = tempfile::tempdir().unwrap();
    let (_b, mut big) = computer(shared_big.path(), "big");
    add_credentials(&mut big, today);
    let mut sheet = String::from("date,title,provider,hours,categories\r\n");
    for n in 0..10_000 {
        sheet.push_str(&format!("2026-{:02}-{:02},Course number {n},Provider,2,A\r\n", n % 10 + 1, n % 28 + 1));
    }
    let started = Instant::now();
    big.import_csv(sheet.as_bytes(), ImportOptions::default(), Utc::now(), today).unwrap();
    let import = started.elapsed().as_secs_f64();
    let stamped = big.store().sync_outgoing().unwrap().len();
    println!("sync: importing 10,000 courses with syncing on: {import:.2} s ({stamped} fields stamped)");

    // 4. The shared folder after about 10,000 changes made in many small syncs (courses logged,
    //    then edited twice each), before and after a snapshot.
    let shared = tempfile::tempdir().unwrap();
    let (_g, mut gym) = computer(shared.path(), "gym");
    add_credentials(&mut gym, today);
    let mut ids = Vec::new();
    let mut changes = 0;
    for n in 0..370 {
        let form = ActivityForm {
            title: format!("Course {n}"),
            completed_on: format!("2026-{:02}-{:02}", n % 10 + 1, n % 28 + 1),
            hours: "2".into(),
            ..Default::default()
        };
        ids.push(gym.log_activity(&form, Utc::now(), today).unwrap().activity.id);
        if n % 12 == 11 {
            changes += gym.sync(Utc::now()).unwrap().sent;
        }
    }
    for round in 0..2 {
        for (i, id) in ids.iter().enumerate() {
            let edit = ActivityChanges { title: Some(format!("Course {i}, edit {round}")), ..Default::default() };
            gym.edit_activity(*id, &edit, today).unwrap();
            if i % 24 == 23 {
                changes += gym.sync(Utc::now()).unwrap().sent;
            }
        }
    }
    changes += gym.sync(Utc::now()).unwrap().sent;
    let root = shared.path().join(recert_core::sync::folder::ROOT);
    let device = gym.store().sync_device().unwrap().device;
    let mine = root.join(&device);
    let files = recert_core::sync::folder::list(&mine).unwrap().len();
    let before = size_of(&mine);
    gym.write_snapshot(&mine, Utc::now()).unwrap();
    let after = size_of(&mine);
    println!(
        "sync: shared folder after {} changes in {files} files: {:.0} KiB; after a snapshot: {:.0} KiB in 1 file",
        changes,
        before as f64 / 1024.0,
        after as f64 / 1024.0
    );
}
