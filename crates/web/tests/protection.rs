//! Accounts and protection, end to end over HTTP on both databases: lockout and unlock,
//! idle logoff, disabled accounts, password changes, rate limits, refused bad input, and
//! the audit viewer with its filters and CSV.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use domain::{GroupStaffRole, Role};
use jiff::SignedDuration;
use reqwest::StatusCode;
use store::AuditFilter;
use testkit::{TestApp, on_both_backends};

on_both_backends!(
    an_account_locks_after_the_configured_failures_and_an_admin_unlocks_it,
    idle_sessions_are_signed_out,
    a_disabled_users_old_session_stops_working,
    changing_a_password_needs_the_current_one_and_ends_other_sessions,
    weak_passwords_and_duplicate_usernames_are_refused_and_nothing_changes,
    the_last_admin_cannot_demote_themselves,
    a_forged_role_is_refused,
    sign_in_attempts_are_rate_limited_per_address,
    settings_are_checked_and_saved,
    the_audit_viewer_filters_and_downloads_csv,
    supervisors_see_only_their_programs_in_the_audit_log,
    viewing_a_member_page_writes_an_audit_row,
);

async fn set_lockout(app: &TestApp, threshold: u32) {
    let mut settings = app.store.settings().await.unwrap();
    settings.lockout_threshold = threshold;
    app.store
        .update_settings(&app.by(), &settings)
        .await
        .unwrap();
    app.state.forget_settings();
}

async fn an_account_locks_after_the_configured_failures_and_an_admin_unlocks_it(app: TestApp) {
    set_lockout(&app, 3).await;
    let admin = app.user("boss", Role::Admin, &[]).await;
    let facilitator = app.user("fac", Role::Facilitator, &[]).await;
    let client = app.client();
    for attempt in 1..=3 {
        let response = client.sign_in("fac", "wrong password number x").await;
        let body = response.text().await.unwrap();
        if attempt < 3 {
            assert!(body.contains("do not match"), "attempt {attempt}");
        } else {
            assert!(body.contains("locked"), "the third failure locks: {body}");
        }
    }
    // Even the right password is refused while locked, with the same clear message.
    let locked = client.sign_in("fac", &facilitator.password).await;
    assert_eq!(locked.status(), StatusCode::FORBIDDEN);
    assert!(
        locked
            .text()
            .await
            .unwrap()
            .contains("Ask an administrator to unlock it")
    );

    let admin_client = app.signed_in(&admin).await;
    let page = admin_client
        .get(&format!("/admin/users/{}", facilitator.user.id))
        .await;
    assert!(page.body.contains("Unlock account"));
    let unlocked = admin_client
        .post_form(&format!("/admin/users/{}/unlock", facilitator.user.id), &[])
        .await;
    assert_eq!(unlocked.status, StatusCode::SEE_OTHER);
    assert_eq!(
        client.sign_in("fac", &facilitator.password).await.status(),
        StatusCode::SEE_OTHER
    );

    let rows = app.store.audit_rows(&AuditFilter::default()).await.unwrap();
    let actions: Vec<&str> = rows.iter().rev().map(|r| r.action.as_str()).collect();
    let failed = actions.iter().filter(|a| **a == "sign-in-failed").count();
    assert_eq!(
        failed, 4,
        "three failures and the attempt while locked: {actions:?}"
    );
    for expected in ["lockout", "unlock", "sign-in"] {
        assert!(
            actions.contains(&expected),
            "{expected} missing from {actions:?}"
        );
    }
}

async fn idle_sessions_are_signed_out(app: TestApp) {
    let user = app.user("fac", Role::Facilitator, &[]).await;
    let client = app.signed_in(&user).await;
    app.clock.advance(SignedDuration::from_mins(29));
    assert_eq!(client.get("/home").await.status, StatusCode::OK);
    // Activity resets the idle clock only once a minute has passed; wait past the limit.
    app.clock.advance(SignedDuration::from_mins(31));
    let page = client.get("/home").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert!(page.location().unwrap().contains("expired=1"));
    let login = client.get(page.location().unwrap()).await;
    assert!(
        login
            .body
            .contains("signed out after a period without activity")
    );
}

