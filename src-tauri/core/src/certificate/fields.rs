//! The field reader: what a certificate's text says — title, completion date, clock hours,
//! provider, units per body, approval numbers — each with the words it was read from. Pure: it
//! sees only the text the PDF library or Tesseract returned. Where the text allows two answers
//! (two completion dates, two hour counts), the field stays empty and is marked unsure: an empty
//! field costs the user a few keystrokes, a wrong one may cost a credential.

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;
use serde::Serialize;

use crate::amount::{Hours, Units};

/// A body the reader recognises: the catalog's short name and the full name.
#[derive(Debug, Clone)]
pub struct Body {
    pub short: String,
    pub full: String,
}

/// The bodies of the built-in catalog (short and full names), once each.
pub fn catalog_bodies() -> Vec<Body> {
    let mut bodies: Vec<Body> = Vec::new();
    for preset in crate::catalog::Catalog::builtin().presets() {
        if !bodies.iter().any(|b| b.short == preset.body_short) {
            bodies.push(Body { short: preset.body_short.clone(), full: preset.body.clone() });
        }
    }
    bodies
}

/// Units a certificate states for one body: "0.8 NASM CEUs".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BodyUnits {
    pub body: String,
    pub amount: Units,
    pub unit: String,
}

/// A course or approval number a certificate prints for a body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Approval {
    pub body: String,
    pub number: String,
}

/// What the reader found, each value with its evidence (the line of text it was read from).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Reading {
    pub title: Option<String>,
    pub completed_on: Option<NaiveDate>,
    pub hours: Option<Hours>,
    pub provider: Option<String>,
    pub units: Vec<BodyUnits>,
    pub approval: Vec<Approval>,
    pub evidence: Evidence,
    /// Fields the text offered conflicting answers for: left empty, with the reason.
    pub unsure: Vec<Unsure>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Evidence {
    pub title: Option<String>,
    pub completed_on: Option<String>,
    pub hours: Option<String>,
    pub provider: Option<String>,
    /// One line per entry of `units`, in the same order.
    pub units: Vec<String>,
    /// One line per entry of `approval`, in the same order.
    pub approval: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unsure {
    pub field: &'static str,
    pub reason: String,
}

impl Reading {
    /// Whether the text looked like a certificate at all: a title, a date or hours.
    pub fn found_anything(&self) -> bool {
        self.title.is_some() || self.completed_on.is_some() || self.hours.is_some() || !self.units.is_empty()
    }

    pub fn is_unsure(&self, field: &str) -> bool {
        self.unsure.iter().any(|u| u.field == field)
    }
}

const MONTHS: &str = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?";

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("a valid pattern")
}

static MONTH_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?i)\b{MONTHS}\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:\s*(?:-|to|and|&)\s*(?:{MONTHS}\s+)?(\d{{1,2}})(?:st|nd|rd|th)?)?,?\s+(\d{{4}})\b"
    ))
});
static DAY_FIRST: LazyLock<Regex> =
    LazyLock::new(|| re(&format!(r"(?i)\b(\d{{1,2}})(?:st|nd|rd|th)?(?:\s+of)?\s+{MONTHS},?\s+(\d{{4}})\b")));
static NUMERIC: LazyLock<Regex> = LazyLock::new(|| re(r"\b(\d{1,2})\s?[/.]\s?(\d{1,2})\s?[/.]\s?(\d{4})\b"));
static ISO: LazyLock<Regex> = LazyLock::new(|| re(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b"));
static DAY_FIRST_HINT: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)\bdd\s?[/.-]\s?mm\b|day\s*/\s*month"));

static HOURS: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(\d{1,3}(?:\.\d{1,2})?)\s*(?:-\s*)?(?:clock\s+|contact\s+|continuing\s+education\s+|ce\s+|education\s+|total\s+|instructional\s+)?(?:hours?|hrs?)\b",
    )
});
static HOURS_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:contact|clock|total|course|ce|credit)?\s*(?:hours?|hrs)\s*(?:completed|earned|awarded)?\s*[:=]\s*(\d{1,3}(?:\.\d{1,2})?)\b",
    )
});
static MINUTES: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)\b(\d{2,3})\s*(?:minutes|mins?)\b"));

const UNIT_WORDS: &str =
    r"(ceus?|cecs?|ce\s*credits?|ce\s*units?|ce\s*hours?|continuing\s+education\s+(?:units?|credits?)|pdus?)";
