//! Coded utterances of a session turned into the process events the observer tally records,
//! so a coded transcript and a live tally feed the same session measures.

use domain::{EventSource, Intensity, MemberId, ProcessCode, ProcessEvent, SessionId, Target};
use jiff::{SignedDuration, Timestamp};

use crate::coder::CodedUtterance;
use crate::transcript::Utterance;

/// Scores at or above these give intensity 2 and 3 (below, a decided code is intensity 1).
const MODERATE: f32 = 0.75;
const STRONG: f32 = 0.9;

/// One event per decided code of each utterance, in transcript order.
///
/// `member_of` maps a speaker label to a member (facilitators and unknown speakers map to
/// `None`); `session_start`, when known, dates each event from its utterance's start time.
pub fn process_events<'a>(
    session_id: SessionId,
    coded: impl IntoIterator<Item = (&'a Utterance, &'a CodedUtterance)>,
    member_of: impl Fn(&str) -> Option<MemberId>,
    session_start: Option<Timestamp>,
) -> Vec<ProcessEvent> {
    let mut events = Vec::new();
    for (utterance, result) in coded {
        let member_id = utterance.speaker.as_deref().and_then(&member_of);
        let at = match (session_start, utterance.start_ms) {
            (Some(start), Some(ms)) => i64::try_from(ms)
                .ok()
                .and_then(|ms| start.checked_add(SignedDuration::from_millis(ms)).ok()),
            (Some(start), None) => Some(start),
            (None, _) => None,
        };
        for code in result.codes() {
            events.push(ProcessEvent {
                session_id,
                member_id,
                speaker: utterance.speaker.clone(),
                code,
                target: target_of(code),
                intensity: intensity_of(code, result.score(code)),
                source: EventSource::Transcript,
                utterance_index: u32::try_from(utterance.index).ok(),
                at,
            });
        }
    }
    events
}

/// Whom a code is aimed at when the code itself says so; otherwise unknown to the coder.
fn target_of(code: ProcessCode) -> Option<Target> {
    match code {
        ProcessCode::Disclosure | ProcessCode::Emotion => Some(Target::SelfTarget),
        _ => None,
    }
}

/// Safety is always strong (it goes to a person); other codes grade by their score.
fn intensity_of(code: ProcessCode, score: f32) -> Intensity {
    let level = if code == ProcessCode::Safety || score >= STRONG {
        3
    } else if score >= MODERATE {
        2
    } else {
        1
    };
    Intensity::new(level).unwrap_or(Intensity::MILD)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classifier::model::MODEL_CODES;
    use crate::corpus::Task;
    use crate::rules::RuleFindings;

    fn coded(decisions: &[(ProcessCode, f32)]) -> CodedUtterance {
        let mut result = CodedUtterance {
            scores: [0.0; 14],
            decided: [false; 14],
            rule_findings: RuleFindings::default(),
            leading_heads: [(ProcessCode::Hostility, Task::GoemoHostility); MODEL_CODES.len()],
        };
        for (code, score) in decisions {
            let i = ProcessCode::ALL.iter().position(|c| c == code).unwrap();
            result.scores[i] = *score;
            result.decided[i] = true;
        }
        result
    }

    fn utterance(index: usize, speaker: &str, start_ms: Option<u64>) -> Utterance {
        Utterance {
            index,
            speaker: Some(speaker.to_owned()),
            text: "…".into(),
            start_ms,
            end_ms: None,
        }
    }

    #[test]
    fn each_decided_code_becomes_one_transcript_event_with_the_mapped_member() {
        let utterances = [
            utterance(0, "Ann", Some(1_500)),
            utterance(1, "Leader", None),
        ];
        let results = [
            coded(&[(ProcessCode::Hostility, 0.95), (ProcessCode::Judgment, 0.6)]),
            coded(&[(ProcessCode::Facilitation, 0.8)]),
        ];
        let start: Timestamp = "2026-03-01T18:00:00Z".parse().unwrap();
        let member_of = |speaker: &str| (speaker == "Ann").then_some(MemberId(7));
        let events = process_events(
            SessionId(3),
            utterances.iter().zip(&results),
            member_of,
            Some(start),
        );
        assert_eq!(events.len(), 3);
        let hostility = &events[0];
        assert_eq!(hostility.code, ProcessCode::Hostility);
        assert_eq!(hostility.member_id, Some(MemberId(7)));
        assert_eq!(hostility.session_id, SessionId(3));
        assert_eq!(hostility.source, EventSource::Transcript);
        assert_eq!(hostility.intensity.get(), 3);
        assert_eq!(hostility.utterance_index, Some(0));
        assert_eq!(
            hostility.at,
            Some("2026-03-01T18:00:01.5Z".parse().unwrap())
        );
        assert_eq!(events[1].intensity.get(), 1);
        let leader = &events[2];
        assert_eq!(leader.member_id, None);
        assert_eq!(leader.speaker.as_deref(), Some("Leader"));
        assert_eq!(leader.intensity.get(), 2);
        assert_eq!(leader.at, Some(start));
    }

    #[test]
    fn safety_is_always_strong_and_feelings_are_about_oneself() {
        let utterances = [utterance(4, "Bo", None)];
        let results = [coded(&[
            (ProcessCode::Emotion, 0.55),
            (ProcessCode::Safety, 1.0),
        ])];
        let events = process_events(
            SessionId(1),
            utterances.iter().zip(&results),
            |_| None,
            None,
        );
        let emotion = events
            .iter()
            .find(|e| e.code == ProcessCode::Emotion)
            .unwrap();
        assert_eq!(emotion.target, Some(Target::SelfTarget));
        assert_eq!(emotion.at, None);
        let safety = events
            .iter()
            .find(|e| e.code == ProcessCode::Safety)
            .unwrap();
        assert_eq!(safety.intensity.get(), 3);
    }

    #[test]
    fn an_utterance_with_no_codes_gives_no_events() {
        let utterances = [utterance(0, "Ann", None)];
        let results = [coded(&[])];
        assert!(
            process_events(
                SessionId(1),
                utterances.iter().zip(&results),
                |_| None,
                None
            )
            .is_empty()
        );
    }
}
