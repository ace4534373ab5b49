//! The desktop window (Tauri 2): state, commands, and the window's life cycle.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use chrono::NaiveDate;
use recert_core::paths::data_dir_from_env;
use recert_core::Recert;
use tauri::Manager;

use crate::commands::{self, AppState};
use crate::scheduler::{self, NotifierStatus};
use crate::tray;

/// WebKitGTK's DMA-BUF renderer shows a blank window on many GPUs, VMs and software-only GL.
/// Turn it off unless the user chose otherwise; must run before GTK starts any thread.
fn avoid_blank_window() {
    if std::env::var_os("WEBKIT_DISABLE_DMABUF_RENDERER").is_none() {
        std::env::set_var("WEBKIT_DISABLE_DMABUF_RENDERER", "1");
    }
}

pub fn run(data_dir: Option<PathBuf>, hidden: bool, fixed_today: Option<NaiveDate>) -> i32 {
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
        .on_window_event(|window, event| {
            // Closing hides the window; reminders keep running. Quit is in the tray menu.
            if let tauri::WindowEvent::CloseRequested { api, .. } = event {
                api.prevent_close();
                let _ = window.hide();
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
            commands::renew_credential,
            commands::credential_detail,
            commands::preview_credits,
            commands::log_activity,
            commands::list_activities,
            commands::delete_activity,
            commands::upcoming_costs,
            commands::app_info,
            commands::backup_now,
            commands::pick_proof_file,
            commands::open_proof,
            commands::get_settings,
            commands::set_lead_days,
            commands::set_start_at_login,
            commands::reminder_history,
            commands::snooze_reminder,
            commands::check_reminders_now,
        ])
        .setup(move |app| {
            let notifier = Arc::new(Mutex::new(NotifierStatus::default()));
            let scheduler = scheduler::spawn(app.handle().clone(), data_dir.clone(), fixed_today, notifier.clone());
            app.manage(AppState { recert: Mutex::new(recert), fixed_today, scheduler, notifier });
            if let Err(error) = tray::install(app.handle()) {
                warn!("recert: no tray icon ({error}); relaunch Recert to open the window");
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

pub fn show_main_window(app: &tauri::AppHandle) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.show();
        let _ = window.unminimize();
        let _ = window.set_focus();
    }
}
