//! Layers around every route: tracing, body limit, security headers, session, CSRF.

mod csrf;
mod security_headers;

use axum::{Router, middleware::from_fn_with_state};
use tower_http::{limit::RequestBodyLimitLayer, trace::TraceLayer};

use crate::{AppState, auth::session};

/// Wraps the routes; the last layer added is the first a request meets.
pub fn wrap(routes: Router<AppState>, state: AppState) -> Router {
    let max_body = state.config.max_body_bytes;
    let secure = state.config.secure_cookies;
    let routes = routes
        .layer(axum::middleware::from_fn(csrf::verify))
        .layer(from_fn_with_state(state.clone(), session::resolve));
    security_headers::apply(routes, secure)
        .layer(RequestBodyLimitLayer::new(max_body))
        // Spans name the method and path only: no query strings, headers or cookies.
        .layer(TraceLayer::new_for_http().make_span_with(|request: &axum::http::Request<_>| {
            tracing::info_span!("request", method = %request.method(), path = %request.uri().path())
        }))
        .with_state(state)
}
