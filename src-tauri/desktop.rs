//! The desktop app (Tauri 2): builds the window process — plugins, commands, state, scheduler,
//! tray or agent — and its life cycle.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use chrono::NaiveDate;
use recert_core::paths::data_dir_from_env;
use recert_core::Recert;
use tauri::{Emitter, Manager};

use crate::app_state::AppState;
use crate::commands;
use crate::window::show_main_window;
use crate::{background, tray};
use recert_background::scheduler::{self, NotifierStatus, Turn};

/// WebKitGTK's DMA-BUF renderer shows a blank window on many GPUs, VMs and software-only GL.
/// Turn it off unless the user chose otherwise; must run before GTK starts any thread. Linux only:
/// macOS and Windows use WKWebView and WebView2.
#[cfg(target_os = "linux")]
fn avoid_blank_window() {
    if std::env::var_os("WEBKIT_DISABLE_DMABUF_RENDERER").is_none() {
        std::env::set_var("WEBKIT_DISABLE_DMABUF_RENDERER", "1");
    }
}

#[cfg(not(target_os = "linux"))]
fn avoid_blank_window() {}

pub fn run(data_dir: Option<PathBuf>, hidden: bool, fixed_today: Option<NaiveDate>) -> i32 {
    // With an agent (Linux), the background is the agent: `--hidden` becomes it, and closing the
    // window ends this process. Without one, this process stays in the background (background.rs).
    let mut agent = background::agent();
    if let (true, Some(agent_path)) = (hidden, &agent) {
        match data_dir_from_env(data_dir.clone()) {
            Ok(dir) => {
                let error = background::become_agent(agent_path, &dir, fixed_today);
                warn!("recert: could not start {}: {error}; staying in the background here", agent_path.display());
                agent = None;
            }
            Err(error) => {
                warn!("recert: {error}");
                return 1;
            }
        }
    }
    avoid_blank_window();
    let opened = data_dir_from_env(data_dir).and_then(|dir| Ok((Recert::open(&dir, chrono::Utc::now())?, dir)));
    let (recert, data_dir) = match opened {
        Ok(opened) => opened,
        Err(error) => {
            warn!("recert: {error}");
            return 1;
        }
    };
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| show_main_window(app)))
        .plugin(tauri_plugin_dialog::init())
        .plugin(crate::autostart::plugin())
        .on_window_event({
            let background_here = agent.is_none();
            move |window, event| {
                // Without an agent, closing hides the window and reminders keep running here (Quit
                // is in the tray menu). With one, the window closes and this process ends.
                if let (true, tauri::WindowEvent::CloseRequested { api, .. }) = (background_here, event) {
                    api.prevent_close();
                    let _ = window.hide();
                }
            }
        })
        .invoke_handler(tauri::generate_handler![
            commands::get_status,
            commands::get_catalog,
            commands::search_catalog,
            commands::add_credential,
            commands::edit_credential,
            commands::remove_credential,
            commands::confirm_expiry,
            commands::audit_packet,
            commands::restore_backup,
            commands::list_backups,
            commands::set_calendar_file,
            commands::export_csv,
            commands::import_csv,
            commands::choose_save_path,
            commands::choose_file,
            commands::set_up,
            commands::undo_renewal,
            commands::renew_credential,
            commands::credential_detail,
            commands::preview_credits,
            commands::log_activity,
            commands::edit_activity,
            commands::list_activities,
            commands::delete_activity,
            commands::upcoming_costs,
            commands::list_planned,
            commands::add_planned,
            commands::remove_planned,
            commands::get_plan,
            commands::planned_log_form,
            commands::complete_planned,
            commands::planned_on_timeline,
            commands::app_info,
            commands::backup_now,
            commands::sync_status,
            commands::set_sync_folder,
            commands::sync_now,
            commands::leave_sync,
            commands::choose_folder,
            commands::pick_proof_file,
            commands::open_proof,
            commands::read_certificate,
            commands::get_settings,
            commands::set_lead_days,
            commands::set_start_at_login,
            commands::reminder_history,
            commands::snooze_reminder,
            commands::check_reminders_now,
            commands::catalog_info,
            commands::update_catalog,
            commands::undo_catalog,
            commands::settle_credit,
            commands::read_date,
        ])
        .setup(move |app| {
            let notifier = Arc::new(Mutex::new(NotifierStatus::default()));
            let scheduler = scheduler::spawn(
                WindowHost(app.handle().clone()),
                data_dir.clone(),
                fixed_today,
                notifier.clone(),
                Turn::Window,
            );
            // Sync with the user's other computers in the background (issue 22): what arrives is
            // a change like any other for reminders and the window.
            let reminders = scheduler.clone();
            let window = app.handle().clone();
            let syncer = recert_background::syncer::spawn(data_dir.clone(), scheduler::FIRST_CHECK_AFTER, move || {
                let _ = reminders.send(scheduler::SchedulerMsg::Changed);
                // A screen that only shows data draws itself again (app.js).
                let _ = window.emit("data-changed", ());
            });
            app.manage(AppState { recert: Mutex::new(recert), fixed_today, scheduler, notifier, syncer });
            migrate_start_at_login(app.handle());
            match &agent {
                Some(agent) => background::start_agent(agent, &data_dir, fixed_today),
                None => {
                    if let Err(error) = tray::install(app.handle()) {
                        warn!("recert: no tray icon ({error}); relaunch Recert to open the window");
                    }
                }
            }
            if !hidden {
                show_main_window(app.handle());
            }
            Ok(())
        })
        .run(tauri::generate_context!());
    match result {
        Ok(()) => 0,
        Err(error) => {
            warn!("recert: the window could not start: {error}");
            1
        }
    }
}

