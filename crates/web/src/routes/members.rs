//! `GET /members/{id}`: one member's groups and attendance. Every view is audited.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use domain::{Action, MemberId};
use store::{AuditAction, AuditContext, AuditEvent};

use super::RouteDef;
use crate::guard::PathId;
use crate::{
    AppState, WebError,
    auth::CurrentUser,
    guard,
    views::{Chrome, LocalTime},
};

pub fn routes() -> Vec<RouteDef> {
    vec![RouteDef::get("/members/{id}", show)]
}

struct GroupLine {
    id: i64,
    name: String,
    joined: String,
    left: Option<String>,
}

struct AttendanceLine {
    group: String,
    number: u32,
    when: String,
    status: &'static str,
}

#[derive(Template, WebTemplate)]
#[template(path = "member.html")]
struct MemberPage {
    chrome: Chrome,
    code: String,
    alias: Option<String>,
    groups: Vec<GroupLine>,
    attendance: Vec<AttendanceLine>,
}

async fn show(
    State(state): State<AppState>,
    current: CurrentUser,
    PathId(id): PathId,
) -> Result<MemberPage, WebError> {
    let (member, groups) = guard::member(&state, &current, MemberId(id), Action::View).await?;
    let local = LocalTime::new(&state.settings().await?.time_zone);
    let enrollments = state.store.member_enrollments(member.id).await?;
    let mut group_lines = Vec::new();
    let mut attendance = Vec::new();
    for group in &groups {
        if let Some(enrollment) = enrollments.iter().find(|e| e.group_id == group.id) {
            group_lines.push(GroupLine {
                id: group.id.0,
                name: group.name.clone(),
                joined: enrollment.joined_on.to_string(),
                left: enrollment.left_on.map(|d| d.to_string()),
            });
        }
        for session in state.store.sessions(group.id).await? {
            let marks = state.store.attendance(session.id).await?;
            if let Some(mark) = marks.iter().find(|a| a.member_id == member.id) {
                attendance.push(AttendanceLine {
                    group: group.name.clone(),
                    number: session.number,
                    when: local.date_time(session.scheduled_at),
                    status: mark.status.as_str(),
                });
            }
        }
    }
    // Aliases are for the member's own facilitators only.
    let alias = groups
        .iter()
        .any(|g| guard::facilitates(&current, g.id))
        .then(|| member.alias.as_ref().map(|a| a.as_str().to_owned()))
        .flatten();

    let by = AuditContext::user(&current.user, "web", state.now());
    let event = AuditEvent::new(AuditAction::View, "member", Some(member.id.0))
        .member(member.id)
        .detail("member page");
    state.store.record(&by, &event).await?;

    Ok(MemberPage {
        chrome: Chrome::new(&current, format!("Member {}", member.code), "/home").sensitive(),
        code: member.code.to_string(),
        alias,
        groups: group_lines,
        attendance,
    })
}
