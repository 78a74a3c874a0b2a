//! The member page shows only what the viewer may see: the groups, dates and attendance of
//! the groups they may view, never those of another program's group the member is also in.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use domain::{AttendanceMark, AttendanceStatus, GroupStaffRole, MemberAlias, MemberCode, Role};
use reqwest::StatusCode;
use testkit::{TestApp, on_both_backends};

on_both_backends!(a_member_page_shows_only_the_groups_the_viewer_may_see);

async fn a_member_page_shows_only_the_groups_the_viewer_may_see(app: TestApp) {
    let reentry = app.program("Reentry").await;
    let youth = app.program("Youth").await;
    let mine = app.group(reentry, "Tuesday circle").await;
    let theirs = app.group(youth, "Teen group").await;
    let by = app.by();
    let member = app
        .store
        .create_member(
            &by,
            &MemberCode::parse("M-7Q3K").unwrap(),
            Some(&MemberAlias::parse("Dee").unwrap()),
        )
        .await
        .unwrap();
    app.store
        .enroll(&by, member.id, mine.id, jiff::civil::date(2026, 2, 12))
        .await
        .unwrap();
    app.store
        .enroll(&by, member.id, theirs.id, jiff::civil::date(2026, 1, 20))
        .await
        .unwrap();
    // Both groups meet on Thursdays from 5 February: the member is present at this group's
    // second session (12 February) and excused from the other group's first (5 February).
    for (group, index, status) in [
        (&mine, 1, AttendanceStatus::Present),
        (&theirs, 0, AttendanceStatus::Excused),
    ] {
        let session = app.store.sessions(group.id).await.unwrap()[index].clone();
        app.store
            .record_attendance(&by, session.id, member.id, AttendanceMark::plain(status))
            .await
            .unwrap();
    }

    let facilitator = app.user("fac", Role::Facilitator, &[reentry]).await;
    app.staff(&mine, &facilitator, GroupStaffRole::Lead).await;
    let outsider = app.user("other.fac", Role::Facilitator, &[youth]).await;
    app.staff(&theirs, &outsider, GroupStaffRole::Lead).await;
    let supervisor = app.user("sup", Role::Supervisor, &[reentry]).await;

    let url = format!("/members/{}", member.id);
    let page = app.signed_in(&facilitator).await.get(&url).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Tuesday circle"), "{}", page.body);
    assert!(
        page.body.contains("Dee"),
        "staff of the group see the alias"
    );
    for leaked in [
        "Teen group",
        "20 Jan 2026",
        "2026-01-20",
        "10 Feb 2026",
        "Excused",
        "excused",
    ] {
        assert!(
            !page.body.contains(leaked),
            "the facilitator of another program's group must not see {leaked:?}"
        );
    }

    // The view is audited, with who looked and from which address.
    let views = app
        .store
        .audit_rows(&store::AuditFilter {
            member_id: Some(member.id),
            actor_id: Some(facilitator.user.id),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(
        views
            .iter()
            .any(|row| row.action == "view" && row.origin == "web 127.0.0.1"),
        "{views:?}"
    );

    let page = app.signed_in(&outsider).await.get(&url).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Teen group"));
    assert!(!page.body.contains("Tuesday circle"));

    let page = app.signed_in(&supervisor).await.get(&url).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Tuesday circle") && !page.body.contains("Teen group"));
    assert!(
        !page.body.contains("Dee"),
        "aliases are for the staff of the member's groups only"
    );
}
