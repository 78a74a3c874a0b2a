//! Sign-in sessions: the cookie, its server-side record, idle logoff, and the extractors
//! handlers use to learn who is asking.
//!
//! The cookie holds a random token; the store keeps only its hash. Each request resolves
//! the cookie once (in [`resolve`], run as middleware) and later layers and handlers read
//! the result from the request's extensions.

use axum::{
    extract::{FromRequestParts, Request, State},
    http::{HeaderMap, request::Parts},
    middleware::Next,
    response::{IntoResponse, Redirect, Response},
};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use domain::{Actor, User, UserId};
use jiff::{SignedDuration, Timestamp};

use crate::{
    AppState, WebError,
    auth::tokens::{random_token, token_hash},
};

pub const SESSION_COOKIE: &str = "cw_session";
/// Holds the CSRF token for forms shown before sign-in (the sign-in form itself).
pub const ANONYMOUS_CSRF_COOKIE: &str = "cw_csrf";

/// Refresh `last_seen_at` at most this often, so a busy page costs no write per request.
const TOUCH_EVERY: SignedDuration = SignedDuration::from_secs(60);

/// The signed-in user and what scopes them.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub user: User,
    pub actor: Actor,
    pub csrf_token: String,
    pub(crate) token_hash: String,
}

/// What the session cookie turned out to mean for this request.
#[derive(Debug, Clone)]
pub enum SessionState {
    Anonymous,
    /// The session ended for lack of activity; the sign-in page says so.
    Expired,
    SignedIn(Box<CurrentUser>),
}

/// Middleware: resolves the session cookie once and stores the outcome in the request.
pub async fn resolve(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let session = match lookup(&state, request.headers()).await {
        Ok(session) => session,
        Err(err) => return err.into_response(),
    };
    request.extensions_mut().insert(session);
    next.run(request).await
}

async fn lookup(state: &AppState, headers: &HeaderMap) -> Result<SessionState, WebError> {
    let jar = CookieJar::from_headers(headers);
    let Some(token) = jar.get(SESSION_COOKIE).map(|c| c.value().to_owned()) else {
        return Ok(SessionState::Anonymous);
    };
    let hash = token_hash(&token);
    let Some(record) = state.store.auth_session(&hash).await? else {
        return Ok(SessionState::Anonymous);
    };
    let now = state.now();
    let idle_limit =
        SignedDuration::from_mins(i64::from(state.settings().await?.idle_logoff_minutes));
    if now.duration_since(record.last_seen_at) > idle_limit {
        state.store.delete_auth_session(&hash).await?;
        return Ok(SessionState::Expired);
    }
    let user = state.store.user(record.user_id).await?;
    if !user.is_active() {
        state.store.delete_auth_session(&hash).await?;
        return Ok(SessionState::Anonymous);
    }
    if now.duration_since(record.last_seen_at) > TOUCH_EVERY {
        state.store.touch_auth_session(&hash, now).await?;
    }
    let actor = state.store.actor(user.id).await?;
    Ok(SessionState::SignedIn(Box::new(CurrentUser {
        user,
        actor,
        csrf_token: record.csrf_token,
        token_hash: hash,
    })))
}

/// Starts a fresh session for `user` (a new token every sign-in: the id is cycled) and
/// returns the cookie to set.
pub async fn start(
    state: &AppState,
    user: UserId,
    at: Timestamp,
) -> Result<Cookie<'static>, WebError> {
    let token = random_token();
    state
        .store
        .create_auth_session(&token_hash(&token), user, &random_token(), at)
        .await?;
    Ok(session_cookie(state, token))
}

/// Ends the session server-side and returns a cookie that clears it in the browser.
pub async fn end(state: &AppState, current: &CurrentUser) -> Result<Cookie<'static>, WebError> {
    state.store.delete_auth_session(&current.token_hash).await?;
    let mut cookie = session_cookie(state, String::new());
    cookie.make_removal();
    Ok(cookie)
}

fn session_cookie(state: &AppState, value: String) -> Cookie<'static> {
    Cookie::build((SESSION_COOKIE, value))
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(state.config.secure_cookies)
        .path("/")
        .build()
}

/// The CSRF cookie for anonymous forms: reuses the one the browser has, or makes one.
pub fn anonymous_csrf(state: &AppState, jar: &CookieJar) -> (String, Option<Cookie<'static>>) {
    match jar
        .get(ANONYMOUS_CSRF_COOKIE)
        .map(|c| c.value().to_owned())
        .filter(|v| v.len() == 64)
    {
        Some(token) => (token, None),
        None => {
            let token = random_token();
            let cookie = Cookie::build((ANONYMOUS_CSRF_COOKIE, token.clone()))
                .http_only(true)
                .same_site(SameSite::Strict)
                .secure(state.config.secure_cookies)
                .path("/")
                .build();
            (token, Some(cookie))
        }
    }
}

pub(crate) fn session_state(parts: &Parts) -> SessionState {
    parts
        .extensions
        .get::<SessionState>()
        .cloned()
        .unwrap_or(SessionState::Anonymous)
}

/// Extractor for pages and API routes that need a signed-in user. Pages redirect to the
/// sign-in page (remembering where the user was going); the JSON API answers 401.
impl<S: Send + Sync> FromRequestParts<S> for CurrentUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        match session_state(parts) {
            SessionState::SignedIn(current) => Ok(*current),
            other => {
                if parts.uri.path().starts_with("/api/") {
                    return Err(WebError::Unauthorized.into_response());
                }
                let mut target = String::from("/login?");
                if matches!(other, SessionState::Expired) {
                    target.push_str("expired=1&");
                }
                let next: String =
                    form_urlencoded::byte_serialize(parts.uri.path().as_bytes()).collect();
                target.push_str("next=");
                target.push_str(&next);
                Err(Redirect::to(&target).into_response())
            }
        }
    }
}

/// Extractor for public pages that look different to a signed-in user.
#[derive(Debug, Clone)]
pub struct MaybeUser(pub Option<CurrentUser>);

impl<S: Send + Sync> FromRequestParts<S> for MaybeUser {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(match session_state(parts) {
            SessionState::SignedIn(current) => MaybeUser(Some(*current)),
            _ => MaybeUser(None),
        })
    }
}
