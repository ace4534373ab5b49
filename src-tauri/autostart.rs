//! "Start at login" through tauri-plugin-autostart, which starts Recert with `--hidden`:
//! an XDG autostart entry on Linux (`~/.config/autostart/Recert.desktop`), a LaunchAgent on macOS
//! (`~/Library/LaunchAgents/Recert.plist`), a value under the Run key of the registry on Windows.
//!
//! Recert 0.1 wrote its own entry, `$XDG_CONFIG_HOME/autostart/recert.desktop` (Linux only). An
//! entry found there is replaced by the plugin's at start-up ([`migrate`]), pointing at the
//! binary now running; until then it still starts Recert, and it counts as "on".
//!
//! Linux notes on the plugin (auto-launch 0.6): it writes under `$HOME/.config` whatever
//! `$XDG_CONFIG_HOME` says, and its Exec line does not quote the path of the binary, so a binary
//! in a folder whose name has a space would not start (installed, it is `/usr/bin/recert`).

use std::ffi::OsString;
use std::io;
use std::path::{Path, PathBuf};

/// The name of the entry: the desktop file, the LaunchAgent and the registry value.
pub const ENTRY_NAME: &str = "Recert";
/// What the entry passes to Recert.
pub const ARGS: [&str; 1] = ["--hidden"];

pub fn plugin<R: tauri::Runtime>() -> tauri::plugin::TauriPlugin<R> {
    tauri_plugin_autostart::Builder::new().app_name(ENTRY_NAME).args(ARGS).build()
}

/// What registers Recert to start at login: the plugin, or a stand-in in tests.
pub trait Launcher {
    fn enable(&self) -> Result<(), String>;
    fn disable(&self) -> Result<(), String>;
    fn is_enabled(&self) -> Result<bool, String>;
}

impl Launcher for tauri_plugin_autostart::AutoLaunchManager {
    fn enable(&self) -> Result<(), String> {
        tauri_plugin_autostart::AutoLaunchManager::enable(self).map_err(|e| e.to_string())
    }
    fn disable(&self) -> Result<(), String> {
        tauri_plugin_autostart::AutoLaunchManager::disable(self).map_err(|e| e.to_string())
    }
    fn is_enabled(&self) -> Result<bool, String> {
        tauri_plugin_autostart::AutoLaunchManager::is_enabled(self).map_err(|e| e.to_string())
    }
}

/// Where the entry is, for the Settings page.
pub fn location() -> String {
    location_for(std::env::var_os("HOME"))
}

fn location_for(home: Option<OsString>) -> String {
    let home = home.map(PathBuf::from).unwrap_or_default();
    if cfg!(target_os = "macos") {
        home.join("Library/LaunchAgents").join(format!("{ENTRY_NAME}.plist")).display().to_string()
    } else if cfg!(windows) {
        format!(r"HKEY_CURRENT_USER\Software\Microsoft\Windows\CurrentVersion\Run\{ENTRY_NAME}")
    } else {
        home.join(".config/autostart").join(format!("{ENTRY_NAME}.desktop")).display().to_string()
    }
}

/// The entry Recert 0.1 wrote by hand: Linux only.
pub fn legacy_entry() -> Option<PathBuf> {
    if cfg!(target_os = "linux") {
        legacy_entry_for(std::env::var_os("XDG_CONFIG_HOME"), std::env::var_os("HOME"))
    } else {
        None
    }
}

/// `$XDG_CONFIG_HOME/autostart/recert.desktop`, else `~/.config/autostart/recert.desktop`.
fn legacy_entry_for(xdg_config_home: Option<OsString>, home: Option<OsString>) -> Option<PathBuf> {
    xdg_config_home
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| home.map(|home| PathBuf::from(home).join(".config")))
        .map(|config| config.join("autostart").join("recert.desktop"))
}

pub fn is_enabled(launcher: &impl Launcher, legacy: Option<&Path>) -> Result<bool, String> {
    Ok(launcher.is_enabled()? || legacy.is_some_and(Path::exists))
}

/// Turns start at login on or off; either way an entry of Recert 0.1 goes, so one entry is left
/// at most. Answers whether it is now on.
pub fn set(launcher: &impl Launcher, legacy: Option<&Path>, enabled: bool) -> Result<bool, String> {
    if enabled {
        launcher.enable()?;
    } else {
        launcher.disable()?;
    }
    if let Some(legacy) = legacy {
        remove_if_present(legacy).map_err(|e| format!("could not remove {}: {e}", legacy.display()))?;
    }
    is_enabled(launcher, legacy)
}

