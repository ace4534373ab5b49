//! What the window's commands, tray and setup share: the open store, the clock and the line to the
//! reminder scheduler. Its own module so that none of them imports another for it.

use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex, MutexGuard};

use chrono::NaiveDate;
use recert_core::Recert;

use crate::ipc_error::IpcError;
use recert_background::scheduler::{NotifierStatus, SchedulerMsg};
use recert_background::syncer::SyncMsg;

pub struct AppState {
    pub recert: Mutex<Recert>,
    /// Fixed by `--today` (tests, demos); otherwise the real date at each call.
    pub fixed_today: Option<NaiveDate>,
    pub scheduler: Sender<SchedulerMsg>,
    pub notifier: Arc<Mutex<NotifierStatus>>,
    /// The background sync: told after each change, so it reaches the other computers.
    pub syncer: Sender<SyncMsg>,
}

impl AppState {
    pub fn recert(&self) -> Result<MutexGuard<'_, Recert>, IpcError> {
        self.recert.lock().map_err(|_| IpcError::internal("the data store is unavailable after an earlier failure"))
    }

    pub fn today(&self) -> NaiveDate {
        recert_core::dates::today_or(self.fixed_today)
    }

    /// Tells the reminder scheduler the data changed, so reminders follow at once, and the
    /// background sync, so the change reaches the other computers.
    pub fn data_changed(&self) {
        let _ = self.scheduler.send(SchedulerMsg::Changed);
        let _ = self.syncer.send(SyncMsg::Changed);
    }
}
