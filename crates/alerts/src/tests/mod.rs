//! Rule tests: each rule fires, stays quiet, and is checked at its boundary value; the
//! engine as a whole is idempotent over growing histories.

mod conflict;
mod dropout;
mod engine;
mod instruments;
mod safety;
mod stalled;
mod withdrawal;

use domain::{GroupId, MemberId};
use stages::features::{MemberSession, Presence, ProcessBasis, ProcessCounts, SessionInput};
use stages::{Climate, Stage, StageProbs};

use crate::*;

/// A group under test: every member enrolled and present unless changed.
#[derive(Debug)]
pub(crate) struct Group {
    pub members: Vec<MemberId>,
    pub planned: Option<u32>,
    pub sessions: Vec<SessionInput>,
    pub stages: Vec<StageProbs>,
    pub instruments: Vec<InstrumentRule>,
    pub risk: Vec<RiskAnswer>,
    pub safety: Vec<SafetyEvent>,
    pub thresholds: Thresholds,
}

impl Group {
    pub fn new(members: usize, sessions: usize) -> Self {
        let present = MemberSession {
            enrolled: true,
            presence: Some(Presence::Attended),
            ..MemberSession::default()
        };
        Self {
            members: (1..=members as i64).map(|i| MemberId(100 + i)).collect(),
            planned: None,
            sessions: (1..=sessions as u32)
                .map(|number| SessionInput {
                    number,
                    members: vec![present; members],
                    process: None,
                    outcomes: Vec::new(),
                })
                .collect(),
            stages: vec![StageProbs::certain(Stage::Engagement); sessions],
            instruments: Vec::new(),
            risk: Vec::new(),
            safety: Vec::new(),
            thresholds: Thresholds::default(),
        }
    }

    /// Session `number` (from 1), member `member` (from 0).
    pub fn member(&mut self, number: usize, member: usize) -> &mut MemberSession {
        &mut self.sessions[number - 1].members[member]
    }

    /// Sets the group's conflict mean per session (every member answers the same; `None`:
    /// nobody answers).
    pub fn conflict(mut self, values: &[Option<f64>]) -> Self {
        for (session, value) in self.sessions.iter_mut().zip(values) {
            for m in &mut session.members {
                m.climate.conflict = *value;
            }
        }
        self
    }

    /// Hostility + judgment counts per 100 utterances of a transcript, per session.
    pub fn hostility(mut self, rates: &[Option<u32>], basis: ProcessBasis) -> Self {
        for (session, rate) in self.sessions.iter_mut().zip(rates) {
            session.process = rate.map(|r| {
                let mut counts = ProcessCounts::new(basis, 100);
                counts.set(domain::ProcessCode::Hostility, r / 2);
                counts.set(domain::ProcessCode::Judgment, r - r / 2);
                counts
            });
        }
        self
    }

    pub fn presence(&mut self, member: usize, pattern: &str) {
        for (number, c) in pattern.chars().enumerate() {
            let m = self.member(number + 1, member);
            m.presence = match c {
                'A' => Some(Presence::Attended),
                'X' => Some(Presence::Absent),
                'E' => Some(Presence::Excused),
                _ => None,
            };
        }
    }

    pub fn evaluate(&self) -> Vec<RaisedAlert> {
        let features = stages::features::compute(&self.sessions);
        let evidence = GroupEvidence {
            group: GroupId(7),
            members: &self.members,
            planned_sessions: self.planned,
            sessions: &self.sessions,
            features: &features,
            stages: &self.stages,
            instruments: &self.instruments,
            risk_answers: &self.risk,
            safety_events: &self.safety,
        };
        let alerts = evaluate(&evidence, &self.thresholds);
        // Whatever else a test checks: evaluating again gives the same alerts, keys are unique.
        assert_eq!(alerts, evaluate(&evidence, &self.thresholds));
        let mut keys: Vec<&str> = alerts.iter().map(|a| a.dedupe_key.as_str()).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), alerts.len(), "duplicate keys in {alerts:#?}");
        alerts
    }
}

pub(crate) fn of(alerts: &[RaisedAlert], rule: RuleId) -> Vec<&RaisedAlert> {
    alerts.iter().filter(|a| a.rule == rule).collect()
}

pub(crate) fn sessions_of(alerts: &[RaisedAlert], rule: RuleId) -> Vec<u32> {
    of(alerts, rule).iter().map(|a| a.session).collect()
}

pub(crate) fn member_subject(member: usize) -> domain::AlertSubject {
    domain::AlertSubject::Member {
        group_id: GroupId(7),
        member_id: MemberId(101 + member as i64),
    }
}

pub(crate) fn synthetic(
    id: &str,
    role: InstrumentRole,
    direction: Direction,
    rci: Option<f64>,
    cutoff: Option<(CompareOp, f64)>,
) -> InstrumentRule {
    InstrumentRule {
        id: id.to_owned(),
        scale: "total".to_owned(),
        role,
        direction,
        rci: rci.map(|value| Sourced {
            value,
            source: format!("synthetic {id} definition"),
        }),
        cutoff: cutoff.map(|(op, value)| Cutoff {
            op,
            value,
            source: format!("synthetic {id} definition"),
        }),
    }
}

pub(crate) fn climate(engaged: Option<f64>, conflict: Option<f64>) -> Climate {
    Climate {
        engaged,
        avoiding: None,
        conflict,
    }
}
