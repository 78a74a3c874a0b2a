//! Free text from outside (names, descriptions, notes, posts): one place that states each
//! field's length limit and refuses control characters, so no field takes a megabyte or a
//! terminal escape sequence.

use crate::ParseError;

/// How much text a field takes, and whether it may span lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextLimit {
    /// What the field is called in messages, e.g. "group name".
    pub what: &'static str,
    /// Most characters (Unicode scalar values) after trimming.
    pub max_chars: usize,
    /// Line breaks and tabs allowed (notes, descriptions) or not (names, titles).
    pub multiline: bool,
}

impl TextLimit {
    /// A one-line field such as a name or a title.
    pub const fn line(what: &'static str, max_chars: usize) -> Self {
        Self {
            what,
            max_chars,
            multiline: false,
        }
    }

    /// A field of several lines such as a description or a note.
    pub const fn block(what: &'static str, max_chars: usize) -> Self {
        Self {
            what,
            max_chars,
            multiline: true,
        }
    }

    /// Trims the text and checks it against the limit. Windows line ends become `\n`.
    /// An empty result is allowed here; required fields check emptiness themselves.
    pub fn clean(&self, raw: &str) -> Result<String, ParseError> {
        let text = raw.trim();
        let text = if self.multiline && text.contains('\r') {
            text.replace("\r\n", "\n").replace('\r', "\n")
        } else {
            text.to_owned()
        };
        let mut count = 0usize;
        for c in text.chars() {
            count += 1;
            let allowed_break = self.multiline && (c == '\n' || c == '\t');
            if c.is_control() && !allowed_break {
                let reason = if self.multiline {
                    "may not contain control characters other than line breaks and tabs"
                } else {
                    "must be on one line, without control characters"
                };
                return Err(ParseError::new(self.what, reason));
            }
        }
        if count > self.max_chars {
            return Err(ParseError::new(
                self.what,
                format!(
                    "is too long: at most {} characters (this has {count})",
                    self.max_chars
                ),
            ));
        }
        Ok(text)
    }

    /// Like [`TextLimit::clean`], and refuses an empty result.
    pub fn clean_required(&self, raw: &str) -> Result<String, ParseError> {
        let text = self.clean(raw)?;
        if text.is_empty() {
            return Err(ParseError::new(self.what, "is required"));
        }
        Ok(text)
    }
}

/// A calendar date in the one style every page and message uses: "Tue 3 Mar 2026".
pub fn date_words(date: jiff::civil::Date) -> String {
    date.strftime("%a %-d %b %Y").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAME: TextLimit = TextLimit::line("group name", 10);
    const NOTE: TextLimit = TextLimit::block("note", 20);

    #[test]
    fn trims_and_keeps_ordinary_text() {
        assert_eq!(NAME.clean("  Circle  ").unwrap(), "Circle");
        assert_eq!(NOTE.clean("a\r\nb\tc").unwrap(), "a\nb\tc");
    }

    #[test]
    fn counts_characters_not_bytes() {
        assert!(NAME.clean("ééééééééé").is_ok());
        let error = NAME.clean("ééééééééééé").unwrap_err();
        assert!(error.reason.contains("at most 10"), "{error}");
    }

    #[test]
    fn refuses_control_characters() {
        assert!(NAME.clean("a\nb").is_err());
        assert!(NAME.clean("a\tb").is_err());
        assert!(NOTE.clean("bell\u{7}").is_err());
        assert!(NOTE.clean("escape\u{1b}[31m").is_err());
        assert!(NOTE.clean("nul\0").is_err());
    }

    #[test]
    fn dates_read_the_same_everywhere() {
        assert_eq!(date_words(jiff::civil::date(2026, 3, 3)), "Tue 3 Mar 2026");
    }

    #[test]
    fn required_fields_refuse_blank() {
        assert_eq!(
            NAME.clean_required("   ").unwrap_err().reason,
            "is required"
        );
        assert_eq!(NAME.clean("   ").unwrap(), "");
    }
}
