//! The readers against the team's sample session, written in all four formats, and
//! properties every reader keeps on any input.

use circlework_coding::transcript::{EXCERPT_CHARS, TranscriptFormat, Utterance, read};
use proptest::prelude::*;

const SAMPLE_TXT: &str = include_str!("fixtures/sample-session.txt");
const SAMPLE_VTT: &str = include_str!("fixtures/sample-session.vtt");
const SAMPLE_SRT: &str = include_str!("fixtures/sample-session.srt");
const SAMPLE_CSV: &str = include_str!("fixtures/sample-session.csv");

const SAMPLES: [(TranscriptFormat, &str); 4] = [
    (TranscriptFormat::Plain, SAMPLE_TXT),
    (TranscriptFormat::Vtt, SAMPLE_VTT),
    (TranscriptFormat::Srt, SAMPLE_SRT),
    (TranscriptFormat::Csv, SAMPLE_CSV),
];

/// Reads a sample; the error names the format, to be unwrapped by the test.
fn read_sample(format: TranscriptFormat, input: &str) -> Result<Vec<Utterance>, String> {
    read(format, input).map_err(|err| format!("{format}: {err}"))
}

fn speakers_and_texts(utterances: &[Utterance]) -> Vec<(Option<&str>, &str)> {
    utterances
        .iter()
        .map(|u| (u.speaker.as_deref(), u.text.as_str()))
        .collect()
}

fn times(utterances: &[Utterance]) -> Vec<(Option<u64>, Option<u64>)> {
    utterances.iter().map(|u| (u.start_ms, u.end_ms)).collect()
}

#[test]
fn all_four_formats_read_into_the_same_speakers_and_texts() {
    let plain = read_sample(TranscriptFormat::Plain, SAMPLE_TXT).unwrap();
    for (format, input) in SAMPLES {
        let got = read_sample(format, input).unwrap();
        assert_eq!(
            speakers_and_texts(&got),
            speakers_and_texts(&plain),
            "{format} differs from plain"
        );
    }
}

#[test]
fn timed_formats_agree_on_every_time_and_plain_has_none() {
    let vtt = read_sample(TranscriptFormat::Vtt, SAMPLE_VTT).unwrap();
    assert!(
        vtt.iter()
            .all(|u| matches!((u.start_ms, u.end_ms), (Some(s), Some(e)) if s <= e))
    );
    for (format, input) in [
        (TranscriptFormat::Srt, SAMPLE_SRT),
        (TranscriptFormat::Csv, SAMPLE_CSV),
    ] {
        assert_eq!(
            times(&read_sample(format, input).unwrap()),
            times(&vtt),
            "{format}"
        );
    }
    let plain = read_sample(TranscriptFormat::Plain, SAMPLE_TXT).unwrap();
    assert!(
        plain
            .iter()
            .all(|u| u.start_ms.is_none() && u.end_ms.is_none())
    );
}

#[test]
fn sample_session_reads_as_a_facilitator_and_five_members() {
    let plain = read_sample(TranscriptFormat::Plain, SAMPLE_TXT).unwrap();
    assert_eq!(plain.len(), 26);
    assert!(plain.iter().enumerate().all(|(at, u)| u.index == at));
    let mut speakers: Vec<&str> = plain.iter().filter_map(|u| u.speaker.as_deref()).collect();
    speakers.sort_unstable();
    speakers.dedup();
    assert_eq!(
        speakers,
        ["Callum", "Facilitator", "Idris", "Noor", "Tove", "Wren"]
    );
    // Both continuation styles (indented and unprefixed) joined their turns.
    assert!(
        plain[0]
            .text
            .ends_with("arriving tonight. Pass if you need to; that is allowed here.")
    );
    assert!(
        plain[13].text.ends_with(
            "Three weeks now. I keep thinking that if I say it out loud it becomes true."
        )
    );
}

