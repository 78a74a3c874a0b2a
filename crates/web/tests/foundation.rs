//! The foundation's promises, against the real server on both databases: health, sign-in,
//! sessions, CSRF, security headers, and every non-public page behind sign-in.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use circlework_web as web;
use domain::{GroupStaffRole, Role};
use reqwest::StatusCode;
use testkit::{TestApp, TestClient, on_both_backends};

on_both_backends!(
    healthz_answers_ok,
    the_landing_page_is_public_and_links_to_sign_in,
    every_non_public_page_redirects_to_sign_in_and_the_api_answers_401,
    a_facilitator_signs_in_and_sees_their_groups_only,
    wrong_password_and_unknown_user_get_the_same_answer,
    cross_site_posts_are_refused_with_403,
    a_post_without_the_csrf_token_is_refused,
    the_session_id_is_cycled_at_sign_in_and_cookies_are_strict,
    security_headers_are_on_every_response,
    signing_out_ends_the_session,
);

/// Paths anyone may open without signing in.
const PUBLIC: &[&str] = &["/", "/login", "/healthz", "/static/app.css", "/favicon.svg"];

async fn healthz_answers_ok(app: TestApp) {
    let page = app.client().get("/healthz").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.body, "ok");
}

async fn the_landing_page_is_public_and_links_to_sign_in(app: TestApp) {
    let page = app.client().get("/").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("href=\"/login\""));
}

async fn every_non_public_page_redirects_to_sign_in_and_the_api_answers_401(app: TestApp) {
    let client = app.client();
    let mut checked = 0;
    for (method, path) in web::route_table() {
        if method != reqwest::Method::GET || PUBLIC.contains(&path) {
            continue;
        }
        let concrete = path.replace("{id}", "1");
        let page = client.get(&concrete).await;
        if path.starts_with("/api/") {
            assert_eq!(page.status, StatusCode::UNAUTHORIZED, "{path}");
        } else {
            assert_eq!(page.status, StatusCode::SEE_OTHER, "{path}");
            assert!(
                page.location().unwrap().starts_with("/login?next="),
                "{path}"
            );
        }
        checked += 1;
    }
    assert!(checked >= 5, "only {checked} protected routes were checked");
}

async fn a_facilitator_signs_in_and_sees_their_groups_only(app: TestApp) {
    let program = app.program("Reentry").await;
    let mine = app.group(program, "Tuesday circle").await;
    let other = app.group(program, "Someone else's group").await;
    let facilitator = app.user("fac", Role::Facilitator, &[program]).await;
    app.staff(&mine, &facilitator, GroupStaffRole::Lead).await;
    app.member(&mine, "M-7Q3K").await;

    let client = app.signed_in(&facilitator).await;
    let home = client.get("/home").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains("Tuesday circle"));
    assert!(!home.body.contains("Someone else"));
    let group = client.get(&format!("/groups/{}", mine.id)).await;
    assert!(group.body.contains("M-7Q3K"));
    // A group that is not theirs answers exactly like one that does not exist.
    let foreign = client.get(&format!("/groups/{}", other.id)).await;
    let missing = client.get("/groups/99999").await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    for malformed in [
        "/groups/abc",
        "/groups/-1",
        "/members/99999999999999999999",
        "/api/v1/groups/x",
    ] {
        assert_eq!(
            client.get(malformed).await.status,
            StatusCode::NOT_FOUND,
            "{malformed}"
        );
    }
    let api: serde_json::Value = client
        .http
        .get(client.url("/api/v1/groups"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(api.as_array().unwrap().len(), 1);
}

async fn wrong_password_and_unknown_user_get_the_same_answer(app: TestApp) {
    app.user("fac", Role::Facilitator, &[]).await;
    let wrong = app.client().sign_in("fac", "not the password at all").await;
    let unknown = app
        .client()
        .sign_in("nobody", "not the password at all")
        .await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.status(), StatusCode::UNAUTHORIZED);
    let (wrong, unknown) = (wrong.text().await.unwrap(), unknown.text().await.unwrap());
    assert!(wrong.contains("do not match") && unknown.contains("do not match"));
}

