//! Creating groups and staffing them through the pages, on both databases.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use domain::{GroupStaffRole, Role};
use reqwest::StatusCode;
use testkit::{TestApp, on_both_backends};

on_both_backends!(
    a_supervisor_creates_a_group_in_their_program_only,
    bad_group_input_is_refused_and_kept,
    a_lead_facilitator_adds_a_co_facilitator_who_then_sees_the_group,
);

async fn a_supervisor_creates_a_group_in_their_program_only(app: TestApp) {
    let mine = app.program("Reentry").await;
    let theirs = app.program("Youth").await;
    let supervisor = app.user("sup", Role::Supervisor, &[mine]).await;
    let client = app.signed_in(&supervisor).await;
    let form = client.get("/groups/new").await;
    assert!(
        form.body.contains("Reentry") && !form.body.contains("Youth"),
        "only their programs are offered"
    );
    let created = client
        .post_form(
            "/groups",
            &[
                ("program", &mine.to_string()),
                ("name", "Wednesday circle"),
                ("kind", "open"),
                ("starts_on", "2026-04-01"),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER);
    let page = client.get(created.location().unwrap()).await;
    assert!(page.body.contains("Wednesday circle") && page.body.contains("Open-ended"));
    let elsewhere = client
        .post_form(
            "/groups",
            &[
                ("program", &theirs.to_string()),
                ("name", "Sneaky"),
                ("kind", "closed"),
                ("starts_on", "2026-04-01"),
            ],
        )
        .await;
    assert_eq!(elsewhere.status, StatusCode::BAD_REQUEST);
    assert!(elsewhere.body.contains("choose one of your programs"));
    let visible = app
        .store
        .groups_visible_to(&app.store.actor(supervisor.user.id).await.unwrap())
        .await
        .unwrap();
    assert_eq!(
        visible.iter().map(|g| g.name.as_str()).collect::<Vec<_>>(),
        ["Wednesday circle"]
    );
}

async fn bad_group_input_is_refused_and_kept(app: TestApp) {
    let program = app.program("Reentry").await;
    let admin = app.user("boss", Role::Admin, &[]).await;
    let client = app.signed_in(&admin).await;
    let program = program.to_string();
    let cases: [(&[(&str, &str)], &str); 4] = [
        (
            &[
                ("name", "Circle"),
                ("kind", "closed"),
                ("planned_sessions", "ten"),
                ("starts_on", "2026-04-01"),
            ],
            "not a whole number",
        ),
        (
            &[
                ("name", "Circle"),
                ("kind", "closed"),
                ("planned_sessions", "0"),
                ("starts_on", "2026-04-01"),
            ],
            "between 1 and 500",
        ),
        (
            &[
                ("name", "Circle"),
                ("kind", "weekly"),
                ("starts_on", "2026-04-01"),
            ],
            "unknown value",
        ),
        (
            &[
                ("name", "   "),
                ("kind", "closed"),
                ("starts_on", "2026-04-01"),
            ],
            "1 to 120 characters",
        ),
    ];
    for (fields, message) in cases {
        let mut all = vec![("program", program.as_str())];
        all.extend_from_slice(fields);
        let page = client.post_form("/groups", &all).await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST, "{fields:?}");
        assert!(page.body.contains(message), "{message} for {fields:?}");
    }
    let page = client
        .post_form(
            "/groups",
            &[
                ("program", &program),
                ("name", "Kept name"),
                ("kind", "closed"),
                ("starts_on", "soon"),
            ],
        )
        .await;
    assert!(
        page.body.contains("value=\"Kept name\""),
        "what was typed comes back"
    );
    assert!(
        app.store
            .groups_visible_to(&app.store.actor(admin.user.id).await.unwrap())
            .await
            .unwrap()
            .is_empty()
    );
}

async fn a_lead_facilitator_adds_a_co_facilitator_who_then_sees_the_group(app: TestApp) {
    let program = app.program("Reentry").await;
    let group = app.group(program, "Tuesday circle").await;
    let lead = app.user("lead", Role::Facilitator, &[program]).await;
    let co = app.user("cofac", Role::CoFacilitator, &[program]).await;
    let participant = app.user("student", Role::Participant, &[]).await;
    app.staff(&group, &lead, GroupStaffRole::Lead).await;
    let lead_client = app.signed_in(&lead).await;
    let page = lead_client.get(&format!("/groups/{}", group.id)).await;
    assert!(page.body.contains("Add to group"));
    assert!(
        !page.body.contains("student"),
        "participants are not offered as staff"
    );
    let refused = lead_client
        .post_form(
            &format!("/groups/{}/staff", group.id),
            &[("user", &participant.user.id.to_string()), ("role", "lead")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    let added = lead_client
        .post_form(
            &format!("/groups/{}/staff", group.id),
            &[
                ("user", &co.user.id.to_string()),
                ("role", "co-facilitator"),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER);
    let co_client = app.signed_in(&co).await;
    let co_page = co_client.get(&format!("/groups/{}", group.id)).await;
    assert_eq!(co_page.status, StatusCode::OK);
    assert!(
        !co_page.body.contains("Add to group"),
        "co-facilitators do not manage staff"
    );
    let removed = lead_client
        .post_form(
            &format!("/groups/{}/staff/remove", group.id),
            &[("user", &co.user.id.to_string())],
        )
        .await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER);
    assert_eq!(
        co_client.get(&format!("/groups/{}", group.id)).await.status,
        StatusCode::NOT_FOUND
    );
}
