//! The reminder scheduler: a thread with its own connection to the database that checks what is
//! due at start, after every change, and every minute — so "at least hourly" holds and a machine
//! waking from sleep is caught within a minute, whatever the clock did meanwhile.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{NaiveDate, Utc};
use recert_core::reminders::{Notice, Reminder};
use recert_core::store::Access;
use recert_core::Recert;
use tauri::{AppHandle, Emitter};

use crate::notifier;

const TICK: Duration = Duration::from_secs(60);
/// The first check waits until the window has drawn, so start-up does not compete with it.
const FIRST_CHECK_AFTER: Duration = Duration::from_secs(3);
/// After a failed delivery, timed checks wait this long before trying the same reminder again.
const RETRY_FAILED_AFTER: Duration = Duration::from_secs(3600);

pub enum SchedulerMsg {
    /// Data changed: check now.
    Changed,
    /// Check now and answer with how many reminders were raised.
    CheckNow(Sender<usize>),
    Snooze {
        key: String,
        days: u32,
    },
}

/// What the window can ask about reminders.
#[derive(Default)]
pub struct NotifierStatus {
    /// The last delivery error, while notifications can't be shown.
    pub error: Option<String>,
}

pub fn spawn(
    app: AppHandle,
    data_dir: PathBuf,
    fixed_today: Option<NaiveDate>,
    status: Arc<Mutex<NotifierStatus>>,
) -> Sender<SchedulerMsg> {
    let (sender, receiver) = mpsc::channel();
    let own_sender = sender.clone();
    std::thread::Builder::new()
        .name("reminders".into())
        .spawn(move || match Recert::open_for(&data_dir, Utc::now(), Access::Write) {
            Ok((recert, _)) => {
                Scheduler { app, recert, fixed_today, status, sender: own_sender, failed: HashMap::new() }.run(receiver)
            }
            Err(error) => warn!("recert: reminders are off, the database could not be opened: {error}"),
        })
        .expect("a thread can be started");
    sender
}

struct Scheduler {
    app: AppHandle,
    recert: Recert,
    fixed_today: Option<NaiveDate>,
    status: Arc<Mutex<NotifierStatus>>,
    sender: Sender<SchedulerMsg>,
    failed: HashMap<String, Instant>,
}

impl Scheduler {
    fn today(&self) -> NaiveDate {
        self.fixed_today.unwrap_or_else(|| chrono::Local::now().date_naive())
    }

    fn run(mut self, receiver: Receiver<SchedulerMsg>) {
        let mut wait = FIRST_CHECK_AFTER;
        loop {
            let message = receiver.recv_timeout(wait);
            wait = TICK;
            match message {
                Ok(SchedulerMsg::Changed) => {
                    self.check(true);
                }
                Ok(SchedulerMsg::CheckNow(reply)) => {
                    let raised = self.check(true);
                    let _ = reply.send(raised);
                }
                Ok(SchedulerMsg::Snooze { key, days }) => {
                    let today = self.today();
                    match self.recert.snooze_reminder(&key, days, today) {
                        Ok(_) => {
                            let _ = self.app.emit("reminders-changed", ());
                        }
                        Err(error) => warn!("recert: snoozing {key}: {error}"),
                    }
                }
                Err(RecvTimeoutError::Timeout) => {
                    self.check(false);
                }
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
    }

    /// Raises what is due; `asked` (a change or "check now") also retries failed deliveries.
    fn check(&mut self, asked: bool) -> usize {
        let today = self.today();
        let failed = &self.failed;
        let retry = |r: &Reminder| asked || failed.get(&r.key).is_none_or(|at| at.elapsed() >= RETRY_FAILED_AFTER);
        // Claimed: a `recert remind` from cron running now will not raise these too.
        let due = match self.recert.claim_due_reminders(today, Utc::now(), retry) {
            Ok(due) => due,
            Err(error) => {
                warn!("recert: checking reminders: {error}");
                return 0;
            }
        };
        let mut raised = 0;
        for notice in recert_core::reminders::notices(&due) {
            self.raise(&notice);
            raised += notice.reminders.len();
        }
        if raised > 0 {
            let _ = self.app.emit("reminders-changed", ());
        }
        raised
    }

    /// Shows one notification and records each reminder it stands for.
    fn raise(&mut self, notice: &Notice<'_>) {
        let outcome = notifier::show(notice);
        let error = outcome.as_ref().err().cloned();
        for reminder in &notice.reminders {
            if let Err(record_error) = self.recert.record_reminder(reminder, error.as_deref(), Utc::now()) {
                warn!("recert: recording a reminder: {record_error}");
            }
        }
        match outcome {
            Ok(handle) => {
                for reminder in &notice.reminders {
                    self.failed.remove(&reminder.key);
                }
                self.status.lock().map(|mut s| s.error = None).ok();
                let keys = notice.reminders.iter().map(|r| r.key.clone()).collect();
                follow_actions(handle, keys, self.app.clone(), self.sender.clone());
            }
            Err(error) => {
                warn!("recert: {error}");
                for reminder in &notice.reminders {
                    self.failed.insert(reminder.key.clone(), Instant::now());
                }
                self.status.lock().map(|mut s| s.error = Some(error.clone())).ok();
                let _ = self.app.emit("notifications-unavailable", error);
            }
        }
    }
}

/// Keeps the notification alive until it is closed (some desktops drop a notification whose
/// sender let go of it) and acts on its buttons.
fn follow_actions(
    handle: notify_rust::NotificationHandle,
    keys: Vec<String>,
    app: AppHandle,
    scheduler: Sender<SchedulerMsg>,
) {
    let spawned = std::thread::Builder::new().name("notification".into()).spawn(move || {
        handle.wait_for_action(|action| match action {
            notifier::ACTION_OPEN | "default" => crate::desktop::show_main_window(&app),
            notifier::ACTION_SNOOZE => {
                for key in &keys {
                    let _ = scheduler.send(SchedulerMsg::Snooze { key: key.clone(), days: 1 });
                }
            }
            _ => {}
        });
    });
    if let Err(error) = spawned {
        warn!("recert: could not follow a notification: {error}");
    }
}
