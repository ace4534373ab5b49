//! Reminder checkers at once — the window's scheduler and a cron `recert remind` — raise each due
//! reminder exactly once between them, counted by a notification server on a private bus.

use super::notification_server::NotificationServer;
use super::{Recert, Run};

const DAY: &str = "2026-12-17";

/// ACSM-CPT due in 14 days with credits missing: two reminders are due on `DAY`.
fn two_reminders_due() -> Recert {
    let recert = Recert::new();
    for args in [
        &["add", "--preset", "acsm-cpt", "--earned", "2024-03-01", "--expires", "2026-12-31"][..],
        &["add", "--preset", "cpr-aed-aha", "--earned", "2026-09-12"][..],
    ] {
        assert_eq!(recert.run_on(DAY, args).code, 0);
    }
    recert
}

fn remind(recert: &Recert, server: &NotificationServer) -> Run {
    let output = recert
        .command(DAY, &["remind", "--json"])
        .env("DBUS_SESSION_BUS_ADDRESS", server.address())
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .unwrap();
    Run::from(output)
}

#[test]
fn checkers_racing_raise_each_due_reminder_once() {
    let server = NotificationServer::start();
    for round in 0..3 {
        let recert = two_reminders_due();
        let before = server.summaries().len();
        let runs: Vec<Run> = std::thread::scope(|scope| {
            let racers: Vec<_> = (0..6).map(|_| scope.spawn(|| remind(&recert, &server))).collect();
            racers.into_iter().map(|racer| racer.join().unwrap()).collect()
        });
        let mut raised = 0;
        for run in &runs {
            raised += run.json().as_array().unwrap().len();
        }
        let shown = &server.summaries()[before..];
        assert_eq!(shown.len(), 2, "round {round}: {shown:?}");
        assert_eq!(raised, 2, "round {round}: the runs said they raised {raised}");
        let history = recert.run_on(DAY, &["reminders", "--json"]).json();
        let rows = history.as_array().unwrap();
        assert_eq!(rows.len(), 2, "round {round}: one record per reminder: {history}");
        assert!(rows.iter().all(|row| row["shown"] == true), "{history}");
        assert_eq!(remind(&recert, &server).json(), serde_json::json!([]), "nothing is left due");
    }
}
