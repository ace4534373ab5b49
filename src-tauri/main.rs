// No console window for the desktop app on Windows release builds; the CLI attaches to the
// console of the terminal it was started from (attach_to_terminal) so it still prints.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

// `warn!`: the background crate's `eprintln!` that never panics, the one both binaries use.
#[macro_use]
extern crate recert_background;

mod app_state;
mod autostart;
mod background;
mod cli;
mod commands;
mod desktop;
mod ipc_error;
mod tray;
mod window;

use clap::Parser;

fn main() {
    attach_to_terminal();
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            use clap::error::ErrorKind;
            if matches!(error.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
                error.exit();
            }
            warn!("recert: {} (see recert --help)", cli::output::usage_error(&error.to_string()));
            std::process::exit(2);
        }
    };
    if cli.command.is_some() {
        std::process::exit(cli::run(cli));
    }
    let today = match cli.today.as_deref().map(|t| recert_core::dates::parse_date("today", t)).transpose() {
        Ok(today) => today,
        Err(error) => {
            warn!("recert: {}", recert_core::quote::message(&error.to_string(), cli::MAX_ERROR_CHARS));
            std::process::exit(2);
        }
    };
    std::process::exit(desktop::run(cli.data_dir, cli.hidden, today));
}

/// A Windows release build is a GUI program, which Windows starts with no console: output would be
/// lost. Attach to the console of the terminal that started it, when there is one.
#[cfg(all(windows, not(debug_assertions)))]
fn attach_to_terminal() {
    use windows_sys::Win32::System::Console::{AttachConsole, ATTACH_PARENT_PROCESS};
    // SAFETY: takes no pointers; fails harmlessly when there is no parent console.
    unsafe {
        AttachConsole(ATTACH_PARENT_PROCESS);
    }
}

#[cfg(not(all(windows, not(debug_assertions))))]
fn attach_to_terminal() {}