static UNITS: LazyLock<Regex> =
    LazyLock::new(|| re(&format!(r"(?i)\b(\d{{1,2}}(?:\.\d{{1,2}})?)\s*(?:[A-Za-z]{{2,5}}\s+)?{UNIT_WORDS}\b")));
static UNITS_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(r"(?i)\b{UNIT_WORDS}\s*(?:awarded|earned|granted)?\s*[:=]\s*(\d{{1,2}}(?:\.\d{{1,2}})?)\b"))
});

static APPROVAL: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:approved\s+)?(provider|course|approval|event|program|activity)\s*(?:number|no\.?|num\.?|#|id|code)\s*[:#.]?\s*#?\s*([A-Z0-9][A-Z0-9-]{2,24})",
    )
});

static PROVIDER_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^(?:course\s+|education\s+|training\s+)?(?:provider(?:\s+name)?|presented\s+by|offered\s+by|hosted\s+by|sponsored\s+by|organi[sz]ed\s+by|delivered\s+by|training\s+(?:center|centre|site))\s*[:\-]?\s*(.+)$",
    )
});
static PROVIDER_INLINE: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\b(?:presented|offered|hosted|provided|delivered)\s+by\s+(?:the\s+)?(.+)$"));

static TITLE_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^(?:course(?:\s+(?:title|name))?|title|program(?:me)?(?:\s+title)?|event(?:\s+name)?|webinar(?:\s+title)?|workshop|session|activity(?:\s+title)?|training)\s*:\s*(.+)$",
    )
});
static TITLE_PHRASE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r#"(?i)\b(?:has\s+successfully\s+completed|has\s+completed|successfully\s+completed|for\s+successfully\s+completing|for\s+completing|for\s+the\s+successful\s+completion\s+of|for\s+successful\s+completion\s+of|in\s+recognition\s+of\s+completing|for\s+attending|has\s+attended|attended|participated\s+in|for\s+participating\s+in)\b\s*(?:the\s+)?(?:(?:online\s+|live\s+)?(?:course|webinar|workshop|program|event|conference|training)\b\s*)?(?:entitled|titled)?\s*(?:(?:the\s+)?requirements\s+(?:for|of)(?:\s+the)?\s*:?\s*)?([^:].*)?$"#,
    )
});
static TITLE_CUT: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?i)\s*(?:\(|,\s*(?:held|hosted|presented|offered|organi[sz]ed)\b|\s+held\s+(?:on|in|at)\b|\s+on\s+(?:{MONTHS}|\d)|,\s*on\b|\s+in\s+[A-Z][a-z]+,\s|,\s*for\s+a\s+total|\s+for\s+a\s+total|\s+-\s+\d|\s+by\s+the\b|\s+presented\s+by\b|\s+offered\s+by\b|\s+hosted\s+by\b|\s+with\s+a\s+total)"
    ))
});

static NOT_A_TITLE: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^(?:the\s+)?(?:requirements|cognitive|objectives|skills|evaluation)"));

/// Words before a date that say what the date is.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum DateRole {
    Excluded,
    Plain,
    Issued,
    Completed,
}

static DATE_EXCLUDED: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)expir|renew|valid|until|through|thru|due\b|birth|\bdob\b|approval\s+period|approved\s+(?:from|through)|printed|recommended|effective|next|before",
    )
});
static DATE_COMPLETED: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)complet|awarded|attend|achiev|participat|date\s+of\s+(?:course|event|training|webinar|attendance)|(?:course|event|training|webinar|session|class)\s+date|held\s+on|conducted|took\s+place|\bon\b",
    )
});
static DATE_ISSUED: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)issue|\bdate\b|dated|signed"));

struct Line<'a> {
    text: &'a str,
}

/// Reads the fields out of a certificate's text. `bodies`: the bodies whose names count (see
/// `catalog_bodies`).
pub fn read_fields(text: &str, bodies: &[Body]) -> Reading {
    let normalized = normalize(text);
    let lines: Vec<Line> =
        normalized.lines().map(str::trim).filter(|l| !l.is_empty()).map(|text| Line { text }).collect();
    let mut reading = Reading::default();
    let day_first = DAY_FIRST_HINT.is_match(&normalized);
    read_date(&lines, day_first, &mut reading);
    read_hours(&lines, &mut reading);
    let matcher = BodyMatcher::new(bodies);
    read_units(&lines, &matcher, &mut reading);
    read_approvals(&lines, &matcher, &mut reading);
    read_provider(&lines, &mut reading);
    read_title(&lines, &mut reading);
    reading
}

