//! Sync between computers through a folder the user already syncs (issue 22): the pure part.
//!
//! Every field of the user's data that travels is a register: the value with the latest hybrid
//! logical clock stamp wins, ties broken by the device id, so merging is the same whatever order
//! and however often changes arrive (per-field "latest edit wins", as Actual Budget and cr-sqlite
//! do). The store captures changes (triggers) and keeps the merged state (`store/sync.rs`); this
//! module holds the change itself, the clock and the rule that decides which value wins.

use std::cmp::Ordering;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// How far ahead of this computer's clock a remote stamp may be. A change stamped later than that
/// waits (it is applied once this clock has caught up), so a computer whose clock runs far ahead
/// cannot win every future edit.
pub const CLOCK_BOUND: Duration = Duration::from_secs(10 * 60);

/// The field that marks a row removed (1) or there again (0).
pub const DELETED: &str = "_deleted";

/// A value of one field as it travels: stored values are integers, text or null (no floats, no
/// blobs in Recert's schema).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum FieldValue {
    Null,
    Int(i64),
    Text(String),
}

impl FieldValue {
    /// How a history line shows it.
    pub fn display(&self) -> String {
        match self {
            FieldValue::Null => "(empty)".into(),
            FieldValue::Int(value) => value.to_string(),
            FieldValue::Text(text) => text.clone(),
        }
    }
}

/// One field of one row set to a value by one device at one time.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Change {
    /// The table, as the store names it (`credentials`, `activities`, …).
    pub table: String,
    /// The row: its uid, or the uids of the rows it joins (`activity/credential`).
    pub key: String,
    pub column: String,
    pub value: FieldValue,
    /// The hybrid logical clock stamp, an NTP64 time (see [`Stamp`]).
    pub hlc: u64,
    pub device: String,
}

impl Change {
    pub fn stamp(&self) -> Stamp<'_> {
        Stamp { hlc: self.hlc, device: &self.device }
    }
}

/// The order of edits: the clock, then the device id (two devices never share one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Stamp<'a> {
    pub hlc: u64,
    pub device: &'a str,
}

/// Whether a change stamped `incoming` replaces the value stamped `current`: only a later stamp
/// does. The same change arriving again does not (equal stamps), so applying is idempotent.
pub fn replaces(incoming: Stamp<'_>, current: Option<Stamp<'_>>) -> bool {
    match current {
        None => true,
        Some(current) => incoming.cmp(&current) == Ordering::Greater,
    }
}

/// The hybrid logical clock, as `uhlc` keeps it: an NTP64 time (seconds since the Unix epoch in
/// the high 32 bits, the fraction below) whose last `uhlc::CSIZE` bits count edits within the
/// same instant. Pure functions of the last stamp and `now`, as every rule of the core; the store
/// keeps the last stamp in the database, so every process of this computer shares one clock.
pub mod clock {
    use super::*;

    const COUNTER: u64 = (1u64 << uhlc::CSIZE) - 1;

    /// `now` as an NTP64 time.
    pub fn ntp(now: DateTime<Utc>) -> uhlc::NTP64 {
        let since_epoch = now.signed_duration_since(DateTime::UNIX_EPOCH).to_std().unwrap_or_default();
        uhlc::NTP64::from(since_epoch)
    }

    /// The stamp of the next local change: the physical time, or one more than the last stamp when
    /// the clock has not moved past it (uhlc's `HLC::new_timestamp`).
    pub fn next(last: u64, now: DateTime<Utc>) -> u64 {
        let physical = ntp(now).0 & !COUNTER;
        if physical > last & !COUNTER {
            physical
        } else {
            last + 1
        }
    }

    /// Whether a remote stamp lies more than [`CLOCK_BOUND`] ahead of `now` (uhlc's
    /// `update_with_timestamp` refuses such a stamp the same way).
    pub fn too_far_ahead(hlc: u64, now: DateTime<Utc>) -> bool {
        hlc > ntp(now).0.saturating_add(uhlc::NTP64::from(CLOCK_BOUND).0)
    }

    /// A stamp as a UTC instant, for people.
    pub fn instant(hlc: u64) -> DateTime<Utc> {
        let time = uhlc::NTP64(hlc);
        DateTime::from_timestamp(time.as_secs() as i64, time.subsec_nanos()).unwrap_or_default()
    }

    /// A stamp with its device, as uhlc writes a timestamp (`time/id`), for messages.
    pub fn describe(hlc: u64, device: &str) -> String {
        let id = uuid::Uuid::parse_str(device)
            .ok()
            .and_then(|uuid| uhlc::ID::try_from(uuid.as_bytes()).ok())
            .map(|id| id.to_string())
            .unwrap_or_else(|| device.to_string());
        format!("{}/{id}", uhlc::NTP64(hlc).to_string_rfc3339_lossy())
    }
}

pub mod folder;

#[cfg(test)]
mod tests;
