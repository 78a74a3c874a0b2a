//! The engine over stored groups on both engines: evidence read back, stages and alerts as
//! the answers, attendance and events say, alerts stored once (and never again once
//! resolved), thresholds from the organisation's settings, and SAFETY at once.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use circlework_analysis::{
    SafetyEvidence, analyse_group, evaluate_and_store, evidence_for_group, raise_safety_now,
    safety_alerts_for_answers,
};
use domain::{
    AlertStatus, AlertSubject, AttendanceStatus, EventSource, Intensity, ProcessCode, ProcessEvent,
    SessionCode, Severity,
};
use jiff::{SignedDuration, Timestamp, civil::date};
use stages::{Hmm, Stage};
use store::{
    AlertInsert, AuditContext, Backend, InstrumentRef, NewKiosk, NewResponse, ResponseSource,
    SharedStore, Submission,
    fixtures::{self, GroupFixture},
    testing::{TempDatabase, postgres_or_skip},
};

fn at() -> Timestamp {
    "2026-04-20T12:00:00Z".parse().unwrap()
}

fn by() -> AuditContext {
    AuditContext::system("test", "test", at())
}

async fn open(backend: Backend, test: &str) -> Option<(SharedStore, TempDatabase)> {
    let admin_url = match backend {
        Backend::Sqlite => None,
        Backend::Postgres => Some(postgres_or_skip(test)?),
    };
    let db = TempDatabase::for_backend(backend, admin_url.as_deref())
        .await
        .unwrap();
    let store = store::open(&db.url).await.unwrap();
    Some((store, db))
}

macro_rules! on_both {
    ($($name:ident),+ $(,)?) => {
        mod sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                if let Some((store, _db)) = super::open(store::Backend::Sqlite, stringify!($name)).await {
                    super::$name(store).await;
                }
            })+
        }
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                if let Some((store, _db)) = super::open(store::Backend::Postgres, stringify!($name)).await {
                    super::$name(store).await;
                }
            })+
        }
    };
}

on_both!(
    a_stored_group_shows_its_stages_and_raises_each_alert_once,
    thresholds_come_from_the_organisation_settings,
    safety_is_raised_at_once_and_not_again_by_the_evaluation,
    an_organisation_alliance_measure_feeds_alliance_low,
);

/// A synthetic session-rating scale (not bundled): four 0–10 items summed, concern below 36.
const SRS: &str = r#"
id = "srs"
version = 1
title = "Session rating (synthetic test definition)"
[licence]
status = "permission"
embed_text = false
[response]
min = 0
max = 10
[[items]]
n = 1
key = "relationship"
label = "Relationship"
[[items]]
n = 2
key = "goals"
label = "Goals and topics"
[[items]]
n = 3
key = "approach"
label = "Approach"
[[items]]
n = 4
key = "overall"
label = "Overall"
[total]
method = "sum"
direction = "higher_better"
[missing]
max_missing = 0
source = "test"
[[cutoffs]]
scale = "total"
op = "<"
value = 36
label = "concern"
clinical = true
source = "test: Duncan et al. 2003's SRS cut-off"
[[reliable_change]]
scale = "total"
delta = 5
source = "test"
"#;

async fn an_organisation_alliance_measure_feeds_alliance_low(store: SharedStore) {
    store
        .add_instrument_definition(&by(), "srs.toml", SRS)
        .await
        .unwrap();
    let f = fixtures::group(&store, &by(), "Alliance", 3, 2, 8, date(2026, 3, 2))
        .await
        .unwrap();
    let rated = |member, answers: [u8; 4]| {
        response(
            &f,
            1,
            member,
            "srs",
            answers.iter().map(|a| Some(*a)).collect(),
        )
    };
    store
        .record_responses(
            &by(),
            &[rated(0, [9, 9, 9, 9]), rated(1, [8, 7, 9, 6])],
            store::OnDuplicate::Refuse,
        )
        .await
        .unwrap();
    let evaluation = evaluate_and_store(&*store, f.group.id, &by())
        .await
        .unwrap();
    let low: Vec<_> = evaluation
        .analysis
        .alerts
        .iter()
        .filter(|a| a.rule.as_str() == "ALLIANCE_LOW")
        .collect();
    assert_eq!(low.len(), 1, "{:?}", evaluation.analysis.alerts);
    assert_eq!(
        low[0].subject,
        AlertSubject::Member {
            group_id: f.group.id,
            member_id: f.members[1].id
        }
    );
    assert_eq!(low[0].evidence.instrument.as_deref(), Some("srs/total"));
    assert_eq!(evaluation.raised.len(), 1);
}

