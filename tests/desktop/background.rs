//! The lean background (Linux): with no window open, Recert is `recert-agent` alone — no GTK, no
//! WebKit — and it still raises reminders, answers the tray and opens the window.

use std::path::Path;
use std::process::Command;

use crate::notifications::Monitor;
use crate::support::{self, agent_of, processes_of, App, Process, TODAY};

fn webkit(processes: &[Process]) -> Vec<&Process> {
    // `comm` is cut at 15 characters: WebKitWebProces, WebKitNetworkPr. (WebKitWebDriver, which
    // the test drives the window with, is not the app's.)
    processes.iter().filter(|p| p.name.starts_with("WebKitWebProc") || p.name.starts_with("WebKitNetwork")).collect()
}

fn windows(processes: &[Process]) -> Vec<&Process> {
    let window = Path::new(env!("CARGO_BIN_EXE_recert"));
    processes.iter().filter(|p| p.exe == window).collect()
}

/// Waits up to 20 s for `done` over the processes working on `data_dir`.
fn eventually_processes(data_dir: &Path, what: &str, done: impl Fn(&[Process]) -> bool) -> Vec<Process> {
    let started = std::time::Instant::now();
    loop {
        let processes = processes_of(data_dir);
        if done(&processes) {
            return processes;
        }
        assert!(started.elapsed() < std::time::Duration::from_secs(20), "timed out waiting for {what}: {processes:?}");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

/// Clicks an item of the agent's tray menu over D-Bus, as a desktop's tray does.
fn click_tray_item(agent: u32, label: &str) {
    let list = Command::new("dbus-send")
        .args(["--session", "--print-reply", "--dest=org.freedesktop.DBus", "/org/freedesktop/DBus"])
        .arg("org.freedesktop.DBus.ListNames")
        .output()
        .unwrap();
    let names = String::from_utf8_lossy(&list.stdout);
    let prefix = format!("org.kde.StatusNotifierItem-{agent}-");
    let item = names
        .split('"')
        .find(|name| name.starts_with(&prefix))
        .unwrap_or_else(|| panic!("the agent has no tray item on the bus: {names}"));
    let layout = Command::new("dbus-send")
        .args(["--session", "--print-reply", &format!("--dest={item}"), "/MenuBar"])
        .args(["com.canonical.dbusmenu.GetLayout", "int32:0", "int32:-1", "array:string:label"])
        .output()
        .unwrap();
    let layout = String::from_utf8_lossy(&layout.stdout).to_string();
    // Each item: "int32 ID" … "string \"label\"" … "string \"Open Recert\"".
    let mut id = None;
    let mut last_id = None;
    for line in layout.lines().map(str::trim) {
        if let Some(number) = line.strip_prefix("int32 ") {
            last_id = number.parse::<i32>().ok();
        }
        if line.ends_with(&format!("string \"{label}\"")) {
            id = last_id;
        }
    }
    let id = id.unwrap_or_else(|| panic!("no {label:?} in the tray menu: {layout}"));
    let clicked = Command::new("dbus-send")
        .args(["--session", "--print-reply", &format!("--dest={item}"), "/MenuBar"])
        .args(["com.canonical.dbusmenu.Event", &format!("int32:{id}"), "string:clicked", "variant:int32:0", "uint32:0"])
        .output()
        .unwrap();
    assert!(clicked.status.success(), "{}", String::from_utf8_lossy(&clicked.stderr));
}

#[tokio::test(flavor = "multi_thread")]
async fn after_the_window_closes_only_the_agent_is_left_and_it_still_raises_reminders() {
    let monitor = Monitor::start();
    let app = App::launch().await;
    let dir = app.data_path().to_path_buf();
    app.eventually("the window to start the agent", || async { agent_of(&dir).is_some() }).await;
    let agent = agent_of(&dir).unwrap();
    let open = processes_of(&dir);
    assert!(!webkit(&open).is_empty() && !windows(&open).is_empty(), "the window and its WebKit processes: {open:?}");

    // The close button, as the user presses it: the window process ends by itself.
    let window = windows(&open)[0].pid;
    assert_eq!(support::close_like_the_close_button(window, "Recert"), 1, "one window titled Recert");
    let left = eventually_processes(&dir, "the window process and WebKit's to end", |processes| {
        windows(processes).is_empty() && webkit(processes).is_empty()
    });
    assert!(left.iter().any(|p| p.pid == agent), "the agent stays: {left:?}");
    let exe = std::fs::read_link(format!("/proc/{agent}/exe")).unwrap();
    assert_eq!(exe.file_name().unwrap(), "recert-agent");
    let maps = std::fs::read_to_string(format!("/proc/{agent}/maps")).unwrap();
    assert!(!maps.contains("libgtk") && !maps.contains("libwebkit"), "the agent maps no GTK or WebKit");

    // A credential added from the terminal: the agent raises its reminder (NSCA-CPT is due
    // 2026-12-31, 38 days after the tests' day: the 60-day reminder; no other test holds one, and
    // all share one D-Bus).
    support::cli(&dir, &["add", "--preset", "nsca-cpt", "--earned", "2025-01-20"]);
    monitor.wait_until("the agent's reminder", |text| text.contains("string \"NSCA-CPT renewal due in 38 days\""));
    app.eventually("the reminder in the history", || async {
        support::cli(&dir, &["reminders", "--json"]).to_string().contains("NSCA-CPT renewal due in 38 days")
    })
    .await;

    // "Open Recert" in the tray starts the window again.
    click_tray_item(agent, "Open Recert");
    eventually_processes(&dir, "a window with its WebKit processes", |processes| {
        !windows(processes).is_empty() && !webkit(processes).is_empty()
    });
    assert_eq!(agent_of(&dir), Some(agent), "still one agent");
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn started_hidden_at_login_it_is_the_agent_and_a_second_launch_opens_the_window() {
    let monitor = Monitor::start();
    let data_dir = tempfile::tempdir().unwrap();
    let dir = data_dir.path().to_path_buf();
    // Due 2027-01-20, 58 days after the tests' day (a preset no other test uses: one D-Bus for all).
    support::cli(&dir, &["add", "--preset", "ace-cpt", "--earned", "2025-01-20"]);
    // As the autostart entry starts it.
    let mut hidden = Command::new(env!("CARGO_BIN_EXE_recert"))
        .args(["--hidden", "--today", TODAY])
        .env("RECERT_DATA_DIR", &dir)
        .spawn()
        .unwrap();
    let pid = hidden.id();
    let _stop = KillOnDrop(&dir);
    eventually_processes(&dir, "--hidden to become the agent", |_| agent_of(&dir) == Some(pid));
    monitor.wait_until("the reminder", |text| text.contains("string \"ACE-CPT renewal due in 58 days\""));
    let processes = processes_of(&dir);
    assert!(webkit(&processes).is_empty() && windows(&processes).is_empty(), "no window, no WebKit: {processes:?}");
    assert_eq!(hidden.try_wait().unwrap(), None, "it keeps running");

    // Launching Recert opens the window; the agent stays the only one.
    let app = App::launch_on(data_dir, &[], &[]).await;
    assert_eq!(app.script("return document.visibilityState;").await, "visible");
    assert_eq!(agent_of(app.data_path()), Some(pid));
    // The window checks now: what the agent raised is not raised twice.
    app.client.execute("location.hash = '#/settings';", vec![]).await.unwrap();
    app.click("#check-now").await;
    app.eventually("the check", || async {
        app.find("#check-result").await.text().await.unwrap_or_default() == "No reminders are due right now."
    })
    .await;
    assert_eq!(monitor.text().matches("string \"ACE-CPT renewal due in 58 days\"").count(), 1, "raised once");
    app.close().await;
    let _ = hidden.wait();
}

/// Ends the processes a test started on a data folder, even when it fails.
struct KillOnDrop<'a>(&'a Path);

impl Drop for KillOnDrop<'_> {
    fn drop(&mut self) {
        support::kill_processes_of(self.0);
    }
}

/// The `replaces_id` and sender of every Notify call showing `summary`, in order.
fn notify_calls_showing(monitor: &Monitor, summary: &str) -> Vec<(u32, String)> {
    monitor
        .text()
        .split("method call ")
        .filter(|call| call.contains(&format!("string \"{summary}\"")))
        .map(|call| {
            let sender = call.split_whitespace().find_map(|word| word.strip_prefix("sender=")).unwrap().to_string();
            // Notify(app_name, replaces_id, …): the first uint32 is replaces_id.
            let replaces = call.lines().find_map(|line| line.trim().strip_prefix("uint32 ")).unwrap().parse().unwrap();
            (replaces, sender)
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_agent_takes_over_the_closed_windows_notifications_so_their_buttons_still_work() {
    const SUMMARY: &str = "NCSF-CPT renewal due in 69 days";
    let monitor = Monitor::start();
    let app = App::launch_with(|dir| {
        // Due Jan 31, 2027: the 90-day reminder, which the window raises at its first check.
        support::cli(dir, &["add", "--preset", "ncsf-cpt", "--earned", "2025-01-05", "--json"]);
    })
    .await;
    let dir = app.data_path().to_path_buf();
    app.eventually("the window to start the agent", || async { agent_of(&dir).is_some() }).await;
    monitor.wait_until("the window's notification", |text| text.contains(&format!("string \"{SUMMARY}\"")));
    // Kept with the bus's own id, which a new login's bus does not share (its address may be the
    // same: a systemd user bus keeps /run/user/UID/bus).
    let database = dir.join("recert.sqlite3");
    let kept_on = || -> Vec<String> {
        let conn = rusqlite::Connection::open(&database).unwrap();
        let mut rows = conn.prepare("SELECT DISTINCT bus FROM open_notifications").unwrap();
        rows.query_map([], |row| row.get(0)).unwrap().map(Result::unwrap).collect()
    };
    app.eventually("the notification kept", || async { !kept_on().is_empty() }).await;
    let bus_id = Command::new("dbus-send")
        .args(["--session", "--print-reply", "--dest=org.freedesktop.DBus", "/org/freedesktop/DBus"])
        .arg("org.freedesktop.DBus.GetId")
        .output()
        .unwrap();
    let bus_id = String::from_utf8_lossy(&bus_id.stdout).split('"').nth(1).unwrap().to_string();
    assert_eq!(kept_on(), vec![bus_id]);
    let window = windows(&processes_of(&dir))[0].pid;
    assert_eq!(support::close_like_the_close_button(window, "Recert"), 1);
    eventually_processes(&dir, "the window process to end", |processes| windows(processes).is_empty());

    // The agent shows it again under its id: the server replaces it in place, and its buttons
    // now reach a process that is still there.
    monitor.wait_until("the agent's Notify in place of the window's", |_| {
        notify_calls_showing(&monitor, SUMMARY).len() == 2
    });
    let calls = notify_calls_showing(&monitor, SUMMARY);
    let (first, second) = (&calls[0], &calls[1]);
    assert_eq!(first.0, 0, "the window showed a new notification: {calls:?}");
    assert_ne!(second.0, 0, "the agent replaces it by id: {calls:?}");
    assert_ne!(first.1, second.1, "from another connection: {calls:?}");

    // "Snooze 1 day", as the notification server reports a pressed button.
    let pressed = Command::new("dbus-send")
        .args(["--session", "--type=signal", "/org/freedesktop/Notifications"])
        .arg("org.freedesktop.Notifications.ActionInvoked")
        .arg(format!("uint32:{}", second.0))
        .arg("string:snooze")
        .status()
        .unwrap();
    assert!(pressed.success());
    let snoozed = || {
        let conn = rusqlite::Connection::open(&database).unwrap();
        conn.query_row("SELECT COUNT(*) FROM reminder_snoozes WHERE until = '2026-11-24'", [], |row| {
            row.get::<_, i64>(0)
        })
        .unwrap()
    };
    app.eventually("the snooze recorded by the agent", || async { snoozed() == 1 }).await;
    // Pressed: nothing is left for anyone to take over.
    app.eventually("the notification forgotten", || async {
        let conn = rusqlite::Connection::open(&database).unwrap();
        conn.query_row("SELECT COUNT(*) FROM open_notifications", [], |row| row.get::<_, i64>(0)).unwrap() == 0
    })
    .await;
    app.close().await;
}