/// One spelling of dashes, quotes and spaces; OCR's ligatures and look-alikes mended where the
/// reading is not in doubt.
fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\u{2010}'..='\u{2015}' | '\u{2212}' => out.push('-'),
            '\u{2018}' | '\u{2019}' | '\u{201B}' | '`' => out.push('\''),
            '\u{201C}' | '\u{201D}' | '\u{201F}' => out.push('"'),
            '\u{FB01}' => out.push_str("fi"),
            '\u{FB02}' => out.push_str("fl"),
            '\u{00A0}' | '\t' | '\u{2009}' | '\u{202F}' => out.push(' '),
            '\r' | '\u{000C}' => out.push('\n'),
            c if c.is_control() && c != '\n' => {}
            c => out.push(c),
        }
    }
    // Runs of spaces become one (PDF layouts space words out).
    let mut collapsed = String::with_capacity(out.len());
    for line in out.lines() {
        let mut last_space = false;
        for c in line.chars() {
            if c == ' ' {
                if !last_space {
                    collapsed.push(' ');
                }
                last_space = true;
            } else {
                collapsed.push(c);
                last_space = false;
            }
        }
        collapsed.push('\n');
    }
    collapsed
}

fn evidence(text: &str) -> String {
    let text = text.trim();
    if text.chars().count() <= 160 {
        return text.to_string();
    }
    let cut: String = text.chars().take(159).collect();
    format!("{cut}…")
}

fn month_number(name: &str) -> Option<u32> {
    let lower = name.to_ascii_lowercase();
    let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    months.iter().position(|m| lower.starts_with(m)).map(|i| i as u32 + 1)
}

fn date(year: &str, month: u32, day: &str) -> Option<NaiveDate> {
    let year: i32 = year.parse().ok()?;
    if !(1990..=2100).contains(&year) {
        return None;
    }
    NaiveDate::from_ymd_opt(year, month, day.parse().ok()?)
}

/// Every date on a line, with where it starts.
fn dates_in(line: &str, day_first: bool) -> Vec<(usize, NaiveDate)> {
    let mut found: Vec<(usize, usize, NaiveDate)> = Vec::new();
    let mut push = |start: usize, end: usize, value: Option<NaiveDate>| {
        if let Some(value) = value {
            if !found.iter().any(|(s, e, _)| start < *e && *s < end) {
                found.push((start, end, value));
            }
        }
    };
    for c in ISO.captures_iter(line) {
        let m = c.get(0).expect("match");
        push(m.start(), m.end(), c[2].parse().ok().and_then(|month| date(&c[1], month, &c[3])));
    }
    for c in MONTH_FIRST.captures_iter(line) {
        let m = c.get(0).expect("match");
        // A range ("March 5-6, 2026", "March 30 - April 1, 2026") ends on its last day.
        let month = c.get(3).map_or(&c[1], |m| m.as_str());
        let day = c.get(4).map_or(&c[2], |d| d.as_str());
        push(m.start(), m.end(), month_number(month).and_then(|month| date(&c[5], month, day)));
    }
    for c in DAY_FIRST.captures_iter(line) {
        let m = c.get(0).expect("match");
        push(m.start(), m.end(), month_number(&c[2]).and_then(|month| date(&c[3], month, &c[1])));
    }
    for c in NUMERIC.captures_iter(line) {
        let m = c.get(0).expect("match");
        let (a, b): (u32, u32) = match (c[1].parse(), c[2].parse()) {
            (Ok(a), Ok(b)) => (a, b),
            _ => continue,
        };
        // US order unless the day is over 12 or the certificate says it writes the day first.
        let (month, day) = if day_first || a > 12 { (b, a) } else { (a, b) };
        push(m.start(), m.end(), date(&c[3], month, &day.to_string()));
    }
    found.sort_by_key(|(start, _, _)| *start);
    found.into_iter().map(|(start, _, value)| (start, value)).collect()
}

fn role_of(before: &str) -> DateRole {
    // The words nearest the date decide: "Issued 3/5/2026, valid until 3/5/2028".
    let tail: String = {
        let chars: Vec<char> = before.chars().collect();
        chars[chars.len().saturating_sub(48)..].iter().collect()
    };
    let last_clause = tail.rsplit([',', ';', '|']).next().unwrap_or(&tail);
    if DATE_EXCLUDED.is_match(last_clause) {
        DateRole::Excluded
    } else if DATE_COMPLETED.is_match(last_clause) {
        DateRole::Completed
    } else if DATE_ISSUED.is_match(last_clause) {
        DateRole::Issued
    } else {
        DateRole::Plain
    }
}