/// Replaces an entry of Recert 0.1 with the plugin's. Answers whether there was one; when the
/// plugin fails, the old entry stays (it still works) and the error is returned.
pub fn migrate(launcher: &impl Launcher, legacy: Option<&Path>) -> Result<bool, String> {
    match legacy {
        Some(legacy) if legacy.exists() => set(launcher, Some(legacy), true).map(|_| true),
        _ => Ok(false),
    }
}

fn remove_if_present(path: &Path) -> io::Result<()> {
    match std::fs::remove_file(path) {
        Err(error) if error.kind() != io::ErrorKind::NotFound => Err(error),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    /// Stands in for the plugin: remembers whether it is on, or fails when told to.
    #[derive(Default)]
    struct FakeLauncher {
        on: Cell<bool>,
        broken: bool,
    }

    impl Launcher for FakeLauncher {
        fn enable(&self) -> Result<(), String> {
            if self.broken {
                return Err("no autostart folder".into());
            }
            self.on.set(true);
            Ok(())
        }
        fn disable(&self) -> Result<(), String> {
            self.on.set(false);
            Ok(())
        }
        fn is_enabled(&self) -> Result<bool, String> {
            Ok(self.on.get())
        }
    }

    /// The entry Recert 0.1 wrote (autostart.rs at 0.1.0).
    fn write_legacy(dir: &Path) -> PathBuf {
        let path = dir.join("autostart/recert.desktop");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(
            &path,
            "[Desktop Entry]\nType=Application\nName=Recert\nComment=Reminders before your credentials lapse\n\
             Exec=\"/home/me/.local/bin/recert\" --hidden\nTerminal=false\nX-GNOME-Autostart-enabled=true\n",
        )
        .unwrap();
        path
    }

    #[test]
    fn an_entry_of_recert_0_1_counts_as_on_and_is_replaced_by_the_plugins() {
        let config = tempfile::tempdir().unwrap();
        let legacy = write_legacy(config.path());
        let launcher = FakeLauncher::default();
        assert!(is_enabled(&launcher, Some(&legacy)).unwrap(), "the old entry still starts Recert");
        assert!(migrate(&launcher, Some(&legacy)).unwrap());
        assert!(launcher.on.get(), "the plugin's entry replaces it");
        assert!(!legacy.exists(), "one entry, not two");
        assert!(!migrate(&launcher, Some(&legacy)).unwrap(), "once");
        assert!(is_enabled(&launcher, Some(&legacy)).unwrap());
    }

    #[test]
    fn when_the_plugin_fails_the_old_entry_stays() {
        let config = tempfile::tempdir().unwrap();
        let legacy = write_legacy(config.path());
        let launcher = FakeLauncher { broken: true, ..FakeLauncher::default() };
        assert_eq!(migrate(&launcher, Some(&legacy)), Err("no autostart folder".to_string()));
        assert!(legacy.exists());
        assert!(is_enabled(&launcher, Some(&legacy)).unwrap());
    }

    #[test]
    fn turning_it_off_removes_the_old_entry_too() {
        let config = tempfile::tempdir().unwrap();
        let legacy = write_legacy(config.path());
        let launcher = FakeLauncher { on: Cell::new(true), broken: false };
        assert!(!set(&launcher, Some(&legacy), false).unwrap());
        assert!(!legacy.exists());
        assert!(!launcher.on.get());
        assert!(!set(&launcher, Some(&legacy), false).unwrap(), "turning off twice is fine");
        assert!(set(&launcher, None, true).unwrap());
    }

    #[test]
    fn no_old_entry_nothing_to_migrate() {
        let config = tempfile::tempdir().unwrap();
        let launcher = FakeLauncher::default();
        assert!(!migrate(&launcher, Some(&config.path().join("autostart/recert.desktop"))).unwrap());
        assert!(!migrate(&launcher, None).unwrap());
        assert!(!launcher.on.get());
    }

    #[test]
    fn the_old_entry_is_under_xdg_config_home_else_under_home() {
        let at = |xdg: Option<&str>, home: Option<&str>| legacy_entry_for(xdg.map(Into::into), home.map(Into::into));
        assert_eq!(at(Some("/c"), Some("/h")), Some(PathBuf::from("/c/autostart/recert.desktop")));
        assert_eq!(at(Some(""), Some("/h")), Some(PathBuf::from("/h/.config/autostart/recert.desktop")));
        assert_eq!(at(None, Some("/h")), Some(PathBuf::from("/h/.config/autostart/recert.desktop")));
        assert_eq!(at(None, None), None);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn on_linux_the_plugins_entry_is_a_desktop_file_under_home() {
        assert_eq!(location_for(Some("/h".into())), "/h/.config/autostart/Recert.desktop");
    }
}