async fn a_disabled_users_old_session_stops_working(app: TestApp) {
    let admin = app.user("boss", Role::Admin, &[]).await;
    let user = app.user("fac", Role::Facilitator, &[]).await;
    let client = app.signed_in(&user).await;
    let admin_client = app.signed_in(&admin).await;
    let done = admin_client
        .post_form(&format!("/admin/users/{}/disable", user.user.id), &[])
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert_eq!(client.get("/home").await.status, StatusCode::SEE_OTHER);
    let again = app.client().sign_in("fac", &user.password).await;
    assert_eq!(
        again.status(),
        StatusCode::UNAUTHORIZED,
        "a disabled account cannot sign in"
    );
}

async fn changing_a_password_needs_the_current_one_and_ends_other_sessions(app: TestApp) {
    let user = app.user("fac", Role::Facilitator, &[]).await;
    let here = app.signed_in(&user).await;
    let elsewhere = app.signed_in(&user).await;
    let wrong = here
        .post_form(
            "/account/password",
            &[
                ("current_password", "not my password"),
                ("new_password", "a brand new passphrase"),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    assert!(wrong.body.contains("current password is not right"));
    let weak = here
        .post_form(
            "/account/password",
            &[
                ("current_password", &user.password),
                ("new_password", "short"),
            ],
        )
        .await;
    assert_eq!(weak.status, StatusCode::BAD_REQUEST);
    assert!(weak.body.contains("at least 12 characters"));
    assert_eq!(
        elsewhere.get("/home").await.status,
        StatusCode::OK,
        "refused changes end nothing"
    );

    let changed = here
        .post_form(
            "/account/password",
            &[
                ("current_password", &user.password),
                ("new_password", "a brand new passphrase"),
            ],
        )
        .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER);
    assert_eq!(
        here.get("/home").await.status,
        StatusCode::OK,
        "this browser gets a fresh session"
    );
    assert_eq!(
        elsewhere.get("/home").await.status,
        StatusCode::SEE_OTHER,
        "other sessions end"
    );
    assert_eq!(
        app.client()
            .sign_in("fac", "a brand new passphrase")
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
}

async fn weak_passwords_and_duplicate_usernames_are_refused_and_nothing_changes(app: TestApp) {
    let admin = app.user("boss", Role::Admin, &[]).await;
    app.user("taken.name", Role::Facilitator, &[]).await;
    let client = app.signed_in(&admin).await;
    let before = app.store.users().await.unwrap().len();
    let weak = client
        .post_form(
            "/admin/users",
            &[
                ("username", "new.person"),
                ("display_name", "New"),
                ("role", "facilitator"),
                ("password", "password1234"),
            ],
        )
        .await;
    assert_eq!(weak.status, StatusCode::BAD_REQUEST);
    assert!(weak.body.contains("most common"), "{}", weak.body);
    assert!(
        weak.body.contains("value=\"new.person\""),
        "the form keeps what was typed"
    );
    let duplicate = client
        .post_form(
            "/admin/users",
            &[
                ("username", "Taken.Name"),
                ("display_name", "Dup"),
                ("role", "facilitator"),
            ],
        )
        .await;
    assert_eq!(duplicate.status, StatusCode::BAD_REQUEST);
    assert!(duplicate.body.contains("already taken"));
    assert_eq!(app.store.users().await.unwrap().len(), before);

    let created = client
        .post_form(
            "/admin/users",
            &[
                ("username", "new.person"),
                ("display_name", "New"),
                ("role", "facilitator"),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED);
    assert!(created.body.contains("Initial password"));
}

async fn the_last_admin_cannot_demote_themselves(app: TestApp) {
    let admin = app.user("boss", Role::Admin, &[]).await;
    let client = app.signed_in(&admin).await;
    let page = client
        .post_form(
            &format!("/admin/users/{}/role", admin.user.id),
            &[("role", "facilitator")],
        )
        .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(page.body.contains("last active administrator"));
    assert_eq!(
        app.store.user(admin.user.id).await.unwrap().role,
        Role::Admin
    );
    let disable = client
        .post_form(&format!("/admin/users/{}/disable", admin.user.id), &[])
        .await;
    assert_eq!(disable.status, StatusCode::BAD_REQUEST);
    assert!(
        app.store
            .user(admin.user.id)
            .await
            .unwrap()
            .disabled_at
            .is_none()
    );
}

async fn a_forged_role_is_refused(app: TestApp) {
    let admin = app.user("boss", Role::Admin, &[]).await;
    let target = app.user("fac", Role::Facilitator, &[]).await;
    let client = app.signed_in(&admin).await;
    let forged = client
        .post_form(
            &format!("/admin/users/{}/role", target.user.id),
            &[("role", "superuser")],
        )
        .await;
    assert_eq!(forged.status, StatusCode::BAD_REQUEST);
    assert!(forged.body.contains("unknown value"));
    assert_eq!(
        app.store.user(target.user.id).await.unwrap().role,
        Role::Facilitator
    );
    let created = client
        .post_form(
            "/admin/users",
            &[
                ("username", "sneaky"),
                ("display_name", "S"),
                ("role", "root"),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::BAD_REQUEST);
    let forged_program = client
        .post_form(
            "/admin/users",
            &[
                ("username", "sneaky"),
                ("display_name", "S"),
                ("role", "facilitator"),
                ("program", "999"),
            ],
        )
        .await;
    assert_eq!(forged_program.status, StatusCode::BAD_REQUEST);
    assert!(
        app.store
            .users()
            .await
            .unwrap()
            .iter()
            .all(|u| u.username.as_str() != "sneaky")
    );
    // A facilitator cannot reach the role form at all.
    let fac_client = app.signed_in(&target).await;
    let escalate = fac_client
        .post_form(
            &format!("/admin/users/{}/role", target.user.id),
            &[("role", "admin")],
        )
        .await;
    assert_eq!(escalate.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.store.user(target.user.id).await.unwrap().role,
        Role::Facilitator
    );
}

async fn sign_in_attempts_are_rate_limited_per_address(app: TestApp) {
    let client = app.client();
    let mut statuses = Vec::new();
    for attempt in 0..22 {
        let response = client
            .sign_in(&format!("user{attempt}"), "some wrong password")
            .await;
        statuses.push(response.status().as_u16());
    }
    assert!(statuses[..20].iter().all(|s| *s == 401), "{statuses:?}");
    assert_eq!(statuses[20], 429);
}

async fn settings_are_checked_and_saved(app: TestApp) {
    let admin = app.user("boss", Role::Admin, &[]).await;
    let client = app.signed_in(&admin).await;
    let mut fields = vec![
        ("name", "Riverside Counselling"),
        ("time_zone", "Mars/Olympus"),
        ("idle_logoff_minutes", "45"),
        ("lockout_threshold", "4"),
        ("alert_conflict_level", "2.5"),
        ("alert_conflict_rise", "1"),
        ("alert_consecutive_absences", "2"),
    ];
    let refused = client.post_form("/admin/settings", &fields).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(refused.body.contains("not a known time zone"));
    assert!(
        refused.body.contains("Riverside Counselling"),
        "the form keeps what was typed"
    );
    assert_eq!(app.store.settings().await.unwrap().name, "Circlework");
    fields[1] = ("time_zone", "America/Chicago");
    let saved = client.post_form("/admin/settings", &fields).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let settings = app.store.settings().await.unwrap();
    assert_eq!(
        (settings.time_zone.as_str(), settings.idle_logoff_minutes),
        ("America/Chicago", 45)
    );
    fields[2] = ("idle_logoff_minutes", "0");
    assert_eq!(
        client.post_form("/admin/settings", &fields).await.status,
        StatusCode::BAD_REQUEST
    );
}

async fn the_audit_viewer_filters_and_downloads_csv(app: TestApp) {
    let program = app.program("Reentry").await;
    let admin = app.user("boss", Role::Admin, &[]).await;
    let facilitator = app.user("fac", Role::Facilitator, &[program]).await;
    let group = app.group(program, "Tuesday circle").await;
    app.staff(&group, &facilitator, GroupStaffRole::Lead).await;
    let member = app.member(&group, "M-7Q3K").await;
    let other = app.member(&group, "M-2345").await;
    let fac_client = app.signed_in(&facilitator).await;
    fac_client.get(&format!("/members/{}", member.id)).await;
    fac_client.get(&format!("/members/{}", other.id)).await;

    let client = app.signed_in(&admin).await;
    let by_member = client.get("/audit?member=m-7q3k").await;
    assert_eq!(by_member.status, StatusCode::OK);
    assert!(by_member.body.contains("member M-7Q3K"));
    assert!(!by_member.body.contains("M-2345"), "filtered to one member");
    let by_user = client
        .get(&format!("/audit?user={}", facilitator.user.id))
        .await;
    assert!(by_user.body.contains("sign-in") && by_user.body.contains("view"));
    assert!(
        by_user.body.contains("<td>fac <span"),
        "the facilitator's rows are listed"
    );
    assert!(
        !by_user.body.contains("<td>boss <span"),
        "only the facilitator's rows"
    );
    let by_group = client.get(&format!("/audit?group={}", group.id)).await;
    assert!(by_group.body.contains("Tuesday circle"));
    let future = client.get("/audit?from=2030-01-01").await;
    assert!(future.body.contains("0 rows"));
    let bad_date = client.get("/audit?from=yesterday").await;
    assert!(bad_date.body.contains("is not a date"));

    let csv = client
        .http
        .get(client.url("/audit.csv?member=M-7Q3K"))
        .send()
        .await
        .unwrap();
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    let text = csv.text().await.unwrap();
    let mut lines = text.lines();
    assert!(lines.next().unwrap().starts_with("seq,at_utc,actor"));
    assert!(
        lines.clone().count() >= 2,
        "creation, enrollment and view rows: {text}"
    );
    assert!(lines.all(|line| line.contains("M-7Q3K")));
    let exports = app.store.audit_rows(&AuditFilter::default()).await.unwrap();
    assert!(
        exports
            .iter()
            .any(|r| r.action == "export" && r.entity == "audit_log"),
        "the download is audited"
    );
}

async fn supervisors_see_only_their_programs_in_the_audit_log(app: TestApp) {
    let mine = app.program("Reentry").await;
    let theirs = app.program("Youth").await;
    let supervisor = app.user("sup", Role::Supervisor, &[mine]).await;
    let my_group = app.group(mine, "Tuesday circle").await;
    let their_group = app.group(theirs, "Teen group").await;
    app.member(&my_group, "M-7Q3K").await;
    app.member(&their_group, "M-2345").await;
    let client = app.signed_in(&supervisor).await;
    let page = client.get("/audit").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("M-7Q3K"));
    assert!(!page.body.contains("M-2345") && !page.body.contains("Teen group"));
    let csv = client
        .http
        .get(client.url("/audit.csv"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!csv.contains("M-2345"));
}

async fn viewing_a_member_page_writes_an_audit_row(app: TestApp) {
    let program = app.program("Reentry").await;
    let facilitator = app.user("fac", Role::Facilitator, &[program]).await;
    let group = app.group(program, "Tuesday circle").await;
    app.staff(&group, &facilitator, GroupStaffRole::Lead).await;
    let member = app.member(&group, "M-7Q3K").await;
    let client = app.signed_in(&facilitator).await;
    let filter = AuditFilter {
        member_id: Some(member.id),
        ..AuditFilter::default()
    };
    let before = app.store.audit_rows(&filter).await.unwrap().len();
    assert_eq!(
        client.get(&format!("/members/{}", member.id)).await.status,
        StatusCode::OK
    );
    let rows = app.store.audit_rows(&filter).await.unwrap();
    assert_eq!(rows.len(), before + 1);
    assert_eq!(
        (rows[0].action.as_str(), rows[0].actor.as_str()),
        ("view", "fac")
    );
    assert!(
        app.store
            .verify_audit_chain()
            .await
            .unwrap()
            .first_break
            .is_none()
    );
}