/// GCQ-S answers whose subscale means are `engaged`, `avoiding`, `conflict`.
fn gcqs(engaged: u8, avoiding: u8, conflict: u8) -> Vec<Option<u8>> {
    (1..=12)
        .map(|item| {
            Some(match item {
                1 | 2 | 4 | 8 | 11 => engaged,
                3 | 5 | 9 => avoiding,
                _ => conflict,
            })
        })
        .collect()
}

fn response(
    f: &GroupFixture,
    session: usize,
    member: usize,
    instrument: &str,
    answers: Vec<Option<u8>>,
) -> NewResponse {
    NewResponse {
        session_id: f.sessions[session].id,
        member_id: f.members[member].id,
        instrument: instrument.into(),
        version: 1,
        answers,
        source: ResponseSource::Paper,
        kiosk_id: None,
        entered_by: None,
        submitted_at: at(),
        raises: vec![],
    }
}

/// Five members, six held sessions of twelve: engagement (1–2), conflict (3–4), work
/// (5–6); member 4 misses sessions 5 and 6; member 0's PHQ-9 gets reliably worse.
async fn storming_group(store: &SharedStore) -> GroupFixture {
    let f = fixtures::group(store, &by(), "Storming", 5, 6, 12, date(2026, 3, 2))
        .await
        .unwrap();
    let climate = [
        (2, 3, 1),
        (2, 3, 1),
        (3, 2, 5),
        (3, 2, 5),
        (5, 1, 1),
        (5, 1, 1),
    ];
    let mut batch = Vec::new();
    for (session, (e, a, c)) in climate.into_iter().enumerate() {
        for member in 0..5 {
            let absent = member == 4 && session >= 4;
            let status = if absent {
                AttendanceStatus::Absent
            } else {
                AttendanceStatus::Present
            };
            fixtures::mark(
                store,
                &by(),
                f.sessions[session].id,
                f.members[member].id,
                status,
            )
            .await
            .unwrap();
            if !absent {
                batch.push(response(&f, session, member, "gcqs", gcqs(e, a, c)));
            }
        }
    }
    batch.push(response(
        &f,
        0,
        0,
        "phq9",
        vec![
            Some(0),
            Some(1),
            Some(1),
            Some(1),
            Some(1),
            Some(0),
            Some(0),
            Some(0),
            Some(0),
        ],
    ));
    batch.push(response(
        &f,
        3,
        0,
        "phq9",
        vec![
            Some(2),
            Some(2),
            Some(2),
            Some(2),
            Some(2),
            Some(1),
            Some(1),
            Some(0),
            Some(0),
        ],
    ));
    store
        .record_responses(&by(), &batch, store::OnDuplicate::Refuse)
        .await
        .unwrap();
    f
}

