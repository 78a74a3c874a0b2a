//! Turns the text lines of one caption cue (WebVTT or SRT) into utterances.
//!
//! A line names its speaker with a WebVTT voice tag (`<v Ama>`, `<v.loud Ama>`) or a
//! `Speaker:` prefix (as Zoom-style exports write it). A line that names a different speaker
//! than the one before starts a new utterance with the same cue times; a line that names
//! none continues the current one. Cues are never merged: two cues of the same speaker
//! stay two utterances, each with its own times.

use super::blocks::NumberedLine;
use super::clean::{clean_text, closing_byte};
use super::speaker::split_speaker;
use super::timecode::{END_AFTER_START_EXPECTED, parse_cue_timing};
use super::{ReadError, Utterance};

/// Whether a cue's lines may carry WebVTT voice tags (SRT has none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VoiceTags {
    Read,
    Ignore,
}

/// Appends the utterances of one cue, timed `start_ms..end_ms`, to `out`.
pub fn push_cue(
    out: &mut Vec<Utterance>,
    text_lines: &[NumberedLine<'_>],
    (start_ms, end_ms): (u64, u64),
    voice_tags: VoiceTags,
) {
    let mut current: Option<Utterance> = None;
    for line in text_lines {
        let voice = match voice_tags {
            VoiceTags::Read => voice_of(line.text),
            VoiceTags::Ignore => None,
        };
        let cleaned = clean_text(line.text);
        let (speaker, text) = match voice {
            Some(voice) => (Some(voice), cleaned),
            None => match split_speaker(&cleaned) {
                Some((label, text)) => (Some(label.to_owned()), text.to_owned()),
                None => (None, cleaned),
            },
        };
        match current.as_mut() {
            Some(turn) if speaker.is_none() || speaker == turn.speaker => append(turn, &text),
            _ => {
                out.extend(current.take());
                current = Some(Utterance {
                    index: 0,
                    speaker,
                    text,
                    start_ms: Some(start_ms),
                    end_ms: Some(end_ms),
                });
            }
        }
    }
    out.extend(current);
}

/// Adds a continuation to a turn's text, one space between.
pub fn append(turn: &mut Utterance, text: &str) {
    if text.is_empty() {
        return;
    }
    if !turn.text.is_empty() {
        turn.text.push(' ');
    }
    turn.text.push_str(text);
}

/// The speaker named by the first voice tag in `line`: `<v Ama>` or `<v.class Ama Boateng>`.
fn voice_of(line: &str) -> Option<String> {
    line.match_indices("<v").find_map(|(at, _)| {
        let tag = line.get(at..)?;
        let close = closing_byte(tag, b'>')?;
        let inner = tag.get(2..close)?;
        let annotation = match inner.strip_prefix('.') {
            Some(classes) => classes.split_once(char::is_whitespace)?.1,
            None => inner.strip_prefix(char::is_whitespace)?,
        };
        let name = clean_text(annotation);
        (!name.is_empty()).then_some(name)
    })
}

/// Reads a cue's timing line; `expected` describes the format's timing for the error.
pub fn read_cue_timing(line: &NumberedLine<'_>, expected: &str) -> Result<(u64, u64), ReadError> {
    let (start, end) = parse_cue_timing(line.text)
        .ok_or_else(|| ReadError::quoting(line.number, expected, line.text))?;
    if end < start {
        return Err(ReadError::quoting(
            line.number,
            END_AFTER_START_EXPECTED,
            line.text,
        ));
    }
    Ok((start, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbered(texts: &[&'static str]) -> Vec<NumberedLine<'static>> {
        texts
            .iter()
            .enumerate()
            .map(|(at, text)| NumberedLine {
                number: at + 1,
                text,
            })
            .collect()
    }

    fn turns(texts: &[&'static str], voice_tags: VoiceTags) -> Vec<(Option<String>, String)> {
        let mut out = Vec::new();
        push_cue(&mut out, &numbered(texts), (1_000, 2_000), voice_tags);
        assert!(
            out.iter()
                .all(|u| u.start_ms == Some(1_000) && u.end_ms == Some(2_000))
        );
        out.into_iter().map(|u| (u.speaker, u.text)).collect()
    }

    fn turn(speaker: Option<&str>, text: &str) -> (Option<String>, String) {
        (speaker.map(str::to_owned), text.to_owned())
    }

    #[test]
    fn voice_tags_name_the_speaker() {
        assert_eq!(voice_of("<v Ama>hi"), Some("Ama".into()));
        assert_eq!(
            voice_of("<v.loud.red Ama  Boateng>hi</v>"),
            Some("Ama Boateng".into())
        );
        assert_eq!(voice_of("<c.x><v Kofi>hi"), Some("Kofi".into()));
        assert_eq!(voice_of("<v>no name"), None);
        assert_eq!(voice_of("<very>odd"), None);
        assert_eq!(voice_of("<v Ama"), None);
        assert_eq!(voice_of("<v<v Ama>x"), Some("Ama".into()));
    }

    #[test]
    fn lines_without_a_speaker_continue_the_turn() {
        let got = turns(&["<v Ama>I came", "anyway."], VoiceTags::Read);
        assert_eq!(got, vec![turn(Some("Ama"), "I came anyway.")]);
    }

    #[test]
    fn a_new_speaker_starts_a_new_utterance_with_the_same_times() {
        let got = turns(&["Ama: yes", "Kofi: no", "Kofi: never"], VoiceTags::Ignore);
        assert_eq!(
            got,
            vec![turn(Some("Ama"), "yes"), turn(Some("Kofi"), "no never")]
        );
    }

    #[test]
    fn voice_tags_are_plain_text_markup_when_ignored() {
        let got = turns(&["<v Ama>yes"], VoiceTags::Ignore);
        assert_eq!(got, vec![turn(None, "yes")]);
    }
}
