//! `recert remind` against a real notification server (dunst, started by the D-Bus session on the
//! first notification), observed with dbus-monitor.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const TODAY: &str = "2026-12-17";

fn recert(data: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_recert"))
        .arg("--data-dir")
        .arg(data)
        .args(["--today", TODAY])
        .args(args)
        .output()
        .unwrap()
}

fn setup() -> tempfile::TempDir {
    let data = tempfile::tempdir().unwrap();
    for args in [
        &["add", "--preset", "acsm-cpt", "--earned", "2024-03-01", "--expires", "2026-12-31"][..],
        &["add", "--preset", "cpr-aed-aha", "--earned", "2026-09-12"][..],
    ] {
        assert!(recert(data.path(), args).status.success());
    }
    data
}

/// The tests here watch the same session bus for the same credential's notifications: one at a
/// time, or one would see the other's.
static ONE_WATCHER_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

pub(crate) fn take_turn() -> std::sync::MutexGuard<'static, ()> {
    ONE_WATCHER_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

pub(crate) struct Monitor {
    child: Child,
    log: tempfile::NamedTempFile,
}

impl Monitor {
    pub(crate) fn start() -> Monitor {
        Self::start_for("Notify")
    }

    /// Watches calls of one method of the notification server (`Notify`, `CloseNotification`).
    pub(crate) fn start_for(member: &str) -> Monitor {
        assert!(std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some(), "needs a D-Bus session: run with `make test`");
        let log = tempfile::NamedTempFile::new().unwrap();
        let rule = format!("interface='org.freedesktop.Notifications',member='{member}'");
        let child = Command::new("dbus-monitor")
            .args(["--session", &rule])
            .stdout(Stdio::from(log.reopen().unwrap()))
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-monitor is installed");
        let monitor = Monitor { child, log };
        // dbus-monitor prints its own NameAcquired signal once it listens.
        monitor.wait_until("the monitor listens", |text| !text.is_empty());
        monitor
    }

    pub(crate) fn text(&self) -> String {
        std::fs::read_to_string(self.log.path()).unwrap()
    }

