//! Plain transcripts: `Speaker: text` lines (see [`super::speaker`] for what counts as a
//! label).
//!
//! - A line with a label starts a new turn.
//! - An indented line always continues the previous turn.
//! - An unprefixed line continues the previous turn, unless a blank line came between: then
//!   it starts a turn with no speaker (as does text before the first label).
//!
//! Continuations join with one space. Turns whose text cleans to nothing are dropped.
//! Any text is a valid plain transcript, so this reader never fails.

use super::blocks::is_blank;
use super::clean::clean_text;
use super::cue::append;
use super::speaker::split_speaker;
use super::{Utterance, number_non_empty};

pub fn read(input: &str) -> Vec<Utterance> {
    let input = input.strip_prefix('\u{feff}').unwrap_or(input);
    let mut turns = Vec::new();
    let mut current: Option<Utterance> = None;
    let mut after_blank = false;
    for line in input.lines() {
        if is_blank(line) {
            after_blank = true;
            continue;
        }
        let indented = line.starts_with(char::is_whitespace);
        let cleaned = clean_text(line);
        let (speaker, text) = match split_speaker(&cleaned) {
            Some((label, text)) if !indented => (Some(label.to_owned()), text.to_owned()),
            _ => (None, cleaned),
        };
        let continues = speaker.is_none() && (indented || !after_blank);
        match current.as_mut() {
            Some(turn) if continues => append(turn, &text),
            _ => {
                turns.extend(current.take());
                current = Some(turn(speaker, text));
            }
        }
        after_blank = false;
    }
    turns.extend(current);
    number_non_empty(turns)
}

fn turn(speaker: Option<String>, text: String) -> Utterance {
    Utterance {
        index: 0,
        speaker,
        text,
        start_ms: None,
        end_ms: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn turns(input: &str) -> Vec<(Option<String>, String)> {
        read(input)
            .into_iter()
            .map(|u| (u.speaker, u.text))
            .collect()
    }

    fn said(speaker: Option<&str>, text: &str) -> (Option<String>, String) {
        (speaker.map(str::to_owned), text.to_owned())
    }

    #[test]
    fn reads_turns_and_continuations() {
        let input = "Ama: I wasn't going to come.\n   The bus was late\nand I nearly turned back.\nKofi: Glad you did.\n";
        assert_eq!(
            turns(input),
            [
                said(
                    Some("Ama"),
                    "I wasn't going to come. The bus was late and I nearly turned back."
                ),
                said(Some("Kofi"), "Glad you did."),
            ]
        );
    }

    #[test]
    fn indented_lines_continue_even_after_a_blank_line() {
        let input = "Ama: first\n\n    Kofi: quoted inside Ama's turn\n";
        assert_eq!(
            turns(input),
            [said(Some("Ama"), "first Kofi: quoted inside Ama's turn")]
        );
    }

    #[test]
    fn unprefixed_text_after_a_blank_line_has_no_speaker() {
        let input = "Heading line\nAma: hi\n\nRoom goes quiet.\nKofi: ok";
        assert_eq!(
            turns(input),
            [
                said(None, "Heading line"),
                said(Some("Ama"), "hi"),
                said(None, "Room goes quiet."),
                said(Some("Kofi"), "ok"),
            ]
        );
    }

    #[test]
    fn notes_and_times_do_not_become_speakers() {
        let input = "Ama: we said 10:30\nNote: she arrived late\n";
        assert_eq!(
            turns(input),
            [said(Some("Ama"), "we said 10:30 Note: she arrived late")]
        );
    }

    #[test]
    fn empty_turns_are_dropped_and_indices_follow_the_output() {
        let got = read("Ama:\nKofi: <i></i>\nSam: hello\n");
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].index, 0);
        assert_eq!(got[0].speaker.as_deref(), Some("Sam"));
    }

    #[test]
    fn label_with_its_text_on_the_next_line() {
        assert_eq!(
            turns("Ama:\nI wasn't sure.\n"),
            [said(Some("Ama"), "I wasn't sure.")]
        );
    }

    fn speaker_name() -> impl Strategy<Value = String> {
        "[A-Z][a-z]{1,9}( [A-Z][a-z]{1,9}){0,2}"
            .prop_filter("a heading word is not a name", |name| {
                super::super::speaker::is_speaker_label(name)
            })
    }

    fn spoken_text() -> impl Strategy<Value = String> {
        prop::collection::vec("[a-zA-Z0-9'’,.?!:éü-]{1,8}", 1..12).prop_map(|words| words.join(" "))
    }

    proptest! {
        #[test]
        fn written_turns_read_back(
            said in prop::collection::vec((speaker_name(), spoken_text()), 0..20)
        ) {
            let written: String = said
                .iter()
                .map(|(speaker, text)| format!("{speaker}: {text}\n"))
                .collect();
            let got: Vec<(String, String)> = read(&written)
                .into_iter()
                .map(|u| (u.speaker.unwrap_or_default(), u.text))
                .collect();
            prop_assert_eq!(got, said);
        }
    }
}