async fn a_stored_group_shows_its_stages_and_raises_each_alert_once(store: SharedStore) {
    let f = storming_group(&store).await;
    let evidence = evidence_for_group(&*store, f.group.id).await.unwrap();
    let analysis = analyse_group(&evidence, &Hmm::domain());
    // Held sessions only (six of twelve), five members each.
    assert_eq!(analysis.inputs.sessions.len(), 6);
    assert_eq!(analysis.features[2].respondents, 5);
    assert_eq!(analysis.features[4].respondents, 4);
    assert_eq!(analysis.features[2].climate.conflict.unwrap().mean, 5.0);
    let stages: Vec<Stage> = analysis.timeline.iter().map(|s| s.stage).collect();
    assert_eq!(stages[2], Stage::Differentiation, "{stages:?}");
    assert_eq!(stages[5], Stage::Working, "{stages:?}");
    let rules: Vec<&str> = analysis.alerts.iter().map(|a| a.rule.as_str()).collect();
    assert!(rules.contains(&"DROPOUT_RISK"), "{rules:?}");
    assert!(rules.contains(&"DETERIORATION"), "{rules:?}");
    assert!(
        rules.iter().any(|r| r.starts_with("CONFLICT_")),
        "{rules:?}"
    );

    // Stored once; a second evaluation raises nothing new.
    let first = evaluate_and_store(&*store, f.group.id, &by())
        .await
        .unwrap();
    assert_eq!(first.raised.len(), analysis.alerts.len());
    assert_eq!(first.known, 0);
    let second = evaluate_and_store(&*store, f.group.id, &by())
        .await
        .unwrap();
    assert!(second.raised.is_empty());
    assert_eq!(second.known, analysis.alerts.len());
    let stored = store.group_alerts(f.group.id).await.unwrap();
    assert_eq!(stored.len(), analysis.alerts.len());
    let dropout = stored.iter().find(|a| a.rule_id == "DROPOUT_RISK").unwrap();
    assert_eq!(
        dropout.subject,
        AlertSubject::Member {
            group_id: f.group.id,
            member_id: f.members[4].id
        }
    );
    assert_eq!(dropout.session_id, Some(f.sessions[5].id));
    assert_eq!(dropout.severity, Severity::High);

    // Resolved, it stays resolved: the same evidence does not raise it again...
    store
        .resolve_alert(&by(), dropout.id, "Phoned; coming back next week.")
        .await
        .unwrap();
    let third = evaluate_and_store(&*store, f.group.id, &by())
        .await
        .unwrap();
    assert!(third.raised.is_empty());
    assert_eq!(
        store.alert(dropout.id).await.unwrap().status,
        AlertStatus::Resolved
    );
    // ...while new evidence that starts a new episode does: member 4 is back at session 7,
    // then misses 8 and 9.
    let weeks_later = AuditContext::system("test", "test", "2026-05-10T12:00:00Z".parse().unwrap());
    for (session, status) in [
        (6, AttendanceStatus::Present),
        (7, AttendanceStatus::Absent),
        (8, AttendanceStatus::Absent),
    ] {
        fixtures::mark(
            &store,
            &weeks_later,
            f.sessions[session].id,
            f.members[4].id,
            status,
        )
        .await
        .unwrap();
    }
    let fourth = evaluate_and_store(&*store, f.group.id, &by())
        .await
        .unwrap();
    let new_rules: Vec<String> = store
        .group_alerts(f.group.id)
        .await
        .unwrap()
        .into_iter()
        .filter(|a| fourth.raised.contains(&a.id))
        .map(|a| a.rule_id)
        .collect();
    assert!(
        new_rules.contains(&"DROPOUT_RISK".to_owned()),
        "{new_rules:?}"
    );
}

async fn thresholds_come_from_the_organisation_settings(store: SharedStore) {
    let f = storming_group(&store).await;
    let mut settings = store.settings().await.unwrap();
    settings.alert_consecutive_absences = 3;
    store.update_settings(&by(), &settings).await.unwrap();
    let evidence = evidence_for_group(&*store, f.group.id).await.unwrap();
    let analysis = analyse_group(&evidence, &Hmm::domain());
    assert_eq!(analysis.thresholds.consecutive_absences.value, 3);
    assert_eq!(
        analysis.thresholds.consecutive_absences.source,
        "organisation settings"
    );
    // Two absences in a row no longer raise D2's high risk.
    assert!(
        !analysis
            .alerts
            .iter()
            .any(|a| a.rule.as_str() == "DROPOUT_RISK"
                && a.severity == Severity::High
                && a.evidence.triggers.contains(&"D2")),
        "{:?}",
        analysis.alerts
    );
}

