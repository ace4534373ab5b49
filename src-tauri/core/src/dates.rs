//! Calendar arithmetic for renewal cycles. Dates are plain calendar days (`NaiveDate`), stored and
//! exchanged as ISO `YYYY-MM-DD`.

use chrono::{Datelike, Months, NaiveDate};

use crate::error::{Error, Result};

/// Parses an ISO `YYYY-MM-DD` date, rejecting impossible days (2026-02-30) and other formats.
pub fn parse_date(field: &str, text: &str) -> Result<NaiveDate> {
    let trimmed = text.trim();
    if !iso_shaped(trimmed) {
        let shown = crate::quote::value(trimmed);
        return Err(Error::invalid(field, format!("\"{shown}\" is not a date in the form YYYY-MM-DD")));
    }
    NaiveDate::parse_from_str(trimmed, "%Y-%m-%d")
        .map_err(|_| Error::invalid(field, format!("{trimmed} is not a real calendar date")))
}

fn iso_shaped(text: &str) -> bool {
    text.len() == 10
        && text.bytes().enumerate().all(|(i, b)| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() })
}

/// Parses a date as a person types it: ISO `YYYY-MM-DD`, or the US `MM/DD/YYYY` (one-digit
/// month and day allowed: `5/10/2019`). Day-first dates are not accepted: `05/10/2019` is always
/// May 10. Impossible days are refused as by [`parse_date`].
pub fn parse_typed_date(field: &str, text: &str) -> Result<NaiveDate> {
    let trimmed = text.trim();
    if iso_shaped(trimmed) {
        return parse_date(field, trimmed);
    }
    let digits =
        |s: &str, min: usize, max: usize| (min..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
    let parts: Vec<&str> = trimmed.split('/').collect();
    let [month, day, year] = parts[..] else {
        let shown = crate::quote::value(trimmed);
        return Err(Error::invalid(field, format!("\"{shown}\" is not a date: type YYYY-MM-DD or MM/DD/YYYY")));
    };
    if !(digits(month, 1, 2) && digits(day, 1, 2) && digits(year, 4, 4)) {
        return Err(Error::invalid(field, format!("\"{trimmed}\" is not a date: type YYYY-MM-DD or MM/DD/YYYY")));
    }
    let number = |s: &str| s.parse::<u32>().unwrap_or(0);
    NaiveDate::from_ymd_opt(year.parse().unwrap_or(0), number(month), number(day))
        .ok_or_else(|| Error::invalid(field, format!("{trimmed} is not a real calendar date (MM/DD/YYYY)")))
}

/// The same day `years` later; 29 February falls back to 28 February in a common year.
pub fn add_years(date: NaiveDate, years: i32) -> NaiveDate {
    add_months(date, years * 12)
}

/// The same day `months` later (or earlier), clamped to the month's last day.
pub fn add_months(date: NaiveDate, months: i32) -> NaiveDate {
    let shifted = if months >= 0 {
        date.checked_add_months(Months::new(months as u32))
    } else {
        date.checked_sub_months(Months::new(months.unsigned_abs()))
    };
    shifted.unwrap_or(date)
}

pub fn last_day_of_month(date: NaiveDate) -> NaiveDate {
    let first = date.with_day(1).expect("day 1 exists in every month");
    add_months(first, 1).pred_opt().expect("a month has a day before the next one")
}

pub fn end_of_year(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 12, 31).expect("31 December exists")
}

/// Whole months from `from` to `to` (negative when `to` is earlier), counting a month only once
/// its day is reached: 2024-01-15 → 2024-02-14 is 0 months, → 2024-02-15 is 1.
pub fn whole_months_between(from: NaiveDate, to: NaiveDate) -> i32 {
    let mut months = (to.year() - from.year()) * 12 + to.month() as i32 - from.month() as i32;
    if months > 0 && add_months(from, months) > to {
        months -= 1;
    } else if months < 0 && add_months(from, months) < to {
        months += 1;
    }
    months
}

