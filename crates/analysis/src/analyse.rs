//! The engine over one group: features, the stage timeline (forward-filtered, smoothed,
//! Viterbi) and the alerts the whole history supports; and storing the new alerts.

use alerts::{RaisedAlert, Thresholds};
use domain::{AlertId, GroupId, Session};
use serde::Serialize;
use stages::features::SessionFeatures;
use stages::{Climate, Hmm, Horizon, Stage, StageProbs};
use store::{AlertInsert, AuditContext, NewAlert, Store, StoreError};

use crate::{EngineInputs, GroupEvidence, engine_inputs, evidence_for_group};

/// One analysed session on the stage timeline.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SessionTimeline {
    /// The session's number in its group.
    pub session: u32,
    /// Viterbi: the most likely whole path.
    pub stage: Stage,
    /// Forward-filtered: what was knowable right after the session (alerts read this).
    pub posterior: StageProbs,
    /// Forward–backward: in hindsight, given every session.
    pub smoothed: StageProbs,
}

/// What the engine makes of a group.
#[derive(Debug, Clone)]
pub struct GroupAnalysis {
    pub group: GroupId,
    pub planned_sessions: Option<u32>,
    pub inputs: EngineInputs,
    /// By analysed session, aligned with `inputs.sessions`.
    pub features: Vec<SessionFeatures>,
    pub timeline: Vec<SessionTimeline>,
    pub log_likelihood: f64,
    pub thresholds: Thresholds,
    /// Every alert the history supports, by session, rule and key.
    pub alerts: Vec<RaisedAlert>,
}

/// Runs features, stages and alert rules over a group's evidence with `hmm` (the DOMAIN.md
/// model is `Hmm::domain()`) and the organisation's thresholds. Pure.
pub fn analyse_group(evidence: &GroupEvidence, hmm: &Hmm) -> GroupAnalysis {
    let inputs = engine_inputs(evidence);
    let features = stages::features::compute(&inputs.inputs);
    let observations: Vec<Climate> = features.iter().map(|f| f.climate.observation()).collect();
    let planned = evidence.group.planned_sessions;
    let timeline = hmm.timeline(Horizon::from_planned(planned), &observations);
    let filtered: Vec<StageProbs> = timeline.sessions.iter().map(|s| s.posterior).collect();
    let thresholds = Thresholds::from_settings(&evidence.settings);
    let alerts = alerts::evaluate(
        &alerts::GroupEvidence {
            group: evidence.group.id,
            members: &inputs.members,
            planned_sessions: planned,
            sessions: &inputs.inputs,
            features: &features,
            stages: &filtered,
            instruments: &inputs.instruments,
            risk_answers: &inputs.risk_answers,
            safety_events: &inputs.safety_events,
        },
        &thresholds,
    );
    let timeline_rows = timeline
        .sessions
        .iter()
        .zip(&inputs.sessions)
        .map(|(stage, session)| SessionTimeline {
            session: session.number,
            stage: stage.stage,
            posterior: stage.posterior,
            smoothed: stage.smoothed,
        })
        .collect();
    GroupAnalysis {
        group: evidence.group.id,
        planned_sessions: planned,
        inputs,
        features,
        timeline: timeline_rows,
        log_likelihood: timeline.log_likelihood,
        thresholds,
        alerts,
    }
}

/// A raised alert as the store keeps it, its session number turned into the session id.
pub(crate) fn new_alert(alert: &RaisedAlert, sessions: &[Session]) -> NewAlert {
    NewAlert {
        rule_id: alert.rule.as_str().to_owned(),
        rule_version: alert.rule_version,
        severity: alert.severity,
        subject: alert.subject,
        session_id: sessions
            .iter()
            .find(|s| s.number == alert.session)
            .map(|s| s.id),
        evidence: alert.evidence_json(),
        suggestion: alert.suggestion.to_owned(),
        dedupe_key: alert.dedupe_key.clone(),
    }
}

/// The analysis's alerts ready to store.
pub fn new_alerts(analysis: &GroupAnalysis) -> Vec<NewAlert> {
    analysis
        .alerts
        .iter()
        .map(|alert| new_alert(alert, &analysis.inputs.sessions))
        .collect()
}

/// What [`evaluate_and_store`] did.
#[derive(Debug, Clone)]
pub struct Evaluation {
    /// Alerts stored by this evaluation.
    pub raised: Vec<AlertId>,
    /// Alerts the evidence supports that were stored before (open, acknowledged or resolved).
    pub known: usize,
    pub analysis: GroupAnalysis,
}

/// Reads the group's evidence, runs the engine with the DOMAIN.md stage model and stores
/// the alerts it supports that are not stored yet (by their dedupe keys: re-running never
/// duplicates, and a resolved alert is not raised again by the same evidence). Call it after
/// every change of a session's evidence. [`crate::EVIDENCE_QUERIES`] reads and one write
/// transaction.
pub async fn evaluate_and_store<S: Store + ?Sized>(
    store: &S,
    group: GroupId,
    by: &AuditContext,
) -> Result<Evaluation, StoreError> {
    let evidence = evidence_for_group(store, group).await?;
    let analysis = analyse_group(&evidence, &Hmm::domain());
    let alerts = new_alerts(&analysis);
    let results = store.insert_alerts(by, &alerts).await?;
    let raised: Vec<AlertId> = results
        .iter()
        .filter_map(|r| match r {
            AlertInsert::Raised(id) => Some(*id),
            AlertInsert::Known => None,
        })
        .collect();
    Ok(Evaluation {
        known: results.len() - raised.len(),
        raised,
        analysis,
    })
}
