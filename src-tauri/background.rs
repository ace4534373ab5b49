//! Where Recert waits when no window is open.
//!
//! On Linux: in `recert-agent` (its own crate, src-tauri/background), a small process with no GTK or WebKit. Opening the
//! window starts it when none runs for the data folder; `--hidden` (start at login) becomes it;
//! closing the window ends the window process.
//!
//! Elsewhere (Windows, macOS), or when no agent sits beside this binary (`cargo run` builds only
//! `recert`), or with `RECERT_NO_AGENT` set: as before, the window process stays in the
//! background with its tray icon and the window hidden.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use chrono::NaiveDate;

pub const AGENT: &str = "recert-agent";

/// The agent binary beside this one, where Recert uses one (Linux).
pub fn agent() -> Option<PathBuf> {
    if !cfg!(target_os = "linux") || std::env::var_os("RECERT_NO_AGENT").is_some() {
        return None;
    }
    let agent = std::env::current_exe().ok()?.with_file_name(AGENT);
    agent.is_file().then_some(agent)
}

fn agent_args(data_dir: &Path, today: Option<NaiveDate>) -> Vec<OsString> {
    let mut args = vec![OsString::from("--data-dir"), data_dir.as_os_str().to_owned()];
    if let Some(today) = today {
        args.extend([OsString::from("--today"), OsString::from(today.to_string())]);
    }
    args
}

/// `recert --hidden`: this process becomes the agent, so starting at login loads no GTK or WebKit.
/// Returns only when that failed.
#[cfg(unix)]
pub fn become_agent(agent: &Path, data_dir: &Path, today: Option<NaiveDate>) -> std::io::Error {
    use std::os::unix::process::CommandExt;
    Command::new(agent).args(agent_args(data_dir, today)).exec()
}

#[cfg(not(unix))]
pub fn become_agent(agent: &Path, _data_dir: &Path, _today: Option<NaiveDate>) -> std::io::Error {
    std::io::Error::other(format!("{} is used on Linux only", agent.display()))
}

/// Starts the agent for `data_dir` unless one runs. It outlives the window, in a process group
/// of its own (Ctrl-C in the terminal that started Recert stops the window, not the agent).
pub fn start_agent(agent: &Path, data_dir: &Path, today: Option<NaiveDate>) {
    if recert_background::turn::running_agent(data_dir).is_some() {
        return;
    }
    let mut command = Command::new(agent);
    command.args(agent_args(data_dir, today)).stdin(Stdio::null()).stdout(Stdio::null());
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    match command.spawn() {
        // Reaped if it exits first (another agent won the race), so no zombie is left.
        Ok(mut child) => drop(std::thread::spawn(move || child.wait())),
        Err(error) => warn!("recert: could not start {}: {error}", agent.display()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_agent_gets_the_same_data_folder_and_day() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 23);
        assert_eq!(agent_args(Path::new("/d"), day), ["--data-dir", "/d", "--today", "2026-11-23"]);
        assert_eq!(agent_args(Path::new("/d"), None), ["--data-dir", "/d"]);
    }
}
