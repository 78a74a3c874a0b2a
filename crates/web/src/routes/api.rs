//! The JSON API (`/api/v1/...`): the same policy as the pages; 401 when not signed in.

use axum::{
    Json,
    extract::{Path, State},
};
use domain::{Action, Group, GroupId, Role};
use serde::Serialize;

use super::RouteDef;
use crate::{AppState, WebError, auth::CurrentUser, error::ApiError, guard};

pub fn routes() -> Vec<RouteDef> {
    vec![
        RouteDef::get("/api/v1/me", me),
        RouteDef::get("/api/v1/groups", groups),
        RouteDef::get("/api/v1/groups/{id}", group),
    ]
}

#[derive(Serialize)]
struct Me {
    id: i64,
    username: String,
    display_name: String,
    role: Role,
}

async fn me(current: CurrentUser) -> Json<Me> {
    Json(Me {
        id: current.user.id.0,
        username: current.user.username.to_string(),
        display_name: current.user.display_name.to_string(),
        role: current.user.role,
    })
}

async fn groups(
    State(state): State<AppState>,
    current: CurrentUser,
) -> Result<Json<Vec<Group>>, ApiError> {
    Ok(Json(state.store.groups_visible_to(&current.actor).await?))
}

async fn group(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<Group>, ApiError> {
    let id = id.parse().map_err(|_| WebError::NotFound)?;
    Ok(Json(
        guard::group(&state, &current, GroupId(id), Action::View).await?,
    ))
}
