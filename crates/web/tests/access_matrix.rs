//! The access matrix: every route the router knows, called as each role, as a facilitator
//! of another group, and signed out, against a table of what each may do. A route missing
//! from the table fails the test, so no route can be added without deciding who may use it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use circlework_web as web;
use domain::{GroupStaffRole, Role};
use reqwest::{Method, StatusCode};
use testkit::{TestApp, TestClient, TestUser, on_both_backends};

on_both_backends!(every_route_answers_each_actor_as_the_table_says);

/// Who is asking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    SignedOut,
    Admin,
    Supervisor,
    Facilitator,
    CoFacilitator,
    Participant,
    /// A facilitator of a group in another program.
    Outsider,
}

const EVERYONE: [Who; 7] = [
    Who::SignedOut,
    Who::Admin,
    Who::Supervisor,
    Who::Facilitator,
    Who::CoFacilitator,
    Who::Participant,
    Who::Outsider,
];

/// What the answer must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// 2xx, or a redirect somewhere other than the sign-in page.
    Allowed,
    /// 404: the same answer as for something that does not exist.
    Hidden,
    /// Sign in first: a redirect to /login for pages, 401 for the API.
    SignIn,
    /// This exact status.
    Status(u16),
}

use Expect::{Allowed as A, Hidden as H, SignIn as S};

/// Past the guard, refused by the rules: rows that would end or cancel the fixture's group
/// or session send input the rules refuse, so every actor meets the same group.
const B: Expect = Expect::Status(400);

/// One row per route: expectations in the order of [`EVERYONE`]:
/// signed out, admin, supervisor, facilitator, co-facilitator, participant, outsider.
const TABLE: &[(&str, &str, [Expect; 7])] = &[
    ("GET", "/", [A, A, A, A, A, A, A]),
    ("GET", "/healthz", [A, A, A, A, A, A, A]),
    ("GET", "/static/app.css", [A, A, A, A, A, A, A]),
    ("GET", "/favicon.svg", [A, A, A, A, A, A, A]),
    ("GET", "/login", [A, A, A, A, A, A, A]),
    // Signed out the fixture posts a wrong password; signed in, the actor's own.
    ("POST", "/login", [Expect::Status(401), A, A, A, A, A, A]),
    ("GET", "/home", [S, A, A, A, A, A, A]),
    ("GET", "/groups", [S, A, A, A, A, H, A]),
    ("GET", "/groups/new", [S, A, A, H, H, H, H]),
    ("POST", "/groups", [S, A, A, H, H, H, H]),
    ("GET", "/groups/{id}", [S, A, A, A, A, H, H]),
    ("GET", "/groups/{id}/edit", [S, A, A, A, H, H, H]),
    ("POST", "/groups/{id}/edit", [S, A, A, A, H, H, H]),
    // The fixture's group is active already (its first session was held).
    ("POST", "/groups/{id}/start", [S, B, B, B, H, H, H]),
    ("POST", "/groups/{id}/end", [S, B, B, B, H, H, H]),
    ("POST", "/groups/{id}/sessions", [S, A, A, A, H, H, H]),
    ("GET", "/groups/{id}/roster/new", [S, A, A, A, H, H, H]),
    ("POST", "/groups/{id}/roster", [S, A, A, A, H, H, H]),
    ("GET", "/groups/{id}/roster/{member}", [S, A, A, A, H, H, H]),
    (
        "POST",
        "/groups/{id}/roster/{member}",
        [S, A, A, A, H, H, H],
    ),
    (
        "POST",
        "/groups/{id}/roster/{member}/leave",
        [S, B, B, B, H, H, H],
    ),
    ("POST", "/groups/{id}/staff", [S, A, A, A, H, H, H]),
    ("POST", "/groups/{id}/staff/remove", [S, A, A, A, H, H, H]),
    ("GET", "/members/{id}", [S, A, A, A, A, H, H]),
    ("GET", "/sessions/{id}", [S, A, A, A, A, H, H]),
    ("POST", "/sessions/{id}/held", [S, A, A, A, A, H, H]),
    ("POST", "/sessions/{id}/attendance", [S, A, A, A, A, H, H]),
    (
        "POST",
        "/sessions/{id}/attendance/all-present",
        [S, A, A, A, A, H, H],
    ),
    ("POST", "/sessions/{id}/cancel", [S, B, B, B, H, H, H]),
    ("POST", "/sessions/{id}/move", [S, B, B, B, H, H, H]),
    ("GET", "/account", [S, A, A, A, A, A, A]),
    ("POST", "/account/password", [S, A, A, A, A, A, A]),
    ("GET", "/admin", [S, A, H, H, H, H, H]),
    ("GET", "/admin/settings", [S, A, H, H, H, H, H]),
    ("POST", "/admin/settings", [S, A, H, H, H, H, H]),
    ("GET", "/admin/programs", [S, A, H, H, H, H, H]),
    ("POST", "/admin/programs", [S, A, H, H, H, H, H]),
    ("GET", "/admin/users", [S, A, H, H, H, H, H]),
    ("POST", "/admin/users", [S, A, H, H, H, H, H]),
    ("GET", "/admin/users/{id}", [S, A, H, H, H, H, H]),
    ("POST", "/admin/users/{id}/role", [S, A, H, H, H, H, H]),
    ("POST", "/admin/users/{id}/programs", [S, A, H, H, H, H, H]),
    ("POST", "/admin/users/{id}/disable", [S, A, H, H, H, H, H]),
    ("POST", "/admin/users/{id}/enable", [S, A, H, H, H, H, H]),
    ("POST", "/admin/users/{id}/unlock", [S, A, H, H, H, H, H]),
    ("POST", "/admin/users/{id}/password", [S, A, H, H, H, H, H]),
    ("GET", "/audit", [S, A, A, H, H, H, H]),
    ("GET", "/audit.csv", [S, A, A, H, H, H, H]),
    ("GET", "/api/v1/me", [S, A, A, A, A, A, A]),
    ("GET", "/api/v1/groups", [S, A, A, A, A, A, A]),
    ("GET", "/api/v1/groups/{id}", [S, A, A, A, A, H, H]),
    // Last: it ends the session the other rows use.
    ("POST", "/logout", [S, A, A, A, A, A, A]),
];