fn read_date(lines: &[Line], day_first: bool, reading: &mut Reading) {
    let mut candidates: Vec<(DateRole, NaiveDate, String)> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        for (start, value) in dates_in(line.text, day_first) {
            let before = &line.text[..start];
            let mut role = role_of(before);
            let mut source = line.text.to_string();
            // A label above its value: "Date of Completion" / "March 5, 2026".
            if before.trim().is_empty() && i > 0 && role == DateRole::Plain {
                let above = lines[i - 1].text;
                if above.len() < 60 && dates_in(above, day_first).is_empty() {
                    let above_role = role_of(above);
                    if above_role != DateRole::Plain {
                        role = above_role;
                        source = format!("{above} {}", line.text);
                    }
                }
            }
            candidates.push((role, value, source));
        }
    }
    let Some(best) = candidates.iter().map(|(role, _, _)| *role).filter(|r| *r != DateRole::Excluded).max() else {
        return;
    };
    let chosen: Vec<&(DateRole, NaiveDate, String)> = candidates.iter().filter(|(role, _, _)| *role == best).collect();
    let first = chosen[0];
    if chosen.iter().any(|(_, value, _)| *value != first.1) {
        let mut values: Vec<String> = chosen.iter().map(|(_, v, _)| v.to_string()).collect();
        values.dedup();
        reading.unsure.push(Unsure {
            field: "completed_on",
            reason: format!("several dates could be the completion date: {}", values.join(", ")),
        });
        return;
    }
    reading.completed_on = Some(first.1);
    reading.evidence.completed_on = Some(evidence(&first.2));
}

fn read_hours(lines: &[Line], reading: &mut Reading) {
    let mut found: Vec<(Hours, &str)> = Vec::new();
    for line in lines {
        let mut on_line: Vec<(usize, &str)> = Vec::new();
        for c in HOURS.captures_iter(line.text) {
            let m = c.get(1).expect("group");
            // "24 hours a day", "within 48 hours": not the course's length.
            let rest = &line.text[c.get(0).expect("match").end()..];
            if rest.trim_start().to_ascii_lowercase().starts_with("a day") {
                continue;
            }
            on_line.push((m.start(), m.as_str()));
        }
        for c in HOURS_LABEL.captures_iter(line.text) {
            let m = c.get(1).expect("group");
            if !on_line.iter().any(|(start, _)| *start == m.start()) {
                on_line.push((m.start(), m.as_str()));
            }
        }
        for (_, number) in on_line {
            if let Ok(hours) = Hours::parse("hours", number) {
                if hours.hundredths() > 0 && hours.hundredths() <= 20_000 {
                    found.push((hours, line.text));
                }
            }
        }
    }
    if found.is_empty() {
        for line in lines {
            for c in MINUTES.captures_iter(line.text) {
                if let Ok(minutes) = c[1].parse::<i64>() {
                    if (10..=600).contains(&minutes) {
                        found.push((Hours(minutes * 100 / 60), line.text));
                    }
                }
            }
        }
    }
    let Some(first) = found.first() else { return };
    if found.iter().any(|(hours, _)| *hours != first.0) {
        let mut values: Vec<String> = found.iter().map(|(h, _)| h.to_string()).collect();
        values.dedup();
        reading.unsure.push(Unsure { field: "hours", reason: format!("several hour counts: {}", values.join(", ")) });
        return;
    }
    reading.hours = Some(first.0);
    reading.evidence.hours = Some(evidence(first.1));
}

/// Finds the bodies' names in a line: short names as written (upper case), full names in any case.
struct BodyMatcher {
    patterns: Vec<(String, Regex)>,
}

impl BodyMatcher {
    fn new(bodies: &[Body]) -> Self {
        let patterns = bodies
            .iter()
            .map(|body| {
                let full = regex::escape(&body.full).replace(r"\&", "&").replace(' ', r"\s+").replace('&', "(?:&|and)");
                let pattern = format!(r"\b{}\b|(?i:\b{}\b)", regex::escape(&body.short), full);
                (body.short.clone(), re(&pattern))
            })
            .collect();
        Self { patterns }
    }

