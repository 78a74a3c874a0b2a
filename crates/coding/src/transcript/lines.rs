//! The evaluation contract: one utterance per input line, in order, no speaker parsing.
//! Empty lines stay as empty utterances so outputs line up with inputs.

use super::Utterance;
use super::clean::clean_text;

/// One utterance per line of `input` (`\n` or `\r\n` ends a line; a final newline does not
/// start another line). Never fails.
pub fn read(input: &str) -> Vec<Utterance> {
    input
        .lines()
        .enumerate()
        .map(|(index, line)| Utterance {
            index,
            speaker: None,
            text: clean_text(line),
            start_ms: None,
            end_ms: None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn texts(input: &str) -> Vec<String> {
        read(input).into_iter().map(|u| u.text).collect()
    }

    #[test]
    fn keeps_every_line_including_empty_ones() {
        assert_eq!(
            texts("\u{feff}Ama: hello\n\n  <i>quiet</i>  \r\nlast"),
            ["Ama: hello", "", "quiet", "last"]
        );
        let indices: Vec<usize> = read("a\n\nb\n").iter().map(|u| u.index).collect();
        assert_eq!(indices, [0, 1, 2]);
    }

    #[test]
    fn never_parses_speakers_or_times() {
        let got = read("Ama: hello\n00:00:01.000 --> 00:00:02.000");
        assert!(
            got.iter()
                .all(|u| u.speaker.is_none() && u.start_ms.is_none())
        );
        assert_eq!(got.len(), 2);
    }

    #[test]
    fn empty_input_has_no_utterances() {
        assert!(read("").is_empty());
    }

    proptest! {
        #[test]
        fn one_utterance_per_input_line(input in any::<String>()) {
            prop_assert_eq!(read(&input).len(), input.lines().count());
        }

        #[test]
        fn rereading_written_lines_gives_the_same_utterances(input in any::<String>()) {
            let first = read(&input);
            let written: String = first.iter().map(|u| format!("{}\n", u.text)).collect();
            prop_assert_eq!(read(&written), first);
        }
    }
}
