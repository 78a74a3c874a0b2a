//! `GET /groups/{id}`: a group's facts, roster and sessions, from one page read (which
//! audits the view: the roster is member data).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use domain::{GroupId, SessionStatus};
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
    status: &'static str,
    present: String,
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
    staff: String,
    show_alias: bool,
    staffing: Option<super::staff::Staffing>,
    roster: Vec<RosterRow>,
    sessions: Vec<SessionRow>,
}

async fn show(
    State(state): State<AppState>,
    current: CurrentUser,
    Audit(by): Audit,
    PathId(id): PathId,
) -> Result<GroupPage, WebError> {
    let overview = state
        .store
        .group_overview(&by, &current.actor, GroupId(id))
        .await?;
    let staffing =
        super::staff::staffing(&state, &current, &overview.group, &overview.staff).await?;
    Ok(render(&current, overview, staffing))
}

fn render(
    current: &CurrentUser,
    overview: GroupOverview,
    staffing: Option<super::staff::Staffing>,
) -> GroupPage {
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
            status: line.session.status.label(),
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
