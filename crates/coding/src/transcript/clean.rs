//! Turns a raw piece of transcript text into the clean text the coder sees: markup stripped,
//! HTML entities decoded, whitespace collapsed, control and invisible characters dropped,
//! Unicode NFC.
//!
//! Stripping is deliberately conservative: only tags caption formats use (`<v Name>`, `<c.x>`,
//! `<i>`, `<b>`, `<u>`, `<lang en>`, `<ruby>`, `<font ...>`, inline `<00:01.000>` ...) and
//! `{\an8}`-style override codes go; "I <3 you" or "a < b" stays as written. Look-ahead for
//! a tag's end is bounded, so a line full of `<` still cleans in linear time.

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// How far past a `<` or `{` to look for the closing `>` or `}`.
const TAG_LOOKAHEAD: usize = 256;
/// How far past a `&` to look for the closing `;`.
const ENTITY_LOOKAHEAD: usize = 12;

/// Tags that carry an annotation or attributes after a space (`<v Ama>`, `<lang en>`).
const ANNOTATED_TAGS: [&str; 4] = ["v", "lang", "font", "span"];
/// Tags that at most carry classes (`<c.yellow>`, `<i>`).
const PLAIN_TAGS: [&str; 14] = [
    "c", "i", "b", "u", "s", "ruby", "rt", "em", "strong", "sub", "sup", "small", "p", "br",
];

/// Cleans one line or field of transcript text.
pub fn clean_text(raw: &str) -> String {
    let mut out = Collapsed::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(c) = rest.chars().next() {
        // Most text is runs of printable ASCII that need no decision: copy them whole.
        let run = rest
            .bytes()
            .position(|b| !is_plain_ascii(b))
            .unwrap_or(rest.len());
        if let Some((plain, after)) = rest.split_at_checked(run).filter(|_| run > 0) {
            out.push_plain(plain);
            rest = after;
            continue;
        }
        let skipped = match c {
            '<' => markup_tag_len(rest).inspect(|_| {
                if is_line_break_tag(rest) {
                    out.space();
                }
            }),
            '{' => override_code_len(rest),
            '&' => entity(rest).map(|(decoded, len)| {
                out.push(decoded);
                len
            }),
            _ => None,
        };
        let step = skipped.unwrap_or_else(|| {
            out.push(c);
            c.len_utf8()
        });
        rest = rest.get(step..).unwrap_or_default();
    }
    out.finish()
}

/// Builds text with runs of whitespace collapsed to one space and no edge whitespace.
struct Collapsed {
    text: String,
    pending_space: bool,
}

impl Collapsed {
    fn with_capacity(capacity: usize) -> Collapsed {
        Collapsed {
            text: String::with_capacity(capacity),
            pending_space: false,
        }
    }

    fn space(&mut self) {
        self.pending_space = !self.text.is_empty();
    }

    fn push(&mut self, c: char) {
        if c.is_whitespace() {
            self.space();
        } else if !is_invisible(c) {
            if self.pending_space {
                self.text.push(' ');
                self.pending_space = false;
            }
            self.text.push(c);
        }
    }

    /// Appends printable ASCII with no whitespace, markup or entity characters in it.
    fn push_plain(&mut self, plain: &str) {
        if self.pending_space {
            self.text.push(' ');
            self.pending_space = false;
        }
        self.text.push_str(plain);
    }

    fn finish(self) -> String {
        if self.text.is_ascii() {
            return self.text;
        }
        match is_nfc_quick(self.text.chars()) {
            IsNormalized::Yes => self.text,
            IsNormalized::No | IsNormalized::Maybe => self.text.nfc().collect(),
        }
    }
}

/// Printable ASCII that is neither whitespace nor the start of markup or an entity.
fn is_plain_ascii(byte: u8) -> bool {
    byte.is_ascii_graphic() && !matches!(byte, b'<' | b'{' | b'&')
}

/// Control characters and the invisible marks exporters leave behind (direction marks,
/// zero-width space, byte-order mark). Joiners stay: emoji sequences need them.
fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{200B}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{2069}'
                | '\u{FEFF}'
        )
}

/// The byte length of the caption markup tag `rest` starts with, if it starts with one.
fn markup_tag_len(rest: &str) -> Option<usize> {
    let close = closing_byte(rest, b'>')?;
    let inner = rest.get(1..close)?;
    let is_markup = match inner.strip_prefix('/') {
        Some(closing) => is_known_tag_name(closing.trim()),
        None => is_opening_tag(inner) || is_inline_timestamp(inner),
    };
    is_markup.then_some(close + 1)
}

fn is_opening_tag(inner: &str) -> bool {
    let inner = inner.strip_suffix('/').unwrap_or(inner).trim_end();
    let name_end = inner
        .find(|c: char| c == '.' || c.is_whitespace())
        .unwrap_or(inner.len());
    let (name, after) = inner.split_at_checked(name_end).unwrap_or((inner, ""));
    let name = name.to_ascii_lowercase();
    if ANNOTATED_TAGS.contains(&name.as_str()) {
        return true;
    }
    // `<i think>` is prose, not markup: plain tags carry only `.class` suffixes.
    PLAIN_TAGS.contains(&name.as_str()) && !after.chars().any(char::is_whitespace)
}

fn is_known_tag_name(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    ANNOTATED_TAGS.contains(&name.as_str()) || PLAIN_TAGS.contains(&name.as_str())
}

/// `<00:01.000>` or `<00:00:01.000>`: a karaoke-style timestamp inside a cue.
fn is_inline_timestamp(inner: &str) -> bool {
    inner.starts_with(|c: char| c.is_ascii_digit())
        && inner.contains(':')
        && inner
            .chars()
            .all(|c| c.is_ascii_digit() || c == ':' || c == '.')
}

