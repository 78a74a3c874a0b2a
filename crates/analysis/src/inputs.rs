//! From stored evidence to the engine's plain inputs: which sessions are analysed, each
//! member's presence, own climate scores and talk, each session's process-code counts and
//! outcome scores, the risk answers and `safety` events. Pure.

use std::collections::{BTreeSet, HashMap};

use alerts::{InstrumentRule, RiskAnswer, SafetyEvent};
use domain::{EventSource, MemberId, ProcessCode, Session, SessionId, SessionStatus};
use jiff::tz::TimeZone;
use stages::Climate;
use stages::features::{
    MemberSession, OutcomeScore, Presence, ProcessBasis, ProcessCounts, SessionInput,
};
use store::StoredEvent;

use crate::{GroupEvidence, instrument_rules};

/// The instrument whose subscales are the group climate the stage model reads.
pub const CLIMATE_INSTRUMENT: &str = "gcqs";

/// The engine's inputs for one group, aligned by position: `inputs[i]` is `sessions[i]`,
/// member indexes are positions in `members`, instrument indexes positions in `instruments`.
#[derive(Debug, Clone, PartialEq)]
pub struct EngineInputs {
    /// Everyone ever on the roster, by member id.
    pub members: Vec<MemberId>,
    /// The analysed sessions, in number order: held ones, and any other (not cancelled)
    /// that already has evidence (answers taken before the session was marked held).
    pub sessions: Vec<Session>,
    pub inputs: Vec<SessionInput>,
    pub instruments: Vec<InstrumentRule>,
    pub risk_answers: Vec<RiskAnswer>,
    pub safety_events: Vec<SafetyEvent>,
}

impl EngineInputs {
    /// The session with a number, among the analysed ones.
    pub fn session(&self, number: u32) -> Option<&Session> {
        self.sessions.iter().find(|s| s.number == number)
    }
}

/// The engine's inputs from a group's stored evidence.
pub fn engine_inputs(evidence: &GroupEvidence) -> EngineInputs {
    let zone = TimeZone::get(&evidence.settings.time_zone).unwrap_or(TimeZone::UTC);
    let members: Vec<MemberId> = evidence
        .roster
        .iter()
        .map(|entry| entry.member.id)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let member_index: HashMap<MemberId, usize> =
        members.iter().enumerate().map(|(i, m)| (*m, i)).collect();

    let mut with_evidence: BTreeSet<SessionId> = BTreeSet::new();
    with_evidence.extend(evidence.attendance.iter().map(|m| m.session_id));
    with_evidence.extend(evidence.responses.iter().map(|r| r.session_id));
    with_evidence.extend(evidence.process.events.iter().map(|e| e.event.session_id));
    with_evidence.extend(evidence.process.transcripts.iter().map(|(s, _)| *s));
    let mut sessions: Vec<Session> = evidence
        .sessions
        .iter()
        .filter(|s| {
            s.status == SessionStatus::Held
                || (s.status != SessionStatus::Cancelled && with_evidence.contains(&s.id))
        })
        .cloned()
        .collect();
    sessions.sort_by_key(|s| s.number);
    let position: HashMap<SessionId, usize> = sessions
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id, i))
        .collect();

    let instruments = instrument_rules(&evidence.registry, &evidence.responses);
    let mut inputs: Vec<SessionInput> = sessions
        .iter()
        .map(|s| SessionInput {
            number: s.number,
            members: vec![MemberSession::default(); members.len()],
            process: None,
            outcomes: Vec::new(),
        })
        .collect();
    let slot = |session: SessionId, member: MemberId| {
        Some((*position.get(&session)?, *member_index.get(&member)?))
    };

    // On the roster on the session's local date.
    for (input, session) in inputs.iter_mut().zip(&sessions) {
        let day = session.scheduled_at.to_zoned(zone.clone()).date();
        for entry in &evidence.roster {
            if entry.enrollment.is_active_on(day)
                && let Some(m) = member_index
                    .get(&entry.member.id)
                    .and_then(|i| input.members.get_mut(*i))
            {
                m.enrolled = true;
            }
        }
    }
    for mark in &evidence.attendance {
        if let Some((p, m)) = slot(mark.session_id, mark.member_id)
            && let Some(member) = inputs.get_mut(p).and_then(|i| i.members.get_mut(m))
        {
            // A mark means the member was expected: on the roster then.
            member.enrolled = true;
            member.presence = Some(Presence::from_status(mark.status));
        }
    }

    let mut risk_answers = Vec::new();
    for response in &evidence.responses {
        let Some((p, m)) = slot(response.session_id, response.member_id) else {
            continue;
        };
        let Some(def) = evidence
            .registry
            .version(&response.instrument, response.version)
        else {
            continue;
        };
        let number = sessions.get(p).map_or(0, |s| s.number);
        for risk in measures::risk_answers(def, &response.answers) {
            risk_answers.push(RiskAnswer {
                session: number,
                member: m,
                instrument: response.instrument.clone(),
                item: u32::from(risk.item),
                value: f64::from(risk.value),
                lowest: def.item(risk.item).map_or(0.0, |item| f64::from(item.min)),
            });
        }
        let Ok(score) = measures::score(def, &response.answers) else {
            continue;
        };
        let Some(input) = inputs.get_mut(p) else {
            continue;
        };
        if let Some(member) = input.members.get_mut(m) {
            member.enrolled = true;
        }
        if response.instrument == CLIMATE_INSTRUMENT {
            if let Some(member) = input.members.get_mut(m) {
                member.climate = Climate {
                    engaged: score.value("engaged"),
                    avoiding: score.value("avoiding"),
                    conflict: score.value("conflict"),
                };
            }
            continue;
        }
        for (index, rule) in instruments.iter().enumerate() {
            if rule.id == response.instrument
                && let Some(value) = score.value(&rule.scale)
            {
                input.outcomes.push(OutcomeScore {
                    instrument: index,
                    member: m,
                    score: value,
                });
            }
        }
    }

    let safety_events = process_inputs(evidence, &position, &member_index, &sessions, &mut inputs);
    EngineInputs {
        members,
        sessions,
        inputs,
        instruments,
        risk_answers,
        safety_events,
    }
}

