//! The evidence layer on both engines: responses (one per member, instrument and session;
//! batches; group commit), kiosks, process events and alerts, each write audited and the
//! chain intact.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

extern crate circlework_store as store;

use domain::{
    AlertStatus, AlertSubject, AttendanceStatus, EventSource, Intensity, ProcessCode, ProcessEvent,
    SessionCode, Severity,
};
use jiff::{SignedDuration, Timestamp, civil::date};
use store::{
    AlertInsert, AuditAction, AuditContext, AuditFilter, Backend, InstrumentRef, KioskLookup,
    NewAlert, NewKiosk, NewResponse, OnDuplicate, ResponseSource, SharedStore, StoreError,
    Submission, SubmitOutcome, TranscriptCounts,
    fixtures::{self, GroupFixture},
    testing::{TempDatabase, postgres_or_skip},
};

fn at() -> Timestamp {
    "2026-03-02T18:00:00Z".parse().unwrap()
}

fn by() -> AuditContext {
    AuditContext::system("test", "test", at())
}

fn later(minutes: i64) -> Timestamp {
    at().checked_add(SignedDuration::from_mins(minutes))
        .unwrap()
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
    responses_are_one_per_member_instrument_and_session,
    a_batch_entered_by_one_person_is_all_or_nothing_or_skips,
    kiosk_codes_open_expire_close_and_are_stored_hashed,
    group_commit_reports_each_submission_and_raises_safety_with_it,
    tally_events_undo_and_transcripts_replace_their_events,
    alerts_are_inserted_once_per_key_and_handled_by_people,
);

async fn fixture(store: &SharedStore) -> GroupFixture {
    fixtures::group(store, &by(), "Tuesday circle", 3, 2, 6, date(2026, 2, 3))
        .await
        .unwrap()
}

fn paper(f: &GroupFixture, session: usize, member: usize, instrument: &str) -> NewResponse {
    let answers = match instrument {
        "phq9" => vec![
            Some(1),
            Some(2),
            None,
            Some(0),
            Some(1),
            Some(1),
            Some(0),
            Some(0),
            Some(0),
        ],
        "gad7" => vec![Some(1); 7],
        _ => vec![Some(3); 12],
    };
    NewResponse {
        session_id: f.sessions[session].id,
        member_id: f.members[member].id,
        instrument: instrument.into(),
        version: 1,
        answers,
        source: ResponseSource::Paper,
        kiosk_id: None,
        entered_by: Some(f.facilitator.id),
        submitted_at: at(),
        raises: vec![],
    }
}

async fn chain_ok(store: &SharedStore) {
    let report = store.verify_audit_chain().await.unwrap();
    assert_eq!(report.first_break, None);
}

async fn audit_count(store: &SharedStore, entity: &str) -> usize {
    store
        .audit_rows(&AuditFilter {
            limit: 10_000,
            ..AuditFilter::default()
        })
        .await
        .unwrap()
        .iter()
        .filter(|r| r.entity == entity)
        .count()
}

