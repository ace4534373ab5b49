//! What a user typed, as an error message repeats it: cut short and with control characters
//! escaped, so a 100 KB value or a raw ESC never reaches the terminal or the window.

/// How much of a typed value an error message repeats.
const VALUE_CHARS: usize = 40;
/// The tail of a path an error message repeats (the file name is at the end).
const PATH_CHARS: usize = 80;

/// Control characters, and the bidirectional overrides that can reorder what a terminal shows.
fn needs_escape(c: char) -> bool {
    c.is_control() || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` with each control character written as `\u{1b}`.
pub fn escape_controls(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if needs_escape(c) {
            escaped.extend(c.escape_unicode());
        } else {
            escaped.push(c);
        }
    }
    escaped
}

/// A typed value as an error message shows it: trimmed, at most 40 characters (then "…"),
/// control characters escaped.
pub fn value(text: &str) -> String {
    let trimmed = text.trim();
    let mut shown: String = trimmed.chars().take(VALUE_CHARS).collect();
    let cut = shown.len() < trimmed.len();
    shown = escape_controls(&shown);
    if cut {
        shown.push('…');
    }
    shown
}

/// A path as an error message shows it: its last 80 characters, control characters escaped.
pub fn path(path: &std::path::Path) -> String {
    let text = path.display().to_string();
    let count = text.chars().count();
    if count <= PATH_CHARS {
        return escape_controls(&text);
    }
    let tail: String = text.chars().skip(count - PATH_CHARS).collect();
    format!("…{}", escape_controls(&tail))
}

/// A whole message cut to `max_chars` (then "…"), control characters escaped: the last guard
/// before a message is printed.
pub fn message(text: &str, max_chars: usize) -> String {
    let escaped = escape_controls(text);
    if escaped.chars().count() <= max_chars {
        return escaped;
    }
    let mut cut: String = escaped.chars().take(max_chars).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_cut_and_escaped() {
        assert_eq!(value("  ncsf  "), "ncsf");
        assert_eq!(value("\u{1b}[31mred"), "\\u{1b}[31mred");
        assert_eq!(value("a\u{202e}b"), "a\\u{202e}b");
        let long = "é".repeat(100);
        assert_eq!(value(&long), format!("{}…", "é".repeat(40)));
        assert_eq!(value(&"x".repeat(40)), "x".repeat(40), "40 characters are shown whole");
    }

    #[test]
    fn paths_keep_their_end() {
        let long = format!("/{}/cert.pdf", "d".repeat(200));
        let shown = path(std::path::Path::new(&long));
        assert!(shown.starts_with('…') && shown.ends_with("/cert.pdf"), "{shown}");
        assert_eq!(shown.chars().count(), 81);
    }

    #[test]
    fn messages_are_bounded() {
        assert_eq!(message("ok\u{7}", 10), "ok\\u{7}");
        assert_eq!(message(&"m".repeat(20), 5), "mmmmm…");
    }
}
