//! `recert sync` between two data folders through one shared folder (issue 22): the same
//! credentials, activities, proofs and reminder state on both, concurrent edits of one credential
//! merged by field, files still arriving or from a newer Recert left for later, and a sync killed
//! while applying leaves nothing half-applied.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::Value;

use super::Recert;

struct Pair {
    laptop: Recert,
    home: Recert,
    shared: tempfile::TempDir,
}

impl Pair {
    fn new() -> Self {
        let pair = Pair { laptop: Recert::new(), home: Recert::new(), shared: tempfile::tempdir().unwrap() };
        let shared = pair.shared();
        pair.laptop.ok(&["sync", "--folder", &shared, "--name", "laptop"]);
        pair.home.ok(&["sync", "--folder", &shared, "--name", "home"]);
        pair
    }

    fn shared(&self) -> String {
        self.shared.path().to_str().unwrap().to_string()
    }

    /// Both sync, twice each, so each has what the other sent.
    fn exchange(&self) {
        for _ in 0..2 {
            self.laptop.ok(&["sync"]);
            self.home.ok(&["sync"]);
        }
    }

    /// The change files a computer wrote.
    fn files_of(&self, recert: &Recert) -> Vec<PathBuf> {
        let device = recert.ok(&["sync", "--status", "--json"]).json()["device"].as_str().unwrap().to_string();
        let dir = self.shared.path().join("recert-sync").join(device);
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
        files
    }
}

