//! Helpers shared by the timed readers' tests: utterances as comparable tuples.

use super::{ReadError, Utterance};

/// Speaker, text, start and end (ms; 0 when absent).
pub type Said = (Option<String>, String, u64, u64);

/// Reads `input` with `read` and returns what was said, with times.
pub fn said_by(read: impl Fn(&str) -> Result<Vec<Utterance>, ReadError>, input: &str) -> Vec<Said> {
    read(input)
        .unwrap()
        .into_iter()
        .map(|u| {
            (
                u.speaker,
                u.text,
                u.start_ms.unwrap_or_default(),
                u.end_ms.unwrap_or_default(),
            )
        })
        .collect()
}

/// One expected utterance.
pub fn timed(speaker: Option<&str>, text: &str, start: u64, end: u64) -> Said {
    (speaker.map(str::to_owned), text.to_owned(), start, end)
}
