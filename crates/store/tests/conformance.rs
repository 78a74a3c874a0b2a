//! The conformance suite: the same stories against SQLite and PostgreSQL.
//! Each test gets its own fresh database.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

extern crate circlework_store as store;

use domain::{
    Actor, AttendanceMark, AttendanceStatus, DisplayName, GroupKind, GroupStaffRole, MemberAlias,
    MemberCode, Role, SessionStatus, UserId, Username,
};
use jiff::{Timestamp, civil::date};
use store::{
    AuditAction, AuditContext, AuditEvent, AuditFilter, Backend, DemoState, LoginFailure, NewGroup,
    NewSession, NewUser, SharedStore, StoreError,
    testing::{TempDatabase, postgres_or_skip},
};

fn at() -> Timestamp {
    "2026-03-02T18:00:00Z".parse().unwrap()
}

fn by() -> AuditContext {
    AuditContext::system("test", "test", at())
}

fn new_user(name: &str, role: Role) -> NewUser {
    NewUser {
        username: Username::parse(name).unwrap(),
        display_name: DisplayName::parse(name).unwrap(),
        role,
        password_hash: "not-a-real-hash".into(),
        programs: vec![],
    }
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

/// Runs each story as two tests, `sqlite::name` and `postgres::name`.
macro_rules! conformance {
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

conformance!(
    a_fresh_database_is_empty_and_healthy,
    usernames_and_program_names_are_unique,
    the_last_active_admin_cannot_be_demoted_or_disabled,
    failed_sign_ins_lock_the_account_at_the_threshold,
    groups_are_visible_by_role_and_assignment,
    an_open_ended_group_keeps_twelve_weeks_planned,
    members_enroll_attend_and_codes_are_unique,
    attendance_needs_an_enrolled_member,
    password_change_and_disable_end_sessions,
    every_change_is_audited_and_the_chain_verifies,
    audit_rows_filter_by_member_group_and_actor,
    settings_round_trip_and_bad_values_are_refused,
    demo_marker_round_trips,
    dropping_everything_leaves_a_database_that_migrates_afresh,
);

async fn a_fresh_database_is_empty_and_healthy(store: SharedStore) {
    store.ping().await.unwrap();
    assert!(store.is_empty().await.unwrap());
    assert_eq!(store.demo_state().await.unwrap(), None);
    assert_eq!(
        store.integrity_problems().await.unwrap(),
        Vec::<String>::new()
    );
    // Migrating twice is harmless.
    store.migrate().await.unwrap();
}

async fn usernames_and_program_names_are_unique(store: SharedStore) {
    store
        .create_user(&by(), &new_user("ana", Role::Admin))
        .await
        .unwrap();
    let again = store
        .create_user(&by(), &new_user("ana", Role::Facilitator))
        .await;
    assert!(
        matches!(again, Err(StoreError::Taken("username"))),
        "{again:?}"
    );
    store.create_program(&by(), "Reentry", "").await.unwrap();
    let again = store.create_program(&by(), "Reentry", "second").await;
    assert!(
        matches!(again, Err(StoreError::Taken("program name"))),
        "{again:?}"
    );
    // Nothing half-written: one user, one program.
    assert_eq!(store.users().await.unwrap().len(), 1);
    assert_eq!(store.programs().await.unwrap().len(), 1);
}

async fn the_last_active_admin_cannot_be_demoted_or_disabled(store: SharedStore) {
    let admin = store
        .create_user(&by(), &new_user("root.admin", Role::Admin))
        .await
        .unwrap();
    assert!(matches!(
        store.set_role(&by(), admin.id, Role::Facilitator).await,
        Err(StoreError::Refused(_))
    ));
    assert!(matches!(
        store.disable_user(&by(), admin.id).await,
        Err(StoreError::Refused(_))
    ));
    assert_eq!(store.user(admin.id).await.unwrap().role, Role::Admin);
    let second = store
        .create_user(&by(), &new_user("second.admin", Role::Admin))
        .await
        .unwrap();
    store
        .set_role(&by(), admin.id, Role::Supervisor)
        .await
        .unwrap();
    assert!(matches!(
        store.disable_user(&by(), second.id).await,
        Err(StoreError::Refused(_))
    ));
}

async fn failed_sign_ins_lock_the_account_at_the_threshold(store: SharedStore) {
    let user = store
        .create_user(&by(), &new_user("fac", Role::Facilitator))
        .await
        .unwrap();
    let first = store
        .record_failed_login(&by(), "fac", Some(user.id), 3)
        .await
        .unwrap();
    assert_eq!(first, LoginFailure::Counted { remaining: 2 });
    store
        .record_failed_login(&by(), "fac", Some(user.id), 3)
        .await
        .unwrap();
    let third = store
        .record_failed_login(&by(), "fac", Some(user.id), 3)
        .await
        .unwrap();
    assert_eq!(third, LoginFailure::Locked);
    assert!(store.user(user.id).await.unwrap().locked_at.is_some());
    let unknown = store
        .record_failed_login(&by(), "nobody", None, 3)
        .await
        .unwrap();
    assert_eq!(unknown, LoginFailure::UnknownUser);
    let unlocked = store.unlock_user(&by(), user.id).await.unwrap();
    assert!(unlocked.locked_at.is_none());
    let credentials = store
        .credentials(&Username::parse("fac").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(credentials.failed_logins, 0);
    let actions: Vec<String> = store
        .audit_rows(&AuditFilter::default())
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.action)
        .collect();
    assert!(actions.contains(&"lockout".to_owned()) && actions.contains(&"unlock".to_owned()));
}

async fn groups_are_visible_by_role_and_assignment(store: SharedStore) {
    let reentry = store.create_program(&by(), "Reentry", "").await.unwrap();
    let youth = store.create_program(&by(), "Youth", "").await.unwrap();
    let group = |program, name: &str| NewGroup {
        program_id: program,
        name: name.into(),
        kind: GroupKind::Closed,
        planned_sessions: Some(10),
        capacity: Some(8),
        schedule: "Tuesdays".into(),
        meeting: None,
        starts_on: date(2026, 1, 6),
    };
    let g1 = store
        .create_group(&by(), &group(reentry.id, "Tuesday men"))
        .await
        .unwrap();
    let g2 = store
        .create_group(&by(), &group(youth.id, "Teen anger"))
        .await
        .unwrap();
    let fac = store
        .create_user(&by(), &new_user("fac", Role::Facilitator))
        .await
        .unwrap();
    let mut sup = new_user("sup", Role::Supervisor);
    sup.programs = vec![youth.id];
    let sup = store.create_user(&by(), &sup).await.unwrap();
    let admin = store
        .create_user(&by(), &new_user("adm", Role::Admin))
        .await
        .unwrap();
    store
        .assign_staff(&by(), g1.id, fac.id, GroupStaffRole::Lead)
        .await
        .unwrap();

    let names = |groups: Vec<domain::Group>| groups.into_iter().map(|g| g.name).collect::<Vec<_>>();
    let fac_actor = store.actor(fac.id).await.unwrap();
    assert_eq!(fac_actor.groups.get(&g1.id), Some(&GroupStaffRole::Lead));
    assert_eq!(
        names(store.groups_visible_to(&fac_actor).await.unwrap()),
        ["Tuesday men"]
    );
    assert_eq!(
        names(
            store
                .groups_visible_to(&store.actor(sup.id).await.unwrap())
                .await
                .unwrap()
        ),
        ["Teen anger"]
    );
    assert_eq!(
        store
            .groups_visible_to(&store.actor(admin.id).await.unwrap())
            .await
            .unwrap()
            .len(),
        2
    );
    assert!(
        store
            .groups_visible_to(&Actor::new(UserId(999), Role::Participant))
            .await
            .unwrap()
            .is_empty()
    );
    let staff = store.group_staff(g1.id).await.unwrap();
    assert_eq!(staff.len(), 1);
    assert!(store.group_staff(g2.id).await.unwrap().is_empty());
    store.remove_staff(&by(), g1.id, fac.id).await.unwrap();
    assert!(store.group_staff(g1.id).await.unwrap().is_empty());
    assert!(matches!(
        store.remove_staff(&by(), g1.id, fac.id).await,
        Err(StoreError::NotFound)
    ));
    // A group in a program that does not exist is refused.
    let orphan = store
        .create_group(&by(), &group(domain::ProgramId(9999), "Orphan"))
        .await;
    assert!(matches!(orphan, Err(StoreError::NotFound)), "{orphan:?}");
}

async fn an_open_ended_group_keeps_twelve_weeks_planned(store: SharedStore) {
    let program = store.create_program(&by(), "Drop-in", "").await.unwrap();
    let mondays = domain::Schedule::new(
        jiff::civil::Weekday::Monday,
        jiff::civil::time(18, 0, 0, 0),
        60,
    )
    .unwrap();
    let group = store
        .create_group(
            &by(),
            &NewGroup {
                program_id: program.id,
                name: "Monday drop-in".into(),
                kind: GroupKind::Open,
                planned_sessions: None,
                capacity: None,
                schedule: String::new(),
                meeting: Some(mondays),
                starts_on: date(2026, 3, 2),
            },
        )
        .await
        .unwrap();
    assert_eq!(group.schedule, "Mondays 18:00–19:00");
    assert_eq!(group.status, domain::GroupStatus::Planned);
    let sessions = store.sessions(group.id).await.unwrap();
    // Created on Monday 2 March: that day and the twelve Mondays after it.
    assert_eq!(sessions.len(), 13);
    assert!(sessions.iter().all(|s| s.minutes == 60 && !s.extra));
    assert_eq!(
        sessions.iter().map(|s| s.number).collect::<Vec<_>>(),
        (1..=13).collect::<Vec<_>>()
    );
    // A week later the second session is held: the group is active and one more Monday
    // is planned, so twelve weeks stay ahead.
    let a_week_later =
        AuditContext::system("test", "test", "2026-03-09T20:00:00Z".parse().unwrap());
    let held = store
        .hold_session(&a_week_later, sessions[1].id)
        .await
        .unwrap();
    assert_eq!(held.status, SessionStatus::Held);
    assert_eq!(store.sessions(group.id).await.unwrap().len(), 14);
    assert_eq!(
        store.group(group.id).await.unwrap().status,
        domain::GroupStatus::Active
    );
    // Groups only move forward.
    let ended = store
        .end_group(&a_week_later, group.id, date(2026, 3, 9))
        .await
        .unwrap();
    assert_eq!(ended.ended_on, Some(date(2026, 3, 9)));
    assert!(matches!(
        store.start_group(&a_week_later, group.id).await,
        Err(StoreError::Refused(_))
    ));
    let statuses: Vec<SessionStatus> = store
        .sessions(group.id)
        .await
        .unwrap()
        .iter()
        .map(|s| s.status)
        .collect();
    assert_eq!(statuses[..2], [SessionStatus::Planned, SessionStatus::Held]);
    assert!(statuses[2..].iter().all(|s| *s == SessionStatus::Cancelled));
    let report = store.verify_audit_chain().await.unwrap();
    assert!(report.first_break.is_none());
}

async fn seeded_group(store: &SharedStore) -> (domain::Group, domain::Session) {
    let program = store.create_program(&by(), "Reentry", "").await.unwrap();
    let group = store
        .create_group(
            &by(),
            &NewGroup {
                program_id: program.id,
                name: "Thursday group".into(),
                kind: GroupKind::Rolling,
                planned_sessions: None,
                capacity: None,
                schedule: String::new(),
                meeting: None,
                starts_on: date(2026, 1, 8),
            },
        )
        .await
        .unwrap();
    let session = store
        .create_session(
            &by(),
            &NewSession {
                group_id: group.id,
                number: 1,
                scheduled_at: at(),
                status: SessionStatus::Held,
            },
        )
        .await
        .unwrap();
    (group, session)
}

async fn members_enroll_attend_and_codes_are_unique(store: SharedStore) {
    let (group, session) = seeded_group(&store).await;
    let code = MemberCode::parse("M-7Q3K").unwrap();
    let alias = MemberAlias::parse("J.").unwrap();
    let member = store
        .create_member(&by(), &code, Some(&alias))
        .await
        .unwrap();
    assert_eq!(
        store.member_by_code(&code).await.unwrap().map(|m| m.id),
        Some(member.id)
    );
    assert_eq!(
        store
            .member_by_code(&MemberCode::parse("M-2222").unwrap())
            .await
            .unwrap(),
        None
    );
    assert!(matches!(
        store.create_member(&by(), &code, None).await,
        Err(StoreError::Taken("member code"))
    ));
    store
        .enroll(&by(), member.id, group.id, date(2026, 1, 8))
        .await
        .unwrap();
    assert!(matches!(
        store
            .enroll(&by(), member.id, group.id, date(2026, 1, 9))
            .await,
        Err(StoreError::Invalid { field: "code", .. })
    ));
    let late = store
        .record_attendance(
            &by(),
            session.id,
            member.id,
            AttendanceMark::new(AttendanceStatus::Late, 10, 0, session.minutes).unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(late.late_minutes, 10);
    assert_eq!(
        late.arrived_at,
        Some("2026-03-02T18:10:00Z".parse().unwrap()),
        "the arrival time follows from the minutes"
    );
    // Recording again replaces, it does not duplicate.
    store
        .record_attendance(
            &by(),
            session.id,
            member.id,
            AttendanceMark::plain(AttendanceStatus::Present),
        )
        .await
        .unwrap();
    let attendance = store.attendance(session.id).await.unwrap();
    assert_eq!(attendance.len(), 1);
    assert_eq!(attendance[0].status, AttendanceStatus::Present);
    assert_eq!(attendance[0].late_minutes, 0);
    let left_before_joining = store
        .end_enrollment(
            &by(),
            member.id,
            group.id,
            date(2026, 1, 1),
            domain::LeaveReason::Dropout,
        )
        .await;
    assert!(matches!(
        left_before_joining,
        Err(StoreError::Invalid {
            field: "left_on",
            ..
        })
    ));
    // Not before the session they attended on 2 March.
    let left_before_attending = store
        .end_enrollment(
            &by(),
            member.id,
            group.id,
            date(2026, 3, 2),
            domain::LeaveReason::Dropout,
        )
        .await;
    assert!(matches!(
        left_before_attending,
        Err(StoreError::Invalid {
            field: "left_on",
            ..
        })
    ));
    let ended = store
        .end_enrollment(
            &by(),
            member.id,
            group.id,
            date(2026, 3, 5),
            domain::LeaveReason::Dropout,
        )
        .await
        .unwrap();
    assert_eq!(ended.leave_reason, Some(domain::LeaveReason::Dropout));
    let roster = store.roster(group.id).await.unwrap();
    assert_eq!(roster.len(), 1);
    assert_eq!(roster[0].enrollment.left_on, Some(date(2026, 3, 5)));
    assert_eq!(
        roster[0].member.alias.as_ref().map(MemberAlias::as_str),
        Some("J.")
    );
    assert!(matches!(
        store
            .create_session(
                &by(),
                &NewSession {
                    group_id: group.id,
                    number: 1,
                    scheduled_at: at(),
                    status: SessionStatus::Planned
                }
            )
            .await,
        Err(StoreError::Refused(_))
    ));
}

async fn attendance_needs_an_enrolled_member(store: SharedStore) {
    let (_group, session) = seeded_group(&store).await;
    let stranger = store
        .create_member(&by(), &MemberCode::parse("M-2345").unwrap(), None)
        .await
        .unwrap();
    let before = store
        .audit_rows(&AuditFilter::default())
        .await
        .unwrap()
        .len();
    let result = store
        .record_attendance(
            &by(),
            session.id,
            stranger.id,
            AttendanceMark::plain(AttendanceStatus::Present),
        )
        .await;
    assert!(matches!(result, Err(StoreError::NotFound)));
    assert!(store.attendance(session.id).await.unwrap().is_empty());
    // The refused write left no audit row behind either.
    assert_eq!(
        store
            .audit_rows(&AuditFilter::default())
            .await
            .unwrap()
            .len(),
        before
    );
}

async fn password_change_and_disable_end_sessions(store: SharedStore) {
    store
        .create_user(&by(), &new_user("boss", Role::Admin))
        .await
        .unwrap();
    let user = store
        .create_user(&by(), &new_user("fac", Role::Facilitator))
        .await
        .unwrap();
    store
        .create_auth_session("hash-1", user.id, "csrf-1", at())
        .await
        .unwrap();
    assert_eq!(
        store.auth_session("hash-1").await.unwrap().unwrap().user_id,
        user.id
    );
    store
        .set_password_hash(&by(), user.id, "new-hash")
        .await
        .unwrap();
    assert!(store.auth_session("hash-1").await.unwrap().is_none());
    store
        .create_auth_session("hash-2", user.id, "csrf-2", at())
        .await
        .unwrap();
    let disabled = store.disable_user(&by(), user.id).await.unwrap();
    assert!(disabled.disabled_at.is_some());
    assert!(store.auth_session("hash-2").await.unwrap().is_none());
    store
        .create_auth_session("hash-3", user.id, "csrf-3", at())
        .await
        .unwrap();
    let later: Timestamp = "2026-03-02T19:00:00Z".parse().unwrap();
    assert_eq!(store.delete_idle_auth_sessions(later).await.unwrap(), 1);
}

async fn every_change_is_audited_and_the_chain_verifies(store: SharedStore) {
    let (group, _session) = seeded_group(&store).await;
    let member = store
        .create_member(&by(), &MemberCode::parse("M-ABCD").unwrap(), None)
        .await
        .unwrap();
    store
        .enroll(&by(), member.id, group.id, date(2026, 1, 8))
        .await
        .unwrap();
    store
        .record(
            &by(),
            &AuditEvent::new(AuditAction::View, "member", Some(member.id.0)).member(member.id),
        )
        .await
        .unwrap();
    let report = store.verify_audit_chain().await.unwrap();
    assert_eq!(report.first_break, None);
    assert_eq!(
        report.rows_checked, 6,
        "program, group, session, member, enrollment, view"
    );
    assert!(store.integrity_problems().await.unwrap().is_empty());
}

async fn audit_rows_filter_by_member_group_and_actor(store: SharedStore) {
    let (group, _session) = seeded_group(&store).await;
    let member = store
        .create_member(&by(), &MemberCode::parse("M-WXYZ").unwrap(), None)
        .await
        .unwrap();
    store
        .enroll(&by(), member.id, group.id, date(2026, 1, 8))
        .await
        .unwrap();
    let rows = store
        .audit_rows(&AuditFilter {
            member_id: Some(member.id),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(rows.len(), 2);
    assert!(rows[0].seq > rows[1].seq, "newest first");
    let in_group = store
        .audit_rows(&AuditFilter {
            group_id: Some(group.id),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(in_group.len(), 3, "group, session and enrollment rows");
    let none = store
        .audit_rows(&AuditFilter {
            within_groups: Some(vec![]),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(none.is_empty());
    let later: Timestamp = "2026-03-03T00:00:00Z".parse().unwrap();
    let since = store
        .audit_rows(&AuditFilter {
            from: Some(later),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(since.is_empty());
}

async fn settings_round_trip_and_bad_values_are_refused(store: SharedStore) {
    let mut settings = store.settings().await.unwrap();
    assert_eq!(settings, domain::OrganisationSettings::default());
    settings.name = "Riverside Counselling".into();
    settings.lockout_threshold = 4;
    store.update_settings(&by(), &settings).await.unwrap();
    assert_eq!(store.settings().await.unwrap(), settings);
    let bad = domain::OrganisationSettings {
        idle_logoff_minutes: 0,
        ..settings.clone()
    };
    assert!(matches!(
        store.update_settings(&by(), &bad).await,
        Err(StoreError::Refused(_))
    ));
    assert_eq!(store.settings().await.unwrap(), settings);
}

async fn demo_marker_round_trips(store: SharedStore) {
    assert_eq!(store.demo_state().await.unwrap(), None);
    store.set_demo_state(DemoState::Seeding).await.unwrap();
    assert_eq!(store.demo_state().await.unwrap(), Some(DemoState::Seeding));
    store.set_demo_state(DemoState::Ready).await.unwrap();
    assert_eq!(store.demo_state().await.unwrap(), Some(DemoState::Ready));
}

async fn dropping_everything_leaves_a_database_that_migrates_afresh(store: SharedStore) {
    store.create_program(&by(), "Reentry", "").await.unwrap();
    store.drop_everything().await.unwrap();
    store.migrate().await.unwrap();
    assert!(store.is_empty().await.unwrap());
    assert_eq!(store.verify_audit_chain().await.unwrap().rows_checked, 0);
}
