//! `GET /sessions/{id}`: the hub of one meeting — when it is, what can happen to it, and
//! the attendance of everyone on the roster that day, one tap per member — from one page
//! read, which audits the view. The group note, member notes and the observer tally join
//! this page later, below the attendance.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use domain::{
    Action, AttendanceStatus, MemberId, Resource, SessionId, SessionStatus, access::GroupRef, can,
};
use serde::Deserialize;
use store::AuditContext;

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

/// One member expected at the session, with their mark and the buttons to change it.
pub struct MemberRow {
    pub member_id: i64,
    pub code: String,
    pub alias: String,
    pub mark: String,
    pub mark_class: &'static str,
    /// The minutes shown in the late/left-early field (the recorded ones, else 10).
    pub minutes: u32,
    pub current: Option<AttendanceStatus>,
    /// Why the last tap for this member was refused, beside their row.
    pub error: Option<String>,
}

impl MemberRow {
    /// Is this the member's current mark (the button shows pressed)?
    pub fn is(&self, tap: &Tap) -> bool {
        self.current == Some(tap.status)
    }
}

/// A status button of the attendance row.
pub struct Tap {
    pub value: &'static str,
    pub label: &'static str,
    pub status: AttendanceStatus,
}

const TAPS: [Tap; 5] = [
    Tap {
        value: "present",
        label: "Present",
        status: AttendanceStatus::Present,
    },
    Tap {
        value: "late",
        label: "Late",
        status: AttendanceStatus::Late,
    },
    Tap {
        value: "left-early",
        label: "Left early",
        status: AttendanceStatus::LeftEarly,
    },
    Tap {
        value: "excused",
        label: "Excused",
        status: AttendanceStatus::Excused,
    },
    Tap {
        value: "absent",
        label: "Absent",
        status: AttendanceStatus::Absent,
    },
];

/// What a finished action says on the session page (fixed words, chosen by key).
#[derive(Debug, Default, Deserialize)]
pub struct Done {
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
            "marked" => "Attendance saved.",
            "all-present" => "Everyone not yet marked is marked present.",
            _ => return None,
        })
    }
}

/// What the viewer may do to the session now.
pub struct Actions {
    hold: bool,
    cancel: bool,
    move_to: bool,
    date: String,
    time: String,
}

/// Where attendance stands: who may take it, and if not, why.
pub struct AttendanceState {
    /// The viewer may record marks now.
    pub open: bool,
    /// Why marks cannot be taken (locked, cancelled, not yet the day), if so.
    pub closed_reason: Option<String>,
    pub locked: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "session.html")]
pub struct SessionPage {
    chrome: Chrome,
    session_id: i64,
    notice: Option<&'static str>,
    /// A refusal that belongs to no one row (e.g. "all present" on a locked session).
    error: Option<String>,
    cancel_reason: Option<String>,
    actions: Actions,
    attendance: AttendanceState,
    taps: &'static [Tap],
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

/// A refusal to show on the re-rendered page: beside a member's row, or above the grid.
pub enum Refusal {
    Row(MemberId, String),
    Page(String),
}

/// The session page (its read audits the view), with a notice or a refusal to show.
pub async fn render(
    state: &AppState,
    current: &CurrentUser,
    by: &AuditContext,
    id: SessionId,
    notice: Option<&'static str>,
    refusal: Option<Refusal>,
) -> Result<SessionPage, WebError> {
    let overview = state.store.session_overview(by, &current.actor, id).await?;
    let local = LocalTime::from(overview.zone.clone());
    let counts = overview.counts;
    let (row_error, page_error) = match refusal {
        // A member without a row here (not on the roster that day) hears it above the grid.
        Some(Refusal::Row(member, message))
            if overview.expected.iter().all(|e| e.member.id != member) =>
        {
            (None, Some(message))
        }
        Some(Refusal::Row(member, message)) => (Some((member, message)), None),
        Some(Refusal::Page(message)) => (None, Some(message)),
        None => (None, None),
    };
    let members = overview
        .expected
        .iter()
        .map(|expected| {
            let attendance = expected.attendance.as_ref();
            MemberRow {
                member_id: expected.member.id.0,
                code: expected.member.code.to_string(),
                alias: expected
                    .member
                    .alias
                    .as_ref()
                    .map(|a| a.as_str().to_owned())
                    .unwrap_or_default(),
                mark: match attendance {
                    None => "Not marked".to_owned(),
                    Some(a) => match (a.late_minutes, a.left_early_minutes) {
                        (0, 0) => a.status.label().to_owned(),
                        (late, 0) => format!("{} · {late} min", a.status.label()),
                        (0, early) => format!("{} · {early} min early", a.status.label()),
                        (late, early) => {
                            format!("{} · {late} min late, {early} min early", a.status.label())
                        }
                    },
                },
                mark_class: attendance.map_or("unmarked", |a| a.status.as_str()),
                minutes: attendance
                    .map(|a| a.late_minutes.max(a.left_early_minutes))
                    .filter(|m| *m > 0)
                    .unwrap_or(10),
                current: attendance.map(|a| a.status),
                error: row_error
                    .as_ref()
                    .filter(|(member, _)| *member == expected.member.id)
                    .map(|(_, message)| message.clone()),
            }
        })
        .collect();
    let group_ref = GroupRef {
        id: overview.group.id,
        program_id: overview.group.program_id,
    };
    let session = &overview.session;
    let planned = session.status == SessionStatus::Planned;
    let manage = can(&current.actor, Action::Manage, Resource::Group(group_ref));
    let run = can(
        &current.actor,
        Action::RunSession,
        Resource::Group(group_ref),
    );
    let starts = session.scheduled_at.to_zoned(overview.zone.clone());
    let actions = Actions {
        hold: run && planned && overview.day <= overview.today,
        cancel: manage && planned,
        move_to: manage && planned,
        date: starts.date().to_string(),
        time: starts.strftime("%H:%M").to_string(),
    };
    let locked = session.attendance_locked_at.is_some();
    let closed_reason = if locked {
        Some("Attendance is locked: the group note for this session is signed.".to_owned())
    } else if session.status == SessionStatus::Cancelled {
        Some("This session was cancelled.".to_owned())
    } else if overview.day > overview.today {
        Some(format!(
            "Attendance is taken from {} on.",
            day(overview.day)
        ))
    } else {
        None
    };
    let attendance = AttendanceState {
        open: run && closed_reason.is_none(),
        closed_reason,
        locked,
    };
    Ok(SessionPage {
        chrome: Chrome::new(
            current,
            format!("Session {} · {}", session.number, overview.group.name),
            "/groups",
        )
        .sensitive(),
        session_id: session.id.0,
        notice,
        error: page_error,
        cancel_reason: session.cancel_reason.clone(),
        actions,
        attendance,
        taps: &TAPS,
        group_id: overview.group.id.0,
        group_name: overview.group.name.clone(),
        number: session.number,
        when: local.date_time(session.scheduled_at),
        status: session.status.label(),
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

async fn show(
    State(state): State<AppState>,
    current: CurrentUser,
    Audit(by): Audit,
    PathId(id): PathId,
    Query(done): Query<Done>,
) -> Result<SessionPage, WebError> {
    render(&state, &current, &by, SessionId(id), done.notice(), None).await
}
