//! Printing: JSON for programs, money and one-line errors for people. Every line goes through
//! [`out!`], which returns the write error instead of panicking like `println!`: a reader that went
//! away (`recert status | head -1`) is not a failure of the command.

use std::fmt;
use std::io::{self, Write};

use recert_core::Error;
use serde::Serialize;

/// Why a command stopped: the core refused or failed, or its output could not be written (by then
/// any change it made is committed).
#[derive(Debug)]
pub enum Failure {
    Core(Error),
    Output(io::Error),
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Self::Core(error)
    }
}

pub type Outcome<T = ()> = Result<T, Failure>;

/// Writes one line to standard output.
macro_rules! out {
    () => {
        $crate::cli::output::write_line(format_args!(""))
    };
    ($($arg:tt)*) => {
        $crate::cli::output::write_line(format_args!($($arg)*))
    };
}
pub(crate) use out;

pub fn write_line(line: fmt::Arguments<'_>) -> Outcome {
    let mut stdout = io::stdout().lock();
    stdout.write_fmt(line).and_then(|()| stdout.write_all(b"\n")).map_err(Failure::Output)
}

/// Writes bytes to standard output as they are (a zip, a calendar).
pub fn write_bytes(bytes: &[u8]) -> Outcome {
    io::stdout().lock().write_all(bytes).map_err(Failure::Output)
}

pub fn flush() -> Outcome {
    io::stdout().flush().map_err(Failure::Output)
}

pub fn print_json<T: Serialize>(value: &T) -> Outcome {
    let text = serde_json::to_string_pretty(value).map_err(|e| Error::Corrupt(e.to_string()))?;
    out!("{text}")
}

/// clap's report of bad arguments as one line, like every other error: its first line names the
/// problem, and the next ones name the arguments when the first ends with a colon. The values it
/// quotes ('…') are cut like the core cuts typed values.
pub fn usage_error(report: &str) -> String {
    let mut lines = report.lines().map(str::trim).filter(|line| !line.is_empty());
    let mut first = lines.next().unwrap_or("invalid arguments").trim_start_matches("error: ").to_string();
    while first.ends_with(':') {
        match lines.next() {
            Some(next) if !next.starts_with("Usage") => first = format!("{first} {next}"),
            _ => break,
        }
    }
    let shortened: Vec<String> = first
        .split('\'')
        .enumerate()
        .map(|(index, part)| if index % 2 == 1 { recert_core::quote::value(part) } else { part.to_string() })
        .collect();
    recert_core::quote::message(&shortened.join("'"), super::MAX_ERROR_CHARS)
}

/// An error message on one line, whatever newlines its parts held.
pub fn one_line(message: &str) -> String {
    message.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Cents as money, or "unknown".
pub fn money(cents: Option<i64>) -> String {
    cents.map_or_else(|| "unknown".to_string(), |c| recert_core::amount::Cents(c).to_string())
}
