//! `GET /healthz`: 200 `ok` once the database answers.

use axum::{extract::State, http::StatusCode};

use super::RouteDef;
use crate::AppState;

pub fn routes() -> Vec<RouteDef> {
    vec![RouteDef::get("/healthz", healthz)]
}

async fn healthz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    match state.store.ping().await {
        Ok(()) => (StatusCode::OK, "ok"),
        Err(err) => {
            tracing::warn!(error = %err, "health check: database not answering");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}
