//! What the rules read: one group's sessions (the features crate's inputs and outputs),
//! the stage posteriors known after each session, instruments with their reliable-change
//! values and cut-offs, risk-item answers and `safety` process events. Plain data.

use domain::{EventSource, GroupId, MemberId};
use serde::Serialize;
use stages::StageProbs;
use stages::features::{SessionFeatures, SessionInput};

/// Which way is better on a scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    HigherBetter,
    LowerBetter,
}

/// What an instrument is for, in the rules: outcomes feed NOT_IMPROVING and DETERIORATION;
/// alliance measures ((G)SRS, GQ scales) feed ALLIANCE_LOW and the D5 dropout factor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InstrumentRole {
    Outcome,
    Alliance,
}

/// A comparison of a score with a cut-off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum CompareOp {
    #[serde(rename = "<")]
    Lt,
    #[serde(rename = "<=")]
    Le,
    #[serde(rename = ">")]
    Gt,
    #[serde(rename = ">=")]
    Ge,
}

/// A value with where it was published.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sourced {
    pub value: f64,
    pub source: String,
}

/// The clinical (or concern) range of a scale: a score is in it when `score op value`,
/// e.g. PHQ-9 `>= 10`, ORS `< 25`, SRS `< 36`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cutoff {
    pub op: CompareOp,
    pub value: f64,
    pub source: String,
}

impl Cutoff {
    /// Is `score` in the range? Compared with a 1e-9 tolerance so a mean that should equal
    /// the cut-off is treated as equal.
    pub fn contains(&self, score: f64) -> bool {
        match self.op {
            CompareOp::Lt => crate::compare::below(score, self.value),
            CompareOp::Le => !crate::compare::above(score, self.value),
            CompareOp::Gt => crate::compare::above(score, self.value),
            CompareOp::Ge => crate::compare::at_least(score, self.value),
        }
    }
}

/// One instrument scale as the rules see it. `OutcomeScore::instrument` indexes a list of these.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InstrumentRule {
    /// Instrument id, e.g. `phq9`.
    pub id: String,
    /// Scale, e.g. `total`.
    pub scale: String,
    pub role: InstrumentRole,
    pub direction: Direction,
    /// Reliable change Δ (a positive number of scale points).
    pub rci: Option<Sourced>,
    pub cutoff: Option<Cutoff>,
}

impl InstrumentRule {
    /// How much better `later` is than `earlier` (negative when worse).
    pub fn gain(&self, earlier: f64, later: f64) -> f64 {
        match self.direction {
            Direction::HigherBetter => later - earlier,
            Direction::LowerBetter => earlier - later,
        }
    }
}

/// A risk item (PHQ-9 item 9, CORE-10 item 6, …) answered in a session. SAFETY fires when
/// `value` is above `lowest`, the item's lowest answer (0 for PHQ-9 and CORE-10; what
/// `measures::risk_answers` compares with).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RiskAnswer {
    pub session: u32,
    /// Member index.
    pub member: usize,
    pub instrument: String,
    pub item: u32,
    pub value: f64,
    pub lowest: f64,
}

/// A `safety` process event, tallied or coded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SafetyEvent {
    pub session: u32,
    /// Member index of the speaker, when known.
    pub member: Option<usize>,
    pub source: EventSource,
    /// Position of the utterance in its transcript, when coded.
    pub utterance_index: Option<u32>,
}

/// Everything known about one group, in session order. `sessions`, `features` and `stages`
/// line up by position (the features of `sessions[i]` are `features[i]`, and `stages[i]`
/// is the forward-filtered posterior after that session: what was knowable then).
#[derive(Debug, Clone, Copy)]
pub struct GroupEvidence<'a> {
    pub group: GroupId,
    /// Member ids by member index (the order of `SessionInput::members`).
    pub members: &'a [MemberId],
    pub planned_sessions: Option<u32>,
    pub sessions: &'a [SessionInput],
    pub features: &'a [SessionFeatures],
    pub stages: &'a [StageProbs],
    /// Instrument scales by index (`OutcomeScore::instrument`).
    pub instruments: &'a [InstrumentRule],
    pub risk_answers: &'a [RiskAnswer],
    pub safety_events: &'a [SafetyEvent],
}
