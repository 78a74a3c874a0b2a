//! The roster through the pages, on both databases: enrolling with a generated code or one
//! from an outside record, aliases and kiosk labels, leaving and coming back with the whole
//! history kept, mid-course joiners expected at every later session, and the bad input
//! each refuses with nothing half-saved.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use domain::{GroupStaffRole, MemberCode, Role};
use reqwest::StatusCode;
use store::AuditFilter;
use testkit::{TestApp, on_both_backends};

on_both_backends!(
    members_are_enrolled_with_generated_or_outside_codes,
    bad_roster_input_is_refused_beside_its_field_and_nothing_is_saved,
    a_member_leaves_and_comes_back_with_the_history_kept,
    a_mid_course_joiner_is_expected_at_every_later_session,
);

/// Form fields as (name, value).
type Form<'a> = Vec<(&'a str, &'a str)>;

async fn audit_count(app: &TestApp) -> usize {
    app.store
        .audit_rows(&AuditFilter {
            limit: 10_000,
            ..Default::default()
        })
        .await
        .unwrap()
        .len()
}

async fn members_are_enrolled_with_generated_or_outside_codes(app: TestApp) {
    let program = app.program("Reentry").await;
    let group = app.group(program, "Thursday circle").await;
    let lead = app.user("lead", Role::Facilitator, &[program]).await;
    let co = app.user("cofac", Role::CoFacilitator, &[program]).await;
    let supervisor = app.user("sup", Role::Supervisor, &[program]).await;
    app.staff(&group, &lead, GroupStaffRole::Lead).await;
    app.staff(&group, &co, GroupStaffRole::CoFacilitator).await;
    let client = app.signed_in(&lead).await;
    let url = format!("/groups/{}/roster", group.id);

    let form = client.get(&format!("{url}/new")).await;
    assert!(
        form.body.contains("value=\"2026-03-05\""),
        "joins today by default"
    );
    let generated = client
        .post_form(&url, &[("code", ""), ("joined_on", "2026-03-05")])
        .await;
    assert_eq!(
        generated.status,
        StatusCode::SEE_OTHER,
        "{}",
        generated.body
    );
    let outside = client
        .post_form(
            &url,
            &[
                ("code", " m-7q3k "),
                ("alias", "Dee"),
                ("kiosk_label", "Blue star"),
                ("joined_on", "2026-02-05"),
            ],
        )
        .await;
    assert_eq!(outside.status, StatusCode::SEE_OTHER, "{}", outside.body);
    let roster = app.store.roster(group.id).await.unwrap();
    assert_eq!(roster.len(), 2);
    let dee = roster
        .iter()
        .find(|r| r.member.code.as_str() == "M-7Q3K")
        .unwrap();
    assert_eq!(dee.enrollment.kiosk_label.as_deref(), Some("Blue star"));
    let other = roster
        .iter()
        .find(|r| r.member.id != dee.member.id)
        .unwrap();
    assert!(MemberCode::parse(other.member.code.as_str()).is_ok());
    assert_eq!(
        other.enrollment.kiosk_label_or(&other.member.code),
        other.member.code.as_str(),
        "the kiosk shows the code unless a label is set"
    );

    // Staff of the group see the alias, a supervisor does not.
    let page = app
        .signed_in(&co)
        .await
        .get(&format!("/groups/{}", group.id))
        .await;
    assert!(page.body.contains("Dee") && page.body.contains("staff of this group see this"));
    let page = app
        .signed_in(&supervisor)
        .await
        .get(&format!("/groups/{}", group.id))
        .await;
    assert!(page.body.contains("M-7Q3K") && !page.body.contains("Dee"));

    // A member known in another group is enrolled by their code.
    let youth = app.program("Youth").await;
    let teen = app.group(youth, "Teen group").await;
    let known = app.member(&teen, "M-2345").await;
    let existing = client
        .post_form(
            &url,
            &[
                ("code", "M-2345"),
                ("existing", "1"),
                ("joined_on", "2026-03-05"),
            ],
        )
        .await;
    assert_eq!(existing.status, StatusCode::SEE_OTHER, "{}", existing.body);
    assert!(
        app.store
            .roster(group.id)
            .await
            .unwrap()
            .iter()
            .any(|r| r.member.id == known.id)
    );
    // The member page shows this group, not the other program's.
    let page = client.get(&format!("/members/{}", known.id)).await;
    assert!(page.body.contains("Thursday circle") && !page.body.contains("Teen group"));

    // Alias and kiosk label change on the member's roster page; the change is audited.
    let saved = client
        .post_form(
            &format!("{url}/{}", dee.member.id),
            &[("alias", "D."), ("kiosk_label", "")],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let roster = app.store.roster(group.id).await.unwrap();
    let dee = roster
        .iter()
        .find(|r| r.member.id == dee.member.id)
        .unwrap();
    assert_eq!(dee.member.alias.as_ref().unwrap().as_str(), "D.");
    assert_eq!(dee.enrollment.kiosk_label, None);
    let rows = app
        .store
        .audit_rows(&AuditFilter {
            member_id: Some(dee.member.id),
            limit: 100,
            ..Default::default()
        })
        .await
        .unwrap();
    for action in ["create", "enroll", "update"] {
        assert!(
            rows.iter()
                .any(|r| r.action == action && r.origin == "web 127.0.0.1"),
            "{action}: {rows:?}"
        );
    }
}

async fn bad_roster_input_is_refused_beside_its_field_and_nothing_is_saved(app: TestApp) {
    let program = app.program("Reentry").await;
    let group = app.group(program, "Thursday circle").await;
    let elsewhere = app.group(program, "Other circle").await;
    app.member(&elsewhere, "M-7Q3K").await;
    let lead = app.user("lead", Role::Facilitator, &[program]).await;
    app.staff(&group, &lead, GroupStaffRole::Lead).await;
    let client = app.signed_in(&lead).await;
    let url = format!("/groups/{}/roster", group.id);
    let long = "x".repeat(41);
    let cases: [(Form, &str, &str); 6] = [
        (
            vec![("code", "M-7Q3K"), ("joined_on", "2026-03-05")],
            "code",
            "already in use",
        ),
        (
            vec![("code", "M-0000"), ("joined_on", "2026-03-05")],
            "code",
            "must be M- followed by 4 letters or digits",
        ),
        (
            vec![
                ("code", "M-9999"),
                ("existing", "1"),
                ("joined_on", "2026-03-05"),
            ],
            "code",
            "No member has the code M-9999",
        ),
        (
            vec![("alias", &long), ("joined_on", "2026-03-05")],
            "alias",
            "must be 1 to 40 characters",
        ),
        (
            vec![("kiosk_label", &long), ("joined_on", "2026-03-05")],
            "kiosk_label",
            "at most 40 characters",
        ),
        (vec![("joined_on", "soon")], "joined_on", "use a date like"),
    ];
    let before = audit_count(&app).await;
    for (fields, field, message) in cases {
        let page = client.post_form(&url, &fields).await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST, "{fields:?}");
        assert!(page.body.contains(message), "{message}: {}", page.body);
        assert!(
            page.body.contains(&format!("id=\"{field}-error\"")),
            "{field}"
        );
    }
    assert!(app.store.roster(group.id).await.unwrap().is_empty());
    assert_eq!(audit_count(&app).await, before, "no member, no audit row");

    // Another facilitator's group and members answer like unknown ones.
    let stranger = app.user("stranger", Role::Facilitator, &[program]).await;
    app.staff(&elsewhere, &stranger, GroupStaffRole::Lead).await;
    let other = app.signed_in(&stranger).await;
    assert_eq!(
        other.get(&format!("{url}/new")).await.status,
        StatusCode::NOT_FOUND
    );
    let theirs = app.store.roster(elsewhere.id).await.unwrap()[0].member.id;
    // Their own group, but a member who is not on it; and someone else's group.
    for path in [
        format!("/groups/{}/roster/{}", group.id, theirs),
        format!("/groups/{}/roster/999999", elsewhere.id),
    ] {
        assert_eq!(
            client.get(&path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let left = client
        .post_form(
            &format!("/groups/{}/roster/{theirs}/leave", group.id),
            &[("left_on", "2026-03-05"), ("reason", "completed")],
        )
        .await;
    assert_eq!(left.status, StatusCode::NOT_FOUND);
    let forged = other
        .post_form(&url, &[("code", ""), ("joined_on", "2026-03-05")])
        .await;
    assert_eq!(forged.status, StatusCode::NOT_FOUND);
}

async fn a_member_leaves_and_comes_back_with_the_history_kept(app: TestApp) {
    let program = app.program("Reentry").await;
    let group = app.group(program, "Thursday circle").await;
    let member = app.member(&group, "M-7Q3K").await;
    let lead = app.user("lead", Role::Facilitator, &[program]).await;
    app.staff(&group, &lead, GroupStaffRole::Lead).await;
    let client = app.signed_in(&lead).await;
    let page_url = format!("/groups/{}/roster/{}", group.id, member.id);

    // A leaving date before the joining date (5 February) is refused beside its field.
    let early = client
        .post_form(
            &format!("{page_url}/leave"),
            &[("left_on", "2026-02-01"), ("reason", "dropout")],
        )
        .await;
    assert_eq!(early.status, StatusCode::BAD_REQUEST);
    assert!(early.body.contains("id=\"left_on-error\""));
    assert!(
        early
            .body
            .contains("cannot be before the joining date (Thu 5 Feb 2026)")
    );
    assert!(
        early.body.contains("value=\"2026-02-01\""),
        "what was typed comes back"
    );
    let no_reason = client
        .post_form(&format!("{page_url}/leave"), &[("left_on", "2026-02-20")])
        .await;
    assert!(no_reason.body.contains("id=\"reason-error\""));
    assert!(
        app.store.roster(group.id).await.unwrap()[0]
            .enrollment
            .left_on
            .is_none()
    );

    let left = client
        .post_form(
            &format!("{page_url}/leave"),
            &[("left_on", "2026-02-20"), ("reason", "released")],
        )
        .await;
    assert_eq!(left.status, StatusCode::SEE_OTHER);
    let page = client.get(&format!("/groups/{}", group.id)).await;
    assert!(
        page.body.contains("Left Fri 20 Feb 2026 (released)"),
        "{}",
        page.body
    );

    // Coming back: not before the last stay ended; then a second stay.
    let overlapping = client
        .post_form(
            &format!("/groups/{}/roster", group.id),
            &[
                ("code", "M-7Q3K"),
                ("existing", "1"),
                ("joined_on", "2026-02-10"),
            ],
        )
        .await;
    assert_eq!(overlapping.status, StatusCode::BAD_REQUEST);
    assert!(overlapping.body.contains("id=\"joined_on-error\""));
    let back = client
        .post_form(
            &format!("/groups/{}/roster", group.id),
            &[
                ("code", "M-7Q3K"),
                ("existing", "1"),
                ("joined_on", "2026-03-05"),
            ],
        )
        .await;
    assert_eq!(back.status, StatusCode::SEE_OTHER, "{}", back.body);
    let page = client.get(&page_url).await;
    assert!(
        page.body.contains("Thu 5 Feb 2026") && page.body.contains("Fri 20 Feb 2026 (released)")
    );
    assert!(page.body.contains("Thu 5 Mar 2026") && page.body.contains("On the roster"));
    let stays = app.store.member_enrollments(member.id).await.unwrap();
    assert_eq!(stays.len(), 2);
}

async fn a_mid_course_joiner_is_expected_at_every_later_session(app: TestApp) {
    let program = app.program("Reentry").await;
    // Thursdays from 5 February 2026, ten sessions.
    let group = app.group(program, "Thursday circle").await;
    let first = app.member(&group, "M-2345").await;
    let lead = app.user("lead", Role::Facilitator, &[program]).await;
    app.staff(&group, &lead, GroupStaffRole::Lead).await;
    let client = app.signed_in(&lead).await;
    let joined = client
        .post_form(
            &format!("/groups/{}/roster", group.id),
            &[("code", "M-7Q3K"), ("joined_on", "2026-02-26")],
        )
        .await;
    assert_eq!(joined.status, StatusCode::SEE_OTHER);
    let sessions = app.store.sessions(group.id).await.unwrap();
    // 19 February (session 3): only the first member; 26 February onwards: both, with no
    // booking of any kind.
    let page = client.get(&format!("/sessions/{}", sessions[2].id)).await;
    assert!(page.body.contains(first.code.as_str()) && !page.body.contains("M-7Q3K"));
    for session in &sessions[3..] {
        let page = client.get(&format!("/sessions/{}", session.id)).await;
        assert!(page.body.contains("M-7Q3K"), "session {}", session.number);
        assert!(page.body.contains(first.code.as_str()));
    }
}
