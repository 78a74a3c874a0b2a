//! `GET /home`: the signed-in user's home: today's sessions first, then their groups.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use domain::{Role, SessionStatus};

use super::RouteDef;
use crate::{
    AppState, WebError,
    auth::CurrentUser,
    views::{Chrome, LocalTime},
};

pub fn routes() -> Vec<RouteDef> {
    vec![RouteDef::get("/home", page)]
}

struct TodayItem {
    time: String,
    group_id: i64,
    group_name: String,
    number: u32,
    status: SessionStatus,
}

struct GroupRow {
    id: i64,
    name: String,
    program: String,
    kind: &'static str,
    active_members: usize,
    held: usize,
    planned: Option<u32>,
    next_session: String,
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
    let settings = state.settings().await?;
    let local = LocalTime::new(&settings.time_zone);
    let now = state.now();
    let today_date = local.date(now);
    let programs: HashMap<_, _> = state
        .store
        .programs()
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();

    let mut today = Vec::new();
    let mut groups = Vec::new();
    for group in state.store.groups_visible_to(&current.actor).await? {
        let sessions = state.store.sessions(group.id).await?;
        let roster = state.store.roster(group.id).await?;
        for session in sessions
            .iter()
            .filter(|s| local.date(s.scheduled_at) == today_date)
        {
            today.push(TodayItem {
                time: local.time(session.scheduled_at),
                group_id: group.id.0,
                group_name: group.name.clone(),
                number: session.number,
                status: session.status,
            });
        }
        let next = sessions
            .iter()
            .filter(|s| s.status == SessionStatus::Planned && s.scheduled_at >= now)
            .min_by_key(|s| s.scheduled_at);
        groups.push(GroupRow {
            id: group.id.0,
            name: group.name.clone(),
            program: programs.get(&group.program_id).cloned().unwrap_or_default(),
            kind: group.kind.as_str(),
            active_members: roster
                .iter()
                .filter(|r| r.enrollment.is_active_on(today_date))
                .count(),
            held: sessions
                .iter()
                .filter(|s| s.status == SessionStatus::Held)
                .count(),
            planned: group.planned_sessions,
            next_session: next.map_or_else(
                || "none planned".to_owned(),
                |s| local.date_time(s.scheduled_at),
            ),
        });
    }
    today.sort_by(|a, b| a.time.cmp(&b.time));
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
    let can_create_group = current.actor.role == Role::Admin
        || (current.actor.role == Role::Supervisor && !current.actor.programs.is_empty());
    Ok(HomePage {
        chrome: Chrome::new(&current, "Home", "/home"),
        today,
        groups,
        groups_heading,
        empty_message,
        can_create_group,
    })
}
