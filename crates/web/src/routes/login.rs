//! `GET /login` shows the sign-in form; `POST /login` checks it.
//!
//! Order of checks on POST: rate limits, then the account (unknown names are verified
//! against a dummy hash so timing does not reveal them), lockout, password, then a fresh
//! session. Every outcome is audited.

use std::net::SocketAddr;

use askama::Template;
use askama_web::WebTemplate;
use axum::{
    Form,
    extract::{ConnectInfo, Query, State},
    response::{IntoResponse, Redirect, Response},
};
use axum_extra::extract::cookie::{Cookie, CookieJar};
use domain::Username;
use serde::Deserialize;
use store::{AuditContext, LoginFailure};

use super::RouteDef;
use crate::{
    AppState, WebError,
    auth::{
        MaybeUser,
        session::{self, ANONYMOUS_CSRF_COOKIE},
    },
};

pub fn routes() -> Vec<RouteDef> {
    vec![
        RouteDef::get("/login", page),
        RouteDef::post("/login", submit),
    ]
}

const WRONG_CREDENTIALS: &str =
    "That username and password do not match. Check both and try again.";

#[derive(Template, WebTemplate)]
#[template(path = "login.html")]
struct LoginPage {
    csrf_token: String,
    next: String,
    username: String,
    error: Option<String>,
    expired: bool,
}

#[derive(Debug, Deserialize)]
struct LoginQuery {
    next: Option<String>,
    expired: Option<String>,
}

async fn page(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    jar: CookieJar,
    Query(query): Query<LoginQuery>,
) -> Response {
    let next = safe_next(query.next.as_deref());
    if user.is_some() {
        return Redirect::to(&next).into_response();
    }
    let (csrf_token, cookie) = session::anonymous_csrf(&state, &jar);
    let page = LoginPage {
        csrf_token,
        next,
        username: String::new(),
        error: None,
        expired: query.expired.is_some(),
    };
    match cookie {
        Some(cookie) => (jar.add(cookie), page).into_response(),
        None => page.into_response(),
    }
}

#[derive(Deserialize)]
struct LoginForm {
    username: String,
    password: String,
    next: Option<String>,
}

// Not derived: the password must never reach a log through Debug.
impl std::fmt::Debug for LoginForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginForm")
            .field("username", &self.username)
            .finish_non_exhaustive()
    }
}

async fn submit(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    jar: CookieJar,
    Form(form): Form<LoginForm>,
) -> Result<Response, WebError> {
    let next = safe_next(form.next.as_deref());
    let (csrf_token, _) = session::anonymous_csrf(&state, &jar);
    let again = |status: axum::http::StatusCode, message: &str| {
        let page = LoginPage {
            csrf_token: csrf_token.clone(),
            next: next.clone(),
            username: form.username.chars().take(64).collect(),
            error: Some(message.to_owned()),
            expired: false,
        };
        (status, page).into_response()
    };

    if !state.sign_in_limiter.allow(peer.ip(), &form.username) {
        return Ok(again(
            axum::http::StatusCode::TOO_MANY_REQUESTS,
            "Too many sign-in attempts. Wait a minute, then try again.",
        ));
    }

    let now = state.now();
    let origin = format!("web {}", peer.ip());
    let settings = state.settings().await?;
    let credentials = match Username::parse(&form.username) {
        Ok(username) => state.store.credentials(&username).await?,
        Err(_) => None,
    };
    let Some(credentials) = credentials else {
        state.passwords.verify(form.password.clone(), None).await?;
        let by = AuditContext::system("anonymous", &origin, now);
        state
            .store
            .record_failed_login(&by, &form.username, None, settings.lockout_threshold)
            .await?;
        return Ok(again(
            axum::http::StatusCode::UNAUTHORIZED,
            WRONG_CREDENTIALS,
        ));
    };
    let user = credentials.user;
    let by = AuditContext::user(&user, &origin, now);
    if user.locked_at.is_some() {
        state
            .store
            .record_failed_login(
                &by,
                &form.username,
                Some(user.id),
                settings.lockout_threshold,
            )
            .await?;
        return Ok(again(axum::http::StatusCode::FORBIDDEN, LOCKED));
    }
    let password_ok = state
        .passwords
        .verify(form.password.clone(), Some(credentials.password_hash))
        .await?;
    if !password_ok || !user.is_active() {
        let failure = state
            .store
            .record_failed_login(
                &by,
                &form.username,
                Some(user.id),
                settings.lockout_threshold,
            )
            .await?;
        return Ok(match failure {
            LoginFailure::Locked => again(axum::http::StatusCode::FORBIDDEN, LOCKED),
            _ => again(axum::http::StatusCode::UNAUTHORIZED, WRONG_CREDENTIALS),
        });
    }

    state.store.record_successful_login(&by, user.id).await?;
    let mut jar = jar;
    if let Some(old) = jar
        .get(session::SESSION_COOKIE)
        .map(|c| c.value().to_owned())
    {
        // Cycle: whatever session the browser had before is gone.
        state
            .store
            .delete_auth_session(&crate::auth::tokens::token_hash(&old))
            .await?;
    }
    let cookie = session::start(&state, user.id, now).await?;
    jar = jar
        .add(cookie)
        .remove(Cookie::build(ANONYMOUS_CSRF_COOKIE).path("/"));
    Ok((jar, Redirect::to(&next)).into_response())
}

const LOCKED: &str =
    "This account is locked after too many failed sign-ins. Ask an administrator to unlock it.";

/// Only local paths are followed after sign-in: no other sites, no `//host` tricks.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.contains('\\')
                && !path.starts_with("/login")
                && path.len() < 512 =>
        {
            path.to_owned()
        }
        _ => "/home".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(safe_next(Some("/groups/3")), "/groups/3");
        assert_eq!(safe_next(Some("//evil.example/")), "/home");
        assert_eq!(safe_next(Some("https://evil.example/")), "/home");
        assert_eq!(safe_next(Some("/\\evil.example")), "/home");
        assert_eq!(safe_next(Some("/login")), "/home");
        assert_eq!(safe_next(None), "/home");
    }
}