async fn responses_are_one_per_member_instrument_and_session(store: SharedStore) {
    let f = fixture(&store).await;
    let first = store
        .submit_response(&by(), &paper(&f, 0, 0, "phq9"))
        .await
        .unwrap();
    assert_eq!(first.answers[2], None, "a missing item stays missing");
    assert_eq!(first.group_id, f.group.id);

    // A second submission is refused and the first kept.
    let mut again = paper(&f, 0, 0, "phq9");
    again.answers = vec![Some(3); 9];
    let refused = store.submit_response(&by(), &again).await;
    assert!(
        matches!(
            refused,
            Err(StoreError::Duplicate {
                what: "response",
                item: None
            })
        ),
        "{refused:?}"
    );
    let kept = store.session_responses(f.sessions[0].id).await.unwrap();
    assert_eq!(kept, vec![first.clone()]);

    // Bad answers, an unknown instrument, a member off the roster, a missing session.
    let mut out_of_range = paper(&f, 0, 1, "phq9");
    out_of_range.answers[0] = Some(4);
    assert!(matches!(
        store.submit_response(&by(), &out_of_range).await,
        Err(StoreError::Refused(_))
    ));
    let mut short = paper(&f, 0, 1, "gad7");
    short.answers.pop();
    assert!(matches!(
        store.submit_response(&by(), &short).await,
        Err(StoreError::Refused(_))
    ));
    let mut unknown = paper(&f, 0, 1, "gad7");
    unknown.instrument = "ors".into();
    assert!(matches!(
        store.submit_response(&by(), &unknown).await,
        Err(StoreError::Refused(_))
    ));
    let other = fixtures::group(&store, &by(), "Other", 1, 1, 2, date(2026, 2, 4))
        .await
        .unwrap();
    let mut stranger = paper(&f, 0, 1, "gad7");
    stranger.member_id = other.members[0].id;
    assert!(matches!(
        store.submit_response(&by(), &stranger).await,
        Err(StoreError::Refused(_))
    ));
    let mut nowhere = paper(&f, 0, 1, "gad7");
    nowhere.session_id = domain::SessionId(99_999);
    assert!(matches!(
        store.submit_response(&by(), &nowhere).await,
        Err(StoreError::NotFound)
    ));

    // Reads: a session's, a member's across sessions, a group's.
    store
        .submit_response(&by(), &paper(&f, 1, 0, "gad7"))
        .await
        .unwrap();
    store
        .submit_response(&by(), &paper(&f, 1, 1, "gcqs"))
        .await
        .unwrap();
    store
        .submit_response(&by(), &paper(&other, 0, 0, "gad7"))
        .await
        .unwrap();
    assert_eq!(
        store
            .member_responses(f.members[0].id)
            .await
            .unwrap()
            .iter()
            .map(|r| (r.session_id, r.instrument.as_str()))
            .collect::<Vec<_>>(),
        [(f.sessions[0].id, "phq9"), (f.sessions[1].id, "gad7")]
    );
    let group = store.group_responses(f.group.id).await.unwrap();
    assert_eq!(group.len(), 3);
    assert!(group.iter().all(|r| r.group_id == f.group.id));
    assert_eq!(audit_count(&store, "response").await, 4);
    chain_ok(&store).await;
}