/// What two computers must agree on: status and activities as the user sees them, without the
/// local ids (each computer numbers its own rows), in a stable order.
fn seen(recert: &Recert) -> Vec<String> {
    fn strip(value: &mut Value) {
        match value {
            Value::Object(map) => {
                map.retain(|key, _| key != "id" && key != "credential_id");
                map.values_mut().for_each(strip);
            }
            Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let mut rows = Vec::new();
    for args in [&["status", "--json"][..], &["activities", "--json"][..]] {
        for mut row in recert.ok(args).json().as_array().unwrap().clone() {
            strip(&mut row);
            rows.push(format!("{} {row}", args[0]));
        }
    }
    rows.sort();
    rows
}

/// Fails with the rows only one side has, not both whole lists.
fn assert_same(a: &Recert, b: &Recert) {
    let (a, b) = (seen(a), seen(b));
    let only_a: Vec<&String> = a.iter().filter(|row| !b.contains(row)).take(3).collect();
    let only_b: Vec<&String> = b.iter().filter(|row| !a.contains(row)).take(3).collect();
    assert!(a.len() == b.len() && only_a.is_empty(), "only on the first: {only_a:#?}\nonly on the second: {only_b:#?}");
}

#[test]
fn two_computers_share_credentials_activities_proofs_and_reminders() {
    let pair = Pair::new();
    let proof = pair.laptop.data_dir().parent().unwrap().join(format!("sync-proof-{}.pdf", std::process::id()));
    std::fs::write(&proof, b"%PDF-1.4 certificate of completion").unwrap();
    pair.laptop.add("nasm-cpt", "2025-06-01");
    pair.laptop.ok(&[
        "log",
        "--title",
        "Mobility workshop",
        "--date",
        "2026-10-01",
        "--hours",
        "4",
        "--proof",
        proof.to_str().unwrap(),
    ]);
    pair.home.add("cpr-aed-aha", "2025-03-01");
    pair.home.ok(&["settings", "--lead-days", "45,10"]);
    pair.exchange();
    assert_same(&pair.laptop, &pair.home);
    assert_eq!(pair.home.status().len(), 2);
    // The proof travelled by its SHA-256 and opens on the other computer.
    let on_home = pair.home.proof_files();
    assert_eq!(on_home.len(), 1, "{on_home:?}");
    assert_eq!(std::fs::read(&on_home[0]).unwrap(), std::fs::read(&proof).unwrap());
    let _ = std::fs::remove_file(&proof);
    // A setting of the person travels.
    let settings = pair.laptop.ok(&["settings", "--json"]).json();
    assert_eq!(settings["lead_days"], serde_json::json!([45, 10]), "{settings}");
    // Reminders raised on one computer are not raised again on the other.
    let reminders_today = "2027-05-20";
    let server = super::notification_server::NotificationServer::start();
    let raised = pair
        .laptop
        .command(reminders_today, &["remind", "--json"])
        .env("DBUS_SESSION_BUS_ADDRESS", server.address())
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .unwrap();
    let raised = super::Run::from(raised);
    assert_eq!(raised.code, 0, "{}", raised.stderr);
    let due_on_laptop = serde_json::from_str::<Value>(&raised.stdout).unwrap().as_array().unwrap().len();
    assert!(due_on_laptop > 0, "{}", raised.stderr);
    pair.exchange();
    let due_on_home = pair.home.run_on(reminders_today, &["remind", "--dry-run", "--json"]).json();
    assert_eq!(due_on_home.as_array().unwrap().len(), 0, "shown on the laptop already: {due_on_home}");
    // Removing on one removes on the other.
    let id = pair.home.ok(&["activities", "--json"]).json()[0]["id"].as_i64().unwrap();
    pair.home.ok(&["remove-activity", &id.to_string()]);
    pair.exchange();
    assert_eq!(pair.laptop.ok(&["activities", "--json"]).json().as_array().unwrap().len(), 0);
    // The status lists the other computer and when it last sent something.
    let status = pair.laptop.ok(&["sync", "--status", "--json"]).json();
    assert_eq!(status["name"], "laptop");
    assert_eq!(status["devices"][0]["name"], "home");
    assert!(status["devices"][0]["last_sent_at"].is_string());
    assert_eq!(status["unsent"], 0);
    assert_eq!(status["waiting"], Value::Array(vec![]));
    // A sync with nothing new changes nothing.
    let before = pair.home.dump();
    let again = pair.home.ok(&["sync", "--json"]).json();
    assert_eq!((again["sent"].as_u64(), again["files_applied"].as_u64()), (Some(0), Some(0)));
    assert_eq!(pair.home.dump(), before);
}

#[test]
fn edits_of_one_credential_on_both_computers_merge_by_field_and_history_says_what_was_replaced() {
    let pair = Pair::new();
    let id = pair.laptop.add("nasm-cpt", "2025-06-01");
    pair.laptop.ok(&["edit", &id.to_string(), "--number", "ABC"]);
    pair.exchange();
    let home_id = pair.home.status()[0]["id"].as_i64().unwrap().to_string();
    // Offline: the laptop changes the notes and the number, then home the number again.
    pair.laptop.ok(&["edit", &id.to_string(), "--notes", "renewal paid", "--number", "ABD"]);
    std::thread::sleep(Duration::from_millis(20));
    pair.home.ok(&["edit", &home_id, "--number", "ABE"]);
    pair.exchange();
    for (recert, id) in [(&pair.laptop, id.to_string()), (&pair.home, home_id.clone())] {
        let shown = recert.ok(&["show", &id, "--json"]).json();
        let credential = &shown["credential"];
        assert_eq!(credential["number"], "ABE", "{shown}");
        assert_eq!(credential["notes"], "renewal paid", "{shown}");
    }
    let history = pair.laptop.ok(&["show", &id.to_string()]).stdout;
    assert!(history.contains("changed on home") && history.contains("number ABD → ABE"), "{history}");
    let history = pair.home.ok(&["show", &home_id]).stdout;
    assert!(history.contains("laptop had number ABD"), "{history}");
}

#[test]
fn a_file_still_arriving_or_from_a_newer_recert_waits() {
    let pair = Pair::new();
    pair.laptop.add("ace-cpt", "2025-01-15");
    pair.laptop.ok(&["sync"]);
    let file = pair.files_of(&pair.laptop).pop().unwrap();
    let whole = std::fs::read(&file).unwrap();
    std::fs::write(&file, &whole[..whole.len() / 2]).unwrap();
    let run = pair.home.ok(&["sync"]);
    assert!(run.stderr.contains("still arriving"), "{}", run.stderr);
    assert!(pair.home.status().is_empty(), "nothing of a half file is applied");
    // A newer Recert's file: the header says schema 99.
    let text = String::from_utf8(whole.clone()).unwrap();
    let (header, body) = text.split_once('\n').unwrap();
    let mut newer: Value = serde_json::from_str(header).unwrap();
    newer["schema"] = 99.into();
    std::fs::write(&file, format!("{newer}\n{body}")).unwrap();
    let run = pair.home.ok(&["sync"]);
    assert!(run.stderr.contains("newer Recert"), "{}", run.stderr);
    assert!(pair.home.status().is_empty());
    let status = pair.home.ok(&["sync", "--status"]).stdout;
    assert!(status.contains("newer Recert"), "{status}");
    // Whole again: applied.
    std::fs::write(&file, &whole).unwrap();
    pair.home.ok(&["sync"]);
    assert_eq!(pair.home.status().len(), 1);
}

#[test]
fn the_live_database_never_goes_into_the_shared_folder() {
    let recert = Recert::new();
    recert.add("ace-cpt", "2025-01-15");
    let inside = recert.data_dir().join("shared");
    std::fs::create_dir(&inside).unwrap();
    let run = recert.run(&["sync", "--folder", inside.to_str().unwrap()]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("live database"), "{}", run.stderr);
    let run = recert.run(&["sync"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("recert sync --folder"), "{}", run.stderr);
    // A data folder inside a folder Syncthing manages: warned.
    let synced = tempfile::tempdir().unwrap();
    std::fs::create_dir(synced.path().join(".stfolder")).unwrap();
    let data = synced.path().join("recert-data");
    let shared = tempfile::tempdir().unwrap();
    let run = run_in(&data, &["sync", "--folder", shared.path().to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("Syncthing"), "{}", run.stderr);
    // Leaving: syncing stops, the shared folder keeps its files.
    let left = run_in(&data, &["sync", "--leave"]);
    assert!(left.stdout.contains("no longer syncs"), "{}", left.stdout);
    assert_eq!(run_in(&data, &["sync"]).code, 2);
    assert!(shared.path().join("recert-sync").is_dir());
}

/// `recert --data-dir DATA ARGS…` for a data folder no `Recert` owns.
fn run_in(data: &Path, args: &[&str]) -> super::Run {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_recert"));
    command.arg("--data-dir").arg(data).arg("--today").arg(super::TODAY).args(args).env_remove("RECERT_DATA_DIR");
    super::Run::from(command.output().unwrap())
}

fn count(data_dir: &Path, sql: &str) -> i64 {
    let conn = rusqlite::Connection::open(data_dir.join("recert.sqlite3")).unwrap();
    conn.busy_timeout(Duration::from_secs(30)).unwrap();
    conn.query_row(sql, [], |row| row.get(0)).unwrap()
}

#[test]
fn a_sync_killed_while_applying_leaves_nothing_half_applied() {
    let pair = Pair::new();
    pair.laptop.add("nsca-cscs", "2015-06-01");
    let csv = pair.shared.path().parent().unwrap().join(format!("sync-kill-{}.csv", std::process::id()));
    let mut rows = String::from("date,title,hours\n");
    for n in 0..1500 {
        rows.push_str(&format!("2025-{:02}-{:02},Course {n},1\n", n % 12 + 1, n % 28 + 1));
    }
    std::fs::write(&csv, rows).unwrap();
    pair.laptop.ok(&["import-csv", csv.to_str().unwrap(), "--allow-duplicates"]);
    let _ = std::fs::remove_file(&csv);
    pair.laptop.ok(&["sync"]);
    let home = pair.home.data_dir();
    let mut killed = 0;
    for delay in [5u64, 20, 40, 80, 120, 200, 300, 450] {
        let mut child = pair.home.command(super::TODAY, &["sync"]).spawn().unwrap();
        std::thread::sleep(Duration::from_millis(delay));
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap(); // SIGKILL
            killed += 1;
        }
        child.wait().unwrap();
        let activities = count(home, "SELECT COUNT(*) FROM activities");
        assert!(activities == 0 || activities == 1500, "half applied: {activities} activities");
        let credentials = count(home, "SELECT COUNT(*) FROM credentials");
        assert_eq!(credentials == 1, activities == 1500, "credentials {credentials}, activities {activities}");
        if activities == 1500 {
            break;
        }
    }
    assert!(killed > 0, "no sync was killed: the batch applied too fast to test");
    pair.home.ok(&["sync"]);
    assert_eq!(count(home, "SELECT COUNT(*) FROM activities"), 1500);
    assert_same(&pair.laptop, &pair.home);
}

#[test]
fn a_computer_moving_to_another_shared_folder_sends_everything_again() {
    let pair = Pair::new();
    pair.laptop.add("ace-cpt", "2025-01-15");
    pair.laptop.ok(&["sync"]);
    // A new shared folder that only a third computer uses so far.
    let elsewhere = tempfile::tempdir().unwrap();
    let gym = Recert::new();
    gym.ok(&["sync", "--folder", elsewhere.path().to_str().unwrap(), "--name", "gym"]);
    pair.laptop.ok(&["sync", "--folder", elsewhere.path().to_str().unwrap()]);
    gym.ok(&["sync"]);
    assert_same(&pair.laptop, &gym);
    assert_eq!(gym.status().len(), 1);
}

#[test]
fn what_was_logged_before_syncing_or_while_it_was_off_travels_when_it_is_on() {
    let laptop = Recert::new();
    let home = Recert::new();
    let shared = tempfile::tempdir().unwrap();
    let folder = shared.path().to_str().unwrap();
    laptop.add("nasm-cpt", "2025-06-01");
    laptop.ok(&["log", "--title", "Before syncing", "--date", "2026-10-01", "--hours", "2"]);
    laptop.ok(&["sync", "--folder", folder, "--name", "laptop"]);
    home.ok(&["sync", "--folder", folder, "--name", "home"]);
    assert_same(&laptop, &home);
    // Off for a while: what changes meanwhile goes out once it is on again.
    laptop.ok(&["sync", "--leave"]);
    laptop.ok(&["log", "--title", "While off", "--date", "2026-10-02", "--hours", "1"]);
    let id = laptop.status()[0]["id"].as_i64().unwrap().to_string();
    laptop.ok(&["edit", &id, "--number", "OFF-1"]);
    laptop.ok(&["sync", "--folder", folder]);
    home.ok(&["sync"]);
    assert_same(&laptop, &home);
    assert_eq!(home.ok(&["activities", "--json"]).json().as_array().unwrap().len(), 2);
}

/// A large proof arriving from the other computer is copied in blocks, as a proof attached here
/// is, not read whole into memory first.
#[test]
fn a_large_proof_arriving_is_not_read_whole_into_memory() {
    let pair = Pair::new();
    pair.laptop.add("acsm-cpt", "2024-04-01");
    let large = pair.shared.path().parent().unwrap().join(format!("large-scan-{}.pdf", std::process::id()));
    std::fs::File::create(&large).unwrap().set_len(64 << 20).unwrap();
    let proof = large.to_str().unwrap();
    pair.laptop.ok(&["log", "--title", "Course", "--date", "2026-01-05", "--hours", "1", "--proof", proof]);
    std::fs::remove_file(&large).unwrap();
    pair.laptop.ok(&["sync"]);
    let without = super::proofs::peak_memory_kib(&pair.home, &["sync", "--status"]);
    let with = super::proofs::peak_memory_kib(&pair.home, &["sync"]);
    assert!(with - without < 16 << 10, "a 64 MiB proof raised the peak from {without} KiB to {with} KiB");
    let stored = pair.home.proof_files();
    assert_eq!(std::fs::metadata(pair.home.data_dir().join(&stored[0])).unwrap().len(), 64 << 20);
}
