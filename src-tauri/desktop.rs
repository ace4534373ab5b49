//! The desktop window (Tauri).

use std::path::PathBuf;

pub fn run(_data_dir: Option<PathBuf>, _hidden: bool) {
    tauri::Builder::default()
        .setup(|app| {
            use tauri::Manager;
            if let Some(window) = app.get_webview_window("main") {
                window.show()?;
            }
            Ok(())
        })
        .run(tauri::generate_context!())
        .expect("error while running Recert");
}
