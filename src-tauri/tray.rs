//! The tray icon and its menu (Open, Check now, Quit). On Linux trays report no clicks, so every
//! action is in the menu; where no tray shows at all, relaunching Recert opens the window.

use tauri::menu::{Menu, MenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager};

use crate::app_state::AppState;
use recert_background::scheduler::SchedulerMsg;

pub fn install(app: &AppHandle) -> tauri::Result<()> {
    let open = MenuItem::with_id(app, "open", "Open Recert", true, None::<&str>)?;
    let check = MenuItem::with_id(app, "check", "Check reminders now", true, None::<&str>)?;
    let quit = MenuItem::with_id(app, "quit", "Quit Recert", true, None::<&str>)?;
    let menu = Menu::with_items(app, &[&open, &check, &quit])?;
    let mut tray =
        TrayIconBuilder::with_id("main").tooltip("Recert").menu(&menu).on_menu_event(|app, event| {
            match event.id.as_ref() {
                "open" => crate::window::show_main_window(app),
                "check" => {
                    let (reply, _answer) = std::sync::mpsc::channel();
                    let _ = app.state::<AppState>().scheduler.send(SchedulerMsg::CheckNow(reply));
                }
                "quit" => app.exit(0),
                _ => {}
            }
        });
    if let Some(icon) = app.default_window_icon() {
        tray = tray.icon(icon.clone());
    }
    tray.build(app)?;
    Ok(())
}
