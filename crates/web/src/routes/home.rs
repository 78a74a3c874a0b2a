//! `GET /home`: the signed-in user's home: today's sessions first, then their groups.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use domain::{Action, Resource, Role, SessionStatus, can};

use super::RouteDef;
use crate::{
    AppState, WebError,
    auth::CurrentUser,
    routes::groups::list::{GroupRow, group_rows},
    views::{Chrome, LocalTime},
};

pub fn routes() -> Vec<RouteDef> {
    vec![RouteDef::get("/home", page)]
}

struct TodayItem {
    time: String,
    session_id: i64,
    group_id: i64,
    group_name: String,
    number: u32,
    status: &'static str,
    /// Attendance can still be taken (planned or held, not cancelled).
    open: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
struct HomePage {
    chrome: Chrome,
    today: Vec<TodayItem>,
    groups: Vec<GroupRow>,
    groups_heading: &'static str,
    empty_message: &'static str,
    can_create_group: bool,
}

async fn page(State(state): State<AppState>, current: CurrentUser) -> Result<HomePage, WebError> {
    let overview = state
        .store
        .workspace_overview(&current.actor, state.now())
        .await?;
    let local = LocalTime::from(overview.zone.clone());
    let mut today: Vec<(jiff::Timestamp, TodayItem)> = overview
        .groups
        .iter()
        .flat_map(|summary| {
            summary.today.iter().map(|session| {
                (
                    session.scheduled_at,
                    TodayItem {
                        time: local.time(session.scheduled_at),
                        session_id: session.id.0,
                        group_id: summary.group.id.0,
                        group_name: summary.group.name.clone(),
                        number: session.number,
                        status: session.status.label(),
                        open: session.status != SessionStatus::Cancelled,
                    },
                )
            })
        })
        .collect();
    today.sort_by_key(|(at, _)| *at);
    let (groups_heading, empty_message) = match current.user.role {
        Role::Admin => (
            "All groups",
            "No groups yet. Create a program and a group to begin.",
        ),
        Role::Supervisor => ("Groups in your programs", "No groups in your programs yet."),
        Role::Participant => ("Groups", "Your account is for the reflection board only."),
        _ => (
            "My groups",
            "You are not assigned to any group yet. Ask your supervisor to add you.",
        ),
    };
    Ok(HomePage {
        chrome: Chrome::new(&current, "Home", "/home"),
        today: today.into_iter().map(|(_, item)| item).collect(),
        groups: group_rows(&overview, &local),
        groups_heading,
        empty_message,
        can_create_group: can(&current.actor, Action::CreateGroup, Resource::Workspace),
    })
}
