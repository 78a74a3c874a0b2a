//! WebVTT as video-meeting tools export it.
//!
//! Read: the `WEBVTT` header (after an optional byte-order mark), cue identifiers, cue
//! settings after the timing, `NOTE`, `STYLE` and `REGION` blocks (skipped), and speakers
//! from `<v Name>` voice tags or `Name:` prefixes (see [`super::cue`]).

use super::blocks::{NumberedLine, blocks};
use super::cue::{VoiceTags, push_cue, read_cue_timing};
use super::timecode::VTT_TIMING_EXPECTED;
use super::{ReadError, Utterance, number_non_empty};

const HEADER_EXPECTED: &str = "a `WEBVTT` header";

pub fn read(input: &str) -> Result<Vec<Utterance>, ReadError> {
    let mut blocks = blocks(input);
    let header = blocks
        .next()
        .ok_or_else(|| ReadError::describing(1, HEADER_EXPECTED, "an empty file"))?;
    check_header(&header)?;
    let mut cues = Vec::new();
    for block in blocks {
        let Some((first, rest)) = block.split_first() else {
            continue;
        };
        if ["NOTE", "STYLE", "REGION"]
            .iter()
            .any(|keyword| starts_with_keyword(first.text, keyword))
        {
            continue;
        }
        let (timing_line, text_lines) = if first.text.contains("-->") {
            (first, rest)
        } else {
            // `first` is a cue identifier; the timing must follow it.
            rest.split_first().ok_or_else(|| {
                ReadError::describing(
                    first.number + 1,
                    VTT_TIMING_EXPECTED,
                    "a blank line or the end of the input",
                )
            })?
        };
        let times = read_cue_timing(timing_line, VTT_TIMING_EXPECTED)?;
        push_cue(&mut cues, text_lines, times, VoiceTags::Read);
    }
    Ok(number_non_empty(cues))
}

/// The header block: `WEBVTT` alone or followed by a space and free text, on line 1, then
/// optional header lines (which must not be a cue).
fn check_header(header: &[NumberedLine<'_>]) -> Result<(), ReadError> {
    let Some((first, rest)) = header.split_first() else {
        return Err(ReadError::describing(1, HEADER_EXPECTED, "an empty file"));
    };
    if first.number != 1 {
        return Err(ReadError::describing(1, HEADER_EXPECTED, "a blank line"));
    }
    if !starts_with_keyword(first.text, "WEBVTT") {
        return Err(ReadError::quoting(1, HEADER_EXPECTED, first.text));
    }
    match rest.iter().find(|line| line.text.contains("-->")) {
        Some(cue) => Err(ReadError::quoting(
            cue.number,
            "a blank line between the header and the first cue",
            cue.text,
        )),
        None => Ok(()),
    }
}

/// `keyword` alone on the line, or followed by a space or tab.
fn starts_with_keyword(line: &str, keyword: &str) -> bool {
    line.strip_prefix(keyword)
        .is_some_and(|after| after.is_empty() || after.starts_with([' ', '\t']))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcript::test_support::{said_by, timed};

    fn said(input: &str) -> Vec<(Option<String>, String, u64, u64)> {
        said_by(read, input)
    }
    use crate::transcript::timecode::END_AFTER_START_EXPECTED;

    #[test]
    fn reads_teams_style_voice_tags() {
        let input = "WEBVTT\n\n\
            3f2a-1\n00:00:01.000 --> 00:00:04.000\n<v Ama Boateng>I nearly didn't come.</v>\n\n\
            3f2a-2\n00:00:04.500 --> 00:00:06.000\n<v.loud Kofi>Glad you did &amp; stayed.</v>\n";
        assert_eq!(
            said(input),
            [
                timed(Some("Ama Boateng"), "I nearly didn't come.", 1_000, 4_000),
                timed(Some("Kofi"), "Glad you did & stayed.", 4_500, 6_000),
            ]
        );
    }

    #[test]
    fn reads_zoom_style_prefixes_settings_and_multi_line_cues() {
        let input = "\u{feff}WEBVTT - exported\nKind: captions\n\n\
            1\n00:01.000 --> 00:02.500 align:start position:10%\nAma: first line\nsecond line\n\n\
            2\n00:00:03.000 --> 00:00:04.000\nNo speaker here\n";
        assert_eq!(
            said(input),
            [
                timed(Some("Ama"), "first line second line", 1_000, 2_500),
                timed(None, "No speaker here", 3_000, 4_000),
            ]
        );
    }

    #[test]
    fn skips_note_style_and_region_blocks() {
        let input = "WEBVTT\n\nSTYLE\n::cue { color: lime }\n\nREGION\nid:fred\n\n\
            NOTE this --> is not a cue\n\n00:00:01.000 --> 00:00:02.000\nhello\n\nNOTE\nbye\n";
        assert_eq!(said(input), [timed(None, "hello", 1_000, 2_000)]);
    }

    #[test]
    fn two_voices_in_one_cue_are_two_utterances() {
        let input = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Ama>yes\n<v Kofi>no\n";
        assert_eq!(
            said(input),
            [
                timed(Some("Ama"), "yes", 1_000, 2_000),
                timed(Some("Kofi"), "no", 1_000, 2_000)
            ]
        );
    }

    #[test]
    fn empty_cues_are_dropped() {
        let input =
            "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n\n00:00:02.000 --> 00:00:03.000\n<i></i>\n";
        assert!(said(input).is_empty());
    }

    #[test]
    fn errors_name_the_line_and_what_was_expected() {
        let cases = [
            ("", 1, "a `WEBVTT` header", "an empty file"),
            ("\nWEBVTT\n", 1, "a `WEBVTT` header", "a blank line"),
            ("WEBVTTX\n", 1, "a `WEBVTT` header", "`WEBVTTX`"),
            (
                "1\n00:00:01.000 --> 00:00:02.000\nhi\n",
                1,
                "a `WEBVTT` header",
                "`1`",
            ),
            (
                "WEBVTT\n00:00:01.000 --> 00:00:02.000\nhi\n",
                2,
                "a blank line between the header and the first cue",
                "`00:00:01.000 --> 00:00:02.000`",
            ),
            (
                "WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nhi\n\n2\n\n",
                8,
                VTT_TIMING_EXPECTED,
                "a blank line or the end of the input",
            ),
            (
                "WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nhi\n\n2\n00:00:01 -> 4\nhi\n",
                8,
                VTT_TIMING_EXPECTED,
                "`00:00:01 -> 4`",
            ),
            (
                "WEBVTT\n\n00:00:05.000 --> 00:00:02.000\nhi\n",
                3,
                END_AFTER_START_EXPECTED,
                "`00:00:05.000 --> 00:00:02.000`",
            ),
        ];
        for (input, line, expected, found) in cases {
            let err = read(input).unwrap_err();
            assert_eq!(
                err,
                ReadError {
                    line,
                    expected: expected.into(),
                    found: found.into()
                },
                "{input:?}"
            );
        }
    }

    #[test]
    fn error_messages_do_not_repeat_long_lines() {
        let secret = "x".repeat(500);
        let err = read(&format!("WEBVTT\n\n1\n{secret} --> y\n")).unwrap_err();
        assert_eq!(err.line, 4);
        assert!(err.to_string().len() < 200, "{err}");
    }

    #[test]
    fn crlf_line_endings_read_like_lf() {
        let lf = "WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\n<v Ama>hi\nthere\n";
        assert_eq!(read(&lf.replace('\n', "\r\n")), read(lf));
    }
}
