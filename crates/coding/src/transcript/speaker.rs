//! Decides whether a line starts with a `Speaker: ` label, and splits it off.
//!
//! The rule, chosen so that prose with a colon ("Note: ...", "at 10:30", "The thing is: ...")
//! does not invent speakers:
//! - the label is everything before the first `:`, which must be followed by whitespace or
//!   end the line;
//! - it is 1 to 40 characters and at most 4 words, and starts with a letter;
//! - it holds none of `! ? ; , " ( ) [ ] { } < > / \ |` and a `.` only to end an initial or a
//!   title (`J.`, `Dr.`, `Mrs.`), so a sentence cannot be a label;
//! - its first word is not a heading or filler word (`Note`, `PS`, `Update`, `Well`, `The`,
//!   `I` ... see [`NOT_SPEAKERS`]), compared without regard to case; a label that is one
//!   letter alone (`Q:`, `A:`, `I:` in interview transcripts) is always a speaker.

/// The longest label, in characters.
const MAX_LABEL_CHARS: usize = 40;
/// The most words a label may have.
const MAX_LABEL_WORDS: usize = 4;

/// First words that make a colon-prefix a heading or the start of a sentence, not a name.
const NOT_SPEAKERS: [&str; 48] = [
    "note",
    "notes",
    "nb",
    "ps",
    "p.s",
    "edit",
    "update",
    "warning",
    "caution",
    "example",
    "reminder",
    "summary",
    "agenda",
    "topic",
    "subject",
    "re",
    "fyi",
    "todo",
    "date",
    "time",
    "location",
    "source",
    "transcript",
    "session",
    "attendees",
    "present",
    "absent",
    "also",
    "and",
    "but",
    "so",
    "well",
    "because",
    "anyway",
    "basically",
    "honestly",
    "listen",
    "look",
    "okay",
    "ok",
    "yes",
    "no",
    "the",
    "a",
    "an",
    "i",
    "my",
    "what",
];

/// Titles whose abbreviation may end in a period inside a label.
const TITLES: [&str; 8] = ["dr", "mr", "mrs", "ms", "mx", "prof", "st", "rev"];

/// Splits `Speaker: text` into the label and the text after it, both trimmed.
/// Returns `None` when the line does not start with a label by the rule above.
pub fn split_speaker(line: &str) -> Option<(&str, &str)> {
    // Only the first few dozen characters can hold a label: bounded work on long lines.
    let (colon, _) = line
        .char_indices()
        .take(MAX_LABEL_CHARS + 8)
        .find(|&(_, c)| c == ':')?;
    let label = line.get(..colon)?.trim();
    let text = line.get(colon + 1..)?;
    let colon_ends_label = text.is_empty() || text.starts_with(char::is_whitespace);
    (colon_ends_label && is_speaker_label(label)).then(|| (label, text.trim()))
}

/// Whether `label` (already trimmed) can name a speaker.
pub fn is_speaker_label(label: &str) -> bool {
    let char_count = label.chars().count();
    if char_count == 0 || char_count > MAX_LABEL_CHARS {
        return false;
    }
    if !label.starts_with(char::is_alphabetic) {
        return false;
    }
    if char_count == 1 {
        return true;
    }
    let mut words = label.split_whitespace();
    let first_word = words.clone().next().unwrap_or_default();
    if words.clone().count() > MAX_LABEL_WORDS || is_not_a_speaker(first_word) {
        return false;
    }
    !label.contains(is_forbidden_in_label) && words.all(periods_only_in_abbreviations)
}

fn is_forbidden_in_label(c: char) -> bool {
    matches!(
        c,
        '!' | '?'
            | ';'
            | ','
            | '"'
            | '('
            | ')'
            | '['
            | ']'
            | '{'
            | '}'
            | '<'
            | '>'
            | '/'
            | '\\'
            | '|'
            | ':'
            | '…'
            | '“'
            | '”'
    ) || c.is_control()
}

fn is_not_a_speaker(first_word: &str) -> bool {
    let word = first_word.trim_end_matches('.');
    NOT_SPEAKERS
        .iter()
        .any(|stop| stop.eq_ignore_ascii_case(word))
}

/// `J.` and `Dr.` may end in a period; a period anywhere else marks a sentence.
fn periods_only_in_abbreviations(word: &str) -> bool {
    match word.strip_suffix('.') {
        None => !word.contains('.'),
        Some(stem) => {
            let is_initial = stem.chars().count() == 1 && stem.starts_with(char::is_uppercase);
            let is_title = TITLES.iter().any(|title| title.eq_ignore_ascii_case(stem));
            is_initial || is_title
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_names_and_roles() {
        let cases = [
            ("Ama: I came anyway.", ("Ama", "I came anyway.")),
            (
                "Facilitator:   welcome back",
                ("Facilitator", "welcome back"),
            ),
            ("Dr. Okafor: let's begin", ("Dr. Okafor", "let's begin")),
            ("J. R. Mensah: hi", ("J. R. Mensah", "hi")),
            ("Member 3: yes", ("Member 3", "yes")),
            ("Zoë Ní Bhriain: sure", ("Zoë Ní Bhriain", "sure")),
            ("Ama:", ("Ama", "")),
            ("Ama:\tafter a tab", ("Ama", "after a tab")),
            ("Q: and you?", ("Q", "and you?")),
            ("A: I did", ("A", "I did")),
            ("Ama: two: colons", ("Ama", "two: colons")),
        ];
        for (line, expected) in cases {
            assert_eq!(split_speaker(line), Some(expected), "{line}");
        }
    }

    #[test]
    fn leaves_prose_with_colons_alone() {
        let cases = [
            "Note: we start at ten",
            "PS: bring the forms",
            "We met at 10:30 and talked",
            "10:30: coffee",
            "The thing is: nobody asked",
            "I said: no more",
            "A friend said: go",
            "Well: maybe",
            "So what did you do then, really: nothing?",
            "Wait! Her: no",
            "She left. Then Sam: hi",
            "This is far too many words: for a name",
            "https://example.org/a is a link",
            "ratio 2:1 today",
            "no colon at all",
            ": empty label",
            "Ama:no space after the colon",
        ];
        for line in cases {
            assert_eq!(split_speaker(line), None, "{line}");
        }
    }

    #[test]
    fn label_length_is_bounded() {
        let forty = "A".repeat(40);
        let forty_one = "A".repeat(41);
        assert!(split_speaker(&format!("{forty}: x")).is_some());
        assert!(split_speaker(&format!("{forty_one}: x")).is_none());
    }
}
