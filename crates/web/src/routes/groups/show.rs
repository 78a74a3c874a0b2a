//! `GET /groups/{id}`: a group's facts, roster and sessions. Viewing it is audited: the
//! roster is member data.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use domain::{Action, Group, GroupId, SessionStatus};
use store::{AuditAction, AuditContext, AuditEvent};

use super::super::RouteDef;
use crate::{
    AppState, WebError,
    auth::CurrentUser,
    guard,
    views::{Chrome, LocalTime},
};

pub fn routes() -> Vec<RouteDef> {
    vec![RouteDef::get("/groups/{id}", show)]
}

struct RosterRow {
    member_id: i64,
    code: String,
    alias: String,
    joined: String,
    status: String,
    attended: usize,
}

struct SessionRow {
    number: u32,
    when: String,
    status: SessionStatus,
    present: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "group.html")]
struct GroupPage {
    chrome: Chrome,
    group: Group,
    program: String,
    staff: String,
    show_alias: bool,
    staffing: Option<super::staff::Staffing>,
    roster: Vec<RosterRow>,
    held: usize,
    sessions: Vec<SessionRow>,
}

async fn show(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<i64>,
) -> Result<GroupPage, WebError> {
    let group = guard::group(&state, &current, GroupId(id), Action::View).await?;
    let local = LocalTime::new(&state.settings().await?.time_zone);
    let program = state.store.program(group.program_id).await?.name;
    let staff_members = state.store.group_staff(group.id).await?;
    let staff: Vec<String> = staff_members
        .iter()
        .map(|(user, role)| format!("{} ({role})", user.display_name))
        .collect();
    let staffing = super::staff::staffing(&state, &current, &group, &staff_members).await?;
    let roster = state.store.roster(group.id).await?;
    let sessions = state.store.sessions(group.id).await?;
    let mut attended: HashMap<i64, usize> = HashMap::new();
    let mut session_rows = Vec::new();
    for session in &sessions {
        let marks = state.store.attendance(session.id).await?;
        let present = marks.iter().filter(|a| a.status.attended()).count();
        for mark in marks.iter().filter(|a| a.status.attended()) {
            *attended.entry(mark.member_id.0).or_default() += 1;
        }
        session_rows.push(SessionRow {
            number: session.number,
            when: local.date_time(session.scheduled_at),
            status: session.status,
            present: if session.status == SessionStatus::Held {
                present.to_string()
            } else {
                "—".into()
            },
        });
    }
    let today = local.date(state.now());
    let show_alias = guard::facilitates(&current, group.id);
    let roster_rows = roster
        .iter()
        .map(|entry| RosterRow {
            member_id: entry.member.id.0,
            code: entry.member.code.to_string(),
            alias: entry
                .member
                .alias
                .as_ref()
                .map(|a| a.as_str().to_owned())
                .unwrap_or_default(),
            joined: entry.enrollment.joined_on.to_string(),
            status: match (entry.enrollment.left_on, entry.enrollment.leave_reason) {
                (Some(left), Some(reason)) => format!("left {left} ({reason})"),
                (Some(left), None) => format!("left {left}"),
                _ if entry.enrollment.is_active_on(today) => "active".into(),
                _ => "joins later".into(),
            },
            attended: attended.get(&entry.member.id.0).copied().unwrap_or(0),
        })
        .collect();

    let by = AuditContext::user(&current.user, "web", state.now());
    let event = AuditEvent::new(AuditAction::View, "group", Some(group.id.0))
        .group(group.id)
        .detail("roster");
    state.store.record(&by, &event).await?;

    Ok(GroupPage {
        chrome: Chrome::new(&current, group.name.clone(), "/home").sensitive(),
        held: sessions
            .iter()
            .filter(|s| s.status == SessionStatus::Held)
            .count(),
        program,
        staff: if staff.is_empty() {
            "none assigned".into()
        } else {
            staff.join(", ")
        },
        show_alias,
        staffing,
        roster: roster_rows,
        sessions: session_rows,
        group,
    })
}