    /// (start, end, body) of each mention, in order.
    fn mentions(&self, text: &str) -> Vec<(usize, usize, String)> {
        let mut found: Vec<(usize, usize, String)> = Vec::new();
        for (short, pattern) in &self.patterns {
            for m in pattern.find_iter(text) {
                found.push((m.start(), m.end(), short.clone()));
            }
        }
        found.sort_by_key(|(start, _, _)| *start);
        found
    }
}

fn unit_name(word: &str) -> String {
    let lower = word.to_ascii_lowercase();
    if lower.starts_with("cec") {
        "CEC".into()
    } else if lower.starts_with("ceu") || lower.starts_with("continuing education unit") {
        "CEU".into()
    } else if lower.starts_with("pdu") {
        "PDU".into()
    } else if lower.contains("hour") {
        "CE hour".into()
    } else {
        "CE credit".into()
    }
}

/// The body nearest a position on a line.
fn nearest_body(mentions: &[(usize, usize, String)], at: usize) -> Option<String> {
    mentions
        .iter()
        .min_by_key(|(start, end, _)| if *end <= at { at - end } else { start.saturating_sub(at) })
        .map(|(_, _, body)| body.clone())
}

fn read_units(lines: &[Line], matcher: &BodyMatcher, reading: &mut Reading) {
    let mut found: Vec<(String, Units, String, String)> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let mut amounts: Vec<(usize, &str, &str)> = Vec::new();
        for c in UNITS.captures_iter(line.text) {
            // "8 CE hours" are clock hours, read as hours, not units.
            if c[2].to_ascii_lowercase().contains("hour") {
                continue;
            }
            amounts.push((
                c.get(1).expect("group").start(),
                c.get(1).expect("group").as_str(),
                c.get(2).expect("unit").as_str(),
            ));
        }
        for c in UNITS_LABEL.captures_iter(line.text) {
            amounts.push((
                c.get(2).expect("group").start(),
                c.get(2).expect("group").as_str(),
                c.get(1).expect("unit").as_str(),
            ));
        }
        if amounts.is_empty() {
            continue;
        }
        let mut mentions = matcher.mentions(line.text);
        let mut source = line.text.to_string();
        if mentions.is_empty() && i > 0 {
            // "Approved by the National Academy of Sports Medicine" / "for 0.8 CEUs".
            let above = matcher.mentions(lines[i - 1].text);
            if above.iter().map(|m| &m.2).collect::<std::collections::BTreeSet<_>>().len() == 1 {
                mentions = above.into_iter().map(|(_, _, body)| (0, 0, body)).collect();
                source = format!("{} {}", lines[i - 1].text, line.text);
            }
        }
        for (at, number, word) in amounts {
            let Some(body) = nearest_body(&mentions, at) else { continue };
            let Ok(amount) = Units::parse("units", number) else { continue };
            if amount.hundredths() <= 0 || amount.hundredths() > 10_000 {
                continue;
            }
            found.push((body, amount, unit_name(word), source.clone()));
        }
    }
    let mut bodies: Vec<&String> = Vec::new();
    for (body, _, _, _) in &found {
        if !bodies.contains(&body) {
            bodies.push(body);
        }
    }
    for body in bodies {
        let of_body: Vec<&(String, Units, String, String)> = found.iter().filter(|f| &f.0 == body).collect();
        if of_body.iter().any(|f| f.1 != of_body[0].1) {
            reading.unsure.push(Unsure {
                field: "units",
                reason: format!(
                    "several amounts for {body}: {}",
                    of_body.iter().map(|f| f.1.to_string()).collect::<Vec<_>>().join(", ")
                ),
            });
            continue;
        }
        let (body, amount, unit, source) = of_body[0].clone();
        reading.units.push(BodyUnits { body, amount, unit });
        reading.evidence.units.push(evidence(&source));
    }
}

fn read_approvals(lines: &[Line], matcher: &BodyMatcher, reading: &mut Reading) {
    for line in lines {
        let mentions = matcher.mentions(line.text);
        for c in APPROVAL.captures_iter(line.text) {
            let number = c[2].trim_end_matches(['-', '.']).to_string();
            if !number.chars().any(|ch| ch.is_ascii_digit()) {
                continue;
            }
            let label_at = c.get(0).expect("match").start();
            let before: Vec<(usize, usize, String)> = mentions.iter().filter(|m| m.1 <= label_at).cloned().collect();
            let body = match before.last() {
                Some((_, _, body)) => Some(body.clone()),
                // "Course #: CEP-1234" with the body's units on the certificate.
                None if reading.units.len() == 1 => Some(reading.units[0].body.clone()),
                None => None,
            };
            let Some(body) = body else { continue };
            if reading.approval.iter().any(|a| a.body == body && a.number == number) {
                continue;
            }
            reading.approval.push(Approval { body, number });
            reading.evidence.approval.push(evidence(line.text));
        }
    }
}

