//! `GET /sessions/{id}`: one meeting — when it is, who is expected and their attendance —
//! from one page read, which audits the view.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use domain::{Action, Resource, SessionId, SessionStatus, access::GroupRef, can};
use serde::Deserialize;

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

/// What a finished action says on the session page (fixed words, chosen by key).
#[derive(Debug, Default, Deserialize)]
struct Done {
    #[serde(default)]
    done: String,
}

impl Done {
    fn notice(&self) -> Option<&'static str> {
        Some(match self.done.as_str() {
            "held" => "Marked as held.",
            "cancelled" => "Session cancelled.",
            "moved" => "Session moved.",
            "added" => "Session added. It is numbered in date order with the others.",
            _ => return None,
        })
    }
}

/// What the viewer may do to the session now.
struct Actions {
    hold: bool,
    cancel: bool,
    move_to: bool,
    date: String,
    time: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "session.html")]
struct SessionPage {
    session_id: i64,
    notice: Option<&'static str>,
    cancel_reason: Option<String>,
    actions: Actions,
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
    Query(done): Query<Done>,
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
    let group_ref = GroupRef {
        id: overview.group.id,
        program_id: overview.group.program_id,
    };
    let planned = overview.session.status == SessionStatus::Planned;
    let manage = can(&current.actor, Action::Manage, Resource::Group(group_ref));
    let run = can(
        &current.actor,
        Action::RunSession,
        Resource::Group(group_ref),
    );
    let starts = overview
        .session
        .scheduled_at
        .to_zoned(overview.zone.clone());
    let actions = Actions {
        hold: run && planned && overview.day <= overview.today,
        cancel: manage && planned,
        move_to: manage && planned,
        date: starts.date().to_string(),
        time: starts.strftime("%H:%M").to_string(),
    };
    Ok(SessionPage {
        session_id: overview.session.id.0,
        notice: done.notice(),
        cancel_reason: overview.session.cancel_reason.clone(),
        actions,
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
