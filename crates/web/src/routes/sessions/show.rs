//! `GET /sessions/{id}`: one meeting — when it is, who is expected and their attendance —
//! from one page read, which audits the view.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use domain::SessionId;

use super::super::RouteDef;
use crate::guard::PathId;
use crate::{
    AppState, WebError,
    auth::{Audit, CurrentUser},
    views::{Chrome, LocalTime, day},
};

pub fn routes() -> Vec<RouteDef> {
    vec![RouteDef::get("/sessions/{id}", show)]
}

struct MemberRow {
    member_id: i64,
    code: String,
    alias: String,
    joined: String,
    mark: String,
    mark_class: &'static str,
}

#[derive(Template, WebTemplate)]
#[template(path = "session.html")]
struct SessionPage {
    chrome: Chrome,
    group_id: i64,
    group_name: String,
    number: u32,
    when: String,
    status: &'static str,
    previous: Option<i64>,
    next: Option<i64>,
    show_alias: bool,
    members: Vec<MemberRow>,
    summary: String,
}

async fn show(
    State(state): State<AppState>,
    current: CurrentUser,
    Audit(by): Audit,
    PathId(id): PathId,
) -> Result<SessionPage, WebError> {
    let overview = state
        .store
        .session_overview(&by, &current.actor, SessionId(id))
        .await?;
    let local = LocalTime::from(overview.zone.clone());
    let counts = overview.counts;
    let members = overview
        .expected
        .iter()
        .map(|expected| MemberRow {
            member_id: expected.member.id.0,
            code: expected.member.code.to_string(),
            alias: expected
                .member
                .alias
                .as_ref()
                .map(|a| a.as_str().to_owned())
                .unwrap_or_default(),
            joined: day(expected.enrollment.joined_on),
            mark: expected
                .attendance
                .as_ref()
                .map_or("Not marked", |a| a.status.label())
                .to_owned(),
            mark_class: expected
                .attendance
                .as_ref()
                .map_or("unmarked", |a| a.status.as_str()),
        })
        .collect();
    Ok(SessionPage {
        chrome: Chrome::new(
            &current,
            format!(
                "Session {} · {}",
                overview.session.number, overview.group.name
            ),
            "/groups",
        )
        .sensitive(),
        group_id: overview.group.id.0,
        group_name: overview.group.name.clone(),
        number: overview.session.number,
        when: local.date_time(overview.session.scheduled_at),
        status: overview.session.status.label(),
        previous: overview.previous.map(|id| id.0),
        next: overview.next.map(|id| id.0),
        show_alias: overview.shows_aliases,
        members,
        summary: format!(
            "{} of {} attended · {} excused · {} absent · {} not marked",
            counts.attended(),
            counts.expected,
            counts.excused,
            counts.absent,
            counts.unmarked
        ),
    })
}