struct Fixture {
    program_id: i64,
    group_id: i64,
    session_id: i64,
    member_id: i64,
    target_user_id: i64,
    users: Vec<(Who, TestUser)>,
}

async fn fixture(app: &TestApp) -> Fixture {
    let program = app.program("Reentry").await;
    let elsewhere = app.program("Youth").await;
    let group = app.group(program, "Tuesday circle").await;
    let other_group = app.group(elsewhere, "Teen group").await;
    let member = app.member(&group, "M-7Q3K").await;
    let session = app.session(&group).await;
    let admin = app.user("the.admin", Role::Admin, &[]).await;
    let supervisor = app
        .user("the.supervisor", Role::Supervisor, &[program])
        .await;
    let facilitator = app
        .user("the.facilitator", Role::Facilitator, &[program])
        .await;
    let cofacilitator = app
        .user("the.cofacilitator", Role::CoFacilitator, &[program])
        .await;
    let participant = app.user("the.participant", Role::Participant, &[]).await;
    let outsider = app
        .user("the.outsider", Role::Facilitator, &[elsewhere])
        .await;
    let target = app.user("the.target", Role::Facilitator, &[]).await;
    app.staff(&group, &facilitator, GroupStaffRole::Lead).await;
    app.staff(&group, &cofacilitator, GroupStaffRole::CoFacilitator)
        .await;
    app.staff(&other_group, &outsider, GroupStaffRole::Lead)
        .await;
    Fixture {
        program_id: program.0,
        group_id: group.id.0,
        session_id: session.id.0,
        member_id: member.id.0,
        target_user_id: target.user.id.0,
        users: vec![
            (Who::Admin, admin),
            (Who::Supervisor, supervisor),
            (Who::Facilitator, facilitator),
            (Who::CoFacilitator, cofacilitator),
            (Who::Participant, participant),
            (Who::Outsider, outsider),
        ],
    }
}