    pub(crate) fn wait_until(&self, what: &str, done: impl Fn(&str) -> bool) {
        let started = Instant::now();
        while !done(&self.text()) {
            assert!(started.elapsed() < Duration::from_secs(10), "timed out waiting for {what}: {}", self.text());
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Notifications about this test's credential (the window test may notify about its own
    /// credentials on the same bus at the same time).
    fn notify_calls(&self) -> usize {
        self.text().matches("string \"ACSM-CPT").count()
    }
}

impl Drop for Monitor {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn remind_raises_due_reminders_once_on_a_real_notification_server() {
    let _turn = take_turn();
    let data = setup();
    let monitor = Monitor::start();
    let first = recert(data.path(), &["remind", "--json"]);
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    let raised: serde_json::Value = serde_json::from_slice(&first.stdout).unwrap();
    assert_eq!(raised.as_array().unwrap().len(), 2, "{raised}");
    for field in ["credential_id", "kind", "title", "body", "due_on", "key"] {
        assert!(raised[0].get(field).is_some(), "remind --json lacks {field}");
    }
    monitor.wait_until("two notifications", |text| text.matches("string \"ACSM-CPT").count() == 2);
    let text = monitor.text();
    assert!(text.contains("string \"ACSM-CPT renewal due in 14 days\""), "{text}");
    assert!(text.contains("string \"Renew ACSM-CPT by Dec 31, 2026 — $60.00.\""), "{text}");
    assert!(text.contains("string \"ACSM-CPT: 45.0 CEC still needed\""), "{text}");
    // `recert remind` ends at once: its notifications offer no buttons that nothing would answer.
    for call in text.split("method call ").filter(|call| call.contains("string \"ACSM-CPT")) {
        assert!(!call.contains("Snooze 1 day") && !call.contains("Open Recert"), "{call}");
    }

    let second = recert(data.path(), &["remind", "--json"]);
    assert!(second.status.success());
    assert_eq!(serde_json::from_slice::<serde_json::Value>(&second.stdout).unwrap(), serde_json::json!([]));
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(monitor.notify_calls(), 2, "a second run raises nothing");

    let history: serde_json::Value =
        serde_json::from_slice(&recert(data.path(), &["reminders", "--json"]).stdout).unwrap();
    assert_eq!(history.as_array().unwrap().len(), 2);
    assert!(history.as_array().unwrap().iter().all(|entry| entry["shown"] == true));
}

#[test]
fn reminder_checkers_at_once_raise_each_reminder_once() {
    let _turn = take_turn();
    let data = setup();
    let monitor = Monitor::start();
    // As a cron `recert remind` and the window's scheduler would: several checkers at the same time.
    let checkers: Vec<Child> = (0..4)
        .map(|_| {
            Command::new(env!("CARGO_BIN_EXE_recert"))
                .arg("--data-dir")
                .arg(data.path())
                .args(["--today", TODAY, "remind", "--json"])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut raised = 0;
    for checker in checkers {
        let output = checker.wait_with_output().unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        raised += serde_json::from_slice::<serde_json::Value>(&output.stdout).unwrap().as_array().unwrap().len();
    }
    assert_eq!(raised, 2, "between them the checkers raised each due reminder once");
    monitor.wait_until("two notifications", |text| text.matches("string \"ACSM-CPT").count() >= 2);
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(monitor.notify_calls(), 2, "{}", monitor.text());
    let history: serde_json::Value =
        serde_json::from_slice(&recert(data.path(), &["reminders", "--json"]).stdout).unwrap();
    assert_eq!(history.as_array().unwrap().len(), 2, "{history}");
    assert!(history.as_array().unwrap().iter().all(|entry| entry["shown"] == true));
}

#[test]
fn dry_run_raises_and_records_nothing() {
    let _turn = take_turn();
    let data = setup();
    let monitor = Monitor::start();
    let run = recert(data.path(), &["remind", "--dry-run", "--json"]);
    assert!(run.status.success());
    assert_eq!(serde_json::from_slice::<serde_json::Value>(&run.stdout).unwrap().as_array().unwrap().len(), 2);
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(monitor.notify_calls(), 0);
    let history: serde_json::Value =
        serde_json::from_slice(&recert(data.path(), &["reminders", "--json"]).stdout).unwrap();
    assert_eq!(history, serde_json::json!([]));
}

#[test]
fn without_a_notification_server_the_reminder_stays_due() {
    let data = setup();
    let dead_bus = tempfile::tempdir().unwrap();
    let run = Command::new(env!("CARGO_BIN_EXE_recert"))
        .arg("--data-dir")
        .arg(data.path())
        .args(["--today", TODAY, "remind"])
        .env("DBUS_SESSION_BUS_ADDRESS", format!("unix:path={}/no-bus", dead_bus.path().display()))
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(3), "{}", String::from_utf8_lossy(&run.stderr));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("not shown") && stderr.contains("stay due"), "{stderr}");
    let history: serde_json::Value =
        serde_json::from_slice(&recert(data.path(), &["reminders", "--json"]).stdout).unwrap();
    assert!(history.as_array().unwrap().iter().all(|entry| entry["shown"] == false));
    let again: serde_json::Value =
        serde_json::from_slice(&recert(data.path(), &["remind", "--dry-run", "--json"]).stdout).unwrap();
    assert_eq!(again.as_array().unwrap().len(), 2, "still due after a failed delivery");
}

#[test]
fn bad_lead_times_change_nothing() {
    let data = setup();
    for bad in ["-5", "30,30", "2000", "soon"] {
        let run = recert(data.path(), &["settings", "--lead-days", bad]);
        assert_eq!(run.status.code(), Some(2), "{bad}");
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(stderr.contains("lead-days") && stderr.lines().count() == 1, "{bad}: {stderr}");
    }
    let settings: serde_json::Value =
        serde_json::from_slice(&recert(data.path(), &["settings", "--json"]).stdout).unwrap();
    assert_eq!(settings["lead_days"], serde_json::json!([90, 60, 30, 14, 7, 1]));
    assert!(recert(data.path(), &["settings", "--lead-days", "45, 10"]).status.success());
    let settings: serde_json::Value =
        serde_json::from_slice(&recert(data.path(), &["settings", "--json"]).stdout).unwrap();
    assert_eq!(settings["lead_days"], serde_json::json!([45, 10]));
}
