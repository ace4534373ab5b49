//! Fixed-point amounts: credit units, clock hours and money, each stored as an integer number of
//! hundredths so that sums are exact and nothing is ever rounded twice.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// Parses a decimal with at most two fractional digits ("12", "12.5", "12.50") into hundredths.
/// Rejects signs, exponents, words and more than two decimals, naming `field` in the error.
pub fn parse_hundredths(field: &str, text: &str) -> Result<i64> {
    let trimmed = text.trim();
    let invalid = |why: &str| Error::invalid(field, format!("{why} (got \"{}\")", crate::quote::value(trimmed)));
    if trimmed.is_empty() {
        return Err(Error::invalid(field, "a number is required"));
    }
    if trimmed.starts_with('-') {
        return Err(invalid("must not be negative"));
    }
    let unsigned = trimmed.strip_prefix('+').unwrap_or(trimmed);
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((whole, fraction)) => (whole, fraction),
        None => (unsigned, ""),
    };
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (whole.is_empty() && fraction.is_empty()) || !all_digits(whole) || !all_digits(fraction) {
        return Err(invalid("must be a number like 12 or 12.50"));
    }
    if fraction.len() > 2 {
        return Err(invalid("has more than two decimals"));
    }
    // 10^13 hundredths is far beyond any real fee or hour count and keeps every sum inside i64.
    if whole.len() > 11 {
        return Err(invalid("is too large"));
    }
    let whole_value: i64 = if whole.is_empty() { 0 } else { whole.parse().map_err(|_| invalid("is not a number"))? };
    let fraction_value: i64 = match fraction.len() {
        0 => 0,
        1 => fraction.parse::<i64>().map_err(|_| invalid("is not a number"))? * 10,
        _ => fraction.parse().map_err(|_| invalid("is not a number"))?,
    };
    Ok(whole_value * 100 + fraction_value)
}

/// Formats hundredths with exactly `decimals` fractional digits (1 or 2), truncating toward zero
/// only when asked for fewer digits than are stored.
fn format_hundredths(value: i64, decimals: usize, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    let sign = if value < 0 { "-" } else { "" };
    let magnitude = value.unsigned_abs();
    let whole = magnitude / 100;
    let fraction = magnitude % 100;
    if decimals == 1 && fraction.is_multiple_of(10) {
        write!(f, "{sign}{whole}.{}", fraction / 10)
    } else {
        write!(f, "{sign}{whole}.{fraction:02}")
    }
}

macro_rules! hundredths_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl $name {
            pub const ZERO: Self = Self(0);

            pub fn hundredths(self) -> i64 {
                self.0
            }

            /// The value as a plain number for JSON output (6.0, not 600). Never stored.
            pub fn as_f64(self) -> f64 {
                self.0 as f64 / 100.0
            }

            pub fn saturating_sub(self, other: Self) -> Self {
                Self((self.0 - other.0).max(0))
            }
        }

        impl std::ops::Add for $name {
            type Output = Self;
            fn add(self, other: Self) -> Self {
                Self(self.0 + other.0)
            }
        }

        impl std::ops::AddAssign for $name {
            fn add_assign(&mut self, other: Self) {
                self.0 += other.0;
            }
        }

        impl std::iter::Sum for $name {
            fn sum<I: Iterator<Item = Self>>(iter: I) -> Self {
                Self(iter.map(|v| v.0).sum())
            }
        }
    };
}

hundredths_type!(
    /// Continuing-education credit in the credential's own unit (CEU, CEC), in hundredths.
    Units
);
hundredths_type!(
    /// Clock hours, in hundredths.
    Hours
);
hundredths_type!(
    /// Money in cents (USD by default).
    Cents
);

impl Units {
    pub fn parse(field: &str, text: &str) -> Result<Self> {
        parse_hundredths(field, text).map(Self)
    }