async fn safety_is_raised_at_once_and_not_again_by_the_evaluation(store: SharedStore) {
    let f = fixtures::group(&store, &by(), "Safety", 3, 2, 8, date(2026, 3, 2))
        .await
        .unwrap();
    let staff = AuditContext::user(&f.facilitator, "web", at());
    let kiosk = store
        .open_kiosk(
            &staff,
            &SessionCode::parse("SAF3TY").unwrap(),
            &NewKiosk {
                session_id: f.sessions[1].id,
                instruments: vec![InstrumentRef::new("phq9", 1)],
                expires_at: at().checked_add(SignedDuration::from_hours(3)).unwrap(),
            },
        )
        .await
        .unwrap();
    let registry = store.instrument_registry().await.unwrap();
    let phq9 = registry.version("phq9", 1).unwrap();
    let answers = vec![
        Some(1),
        Some(1),
        Some(0),
        Some(0),
        Some(0),
        Some(0),
        Some(0),
        Some(0),
        Some(1),
    ];
    let raises = safety_alerts_for_answers(
        phq9,
        kiosk.group_id,
        kiosk.session_id,
        kiosk.session_number,
        f.members[0].id,
        &answers,
    );
    assert_eq!(raises.len(), 1);
    // Item 9 at its lowest answer raises nothing, whatever the rest.
    let mut calm = vec![Some(3); 9];
    calm[8] = Some(0);
    assert!(
        safety_alerts_for_answers(
            phq9,
            kiosk.group_id,
            kiosk.session_id,
            2,
            f.members[0].id,
            &calm
        )
        .is_empty()
    );
    let mut new = response(&f, 1, 0, "phq9", answers);
    new.source = ResponseSource::Kiosk;
    new.kiosk_id = Some(kiosk.id);
    new.raises = raises;
    let outcome = store
        .submit_responses_batch(&[Submission {
            by: AuditContext::system("kiosk", "kiosk", at()),
            response: new,
        }])
        .await
        .unwrap();
    assert!(outcome[0].is_accepted());
    let open = store.open_alerts(f.group.id).await.unwrap();
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].severity, Severity::Urgent);

    // A safety mark on the tally, raised at once for the member it names.
    let mark = ProcessEvent {
        session_id: f.sessions[1].id,
        member_id: Some(f.members[2].id),
        speaker: None,
        code: ProcessCode::Safety,
        target: None,
        intensity: Intensity::new(3).unwrap(),
        source: EventSource::Tally,
        utterance_index: None,
        at: Some(at()),
    };
    let stored = store
        .record_process_event(&staff, &mark, None)
        .await
        .unwrap();
    let raised = raise_safety_now(
        &*store,
        &staff,
        SafetyEvidence::Events(std::slice::from_ref(&stored.event)),
    )
    .await
    .unwrap();
    assert!(matches!(raised.as_slice(), [AlertInsert::Raised(_)]));
    // A stored response without its alert attached (say, from an import) is caught up too.
    let late = store
        .submit_response(
            &by(),
            &response(
                &f,
                0,
                1,
                "phq9",
                vec![Some(0); 8].into_iter().chain([Some(2)]).collect(),
            ),
        )
        .await
        .unwrap();
    assert!(matches!(
        raise_safety_now(&*store, &by(), SafetyEvidence::Response(&late))
            .await
            .unwrap()
            .as_slice(),
        [AlertInsert::Raised(_)]
    ));

    // The full evaluation finds the same three episodes and raises none of them again.
    let evaluation = evaluate_and_store(&*store, f.group.id, &by())
        .await
        .unwrap();
    let safety = evaluation
        .analysis
        .alerts
        .iter()
        .filter(|a| a.rule.as_str() == "SAFETY")
        .count();
    assert_eq!(safety, 3);
    let stored = store.group_alerts(f.group.id).await.unwrap();
    assert_eq!(stored.iter().filter(|a| a.rule_id == "SAFETY").count(), 3);
    assert!(evaluation.raised.is_empty(), "{:?}", evaluation.raised);
}
