//! Groups through the pages, on both databases: creating one plans its sessions, its life
//! (planned → active → ended), editing its schedule, sessions held, cancelled, moved and
//! added, staffing, and the bad input each refuses with nothing half-saved.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use domain::{GroupId, GroupStaffRole, GroupStatus, Role, SessionStatus};
use reqwest::StatusCode;
use testkit::{TestApp, TestClient, on_both_backends};

on_both_backends!(
    a_supervisor_creates_a_group_in_their_program_only,
    bad_group_input_is_refused_and_kept,
    a_lead_facilitator_adds_a_co_facilitator_who_then_sees_the_group,
    a_new_group_has_its_sessions_and_lives_planned_active_ended,
    sessions_are_held_cancelled_moved_and_added_within_the_groups_dates,
);

/// Form fields to change: (name, value).
type Fields = &'static [(&'static str, &'static str)];

/// The group form with a weekly meeting; `extra` replaces or adds fields.
fn group_form(
    program: &str,
    extra: &[(&'static str, &'static str)],
) -> Vec<(&'static str, String)> {
    let mut fields: Vec<(&'static str, String)> = vec![
        ("program", program.to_owned()),
        ("name", "Tuesday circle".into()),
        ("kind", "closed".into()),
        ("planned_sessions", "6".into()),
        ("starts_on", "2026-03-01".into()),
        ("weekday", "tuesday".into()),
        ("time", "18:00".into()),
        ("minutes", "90".into()),
    ];
    for (key, value) in extra {
        fields.retain(|(k, _)| k != key);
        fields.push((key, (*value).to_owned()));
    }
    fields
}

