//! `POST /logout`: ends the session everywhere it could be used.

use axum::{
    extract::State,
    response::{IntoResponse, Redirect, Response},
};
use axum_extra::extract::cookie::CookieJar;
use store::{AuditAction, AuditEvent};

use super::RouteDef;
use crate::{
    AppState, WebError,
    auth::{Audit, CurrentUser, session},
};

pub fn routes() -> Vec<RouteDef> {
    vec![RouteDef::post("/logout", submit)]
}

async fn submit(
    State(state): State<AppState>,
    current: CurrentUser,
    Audit(by): Audit,
    jar: CookieJar,
) -> Result<Response, WebError> {
    let removal = session::end(&state, &current).await?;
    let event = AuditEvent::new(AuditAction::SignOut, "user", Some(current.user.id.0));
    state.store.record(&by, &event).await?;
    Ok((jar.add(removal), Redirect::to("/")).into_response())
}
