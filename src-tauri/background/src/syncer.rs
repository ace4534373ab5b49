//! Sync in the background (issue 22): a thread with its own connection syncs with the shared
//! folder when a file there changes (the `notify` crate watches `recert-sync/`), after each change
//! the window makes, and every half minute (which catches changes the command line made). It does
//! nothing while this computer does not sync. Runs in the window process and in the agent; two
//! syncing at once is safe (each sync is transactions, each file a new name).

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::Duration;

use chrono::Utc;
use notify::{RecursiveMode, Watcher};
use recert_core::store::{Access, Read};
use recert_core::Recert;

/// How often a sync runs with nothing asking for one.
const POLL: Duration = Duration::from_secs(30);
/// Events come in bursts (a sync tool writes a file in several steps): wait this long for quiet.
const SETTLE: Duration = Duration::from_millis(400);

pub enum SyncMsg {
    /// The user's data changed here: send it.
    Changed,
    /// A file changed in the shared folder.
    FolderChanged,
}

/// Starts the thread; `on_change` runs after a sync that changed data here (reminders, the window).
/// It opens the database after `first_after` (the window's start-up is not competed with; what is
/// asked meanwhile waits in the channel).
pub fn spawn(data_dir: PathBuf, first_after: Duration, on_change: impl Fn() + Send + 'static) -> Sender<SyncMsg> {
    let (sender, receiver) = mpsc::channel();
    let own = sender.clone();
    std::thread::Builder::new()
        .name("sync".into())
        .spawn(move || {
            std::thread::sleep(first_after);
            match Recert::open_for(&data_dir, Utc::now(), Access::Write) {
                Ok((recert, _)) => run(recert, receiver, own, on_change),
                Err(error) => warn!("recert: background sync is off, the database could not be opened: {error}"),
            }
        })
        .expect("a thread can be started");
    sender
}

struct Watching {
    folder: String,
    _watcher: notify::RecommendedWatcher,
}

/// Watches `<folder>/recert-sync` for files of other computers (this computer's own are left out).
fn watch(folder: &str, device: &str, sender: Sender<SyncMsg>) -> notify::Result<Watching> {
    let root = Path::new(folder).join(recert_core::sync::folder::ROOT);
    std::fs::create_dir_all(&root).map_err(notify::Error::io)?;
    let mine = root.join(device);
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if let Ok(event) = event {
            if event.paths.iter().any(|path| !path.starts_with(&mine)) {
                let _ = sender.send(SyncMsg::FolderChanged);
            }
        }
    })?;
    watcher.watch(&root, RecursiveMode::Recursive)?;
    Ok(Watching { folder: folder.to_string(), _watcher: watcher })
}

fn run(mut recert: Recert, receiver: Receiver<SyncMsg>, own: Sender<SyncMsg>, on_change: impl Fn()) {
    let mut watching: Option<Watching> = None;
    let mut last_error: Option<String> = None;
    loop {
        let device = recert.store().sync_device().ok();
        let folder = device.as_ref().and_then(|d| d.folder.clone());
        // Follow the setting: the folder chosen, changed or left in the window or on the command line.
        if watching.as_ref().map(|w| &w.folder) != folder.as_ref() {
            watching = match (&folder, &device) {
                (Some(folder), Some(device)) => match watch(folder, &device.device, own.clone()) {
                    Ok(watching) => Some(watching),
                    Err(error) => {
                        warn!("recert: the shared folder is not watched ({error}); syncing every {} s", POLL.as_secs());
                        None
                    }
                },
                _ => None,
            };
        }
        match receiver.recv_timeout(POLL) {
            Err(RecvTimeoutError::Disconnected) => return,
            Ok(_) => {
                std::thread::sleep(SETTLE);
                while receiver.try_recv().is_ok() {}
            }
            Err(RecvTimeoutError::Timeout) => {}
        }
        if folder.is_none() {
            continue;
        }
        match recert.sync(Utc::now()) {
            Ok(report) => {
                last_error = None;
                if report.changed_here() {
                    on_change();
                }
            }
            Err(error) => {
                // Said once until it changes (a drive not plugged in would repeat every poll).
                let text = error.to_string();
                if last_error.as_ref() != Some(&text) {
                    warn!("recert: background sync: {text}");
                }
                last_error = Some(text);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file another computer puts in the shared folder is applied here without anyone asking.
    #[test]
    fn a_change_arriving_in_the_shared_folder_is_applied_in_the_background() {
        let shared = tempfile::tempdir().unwrap();
        let (laptop_dir, home_dir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let mut laptop = Recert::open(laptop_dir.path(), Utc::now()).unwrap();
        laptop.set_sync_folder(shared.path(), Some("laptop")).unwrap();
        let mut home = Recert::open(home_dir.path(), Utc::now()).unwrap();
        home.set_sync_folder(shared.path(), Some("home")).unwrap();
        home.sync(Utc::now()).unwrap();
        let (changed, told) = mpsc::channel();
        let _syncer = spawn(home_dir.path().to_path_buf(), Duration::ZERO, move || {
            let _ = changed.send(());
        });
        std::thread::sleep(Duration::from_millis(300)); // the watcher is set up
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 6).unwrap();
        let form = recert_core::credential::CredentialForm {
            preset: Some("ace-cpt".into()),
            earned_on: "2025-01-15".into(),
            ..Default::default()
        };
        laptop.add_credential(&form, Utc::now(), today).unwrap();
        laptop.sync(Utc::now()).unwrap();
        told.recv_timeout(Duration::from_secs(10)).expect("the background sync applied the laptop's file");
        assert_eq!(home.credentials().unwrap().len(), 1);
    }
}
