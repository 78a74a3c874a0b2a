//! Loading a record together with the policy check, so no handler forgets one. A record
//! the user may not see answers exactly like one that does not exist (404).

use domain::{Action, Group, GroupId, Resource, Session, SessionId, access::GroupRef, can};

use crate::{AppState, WebError, auth::CurrentUser};

pub fn group_ref(group: &Group) -> GroupRef {
    GroupRef {
        id: group.id,
        program_id: group.program_id,
    }
}

/// The group, if `current` may do `action` on it.
pub async fn group(
    state: &AppState,
    current: &CurrentUser,
    id: GroupId,
    action: Action,
) -> Result<Group, WebError> {
    let group = state.store.group(id).await?;
    if can(&current.actor, action, Resource::Group(group_ref(&group))) {
        Ok(group)
    } else {
        Err(WebError::NotFound)
    }
}

/// The session and its group, if `current` may do `action` on the group.
pub async fn session(
    state: &AppState,
    current: &CurrentUser,
    id: SessionId,
    action: Action,
) -> Result<(Session, Group), WebError> {
    let session = state.store.session(id).await?;
    let group = group(state, current, session.group_id, action).await?;
    Ok((session, group))
}

/// A numeric id from the path. Anything else (`/groups/abc`, an overflow) is answered like an
/// unknown id — 404 — instead of the framework's plain-text rejection.
#[derive(Debug, Clone, Copy)]
pub struct PathId(pub i64);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for PathId {
    type Rejection = WebError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        let axum::extract::Path(raw) =
            axum::extract::Path::<String>::from_request_parts(parts, state)
                .await
                .map_err(|_| WebError::NotFound)?;
        raw.parse::<i64>()
            .ok()
            .filter(|id| *id > 0)
            .map(PathId)
            .ok_or(WebError::NotFound)
    }
}

/// Two numeric ids from the path (`/groups/{id}/roster/{member}`), answered like
/// [`PathId`] when either is not one.
#[derive(Debug, Clone, Copy)]
pub struct PathIds(pub i64, pub i64);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for PathIds {
    type Rejection = WebError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        let axum::extract::Path((first, second)) =
            axum::extract::Path::<(String, String)>::from_request_parts(parts, state)
                .await
                .map_err(|_| WebError::NotFound)?;
        let id = |raw: &str| raw.parse::<i64>().ok().filter(|id| *id > 0);
        match (id(&first), id(&second)) {
            (Some(a), Some(b)) => Ok(PathIds(a, b)),
            _ => Err(WebError::NotFound),
        }
    }
}
