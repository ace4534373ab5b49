//! Printing: JSON for programs, money and one-line errors for people.

use recert_core::Error;
use serde::Serialize;

pub fn print_json<T: Serialize>(value: &T) -> Result<(), Error> {
    let text = serde_json::to_string_pretty(value).map_err(|e| Error::Corrupt(e.to_string()))?;
    println!("{text}");
    Ok(())
}

/// An error message on one line, whatever newlines its parts held.
pub fn one_line(message: &str) -> String {
    message.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Cents as money, or "unknown".
pub fn money(cents: Option<i64>) -> String {
    cents.map_or_else(|| "unknown".to_string(), |c| recert_core::amount::Cents(c).to_string())
}
