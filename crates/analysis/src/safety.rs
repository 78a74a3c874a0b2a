//! SAFETY at once: the alert a risk answer or a `safety` event raises, without waiting for
//! a whole-group evaluation. Keys are the ones the full evaluation gives, so when it runs
//! later it finds the alert stored and raises nothing twice.

use alerts::{GroupEvidence, RiskAnswer, RuleId, SafetyEvent, Thresholds};
use domain::{GroupId, MemberId, ProcessCode, ProcessEvent, SessionId};
use measures::InstrumentDef;
use store::{AlertInsert, AuditContext, NewAlert, Response, Store, StoreError};

/// SAFETY's evaluation over just these risk answers and events, as alerts to store.
fn safety_only(
    group: GroupId,
    session_id: SessionId,
    members: &[MemberId],
    risk_answers: &[RiskAnswer],
    safety_events: &[SafetyEvent],
) -> Vec<NewAlert> {
    let evidence = GroupEvidence {
        group,
        members,
        planned_sessions: None,
        sessions: &[],
        features: &[],
        stages: &[],
        instruments: &[],
        risk_answers,
        safety_events,
    };
    alerts::evaluate(&evidence, &Thresholds::default())
        .into_iter()
        .filter(|alert| alert.rule == RuleId::Safety)
        .map(|alert| NewAlert {
            rule_id: alert.rule.as_str().to_owned(),
            rule_version: alert.rule_version,
            severity: alert.severity,
            subject: alert.subject,
            session_id: Some(session_id),
            evidence: alert.evidence_json(),
            suggestion: alert.suggestion.to_owned(),
            dedupe_key: alert.dedupe_key.clone(),
        })
        .collect()
}

/// The SAFETY alerts a member's answers raise (a risk item above its lowest answer, e.g.
/// PHQ-9 item 9), for `NewResponse::raises`: the store inserts them with the response, in
/// the same transaction, only if the response is accepted. Empty when nothing is at risk.
/// `session_number` is the session's number in `group` (a `store::Kiosk` carries both).
pub fn safety_alerts_for_answers(
    def: &InstrumentDef,
    group: GroupId,
    session_id: SessionId,
    session_number: u32,
    member: MemberId,
    answers: &[Option<u8>],
) -> Vec<NewAlert> {
    let risks: Vec<RiskAnswer> = measures::risk_answers(def, answers)
        .into_iter()
        .map(|risk| RiskAnswer {
            session: session_number,
            member: 0,
            instrument: def.id().to_owned(),
            item: u32::from(risk.item),
            value: f64::from(risk.value),
            lowest: def.item(risk.item).map_or(0.0, |item| f64::from(item.min)),
        })
        .collect();
    if risks.is_empty() {
        return Vec::new();
    }
    safety_only(group, session_id, &[member], &risks, &[])
}

/// What raised a SAFETY alert outside a response write.
#[derive(Debug, Clone, Copy)]
pub enum SafetyEvidence<'a> {
    /// A stored response (one entered without its alerts attached).
    Response(&'a Response),
    /// Events of one session just stored (a `safety` tally tap, a coded transcript); those
    /// with another code are ignored.
    Events(&'a [ProcessEvent]),
}

/// Stores the SAFETY alerts `evidence` raises now (insert-or-ignore, audited). One query for
/// the session, the definition lookup for a response, and one write; nothing when the
/// evidence raises nothing.
pub async fn raise_safety_now<S: Store + ?Sized>(
    store: &S,
    by: &AuditContext,
    evidence: SafetyEvidence<'_>,
) -> Result<Vec<AlertInsert>, StoreError> {
    let alerts = match evidence {
        SafetyEvidence::Response(response) => {
            let session = store.session(response.session_id).await?;
            let registry = store.instrument_registry().await?;
            let Some(def) = registry.version(&response.instrument, response.version) else {
                return Ok(Vec::new());
            };
            safety_alerts_for_answers(
                def,
                session.group_id,
                session.id,
                session.number,
                response.member_id,
                &response.answers,
            )
        }
        SafetyEvidence::Events(events) => {
            let safety: Vec<&ProcessEvent> = events
                .iter()
                .filter(|e| e.code == ProcessCode::Safety)
                .collect();
            let Some(first) = safety.first() else {
                return Ok(Vec::new());
            };
            let session = store.session(first.session_id).await?;
            let mut members: Vec<MemberId> = safety.iter().filter_map(|e| e.member_id).collect();
            members.sort();
            members.dedup();
            let events: Vec<SafetyEvent> = safety
                .iter()
                .filter(|e| e.session_id == session.id)
                .map(|e| SafetyEvent {
                    session: session.number,
                    member: e
                        .member_id
                        .and_then(|m| members.iter().position(|x| *x == m)),
                    source: e.source,
                    utterance_index: e.utterance_index,
                })
                .collect();
            safety_only(session.group_id, session.id, &members, &[], &events)
        }
    };
    if alerts.is_empty() {
        return Ok(Vec::new());
    }
    store.insert_alerts(by, &alerts).await
}
