//! Showing untrusted bytes on a terminal: identifiers and payloads may hold
//! control characters (escape sequences included) that must not reach it raw.

use std::fmt;
use std::path::Path;

/// Text with backslashes and control characters escaped (`\n`, `\u{1b}`).
pub struct Escaped<'a>(pub &'a str);

impl fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for c in self.0.chars() {
            if c == '\\' || c.is_control() {
                write!(f, "{}", c.escape_default())?;
            } else {
                fmt::Write::write_char(f, c)?;
            }
        }
        Ok(())
    }
}

/// A path as messages show it: lossy UTF-8, escaped as [`Escaped`], so that
/// a file name holding a newline or an escape sequence keeps a message on
/// one line and off the terminal's controls.
pub struct ShownPath<'a>(pub &'a Path);

impl fmt::Display for ShownPath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        Escaped(&self.0.to_string_lossy()).fmt(f)
    }
}

/// Bytes as lower-case hex.
pub struct Hex<'a>(pub &'a [u8]);

impl fmt::Display for Hex<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_controls_and_backslashes_only() {
        assert_eq!(Escaped("a\x1b[31m\n\\é").to_string(), "a\\u{1b}[31m\\n\\\\é");
        assert_eq!(Hex(&[0, 0xab, 0x10]).to_string(), "00ab10");
        assert_eq!(ShownPath(Path::new("dir/a\nb\x1b.pcap")).to_string(), "dir/a\\nb\\u{1b}.pcap");
    }
}