/// Fills each session's process counts, talk and hostility aimed at members; returns the
/// `safety` events. A coded transcript is the session's basis (per 100 utterances); without
/// one, the observer's tally is (per 100 tallied events); without either, no process data.
fn process_inputs(
    evidence: &GroupEvidence,
    position: &HashMap<SessionId, usize>,
    member_index: &HashMap<MemberId, usize>,
    sessions: &[Session],
    inputs: &mut [SessionInput],
) -> Vec<SafetyEvent> {
    let mut by_session: Vec<Vec<&StoredEvent>> = vec![Vec::new(); inputs.len()];
    for stored in &evidence.process.events {
        if let Some(list) = position
            .get(&stored.event.session_id)
            .and_then(|p| by_session.get_mut(*p))
        {
            list.push(stored);
        }
    }
    let transcripts: HashMap<SessionId, &store::TranscriptCounts> = evidence
        .process
        .transcripts
        .iter()
        .map(|(s, counts)| (*s, counts))
        .collect();
    let mut safety = Vec::new();
    for ((input, session), events) in inputs.iter_mut().zip(sessions).zip(&by_session) {
        let transcript = transcripts.get(&session.id);
        let source = if transcript.is_some() {
            EventSource::Transcript
        } else {
            EventSource::Tally
        };
        let counted: Vec<&StoredEvent> = events
            .iter()
            .copied()
            .filter(|e| e.event.source == source)
            .collect();
        let mut talk: Vec<Option<u32>> = vec![None; input.members.len()];
        let process = match transcript {
            Some(counts) => {
                for (member, n) in &counts.talk {
                    if let Some(slot) = member_index.get(member).and_then(|i| talk.get_mut(*i)) {
                        *slot = Some(*n);
                    }
                }
                Some(ProcessCounts::new(
                    ProcessBasis::Utterances,
                    counts.utterances,
                ))
            }
            None if !counted.is_empty() => {
                for stored in &counted {
                    if let Some(slot) = stored
                        .event
                        .member_id
                        .and_then(|m| member_index.get(&m))
                        .and_then(|i| talk.get_mut(*i))
                    {
                        *slot = Some(slot.unwrap_or(0) + 1);
                    }
                }
                let units = u32::try_from(counted.len()).unwrap_or(u32::MAX);
                Some(ProcessCounts::new(ProcessBasis::TalliedEvents, units))
            }
            None => None,
        };
        if let Some(mut process) = process {
            for code in ProcessCode::ALL {
                let n = counted.iter().filter(|e| e.event.code == *code).count();
                process.set(*code, u32::try_from(n).unwrap_or(u32::MAX));
            }
            input.process = Some(process);
            for (index, member) in input.members.iter_mut().enumerate() {
                member.talk = talk.get(index).copied().flatten();
                let aimed = events
                    .iter()
                    .filter(|e| {
                        matches!(e.event.code, ProcessCode::Hostility | ProcessCode::Judgment)
                            && e.aimed_at.and_then(|m| member_index.get(&m).copied()) == Some(index)
                    })
                    .count();
                member.aimed_at = Some(u32::try_from(aimed).unwrap_or(u32::MAX));
            }
        }
        for stored in events
            .iter()
            .filter(|e| e.event.code == ProcessCode::Safety)
        {
            safety.push(SafetyEvent {
                session: session.number,
                member: stored
                    .event
                    .member_id
                    .and_then(|m| member_index.get(&m).copied()),
                source: stored.event.source,
                utterance_index: stored.event.utterance_index,
            });
        }
    }
    safety
}
