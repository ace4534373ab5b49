//! The reminder scheduler: a thread with its own connection to the database that checks what is
//! due at start, after every change, and every minute — so "at least hourly" holds and a machine
//! waking from sleep is caught within a minute, whatever the clock did meanwhile.
//!
//! It runs in the window process and in the background agent (this crate has no Tauri: the
//! process is reached through [`Host`]). The two take turns ([`Turn`]): the
//! window raises reminders while it is open, the agent while none is.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{NaiveDate, Utc};
use recert_core::reminders::{Notice, OpenNotification, Reminder};
use recert_core::store::Access;
use recert_core::Recert;

use crate::notifier;
use crate::turn::ReminderTurn;

const TICK: Duration = Duration::from_secs(60);
/// The first check waits until the window has drawn, so start-up does not compete with it.
pub const FIRST_CHECK_AFTER: Duration = Duration::from_secs(3);
/// After a failed delivery, timed checks wait this long before trying the same reminder again.
const RETRY_FAILED_AFTER: Duration = Duration::from_secs(3600);
/// How often the agent looks whether a window closed or the data changed (`recert add` in a
/// terminal), so it follows within seconds. Two file-system calls each time.
const AGENT_POLL: Duration = Duration::from_secs(2);

/// What the scheduler needs from the process it runs in.
pub trait Host: Clone + Send + 'static {
    /// Reminders were raised or snoozed (the window refreshes its history).
    fn reminders_changed(&self);
    /// No notification could be shown.
    fn notifications_unavailable(&self, error: &str);
    /// "Open Recert" on a notification.
    fn open_window(&self);
}

/// When this scheduler raises reminders.
#[allow(dead_code)] // the window process builds one variant, the agent the other
pub enum Turn {
    /// The window's: always, holding `reminders.lock` while the process runs.
    Window,
    /// The agent's: only while no window holds `reminders.lock`; checks when it gets the turn,
    /// when the data changed and every minute.
    Agent { turn: ReminderTurn, had_turn: bool, seen: Option<DataStamp>, checked_at: Option<Instant> },
}

#[allow(dead_code)] // the agent's
impl Turn {
    pub fn agent(data_dir: &Path) -> Turn {
        Turn::Agent { turn: ReminderTurn::new(data_dir), had_turn: false, seen: None, checked_at: None }
    }
}

/// The size and modification time of the database and its write-ahead log: changes whenever a
/// transaction commits, whoever made it.
#[derive(PartialEq, Eq, Clone, Copy, Debug)]
pub struct DataStamp([Option<(u64, std::time::SystemTime)>; 2]);

impl DataStamp {
    fn of(database: &Path) -> DataStamp {
        let stamp = |path: &Path| std::fs::metadata(path).ok().and_then(|m| Some((m.len(), m.modified().ok()?)));
        let mut wal = database.as_os_str().to_owned();
        wal.push("-wal");
        DataStamp([stamp(database), stamp(Path::new(&wal))])
    }
}

pub enum SchedulerMsg {
    /// Data changed: check now.
    Changed,
    /// The first-run flow saved what the user holds: check now, and group what is due into one
    /// summary.
    SetUp,
    /// Check now and answer with how many reminders were raised.
    CheckNow(Sender<usize>),
    Snooze {
        key: String,
        days: u32,
    },
    /// A notification this process followed closed, or its button was pressed.
    NotificationGone(u32),
}

/// What the window can ask about reminders.
#[derive(Default)]
pub struct NotifierStatus {
    /// The last delivery error, while notifications can't be shown.
    pub error: Option<String>,
}

pub fn spawn<H: Host>(
    host: H,
    data_dir: PathBuf,
    fixed_today: Option<NaiveDate>,
    status: Arc<Mutex<NotifierStatus>>,
    turn: Turn,
) -> Sender<SchedulerMsg> {
    let (sender, receiver) = mpsc::channel();
    let own_sender = sender.clone();
    std::thread::Builder::new()
        .name("reminders".into())
        .spawn(move || {
            // The window's turn lasts as long as the process: the agent stands back meanwhile.
            let _window_turn = match turn {
                Turn::Window => crate::turn::hold_reminders(&data_dir)
                    .map_err(|error| warn!("recert: could not take the reminders lock: {error}"))
                    .ok(),
                Turn::Agent { .. } => None,
            };
            // The window opened (and made) the database already; the agent makes it when it starts
            // at login before the window ever ran, as the window would.
            let access = match turn {
                Turn::Window => Access::Write,
                Turn::Agent { .. } => Access::Create,
            };
            match Recert::open_for(&data_dir, Utc::now(), access) {
                Ok((recert, _)) => {
                    let (failed, followed) = (HashMap::new(), HashSet::new());
                    Scheduler { host, recert, fixed_today, status, sender: own_sender, failed, followed, turn }
                        .run(receiver)
                }
                Err(error) => warn!("recert: reminders are off, the database could not be opened: {error}"),
            }
        })
        .expect("a thread can be started");
    sender
}