async fn post(client: &TestClient, path: &str, fields: &[(&'static str, String)]) -> testkit::Page {
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    client.post_form(path, &pairs).await
}

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
    let created = post(
        &client,
        "/groups",
        &group_form(
            &mine.to_string(),
            &[
                ("name", "Wednesday circle"),
                ("kind", "open"),
                ("planned_sessions", ""),
            ],
        ),
    )
    .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let page = client.get(created.location().unwrap()).await;
    assert!(page.body.contains("Wednesday circle") && page.body.contains("Open-ended"));
    // Open-ended: Wednesdays from 4 March (past already) through the next twelve weeks.
    assert!(
        page.body.contains("Group created with 13 sessions planned"),
        "{}",
        page.body
    );
    let elsewhere = post(
        &client,
        "/groups",
        &group_form(&theirs.to_string(), &[("name", "Sneaky")]),
    )
    .await;
    assert_eq!(elsewhere.status, StatusCode::BAD_REQUEST);
    assert!(elsewhere.body.contains("Choose one of your programs"));
    let listed = client.get("/groups").await;
    assert!(listed.body.contains("Wednesday circle") && !listed.body.contains("Sneaky"));
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
    let long_name = "n".repeat(121);
    let cases: [(Fields, &str, &str); 7] = [
        (
            &[("planned_sessions", "ten")],
            "planned_sessions",
            "not a whole number",
        ),
        (
            &[("planned_sessions", "0")],
            "planned_sessions",
            "between 1 and 500",
        ),
        (&[("kind", "weekly")], "kind", "Choose how members join"),
        (&[("name", "   ")], "name", "The group name is required"),
        (
            &[("weekday", "someday")],
            "weekday",
            "Choose the day the group meets",
        ),
        (&[("minutes", "5")], "minutes", "15 to 480 minutes"),
        (&[("starts_on", "soon")], "starts_on", "use a date like"),
    ];
    for (fields, field, message) in cases {
        let page = post(&client, "/groups", &group_form(&program, fields)).await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST, "{fields:?}");
        assert!(page.body.contains(message), "{message} for {fields:?}");
        // The error sits beside its field, which is marked.
        assert!(
            page.body.contains(&format!("id=\"{field}-error\"")),
            "{field}: {}",
            page.body
        );
        assert!(
            page.body
                .contains(&format!("aria-describedby=\"{field}-error\""))
        );
    }
    let mut too_long = group_form(&program, &[]);
    too_long.retain(|(k, _)| *k != "name");
    too_long.push(("name", long_name));
    let page = post(&client, "/groups", &too_long).await;
    assert!(
        page.body.contains("at most 120 characters"),
        "{}",
        page.body
    );
    // Several mistakes are all named at once, and what was typed comes back.
    let page = post(
        &client,
        "/groups",
        &group_form(
            &program,
            &[
                ("name", "Kept name"),
                ("starts_on", "soon"),
                ("time", "6pm"),
                ("capacity", "0"),
            ],
        ),
    )
    .await;
    assert!(
        page.body.contains("value=\"Kept name\""),
        "what was typed comes back"
    );
    for field in ["starts_on", "time", "capacity"] {
        assert!(
            page.body.contains(&format!("id=\"{field}-error\"")),
            "{field}"
        );
    }
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

/// The group's sessions as (status, local date) in number order.
async fn sessions_of(app: &TestApp, group: GroupId) -> Vec<(SessionStatus, String)> {
    app.store
        .sessions(group)
        .await
        .unwrap()
        .iter()
        .map(|s| {
            (
                s.status,
                s.scheduled_at.to_string().get(..10).unwrap().to_owned(),
            )
        })
        .collect()
}

async fn a_new_group_has_its_sessions_and_lives_planned_active_ended(app: TestApp) {
    let program = app.program("Reentry").await;
    let supervisor = app.user("sup", Role::Supervisor, &[program]).await;
    let client = app.signed_in(&supervisor).await;
    let created = post(&client, "/groups", &group_form(&program.to_string(), &[])).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let url = created
        .location()
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    let group = GroupId(url.rsplit('/').next().unwrap().parse().unwrap());
    // 1 March 2026 is a Sunday: six Tuesdays from 3 March, the moment it was created.
    let planned = sessions_of(&app, group).await;
    assert_eq!(
        planned.iter().map(|(_, d)| d.as_str()).collect::<Vec<_>>(),
        [
            "2026-03-03",
            "2026-03-10",
            "2026-03-17",
            "2026-03-24",
            "2026-03-31",
            "2026-04-07"
        ]
    );
    let page = client.get(&url).await;
    assert!(page.body.contains("Tue 3 Mar 2026, 18:00") && page.body.contains("Planned"));
    assert!(page.body.contains("Tuesdays 18:00–19:30"));

    // Eight sessions on Thursdays at 10:00 instead: the past session stays, the future
    // ones move, two more come at the end.
    let edit = post(
        &client,
        &format!("{url}/edit"),
        &group_form(
            &program.to_string(),
            &[
                ("planned_sessions", "8"),
                ("weekday", "thursday"),
                ("time", "10:00"),
            ],
        ),
    )
    .await;
    assert_eq!(edit.status, StatusCode::SEE_OTHER, "{}", edit.body);
    let after = sessions_of(&app, group).await;
    assert_eq!(
        after.iter().map(|(_, d)| d.as_str()).collect::<Vec<_>>(),
        [
            "2026-03-03",
            "2026-03-12",
            "2026-03-19",
            "2026-03-26",
            "2026-04-02",
            "2026-04-09",
            "2026-04-16",
            "2026-04-23"
        ]
    );
    // Fewer: the last planned ones are cancelled, never deleted.
    let fewer = post(
        &client,
        &format!("{url}/edit"),
        &group_form(
            &program.to_string(),
            &[
                ("planned_sessions", "7"),
                ("weekday", "thursday"),
                ("time", "10:00"),
            ],
        ),
    )
    .await;
    assert_eq!(fewer.status, StatusCode::SEE_OTHER);
    let after = sessions_of(&app, group).await;
    assert_eq!(after.len(), 8);
    assert_eq!(after[7].0, SessionStatus::Cancelled);

    let start = client.post_form(&format!("{url}/start"), &[]).await;
    assert_eq!(start.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.store.group(group).await.unwrap().status,
        GroupStatus::Active
    );
    let again = client.post_form(&format!("{url}/start"), &[]).await;
    assert_eq!(
        again.status,
        StatusCode::BAD_REQUEST,
        "active groups do not start again"
    );

    // Ending before the start is refused beside its field; then it ends on 20 March.
    let early = client
        .post_form(&format!("{url}/end"), &[("ended_on", "2026-02-01")])
        .await;
    assert_eq!(early.status, StatusCode::BAD_REQUEST);
    assert!(
        early.body.contains("id=\"ended_on-error\"")
            && early.body.contains("before the group started")
    );
    let ended = client
        .post_form(&format!("{url}/end"), &[("ended_on", "2026-03-20")])
        .await;
    assert_eq!(ended.status, StatusCode::SEE_OTHER);
    let group_now = app.store.group(group).await.unwrap();
    assert_eq!(group_now.status, GroupStatus::Ended);
    let statuses: Vec<SessionStatus> = sessions_of(&app, group)
        .await
        .into_iter()
        .map(|(s, _)| s)
        .collect();
    assert_eq!(
        statuses,
        [
            SessionStatus::Planned,
            SessionStatus::Planned,
            SessionStatus::Planned,
            SessionStatus::Cancelled,
            SessionStatus::Cancelled,
            SessionStatus::Cancelled,
            SessionStatus::Cancelled,
            SessionStatus::Cancelled,
        ]
    );
    assert_eq!(
        client.get(&format!("{url}/edit")).await.status,
        StatusCode::BAD_REQUEST,
        "an ended group's set-up no longer changes"
    );
    // Every change was audited with the client's address.
    let rows = app
        .store
        .audit_rows(&store::AuditFilter {
            group_id: Some(group),
            actor_id: Some(supervisor.user.id),
            limit: 100,
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(
        rows.iter()
            .any(|r| r.detail.starts_with("sessions planned: 6 added"))
    );
    assert!(rows.iter().any(|r| r.detail.contains("-> ended")));
    assert!(rows.iter().all(|r| r.origin == "web 127.0.0.1"), "{rows:?}");
}

async fn sessions_are_held_cancelled_moved_and_added_within_the_groups_dates(app: TestApp) {
    let program = app.program("Reentry").await;
    // Thursdays from 5 February: ten sessions; the test clock is Thursday 5 March, 17:00.
    let group = app.group(program, "Thursday circle").await;
    let lead = app.user("lead", Role::Facilitator, &[program]).await;
    let co = app.user("cofac", Role::CoFacilitator, &[program]).await;
    app.staff(&group, &lead, GroupStaffRole::Lead).await;
    app.staff(&group, &co, GroupStaffRole::CoFacilitator).await;
    let sessions = app.store.sessions(group.id).await.unwrap();
    let today = &sessions[4];
    let next_week = &sessions[5];
    let co_client = app.signed_in(&co).await;
    let client = app.signed_in(&lead).await;

    // The co-facilitator marks today's session held; the group becomes active.
    let held = co_client
        .post_form(&format!("/sessions/{}/held", today.id), &[])
        .await;
    assert_eq!(held.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.store.session(today.id).await.unwrap().status,
        SessionStatus::Held
    );
    assert_eq!(
        app.store.group(group.id).await.unwrap().status,
        GroupStatus::Active
    );
    // A session next week cannot be held yet; co-facilitators cannot cancel.
    let early = client
        .post_form(&format!("/sessions/{}/held", next_week.id), &[])
        .await;
    assert_eq!(early.status, StatusCode::BAD_REQUEST);
    assert!(early.body.contains("can be marked held from that day on"));
    let not_theirs = co_client
        .post_form(
            &format!("/sessions/{}/cancel", next_week.id),
            &[("reason", "Snow")],
        )
        .await;
    assert_eq!(not_theirs.status, StatusCode::NOT_FOUND);

    // Cancelling needs a reason of at most 200 characters.
    for (reason, message) in [
        ("  ", "The reason is required"),
        (&"r".repeat(201)[..], "at most 200 characters"),
    ] {
        let refused = client
            .post_form(
                &format!("/sessions/{}/cancel", next_week.id),
                &[("reason", reason)],
            )
            .await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST);
        assert!(refused.body.contains(message), "{}", refused.body);
        assert!(refused.body.contains("id=\"reason-error\""));
    }
    assert_eq!(
        app.store.session(next_week.id).await.unwrap().status,
        SessionStatus::Planned
    );
    let cancelled = client
        .post_form(
            &format!("/sessions/{}/cancel", next_week.id),
            &[("reason", "Building closed")],
        )
        .await;
    assert_eq!(cancelled.status, StatusCode::SEE_OTHER);
    let page = client.get(&format!("/sessions/{}", next_week.id)).await;
    assert!(page.body.contains("Cancelled: Building closed"));
    let twice = client
        .post_form(
            &format!("/sessions/{}/cancel", next_week.id),
            &[("reason", "Again")],
        )
        .await;
    assert_eq!(twice.status, StatusCode::BAD_REQUEST);

    // Moving and adding stay within the group's dates (from 5 February).
    let moving = &sessions[6];
    let outside = client
        .post_form(
            &format!("/sessions/{}/move", moving.id),
            &[("date", "2026-01-15"), ("time", "10:00")],
        )
        .await;
    assert_eq!(outside.status, StatusCode::BAD_REQUEST);
    assert!(
        outside
            .body
            .contains("outside the group&#39;s dates: it runs from Thu 5 Feb 2026"),
        "{}",
        outside.body
    );
    assert!(
        outside.body.contains("id=\"date-error\"") && outside.body.contains("value=\"2026-01-15\"")
    );
    let before = app.store.sessions(group.id).await.unwrap();
    let add_outside = client
        .post_form(
            &format!("/groups/{}/sessions", group.id),
            &[("date", "2026-02-01"), ("time", "10:00"), ("minutes", "60")],
        )
        .await;
    assert_eq!(add_outside.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        app.store.sessions(group.id).await.unwrap(),
        before,
        "nothing half-saved"
    );

    // An extra session on Monday 9 March comes between sessions 5 and 6, numbered in order.
    let added = client
        .post_form(
            &format!("/groups/{}/sessions", group.id),
            &[("date", "2026-03-09"), ("time", "10:00"), ("minutes", "60")],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let after = app.store.sessions(group.id).await.unwrap();
    assert_eq!(after.len(), 11);
    let extra = after.iter().find(|s| s.extra).unwrap();
    assert_eq!(extra.number, 6);
    assert_eq!(extra.minutes, 60);
    assert_eq!(
        after.iter().find(|s| s.id == next_week.id).unwrap().number,
        7,
        "later sessions are numbered after it"
    );
    // A planned session moves to another day and the numbers follow the dates.
    let moved = client
        .post_form(
            &format!("/sessions/{}/move", moving.id),
            &[("date", "2026-03-08"), ("time", "11:00")],
        )
        .await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER);
    let after = app.store.sessions(group.id).await.unwrap();
    assert_eq!(after.iter().find(|s| s.id == moving.id).unwrap().number, 6);
    let held_move = client
        .post_form(
            &format!("/sessions/{}/move", today.id),
            &[("date", "2026-03-06"), ("time", "11:00")],
        )
        .await;
    assert_eq!(
        held_move.status,
        StatusCode::BAD_REQUEST,
        "held sessions stay where they were"
    );

    // Another facilitator's session and group answer like unknown ones.
    let stranger = app.user("stranger", Role::Facilitator, &[program]).await;
    let other = app.signed_in(&stranger).await;
    for path in [
        format!("/sessions/{}", today.id),
        format!("/groups/{}/edit", group.id),
    ] {
        assert_eq!(
            other.get(&path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let refused = other
        .post_form(&format!("/sessions/{}/held", next_week.id), &[])
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
}
