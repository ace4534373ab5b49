//! "Start at login": an XDG autostart entry (`~/.config/autostart/recert.desktop`) that starts
//! Recert hidden, so reminders keep coming without the window.

use std::io;
use std::path::{Path, PathBuf};

pub const FILE_NAME: &str = "recert.desktop";

/// `$XDG_CONFIG_HOME`, else `~/.config`.
pub fn config_home() -> Option<PathBuf> {
    std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".config")))
}

pub fn entry_path(config_home: &Path) -> PathBuf {
    config_home.join("autostart").join(FILE_NAME)
}

pub fn is_enabled(config_home: &Path) -> bool {
    entry_path(config_home).exists()
}

/// Quotes a path for a desktop entry's Exec key (freedesktop Desktop Entry spec, "Exec key").
fn exec_quote(path: &Path) -> String {
    let mut quoted = String::from("\"");
    for c in path.to_string_lossy().chars() {
        if matches!(c, '"' | '`' | '$' | '\\') {
            quoted.push('\\');
        }
        quoted.push(c);
    }
    quoted.push('"');
    quoted
}

pub fn desktop_entry(executable: &Path) -> String {
    format!(
        "[Desktop Entry]\nType=Application\nName=Recert\nComment=Reminders before your credentials lapse\n\
         Exec={} --hidden\nTerminal=false\nX-GNOME-Autostart-enabled=true\n",
        exec_quote(executable)
    )
}

pub fn enable(config_home: &Path, executable: &Path) -> io::Result<PathBuf> {
    let path = entry_path(config_home);
    std::fs::create_dir_all(path.parent().expect("the entry has a folder"))?;
    // Write beside it and rename, so a desktop session never reads half an entry.
    let partial = path.with_extension("desktop.partial");
    std::fs::write(&partial, desktop_entry(executable))?;
    std::fs::rename(&partial, &path)?;
    Ok(path)
}

pub fn disable(config_home: &Path) -> io::Result<()> {
    match std::fs::remove_file(entry_path(config_home)) {
        Err(error) if error.kind() != io::ErrorKind::NotFound => Err(error),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enable_writes_an_entry_that_starts_hidden_and_disable_removes_it() {
        let config = tempfile::tempdir().unwrap();
        assert!(!is_enabled(config.path()));
        let path = enable(config.path(), Path::new("/opt/My Apps/recert")).unwrap();
        assert_eq!(path, config.path().join("autostart/recert.desktop"));
        let entry = std::fs::read_to_string(&path).unwrap();
        assert!(entry.starts_with("[Desktop Entry]\n"));
        assert!(entry.contains("Exec=\"/opt/My Apps/recert\" --hidden\n"), "{entry}");
        assert!(is_enabled(config.path()));
        disable(config.path()).unwrap();
        assert!(!is_enabled(config.path()));
        disable(config.path()).unwrap();
    }

    #[test]
    fn exec_paths_are_escaped() {
        assert_eq!(exec_quote(Path::new("/a/$b\"c")), "\"/a/\\$b\\\"c\"");
    }
}