    /// Units earned for `hours` of study at `hours_per_unit` clock hours per 1.0 unit, rounded down:
    /// a body never credits a fraction it does not recognise.
    pub fn from_hours(hours: Hours, hours_per_unit: Hours) -> Option<Self> {
        if hours_per_unit.0 <= 0 {
            return None;
        }
        Some(Self(hours.0 * 100 / hours_per_unit.0))
    }
}

impl fmt::Display for Units {
    /// One decimal unless the value needs two (0.15 CEU stays 0.15).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        format_hundredths(self.0, 1, f)
    }
}

impl Hours {
    pub fn parse(field: &str, text: &str) -> Result<Self> {
        parse_hundredths(field, text).map(Self)
    }
}

/// A piece of a typed duration: a number, a unit word, or the colon of `1:30`.
#[derive(Debug, PartialEq)]
enum DurationToken<'a> {
    Number(&'a str),
    Hours,
    Minutes,
    Colon,
}

fn duration_tokens(text: &str) -> Option<Vec<DurationToken<'_>>> {
    let mut tokens = Vec::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c.is_whitespace() {
            rest = &rest[c.len_utf8()..];
        } else if c == ':' {
            tokens.push(DurationToken::Colon);
            rest = &rest[1..];
        } else if c.is_ascii_digit() || c == '.' {
            let end = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
            tokens.push(DurationToken::Number(&rest[..end]));
            rest = &rest[end..];
        } else if c.is_ascii_alphabetic() {
            let end = rest.find(|c: char| !c.is_ascii_alphabetic()).unwrap_or(rest.len());
            tokens.push(match rest[..end].to_ascii_lowercase().as_str() {
                "h" | "hr" | "hrs" | "hour" | "hours" => DurationToken::Hours,
                "m" | "min" | "mins" | "minute" | "minutes" => DurationToken::Minutes,
                _ => return None,
            });
            rest = &rest[end..];
        } else {
            return None;
        }
    }
    Some(tokens)
}

impl Hours {
    /// Clock hours as people type them: `1.5`, `1.5 h`, `2h`, `1h30`, `1 h 30 min`, `1:30`,
    /// `90 min`. Minutes become hundredths of an hour, rounded to the nearest (20 min = 0.33 h).
    pub fn parse_duration(field: &str, text: &str) -> Result<Self> {
        use DurationToken::{Colon, Hours as H, Minutes as M, Number};
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(Error::invalid(field, "a number of hours is required"));
        }
        if trimmed.starts_with('-') {
            return Err(Error::invalid(
                field,
                format!("must not be negative (got \"{}\")", crate::quote::value(trimmed)),
            ));
        }
        let invalid = || {
            Error::invalid(
                field,
                format!("must be hours like 1.5, 1h30 or 90 min (got \"{}\")", crate::quote::value(trimmed)),
            )
        };
        let whole = |number: &str| -> Result<i64> {
            if number.is_empty() || number.len() > 9 || !number.bytes().all(|b| b.is_ascii_digit()) {
                return Err(invalid());
            }
            number.parse().map_err(|_| invalid())
        };
        let minutes_to_hundredths = |minutes: i64| (minutes * 100 + 30) / 60;
        let minutes_of_an_hour = |number: &str| -> Result<i64> {
            let minutes = whole(number)?;
            if minutes >= 60 {
                return Err(Error::invalid(
                    field,
                    format!("{minutes} minutes after the hours: write it as hours and minutes under 60"),
                ));
            }
            Ok(minutes)
        };
        let tokens = duration_tokens(trimmed).ok_or_else(invalid)?;
        let hundredths = match tokens.as_slice() {
            [Number(hours)] | [Number(hours), H] => parse_hundredths(field, hours).map_err(|_| invalid())?,
            [Number(hours), H, Number(minutes)]
            | [Number(hours), H, Number(minutes), M]
            | [Number(hours), Colon, Number(minutes)] => {
                whole(hours)? * 100 + minutes_to_hundredths(minutes_of_an_hour(minutes)?)
            }
            [Number(minutes), M] => minutes_to_hundredths(whole(minutes)?),
            _ => return Err(invalid()),
        };
        Ok(Self(hundredths))
    }
}