fn clean_value(text: &str) -> String {
    let text = text.trim().trim_matches(|c: char| c == '"' || c == '\'' || c == ':' || c == '-' || c.is_whitespace());
    let trimmed = text.trim_end_matches(['.', ',', ';']).trim();
    // "Coastal Coaching Co." keeps the point of its abbreviation.
    let last_word = trimmed.rsplit(' ').next().unwrap_or_default();
    if text[trimmed.len()..].starts_with('.') && ["Co", "Inc", "Ltd", "Corp", "Jr", "Sr", "St"].contains(&last_word) {
        return format!("{trimmed}.");
    }
    trimmed.to_string()
}

fn read_provider(lines: &[Line], reading: &mut Reading) {
    let mut found: Vec<(String, &str)> = Vec::new();
    for line in lines {
        let captured = PROVIDER_LABEL.captures(line.text).or_else(|| PROVIDER_INLINE.captures(line.text));
        if let Some(c) = captured {
            let mut value = c[1].to_string();
            for stop in [" on ", ", on", " for ", ", for", " | ", " in ", ", in"] {
                if let Some(at) = value.find(stop) {
                    value.truncate(at);
                }
            }
            let value = clean_value(&value);
            if value.len() >= 3 && value.len() <= 100 && value.chars().any(char::is_alphabetic) {
                found.push((value, line.text));
            }
        }
    }
    let Some(first) = found.first() else { return };
    if found.iter().any(|(value, _)| !value.eq_ignore_ascii_case(&first.0)) {
        reading.unsure.push(Unsure {
            field: "provider",
            reason: format!(
                "several providers: {}",
                found.iter().map(|(v, _)| v.as_str()).collect::<Vec<_>>().join(", ")
            ),
        });
        return;
    }
    reading.provider = Some(first.0.clone());
    reading.evidence.provider = Some(evidence(first.1));
}

fn cut_title(text: &str) -> String {
    let cut = match TITLE_CUT.find(text) {
        Some(m) => &text[..m.start()],
        None => text,
    };
    clean_value(cut)
}

fn plausible_title(title: &str) -> bool {
    let letters = title.chars().filter(|c| c.is_alphabetic()).count();
    title.chars().count() >= 4 && title.chars().count() <= 140 && letters >= 3
}

fn read_title(lines: &[Line], reading: &mut Reading) {
    // Labelled titles ("Course Title: …") come before phrases ("has completed …").
    let mut labelled: Vec<(String, String)> = Vec::new();
    let mut phrased: Vec<(String, String)> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if let Some(c) = TITLE_LABEL.captures(line.text) {
            let title = cut_title(&c[1]);
            if plausible_title(&title) && dates_in(&title, false).is_empty() {
                labelled.push((title, line.text.to_string()));
            }
            continue;
        }
        let Some(c) = TITLE_PHRASE.captures(line.text) else { continue };
        let rest = c.get(1).map_or("", |m| m.as_str()).trim();
        let (text, source) = if rest.is_empty() {
            // The title on the line below the phrase, as certificates set it.
            match lines.get(i + 1) {
                Some(next) => (next.text, format!("{} {}", line.text, next.text)),
                None => continue,
            }
        } else {
            (rest, line.text.to_string())
        };
        let title = cut_title(text);
        let is_date = !dates_in(text, false).is_empty()
            && dates_in(&title, false).len() == dates_in(text, false).len()
            && title.len() < 20;
        if plausible_title(&title) && !is_date && !NOT_A_TITLE.is_match(&title) {
            phrased.push((title, source));
        }
    }
    let candidates = if labelled.is_empty() { phrased } else { labelled };
    let Some(first) = candidates.first() else { return };
    if candidates.iter().any(|(title, _)| !title.eq_ignore_ascii_case(&first.0)) {
        reading.unsure.push(Unsure {
            field: "title",
            reason: format!(
                "several titles: {}",
                candidates.iter().map(|(t, _)| format!("\"{t}\"")).collect::<Vec<_>>().join(", ")
            ),
        });
        return;
    }
    reading.title = Some(first.0.clone());
    reading.evidence.title = Some(evidence(&first.1));
}

#[cfg(test)]
mod tests;
