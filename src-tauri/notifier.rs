//! Desktop notifications through the freedesktop notification server (notify-rust).

use notify_rust::{Notification, NotificationHandle};
use recert_core::reminders::Notice;

pub const ACTION_OPEN: &str = "open";
pub const ACTION_SNOOZE: &str = "snooze";

/// Shows a notification for one or more reminders. Actions ("Open Recert", "Snooze 1 day") are offered only where the server
/// supports them. Fails with the server's message when none is running.
pub fn show(notice: &Notice<'_>) -> Result<NotificationHandle, String> {
    let supports_actions =
        notify_rust::get_capabilities().map(|caps| caps.iter().any(|c| c == "actions")).unwrap_or(false);
    let mut notification = Notification::new();
    notification.appname("Recert").summary(&notice.title).body(&notice.body).icon("appointment-soon");
    if supports_actions {
        notification.action(ACTION_OPEN, "Open Recert").action(ACTION_SNOOZE, "Snooze 1 day");
    }
    notification.show().map_err(|error| format!("no notification could be shown: {error}"))
}
