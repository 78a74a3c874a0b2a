//! SubRip (SRT): numbered blocks, a `00:00:01,000 --> 00:00:04,000` timing line, then the
//! subtitle text, whose lines may start with a `Speaker:` prefix (see [`super::cue`]).
//! `<i>`, `<font>` tags and `{\an8}` codes are stripped. A block whose number is missing but
//! whose first line is a timing is accepted.

use super::blocks::blocks;
use super::cue::{VoiceTags, push_cue, read_cue_timing};
use super::timecode::SRT_TIMING_EXPECTED;
use super::{ReadError, Utterance, number_non_empty};

const NUMBER_EXPECTED: &str = "a subtitle number";

pub fn read(input: &str) -> Result<Vec<Utterance>, ReadError> {
    let mut subtitles = Vec::new();
    for block in blocks(input) {
        let Some((first, rest)) = block.split_first() else {
            continue;
        };
        let (timing_line, text_lines) = if is_subtitle_number(first.text) {
            rest.split_first().ok_or_else(|| {
                ReadError::describing(
                    first.number + 1,
                    SRT_TIMING_EXPECTED,
                    "a blank line or the end of the input",
                )
            })?
        } else if first.text.contains("-->") {
            (first, rest)
        } else {
            return Err(ReadError::quoting(
                first.number,
                NUMBER_EXPECTED,
                first.text,
            ));
        };
        let times = read_cue_timing(timing_line, SRT_TIMING_EXPECTED)?;
        push_cue(&mut subtitles, text_lines, times, VoiceTags::Ignore);
    }
    Ok(number_non_empty(subtitles))
}

fn is_subtitle_number(line: &str) -> bool {
    let line = line.trim();
    !line.is_empty() && line.bytes().all(|b| b.is_ascii_digit())
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
    fn reads_numbered_blocks_with_speakers_and_markup() {
        let input = "\u{feff}1\r\n00:00:01,000 --> 00:00:04,000\r\nAma: I <i>nearly</i> didn't\r\ncome.\r\n\r\n\
            2\r\n00:00:04,500 --> 00:00:06,000 X1:10 X2:20\r\n{\\an8}<font color=\"#fff\">Kofi:</font> Glad &amp; relieved.\r\n";
        assert_eq!(
            said(input),
            [
                timed(Some("Ama"), "I nearly didn't come.", 1_000, 4_000),
                timed(Some("Kofi"), "Glad & relieved.", 4_500, 6_000),
            ]
        );
    }

    #[test]
    fn accepts_a_block_without_its_number_and_extra_blank_lines() {
        let input = "\n\n00:00:01,000 --> 00:00:02,000\nhello\n\n\n\n2\n00:00:03,000 --> 00:00:04,000\nagain\n";
        assert_eq!(
            said(input),
            [
                timed(None, "hello", 1_000, 2_000),
                timed(None, "again", 3_000, 4_000)
            ]
        );
    }

    #[test]
    fn empty_input_is_an_empty_transcript() {
        assert!(said("").is_empty());
    }

    #[test]
    fn errors_name_the_line_and_what_was_expected() {
        let cases = [
            (
                "1\n",
                2,
                SRT_TIMING_EXPECTED,
                "a blank line or the end of the input",
            ),
            (
                "1\n00:00:01,000 --> 00:00:02,000\nhi\n\nstray text\n",
                5,
                NUMBER_EXPECTED,
                "`stray text`",
            ),
            (
                "1\n00:00:01,000 --> 00:00:02,000\nhi\n\n2\n00:00:01 -> 4\n",
                6,
                SRT_TIMING_EXPECTED,
                "`00:00:01 -> 4`",
            ),
            (
                "1\n00:00:03,000 --> 00:00:02,000\nhi\n",
                2,
                END_AFTER_START_EXPECTED,
                "`00:00:03,000 --> 00:00:02,000`",
            ),
        ];
        for (input, line, expected, found) in cases {
            assert_eq!(
                read(input).unwrap_err(),
                ReadError {
                    line,
                    expected: expected.into(),
                    found: found.into()
                },
                "{input:?}"
            );
        }
    }
}
