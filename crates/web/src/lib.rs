//! Circlework's web server: server-rendered pages for facilitators, supervisors and admins,
//! and a small JSON API beside them.
//!
//! Security is on from the first route: Argon2id passwords verified off the async threads,
//! session ids cycled at sign-in and stored only as hashes, HttpOnly SameSite=Strict cookies,
//! CSRF checks on every state-changing request, a strict Content-Security-Policy, sign-in rate
//! limits and lockout, idle logoff. Handlers are thin: parse, ask `domain::can`, call the
//! store (which audits in the same transaction), render.

pub mod auth;
mod error;
mod form;
mod guard;
mod middleware;
mod nav;
mod routes;
mod state;
mod views;

use std::net::SocketAddr;

use axum::Router;
use tokio::net::TcpListener;

pub use error::WebError;
pub use routes::route_table;
pub use state::{AppState, SystemClock, WebConfig};

/// Builds the whole application: routes, then the middleware that wraps them.
pub fn router(state: AppState) -> Router {
    middleware::wrap(routes::routes(), state)
}

/// Serves until `shutdown` resolves.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}
