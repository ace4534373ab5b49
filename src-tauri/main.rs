// No console window for the desktop app on Windows release builds; the CLI still prints.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

/// `eprintln!` that never panics: a closed standard error (a terminal gone, `2>&-`) must not crash
/// the window's threads or a command that has done its work.
macro_rules! warn {
    ($($arg:tt)*) => {
        $crate::cli::output::warn(format_args!($($arg)*))
    };
}

mod autostart;
mod cli;
mod commands;
mod desktop;
mod ipc_error;
mod notifier;
mod scheduler;
mod tray;

use clap::Parser;

fn main() {
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
