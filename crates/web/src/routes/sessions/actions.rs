//! What can happen to a session: held (`POST /sessions/{id}/held`, those who run the
//! group's sessions), cancelled with a reason or moved (`POST /sessions/{id}/cancel`,
//! `/move`), and an extra session added beside the schedule (`POST /groups/{id}/sessions`;
//! these three for those who manage the group). A refused form comes back on its own page
//! with the error beside its field.

use axum::{
    extract::State,
    response::{IntoResponse, Redirect, Response},
};
use axum_extra::extract::Form;
use domain::{Action, GroupId, SessionId};
use serde::Deserialize;

use super::super::{RouteDef, small_form::SmallForm};
use crate::{
    AppState, WebError,
    auth::{Audit, CurrentUser},
    form::{self, FieldErrors, store_refusal},
    guard::{self, PathId},
};

pub fn routes() -> Vec<RouteDef> {
    vec![
        RouteDef::post("/sessions/{id}/held", held),
        RouteDef::post("/sessions/{id}/cancel", cancel),
        RouteDef::post("/sessions/{id}/move", move_to),
        RouteDef::post("/groups/{id}/sessions", add),
    ]
}

async fn held(
    State(state): State<AppState>,
    current: CurrentUser,
    Audit(by): Audit,
    PathId(id): PathId,
) -> Result<Response, WebError> {
    let (session, _) = guard::session(&state, &current, SessionId(id), Action::RunSession).await?;
    state.store.hold_session(&by, session.id).await?;
    Ok(Redirect::to(&format!("/sessions/{}?done=held", session.id)).into_response())
}

#[derive(Debug, Deserialize)]
struct CancelForm {
    #[serde(default)]
    reason: String,
}

async fn cancel(
    State(state): State<AppState>,
    current: CurrentUser,
    Audit(by): Audit,
    PathId(id): PathId,
    Form(form): Form<CancelForm>,
) -> Result<Response, WebError> {
    let (session, group) = guard::session(&state, &current, SessionId(id), Action::Manage).await?;
    match state
        .store
        .cancel_session(&by, session.id, &form.reason)
        .await
    {
        Ok(_) => {
            Ok(Redirect::to(&format!("/sessions/{}?done=cancelled", session.id)).into_response())
        }
        Err(err) => {
            let errors = store_refusal(err, "reason")?;
            let page = SmallForm::new(
                &current,
                format!("Cancel session {}", session.number),
                format!("/sessions/{}/cancel", session.id),
                (
                    format!("/sessions/{}", session.id),
                    format!("{} · session {}", group.name, session.number),
                ),
                "Cancel the session",
            )
            .field(
                "reason",
                "Reason (members and staff may read it)",
                "text",
                form.reason,
            );
            Ok(page.refused(errors))
        }
    }
}

#[derive(Debug, Deserialize)]
struct WhenForm {
    #[serde(default)]
    date: String,
    #[serde(default)]
    time: String,
    #[serde(default)]
    minutes: String,
}

/// The local date and time a form names, or its errors by field.
fn when(form: &WhenForm) -> Result<jiff::civil::DateTime, FieldErrors> {
    let mut errors = FieldErrors::default();
    let date = errors.check("date", form::date(&form.date, "Date"));
    let time = errors.check("time", form::time(&form.time, "Start time"));
    match (date, time) {
        (Some(date), Some(time)) => Ok(date.to_datetime(time)),
        _ => Err(errors),
    }
}

async fn move_to(
    State(state): State<AppState>,
    current: CurrentUser,
    Audit(by): Audit,
    PathId(id): PathId,
    Form(form): Form<WhenForm>,
) -> Result<Response, WebError> {
    let (session, group) = guard::session(&state, &current, SessionId(id), Action::Manage).await?;
    let page = SmallForm::new(
        &current,
        format!("Move session {}", session.number),
        format!("/sessions/{}/move", session.id),
        (
            format!("/sessions/{}", session.id),
            format!("{} · session {}", group.name, session.number),
        ),
        "Move the session",
    )
    .field("date", "New date", "date", form.date.clone())
    .field("time", "Starting at", "time", form.time.clone());
    let to = match when(&form) {
        Ok(to) => to,
        Err(errors) => return Ok(page.refused(errors)),
    };
    match state.store.move_session(&by, session.id, to).await {
        Ok(_) => Ok(Redirect::to(&format!("/sessions/{}?done=moved", session.id)).into_response()),
        Err(err) => Ok(page.refused(store_refusal(err, "date")?)),
    }
}

async fn add(
    State(state): State<AppState>,
    current: CurrentUser,
    Audit(by): Audit,
    PathId(id): PathId,
    Form(form): Form<WhenForm>,
) -> Result<Response, WebError> {
    let group = guard::group(&state, &current, GroupId(id), Action::Manage).await?;
    let page = SmallForm::new(
        &current,
        format!("Add a session to {}", group.name),
        format!("/groups/{}/sessions", group.id),
        (format!("/groups/{}", group.id), group.name.clone()),
        "Add session",
    )
    .field("date", "Date", "date", form.date.clone())
    .field("time", "Starting at", "time", form.time.clone())
    .field(
        "minutes",
        "Length in minutes",
        "number",
        form.minutes.clone(),
    );
    let mut errors = match when(&form) {
        Ok(_) => FieldErrors::default(),
        Err(errors) => errors,
    };
    let minutes = errors.check(
        "minutes",
        form::optional_count(&form.minutes, "Length")
            .map(|n| n.unwrap_or_else(|| group.meeting.map_or(90, |m| m.minutes()))),
    );
    let (Ok(at), Some(minutes)) = (when(&form), minutes) else {
        return Ok(page.refused(errors));
    };
    match state.store.add_session(&by, group.id, at, minutes).await {
        Ok(session) => {
            Ok(Redirect::to(&format!("/sessions/{}?done=added", session.id)).into_response())
        }
        Err(err) => Ok(page.refused(store_refusal(err, "date")?)),
    }
}
