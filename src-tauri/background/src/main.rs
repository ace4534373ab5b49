//! `recert-agent`: Recert's background on Linux, where a window process (GTK and WebKitGTK) holds
//! some 200 MiB to wait for a few notifications a month. This one links neither: it raises
//! reminders on time, holds the tray icon (over D-Bus) and starts the window (`recert`, beside it)
//! when asked: "Open Recert" in the tray or on a notification.
//!
//! One agent per data folder (`agent.lock`). `recert --hidden` (start at login) becomes the agent;
//! opening the window starts one when none runs, and the window closing ends the window process,
//! not the agent. While a window is open it raises reminders itself and the agent stands back
//! (`reminders.lock`, see turn.rs and scheduler.rs). The agent ends with "Quit Recert", or when
//! its data folder is gone.
//!
//! Windows and macOS keep the window process in the background instead (background.rs).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::NaiveDate;
use clap::Parser;
use recert_core::paths::data_dir_from_env;

use recert_background::scheduler::{self, Host, NotifierStatus, Turn};
use recert_background::{turn, warn};

#[derive(Parser)]
#[command(name = "recert-agent", version, about = "Recert in the background: reminders and the tray icon")]
struct Args {
    /// The data folder (default: $RECERT_DATA_DIR, else the platform data folder)
    #[arg(long, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// Pretend today is this date (YYYY-MM-DD), for tests and demos
    #[arg(long, value_name = "DATE")]
    today: Option<String>,
}

/// Starts the window process for the agent's data folder.
#[derive(Clone)]
struct Agent {
    window: PathBuf,
    data_dir: PathBuf,
    today: Option<NaiveDate>,
}

impl Host for Agent {
    fn reminders_changed(&self) {}

    fn notifications_unavailable(&self, _error: &str) {}

    /// Starts `recert`; when a window is already open, it hands over to it (single instance).
    fn open_window(&self) {
        let mut command = Command::new(&self.window);
        command.arg("--data-dir").arg(&self.data_dir);
        if let Some(today) = self.today {
            command.arg("--today").arg(today.to_string());
        }
        match command.stdin(Stdio::null()).stdout(Stdio::null()).spawn() {
            // Reaped when it exits, so no zombie waits for the agent's end.
            Ok(mut child) => drop(std::thread::spawn(move || child.wait())),
            Err(error) => warn!("recert: could not open the window ({}): {error}", self.window.display()),
        }
    }
}

fn main() {
    let args = Args::parse();
    let today = match args.today.as_deref().map(|t| recert_core::dates::parse_date("today", t)).transpose() {
        Ok(today) => today,
        Err(error) => exit_with(2, &error.to_string()),
    };
    let data_dir = match data_dir_from_env(args.data_dir).map(|dir| std::path::absolute(&dir).unwrap_or(dir)) {
        Ok(dir) => dir,
        Err(error) => exit_with(2, &error.to_string()),
    };
    let _one_agent = match turn::take_agent_lock(&data_dir) {
        Ok(Some(lock)) => lock,
        Ok(None) => std::process::exit(0), // one runs already for this folder
        Err(error) => exit_with(1, &format!("could not take {}: {error}", data_dir.join(turn::AGENT_LOCK).display())),
    };
    let window = std::env::current_exe().map(|exe| exe.with_file_name("recert")).unwrap_or_else(|_| "recert".into());
    let agent = Agent { window, data_dir: data_dir.clone(), today };
    let status = Arc::new(Mutex::new(NotifierStatus::default()));
    let scheduler = scheduler::spawn(agent.clone(), data_dir.clone(), today, status, Turn::agent(&data_dir));
    // Sync with the user's other computers; what arrives is checked for reminders like a change.
    let reminders = scheduler.clone();
    let _syncer = recert_background::syncer::spawn(data_dir.clone(), Duration::ZERO, move || {
        let _ = reminders.send(scheduler::SchedulerMsg::Changed);
    });

    #[cfg(target_os = "linux")]
    let tray = recert_background::tray::spawn(agent, scheduler);
    #[cfg(not(target_os = "linux"))]
    drop((agent, scheduler));

    loop {
        std::thread::sleep(Duration::from_secs(5));
        if !data_dir_is_there(&data_dir) {
            exit_with(0, "the data folder is gone; stopping");
        }
        #[cfg(target_os = "linux")]
        if tray.as_ref().is_some_and(|tray| tray.is_closed()) {
            exit_with(0, "the session's D-Bus closed; stopping");
        }
    }
}

fn data_dir_is_there(data_dir: &Path) -> bool {
    data_dir.join("recert.sqlite3").exists()
}

fn exit_with(code: i32, message: &str) -> ! {
    warn!("recert-agent: {message}");
    std::process::exit(code)
}
