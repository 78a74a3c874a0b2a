//! `POST /groups/{id}/start` and `POST /groups/{id}/end`: a group's life, planned → active
//! → ended. Ending cancels the planned sessions after its last day. Allowed to those who
//! manage the group.

use axum::{
    extract::State,
    response::{IntoResponse, Redirect, Response},
};
use axum_extra::extract::Form;
use domain::{Action, GroupId};
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
        RouteDef::post("/groups/{id}/start", start),
        RouteDef::post("/groups/{id}/end", end),
    ]
}

async fn start(
    State(state): State<AppState>,
    current: CurrentUser,
    Audit(by): Audit,
    PathId(id): PathId,
) -> Result<Response, WebError> {
    let group = guard::group(&state, &current, GroupId(id), Action::Manage).await?;
    state.store.start_group(&by, group.id).await?;
    Ok(Redirect::to(&format!("/groups/{}?done=started", group.id)).into_response())
}

#[derive(Debug, Deserialize)]
struct EndForm {
    #[serde(default)]
    ended_on: String,
}

async fn end(
    State(state): State<AppState>,
    current: CurrentUser,
    Audit(by): Audit,
    PathId(id): PathId,
    Form(form): Form<EndForm>,
) -> Result<Response, WebError> {
    let group = guard::group(&state, &current, GroupId(id), Action::Manage).await?;
    let page = SmallForm::new(
        &current,
        format!("End {}", group.name),
        format!("/groups/{}/end", group.id),
        (format!("/groups/{}", group.id), group.name.clone()),
        "End the group",
    )
    .field("ended_on", "Last day", "date", form.ended_on.clone());
    let ended_on = match form::date(&form.ended_on, "Last day") {
        Ok(day) => day,
        Err(message) => return Ok(page.refused(FieldErrors::one("ended_on", message))),
    };
    match state.store.end_group(&by, group.id, ended_on).await {
        Ok(_) => Ok(Redirect::to(&format!("/groups/{}?done=ended", group.id)).into_response()),
        Err(err) => Ok(page.refused(store_refusal(err, "ended_on")?)),
    }
}
