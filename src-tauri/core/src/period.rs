//! Calendar periods as the bodies state them: "90 days", "six months", "one year". A period is
//! added on the calendar, never as a fixed count of days: six months after 31 August is 28 (or 29)
//! February, six months after 31 December is 30 June.

use std::fmt;

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::dates::add_months;
use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Period {
    Days(u32),
    Months(u32),
    Years(u32),
    /// Up to the day before the anniversary: "received before one year after expiration" (NASM),
    /// where the anniversary itself is already too late.
    YearsLessADay(u32),
}

/// Ten years: no body's grace or late window comes near it, so anything longer is a typo.
const MAX_DAYS: u32 = 3650;
const MAX_MONTHS: u32 = 120;
const MAX_YEARS: u32 = 10;

impl Period {
    /// The last day of the period that starts the day after `date` (so `date` plus the period).
    pub fn after(self, date: NaiveDate) -> NaiveDate {
        match self {
            Self::Days(days) => date.checked_add_days(Days::new(days.into())).unwrap_or(NaiveDate::MAX),
            Self::Months(months) => add_months(date, months as i32),
            Self::Years(years) => add_months(date, years as i32 * 12),
            Self::YearsLessADay(years) => {
                let anniversary = add_months(date, years as i32 * 12);
                anniversary.pred_opt().unwrap_or(anniversary)
            }
        }
    }

    pub fn is_zero(self) -> bool {
        matches!(self, Self::Days(0) | Self::Months(0) | Self::Years(0) | Self::YearsLessADay(0))
    }

    /// Parses "90", "90 days", "6 months", "1 year" (also "6m", "1y", "90d"), and "1 year less a
    /// day" as `Display` writes it.
    pub fn parse(field: &str, text: &str) -> Result<Self> {
        let trimmed = text.trim();
        let lowered = trimmed.to_ascii_lowercase();
        if let Some(years) = lowered.strip_suffix("less a day") {
            return match Self::parse(field, years)? {
                Self::Years(count) => Ok(Self::YearsLessADay(count)),
                _ => Err(Error::invalid(field, "only a number of years can be \"less a day\"")),
            };
        }
        let split = trimmed.find(|c: char| !c.is_ascii_digit()).unwrap_or(trimmed.len());
        let (number, unit) = trimmed.split_at(split);
        let shown = crate::quote::value(trimmed);
        let bad = || Error::invalid(field, format!("\"{shown}\" is not a period like 90 days, 6 months or 1 year"));
        let count: u32 = number.parse().map_err(|_| bad())?;
        let period = match unit.trim().to_ascii_lowercase().as_str() {
            "" | "d" | "day" | "days" => Self::Days(count),
            "m" | "month" | "months" => Self::Months(count),
            "y" | "year" | "years" => Self::Years(count),
            _ => return Err(bad()),
        };
        period.validate(field)?;
        Ok(period)
    }

    pub fn validate(self, field: &str) -> Result<()> {
        let too_long = match self {
            Self::Days(days) => days > MAX_DAYS,
            Self::Months(months) => months > MAX_MONTHS,
            Self::Years(years) | Self::YearsLessADay(years) => years > MAX_YEARS,
        };
        if too_long {
            return Err(Error::invalid(field, format!("{self} is longer than ten years")));
        }
        Ok(())
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (count, one, many) = match *self {
            Self::Days(n) => (n, "day", "days"),
            Self::Months(n) => (n, "month", "months"),
            Self::Years(n) => (n, "year", "years"),
            Self::YearsLessADay(n) => (n, "year less a day", "years less a day"),
        };
        write!(f, "{count} {}", if count == 1 { one } else { many })
    }
}

/// Stored as `{"days": 90}`, `{"months": 6}`, `{"years": 1}` or `{"years_less_a_day": 1}`.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
enum Tagged {
    Days(u32),
    Months(u32),
    Years(u32),
    YearsLessADay(u32),
}

/// Rule sets written before periods existed hold a plain number of days.
#[derive(Deserialize)]
#[serde(untagged)]
enum Stored {
    LegacyDays(u32),
    Tagged(Tagged),
}

impl Serialize for Period {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        match *self {
            Self::Days(n) => Tagged::Days(n),
            Self::Months(n) => Tagged::Months(n),
            Self::Years(n) => Tagged::Years(n),
            Self::YearsLessADay(n) => Tagged::YearsLessADay(n),
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        Ok(match Stored::deserialize(deserializer)? {
            Stored::LegacyDays(n) | Stored::Tagged(Tagged::Days(n)) => Self::Days(n),
            Stored::Tagged(Tagged::Months(n)) => Self::Months(n),
            Stored::Tagged(Tagged::Years(n)) => Self::Years(n),
            Stored::Tagged(Tagged::YearsLessADay(n)) => Self::YearsLessADay(n),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::d;

    #[test]
    fn months_clamp_to_the_month_end() {
        let cases = [
            (Period::Months(6), "2026-08-31", "2027-02-28"),
            (Period::Months(6), "2027-08-31", "2028-02-29"), // leap year
            (Period::Months(6), "2026-12-31", "2027-06-30"), // ACSM: grace ends 30 June
            (Period::Months(6), "2027-12-31", "2028-06-30"), // 182 days in a leap year, still 30 June
            (Period::Years(1), "2024-02-29", "2025-02-28"),
            (Period::Days(90), "2026-07-15", "2026-10-13"),
            // NASM: "received before one year after credential expiration".
            (Period::YearsLessADay(1), "2026-03-10", "2027-03-09"),
            (Period::YearsLessADay(1), "2024-02-29", "2025-02-27"),
        ];
        for (period, from, expected) in cases {
            assert_eq!(period.after(d(from)), d(expected), "{period} after {from}");
        }
    }

    #[test]
    fn parses_what_people_type() {
        assert_eq!(Period::parse("grace", "90").unwrap(), Period::Days(90));
        assert_eq!(Period::parse("grace", " 6 months ").unwrap(), Period::Months(6));
        assert_eq!(Period::parse("grace", "1y").unwrap(), Period::Years(1));
        assert_eq!(Period::parse("grace", "1 Year").unwrap(), Period::Years(1));
        let less = Period::YearsLessADay(1);
        assert_eq!(Period::parse("grace", &less.to_string()).unwrap(), less, "Display reads back");
        assert!(Period::parse("grace", "6 months less a day").is_err());
        for bad in ["", "six months", "-3", "6 weeks", "11 years", "3651", "9999999999"] {
            assert_eq!(Period::parse("grace", bad).unwrap_err().field(), Some("grace"), "{bad}");
        }
        let message = Period::parse("grace", "\u{1b}[31m").unwrap_err().to_string();
        assert!(!message.contains('\u{1b}'), "control characters are escaped: {message}");
    }

    #[test]
    fn stored_as_tagged_objects_and_reads_legacy_day_counts() {
        assert_eq!(serde_json::to_string(&Period::Months(6)).unwrap(), r#"{"months":6}"#);
        assert_eq!(serde_json::from_str::<Period>("183").unwrap(), Period::Days(183));
        assert_eq!(serde_json::from_str::<Period>(r#"{"years":1}"#).unwrap(), Period::Years(1));
        assert!(serde_json::from_str::<Period>(r#"{"weeks":1}"#).is_err());
        assert_eq!(serde_json::from_str::<Period>(r#"{"years_less_a_day":1}"#).unwrap(), Period::YearsLessADay(1));
    }
}
