//! `GET /groups/{id}`: a group's facts, roster and sessions, from one page read (which
//! audits the view: the roster is member data).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use domain::{Action, GroupId, GroupStatus, Resource, SessionStatus, access::GroupRef, can};
use serde::Deserialize;
use store::GroupOverview;

use super::super::RouteDef;
use crate::guard::PathId;
use crate::{
    AppState, WebError,
    auth::{Audit, CurrentUser},
    views::{Chrome, LocalTime, day},
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
    attended: String,
}

struct SessionRow {
    id: i64,
    number: u32,
    when: String,
    status: String,
    present: String,
}

/// What a finished action says on the group page (fixed words, chosen by key).
#[derive(Debug, Default, Deserialize)]
pub struct Done {
    #[serde(default)]
    done: String,
}

impl Done {
    fn notice(&self, overview: &GroupOverview) -> Option<String> {
        let planned = overview
            .sessions
            .iter()
            .filter(|s| s.session.status == SessionStatus::Planned)
            .count();
        Some(match self.done.as_str() {
            "created" => {
                format!("Group created with {planned} sessions planned. Enroll its members next.")
            }
            "saved" => format!("Changes saved. {planned} sessions are planned."),
            "started" => "The group is active.".to_owned(),
            "ended" => {
                "The group has ended. Planned sessions after its last day are cancelled.".to_owned()
            }
            "session-added" => "Session added.".to_owned(),
            "enrolled" => {
                "Member enrolled. They are expected at every session from their joining date."
                    .to_owned()
            }
            "left" => "Leaving recorded. Their history stays on the roster.".to_owned(),
            _ => return None,
        })
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "group.html")]
struct GroupPage {
    chrome: Chrome,
    id: i64,
    name: String,
    kind: &'static str,
    schedule: String,
    planned_sessions: Option<u32>,
    program: String,
    status: &'static str,
    starts_on: String,
    ended_on: Option<String>,
    notice: Option<String>,
    /// The viewer may edit, start, end and add sessions.
    manage: Option<Manage>,
    staff: String,
    show_alias: bool,
    staffing: Option<super::staff::Staffing>,
    roster: Vec<RosterRow>,
    sessions: Vec<SessionRow>,
}

/// The set-up actions, for those who manage the group.
struct Manage {
    can_start: bool,
    can_end: bool,
    can_edit: bool,
    today: String,
    default_time: String,
    default_minutes: u32,
}

async fn show(
    State(state): State<AppState>,
    current: CurrentUser,
    Audit(by): Audit,
    PathId(id): PathId,
    Query(done): Query<Done>,
) -> Result<GroupPage, WebError> {
    let overview = state
        .store
        .group_overview(&by, &current.actor, GroupId(id))
        .await?;
    let staffing =
        super::staff::staffing(&state, &current, &overview.group, &overview.staff).await?;
    let notice = done.notice(&overview);
    Ok(render(&current, overview, staffing, notice))
}

fn render(
    current: &CurrentUser,
    overview: GroupOverview,
    staffing: Option<super::staff::Staffing>,
    notice: Option<String>,
) -> GroupPage {
    let group_ref = GroupRef {
        id: overview.group.id,
        program_id: overview.group.program_id,
    };
    let manage = can(&current.actor, Action::Manage, Resource::Group(group_ref)).then(|| {
        let status = overview.group.status;
        Manage {
            can_start: status == GroupStatus::Planned,
            can_end: status != GroupStatus::Ended,
            can_edit: status != GroupStatus::Ended,
            today: overview.today.to_string(),
            default_time: overview.group.meeting.map_or_else(
                || "18:00".to_owned(),
                |m| m.time().strftime("%H:%M").to_string(),
            ),
            default_minutes: overview.group.meeting.map_or(90, |m| m.minutes()),
        }
    });
    let local = LocalTime::from(overview.zone.clone());
    let today = overview.today;
    let staff: Vec<String> = overview
        .staff
        .iter()
        .map(|(user, role)| format!("{} ({})", user.display_name, role.label()))
        .collect();
    let roster = overview
        .roster
        .iter()
        .map(|line| {
            let latest = line.latest();
            let figures = &line.figures;
            RosterRow {
                member_id: line.member.id.0,
                code: line.member.code.to_string(),
                alias: line
                    .member
                    .alias
                    .as_ref()
                    .map(|a| a.as_str().to_owned())
                    .unwrap_or_default(),
                joined: latest.map(|e| day(e.joined_on)).unwrap_or_default(),
                status: match latest {
                    Some(e) => match (e.left_on, e.leave_reason) {
                        (Some(left), Some(reason)) => {
                            format!("Left {} ({})", day(left), reason.label())
                        }
                        (Some(left), None) => format!("Left {}", day(left)),
                        _ if e.is_active_on(today) => "On the roster".into(),
                        _ => "Joins later".into(),
                    },
                    None => String::new(),
                },
                attended: match figures.attendance_percent() {
                    Some(percent) => {
                        format!("{} of {} ({percent}%)", figures.attended, figures.marked())
                    }
                    None => "—".into(),
                },
            }
        })
        .collect();
    let sessions = overview
        .sessions
        .iter()
        .map(|line| SessionRow {
            id: line.session.id.0,
            number: line.session.number,
            when: local.date_time(line.session.scheduled_at),
            status: match (&line.session.cancel_reason, line.session.extra) {
                (Some(reason), _) => format!("{} ({reason})", line.session.status.label()),
                (None, true) => format!("{} (extra)", line.session.status.label()),
                (None, false) => line.session.status.label().to_owned(),
            },
            present: if line.session.status == SessionStatus::Held {
                format!("{} of {}", line.counts.attended(), line.counts.expected)
            } else {
                "—".into()
            },
        })
        .collect();
    let group = overview.group;
    GroupPage {
        chrome: Chrome::new(current, group.name.clone(), "/groups").sensitive(),
        id: group.id.0,
        kind: group.kind.label(),
        schedule: group.schedule.clone(),
        planned_sessions: group.planned_sessions,
        name: group.name,
        program: overview.program_name,
        status: group.status.label(),
        starts_on: day(group.starts_on),
        ended_on: group.ended_on.map(day),
        notice,
        manage,
        staff: if staff.is_empty() {
            "None assigned".into()
        } else {
            staff.join(", ")
        },
        show_alias: overview.shows_aliases,
        staffing,
        roster,
        sessions,
    }
}