async fn a_batch_entered_by_one_person_is_all_or_nothing_or_skips(store: SharedStore) {
    let f = fixture(&store).await;
    store
        .submit_response(&by(), &paper(&f, 0, 1, "phq9"))
        .await
        .unwrap();
    let grid = vec![
        paper(&f, 0, 0, "phq9"),
        paper(&f, 0, 1, "phq9"),
        paper(&f, 0, 2, "phq9"),
    ];
    // All or nothing: the duplicate in item 2 stops everything.
    let refused = store
        .record_responses(&by(), &grid, OnDuplicate::Refuse)
        .await;
    assert!(
        matches!(refused, Err(StoreError::Duplicate { item: Some(2), .. })),
        "{refused:?}"
    );
    assert_eq!(
        store
            .session_responses(f.sessions[0].id)
            .await
            .unwrap()
            .len(),
        1
    );
    let mut bad = grid.clone();
    bad.remove(1);
    bad[1].answers[8] = Some(9);
    match store
        .record_responses(&by(), &bad, OnDuplicate::Refuse)
        .await
    {
        Err(StoreError::Refused(why)) => assert!(why.starts_with("item 2:"), "{why}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        store
            .session_responses(f.sessions[0].id)
            .await
            .unwrap()
            .len(),
        1
    );

    // Skipping: the others are stored, each item reported.
    let outcomes = store
        .record_responses(&by(), &grid, OnDuplicate::Skip)
        .await
        .unwrap();
    assert!(outcomes[0].is_accepted() && outcomes[2].is_accepted());
    assert_eq!(outcomes[1], SubmitOutcome::Duplicate);
    assert_eq!(
        store
            .session_responses(f.sessions[0].id)
            .await
            .unwrap()
            .len(),
        3
    );
    assert_eq!(audit_count(&store, "response").await, 3);
    chain_ok(&store).await;
}

fn kiosk_for(f: &GroupFixture, session: usize, minutes: i64) -> NewKiosk {
    NewKiosk {
        session_id: f.sessions[session].id,
        instruments: vec![InstrumentRef::new("phq9", 1), InstrumentRef::new("gcqs", 1)],
        expires_at: later(minutes),
    }
}

async fn kiosk_codes_open_expire_close_and_are_stored_hashed(store: SharedStore) {
    let f = fixture(&store).await;
    let code = SessionCode::parse("AB3D7K").unwrap();
    let staff = AuditContext::user(&f.facilitator, "web", at());
    let kiosk = store
        .open_kiosk(&staff, &code, &kiosk_for(&f, 1, 180))
        .await
        .unwrap();
    assert_eq!(kiosk.session_number, 2);
    assert_eq!(kiosk.created_by, Some(f.facilitator.id));
    // The same code cannot be live twice; unknown instruments are refused.
    assert!(matches!(
        store.open_kiosk(&staff, &code, &kiosk_for(&f, 0, 60)).await,
        Err(StoreError::Taken("session code"))
    ));
    let mut unknown = kiosk_for(&f, 0, 60);
    unknown.instruments.push(InstrumentRef::new("phq9", 7));
    assert!(matches!(
        store
            .open_kiosk(&staff, &SessionCode::parse("22222Z").unwrap(), &unknown)
            .await,
        Err(StoreError::Refused(_))
    ));

    let typed = SessionCode::parse("ab3-d7k").unwrap();
    assert_eq!(
        store.kiosk_by_code(&typed, later(10)).await.unwrap(),
        KioskLookup::Open(kiosk.clone())
    );
    assert!(matches!(
        store.kiosk_by_code(&typed, later(181)).await.unwrap(),
        KioskLookup::Expired(_)
    ));
    assert_eq!(
        store
            .kiosk_by_code(&SessionCode::parse("ZZZZZZ").unwrap(), later(10))
            .await
            .unwrap(),
        KioskLookup::Unknown
    );
    // Once expired, the code may be drawn again for a new kiosk.
    let reuse = AuditContext::user(&f.facilitator, "web", later(200));
    let second = store
        .open_kiosk(
            &reuse,
            &code,
            &NewKiosk {
                expires_at: later(300),
                ..kiosk_for(&f, 0, 0)
            },
        )
        .await
        .unwrap();
    assert_eq!(
        store.kiosk_by_code(&typed, later(210)).await.unwrap(),
        KioskLookup::Open(second.clone())
    );
    let closed = store
        .close_kiosk(
            &AuditContext::user(&f.facilitator, "web", later(220)),
            second.id,
        )
        .await
        .unwrap();
    assert!(closed.closed_at.is_some());
    assert!(matches!(
        store.kiosk_by_code(&typed, later(221)).await.unwrap(),
        KioskLookup::Closed(_)
    ));
    assert_eq!(
        store.session_kiosks(f.sessions[0].id).await.unwrap(),
        vec![closed]
    );
    // The code itself is nowhere in the audit trail.
    let rows = store
        .audit_rows(&AuditFilter {
            limit: 1000,
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert!(rows.iter().all(|r| !r.detail.contains("AB3D7K")));
    assert_eq!(rows.iter().filter(|r| r.entity == "kiosk").count(), 3);
    chain_ok(&store).await;
}

fn risk_alert(f: &GroupFixture, session: usize, member: usize) -> NewAlert {
    NewAlert {
        rule_id: "SAFETY".into(),
        rule_version: 1,
        severity: Severity::Urgent,
        subject: AlertSubject::Member {
            group_id: f.group.id,
            member_id: f.members[member].id,
        },
        session_id: Some(f.sessions[session].id),
        evidence: serde_json::json!({"triggers": ["risk_item"]}),
        suggestion: "Speak with the member today.".into(),
        dedupe_key: format!(
            "SAFETY|group:{}|member:{}|answers|session:{}",
            f.group.id,
            f.members[member].id,
            session + 1
        ),
    }
}

async fn group_commit_reports_each_submission_and_raises_safety_with_it(store: SharedStore) {
    let f = fixture(&store).await;
    let staff = AuditContext::user(&f.facilitator, "web", at());
    let kiosk = store
        .open_kiosk(
            &staff,
            &SessionCode::parse("KQ4R7T").unwrap(),
            &kiosk_for(&f, 1, 180),
        )
        .await
        .unwrap();
    let expired = store
        .open_kiosk(
            &staff,
            &SessionCode::parse("KQ4R7V").unwrap(),
            &kiosk_for(&f, 1, 5),
        )
        .await
        .unwrap();
    let submission = |member: usize, instrument: &str, kiosk_id, risk: bool| {
        let mut response = paper(&f, 1, member, instrument);
        response.source = ResponseSource::Kiosk;
        response.kiosk_id = Some(kiosk_id);
        response.entered_by = None;
        response.submitted_at = later(30);
        if risk {
            response.answers[8] = Some(2);
            response.raises = vec![risk_alert(&f, 1, member)];
        }
        Submission {
            by: AuditContext::system("kiosk", "kiosk", later(30)),
            response,
        }
    };
    let batch = vec![
        submission(0, "phq9", kiosk.id, true),
        submission(0, "gcqs", kiosk.id, false),
        submission(1, "phq9", kiosk.id, false),
        submission(1, "phq9", kiosk.id, false), // the same member twice in one batch
        submission(2, "phq9", expired.id, false),
        submission(2, "gad7", kiosk.id, false), // not offered at this kiosk
    ];
    let outcomes = store.submit_responses_batch(&batch).await.unwrap();
    assert!(outcomes[0].is_accepted() && outcomes[1].is_accepted() && outcomes[2].is_accepted());
    assert_eq!(outcomes[3], SubmitOutcome::Duplicate);
    assert!(matches!(&outcomes[4], SubmitOutcome::Refused(why) if why.contains("expired")));
    assert!(matches!(&outcomes[5], SubmitOutcome::Refused(why) if why.contains("not offered")));
    // Submitting again later: a duplicate, and the stored alert is not raised twice.
    let again = store
        .submit_responses_batch(&[submission(0, "phq9", kiosk.id, true)])
        .await
        .unwrap();
    assert_eq!(again, vec![SubmitOutcome::Duplicate]);

    let alerts = store.open_alerts(f.group.id).await.unwrap();
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].rule_id, "SAFETY");
    assert_eq!(alerts[0].session_id, Some(f.sessions[1].id));
    let stored = store.session_responses(f.sessions[1].id).await.unwrap();
    assert_eq!(stored.len(), 3);
    assert!(
        stored
            .iter()
            .all(|r| r.kiosk_id == Some(kiosk.id) && r.entered_by.is_none())
    );
    // One audit row per accepted submission and per raised alert, chained in order.
    assert_eq!(audit_count(&store, "response").await, 3);
    assert_eq!(audit_count(&store, "alert").await, 1);
    chain_ok(&store).await;
}

fn tally(f: &GroupFixture, member: usize, code: ProcessCode) -> ProcessEvent {
    ProcessEvent {
        session_id: f.sessions[0].id,
        member_id: Some(f.members[member].id),
        speaker: None,
        code,
        target: None,
        intensity: Intensity::MILD,
        source: EventSource::Tally,
        utterance_index: None,
        at: Some(at()),
    }
}

async fn tally_events_undo_and_transcripts_replace_their_events(store: SharedStore) {
    let f = fixture(&store).await;
    let observer = AuditContext::user(&f.facilitator, "web", at());
    store
        .record_process_event(&observer, &tally(&f, 0, ProcessCode::Support), None)
        .await
        .unwrap();
    let hostile = store
        .record_process_event(
            &observer,
            &tally(&f, 1, ProcessCode::Hostility),
            Some(f.members[2].id),
        )
        .await
        .unwrap();
    assert_eq!(hostile.aimed_at, Some(f.members[2].id));
    assert_eq!(hostile.recorded_by, Some(f.facilitator.id));
    // Only tally events one at a time; members must be on the roster.
    let mut coded = tally(&f, 0, ProcessCode::Support);
    coded.source = EventSource::Transcript;
    assert!(matches!(
        store.record_process_event(&observer, &coded, None).await,
        Err(StoreError::Refused(_))
    ));
    let undone = store
        .undo_last_process_event(&observer, f.sessions[0].id)
        .await
        .unwrap();
    assert_eq!(undone.id, hostile.id);
    assert_eq!(
        store
            .session_process(f.sessions[0].id)
            .await
            .unwrap()
            .events
            .len(),
        1
    );
    // Someone else has nothing to undo.
    let other = AuditContext::system("someone", "web", at());
    assert!(matches!(
        store
            .undo_last_process_event(&other, f.sessions[0].id)
            .await,
        Err(StoreError::NotFound)
    ));

    // A coded transcript, then a corrected one replacing it; the tally stays.
    let utterance = |index: u32, member: Option<usize>, code| ProcessEvent {
        session_id: f.sessions[0].id,
        member_id: member.map(|m| f.members[m].id),
        speaker: Some(format!("S{index}")),
        code,
        target: None,
        intensity: Intensity::MILD,
        source: EventSource::Transcript,
        utterance_index: Some(index),
        at: None,
    };
    let counts = TranscriptCounts {
        utterances: 40,
        talk: vec![(f.members[0].id, 12), (f.members[1].id, 9)],
    };
    let first = vec![
        utterance(0, Some(0), ProcessCode::Disclosure),
        utterance(3, Some(1), ProcessCode::Judgment),
        utterance(4, None, ProcessCode::Facilitation),
    ];
    assert_eq!(
        store
            .record_transcript_events(&observer, f.sessions[0].id, &counts, &first)
            .await
            .unwrap(),
        3
    );
    let corrected = vec![utterance(0, Some(0), ProcessCode::Disclosure)];
    store
        .record_transcript_events(&observer, f.sessions[0].id, &counts, &corrected)
        .await
        .unwrap();
    let record = store.group_process(f.group.id).await.unwrap();
    assert_eq!(record.events.len(), 2);
    assert_eq!(record.transcripts, vec![(f.sessions[0].id, counts.clone())]);
    assert_eq!(
        store.session_process(f.sessions[1].id).await.unwrap(),
        Default::default()
    );
    chain_ok(&store).await;
}

async fn alerts_are_inserted_once_per_key_and_handled_by_people(store: SharedStore) {
    let f = fixture(&store).await;
    let other = fixtures::group(&store, &by(), "Other", 1, 1, 2, date(2026, 2, 4))
        .await
        .unwrap();
    let conflict = NewAlert {
        rule_id: "CONFLICT_ESC".into(),
        severity: Severity::High,
        subject: AlertSubject::Group {
            group_id: f.group.id,
        },
        dedupe_key: format!("CONFLICT_ESC|group:{}|session:2", f.group.id),
        ..risk_alert(&f, 1, 0)
    };
    let mut theirs = risk_alert(&other, 0, 0);
    theirs.rule_id = "DROPOUT_RISK".into();
    theirs.severity = Severity::Medium;
    let inserted = store
        .insert_alerts(&by(), &[conflict.clone(), risk_alert(&f, 1, 0), theirs])
        .await
        .unwrap();
    assert!(inserted.iter().all(|i| matches!(i, AlertInsert::Raised(_))));
    // The same evidence again raises nothing.
    let again = store
        .insert_alerts(&by(), &[conflict.clone(), risk_alert(&f, 1, 0)])
        .await
        .unwrap();
    assert_eq!(again, vec![AlertInsert::Known, AlertInsert::Known]);
    let mut bogus = conflict.clone();
    bogus.rule_id = "CONFLICT".into();
    bogus.dedupe_key = "x".into();
    assert!(matches!(
        store.insert_alerts(&by(), &[bogus]).await,
        Err(StoreError::Refused(_))
    ));

    // Urgent first.
    let open = store.open_alerts(f.group.id).await.unwrap();
    assert_eq!(
        open.iter().map(|a| a.rule_id.as_str()).collect::<Vec<_>>(),
        ["SAFETY", "CONFLICT_ESC"]
    );
    let facilitator = store.actor(f.facilitator.id).await.unwrap();
    assert_eq!(
        store.open_alerts_visible_to(&facilitator).await.unwrap(),
        open
    );

    let staff = AuditContext::user(&f.facilitator, "web", later(5));
    let safety = open[0].id;
    let acked = store
        .acknowledge_alert(&staff, safety, Some("Called the member."))
        .await
        .unwrap();
    assert_eq!(acked.status, AlertStatus::Acknowledged);
    assert_eq!(acked.handled_by, Some(f.facilitator.id));
    assert!(matches!(
        store.resolve_alert(&staff, safety, "  ").await,
        Err(StoreError::Refused(_))
    ));
    let resolved = store
        .resolve_alert(&staff, safety, "Safety plan agreed; follow-up booked.")
        .await
        .unwrap();
    assert_eq!(resolved.status, AlertStatus::Resolved);
    assert!(matches!(
        store.acknowledge_alert(&staff, safety, None).await,
        Err(StoreError::Refused(_))
    ));
    // Resolved: off the open list, kept in the history, never raised again by its key.
    assert_eq!(store.open_alerts(f.group.id).await.unwrap().len(), 1);
    assert_eq!(store.group_alerts(f.group.id).await.unwrap().len(), 2);
    assert_eq!(
        store
            .insert_alerts(&by(), &[risk_alert(&f, 1, 0)])
            .await
            .unwrap(),
        vec![AlertInsert::Known]
    );
    // The note stays with the alert, not in the audit trail.
    let rows = store
        .audit_rows(&AuditFilter {
            limit: 1000,
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert!(rows.iter().all(|r| !r.detail.contains("Safety plan")));
    assert!(
        rows.iter()
            .any(|r| r.action == AuditAction::Resolve.as_str())
    );
    assert_eq!(rows.iter().filter(|r| r.entity == "alert").count(), 5);
    chain_ok(&store).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn group_attendance_is_one_read_for_every_session() {
    let Some((store, _db)) = open(Backend::Sqlite, "group_attendance").await else {
        return;
    };
    let f = fixture(&store).await;
    for (session, member, status) in [
        (0, 0, AttendanceStatus::Present),
        (0, 1, AttendanceStatus::Absent),
        (1, 0, AttendanceStatus::Late),
    ] {
        fixtures::mark(
            &store,
            &by(),
            f.sessions[session].id,
            f.members[member].id,
            status,
        )
        .await
        .unwrap();
    }
    let marks = store.group_attendance(f.group.id).await.unwrap();
    assert_eq!(
        marks
            .iter()
            .map(|m| (m.session_id, m.member_id, m.status))
            .collect::<Vec<_>>(),
        [
            (f.sessions[0].id, f.members[0].id, AttendanceStatus::Present),
            (f.sessions[0].id, f.members[1].id, AttendanceStatus::Absent),
            (f.sessions[1].id, f.members[0].id, AttendanceStatus::Late),
        ]
    );
}
