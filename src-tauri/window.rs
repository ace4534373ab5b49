//! The main window, brought forward from wherever asks for it: a second launch, the tray, a
//! notification's button. Its own module so that the tray and the app builder don't import each other.

use tauri::Manager;

pub fn show_main_window(app: &tauri::AppHandle) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.show();
        let _ = window.unminimize();
        let _ = window.set_focus();
    }
}