fn is_line_break_tag(rest: &str) -> bool {
    rest.get(1..3)
        .is_some_and(|name| name.eq_ignore_ascii_case("br"))
}

/// The byte length of an `{\an8}`-style subtitle override code `rest` starts with.
fn override_code_len(rest: &str) -> Option<usize> {
    if rest.as_bytes().get(1) != Some(&b'\\') {
        return None;
    }
    closing_byte(rest, b'}').map(|close| close + 1)
}

/// Where `close` ends the tag or code that opens at the start of `rest`: within the
/// look-ahead and before a line break or another opening byte. Stopping at the next opener
/// keeps cleaning linear on text like `<<<<` (no byte is scanned from more than one opener).
pub(super) fn closing_byte(rest: &str, close: u8) -> Option<usize> {
    let open = *rest.as_bytes().first()?;
    let (at, found) = rest
        .bytes()
        .enumerate()
        .skip(1)
        .take(TAG_LOOKAHEAD)
        .find(|&(_, b)| b == close || b == open || b == b'\n')?;
    (found == close).then_some(at)
}

/// The character an HTML entity at the start of `rest` stands for, and the entity's length.
fn entity(rest: &str) -> Option<(char, usize)> {
    let semicolon = rest
        .bytes()
        .take(ENTITY_LOOKAHEAD)
        .position(|b| b == b';')?;
    let name = rest.get(1..semicolon)?;
    let decoded = match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{00A0}',
        "lrm" => '\u{200E}',
        "rlm" => '\u{200F}',
        "shy" => '\u{00AD}',
        "ndash" => '–',
        "mdash" => '—',
        "hellip" => '…',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        _ => numeric_entity(name)?,
    };
    Some((decoded, semicolon + 1))
}

/// `#233` or `#xE9`.
fn numeric_entity(name: &str) -> Option<char> {
    let number = name.strip_prefix('#')?;
    let code = match number.strip_prefix(['x', 'X']) {
        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
        None => number.parse().ok()?,
    };
    // `+` is accepted by the integer parsers but is no part of an entity.
    if number.contains('+') {
        return None;
    }
    char::from_u32(code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn strips_caption_tags_and_keeps_the_words() {
        let cases = [
            ("<v Ama>I came anyway</v>", "I came anyway"),
            ("<v.loud Ama Boateng>Stop.</v>", "Stop."),
            ("<c.yellow.bg_blue>coloured</c> words", "coloured words"),
            ("<i>so</i> <b>much</b> <u>harder</u>", "so much harder"),
            ("<lang fr>oui</lang>", "oui"),
            ("<ruby>漢<rt>かん</rt></ruby>", "漢かん"),
            ("<00:00:01.000>one <00:01.500>two", "one two"),
            ("<font color=\"#ffff00\">yellow</font>", "yellow"),
            ("{\\an8}top of the screen", "top of the screen"),
            ("line<br>break", "line break"),
            ("<I>upper case</I>", "upper case"),
        ];
        for (raw, clean) in cases {
            assert_eq!(clean_text(raw), clean, "{raw}");
        }
    }

    #[test]
    fn leaves_angle_brackets_that_are_not_markup() {
        let cases = [
            "I <3 you",
            "a < b and c > d",
            "<i think> so",
            "<unknown>",
            "{not a code}",
            "unclosed <i",
        ];
        for raw in cases {
            assert_eq!(clean_text(raw), raw, "{raw}");
        }
    }

    #[test]
    fn decodes_entities_once() {
        let cases = [
            ("Tom &amp; Jerry", "Tom & Jerry"),
            ("&lt;i&gt; stays", "<i> stays"),
            ("&amp;lt;", "&lt;"),
            ("caf&#233; &#xE9;", "café é"),
            ("a&nbsp;&nbsp;b", "a b"),
            ("&lrm;left&rlm;", "left"),
            ("&ldquo;quoted&rdquo; &hellip;", "“quoted” …"),
            ("R&D; & co", "R&D; & co"),
            ("&#0;&#xD800;&#+5;", "&#xD800;&#+5;"),
        ];
        for (raw, clean) in cases {
            assert_eq!(clean_text(raw), clean, "{raw}");
        }
    }

    #[test]
    fn collapses_whitespace_and_drops_invisible_characters() {
        assert_eq!(clean_text("  a \t\u{a0} b\r\n"), "a b");
        assert_eq!(clean_text("\u{feff}x\u{200b}y\u{7}z\u{202e}"), "xyz");
        assert_eq!(clean_text("👨\u{200d}👩"), "👨\u{200d}👩");
        assert_eq!(clean_text(" \t "), "");
    }

    #[test]
    fn normalises_to_nfc() {
        assert_eq!(clean_text("cafe\u{301}"), "caf\u{e9}");
        assert_eq!(clean_text("&#x65;&#x301;"), "\u{e9}");
    }

    proptest! {
        #[test]
        fn clean_text_is_idempotent_for_text_without_markup_characters(
            raw in "[^<>&{}]*"
        ) {
            let once = clean_text(&raw);
            prop_assert_eq!(clean_text(&once), once);
        }

        #[test]
        fn clean_text_has_no_edge_or_double_whitespace(raw in any::<String>()) {
            let clean = clean_text(&raw);
            prop_assert_eq!(clean.trim(), clean.as_str());
            prop_assert!(!clean.contains("  "));
            prop_assert!(!clean.chars().any(|c| c.is_control()));
        }
    }
}