/// The day the user lives in: `fixed` (`--today`, for tests and demos) or the local calendar's
/// today. The one place the programs read the day from the clock; everything else takes it as a
/// parameter.
pub fn today_or(fixed: Option<NaiveDate>) -> NaiveDate {
    fixed.unwrap_or_else(|| chrono::Local::now().date_naive())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        parse_date("date", text).unwrap()
    }

    #[test]
    fn parses_only_real_iso_dates() {
        assert_eq!(d("2024-02-29"), NaiveDate::from_ymd_opt(2024, 2, 29).unwrap());
        for bad in ["2026-02-30", "2025-02-29", "2026-13-01", "2026-1-1", "01/02/2026", "tomorrow", "", "2026-01-01x"] {
            let error = parse_date("date", bad).unwrap_err();
            assert_eq!(error.field(), Some("date"), "{bad}");
        }
    }

    #[test]
    fn typed_dates_are_iso_or_us() {
        let cases = [
            ("2019-05-10", "2019-05-10"),
            (" 2019-05-10 ", "2019-05-10"),
            ("05/10/2019", "2019-05-10"),
            ("5/10/2019", "2019-05-10"),
            ("12/31/2026", "2026-12-31"),
            ("2/29/2024", "2024-02-29"),
        ];
        for (typed, expected) in cases {
            assert_eq!(parse_typed_date("date", typed).unwrap(), d(expected), "{typed}");
        }
        for bad in
            ["31/12/2026", "2/29/2025", "13/01/2026", "05/10/19", "5/10", "05-10-2019", "1/2/3/2026", "May 10", ""]
        {
            let error = parse_typed_date("date", bad).unwrap_err();
            assert_eq!(error.field(), Some("date"), "{bad}");
        }
        let impossible = parse_typed_date("date", "2026-02-30").unwrap_err().to_string();
        assert!(impossible.contains("not a real calendar date"), "{impossible}");
        let shape = parse_typed_date("date", "tomorrow").unwrap_err().to_string();
        assert!(shape.contains("YYYY-MM-DD or MM/DD/YYYY"), "{shape}");
    }

    #[test]
    fn year_arithmetic_handles_leap_days_and_month_ends() {
        let cases = [
            ("2024-02-29", 2, "2026-02-28"),
            ("2024-02-29", 4, "2028-02-29"),
            ("2025-01-31", 2, "2027-01-31"),
            ("2025-12-31", 1, "2026-12-31"),
        ];
        for (from, years, expected) in cases {
            assert_eq!(add_years(d(from), years), d(expected), "{from} + {years}y");
        }
        assert_eq!(add_months(d("2025-01-31"), 1), d("2025-02-28"));
        assert_eq!(add_months(d("2025-03-31"), -1), d("2025-02-28"));
    }

    #[test]
    fn month_ends() {
        assert_eq!(last_day_of_month(d("2024-02-10")), d("2024-02-29"));
        assert_eq!(last_day_of_month(d("2025-02-10")), d("2025-02-28"));
        assert_eq!(last_day_of_month(d("2025-12-01")), d("2025-12-31"));
        assert_eq!(last_day_of_month(d("2025-04-30")), d("2025-04-30"));
    }

    #[test]
    fn counts_whole_months() {
        assert_eq!(whole_months_between(d("2024-01-01"), d("2024-12-31")), 11);
        assert_eq!(whole_months_between(d("2024-01-01"), d("2025-01-01")), 12);
        assert_eq!(whole_months_between(d("2024-01-15"), d("2024-02-14")), 0);
        assert_eq!(whole_months_between(d("2024-01-15"), d("2024-02-15")), 1);
        assert_eq!(whole_months_between(d("2024-03-01"), d("2024-01-01")), -2);
        assert_eq!(whole_months_between(d("2024-01-31"), d("2024-02-29")), 1);
    }
}
