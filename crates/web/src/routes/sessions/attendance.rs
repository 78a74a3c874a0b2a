//! Taking attendance: `POST /sessions/{id}/attendance` records one member's mark (one tap:
//! present, late or left early with minutes, excused, absent) and `POST
//! /sessions/{id}/attendance/all-present` marks everyone not yet marked present. Allowed to
//! those who run the group's sessions, until the session's group note is signed (409).
//! A refused tap comes back on the session page beside the member's row.

use axum::{
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use axum_extra::extract::Form;
use domain::{Action, AttendanceMark, AttendanceStatus, MemberId, SessionId};
use serde::Deserialize;
use store::StoreError;

use super::{
    super::RouteDef,
    show::{Refusal, render},
};
use crate::{
    AppState, WebError,
    auth::{Audit, CurrentUser},
    guard::{self, PathId},
};

pub fn routes() -> Vec<RouteDef> {
    vec![
        RouteDef::post("/sessions/{id}/attendance", mark),
        RouteDef::post("/sessions/{id}/attendance/all-present", all_present),
    ]
}

#[derive(Debug, Deserialize)]
struct MarkForm {
    member: i64,
    #[serde(default)]
    status: String,
    #[serde(default)]
    minutes: String,
}

/// The mark a tap asks for; minutes count for late and left early only.
fn parse(form: &MarkForm) -> Result<AttendanceMark, String> {
    let status: AttendanceStatus = form
        .status
        .parse()
        .map_err(|_| "Choose present, late, left early, excused or absent.".to_owned())?;
    let minutes = || -> Result<u32, String> {
        form.minutes
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|m| *m > 0)
            .ok_or_else(|| "Minutes: type how many (1 or more).".to_owned())
    };
    // The session's length is checked by the store, which knows it.
    Ok(match status {
        AttendanceStatus::Late => AttendanceMark::from_stored(status, minutes()?, 0),
        AttendanceStatus::LeftEarly => AttendanceMark::from_stored(status, 0, minutes()?),
        other => AttendanceMark::plain(other),
    })
}

/// A refused mark: back to the session page with the reason, or 409 for a locked session.
async fn refused(
    state: &AppState,
    current: &CurrentUser,
    by: &store::AuditContext,
    session: SessionId,
    refusal: Refusal,
    status: StatusCode,
) -> Result<Response, WebError> {
    let page = render(state, current, by, session, None, Some(refusal)).await?;
    Ok((status, page).into_response())
}

async fn mark(
    State(state): State<AppState>,
    current: CurrentUser,
    Audit(by): Audit,
    PathId(id): PathId,
    Form(form): Form<MarkForm>,
) -> Result<Response, WebError> {
    let (session, _) = guard::session(&state, &current, SessionId(id), Action::RunSession).await?;
    let member = MemberId(form.member);
    let mark = match parse(&form) {
        Ok(mark) => mark,
        Err(message) => {
            return refused(
                &state,
                &current,
                &by,
                session.id,
                Refusal::Row(member, message),
                StatusCode::BAD_REQUEST,
            )
            .await;
        }
    };
    match state
        .store
        .record_attendance(&by, session.id, member, mark)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!(
            "/sessions/{}?done=marked#member-{}",
            session.id, member
        ))
        .into_response()),
        Err(StoreError::Invalid { message, .. }) => {
            refused(
                &state,
                &current,
                &by,
                session.id,
                Refusal::Row(member, message),
                StatusCode::BAD_REQUEST,
            )
            .await
        }
        Err(StoreError::Refused(message)) => {
            refused(
                &state,
                &current,
                &by,
                session.id,
                Refusal::Page(message),
                StatusCode::BAD_REQUEST,
            )
            .await
        }
        Err(StoreError::Locked(message)) => {
            refused(
                &state,
                &current,
                &by,
                session.id,
                Refusal::Page(message),
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(other) => Err(other.into()),
    }
}

async fn all_present(
    State(state): State<AppState>,
    current: CurrentUser,
    Audit(by): Audit,
    PathId(id): PathId,
) -> Result<Response, WebError> {
    let (session, _) = guard::session(&state, &current, SessionId(id), Action::RunSession).await?;
    match state.store.record_all_present(&by, session.id).await {
        Ok(_) => {
            Ok(Redirect::to(&format!("/sessions/{}?done=all-present", session.id)).into_response())
        }
        Err(StoreError::Refused(message) | StoreError::Invalid { message, .. }) => {
            refused(
                &state,
                &current,
                &by,
                session.id,
                Refusal::Page(message),
                StatusCode::BAD_REQUEST,
            )
            .await
        }
        Err(StoreError::Locked(message)) => {
            refused(
                &state,
                &current,
                &by,
                session.id,
                Refusal::Page(message),
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(other) => Err(other.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(status: &str, minutes: &str) -> MarkForm {
        MarkForm {
            member: 1,
            status: status.into(),
            minutes: minutes.into(),
        }
    }

    #[test]
    fn taps_read_their_minutes_only_when_late_or_leaving_early() {
        assert_eq!(parse(&form("late", "12")).unwrap().late_minutes(), 12);
        assert_eq!(
            parse(&form("left-early", "5"))
                .unwrap()
                .left_early_minutes(),
            5
        );
        assert_eq!(parse(&form("present", "12")).unwrap().late_minutes(), 0);
        assert!(parse(&form("late", "")).is_err());
        assert!(parse(&form("late", "0")).is_err());
        assert!(parse(&form("maybe", "")).is_err());
    }
}
