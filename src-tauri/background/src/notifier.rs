//! Desktop notifications (notify-rust): the freedesktop notification server on Linux, toasts on
//! Windows, Notification Center on macOS.

use notify_rust::{Notification, NotificationHandle};
use recert_core::reminders::Notice;

pub(crate) const ACTION_OPEN: &str = "open";
pub(crate) const ACTION_SNOOZE: &str = "snooze";

/// The buttons a notification offers: only a process that stays to follow them may offer them
/// (`recert remind` ends at once, so its notifications have none).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Buttons {
    Followed,
    None,
}

/// Shows a notification for one or more reminders. Actions ("Open Recert", "Snooze 1 day") are
/// offered only where the server supports them. Fails with the server's message when none is running.
pub fn show(notice: &Notice<'_>, buttons: Buttons) -> Result<NotificationHandle, String> {
    show_text(&notice.title, &notice.body, buttons, None)
}

/// Shows a notification again in place of notification `id`, which another Recert process showed
/// and no longer follows: the server replaces it where it is, and its buttons now reach this
/// process. Where `id` is gone already, the server shows it anew.
pub(crate) fn show_in_place_of(id: u32, title: &str, body: &str) -> Result<NotificationHandle, String> {
    show_text(title, body, Buttons::Followed, Some(id))
}

fn show_text(title: &str, body: &str, buttons: Buttons, replaces: Option<u32>) -> Result<NotificationHandle, String> {
    let mut notification = Notification::new();
    notification.appname("Recert").summary(title).body(body);
    if let Some(id) = replaces {
        notification.id(id);
    }
    // A freedesktop icon name: only notification servers on Linux and the BSDs look it up.
    #[cfg(all(unix, not(target_os = "macos")))]
    notification.icon("appointment-soon");
    if buttons == Buttons::Followed && supports_actions() {
        notification.action(ACTION_OPEN, "Open Recert").action(ACTION_SNOOZE, "Snooze 1 day");
    }
    notification.show().map_err(|error| format!("no notification could be shown: {error}"))
}

/// Closes notification `id` on the freedesktop notification server: one whose reminders no longer
/// apply (a mistaken renewal undone). Elsewhere there are no ids to close by.
#[cfg(target_os = "linux")]
pub fn close(id: u32) -> Result<(), String> {
    zbus::block_on(async {
        let connection = zbus::Connection::session().await?;
        connection
            .call_method(
                Some("org.freedesktop.Notifications"),
                "/org/freedesktop/Notifications",
                Some("org.freedesktop.Notifications"),
                "CloseNotification",
                &(id,),
            )
            .await?;
        Ok::<(), zbus::Error>(())
    })
    .map_err(|error| format!("notification {id} could not be closed: {error}"))
}

#[cfg(not(target_os = "linux"))]
pub fn close(_id: u32) -> Result<(), String> {
    Ok(())
}

/// The id the notification server gave a notification: only the freedesktop protocol (Linux and
/// the BSDs) has one, and only there does a process take another's notifications over.
#[cfg(all(unix, not(target_os = "macos")))]
pub(crate) fn id_of(handle: &NotificationHandle) -> Option<u32> {
    Some(handle.id())
}

#[cfg(not(all(unix, not(target_os = "macos"))))]
pub(crate) fn id_of(_handle: &NotificationHandle) -> Option<u32> {
    None
}

/// The desktop session notifications are shown on, to tell whether a notification id kept in the
/// data folder belongs to it (ids start again in every session). On Linux: the D-Bus bus's own id,
/// new each time the bus starts — unlike its address, which a systemd user bus keeps from one
/// login to the next.
pub fn session() -> String {
    static SESSION: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SESSION.get_or_init(session_bus_id).clone()
}

#[cfg(target_os = "linux")]
fn session_bus_id() -> String {
    let id = zbus::block_on(async {
        let connection = zbus::Connection::session().await?;
        zbus::fdo::DBusProxy::new(&connection).await?.get_id().await
    });
    match id {
        Ok(id) => id.to_string(),
        Err(_) => std::env::var("DBUS_SESSION_BUS_ADDRESS").unwrap_or_default(),
    }
}

#[cfg(not(target_os = "linux"))]
fn session_bus_id() -> String {
    String::new()
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