/// The concrete URL for a route pattern, with the fixture's ids.
fn concrete(path: &str, fixture: &Fixture) -> String {
    let id = if path.starts_with("/members/") {
        fixture.member_id
    } else if path.starts_with("/sessions/") {
        fixture.session_id
    } else if path.starts_with("/admin/users/") {
        fixture.target_user_id
    } else {
        fixture.group_id
    };
    path.replace("{id}", &id.to_string())
        .replace("{member}", &fixture.member_id.to_string())
}

/// A form body that an allowed actor's request would succeed with.
fn body(path: &str, who: Who, user: Option<&TestUser>, fixture: &Fixture) -> Vec<(String, String)> {
    let tag = format!("{who:?}").to_lowercase();
    let pairs: Vec<(&str, String)> = match path {
        "/login" => match user {
            Some(user) => vec![
                ("username", user.user.username.to_string()),
                ("password", user.password.clone()),
            ],
            None => vec![
                ("username", "the.admin".into()),
                ("password", "definitely not it".into()),
            ],
        },
        "/account/password" => {
            let password = user.map(|u| u.password.clone()).unwrap_or_default();
            vec![
                ("current_password", password.clone()),
                ("new_password", password),
            ]
        }
        "/admin/settings" => vec![
            ("name", "Riverside".into()),
            ("time_zone", "Europe/London".into()),
            ("idle_logoff_minutes", "30".into()),
            ("lockout_threshold", "5".into()),
            ("alert_conflict_level", "3".into()),
            ("alert_conflict_rise", "1".into()),
            ("alert_consecutive_absences", "2".into()),
        ],
        "/admin/programs" => vec![
            ("name", format!("Program by {tag}")),
            ("description", String::new()),
        ],
        "/admin/users" => vec![
            ("username", format!("new.{tag}")),
            ("display_name", "New person".into()),
            ("role", "facilitator".into()),
            ("password", String::new()),
        ],
        p if p.ends_with("/role") => vec![("role", "co-facilitator".into())],
        "/groups" => vec![
            ("program", fixture.program_id.to_string()),
            ("name", format!("Group by {tag}")),
            ("kind", "closed".into()),
            ("planned_sessions", "4".into()),
            ("starts_on", "2026-04-01".into()),
            ("weekday", "wednesday".into()),
            ("time", "18:00".into()),
            ("minutes", "90".into()),
        ],
        "/groups/{id}/staff" => {
            vec![
                ("user", fixture.target_user_id.to_string()),
                ("role", "co-facilitator".into()),
            ]
        }
        "/groups/{id}/staff/remove" => vec![("user", fixture.target_user_id.to_string())],
        // An empty code: a new member with a generated code each time.
        "/groups/{id}/roster" => vec![("code", String::new()), ("joined_on", "2026-03-05".into())],
        "/groups/{id}/roster/{member}" => {
            vec![("alias", "Dee".into()), ("kiosk_label", String::new())]
        }
        // Before the member joined: refused, the member stays on the roster.
        "/groups/{id}/roster/{member}/leave" => vec![
            ("left_on", "2026-01-01".into()),
            ("reason", "completed".into()),
        ],
        "/groups/{id}/edit" => vec![
            ("name", "Tuesday circle".into()),
            ("kind", "closed".into()),
            ("planned_sessions", "10".into()),
            ("starts_on", "2026-02-05".into()),
            ("weekday", "thursday".into()),
            ("time", "18:00".into()),
            ("minutes", "90".into()),
        ],
        // Before the group started: refused, the group stays.
        "/groups/{id}/end" => vec![("ended_on", "2026-01-01".into())],
        "/groups/{id}/sessions" => vec![
            ("date", "2026-03-20".into()),
            ("time", "10:00".into()),
            ("minutes", "60".into()),
        ],
        "/sessions/{id}/attendance" => vec![
            ("member", fixture.member_id.to_string()),
            ("status", "present".into()),
        ],
        // A held session cannot be cancelled or moved: refused, the session stays.
        "/sessions/{id}/cancel" => vec![("reason", "Snow".into())],
        "/sessions/{id}/move" => vec![("date", "2026-03-21".into()), ("time", "10:00".into())],
        _ => vec![],
    };
    pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}

