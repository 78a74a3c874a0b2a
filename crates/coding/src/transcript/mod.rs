//! Transcript readers: plain `Speaker: text`, WebVTT, SRT and CSV, all into one
//! [`Utterance`] shape. Text is Unicode-normalised (NFC), markup stripped, timestamps kept.
//!
//! Every reader works line by line in one pass, so time and memory grow linearly with the
//! input. Errors name the 1-based line, what was expected and (a truncated copy of) what was
//! found; transcripts are sensitive, so an error never carries more than a few dozen characters.

mod blocks;
mod clean;
mod csv;
mod cue;
mod lines;
mod plain;
mod speaker;
mod srt;
mod timecode;
mod vtt;

#[cfg(test)]
mod test_support;

use std::fmt;
use std::path::Path;
use std::str::FromStr;

use serde::Serialize;

pub use clean::clean_text;
pub use speaker::split_speaker;

/// One speaker turn as read from a transcript.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Utterance {
    /// Position in the transcript, from 0.
    pub index: usize,
    pub speaker: Option<String>,
    pub text: String,
    /// Milliseconds from the start of the recording, when the format carries times.
    pub start_ms: Option<u64>,
    pub end_ms: Option<u64>,
}

/// The formats a transcript can come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TranscriptFormat {
    /// One utterance per line, no speaker parsing (the evaluation contract).
    Lines,
    /// `Speaker: text` lines; indented or unprefixed lines continue the previous turn.
    Plain,
    Vtt,
    Srt,
    /// `speaker,text[,start,end]`.
    Csv,
}

impl TranscriptFormat {
    /// Every format, in the order the names are listed to users.
    pub const ALL: [TranscriptFormat; 5] = [
        TranscriptFormat::Lines,
        TranscriptFormat::Plain,
        TranscriptFormat::Vtt,
        TranscriptFormat::Srt,
        TranscriptFormat::Csv,
    ];

    /// The name used on the command line and in [`FromStr`].
    pub fn as_str(self) -> &'static str {
        match self {
            TranscriptFormat::Lines => "lines",
            TranscriptFormat::Plain => "plain",
            TranscriptFormat::Vtt => "vtt",
            TranscriptFormat::Srt => "srt",
            TranscriptFormat::Csv => "csv",
        }
    }

    /// The format a file name suggests: `.txt` is plain, `.vtt`, `.srt` and `.csv` are
    /// themselves (any letter case). `Lines` has no extension of its own: it must be asked for.
    pub fn from_extension(path: &Path) -> Option<TranscriptFormat> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "txt" => Some(TranscriptFormat::Plain),
            "vtt" => Some(TranscriptFormat::Vtt),
            "srt" => Some(TranscriptFormat::Srt),
            "csv" => Some(TranscriptFormat::Csv),
            _ => None,
        }
    }
}

impl fmt::Display for TranscriptFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A format name that is not one of `lines`, `plain`, `vtt`, `srt`, `csv`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown transcript format `{0}` (expected lines, plain, vtt, srt or csv)")]
pub struct UnknownFormat(pub String);

impl FromStr for TranscriptFormat {
    type Err = UnknownFormat;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        let trimmed = name.trim();
        TranscriptFormat::ALL
            .into_iter()
            .find(|format| format.as_str().eq_ignore_ascii_case(trimmed))
            .ok_or_else(|| UnknownFormat(excerpt(trimmed)))
    }
}

/// Why a transcript could not be read: the line, what was expected and what was found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: expected {expected}, found {found}")]
pub struct ReadError {
    /// 1-based line of the input where reading stopped.
    pub line: usize,
    pub expected: String,
    /// A short description, or the offending text quoted and cut to [`EXCERPT_CHARS`].
    pub found: String,
}

impl ReadError {
    /// An error whose `found` quotes (a truncated copy of) the offending text.
    pub(crate) fn quoting(line: usize, expected: impl Into<String>, text: &str) -> ReadError {
        ReadError {
            line,
            expected: expected.into(),
            found: format!("`{}`", excerpt(text)),
        }
    }

    /// An error whose `found` is a description such as "the end of the input".
    pub(crate) fn describing(
        line: usize,
        expected: impl Into<String>,
        found: impl Into<String>,
    ) -> ReadError {
        ReadError {
            line,
            expected: expected.into(),
            found: found.into(),
        }
    }
}

/// The most characters of a transcript line an error message repeats.
pub const EXCERPT_CHARS: usize = 60;

/// At most [`EXCERPT_CHARS`] characters of `text`, control characters blanked, `…` when cut.
pub(crate) fn excerpt(text: &str) -> String {
    let mut chars = text.chars();
    let mut out: String = chars
        .by_ref()
        .take(EXCERPT_CHARS)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if chars.next().is_some() {
        out.push('…');
    }
    out
}

/// Reads a whole transcript.
pub fn read(format: TranscriptFormat, input: &str) -> Result<Vec<Utterance>, ReadError> {
    match format {
        TranscriptFormat::Lines => Ok(lines::read(input)),
        TranscriptFormat::Plain => Ok(plain::read(input)),
        TranscriptFormat::Vtt => vtt::read(input),
        TranscriptFormat::Srt => srt::read(input),
        TranscriptFormat::Csv => csv::read(input),
    }
}

/// Numbers utterances in order and drops those whose text cleaned down to nothing
/// (all readers but `Lines`, whose contract is one utterance per input line).
fn number_non_empty(utterances: Vec<Utterance>) -> Vec<Utterance> {
    utterances
        .into_iter()
        .filter(|utterance| !utterance.text.is_empty())
        .enumerate()
        .map(|(index, utterance)| Utterance { index, ..utterance })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_names_round_trip_and_ignore_case() {
        for format in TranscriptFormat::ALL {
            assert_eq!(format.as_str().parse::<TranscriptFormat>(), Ok(format));
            assert_eq!(format.to_string().to_uppercase().parse(), Ok(format));
        }
    }

    #[test]
    fn unknown_format_name_is_an_error_naming_the_choices() {
        let err = "docx".parse::<TranscriptFormat>().unwrap_err();
        assert_eq!(err, UnknownFormat("docx".into()));
        assert!(err.to_string().contains("lines, plain, vtt, srt or csv"));
    }

    #[test]
    fn extension_picks_the_format() {
        let cases = [
            ("session.txt", Some(TranscriptFormat::Plain)),
            ("a/b/Session.VTT", Some(TranscriptFormat::Vtt)),
            ("x.srt", Some(TranscriptFormat::Srt)),
            ("x.csv", Some(TranscriptFormat::Csv)),
            ("x.docx", None),
            ("no-extension", None),
        ];
        for (path, expected) in cases {
            assert_eq!(
                TranscriptFormat::from_extension(Path::new(path)),
                expected,
                "{path}"
            );
        }
    }

    #[test]
    fn excerpt_cuts_long_text_and_blanks_control_characters() {
        let long = "é".repeat(200);
        let cut = excerpt(&long);
        assert_eq!(cut.chars().count(), EXCERPT_CHARS + 1);
        assert!(cut.ends_with('…'));
        assert_eq!(excerpt("a\tb\u{7}"), "a b ");
    }

    #[test]
    fn error_message_names_line_expected_and_found() {
        let err = ReadError::quoting(7, "a cue timing", "00:00:01 -> 4");
        assert_eq!(
            err.to_string(),
            "line 7: expected a cue timing, found `00:00:01 -> 4`"
        );
    }
}