async fn cross_site_posts_are_refused_with_403(app: TestApp) {
    let user = app.user("fac", Role::Facilitator, &[]).await;
    let client = app.client();
    let login = client.get("/login").await;
    let token = testkit_token(&login.body);
    let fields = [
        ("csrf_token", token.as_str()),
        ("username", "fac"),
        ("password", user.password.as_str()),
    ];
    // Sign-in from another site, with a valid token and password, is still refused.
    let from_evil = client
        .post_raw("/login", &fields, &[("origin", "https://evil.example")])
        .await;
    assert_eq!(from_evil.status, StatusCode::FORBIDDEN);
    let cross_site = client
        .post_raw("/login", &fields, &[("sec-fetch-site", "cross-site")])
        .await;
    assert_eq!(cross_site.status, StatusCode::FORBIDDEN);
    assert!(
        cross_site
            .headers
            .get("set-cookie")
            .is_none_or(|c| !c.to_str().unwrap().contains("cw_session="))
    );
    // Signed in, a cross-site sign-out is refused too and the session survives.
    let signed_in = app.signed_in(&user).await;
    let token = signed_in.csrf_token().await;
    let logout = signed_in
        .post_raw(
            "/logout",
            &[("csrf_token", token.as_str())],
            &[("origin", "https://evil.example")],
        )
        .await;
    assert_eq!(logout.status, StatusCode::FORBIDDEN);
    assert_eq!(signed_in.get("/home").await.status, StatusCode::OK);
}

async fn a_post_without_the_csrf_token_is_refused(app: TestApp) {
    let user = app.user("fac", Role::Facilitator, &[]).await;
    let client = app.client();
    client.get("/login").await;
    let no_token = client
        .post_raw(
            "/login",
            &[("username", "fac"), ("password", &user.password)],
            &[],
        )
        .await;
    assert_eq!(no_token.status, StatusCode::FORBIDDEN);
    let forged = client
        .post_raw(
            "/login",
            &[
                ("csrf_token", "0".repeat(64).as_str()),
                ("username", "fac"),
                ("password", &user.password),
            ],
            &[],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
}

async fn the_session_id_is_cycled_at_sign_in_and_cookies_are_strict(app: TestApp) {
    let user = app.user("fac", Role::Facilitator, &[]).await;
    let client = app.client();
    let first = client.sign_in("fac", &user.password).await;
    let cookie_header: Vec<String> = first
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    let session = cookie_header
        .iter()
        .find(|c| c.starts_with("cw_session="))
        .unwrap();
    assert!(
        session.contains("HttpOnly") && session.contains("SameSite=Strict"),
        "{session}"
    );
    let first_id = TestClient::session_cookie(&first).unwrap();
    // Signing in again from the same browser gives a new id and kills the old one.
    let token = client.csrf_token().await;
    let second = client
        .http
        .post(client.url("/login"))
        .form(&[
            ("csrf_token", token.as_str()),
            ("username", "fac"),
            ("password", user.password.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(second.status(), StatusCode::SEE_OTHER);
    let second_id = TestClient::session_cookie(&second).unwrap();
    assert_ne!(first_id, second_id);
    let stale = app.client();
    let replay = stale
        .http
        .get(stale.url("/home"))
        .header("cookie", format!("cw_session={first_id}"))
        .send()
        .await
        .unwrap();
    assert_eq!(replay.status(), StatusCode::SEE_OTHER);
}

async fn security_headers_are_on_every_response(app: TestApp) {
    for path in ["/", "/login", "/home", "/groups/1", "/nowhere"] {
        let page = app.client().get(path).await;
        let csp = page
            .headers
            .get("content-security-policy")
            .unwrap()
            .to_str()
            .unwrap();
        assert!(
            csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"),
            "{path}"
        );
        assert!(!csp.contains("unsafe-inline"), "{path}");
        assert_eq!(
            page.headers.get("x-content-type-options").unwrap(),
            "nosniff"
        );
        assert_eq!(page.headers.get("referrer-policy").unwrap(), "same-origin");
        assert_eq!(page.headers.get("x-frame-options").unwrap(), "DENY");
    }
    assert_eq!(
        app.client()
            .get("/home")
            .await
            .headers
            .get("cache-control")
            .unwrap(),
        "no-store"
    );
}

async fn signing_out_ends_the_session(app: TestApp) {
    let user = app.user("fac", Role::Facilitator, &[]).await;
    let client = app.signed_in(&user).await;
    let out = client.post_form("/logout", &[]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert_eq!(client.get("/home").await.status, StatusCode::SEE_OTHER);
}

fn testkit_token(html: &str) -> String {
    let marker = "name=\"csrf_token\" value=\"";
    let start = html.find(marker).unwrap() + marker.len();
    html[start..start + 64].to_owned()
}
