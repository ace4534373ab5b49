//! Who raises reminders for a data folder, with advisory file locks beside the database (so two
//! data folders never get in each other's way, and a process that dies lets go at once):
//!
//! - `reminders.lock`: held by the window process for as long as it runs; while it is held the
//!   background agent leaves reminders to the window, and takes them over when it is released.
//! - `agent.lock`: held by the one background agent of the folder; it holds the agent's process
//!   id, so tests and scripts can find it.
//!
//! No Tauri, GTK or WebKit here: the agent (`recert-agent`, main.rs) uses it too.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{self, Read, Seek, Write};
use std::path::{Path, PathBuf};

pub(crate) const REMINDERS_LOCK: &str = "reminders.lock";
pub const AGENT_LOCK: &str = "agent.lock";

fn open(path: &Path) -> io::Result<File> {
    if let Some(folder) = path.parent() {
        std::fs::create_dir_all(folder)?;
    }
    OpenOptions::new().read(true).write(true).create(true).truncate(false).open(path)
}

/// The window's turn: waits while the agent finishes a check, then holds it until dropped.
pub(crate) fn hold_reminders(data_dir: &Path) -> io::Result<File> {
    let file = open(&data_dir.join(REMINDERS_LOCK))?;
    file.lock()?;
    Ok(file)
}

/// The agent's view of the window's lock: asked before every check, released after it.
pub struct ReminderTurn {
    path: PathBuf,
}

/// Held while the agent checks; lets go when dropped.
pub struct Checking(File);

impl Drop for Checking {
    fn drop(&mut self) {
        let _ = self.0.unlock();
    }
}

impl ReminderTurn {
    pub fn new(data_dir: &Path) -> ReminderTurn {
        ReminderTurn { path: data_dir.join(REMINDERS_LOCK) }
    }

    /// `Some` when no window holds the turn; the agent checks while it keeps the guard.
    pub(crate) fn try_take(&self) -> io::Result<Option<Checking>> {
        let file = open(&self.path)?;
        match file.try_lock() {
            Ok(()) => Ok(Some(Checking(file))),
            Err(TryLockError::WouldBlock) => Ok(None),
            Err(TryLockError::Error(error)) => Err(error),
        }
    }
}

/// The lock that makes the agent one per data folder; holds the process id while it runs.
pub struct AgentLock(#[allow(dead_code)] File);

/// Takes the agent lock and writes this process's id into it; `None` when another agent runs.
pub fn take_agent_lock(data_dir: &Path) -> io::Result<Option<AgentLock>> {
    let mut file = open(&data_dir.join(AGENT_LOCK))?;
    match file.try_lock() {
        Ok(()) => {
            file.set_len(0)?;
            file.rewind()?;
            write!(file, "{}", std::process::id())?;
            file.flush()?;
            Ok(Some(AgentLock(file)))
        }
        Err(TryLockError::WouldBlock) => Ok(None),
        Err(TryLockError::Error(error)) => Err(error),
    }
}

/// The process id of the agent running for `data_dir`, if one runs.
pub fn running_agent(data_dir: &Path) -> Option<u32> {
    let mut file = File::open(data_dir.join(AGENT_LOCK)).ok()?;
    match file.try_lock() {
        Ok(()) => None, // nobody holds it
        Err(TryLockError::WouldBlock) => {
            let mut text = String::new();
            file.read_to_string(&mut text).ok()?;
            text.trim().parse().ok()
        }
        Err(TryLockError::Error(_)) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_agent_checks_only_while_no_window_holds_the_turn() {
        let dir = tempfile::tempdir().unwrap();
        let agent = ReminderTurn::new(dir.path());
        let checking = agent.try_take().unwrap();
        assert!(checking.is_some(), "no window: the agent's turn");
        drop(checking);
        let window = hold_reminders(dir.path()).unwrap();
        assert!(agent.try_take().unwrap().is_none(), "a window is open");
        drop(window);
        assert!(agent.try_take().unwrap().is_some(), "the window closed: the agent's turn again");
    }

    #[test]
    fn one_agent_per_data_folder_and_its_process_id_is_found() {
        let dir = tempfile::tempdir().unwrap();
        let other = tempfile::tempdir().unwrap();
        assert_eq!(running_agent(dir.path()), None);
        let first = take_agent_lock(dir.path()).unwrap();
        assert!(first.is_some());
        assert_eq!(running_agent(dir.path()), Some(std::process::id()));
        assert!(take_agent_lock(dir.path()).unwrap().is_none(), "a second agent stands down");
        assert!(take_agent_lock(other.path()).unwrap().is_some(), "another data folder has its own");
        drop(first);
        assert_eq!(running_agent(dir.path()), None);
        assert!(take_agent_lock(dir.path()).unwrap().is_some());
    }
}
