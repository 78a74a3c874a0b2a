//! A group's analysis as one JSON document (what `circlework analyze` prints): members,
//! each session's features and stage (Viterbi, filtered and smoothed posteriors, lower-case
//! stage names), the alerts the evidence supports (rule ids as in DOMAIN.md §6.3) and the
//! alerts stored for the group with their status.

use alerts::RaisedAlert;
use domain::{Alert, GroupId, MemberCode, MemberId, ProcessCode, SessionId, SessionStatus};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::{GroupAnalysis, GroupEvidence, SessionTimeline};

#[derive(Debug, Clone, Serialize)]
pub struct GroupReport {
    pub group: GroupHeader,
    /// By member index (the index features and alerts use).
    pub members: Vec<MemberLine>,
    pub sessions: Vec<SessionReport>,
    pub log_likelihood: f64,
    /// What the evidence supports now, by session, rule and key.
    pub alerts: Vec<RaisedAlert>,
    /// What is stored for the group (raised by evaluations), urgent first, with status.
    pub stored_alerts: Vec<Alert>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GroupHeader {
    pub id: GroupId,
    pub name: String,
    pub planned_sessions: Option<u32>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MemberLine {
    pub index: usize,
    pub id: MemberId,
    pub code: Option<MemberCode>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SessionReport {
    pub session: u32,
    pub id: SessionId,
    pub status: SessionStatus,
    #[serde(flatten)]
    pub stage: SessionTimeline,
    /// `stages::features::SessionFeatures`, with process rates keyed by code.
    pub features: Value,
}

/// Process rates as `{code: rate}` instead of an array in code order.
fn readable_features(features: &stages::features::SessionFeatures) -> Value {
    let mut value = serde_json::to_value(features).unwrap_or(Value::Null);
    if let Some(process) = value.get_mut("process").and_then(Value::as_object_mut)
        && let Some(Value::Array(rates)) = process.get("per_100").cloned()
    {
        let keyed: Map<String, Value> = ProcessCode::ALL
            .iter()
            .zip(rates)
            .map(|(code, rate)| (code.as_str().to_owned(), rate))
            .collect();
        process.insert("per_100".into(), Value::Object(keyed));
    }
    value
}

/// The report of an analysis, with the group's stored alerts.
pub fn group_report(
    evidence: &GroupEvidence,
    analysis: &GroupAnalysis,
    stored_alerts: Vec<Alert>,
) -> GroupReport {
    let members = analysis
        .inputs
        .members
        .iter()
        .enumerate()
        .map(|(index, id)| MemberLine {
            index,
            id: *id,
            code: evidence
                .roster
                .iter()
                .find(|entry| entry.member.id == *id)
                .map(|entry| entry.member.code.clone()),
        })
        .collect();
    let sessions = analysis
        .inputs
        .sessions
        .iter()
        .zip(&analysis.timeline)
        .zip(&analysis.features)
        .map(|((session, stage), features)| SessionReport {
            session: session.number,
            id: session.id,
            status: session.status,
            stage: *stage,
            features: readable_features(features),
        })
        .collect();
    GroupReport {
        group: GroupHeader {
            id: evidence.group.id,
            name: evidence.group.name.clone(),
            planned_sessions: evidence.group.planned_sessions,
        },
        members,
        sessions,
        log_likelihood: analysis.log_likelihood,
        alerts: analysis.alerts.clone(),
        stored_alerts,
    }
}
