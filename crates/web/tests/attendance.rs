//! Taking attendance through the session page, on both databases: one tap per member with
//! late and early-leave minutes, "all present", the figures that follow, and the bad input
//! each refuses with nothing half-saved — a member not on the roster that day, minutes that
//! do not fit, a future or cancelled session, a locked one (409), another group's member.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use domain::{AttendanceStatus, GroupStaffRole, Role, SessionStatus};
use reqwest::StatusCode;
use store::AuditFilter;
use testkit::{TestApp, on_both_backends};

on_both_backends!(
    a_co_facilitator_takes_attendance_one_tap_at_a_time,
    bad_attendance_is_refused_and_nothing_is_saved,
    signed_attendance_is_locked,
);

/// Audit rows of changes (views of the re-rendered page are audited too, as views).
async fn audit_count(app: &TestApp) -> usize {
    app.store
        .audit_rows(&AuditFilter {
            limit: 10_000,
            ..Default::default()
        })
        .await
        .unwrap()
        .iter()
        .filter(|row| row.action != "view")
        .count()
}

async fn a_co_facilitator_takes_attendance_one_tap_at_a_time(app: TestApp) {
    let program = app.program("Reentry").await;
    // Thursdays 18:00–19:30 from 5 February; the test clock is 5 March, 17:00.
    let group = app.group(program, "Thursday circle").await;
    let dee = app.member(&group, "M-7Q3K").await;
    let sam = app.member(&group, "M-2345").await;
    let lee = app.member(&group, "M-3456").await;
    let co = app.user("cofac", Role::CoFacilitator, &[program]).await;
    app.staff(&group, &co, GroupStaffRole::CoFacilitator).await;
    let client = app.signed_in(&co).await;
    let sessions = app.store.sessions(group.id).await.unwrap();
    let first = &sessions[0];
    let url = format!("/sessions/{}/attendance", first.id);

    let page = client.get(&format!("/sessions/{}", first.id)).await;
    assert!(page.body.contains("All present") && page.body.contains("0 of 3 attended"));
    // One tap each: Dee 12 minutes late, Sam left 20 minutes early (the minutes field is
    // ignored for the other marks).
    for (member, status, minutes) in [
        (&dee, "late", "12"),
        (&sam, "left-early", "20"),
        (&lee, "absent", "10"),
    ] {
        let tapped = client
            .post_form(
                &url,
                &[
                    ("member", &member.id.to_string()),
                    ("status", status),
                    ("minutes", minutes),
                ],
            )
            .await;
        assert_eq!(tapped.status, StatusCode::SEE_OTHER, "{}", tapped.body);
    }
    // The first mark held the planned session, and the group is active.
    assert_eq!(
        app.store.session(first.id).await.unwrap().status,
        SessionStatus::Held
    );
    let marks = app.store.attendance(first.id).await.unwrap();
    let of = |id| marks.iter().find(|a| a.member_id == id).unwrap();
    assert_eq!(
        (of(dee.id).status, of(dee.id).late_minutes),
        (AttendanceStatus::Late, 12)
    );
    assert_eq!(
        (of(sam.id).status, of(sam.id).left_early_minutes),
        (AttendanceStatus::LeftEarly, 20)
    );
    assert_eq!(
        of(sam.id).left_at,
        Some("2026-02-05T19:10:00Z".parse().unwrap()),
        "left twenty minutes before 19:30"
    );
    assert_eq!(
        (of(lee.id).status, of(lee.id).late_minutes),
        (AttendanceStatus::Absent, 0)
    );
    let page = client.get(&format!("/sessions/{}", first.id)).await;
    assert!(page.body.contains("Late · 12 min") && page.body.contains("Left early · 20 min early"));
    assert!(page.body.contains("2 of 3 attended"));
    assert!(page.body.contains("aria-pressed=\"true\""));

    // A tap changes a mark; "all present" marks only those without one.
    let changed = client
        .post_form(
            &url,
            &[("member", &lee.id.to_string()), ("status", "excused")],
        )
        .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER);
    let second = &sessions[1];
    client
        .post_form(
            &format!("/sessions/{}/attendance", second.id),
            &[("member", &dee.id.to_string()), ("status", "absent")],
        )
        .await;
    let all = client
        .post_form(
            &format!("/sessions/{}/attendance/all-present", second.id),
            &[],
        )
        .await;
    assert_eq!(all.status, StatusCode::SEE_OTHER);
    let marks = app.store.attendance(second.id).await.unwrap();
    assert_eq!(marks.len(), 3);
    assert_eq!(
        marks.iter().find(|a| a.member_id == dee.id).unwrap().status,
        AttendanceStatus::Absent,
        "an existing mark is kept"
    );

    // The figures follow: Dee attended 1 of 2, missing the latest; every mark audited.
    let lead = app.user("lead", Role::Facilitator, &[program]).await;
    app.staff(&group, &lead, GroupStaffRole::Lead).await;
    let page = app
        .signed_in(&lead)
        .await
        .get(&format!("/members/{}", dee.id))
        .await;
    assert!(
        page.body.contains("Attended 1 of 2 sessions (50%)"),
        "{}",
        page.body
    );
    assert!(page.body.contains("Missed the last session"));
    assert!(page.body.contains("Late (12 min late)"));
    let rows = app
        .store
        .audit_rows(&AuditFilter {
            member_id: Some(dee.id),
            actor_id: Some(co.user.id),
            limit: 100,
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(
        rows.iter()
            .any(|r| r.entity == "attendance" && r.detail.contains("late 12 min"))
    );
    assert!(rows.iter().all(|r| r.origin == "web 127.0.0.1"));
}

async fn bad_attendance_is_refused_and_nothing_is_saved(app: TestApp) {
    let program = app.program("Reentry").await;
    let group = app.group(program, "Thursday circle").await;
    let dee = app.member(&group, "M-7Q3K").await;
    let lead = app.user("lead", Role::Facilitator, &[program]).await;
    app.staff(&group, &lead, GroupStaffRole::Lead).await;
    let client = app.signed_in(&lead).await;
    // Joins on 26 February: not on the roster at the sessions before.
    let late_joiner = client
        .post_form(
            &format!("/groups/{}/roster", group.id),
            &[("code", "M-2345"), ("joined_on", "2026-02-26")],
        )
        .await;
    assert_eq!(late_joiner.status, StatusCode::SEE_OTHER);
    let joiner = app
        .store
        .roster(group.id)
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.member.code.as_str() == "M-2345")
        .unwrap()
        .member;
    let elsewhere = app.group(program, "Other circle").await;
    let stranger = app.member(&elsewhere, "M-3456").await;
    let sessions = app.store.sessions(group.id).await.unwrap();
    let first = &sessions[0];
    let next_week = &sessions[5];
    let before = audit_count(&app).await;

    let url = format!("/sessions/{}/attendance", first.id);
    let cases: [(String, &str, &str, &str, StatusCode); 5] = [
        (
            joiner.id.to_string(),
            "present",
            "",
            "not on the roster on Thu 5 Feb 2026",
            StatusCode::BAD_REQUEST,
        ),
        (
            dee.id.to_string(),
            "late",
            "",
            "Minutes: type how many",
            StatusCode::BAD_REQUEST,
        ),
        (
            dee.id.to_string(),
            "late",
            "90",
            "less than the session",
            StatusCode::BAD_REQUEST,
        ),
        (
            dee.id.to_string(),
            "maybe",
            "",
            "Choose present, late",
            StatusCode::BAD_REQUEST,
        ),
        // Never on this roster: answered like an unknown id.
        (
            stranger.id.to_string(),
            "present",
            "",
            "There is nothing here",
            StatusCode::NOT_FOUND,
        ),
    ];
    for (member, status, minutes, message, code) in &cases {
        let page = client
            .post_form(
                &url,
                &[("member", member), ("status", status), ("minutes", minutes)],
            )
            .await;
        assert_eq!(page.status, *code, "{status} {minutes}: {}", page.body);
        assert!(page.body.contains(message), "{message}: {}", page.body);
        // Refusals about a member on the roster that day sit beside their row.
        if *code == StatusCode::BAD_REQUEST && *member == dee.id.to_string() {
            assert!(page.body.contains(&format!("id=\"member-{member}-error\"")));
        }
    }
    // Next week's session has no attendance yet, nor has a cancelled one.
    let future = client
        .post_form(
            &format!("/sessions/{}/attendance", next_week.id),
            &[("member", &dee.id.to_string()), ("status", "present")],
        )
        .await;
    assert_eq!(future.status, StatusCode::BAD_REQUEST);
    assert!(future.body.contains("attendance is taken from that day on"));
    app.store
        .cancel_session(&app.by(), sessions[6].id, "Holiday")
        .await
        .unwrap();
    let cancelled = client
        .post_form(
            &format!("/sessions/{}/attendance/all-present", sessions[6].id),
            &[],
        )
        .await;
    assert_eq!(cancelled.status, StatusCode::BAD_REQUEST);
    assert!(cancelled.body.contains("was cancelled"));
    for session in &sessions {
        assert!(app.store.attendance(session.id).await.unwrap().is_empty());
    }
    // The cancellation was the only change; refused marks left no audit row.
    assert_eq!(audit_count(&app).await, before + 1);

    // Another facilitator's session answers like an unknown one.
    let other = app.user("other", Role::Facilitator, &[program]).await;
    app.staff(&elsewhere, &other, GroupStaffRole::Lead).await;
    let refused = app
        .signed_in(&other)
        .await
        .post_form(
            &url,
            &[("member", &dee.id.to_string()), ("status", "present")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
}

async fn signed_attendance_is_locked(app: TestApp) {
    let program = app.program("Reentry").await;
    let group = app.group(program, "Thursday circle").await;
    let dee = app.member(&group, "M-7Q3K").await;
    let lead = app.user("lead", Role::Facilitator, &[program]).await;
    app.staff(&group, &lead, GroupStaffRole::Lead).await;
    let client = app.signed_in(&lead).await;
    let first = app.store.sessions(group.id).await.unwrap()[0].clone();
    let url = format!("/sessions/{}/attendance", first.id);
    client
        .post_form(
            &url,
            &[("member", &dee.id.to_string()), ("status", "present")],
        )
        .await;
    // Signing the group note locks attendance (the notes change calls this).
    app.store
        .lock_attendance(&app.by(), first.id)
        .await
        .unwrap();
    let changed = client
        .post_form(
            &url,
            &[("member", &dee.id.to_string()), ("status", "absent")],
        )
        .await;
    assert_eq!(changed.status, StatusCode::CONFLICT);
    assert!(changed.body.contains("locked"));
    let all = client.post_form(&format!("{url}/all-present"), &[]).await;
    assert_eq!(all.status, StatusCode::CONFLICT);
    let marks = app.store.attendance(first.id).await.unwrap();
    assert_eq!(marks.len(), 1);
    assert_eq!(
        marks[0].status,
        AttendanceStatus::Present,
        "nothing changed"
    );
    let page = client.get(&format!("/sessions/{}", first.id)).await;
    assert!(page.body.contains("Attendance is locked") && !page.body.contains("All present"));
}
