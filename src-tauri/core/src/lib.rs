//! Recert's core: renewal rules of fitness and allied-health credentials, the CEC ledger, status
//! and money for a given day, and the SQLite store. No GUI dependency; the clock is always a
//! parameter (`today`, `now`), so every rule is testable with a fixed date.

pub mod activity;
pub mod amount;
pub mod audit;
pub mod backups;
pub mod calendar;
pub mod catalog;
pub mod catalog_update;
pub mod certificate;
pub mod costs;
pub mod credential;
pub mod dates;
pub mod error;
pub mod files;
pub mod joint_fee;
pub mod kind;
pub mod ledger_csv;
pub mod opening;
pub mod partial;
pub mod paths;
pub mod period;
pub mod planner;
pub mod progress;
pub mod proofs;
pub mod quote;
pub mod reminders;
pub mod rules;
pub mod service;
pub mod status;
pub mod store;
pub mod sync;
pub mod view;

#[cfg(test)]
mod test_support;
#[cfg(test)]
mod tests_by_body;

pub use error::{Error, Result};
pub use service::Recert;