#[test]
fn markup_and_entities_are_gone_from_every_format() {
    for (format, input) in SAMPLES {
        let got = read_sample(format, input).unwrap();
        let all_text: String = got.iter().map(|u| u.text.as_str()).collect();
        for leftover in ["<", ">", "&amp;", "{\\", "</v>"] {
            assert!(!all_text.contains(leftover), "{format} kept {leftover}");
        }
        assert!(
            all_text.contains("the parking & the broken heater"),
            "{format}"
        );
        assert!(all_text.contains("sounded really angry"), "{format}");
    }
}

/// Invariants every reader keeps on whatever it accepts.
fn check_invariants(format: TranscriptFormat, input: &str) -> Result<(), TestCaseError> {
    match read(format, input) {
        Ok(utterances) => {
            for (at, u) in utterances.iter().enumerate() {
                prop_assert_eq!(u.index, at);
                prop_assert_eq!(u.text.trim(), u.text.as_str());
                prop_assert!(!u.text.chars().any(char::is_control));
                if format != TranscriptFormat::Lines {
                    prop_assert!(!u.text.is_empty());
                }
                if let (Some(start), Some(end)) = (u.start_ms, u.end_ms) {
                    prop_assert!(start <= end);
                }
            }
            if format == TranscriptFormat::Lines {
                prop_assert_eq!(utterances.len(), input.lines().count());
            }
        }
        Err(err) => {
            prop_assert!(err.line >= 1);
            // Backticks, an ellipsis and a short description at most around the excerpt.
            prop_assert!(
                err.found.chars().count() <= EXCERPT_CHARS + 20,
                "{}",
                err.found
            );
        }
    }
    Ok(())
}

/// Text built from the pieces the readers look for, so generated inputs reach deep paths.
fn transcript_like() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("WEBVTT\n".to_owned()),
        Just("\n\n".to_owned()),
        Just("\r\n".to_owned()),
        Just("NOTE ".to_owned()),
        Just("00:00:01.000 --> 00:00:02.000\n".to_owned()),
        Just("00:00:01,000 --> 00:00:02,000 X1:4\n".to_owned()),
        Just(" --> ".to_owned()),
        Just("1\n".to_owned()),
        Just("<v Ama>".to_owned()),
        Just("<v.loud ".to_owned()),
        Just("</v>".to_owned()),
        Just("<i>".to_owned()),
        Just("{\\an8}".to_owned()),
        Just("&amp;".to_owned()),
        Just("&#x".to_owned()),
        Just("Kofi: ".to_owned()),
        Just("\"".to_owned()),
        Just(",".to_owned()),
        Just("speaker,text,start,end\n".to_owned()),
        Just("\u{feff}".to_owned()),
        "[0-9:.,>< -]{0,12}",
        any::<String>(),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
}

/// A sample transcript with a few characters inserted at random places.
fn mutated_sample() -> impl Strategy<Value = (TranscriptFormat, String)> {
    let edits = prop::collection::vec((any::<prop::sample::Index>(), any::<char>()), 1..8);
    (prop::sample::select(SAMPLES.to_vec()), edits).prop_map(|((format, text), edits)| {
        let mut chars: Vec<char> = text.chars().collect();
        for (at, c) in edits {
            let at = at.index(chars.len() + 1);
            chars.insert(at, c);
        }
        (format, chars.into_iter().collect())
    })
}

proptest! {
    #[test]
    fn no_reader_panics_on_arbitrary_text(input in any::<String>()) {
        for format in TranscriptFormat::ALL {
            check_invariants(format, &input)?;
        }
    }

    #[test]
    fn no_reader_panics_on_transcript_like_text(input in transcript_like()) {
        for format in TranscriptFormat::ALL {
            check_invariants(format, &input)?;
        }
    }

    #[test]
    fn no_reader_panics_on_a_damaged_sample((format, input) in mutated_sample()) {
        check_invariants(format, &input)?;
        check_invariants(TranscriptFormat::Lines, &input)?;
    }
}