async fn call(
    client: &TestClient,
    method: &str,
    url: &str,
    form: &[(String, String)],
) -> (StatusCode, Option<String>) {
    let method = known_method(method);
    let response = if method == Method::GET {
        client.http.get(client.url(url)).send().await.unwrap()
    } else {
        let token = client.csrf_token().await;
        let mut all = vec![("csrf_token".to_owned(), token)];
        all.extend_from_slice(form);
        client
            .http
            .request(method, client.url(url))
            .form(&all)
            .send()
            .await
            .unwrap()
    };
    let location = response
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_owned());
    (response.status(), location)
}

fn check(expect: Expect, status: StatusCode, location: Option<&str>, api: bool) -> bool {
    let to_login = location.is_some_and(|l| l.starts_with("/login"));
    match expect {
        Expect::Allowed => status.is_success() || (status.is_redirection() && !to_login),
        Expect::Hidden => status == StatusCode::NOT_FOUND,
        Expect::SignIn if api => status == StatusCode::UNAUTHORIZED,
        Expect::SignIn => status == StatusCode::SEE_OTHER && to_login,
        Expect::Status(code) => status.as_u16() == code,
    }
}

async fn every_route_answers_each_actor_as_the_table_says(app: TestApp) {
    // Every route the router knows has a row, and every row is a route.
    let known: Vec<(String, String)> = web::route_table()
        .into_iter()
        .map(|(m, p)| (m.to_string(), p.to_owned()))
        .collect();
    for (method, path) in &known {
        assert!(
            TABLE.iter().any(|(m, p, _)| m == method && p == path),
            "{method} {path} has no row in the access matrix: decide who may use it"
        );
    }
    for (method, path, _) in TABLE {
        assert!(
            known.iter().any(|(m, p)| m == method && p == path),
            "{method} {path} is in the table but not routed"
        );
    }

    let fixture = fixture(&app).await;
    let mut failures = Vec::new();
    for (index, who) in EVERYONE.iter().enumerate() {
        let user = fixture.users.iter().find(|(w, _)| w == who).map(|(_, u)| u);
        let client = match user {
            Some(user) => app.signed_in(user).await,
            None => {
                let client = app.client();
                client.get("/login").await;
                client
            }
        };
        for (method, path, expectations) in TABLE {
            let url = concrete(path, &fixture);
            let (status, location) =
                call(&client, method, &url, &body(path, *who, user, &fixture)).await;
            if !check(
                expectations[index],
                status,
                location.as_deref(),
                path.starts_with("/api/"),
            ) {
                failures.push(format!(
                    "{who:?} {method} {url}: expected {:?}, got {status} {location:?}",
                    expectations[index]
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "access matrix mismatches:\n{}",
        failures.join("\n")
    );

    // Refused requests changed nothing: only the admin's program and user exist.
    let programs: Vec<String> = app
        .store
        .programs()
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.name)
        .collect();
    assert!(programs.contains(&"Program by admin".to_owned()));
    assert!(
        !programs
            .iter()
            .any(|p| p.starts_with("Program by") && p != "Program by admin"),
        "{programs:?}"
    );
    let users: Vec<String> = app
        .store
        .users()
        .await
        .unwrap()
        .into_iter()
        .map(|u| u.username.to_string())
        .collect();
    assert!(
        !users
            .iter()
            .any(|u| u.starts_with("new.") && u != "new.admin"),
        "{users:?}"
    );
}

/// The HTTP method a row names. `Method::from_str` accepts any token ("GTE" is a valid
/// extension method), so rows are checked against the methods HTTP defines for resources.
fn known_method(name: &str) -> Method {
    [
        Method::GET,
        Method::HEAD,
        Method::POST,
        Method::PUT,
        Method::PATCH,
        Method::DELETE,
        Method::OPTIONS,
    ]
    .into_iter()
    .find(|method| method.as_str() == name)
    .unwrap_or_else(|| panic!("{name:?} is not an HTTP method"))
}

#[test]
fn matrix_methods_are_known() {
    for (method, path, _) in TABLE {
        assert_eq!(known_method(method).as_str(), *method, "{path}");
    }
}

#[test]
#[should_panic(expected = "is not an HTTP method")]
fn a_misspelt_method_is_refused() {
    assert!("GTE".parse::<Method>().is_ok(), "from_str alone accepts it");
    known_method("GTE");
}