/// The scheduler, in the window process, tells the window through events.
#[derive(Clone)]
struct WindowHost(tauri::AppHandle);

impl scheduler::Host for WindowHost {
    fn reminders_changed(&self) {
        let _ = self.0.emit("reminders-changed", ());
    }

    fn notifications_unavailable(&self, error: &str) {
        let _ = self.0.emit("notifications-unavailable", error);
    }

    fn open_window(&self) {
        show_main_window(&self.0);
    }
}

/// Replaces an entry of Recert 0.1 with the autostart plugin's (see autostart.rs).
fn migrate_start_at_login(app: &tauri::AppHandle) {
    use tauri_plugin_autostart::ManagerExt;
    let legacy = crate::autostart::legacy_entry();
    match crate::autostart::migrate(&*app.autolaunch(), legacy.as_deref()) {
        Ok(true) => warn!("recert: start at login now uses {}", crate::autostart::location()),
        Ok(false) => {}
        Err(error) => warn!("recert: start at login still uses the old entry: {error}"),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    /// The names between the first `start` after `after` and the next `end`, each quoted or a
    /// path whose last part is the name.
    fn listed(text: &str, after: &str, end: &str, name: impl Fn(&str) -> Option<String>) -> BTreeSet<String> {
        let from = text.find(after).unwrap_or_else(|| panic!("{after} not found"));
        let rest = &text[from + after.len()..];
        let list = &rest[..rest.find(end).unwrap_or_else(|| panic!("{end} not found"))];
        list.split([',', '\n']).filter_map(|item| name(item.trim())).collect()
    }

    fn quoted(item: &str) -> Option<String> {
        let inner = item.trim_start_matches('"');
        inner.find('"').map(|end| inner[..end].to_string()).filter(|name| !name.is_empty())
    }

    /// The window's commands are named in four places that must agree: the handler list here,
    /// the permissions build.rs declares, the capability that grants them and ui/api.js, the
    /// only caller. Tauri derives none of them from another, so this test ties them.
    #[test]
    fn every_list_of_the_windows_commands_agrees() {
        let handlers = listed(include_str!("desktop.rs"), "generate_handler![", "]", |item| {
            item.strip_prefix("commands::").map(str::to_string)
        });
        let declared = listed(include_str!("build.rs"), "const COMMANDS: &[&str] = &[", "];", quoted);
        let granted = listed(include_str!("capabilities/main.json"), "\"permissions\": [", "]", |item| {
            quoted(item)?.strip_prefix("allow-").map(|name| name.replace('-', "_"))
        });
        let api = include_str!("../ui/api.js");
        let called: BTreeSet<String> = api
            .split("call('")
            .skip(1)
            .filter_map(|rest| rest.split('\'').next().map(str::to_string))
            .filter(|name| name != "${command}")
            .collect();
        assert!(handlers.len() > 30, "{handlers:?}");
        assert_eq!(declared, handlers, "build.rs and generate_handler!");
        let granted: BTreeSet<String> = granted.into_iter().filter(|name| handlers.contains(name)).collect();
        assert_eq!(granted, handlers, "the capability grants every command");
        assert_eq!(called, handlers, "ui/api.js calls exactly the commands there are");
    }
}