impl fmt::Display for Hours {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        format_hundredths(self.0, 1, f)
    }
}

impl Cents {
    pub fn parse(field: &str, text: &str) -> Result<Self> {
        let without_symbol = text.trim().strip_prefix('$').unwrap_or(text.trim());
        parse_hundredths(field, without_symbol).map(Self)
    }

    pub fn from_dollars(dollars: i64) -> Self {
        Self(dollars * 100)
    }
}

impl fmt::Display for Cents {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("$")?;
        format_hundredths(self.0, 2, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_plain_and_decimal_numbers() {
        let cases = [("12", 1200), ("12.5", 1250), ("12.50", 1250), ("0.05", 5), (".5", 50), ("7.", 700), ("+3", 300)];
        for (text, expected) in cases {
            assert_eq!(parse_hundredths("x", text).unwrap(), expected, "{text}");
        }
    }

    #[test]
    fn rejects_what_is_not_a_two_decimal_amount() {
        for text in ["", " ", "-1", "-0.5", "abc", "1e3", "12.505", "1,5", "1.2.3", ".", "12 50", "NaN", "999999999999"]
        {
            let error = parse_hundredths("cost", text).unwrap_err();
            assert_eq!(error.code(), "invalid", "{text}");
            assert!(error.to_string().contains("cost"), "{error}");
        }
    }

    #[test]
    fn money_accepts_a_dollar_sign_and_prints_cents() {
        assert_eq!(Cents::parse("fee", "$60").unwrap(), Cents(6000));
        assert_eq!(Cents(6000).to_string(), "$60.00");
        assert_eq!(Cents(1205).to_string(), "$12.05");
    }

    #[test]
    fn converts_hours_to_each_bodys_unit() {
        // NASM/ACE/NSCA: 0.1 unit per hour; ACSM: 1 per hour; NCSF: 1 per 2 hours.
        let eight_hours = Hours(800);
        assert_eq!(Units::from_hours(eight_hours, Hours(1000)), Some(Units(80)));
        assert_eq!(Units::from_hours(eight_hours, Hours(100)), Some(Units(800)));
        assert_eq!(Units::from_hours(eight_hours, Hours(200)), Some(Units(400)));
        // 1.25 h at 10 h per unit is 0.125 CEU: rounded down to 0.12, never up.
        assert_eq!(Units::from_hours(Hours(125), Hours(1000)), Some(Units(12)));
        assert_eq!(Units::from_hours(eight_hours, Hours(0)), None);
    }

    #[test]
    fn durations_typed_as_people_write_them() {
        let cases = [
            ("1.5", 150),
            ("8", 800),
            (" 2h ", 200),
            ("1.5 h", 150),
            ("2 hours", 200),
            ("1h30", 150),
            ("1h 30", 150),
            ("1 h 30 min", 150),
            ("1H30M", 150),
            ("1 hour 30 minutes", 150),
            ("1:30", 150),
            ("90 min", 150),
            ("90min", 150),
            ("45 minutes", 75),
            ("20 min", 33),
            ("1h20", 133),
            ("0h05", 8),
            ("600 min", 1000),
        ];
        for (text, expected) in cases {
            assert_eq!(Hours::parse_duration("hours", text).unwrap(), Hours(expected), "{text}");
        }
        for bad in [
            "",
            " ",
            "-1",
            "-1h",
            "eight",
            "1.5h30",
            "1h60",
            "1h 30 h",
            "90 min 2h",
            "1,5",
            "h",
            "min",
            "1:5:0",
            "1.555",
            "1 day",
            "9999999999 min",
        ] {
            let error = Hours::parse_duration("hours", bad).unwrap_err();
            assert_eq!(error.field(), Some("hours"), "{bad}");
        }
    }

    #[test]
    fn units_print_with_one_decimal_unless_two_are_needed() {
        assert_eq!(Units(600).to_string(), "6.0");
        assert_eq!(Units(15).to_string(), "0.15");
        assert_eq!(Units(-150).to_string(), "-1.5");
    }
}
