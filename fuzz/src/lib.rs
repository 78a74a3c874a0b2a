//! What every fuzz target checks: reading never panics, and what a reader returns keeps the
//! readers' promises (numbered in order, clean text, ordered times, short error excerpts).
//! The answers-CSV checks of `circlework score` are in [`score`].

mod score;

pub use score::score_and_check;

use coding::transcript::{EXCERPT_CHARS, TranscriptFormat, read};

/// Reads `data` (as lossy UTF-8) in `format` and asserts the output's invariants.
pub fn read_and_check(format: TranscriptFormat, data: &[u8]) {
    let input = String::from_utf8_lossy(data);
    match read(format, &input) {
        Ok(utterances) => {
            if format == TranscriptFormat::Lines {
                assert_eq!(
                    utterances.len(),
                    input.lines().count(),
                    "one utterance per line"
                );
            }
            for (at, utterance) in utterances.iter().enumerate() {
                assert_eq!(utterance.index, at, "indices follow the output order");
                let text = utterance.text.as_str();
                assert_eq!(text.trim(), text, "no edge whitespace");
                assert!(!text.contains("  "), "whitespace collapsed");
                assert!(!text.chars().any(char::is_control), "no control characters");
                assert!(
                    format == TranscriptFormat::Lines || !text.is_empty(),
                    "empty turns are dropped"
                );
                if let (Some(start), Some(end)) = (utterance.start_ms, utterance.end_ms) {
                    assert!(start <= end, "a turn ends no earlier than it starts");
                }
            }
        }
        Err(err) => {
            assert!(err.line >= 1, "lines are numbered from 1");
            assert!(
                err.found.chars().count() <= EXCERPT_CHARS + 20,
                "errors repeat only a short excerpt of the input"
            );
        }
    }
}
