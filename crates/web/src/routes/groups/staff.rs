//! `POST /groups/{id}/staff` and `POST /groups/{id}/staff/remove`: who leads and co-leads a
//! group. Allowed to those who may manage the group (admins, the program's supervisors, the
//! group's lead facilitator).

use axum::{
    extract::State,
    response::{IntoResponse, Redirect, Response},
};
use axum_extra::extract::Form;
use domain::{Action, Group, GroupId, GroupStaffRole, Resource, User, UserId, can};
use serde::Deserialize;

use super::super::RouteDef;
use crate::guard::PathId;
use crate::{
    AppState, WebError,
    auth::{Audit, CurrentUser},
    guard::{self, group_ref},
};

pub fn routes() -> Vec<RouteDef> {
    vec![
        RouteDef::post("/groups/{id}/staff", assign),
        RouteDef::post("/groups/{id}/staff/remove", remove),
    ]
}

/// A person on the staff list, with the form to take them off.
pub struct StaffLine {
    pub user_id: i64,
    pub name: String,
    pub role: GroupStaffRole,
}

/// A user who could be added.
pub struct Candidate {
    pub user_id: i64,
    pub label: String,
}

/// What the group page shows to someone who may manage its staff.
pub struct Staffing {
    pub csrf_token: String,
    pub staff: Vec<StaffLine>,
    pub candidates: Vec<Candidate>,
}

/// The staffing panel, or `None` when `current` may not manage the group.
pub async fn staffing(
    state: &AppState,
    current: &CurrentUser,
    group: &Group,
    staff: &[(User, GroupStaffRole)],
) -> Result<Option<Staffing>, WebError> {
    if !can(
        &current.actor,
        Action::Manage,
        Resource::Group(group_ref(group)),
    ) {
        return Ok(None);
    }
    let candidates = state
        .store
        .users()
        .await?
        .into_iter()
        .filter(|u| u.is_active() && u.role.is_staff() && !staff.iter().any(|(s, _)| s.id == u.id))
        .map(|u| Candidate {
            user_id: u.id.0,
            label: format!("{} ({}, {})", u.display_name, u.username, u.role.label()),
        })
        .collect();
    Ok(Some(Staffing {
        csrf_token: current.csrf_token.clone(),
        staff: staff
            .iter()
            .map(|(u, role)| StaffLine {
                user_id: u.id.0,
                name: u.display_name.to_string(),
                role: *role,
            })
            .collect(),
        candidates,
    }))
}

#[derive(Debug, Deserialize)]
struct AssignForm {
    user: i64,
    role: String,
}

async fn assign(
    State(state): State<AppState>,
    current: CurrentUser,
    Audit(by): Audit,
    PathId(id): PathId,
    Form(form): Form<AssignForm>,
) -> Result<Response, WebError> {
    let group = guard::group(&state, &current, GroupId(id), Action::Manage).await?;
    let role: GroupStaffRole = form
        .role
        .parse()
        .map_err(|e: domain::ParseError| WebError::BadRequest(e.to_string()))?;
    let user = state
        .store
        .user(UserId(form.user))
        .await
        .map_err(|_| WebError::BadRequest("no such user".into()))?;
    if !user.is_active() || !user.role.is_staff() {
        return Err(WebError::BadRequest(
            "only active staff accounts can staff a group".into(),
        ));
    }
    state
        .store
        .assign_staff(&by, group.id, user.id, role)
        .await?;
    Ok(Redirect::to(&format!("/groups/{}", group.id)).into_response())
}

#[derive(Debug, Deserialize)]
struct RemoveForm {
    user: i64,
}

async fn remove(
    State(state): State<AppState>,
    current: CurrentUser,
    Audit(by): Audit,
    PathId(id): PathId,
    Form(form): Form<RemoveForm>,
) -> Result<Response, WebError> {
    let group = guard::group(&state, &current, GroupId(id), Action::Manage).await?;
    state
        .store
        .remove_staff(&by, group.id, UserId(form.user))
        .await
        .map_err(|err| match err {
            store::StoreError::NotFound => {
                WebError::BadRequest("that person is not on this group's staff".into())
            }
            other => other.into(),
        })?;
    Ok(Redirect::to(&format!("/groups/{}", group.id)).into_response())
}
