//! Recert's background, shared by the window process (`recert`) and the agent (`recert-agent`):
//! the reminder scheduler, the notifications it raises, the turn the two processes take, the
//! background sync with the user's other computers, and the agent's tray icon. No Tauri, GTK or
//! WebKit here: Cargo keeps them out, so the agent, which only waits for a few notifications a
//! month, never loads a window engine.

/// `eprintln!` that never panics: a closed standard error (a terminal gone, `2>&-`) must not crash
/// a background thread or a command that has done its work. Both binaries use this one.
#[macro_export]
macro_rules! warn {
    ($($arg:tt)*) => {
        $crate::write_warning(format_args!($($arg)*))
    };
}

pub mod notifier;
pub mod scheduler;
pub mod syncer;
#[cfg(target_os = "linux")]
pub mod tray;
pub mod turn;

/// Writes a line to standard error; a closed standard error is ignored (there is no one to tell).
pub fn write_warning(line: std::fmt::Arguments<'_>) {
    use std::io::Write as _;
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}
