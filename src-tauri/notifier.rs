//! Desktop notifications (notify-rust): the freedesktop notification server on Linux, toasts on
//! Windows, Notification Center on macOS.

use notify_rust::{Notification, NotificationHandle};
use recert_core::reminders::Notice;

pub const ACTION_OPEN: &str = "open";
pub const ACTION_SNOOZE: &str = "snooze";

/// Shows a notification for one or more reminders. Actions ("Open Recert", "Snooze 1 day") are offered only where the server
/// supports them. Fails with the server's message when none is running.
pub fn show(notice: &Notice<'_>) -> Result<NotificationHandle, String> {
    let mut notification = Notification::new();
    notification.appname("Recert").summary(&notice.title).body(&notice.body);
    // A freedesktop icon name: only notification servers on Linux and the BSDs look it up.
    #[cfg(all(unix, not(target_os = "macos")))]
    notification.icon("appointment-soon");
    if supports_actions() {
        notification.action(ACTION_OPEN, "Open Recert").action(ACTION_SNOOZE, "Snooze 1 day");
    }
    notification.show().map_err(|error| format!("no notification could be shown: {error}"))
}

/// Whether the notification server shows buttons. Only the freedesktop protocol can be asked
/// (Linux and the BSDs); Windows toasts and macOS notifications take actions.
#[cfg(all(unix, not(target_os = "macos")))]
fn supports_actions() -> bool {
    notify_rust::get_capabilities().map(|caps| caps.iter().any(|c| c == "actions")).unwrap_or(false)
}

#[cfg(not(all(unix, not(target_os = "macos"))))]
fn supports_actions() -> bool {
    true
}
