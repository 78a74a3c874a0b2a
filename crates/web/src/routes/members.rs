//! `GET /members/{id}`: one member's groups and attendance — of the groups the viewer may
//! see only — from one page read, which audits the view.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use domain::{MemberId, SessionStatus};

use super::RouteDef;
use crate::guard::PathId;
use crate::{
    AppState, WebError,
    auth::{Audit, CurrentUser},
    views::{Chrome, LocalTime, day},
};

pub fn routes() -> Vec<RouteDef> {
    vec![RouteDef::get("/members/{id}", show)]
}

struct GroupLine {
    id: i64,
    name: String,
    program: String,
    periods: Vec<String>,
    attendance: String,
    streak: Option<String>,
}

struct AttendanceLine {
    group: String,
    session_id: i64,
    number: u32,
    when: String,
    status_class: &'static str,
    status: String,
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
    Audit(by): Audit,
    PathId(id): PathId,
) -> Result<MemberPage, WebError> {
    let overview = state
        .store
        .member_overview(&by, &current.actor, MemberId(id))
        .await?;
    let local = LocalTime::from(overview.zone.clone());
    let mut attendance = Vec::new();
    let mut groups = Vec::new();
    for entry in &overview.groups {
        let figures = &entry.figures;
        groups.push(GroupLine {
            id: entry.group.id.0,
            name: entry.group.name.clone(),
            program: entry.program_name.clone(),
            periods: entry
                .periods
                .iter()
                .map(|period| match (period.left_on, period.leave_reason) {
                    (Some(left), Some(reason)) => format!(
                        "Joined {}, left {} ({})",
                        day(period.joined_on),
                        day(left),
                        reason.label()
                    ),
                    (Some(left), None) => {
                        format!("Joined {}, left {}", day(period.joined_on), day(left))
                    }
                    (None, _) => format!("Joined {}", day(period.joined_on)),
                })
                .collect(),
            attendance: match figures.attendance_percent() {
                Some(percent) => format!(
                    "Attended {} of {} sessions ({percent}%)",
                    figures.attended,
                    figures.marked()
                ),
                None => "No attendance recorded yet".into(),
            },
            streak: (figures.current_absence_streak > 0).then(|| {
                match figures.current_absence_streak {
                    1 => "Missed the last session".to_owned(),
                    n => format!("Missed the last {n} sessions"),
                }
            }),
        });
        for line in &entry.sessions {
            let Some(mark) = &line.attendance else {
                continue;
            };
            if line.session.status != SessionStatus::Held {
                continue;
            }
            let status = match (mark.late_minutes, mark.left_early_minutes) {
                (0, 0) => mark.status.label().to_owned(),
                (late, 0) => format!("{} ({late} min late)", mark.status.label()),
                (0, early) => format!("{} ({early} min early)", mark.status.label()),
                (late, early) => format!(
                    "{} ({late} min late, left {early} min early)",
                    mark.status.label()
                ),
            };
            attendance.push(AttendanceLine {
                group: entry.group.name.clone(),
                session_id: line.session.id.0,
                number: line.session.number,
                when: local.date_time(line.session.scheduled_at),
                status_class: mark.status.as_str(),
                status,
            });
        }
    }
    Ok(MemberPage {
        chrome: Chrome::new(
            &current,
            format!("Member {}", overview.member.code),
            "/groups",
        )
        .sensitive(),
        code: overview.member.code.to_string(),
        alias: overview
            .member
            .alias
            .as_ref()
            .map(|a| a.as_str().to_owned()),
        groups,
        attendance,
    })
}