struct Scheduler<H: Host> {
    host: H,
    recert: Recert,
    fixed_today: Option<NaiveDate>,
    status: Arc<Mutex<NotifierStatus>>,
    sender: Sender<SchedulerMsg>,
    failed: HashMap<String, Instant>,
    /// The notifications whose buttons this process follows, by id.
    followed: HashSet<u32>,
    turn: Turn,
}

impl<H: Host> Scheduler<H> {
    fn today(&self) -> NaiveDate {
        recert_core::dates::today_or(self.fixed_today)
    }

    fn run(mut self, receiver: Receiver<SchedulerMsg>) {
        let mut wait = match self.turn {
            Turn::Window => FIRST_CHECK_AFTER,
            Turn::Agent { .. } => AGENT_POLL,
        };
        loop {
            let message = receiver.recv_timeout(wait);
            wait = match self.turn {
                Turn::Window => TICK,
                Turn::Agent { .. } => AGENT_POLL,
            };
            if let Turn::Agent { .. } = self.turn {
                if !matches!(message, Err(RecvTimeoutError::Disconnected)) {
                    self.agent_turn(message);
                    continue;
                }
            }
            match message {
                Ok(SchedulerMsg::Changed) => {
                    self.after_change();
                    self.withdraw_resolved();
                    self.check(true);
                }
                Ok(SchedulerMsg::SetUp) => {
                    self.after_change();
                    self.check_with(true, recert_core::reminders::setup_notices);
                }
                Ok(SchedulerMsg::CheckNow(reply)) => {
                    let raised = self.check(true);
                    let _ = reply.send(raised);
                }
                Ok(SchedulerMsg::Snooze { key, days }) => self.snooze(&key, days),
                Ok(SchedulerMsg::NotificationGone(id)) => self.notification_gone(id),
                Err(RecvTimeoutError::Timeout) => {
                    self.check(false);
                }
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
    }

    /// After a change: the day's backup, and the calendar file the user keeps up to date.
    fn after_change(&self) {
        for warning in self.recert.after_change(Utc::now(), self.today()) {
            warn!("recert: {warning}");
        }
    }

    /// Closes the notifications on screen whose reminders no longer apply after a change (a
    /// mistaken renewal undone: the card reminder it raised goes with it).
    fn withdraw_resolved(&mut self) {
        let withdrawn = match self.recert.withdraw_resolved_notifications(&notifier::session(), self.today()) {
            Ok(withdrawn) => withdrawn,
            Err(error) => return warn!("recert: finding notifications that no longer apply: {error}"),
        };
        for notification in withdrawn {
            self.followed.remove(&notification.id);
            if let Err(error) = notifier::close(notification.id) {
                warn!("recert: {error}");
            }
        }
    }

    fn snooze(&mut self, key: &str, days: u32) {
        let today = self.today();
        match self.recert.snooze_reminder(key, days, today) {
            Ok(_) => self.host.reminders_changed(),
            Err(error) => warn!("recert: snoozing {key}: {error}"),
        }
    }

    /// The agent's loop: a message or a poll, acted on only while no window holds the turn.
    fn agent_turn(&mut self, message: Result<SchedulerMsg, RecvTimeoutError>) {
        match message {
            Ok(SchedulerMsg::Snooze { key, days }) => return self.snooze(&key, days),
            Ok(SchedulerMsg::NotificationGone(id)) => return self.notification_gone(id),
            _ => {}
        }
        let database = self.recert.database_path();
        let Turn::Agent { turn, had_turn, seen, checked_at } = &mut self.turn else { return };
        let checking = match turn.try_take() {
            Ok(Some(checking)) => checking,
            Ok(None) => {
                *had_turn = false;
                if let Ok(SchedulerMsg::CheckNow(reply)) = message {
                    let _ = reply.send(0); // the open window checks
                }
                return;
            }
            Err(error) => {
                warn!("recert: could not take the reminders lock: {error}");
                return;
            }
        };
        let stamp = DataStamp::of(&database);
        let changed = *seen != Some(stamp);
        let asked = message.is_ok();
        let taking_over = !*had_turn;
        let due = asked || taking_over || *seen != Some(stamp) || checked_at.is_none_or(|at| at.elapsed() >= TICK);
        *had_turn = true;
        if !due {
            return;
        }
        if taking_over {
            // The window process (or an agent before this one) ended: its notifications' buttons
            // would do nothing now, so this process takes them over.
            self.take_over_notifications();
        }
        if changed || taking_over {
            // The data changed (`recert undo-renewal` in a terminal): what no longer applies goes.
            self.withdraw_resolved();
        }
        let raised = match message {
            Ok(SchedulerMsg::SetUp) => self.check_with(true, recert_core::reminders::setup_notices),
            _ => self.check(asked),
        };
        if let Ok(SchedulerMsg::CheckNow(reply)) = message {
            let _ = reply.send(raised);
        }
        if let Turn::Agent { seen, checked_at, .. } = &mut self.turn {
            // What this check wrote itself is not a change to check again for.
            *seen = Some(DataStamp::of(&database));
            *checked_at = Some(Instant::now());
        }
        drop(checking);
    }

    fn notification_gone(&mut self, id: u32) {
        self.followed.remove(&id);
        if let Err(error) = self.recert.forget_notification(&notifier::session(), id) {
            warn!("recert: forgetting notification {id}: {error}");
        }
    }

    /// Shows again, in place, the notifications another Recert process showed and no longer
    /// follows, and follows their buttons here.
    fn take_over_notifications(&mut self) {
        let session = notifier::session();
        let open = match self.recert.notifications_to_take_over(&session, Utc::now()) {
            Ok(open) => open,
            Err(error) => return warn!("recert: finding notifications to take over: {error}"),
        };
        let others: Vec<OpenNotification> = open.into_iter().filter(|n| !self.followed.contains(&n.id)).collect();
        for notification in others {
            let shown = notifier::show_in_place_of(notification.id, &notification.title, &notification.body);
            match shown {
                Ok(handle) => {
                    // A server that lost the old id gives the notification a new one.
                    if notifier::id_of(&handle) != Some(notification.id) {
                        self.notification_gone(notification.id);
                    }
                    self.follow(handle, &notification.title, &notification.body, notification.reminder_keys);
                }
                Err(error) => {
                    warn!("recert: {error}");
                    self.notification_gone(notification.id);
                }
            }
        }
    }

    /// Follows a shown notification's buttons, and keeps it in the data folder for another process
    /// to take over where notifications have ids.
    fn follow(&mut self, handle: notify_rust::NotificationHandle, title: &str, body: &str, reminder_keys: Vec<String>) {
        if let Some(id) = notifier::id_of(&handle) {
            let kept = OpenNotification {
                bus: notifier::session(),
                id,
                title: title.to_string(),
                body: body.to_string(),
                reminder_keys: reminder_keys.clone(),
            };
            if let Err(error) = self.recert.note_open_notification(&kept, Utc::now()) {
                warn!("recert: keeping notification {id}: {error}");
            }
            self.followed.insert(id);
        }
        follow_actions(handle, reminder_keys, self.host.clone(), self.sender.clone());
    }

    /// Raises what is due; `asked` (a change or "check now") also retries failed deliveries.
    fn check(&mut self, asked: bool) -> usize {
        self.check_with(asked, recert_core::reminders::notices)
    }

    /// As `check`, grouping what is due into notifications with `group`.
    fn check_with(&mut self, asked: bool, group: for<'a> fn(&'a [Reminder]) -> Vec<Notice<'a>>) -> usize {
        let today = self.today();
        let failed = &self.failed;
        let retry = |r: &Reminder| asked || failed.get(&r.key).is_none_or(|at| at.elapsed() >= RETRY_FAILED_AFTER);
        // Claimed: a `recert remind` from cron, or another window or agent, running now will not
        // raise these too.
        let due = match self.recert.claim_due_reminders(today, Utc::now(), retry) {
            Ok(due) => due,
            Err(error) => {
                warn!("recert: checking reminders: {error}");
                return 0;
            }
        };
        let mut raised = 0;
        for notice in group(&due) {
            self.raise(&notice);
            raised += notice.reminders.len();
        }
        if raised > 0 {
            self.host.reminders_changed();
        }
        raised
    }

    /// Shows one notification and records each reminder it stands for.
    fn raise(&mut self, notice: &Notice<'_>) {
        let outcome = notifier::show(notice, notifier::Buttons::Followed);
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
                self.follow(handle, &notice.title, &notice.body, keys);
            }
            Err(error) => {
                warn!("recert: {error}");
                for reminder in &notice.reminders {
                    self.failed.insert(reminder.key.clone(), Instant::now());
                }
                self.status.lock().map(|mut s| s.error = Some(error.clone())).ok();
                self.host.notifications_unavailable(&error);
            }
        }
    }
}

/// Keeps the notification alive until it is closed (some desktops drop a notification whose
/// sender let go of it) and acts on its buttons.
fn follow_actions<H: Host>(
    handle: notify_rust::NotificationHandle,
    keys: Vec<String>,
    host: H,
    scheduler: Sender<SchedulerMsg>,
) {
    let spawned = std::thread::Builder::new().name("notification".into()).spawn(move || {
        let id = notifier::id_of(&handle);
        handle.wait_for_action(|action| match action {
            notifier::ACTION_OPEN | "default" => host.open_window(),
            notifier::ACTION_SNOOZE => {
                for key in &keys {
                    let _ = scheduler.send(SchedulerMsg::Snooze { key: key.clone(), days: 1 });
                }
            }
            _ => {}
        });
        // Pressed or closed: nothing is left to follow or to take over.
        if let Some(id) = id {
            let _ = scheduler.send(SchedulerMsg::NotificationGone(id));
        }
    });
    if let Err(error) = spawned {
        warn!("recert: could not follow a notification: {error}");
    }
}
